#!/bin/sh
# help-vs-man.sh: every long option of `memobjs --help` is in man/memobjs.1 and the other way round, and so are the columns (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
MAN=$top_srcdir/man/memobjs.1
[ -f "$MAN" ] || { echo "FAIL: $MAN is missing"; exit 1; }

"$MEMOBJS" --help >"$T/help.out" 2>&1 || fail "--help exits non-zero"
help_vs_man "$T/help.out" "$MAN"
# Columns: the list --help generates from the column table, each documented as a .TP tag in COLUMNS.
columns_vs_man "$T/help.out" "$MAN"
finish
