#!/bin/sh
# html-page.sh: the treemap page without a browser: its CSP hashes, no external reference, the embedded data equal to the records, hostile names inert, a million records (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
DRIVER=$top_builddir/tests/memgraph/html-driver
[ -x "$DRIVER" ] || { echo "FAIL: $DRIVER is not built"; exit 1; }
"$PYTHON3" "$top_srcdir/tests/memgraph/html_check.py" page "$DRIVER" || FAILED=1
if [ -x "$top_builddir/memgraph" ]; then
	"$PYTHON3" "$top_srcdir/tests/memgraph/html_check.py" page "$top_builddir/memgraph" --html --input || FAILED=1
fi
exit $FAILED
