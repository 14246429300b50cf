#!/bin/sh
# golden.sh: memobjs over the recorded fixture, every figure checked by an independent python model (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }

"$PYTHON3" "$top_srcdir/tests/memobjs/check-objs.py" "$MEMOBJS" "$FIXTURES/debian12-workload" "$T" || fail "check-objs.py"
finish
