#!/bin/sh
# watch.sh: memps -w not on a tty: JSON Lines whose deltas are the differences of the printed values (checked in Python), a growing process first with --sort=growth, processes that exit or start marked vanished or new, text and CSV samples (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
WL=$top_builddir/tests/common/workload
[ -x "$WL" ] || { echo "FAIL: $WL is not built"; exit 1; }
. "$MEMPS_TESTDIR/watch-lib.sh"
CHECK=$MEMPS_TESTDIR/check-watch.py
TAG=memps-watch-test-$$
KIDS=

# spawn NAME ARGS...: a `workload grow ARGS TAG` in the background, its pid in $NAME once it has started.
spawn() {
	var=$1
	shift
	rm -f "$T/$var.pid"
	"$WL" grow "$@" "$TAG" >"$T/$var.pid" &
	wait_until "workload grow did not start" test -s "$T/$var.pid"
	eval "$var=\$(cat \"\$T/\$var.pid\")"
	KIDS="$KIDS $(cat "$T/$var.pid")"
}
trap 'kill $KIDS 2>/dev/null; cleanup_tmp' EXIT

# has_lines FILE N: FILE has N lines or more.
has_lines() {
	[ "$(wc -l <"$1")" -ge "$2" ]
}

spawn GROW 4 60 100     # 4 MiB every 0.1 s for 6 s: through the JSON run
spawn IDLE 0 0 0
start=$(sed 's/^[0-9]* (.*) //' "/proc/$GROW/stat" | cut -d' ' -f20) # field 22 after the comm

# JSON Lines, the growing process first by growth; deltas recomputed from the printed PSS.
run_memps json -w 0.5 -n 3 --json --sort=growth "$TAG"
expect_rc json 0
"$PYTHON3" "$CHECK" json "$T/json.out" 3 --grower "$GROW" --sorted --start "$GROW=$start" || fail "JSON Lines"
# the check can fail: one delta off by a byte, the growing process not first
sed '3s/"pss_delta_bytes":\([0-9]\)/"pss_delta_bytes":1\1/' "$T/json.out" >"$T/bad.json"
! "$PYTHON3" "$CHECK" json "$T/bad.json" 3 >/dev/null || fail "the check took a wrong delta"
! "$PYTHON3" "$CHECK" json "$T/json.out" 3 --grower "$IDLE" --sorted >/dev/null || fail "the check took a wrong order"

# --sort=growth:uss follows USS (dUSS, uss_*_bytes); -s rss follows RSS, whose total does not add up
# (unknown, null).
run_memps uss -w 0.5 -n 2 --json --sort=growth:uss "$TAG"
expect_rc uss 0
"$PYTHON3" "$CHECK" json "$T/uss.out" 2 --metric uss --grower "$GROW" --sorted || fail "--sort=growth:uss"
run_memps rss -w 0 -n 2 --json -s rss "$TAG"
expect_rc rss 0
"$PYTHON3" "$CHECK" json "$T/rss.out" 2 --metric rss || fail "-s rss"
"$PYTHON3" -c 'import json, sys
t = json.loads(open(sys.argv[1]).read().splitlines()[1])["watch"]["total"]
assert t == {"rss_bytes": None, "rss_delta_bytes": None, "rss_growth_bytes": None}, t' "$T/rss.out" ||
	fail "-s rss: a total of RSS"
LC_ALL=C "$MEMPS" -w 0 -n 1 -s uss "$TAG" | grep -q "^TASK .* dUSS  *dSTART NAME" || fail "text: no dUSS with -s uss"

# A process that exits is marked vanished once, one that starts is marked new.
spawn GONE 0 0 0
: >"$T/churn.out"
"$MEMPS" -w 1 -n 4 --json "$TAG" >"$T/churn.out" 2>"$T/churn.err" &
mp=$!
wait_until "no first sample" has_lines "$T/churn.out" 1
kill "$GONE"
spawn NEW 0 0 0
wait $mp
rc=$?
[ $rc -eq 0 ] || fail "churn: exit status $rc"
"$PYTHON3" "$CHECK" json "$T/churn.out" 4 --vanished "$GONE" --new "$NEW" || fail "vanished and new"

# Text: a heading per sample, the marks in the rows, no escape sequence off a tty.
spawn GONE2 0 0 0
: >"$T/text.out"
"$MEMPS" -w 1 -n 3 "$TAG" >"$T/text.out" 2>"$T/text.err" &
mp=$!
wait_until "no first text sample" has_lines "$T/text.out" 3
kill "$GONE2"
spawn NEW2 0 0 0
wait $mp
[ "$(grep -c '^sample [1-3] of 3 at [0-9T:.-]*Z, every 1 s$' "$T/text.out")" -eq 3 ] || fail "text: not 3 headings"
grep -q "^TASK  *PSS  *PRIVATE  *SHARED  *dPSS  *dSTART NAME" "$T/text.out" || fail "text: no dPSS and dSTART header (C locale)"
grep -q "^p:$GONE2 .*\[vanished\]" "$T/text.out" || fail "text: $GONE2 not marked [vanished]"
grep -q "^p:$NEW2 .*\[new\]" "$T/text.out" || fail "text: $NEW2 not marked [new]"
[ "$(grep -c "^p:$GONE2 " "$T/text.out")" -le 3 ] || fail "text: a vanished process listed after it went"
! grep -q "$(printf '\033')" "$T/text.out" || fail "text: escape sequences written to a file"

LC_ALL=C.UTF-8 "$MEMPS" -w 0 -n 1 "$TAG" | grep -q "^TASK .* dPSS  *ΔSTART NAME" || fail "text: no ΔSTART in UTF-8"

# --sort=growth in text: the growing process heads the rows of the last sample.
kill "$GROW"
spawn GROW 4 60 100
run_memps growth -w 0.5 -n 2 --sort=growth "$TAG"
expect_rc growth 0
[ "$(awk '/^TASK/ { getline; row = $1 } END { print row }' "$T/growth.out")" = "p:$GROW" ] ||
	fail "text --sort=growth: $GROW not first"

# CSV: one header, then each sample's rows with its number and time.
run_memps csv -w 0.2 -n 3 --csv "$TAG"
expect_rc csv 0
"$PYTHON3" "$CHECK" csv "$T/csv.out" 3 || fail "CSV"
finish
