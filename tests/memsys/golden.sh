#!/bin/sh
# golden.sh: memsys over every fixture's meminfo and old-kernel/hugetlb variants, each figure checked by an independent python model (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMSYS=${MEMSYS:-$top_builddir/memsys}
[ -x "$MEMSYS" ] || { echo "FAIL: $MEMSYS is not built"; exit 1; }

"$PYTHON3" "$top_srcdir/tests/memsys/check-sys.py" "$MEMSYS" "$FIXTURES" "$T" || fail "check-sys.py"
finish
