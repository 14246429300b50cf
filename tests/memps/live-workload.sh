#!/bin/sh
# live-workload.sh: starts tests/common/workload and compares memps -p PIDS --json with /proc read by python (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

WL=$top_builddir/tests/common/workload
: >"$T/pids"
[ -x "$WL" ] || { echo "FAIL: $WL is not built"; exit 1; }
"$WL" >>"$T/pids" &
wl_pid=$!
trap 'kill -TERM $wl_pid 2>/dev/null; wait $wl_pid 2>/dev/null; cleanup_tmp' EXIT
i=0
while [ "$(wc -l <"$T/pids")" -lt 7 ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $wl_pid 2>/dev/null; then
		echo "FAIL: the workload did not start"
		exit 1
	fi
	sleep 0.1
done
"$PYTHON3" "$MEMPS_TESTDIR/check-live.py" "$MEMPS" $(cat "$T/pids") || fail "live workload"

# The workload cleans up after itself on SIGTERM: no temp dir, no SysV segment left.
kill -TERM $wl_pid
wait $wl_pid
rc=$?
[ $rc -eq 0 ] || fail "workload exited with $rc on SIGTERM"
shm_left=$(awk -v p="$wl_pid" 'NR > 1 && $5 == p' /proc/sysvipc/shm | wc -l)
[ "$shm_left" -eq 0 ] || fail "$shm_left SysV segments of the workload left"
finish
