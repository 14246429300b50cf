#!/bin/sh
# golden.sh: memgraph over the fixtures, every figure against an independent model of the raw files, -v against memobjs (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"

for fix in debian12-workload linux-3.10 linux-4.4 arm32-board smemcap-style android-style; do
	"$PYTHON_JS" "$top_srcdir/tests/memgraph/check-graph.py" "$MEMGRAPH" "$MEMOBJS" "$FIXTURES/$fix" ||
		fail "check-graph.py on $fix"
done
# a tar on stdin: the same records as the directory (but the source's format and path)
make_tar "$FIXTURES/debian12-workload" "$T/rec.tar"
"$MEMGRAPH" -v -S "$FIXTURES/debian12-workload" 2>/dev/null | grep -v __META >"$T/dir.out"
"$MEMGRAPH" -v -S - <"$T/rec.tar" 2>/dev/null | grep -v __META >"$T/stdin.out"
cmp -s "$T/dir.out" "$T/stdin.out" || fail "-v -S - (a tar on stdin) differs from the directory"
# the schema refuses what the records must not be: each mutation of a valid output is an error
"$MEMGRAPH" -v -S "$FIXTURES/debian12-workload" >"$T/v.json" 2>/dev/null
"$PYTHON_JS" - "$T/v.json" <<'PY' || fail "the schema accepts broken records"
import copy, json, os, sys
import jsonschema
schema = json.load(open(os.path.join(os.environ["top_srcdir"], "doc", "memgraph.schema.json")))
good = json.load(open(sys.argv[1]))
v = jsonschema.Draft7Validator(schema)
assert not list(v.iter_errors(good))
first = lambda t: next(i for i, r in enumerate(good) if r["type"] == t)
mutations = {
    "negative pss": lambda d: d[first("p")].update(pss_bytes=-1),
    "no name": lambda d: d[first("j")].pop("name"),
    "unknown key": lambda d: d[first("o")].update(color="red"),
    "shared on a job": lambda d: d[first("j")].update(shared_bytes=1),
    "fraction": lambda d: d[first("kernel")].update(size_bytes=1.5),
    "string size": lambda d: d[first("o")].update(alloc_bytes="4096"),
    "bad state": lambda d: d[first("p")].update(state="running"),
    "unknown kernel node": lambda d: d[first("kernel")].update(id="kernel/bogus"),
    "negative free": lambda d: next(r for r in d if r["id"] == "kernel/free").update(size_bytes=-4096),
    "user without parts": lambda d: next(r for r in d if r["id"] == "kernel/user").pop("anon_bytes"),
    "partial false": lambda d: d[first("j")].update(partial=False),
    "bad timestamp": lambda d: d[-1].update(timestamp="yesterday"),
    "no source": lambda d: d[-1].pop("source"),
    "bad object id": lambda d: d[first("o")].update(id="o/x"),
}
bad = []
for name, mutate in mutations.items():
    d = copy.deepcopy(good)
    mutate(d)
    if not list(v.iter_errors(d)):
        bad.append(name)
if bad:
    print("FAIL: the schema accepts: " + ", ".join(bad))
    sys.exit(1)
PY
finish
