#!/bin/sh
# huge-input.sh: memmaps's peak memory on one process of 400 000 mappings stays within twice its smaps plus a small constant, in every view and format, with the right figures (test layer)
#
# Issue 8: memmaps kept 120 bytes a mapping (96 of MemMapping, 24 of values) for minimal records of
# ~64 bytes, and --flat built a table of every cell: 538 MB and 1.9 GB for a 263 MB smaps.  Now a
# mapping is 80 + 24 bytes and the report 12 more, so the mappings alone stay below 2x their smaps
# (1.78x on 4 million); on top comes a constant:
#  - every view: the program itself (~3.2 MB resident for a process of 20 mappings) and the reader's
#    window (a 64 KiB chunk and a record): 4 MiB;
#  - --flat also holds one table of 16 384 rows (~430 bytes a row: the row, 8 cells of 16 bytes, their
#    texts): 7 MiB more, 11 MiB in all.
# Measured before the change on this input (24.4 MiB of smaps, 2x = 48.7 MiB): the tree, -X and
# --json 54.8-55.1 MiB (2x + 6.4 MiB), -s pss 56.7 MiB, --flat 189.9 MiB: each fails its bound below.
# After: 46.5-47.0 MiB, 47.8 MiB with -s, --flat 53.5 MiB.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMMAPS=${MEMMAPS:-$top_builddir/memmaps}
[ -x "$MEMMAPS" ] || { echo "FAIL: $MEMMAPS is not built"; exit 1; }

N=${HUGE_MAPPINGS:-400000}
# Sanitizers multiply memory by design: there the figures are checked, not the bound.
bound=1
if grep -q __asan_init "$MEMMAPS" 2>/dev/null; then
	bound=0
fi

"$PYTHON3" - "$MEMMAPS" "$T/root" "$N" "$bound" "$top_srcdir/tests/common" <<'PY' || fail "memmaps on $N mappings"
import os, re, subprocess, sys

memmaps, root, n, bound = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
sys.path.insert(0, sys.argv[5])
import huge_smaps  # noqa: E402

pid = huge_smaps.PID
size, want_pss, _ = huge_smaps.make(root, n)
MiB = 1024 * 1024

# (arguments, the constant above 2x the smaps, how the output is read)
cases = [
    (["--bytes"], 4, "tree"),
    (["--bytes", "-X"], 4, "tree"),
    (["--bytes", "-s", "pss"], 4, "tree"),
    (["--json"], 4, "json"),
    (["--json", "-X"], 4, "json"),
    (["--bytes", "--flat"], 11, "flat"),
    (["--bytes", "--flat", "-X"], 11, "flat"),
]

def lines(stream):
    tail = b""
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        tail += chunk
        *whole, tail = tail.split(b"\n")
        yield from whole
    if tail:
        yield tail

def read_text(stream, flat):
    """(mapping rows, PSS of the /A or total row, the rows' PSS summed) of a text view read as it
    comes.  --flat: a header naming the columns, a row per mapping (the name is empty, the kind note
    "anon" ends it), then "total", the sums and "N mappings"."""
    rows = total = 0
    seen = None
    col = None
    for l in lines(stream):
        l = l.decode()
        if flat:
            fields = l.split()
            if l.startswith("Address"):
                col = [f.lower() for f in fields].index("pss")
            elif l.startswith("_"):
                rows += 1
                total += int(fields[col])
            elif l.startswith("total"):
                seen = int(fields[-3])
        else:
            m = re.search(r" (\d+):[Pp]ss ", l)
            if l.startswith("M  "):
                rows += 1
                total += int(m.group(1))
            elif l.startswith("/A "):
                seen = int(m.group(1))
    return rows, seen, total

def read_json(stream):
    """(mappings, their PSS, the process's PSS total) of a JSON document read as it comes: its
    mappings come first in it (no rollup here), then the process's totals."""
    values = []
    starts = 0
    tail = b""
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        tail += chunk
        cut = tail.rfind(b",") + 1
        part, tail = tail[:cut], tail[cut:]
        starts += part.count(b'{"start":')
        values += [int(v) for v in re.findall(rb'"pss_bytes":(\d+)', part)]
    values += [int(v) for v in re.findall(rb'"pss_bytes":(\d+)', tail)]
    return starts, sum(values[:starts]), values[starts] if len(values) > starts else None

bad = []
for args, const, kind in cases:
    name = "memmaps " + " ".join(args)
    err = open(os.path.join(root, "err"), "wb")
    p = subprocess.Popen([memmaps, "--proc-root", root] + args + [str(pid)], stdout=subprocess.PIPE,
                         stderr=err)
    if kind == "json":
        got = read_json(p.stdout)
    else:
        got = read_text(p.stdout, kind == "flat")
    _, status, ru = os.wait4(p.pid, 0)
    rc, peak = os.waitstatus_to_exitcode(status), ru.ru_maxrss * 1024
    limit = 2 * size + const * MiB
    print("%-28s peak %6.1f MiB (bound %.1f MiB: 2 x %.1f MiB smaps + %d MiB)"
          % (name, peak / MiB, limit / MiB, size / MiB, const))
    if rc != 0:
        bad.append("%s: status %d" % (name, rc))
        continue
    if bound and peak > limit:
        bad.append("%s: peak RSS %d bytes above %d" % (name, peak, limit))
    want = (n, want_pss, want_pss)
    if got != want:
        bad.append("%s: (mappings, total pss, the mappings' pss summed) %r, want %r" % (name, got, want))
# memmaps has no CSV (a tree has no flat rows): refused with the usage status, not half written.
r = subprocess.run([memmaps, "--proc-root", root, "--csv", str(pid)], capture_output=True)
if r.returncode != 2 or r.stdout:
    bad.append("memmaps --csv: status %d, %d bytes out" % (r.returncode, len(r.stdout)))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
finish
