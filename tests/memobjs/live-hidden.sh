#!/bin/sh
# live-hidden.sh: memobjs --hidden on the live system finds what hold-objects holds and nobody maps (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
HOLD=$top_builddir/tests/memobjs/hold-objects
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
[ -x "$HOLD" ] || { echo "FAIL: $HOLD is not built"; exit 1; }
[ -d /dev/shm ] && [ -w /dev/shm ] || skip "no writable /dev/shm"
. "$top_srcdir/tests/memobjs/hold.sh"

start_helper || skip "the helper could not create its objects"

"$MEMOBJS" --hidden --json >"$T/hidden.json" 2>"$T/hidden.err"
rc=$?
[ $rc -eq 0 ] || fail "memobjs --hidden: exit $rc: $(head -3 "$T/hidden.err")"
"$MEMOBJS" --hidden -b >"$T/hidden.txt" 2>>"$T/hidden.err" || fail "memobjs --hidden (text)"
"$PYTHON3" "$top_srcdir/tests/memobjs/check-live.py" "$T/hold.out" "$T/hidden.json" "$T/hidden.txt" || fail "check-live.py"

# The helper removes its files and segment when its stdin closes.
set -- $(tr ' ' '\n' <"$T/hold.out" | sed -n 's/^\(held\|orphan\|shmid\)=//p')
stop_helper
trap 'cleanup_tmp' EXIT
[ ! -e "$1" ] || fail "the helper left $1"
[ ! -e "$2" ] || fail "the helper left $2"
if grep -qE "^ *-?[0-9]+ +$3 " /proc/sysvipc/shm 2>/dev/null; then
	fail "the helper left SysV segment $3"
fi
finish
