#!/bin/sh
# om.sh: memps --format=openmetrics: valid for promtool and the OpenMetrics parser, every value from an independent model, hostile names, --top, unknown figures absent, live and unprivileged (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memps/om-lib.sh"
need_memps
need_om_tools

"$PYTHON3" "$MEMPS_TESTDIR/om-fixture.py" "$FIXTURES/debian12-workload" "$T/hostile" || { echo "FAIL: om-fixture.py"; exit 99; }
"$PYTHON3" "$MEMPS_TESTDIR/make-hostile.py" "$T/h" >/dev/null || { echo "FAIL: make-hostile.py"; exit 99; }

# Fixtures: the hostile copy (names with quotes, backslashes, ESC, C1, newlines, invalid UTF-8; two
# jobs whose labels read the same), old kernels (no SwapPss, no hugetlb fields: no series), a
# 64 kB-page machine, Android, unreadable processes (sums), odd names; --top bounds the processes.
for case in "$T/hostile 10" "$T/hostile 3" "$T/hostile 0" "$T/hostile 100000" \
	"$FIXTURES/debian12-workload 10" "$FIXTURES/linux-3.2 10" "$FIXTURES/linux-4.4 2" \
	"$FIXTURES/arm64-64k 5" "$FIXTURES/android-style 10" "$T/h/sums 4" "$T/h/odd-names 10" "$T/h/backslash 10"; do
	set -- $case
	n=$(basename "$1")-$2
	run_memps "$n" -S "$1" --format=openmetrics --top="$2"
	expect_rc "$n" 0
	"$PYTHON3" "$MEMPS_TESTDIR/om-ps-check.py" "$T/$n.out" "$1" "$2" >"$T/$n.cmp" 2>&1 ||
		{ fail "$n: memps --format=openmetrics -S $1 --top=$2"; grep -v '^ok' "$T/$n.cmp" | head -20; }
done

# The default --top is 10; old kernels lack SwapPss and the hugetlb fields: no such series, never 0.
run_memps deftop -S "$T/hostile" --format=openmetrics
[ "$(grep -c '^memps_pss_bytes{' "$T/deftop.out")" -eq 10 ] || fail "default --top: $(grep -c '^memps_pss_bytes{' "$T/deftop.out") processes, expected 10"
run_memps old -S "$FIXTURES/linux-3.2" --format=openmetrics
grep -qE '^memps_(swap_pss|hugetlb|job_swap_pss|total_swap_pss)_bytes' "$T/old.out" &&
	fail "linux-3.2: a swap_pss or hugetlb series although the kernel lacks the field"
grep -q '^memps_pss_bytes{' "$T/old.out" || fail "linux-3.2: no memps_pss_bytes"
# An unreadable process has no series of its own, and is counted.
grep -q '^memps_processes{state="unreadable"} 1$' "$T/old.out" || fail "linux-3.2: unreadable count"
grep -q 'pid="1"' "$T/old.out" && fail "linux-3.2: a series for unreadable pid 1"

# --format spells --json and --csv too, byte for byte; text is the default.
run_memps fj -S "$FIXTURES/debian12-workload" --format=json
run_memps j -S "$FIXTURES/debian12-workload" --json
cmp -s "$T/fj.out" "$T/j.out" || fail "--format=json differs from --json"
run_memps fc -S "$FIXTURES/debian12-workload" --format=csv
run_memps c -S "$FIXTURES/debian12-workload" --csv
cmp -s "$T/fc.out" "$T/c.out" || fail "--format=csv differs from --csv"
run_memps ft -S "$FIXTURES/debian12-workload" --format=text
run_memps t -S "$FIXTURES/debian12-workload"
cmp -s "$T/ft.out" "$T/t.out" || fail "--format=text differs from the default"
run_memps fjj -S "$FIXTURES/debian12-workload" --format=json --json
expect_rc fjj 0

# Refusals (exit status 2, nothing on stdout, the option named).
for bad in "--format=yaml|--format takes text, json, csv or openmetrics" \
	"--format=csv --json|--format=csv and --json exclude each other" \
	"--format=openmetrics --csv|exclude each other" \
	"--format=openmetrics -t none|no --tree" "--format=openmetrics -g user|no --group" \
	"--format=openmetrics -o pss|no --columns" "--format=openmetrics -s rss|no --sort" \
	"--format=openmetrics -r|no --reverse" "--format=openmetrics --top=-1|--top takes a count" \
	"--format=openmetrics --top=x|--top takes a count" "--top=3|--top goes with --format=openmetrics" \
	"--format=openmetrics -u k|--units is for text" "--format=openmetrics --cross-check|no --format=openmetrics" \
	"--output=$T/x.prom --cross-check|no --output"; do
	args=${bad%%|*}
	msg=${bad#*|}
	# shellcheck disable=SC2086
	run_memps refuse -S "$FIXTURES/debian12-workload" $args
	expect_rc refuse 2
	grep -qF -- "$msg" "$T/refuse.err" || fail "memps $args: stderr lacks '$msg': $(cat "$T/refuse.err")"
	[ -s "$T/refuse.out" ] && fail "memps $args: output despite the error"
done
[ -e "$T/x.prom" ] && fail "a refused --output made its file"
for tool in memmaps memobjs; do
	"$top_builddir/$tool" -S "$FIXTURES/debian12-workload" --format=openmetrics 24565 >"$T/$tool.out" 2>"$T/$tool.err"
	[ $? -eq 2 ] || fail "$tool --format=openmetrics: not refused with status 2"
	grep -q "no --format=openmetrics" "$T/$tool.err" || fail "$tool --format=openmetrics: $(cat "$T/$tool.err")"
done
"$top_builddir/memmaps" -S "$FIXTURES/debian12-workload" --format=csv 24565 >/dev/null 2>"$T/mm.err"
[ $? -eq 2 ] || fail "memmaps --format=csv: not refused as --csv is"

# Filters apply: -p keeps one process and its jobs.
run_memps onep -S "$T/hostile" --format=openmetrics -p 24585
expect_rc onep 0
om_valid onep "$T/onep.out"
[ "$(grep -c '^memps_pss_bytes{' "$T/onep.out")" -eq 1 ] && grep -q '^memps_pss_bytes{pid="24585"' "$T/onep.out" ||
	fail "-p 24585: $(grep '^memps_pss_bytes' "$T/onep.out")"

# Live: as root, and as a user who cannot read root's processes (they are counted, without series).
run_memps live --format=openmetrics
expect_rc live 0
om_valid live "$T/live.out"
grep -qE '^memps_processes\{state="ok"\} [1-9]' "$T/live.out" || fail "live: no measured process"
grep -qE '^memps_total_pss_bytes [1-9]' "$T/live.out" || fail "live: no total PSS"
need_test_user memps-om-test
bin=$(user_bin memps-om-test "$MEMPS") || exit 1
runuser -u memps-om-test -- "$bin" --format=openmetrics --top=1000 >"$T/user.out" 2>"$T/user.err"
RC=$?
no_crash user "$RC" "$T/user.err"
expect_rc user 0
om_valid user "$T/user.out"
grep -qE '^memps_processes\{state="unreadable"\} [1-9]' "$T/user.out" || fail "unprivileged: no unreadable process counted"
grep -q '^memps_pss_bytes{pid="1",' "$T/user.out" && fail "unprivileged: a series for pid 1 (root's, unreadable)"
grep -qE '^memps_job_unmeasured_processes\{job="/"\} [1-9]' "$T/user.out" || fail "unprivileged: the root job is not partial"
finish
