#!/bin/sh
# watch-tty.sh: memps -w on a terminal (util-linux script): each sample redrawn in place with plain ANSI sequences, cut to the window's height, the terminal restored at the end, on SIGINT and on SIGTERM (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
command -v script >/dev/null 2>&1 || { echo "FAIL: script (util-linux) is missing"; exit 1; }
ESC=$(printf '\033')
SETUP="$ESC[?25l$ESC[?7l"             # cursor hidden, no line wrapping
RESTORE="$ESC[0m$ESC[?7h$ESC[?25h"     # attributes, wrapping and cursor back

# on_tty NAME COMMAND: runs COMMAND on a pseudo-terminal; its output in $T/NAME.out, status in $RC.
on_tty() {
	script -qec "$2" /dev/null >"$T/$1.out" 2>"$T/$1.err" </dev/null
	RC=$?
}

# restored NAME: the output ends with the restoring sequence.
restored() {
	tail -c ${#RESTORE} "$T/$1.out" | grep -qF "$RESTORE" || fail "$1: the terminal is not restored at the end"
}

on_tty two "'$MEMPS' -w 0.2 -n 2 -p $$"
[ $RC -eq 0 ] || fail "two samples: exit status $RC"
head -c ${#SETUP} "$T/two.out" | grep -qF "$SETUP" || fail "two samples: the terminal is not set up first"
[ "$(grep -o "$ESC\[H" "$T/two.out" | wc -l)" -eq 3 ] || fail "two samples: not a home before each frame (and one to clear)"
[ "$(grep -o "$ESC\[J" "$T/two.out" | wc -l)" -eq 2 ] || fail "two samples: the rest of the screen not cleared after each frame"
grep -q "sample 1 of 2 at .*$ESC\[K" "$T/two.out" && grep -q "sample 2 of 2 at .*$ESC\[K" "$T/two.out" ||
	fail "two samples: the headings are not each followed by a clear to the end of the line"
grep -q "dPSS" "$T/two.out" || fail "two samples: no dPSS column"
restored two

# A window of 6 lines: each frame 5 lines at most (the screen never scrolls), the cut said.
on_tty small "stty rows 6 cols 80; '$MEMPS' -w 0 -n 1"
[ $RC -eq 0 ] || fail "small window: exit status $RC"
lines=$(tr -d '\r' <"$T/small.out" | sed "s/$ESC\[[0-9;?]*[a-zA-Z]//g" | grep -c .)
[ "$lines" -le 5 ] || fail "small window: $lines lines in a window of 6"
grep -q "more lines: the window is too small" "$T/small.out" || fail "small window: the cut is not said"

# Until a signal: SIGINT and SIGTERM restore the terminal, then end memps by that signal.
for sig in INT:2 TERM:15; do
	num=${sig#*:}
	sig=${sig%:*}
	: >"$T/pid"
	script -qec "sh -c 'echo \$\$ >\"$T/pid\"; exec \"$MEMPS\" -w 0.2 -p $$'" /dev/null >"$T/$sig.out" 2>&1 </dev/null &
	sp=$!
	i=0
	while ! grep -q "sample 2 at" "$T/$sig.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 200 ] || { fail "SIG$sig: no second sample"; break; }
		sleep 0.1
	done
	kill -"$sig" "$(cat "$T/pid")"
	wait $sp
	rc=$?
	want=$((128 + num))
	[ $rc -eq $want ] || fail "SIG$sig: exit status $rc, expected $want"
	restored "$sig"
done
finish
