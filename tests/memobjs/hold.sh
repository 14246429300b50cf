# hold.sh: starts tests/memobjs/hold-objects for the --hidden tests, sourced after lib.sh (test layer; POSIX sh)
#
# start_helper: runs $HOLD with its description in $T/hold.out; returns non-zero (stderr shown) when it
# could not create its objects or said nothing for a minute (a loaded machine is slow, not broken).
# The helper lives as long as its stdin (a fifo held open on fd 9) does: stop_helper closes it and
# waits; only the helper started here is ever ended.
start_helper() {
	mkfifo "$T/in"
	"$HOLD" <"$T/in" >"$T/hold.out" 2>"$T/hold.err" &
	HOLD_PID=$!
	exec 9>"$T/in"
	trap 'stop_helper; kill "$HOLD_PID" 2>/dev/null; cleanup_tmp' EXIT
	i=0
	while [ ! -s "$T/hold.out" ] && [ $i -lt 1200 ]; do
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$T/hold.out" ] || { cat "$T/hold.err"; return 1; }
}

stop_helper() {
	exec 9>&-
	wait "$HOLD_PID" 2>/dev/null
}
