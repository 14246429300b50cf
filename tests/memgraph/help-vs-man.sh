#!/bin/sh
# help-vs-man.sh: every long option of `memgraph --help` is in man/memgraph.1 and the other way round (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"
"$MEMGRAPH" --help >"$T/help.out" 2>&1 || fail "--help exits non-zero"
help_vs_man "$T/help.out" "$top_srcdir/man/memgraph.1"
grep -q '^\.SH TREEMAP' "$top_srcdir/man/memgraph.1" || fail "no TREEMAP section"
finish
