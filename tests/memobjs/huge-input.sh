#!/bin/sh
# huge-input.sh: memobjs's and memps's peak memory on one process of 400 000 mappings stays within 2x its smaps + 32 MiB, in every view and format, from a directory and a tar, with the right figures (test layer)
#
# Issue 8: memobjs held a 296-byte object and a table row of every cell for each of 4 million
# mappings (2 GB for a 255 MB smaps); then the model held the process's mappings (120 bytes a minimal
# record of ~65) beside the objects made of them (3.5x the smaps).  Now the model hands them over 64 Ki
# at a time and the objects (112 bytes each, one per private anonymous mapping here) are the peak:
# ~1.7x the smaps and 8 bytes a pointer.  The 32 MiB are what does not grow with the input: the
# model's batch (64 Ki mappings, 7.5 MiB), one piece of rendered rows (16 384), the program and glib
# (~3 MiB), doubled for malloc's and the arena's rounding.  Measured: 2.2x the smaps in all (60 MiB of
# a 86 MiB bound); 3.5x-3.9x (95-105 MiB) before the batches, 8x-20x before issue 8.  memps only sums
# the smaps (a few MiB).  The same process as a tar recording (-S) is held to the same bound: the tar
# source streams the smaps member and the model batches a tar's first big process (92 MiB before).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
MEMPS=${MEMPS:-$top_builddir/memps}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
[ -x "$MEMPS" ] || { echo "FAIL: $MEMPS is not built"; exit 1; }

N=${HUGE_MAPPINGS:-400000}
# Sanitizers multiply memory by design: there the figures are checked, not the bound.
bound=1
if grep -q __asan_init "$MEMOBJS" 2>/dev/null; then
	bound=0
fi

"$PYTHON3" - "$MEMOBJS" "$MEMPS" "$T/root" "$N" "$bound" "$top_srcdir/tests/common" <<'PY' || fail "memobjs and memps on $N mappings"
import csv, json, os, subprocess, sys, tarfile

memobjs, memps, root, n, bound = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
sys.path.insert(0, sys.argv[6])
import huge_smaps  # noqa: E402

pid = huge_smaps.PID
size, want_pss, want_rss = huge_smaps.make(root, n, offset="00000000")
limit = 2 * size + 32 * 1024 * 1024
# The same process as a tar recording (the tar source streams its smaps member, and the model batches
# one undecided process of a tar at a time): the same bound.
tarball = root + ".tar"
with tarfile.open(tarball, "w") as tf:
    tf.add(root, arcname=".")

views = ([], [str(pid)], ["--json"], ["--json", str(pid)], ["--csv"], ["--csv", str(pid)],
         ["memps", "--json"], ["memps", "--json", "-p", str(pid)])
cases = [(["--proc-root", root], v) for v in views] + [(["-S", tarball], v) for v in views]

def run(i, src, args):
    """Runs memobjs into out.I; returns (status, peak RSS in bytes) of that child alone.  Every run
    comes before any output is parsed: a child's peak counts its parent's RSS at the fork."""
    with open("%s.out.%d" % (root, i), "wb") as o, open("%s.err.%d" % (root, i), "wb") as e:
        tool = [memps] + args[1:] if args[:1] == ["memps"] else [memobjs] + args
        p = subprocess.Popen([tool[0]] + src + tool[1:], stdout=o, stderr=e)
        _, status, ru = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), ru.ru_maxrss * 1024

runs = [run(i, src, args) for i, (src, args) in enumerate(cases)]
bad = []
for i, (src, args) in enumerate(cases):
    rc, peak = runs[i]
    name = (" ".join(args) if args[:1] == ["memps"] else "memobjs " + " ".join(args)) + " " + src[0]
    print("%-36s peak %6.1f MiB (bound %.1f MiB: 2 x %.1f MiB smaps + 32 MiB)"
          % (name, peak / 2**20, limit / 2**20, size / 2**20))
    if rc != 0:
        bad.append("%s: status %d" % (name, rc))
        continue
    if bound and peak > limit:
        bad.append("%s: peak RSS %d bytes above %d" % (name, peak, limit))
    with open("%s.out.%d" % (root, i), "rb") as o:
        data = o.read()
    # The figures, from the file above: n objects, their PSS and ALLOC sums (memps: the process's).
    if args[:1] == ["memps"]:
        proc = json.loads(data)["processes"][0]
        got = (n, proc["pss_bytes"], proc["rss_bytes"], n)
    elif "--json" in args:
        doc = json.loads(data)
        objs = doc["objects"] if not args[1:] else doc["processes"][0]["objects"]
        got = (len(objs), sum(o["pss_bytes"] for o in objs), sum(o["alloc_bytes"] for o in objs),
               len({o["id"] for o in objs}))
    elif "--csv" in args:
        rows = list(csv.DictReader(data.decode().splitlines()))
        objs = [r for r in rows if not r["OBJECT"].startswith("p:")]
        got = (len(objs), sum(int(r["PSS"]) for r in objs), sum(int(r["ALLOC"]) for r in objs),
               len({r["OBJECT"] for r in objs}))
    else:
        lines = data.decode().splitlines()
        objs = [l for l in lines if l.lstrip().startswith("a:")]
        # text sizes are rounded: count the rows and their ids, and the header at both ends
        got = (len(objs), want_pss, want_rss, len({l.split()[0] for l in objs}))
        if not (lines[0].startswith("OBJECT") and lines[-1] == lines[0]):
            bad.append("%s: no header at the top and the bottom" % name)
    if got != (n, want_pss, want_rss, n):
        bad.append("%s: (objects, pss, alloc, ids) %r, want %r" % (name, got, (n, want_pss, want_rss, n)))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
finish
