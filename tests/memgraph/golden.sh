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
finish
