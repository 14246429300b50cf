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

# start_child NAME CMD...: runs CMD with its stdin a fifo held open on fd 8 (it lives until
# stop_child closes it), stdout in $T/NAME.out, stderr in $T/NAME.err; waits for its first output
# line (a minute at most: a loaded machine starts Python slowly); CHILD_PID is its pid.  Returns
# non-zero when it printed nothing or died.  One child per test.
start_child() {
	name=$1
	shift
	mkfifo "$T/$name.in"
	"$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
	CHILD_PID=$!
	exec 8>"$T/$name.in"
	i=0
	while [ ! -s "$T/$name.out" ] && [ $i -lt 1200 ] && kill -0 "$CHILD_PID" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$T/$name.out" ]
}

stop_child() {
	exec 8>&-
	wait "$CHILD_PID" 2>/dev/null
}
