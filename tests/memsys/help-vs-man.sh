#!/bin/sh
# help-vs-man.sh: every long option of `memsys --help` is in man/memsys.1 and the other way round, and so are the columns (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMSYS=${MEMSYS:-$top_builddir/memsys}
[ -x "$MEMSYS" ] || { echo "FAIL: $MEMSYS is not built"; exit 1; }
MAN=$top_srcdir/man/memsys.1

"$MEMSYS" --help >"$T/help.out" 2>&1 || fail "--help exits non-zero"
help_vs_man "$T/help.out" "$MAN"
columns_vs_man "$T/help.out" "$MAN"
finish
