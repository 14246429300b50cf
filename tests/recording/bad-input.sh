#!/bin/sh
# bad-input.sh: recordings that lie (manifests), lack files, carry hostile names or are cut short (tar and tar.gz at many offsets): memps and memobjs read what is whole, name what is not, never crash (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
"$PYTHON3" "$top_srcdir/tests/recording/bad_input.py" "$MEMPS" "$MEMOBJS" "$T" || fail "bad_input.py"
finish
