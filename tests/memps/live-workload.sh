#!/bin/sh
# live-workload.sh: starts tests/common/workload and compares memps -p PIDS --json with /proc read by python (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

. "$top_srcdir/tests/common/workload.sh"
start_workload
wl_pid=$WL_PID
# shellcheck disable=SC2086
"$PYTHON3" "$MEMPS_TESTDIR/check-live.py" "$MEMPS" $WL_PIDS || fail "live workload"

# The workload cleans up after itself on SIGTERM: no temp dir, no SysV segment left.
stop_workload
rc=$?
[ $rc -eq 0 ] || fail "workload exited with $rc on SIGTERM"
shm_left=$(awk -v p="$wl_pid" 'NR > 1 && $5 == p' /proc/sysvipc/shm | wc -l)
[ "$shm_left" -eq 0 ] || fail "$shm_left SysV segments of the workload left"
finish
