#!/bin/sh
# html-bad-input.sh: the treemap page refuses bad memgraph JSON (invalid, missing or duplicated ids, cycles, unknown parents, bad sizes, deep chains, empty) with one clear line and status 3, nothing on stdout (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
DRIVER=$top_builddir/tests/memgraph/html-driver
[ -x "$DRIVER" ] || { echo "FAIL: $DRIVER is not built"; exit 1; }
"$PYTHON3" "$top_srcdir/tests/memgraph/html_check.py" bad "$DRIVER" || FAILED=1
if [ -x "$top_builddir/memgraph" ]; then
	"$PYTHON3" "$top_srcdir/tests/memgraph/html_check.py" bad "$top_builddir/memgraph" --html --input || FAILED=1
fi
exit $FAILED
