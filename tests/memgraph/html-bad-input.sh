#!/bin/sh
# html-bad-input.sh: the treemap page refuses bad memgraph JSON (invalid, missing or duplicated ids, cycles, unknown parents, bad sizes, deep chains, empty) with one clear line and status 3, nothing on stdout (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/html-lib.sh"
html_py html_check.py bad
exit $FAILED
