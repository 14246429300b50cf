#!/bin/sh
# watch-tty.sh: memps -w on a terminal (tests/common/on_tty.py): each sample redrawn in place with plain ANSI sequences, cut to the window's height, the terminal restored at the end, on SIGINT and on SIGTERM, and around SIGTSTP (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
. "$MEMPS_TESTDIR/watch-lib.sh"
SETUP="${ESC}[?25l${ESC}[?7l"             # cursor hidden, no line wrapping

# tty NAME [on_tty.py options] COMMAND...: runs COMMAND on a pseudo-terminal; its output in $T/NAME.out,
# status in $RC.
tty() {
	tty_name=$1
	shift
	on_tty "$@" >"$T/$tty_name.out" 2>"$T/$tty_name.err" </dev/null
	RC=$?
}

tty two "$MEMPS" -w 0.2 -n 2 -p $$
[ $RC -eq 0 ] || fail "two samples: exit status $RC"
head -c ${#SETUP} "$T/two.out" | grep -qF "$SETUP" || fail "two samples: the terminal is not set up first"
[ "$(grep -o "${ESC}\[H" "$T/two.out" | wc -l)" -eq 3 ] || fail "two samples: not a home before each frame (and one to clear)"
[ "$(grep -o "${ESC}\[J" "$T/two.out" | wc -l)" -eq 2 ] || fail "two samples: the rest of the screen not cleared after each frame"
grep -q "sample 1 of 2 at .*${ESC}\[K" "$T/two.out" && grep -q "sample 2 of 2 at .*${ESC}\[K" "$T/two.out" ||
	fail "two samples: the headings are not each followed by a clear to the end of the line"
grep -q "dPSS" "$T/two.out" || fail "two samples: no dPSS column"
restored "$T/two.out" "two samples"

# A window of 10 lines: each frame 9 lines at most (the screen never scrolls), the cut said, TOTAL and
# the lines after it kept at the bottom.  The frame is larger than the renderers' flush size (16 kB:
# 120 more processes, wide rows), which must not write a part of it before the frame is made.
SLEEPS=
for _ in $(seq 120); do
	sleep 120 &
	SLEEPS="$SLEEPS $!"
done
trap 'kill $SLEEPS 2>/dev/null; cleanup_tmp' EXIT
tty small --rows 10 --cols 80 "$MEMPS" -w 0 -n 1 -b -o pss,private,shared,rss,uss,swap,swap_pss,pss_anon,pss_file,pss_shmem,cmdline
# shellcheck disable=SC2086
kill $SLEEPS 2>/dev/null
[ $RC -eq 0 ] || fail "small window: exit status $RC"
grep -q "${ESC}\[Hsample 1 of 1" "$T/small.out" || fail "small window: the frame does not start at home"
lines=$(tr -d '\r' <"$T/small.out" | sed "s/${ESC}\[[0-9;?]*[a-zA-Z]//g" | grep -c .)
[ "$lines" -le 9 ] || fail "small window: $lines lines in a window of 10"
grep -q "more lines: the window is too small" "$T/small.out" || fail "small window: the cut is not said"
tr -d '\r' <"$T/small.out" | sed "s/${ESC}\[[0-9;?]*[a-zA-Z]//g" | grep -v "^$" >"$T/small.lines"
sed -n "/more lines: the window is too small/{n;p;}" "$T/small.lines" | grep -q "^TOTAL " ||
	fail "small window: the TOTAL row does not follow the cut"

# Until a signal: SIGINT and SIGTERM restore the terminal, then end memps by that signal.
watch_signal INT 2 "$MEMPS" -w 0.2 -p $$
watch_signal TERM 15 "$MEMPS" -w 0.2 -p $$

# Ctrl-Z (SIGTSTP): the terminal restored, then set up again when memps goes on (here it is not stopped:
# as a session leader its process group is orphaned); later samples follow, SIGINT ends it restored.
rm -f "$T/pid"
: >"$T/tstp.out"
on_tty --pid-file "$T/pid" "$MEMPS" -w 0.2 -p $$ >"$T/tstp.out" 2>&1 </dev/null &
sp=$!
wait_until "SIGTSTP: no second sample" test -s "$T/pid"
wait_until "SIGTSTP: no second sample" grep -q "sample 2 at" "$T/tstp.out"
kill -TSTP "$(cat "$T/pid")"
# (a SIGCONT sent before the SIGTSTP is taken would discard it: wait for the restoring first)
wait_until "SIGTSTP: the terminal not restored" grep -qF "${ESC}[?25h" "$T/tstp.out"
kill -CONT "$(cat "$T/pid")"
n=$(grep -c "sample [0-9]* at" "$T/tstp.out")
wait_until "SIGTSTP: no sample after it" sh -c "[ \$(grep -c 'sample [0-9]* at' '$T/tstp.out') -gt $((n + 1)) ]"
kill -INT "$(cat "$T/pid")"
wait $sp
[ "$(grep -o "${ESC}\[?25[lh]" "$T/tstp.out" | tr -d "$ESC" | tr '\n' ' ')" = "[?25l [?25h [?25l [?25h " ] ||
	fail "SIGTSTP: the cursor not shown then hidden again, then shown at the end: $(grep -o "${ESC}\[?25[lh]" "$T/tstp.out" | tr -d "$ESC" | tr "\n" " ")"
restored "$T/tstp.out" SIGTSTP
finish
