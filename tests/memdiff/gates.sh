#!/bin/sh
# gates.sh: memdiff's growth limits (--max-growth, --budget) at their exact boundaries computed from the raw files, each target kind, the exit statuses, bad limits and budget lines (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/memdiff/lib-diff.sh"
make_pairs
cd "$P" || exit 99

# target SPEC OLD NEW: "OLD NEW" sums of a limit's target from the raw files (check-diff.py --target)
target() {
	"$PYTHON3" "$DIFF_TESTDIR/check-diff.py" --target "$@"
}

# boundary NAME SPEC_TARGET OLD NEW: the growth limit at exactly the growth passes (not above), one byte
# (one millionth) less fails with status 4, as an absolute size and as a percentage.
boundary() {
	bn=$1 tgt=$2 o=$3 n=$4
	sums=$(target "$tgt" "$o" "$n")
	set -- $sums
	[ $# -eq 2 ] || { fail "$bn: no sums for $tgt ($sums)"; return; }
	old=$1 new=$2 d=$(($2 - $1))
	[ "$d" -gt 1 ] || { fail "$bn: $tgt did not grow ($sums)"; return; }
	run_diff "$bn-abs-pass" "$o" "$n" --max-growth "$tgt=+$d"
	expect_rc "$bn-abs-pass" 0
	expect_out "$bn-abs-pass" ": pass"
	run_diff "$bn-abs-fail" "$o" "$n" --max-growth "$tgt=$((d - 1))"
	expect_rc "$bn-abs-fail" 4
	expect_out "$bn-abs-fail" ": exceeded"
	expect_err "$bn-abs-fail" "1 of 1 limits failed"
	[ "$old" -gt 0 ] || return
	# the smallest percentage (4 decimals) the growth does not exceed, and the one below it
	ppm=$("$PYTHON3" -c "import sys; o, d = int(sys.argv[1]), int(sys.argv[2]); print(-(-d * 1000000 // o))" "$old" "$d")
	pct() { printf '%d.%04d%%' $(($1 / 10000)) $(($1 % 10000)); }
	run_diff "$bn-pct-pass" "$o" "$n" --max-growth "$tgt=+$(pct "$ppm")"
	expect_rc "$bn-pct-pass" 0
	run_diff "$bn-pct-fail" "$o" "$n" --max-growth "$tgt=+$(pct $((ppm - 1)))"
	expect_rc "$bn-pct-fail" 4
}

boundary total pss old grow
boundary total-uss uss old grow
boundary job job:/memps-fixture old grow
boundary job-uss uss:job:/memps-fixture old grow
boundary program program:workload old grow
boundary median program:workload old n1 n2 n3
boundary kernel swap_pss:program:sleep old kernel

# an appeared program grows from 0: any percentage is exceeded, a size above it is not
run_diff appeared old grow --max-growth program:newcomer=+1000%
expect_rc appeared 4
run_diff appeared-abs old grow --max-growth program:newcomer=2M
expect_rc appeared-abs 0
# a shrink never exceeds a limit, not even 0
run_diff shrink grow old --max-growth pss=0 --max-growth job:/memps-fixture=0%
expect_rc shrink 0
# a target on neither side fails (a typo in a budget must not pass)
run_diff nomatch old grow --max-growth job:/no/such=+1G
expect_rc nomatch 4
expect_out nomatch "job /no/such pss on neither side: no_match"

# unknown figures: the gate fails unless --unknown=pass
run_diff unknown old unreadable --max-growth pss=+100%
expect_rc unknown 4
expect_out unknown "unknown (fails)"
run_diff unknown-pass old unreadable --max-growth pss=+100% --unknown=pass
expect_rc unknown-pass 0
run_diff unknown-job old unreadable --max-growth job:/memps-fixture/other=+3M --max-growth job:/memps-fixture=+100%
expect_rc unknown-job 4
expect_err unknown-job "1 of 2 limits failed"

# a budget file: comments, blank lines, a trailing comment; repeatable with --max-growth
cat >"$T/budget" <<'B'
# memory budget of the workload
pss=+20%

job:/memps-fixture=+4M   # the fixture's jobs
	program:newcomer=+2M
B
run_diff budget old grow --budget "$T/budget"
expect_rc budget 0
expect_out budget "limit job:/memps-fixture=+4M ($T/budget:4): job /memps-fixture pss"
expect_out budget "limit program:newcomer=+2M ($T/budget:5)"
[ "$(grep -c '^limit ' "$T/budget.out")" -eq 3 ] || fail "budget: not 3 limits"
run_diff budget-fail old grow --budget "$T/budget" --max-growth program:workload=+1k
expect_rc budget-fail 4
run_diff budget-stdin old grow --budget - <"$T/budget"
expect_rc budget-stdin 0
expect_out budget-stdin "limit job:/memps-fixture=+4M (stdin:4)"

# JSON and CSV carry the verdicts
run_diff json old grow --json --budget "$T/budget" --max-growth pss=0
expect_rc json 4
"$PYTHON3" - "$T/json.out" <<'PY' || fail "json: the limits"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "fail", d["result"]
v = [(l["limit"], l["verdict"], l["fails"]) for l in d["limits"]]
assert v == [("pss=0", "exceeded", True), ("pss=+20%", "pass", False), ("job:/memps-fixture=+4M", "pass", False),
             ("program:newcomer=+2M", "pass", False)], v
l = d["limits"][0]
assert l["max_growth_bytes"] == 0 and l["max_growth_ppm"] is None and l["delta_bytes"] == l["new_bytes"] - l["old_bytes"] > 0
assert d["limits"][1]["max_growth_ppm"] == 200000
PY
run_diff json-none old grow --json
grep -q '"limits":\[\],"result":null}' "$T/json-none.out" || fail "json: no limits, result null"
run_diff csv old grow --csv --max-growth pss=0
expect_rc csv 4
expect_err csv "limit pss=0 (--max-growth): total pss"
grep -q '^limit' "$T/csv.out" && fail "csv: a verdict line in the CSV"

# bad limits and options: status 2, the message naming what is wrong
bad() {
	name=$1 want=$2
	shift 2
	run_diff "$name" "$@"
	expect_rc "$name" 2
	expect_err "$name" "$want"
}
bad no-eq "bad limit 'pss': expected TARGET=LIMIT" old grow --max-growth pss
bad bad-target "bad limit 'rss=+1M': the target is" old grow --max-growth rss=+1M
bad bad-size "bad limit 'pss=12Q': the limit is a size" old grow --max-growth pss=12Q
bad bad-pct "a percentage is a number with at most 4 decimals" old grow --max-growth pss=1.23456%
bad empty-limit "bad limit 'pss=+'" old grow --max-growth pss=+
bad rel-job "a job is a cgroup path starting with '/'" old grow --max-growth job:system.slice=+1M
bad unknown-word "--unknown takes fail or pass" old grow --unknown=maybe
bad one-side "expected OLD NEW [NEW...]" old
bad snapshot "no -S: name OLD and NEW as arguments" -S old grow old
bad two-stdin "stdin (-) can be one side only" - -
bad no-option "Unknown option --max" old grow --max=3
bad json-csv "--json and --csv exclude each other" --json --csv old grow
bad bytes-units "--bytes and --units exclude each other" -b -u M old grow
bad units-json "--units is for text" -u M --json old grow
run_diff version -V
expect_rc version 0
grep -q '^memps ' "$T/version.out" || fail "-V: $(cat "$T/version.out")"
run_diff units -u k old grow --max-growth pss=+5%
tr -s ' ' <"$T/units.out" | grep -q '^p:newcomer 2048k +2048k ' ||
	fail "-u k: the appeared program's PSS in k: $(grep '^p:newcomer' "$T/units.out")"
printf 'pss=+5%%\n\n# fine\njob:/x=+1M\nprogram:x=lots\n' >"$T/bad-budget"
bad budget-line "$T/bad-budget:5: bad limit 'program:x=lots'" old grow --budget "$T/bad-budget"
run_diff budget-absent old grow --budget "$T/no-budget"
expect_rc budget-absent 1
expect_err budget-absent "$T/no-budget"

# malformed input is status 3 even when every limit passes
cp -r old "$T/garbled"
sed -i 's/^Pss: .*/Pss: lots kB/' "$T/garbled/24585/smaps_rollup"
run_diff garbled old "$T/garbled" --max-growth job:/process_api=+1M
expect_rc garbled 3
expect_err garbled "24585/smaps_rollup"
finish
