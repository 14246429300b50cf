#!/bin/sh
# batches.sh: memgraph -v over a process of more than one batch of mappings (65 536): its parts summed across batches, as a recording and under --proc-root (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"

"$PYTHON_JS" - "$MEMGRAPH" "$T/snap" <<'PY' || fail "memgraph -v over processes of several batches"
import json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "memgraph"))
from graph_check import Checker, parse, structure

memgraph, snap = sys.argv[1], sys.argv[2]
c = Checker()
N = 70000  # above one batch


def write(pid, records):
    d = os.path.join(snap, str(pid))
    os.makedirs(d)
    with open(os.path.join(d, "stat"), "w") as f:
        f.write("%d (p%d) S 1 %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 1000000 10 "
                "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n" % (pid, pid, pid, pid))
    with open(os.path.join(d, "cgroup"), "w") as f:
        f.write("0::/batch\n")
    out = []
    for start, obj, pss in records:
        if obj:
            out.append("%x-%x r--p 00000000 08:01 %d                   /lib/f%d.so\n" % (start, start + 4096, obj, obj))
        else:
            out.append("%x-%x rw-p 0 00:00 0\n" % (start, start + 4096))
        out.append("Size: 4 kB\nRss: 4 kB\nPss: %d kB\n" % pss)
    with open(os.path.join(d, "smaps"), "w") as f:
        f.write("".join(out))


big = [(0x10000000 + i * 0x2000, 77 if i % 2 else None, 1 + i % 3) for i in range(N)]
write(10, big)
write(11, [(0x20000000, 77, 2), (0x20002000, 88, 4)])
want_f77 = sum(p for _, o, p in big if o == 77) * 1024
for args in (["-S", snap], ["--proc-root", snap]):
    r = subprocess.run([memgraph, "-v"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    where = " ".join(args[:1])
    c.check(r.returncode == 0, "%s: exit %d %s" % (where, r.returncode, r.stderr[:200]))
    recs = parse(r.stdout.decode(), c, where)
    # (the schema is checked by the other tests: over 35 000 parts it takes a minute)
    by = structure(recs, c, where)
    parts = {x["id"]: x["pss_bytes"] for x in by["p/10"]["objects"]}
    c.check(len(parts) == N // 2 + 1, "%s: p/10 has %d parts, want %d" % (where, len(parts), N // 2 + 1))
    c.check(parts.get("o/f:08:01:77") == want_f77, "%s: p/10's part of f77: %r, want %d" % (where, parts.get("o/f:08:01:77"), want_f77))
    c.check(sum(parts.values()) == by["p/10"]["pss_bytes"], "%s: p/10's parts do not add up to its pss" % where)
    o = by.get("o/f:08:01:77")
    c.check(o and o["pss_bytes"] == want_f77 + 2048 and o["pids"] == [10, 11] and o["parent"] == "p/10",
            "%s: o/f:08:01:77 %r" % (where, o))
    c.check(by["j/batch"]["pss_bytes"] == by["p/10"]["pss_bytes"] + by["p/11"]["pss_bytes"], "%s: j/batch sum" % where)
sys.exit(1 if c.failures else 0)
PY
finish
