# watch-lib.sh: what the -w tests of memps and memsys share: waiting for a file, and a watch on a terminal stopped by a signal (test layer; POSIX sh, sourced after lib.sh)
# shellcheck disable=SC2154 # sourced: T comes from lib.sh
ESC=$(printf '\033')
RESTORE="${ESC}[0m${ESC}[?7h${ESC}[?25h"     # attributes, wrapping and cursor back

# wait_until WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds, at most 20 s; then the test
# fails, saying WHAT did not happen.
wait_until() {
	wu_what=$1
	shift
	wu_i=0
	while ! "$@" 2>/dev/null; do
		wu_i=$((wu_i + 1))
		[ $wu_i -le 200 ] || { echo "FAIL: $wu_what"; exit 1; }
		sleep 0.1
	done
}

# restored FILE NAME: FILE ends with the sequence that restores the terminal.
restored() {
	tail -c ${#RESTORE} "$1" | grep -qF "$RESTORE" || fail "$2: the terminal is not restored at the end"
}

# watch_signal SIG NUM TOOL ARGS...: TOOL -w ARGS on a terminal (on_tty), stopped by signal SIG
# (number NUM) once its second sample is out: it ends by that signal, the terminal restored.
watch_signal() {
	ws_sig=$1
	ws_want=$((128 + $2))
	shift 2
	rm -f "$T/pid"
	: >"$T/$ws_sig.out"
	on_tty --pid-file "$T/pid" "$@" >"$T/$ws_sig.out" 2>&1 </dev/null &
	ws_sp=$!
	wait_until "SIG$ws_sig: not started" test -s "$T/pid"
	wait_until "SIG$ws_sig: no second sample" grep -q "sample 2 at" "$T/$ws_sig.out"
	kill -"$ws_sig" "$(cat "$T/pid")"
	wait $ws_sp
	ws_rc=$?
	[ $ws_rc -eq $ws_want ] || fail "SIG$ws_sig: exit status $ws_rc, expected $ws_want"
	restored "$T/$ws_sig.out" "SIG$ws_sig"
}
