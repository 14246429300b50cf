#!/bin/sh
# html-page.sh: the treemap page without a browser: its CSP hashes, no external reference, the embedded data equal to the records, hostile names inert, time and memory on many records (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/html-lib.sh"
html_py html_check.py page
if [ -x "$top_builddir/memgraph" ]; then
	"$PYTHON3" "$top_srcdir/tests/memgraph/html_check.py" tool "$top_builddir/memgraph" \
		"$top_srcdir/fixtures/debian12-workload" || FAILED=1
fi
exit $FAILED
