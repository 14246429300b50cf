# workload.sh: the live tests' set-up: starts tests/common/workload, waits for its pids, stops it on exit (test layer; POSIX sh, sourced after lib.sh)
#
#   . "$top_srcdir/tests/common/lib.sh"
#   . "$top_srcdir/tests/common/workload.sh"
#   start_workload                 # WL_PID: the workload's first process; WL_PIDS: all its pids
#   ...
#   stop_workload || fail "..."    # SIGTERM, then its exit status (the workload cleans up on SIGTERM)
# The EXIT trap set by start_workload stops the workload if the test ends first.
# shellcheck disable=SC2034,SC2154 # sourced: top_builddir comes from lib.sh, WL_PIDS is for the caller

WL=$top_builddir/tests/common/workload
WL_NPIDS=7
WL_PID=
WL_PIDS=

# start_workload: a missing binary or a workload that does not print its pids within 60 s is a failure
# (a sanitizer build on a loaded machine is slow, not broken).
start_workload() {
	[ -x "$WL" ] || { echo "FAIL: $WL is not built"; exit 1; }
	: >"$T/pids"
	"$WL" >>"$T/pids" &
	WL_PID=$!
	trap 'stop_workload >/dev/null 2>&1; cleanup_tmp' EXIT
	wl_i=0
	while [ "$(wc -l <"$T/pids")" -lt "$WL_NPIDS" ]; do
		wl_i=$((wl_i + 1))
		if [ $wl_i -gt 600 ] || ! kill -0 "$WL_PID" 2>/dev/null; then
			echo "FAIL: the workload did not start"
			exit 1
		fi
		sleep 0.1
	done
	WL_PIDS=$(tr '\n' ' ' <"$T/pids")
}

# stop_workload: SIGTERM to the workload, then returns its exit status (0: it cleaned up); once only.
stop_workload() {
	[ -n "$WL_PID" ] || return 0
	kill -TERM "$WL_PID" 2>/dev/null
	wait "$WL_PID"
	wl_rc=$?
	WL_PID=
	return $wl_rc
}
