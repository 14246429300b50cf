#!/bin/sh
# churn.sh: processes holding memfds and /dev/shm files come and go while memobjs --hidden reads the live system and while a recording is made; both runs and the reading of the recording end well (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/recording/setup.sh"

trap 'stop_child; cleanup_tmp' EXIT
start_child churn "$PYTHON3" "$D/churn.py" || fail "churn.py did not start: $(cat "$T/churn.err")"
CHURN=$(sed -n 's/^ready \([0-9]*\)$/\1/p' "$T/churn.out")
[ "$CHURN" = "$CHILD_PID" ] || { echo "FAIL: churn.py says it is '$CHURN', the shell started $CHILD_PID"; exit 1; }

n=0
while [ $n -lt 5 ]; do
	"$MEMOBJS" --hidden --json >"$T/live.json" 2>"$T/live.err"
	rc=$?
	[ $rc -eq 0 ] || fail "memobjs --hidden amid vanishing processes: exit $rc: $(head -3 "$T/live.err")"
	grep -q "Sanitizer\|runtime error" "$T/live.err" && fail "sanitizer: $(head -5 "$T/live.err")"
	n=$((n + 1))
done
# The recorder writes a pid only once it is whole; the processes it saw go while it records.
"$PYTHON3" "$D/record.py" "$T/rec" --targz "$T/rec.tar.gz" --pids "$(pgrep -d, -P "$CHURN"),$CHURN" ||
	fail "record.py amid vanishing processes"
stop_child
for src in "$T/rec" "$T/rec.tar.gz"; do
	"$MEMOBJS" -S "$src" --hidden --json >"$T/rec.json" 2>"$T/rec.err"
	rc=$?
	[ $rc -eq 0 ] || fail "memobjs -S $src --hidden: exit $rc: $(head -3 "$T/rec.err")"
	"$PYTHON3" "$D/expect_hidden.py" "$T/rec" "$T/rec.json" >/dev/null || fail "$src: differs from the recording's files"
done
# (only this test's churn: the same test of another build may run beside it)
ls /dev/shm | grep -q "^memps-churn-$CHURN-" && fail "churn.py left files in /dev/shm"
finish
