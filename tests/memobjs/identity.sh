#!/bin/sh
# identity.sh: object identity over recordings written by check-identity.py: SysV segment 0, one inode on two devices, ids shared with memmaps, hugetlb (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
MEMMAPS=${MEMMAPS:-$top_builddir/memmaps}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
[ -x "$MEMMAPS" ] || { echo "FAIL: $MEMMAPS is not built"; exit 1; }

"$PYTHON3" "$top_srcdir/tests/memobjs/check-identity.py" "$MEMOBJS" "$MEMMAPS" "$T" || fail "check-identity.py"
finish
