#!/bin/sh
# watch.sh: memsys -w: JSON Lines, text and CSV samples whose changes are the differences of the printed sizes (checked in Python), a meminfo changed between two samples under --proc-root, the terminal redrawn and restored on a pseudo-terminal, usage errors, an unprivileged run (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps
CHECK=$top_srcdir/tests/memsys/check-watch.py
. "$top_srcdir/tests/memps/watch-lib.sh"

run_memps json -w 0.2 -n 3 --json
expect_rc json 0
"$PYTHON3" "$CHECK" json "$T/json.out" 3 || fail "JSON Lines"
sed '2s/"delta_bytes":\([0-9-]\)/"delta_bytes":1\1/' "$T/json.out" >"$T/bad.json"
! "$PYTHON3" "$CHECK" json "$T/bad.json" 3 >/dev/null || fail "the check took a wrong delta"

run_memps text -w 0.1 -n 3 -o total,free,anon
expect_rc text 0
[ "$(grep -c '^sample [1-3] of 3 at [0-9T:.-]*Z, every 0.1 s$' "$T/text.out")" -eq 3 ] || fail "text: not 3 headings"
[ "$(grep -c '^KIND  *SIZE  *dSIZE  *dSTART MEMINFO$' "$T/text.out")" -eq 3 ] || fail "text: not 3 headers"
[ "$(grep -cE '^(total|free|anon) ' "$T/text.out")" -eq 9 ] || fail "text: not the 3 kinds of -o in each sample"
grep -qE '^total  *[0-9.]+[kMGT]? +0B  *0B MemTotal$' "$T/text.out" || fail "text: MemTotal moved"
! grep -q "$ESC" "$T/text.out" || fail "text: escape sequences written to a file"

run_memps csv -w 0.1 -n 3 --csv
expect_rc csv 0
"$PYTHON3" "$CHECK" csv "$T/csv.out" 3 || fail "CSV"

# A recording read with --proc-root, its meminfo changed by the test while memsys waits for the second
# sample: free grows by 1000 kB and other (MemTotal less the known kinds) shrinks by as much.
cp -R "$FIXTURES/debian12-workload" "$T/proc"
: >"$T/fx.out"
"$MEMPS" --proc-root "$T/proc" -w 3 -n 2 --json >"$T/fx.out" 2>"$T/fx.err" &
mp=$!
wait_until "no first sample" grep -q . "$T/fx.out"
sed -i 's/^MemFree:  *22136116 kB$/MemFree:        22137116 kB/' "$T/proc/meminfo"
wait $mp || fail "--proc-root: exit status $?"
"$PYTHON3" - "$T/fx.out" <<'PY' || fail "--proc-root: the change made"
import json, sys
a, b = (json.loads(l) for l in open(sys.argv[1]))
assert a["samples"][0]["free_bytes"] == 22136116 * 1024, a["samples"][0]["free_bytes"]
w = b["watch"]
assert w["free"] == {"bytes": 22137116 * 1024, "delta_bytes": 1024000, "growth_bytes": 1024000}, w["free"]
assert w["other"]["delta_bytes"] == -1024000 and w["total"]["delta_bytes"] == 0, (w["other"], w["total"])
# no DIR/../sys/block beside this recording: zram is unknown, never 0
assert w["zram"] == {"bytes": None, "delta_bytes": None, "growth_bytes": None}, w["zram"]
assert all(v["delta_bytes"] == 0 for k, v in w.items() if k not in ("free", "other", "avail", "zram")), w
PY

# On a terminal: redrawn in place, restored at the end and on SIGINT.
on_tty "$MEMPS" -w 0.1 -n 2 >"$T/tty.out" 2>&1 </dev/null || fail "tty: exit status $?"
head -c 12 "$T/tty.out" | grep -qF "${ESC}[?25l${ESC}[?7l" || fail "tty: not set up"
[ "$(grep -o "${ESC}\[J" "$T/tty.out" | wc -l)" -eq 2 ] || fail "tty: not 2 frames"
restored "$T/tty.out" tty
watch_signal INT 2 "$MEMPS" -w 0.1

# usage errors
for args in "-w 1 -d 1" "-w 1 -S $FIXTURES/debian12-workload" "-w 1 --explain" "-w 1 --cgroups" "-w -1" "-w 1 -n 0"; do
	# shellcheck disable=SC2086
	run_memps usage $args
	expect_rc usage 2
	[ ! -s "$T/usage.out" ] || fail "$args: output on a usage error"
done

# an unprivileged user: meminfo is everyone's
need_test_user memps-test
UMEMSYS=$(user_bin memps-test "$MEMPS") || exit 1
runuser -u memps-test -- "$UMEMSYS" -w 0.1 -n 2 --json >"$T/user.out" 2>"$T/user.err" || fail "unprivileged: exit status $?"
"$PYTHON3" "$CHECK" json "$T/user.out" 2 || fail "unprivileged JSON Lines"
finish
