#!/bin/sh
# huge-input.sh: memobjs's peak memory on one process of 400 000 mappings stays bounded by its smaps's size, in every view and format, with the right figures (test layer)
#
# Issue 8: memobjs held a 296-byte object and a table row of every cell for each of 4 million
# mappings (2 GB for a 255 MB smaps).  The bound asserted here is 4x the smaps + 32 MiB: the model
# alone keeps a process's mappings at about 2x its smaps (120 bytes a minimal record of ~64), and the
# objects memobjs makes of them come on top (doc/BENCHMARKS.md, "Huge inputs").  Before issue 8 each
# case below took 8x to 20x.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }

N=${HUGE_MAPPINGS:-400000}
# Sanitizers multiply memory by design: there the figures are checked, not the bound.
bound=1
if grep -q __asan_init "$MEMOBJS" 2>/dev/null; then
	bound=0
fi

"$PYTHON3" - "$MEMOBJS" "$T/root" "$N" "$bound" "$top_srcdir/tests/common" <<'PY' || fail "memobjs on $N mappings"
import csv, json, os, subprocess, sys

memobjs, root, n, bound = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
sys.path.insert(0, sys.argv[5])
import huge_smaps  # noqa: E402

pid = huge_smaps.PID
size, want_pss, want_rss = huge_smaps.make(root, n)
limit = 4 * size + 32 * 1024 * 1024

cases = ([], [str(pid)], ["--json"], ["--json", str(pid)], ["--csv"], ["--csv", str(pid)])

def run(i, args):
    """Runs memobjs into out.I; returns (status, peak RSS in bytes) of that child alone.  Every run
    comes before any output is parsed: a child's peak counts its parent's RSS at the fork."""
    with open("%s.out.%d" % (root, i), "wb") as o, open("%s.err.%d" % (root, i), "wb") as e:
        p = subprocess.Popen([memobjs, "--proc-root", root] + args, stdout=o, stderr=e)
        _, status, ru = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), ru.ru_maxrss * 1024

runs = [run(i, args) for i, args in enumerate(cases)]
bad = []
for i, args in enumerate(cases):
    rc, peak = runs[i]
    name = "memobjs " + " ".join(args)
    print("%-22s peak %6.1f MiB (bound %.1f MiB: 4 x %.1f MiB smaps + 32 MiB)"
          % (name, peak / 2**20, limit / 2**20, size / 2**20))
    if rc != 0:
        bad.append("%s: status %d" % (name, rc))
        continue
    if bound and peak > limit:
        bad.append("%s: peak RSS %d bytes above %d" % (name, peak, limit))
    with open("%s.out.%d" % (root, i), "rb") as o:
        data = o.read()
    # The figures, from the file above: n objects, their PSS and ALLOC sums.
    if "--json" in args:
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
