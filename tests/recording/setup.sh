# setup.sh: what the recording tests that hold objects share, sourced after lib.sh (test layer; POSIX sh)
# Sets MEMOBJS, HOLD (tests/memobjs/hold-objects) and D (this directory), checks they are built and
# that /dev/shm is writable, and brings in start_helper/stop_helper (tests/memobjs/hold.sh).
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
HOLD=$top_builddir/tests/memobjs/hold-objects
D=$top_srcdir/tests/recording
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
[ -x "$HOLD" ] || { echo "FAIL: $HOLD is not built"; exit 1; }
[ -d /dev/shm ] && [ -w /dev/shm ] || skip "no writable /dev/shm"
. "$top_srcdir/tests/memobjs/hold.sh"
