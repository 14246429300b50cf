#!/bin/sh
# self-pattern.sh: live, a PATTERN never matches memps itself (its own command line holds the pattern), as pgrep (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

pat="memps-self-test-$$"
# The reproducer: `memps 1234` listed only memps.  Nothing else matches: no row but TOTAL.
run_memps alone -t none -o pid,cmdline "$pat"
expect_rc alone 0
if grep -q '^p:' "$T/alone.out"; then
	fail "memps matched its own pattern: $(grep '^p:' "$T/alone.out")"
fi
grep -Eq '^TOTAL +0 processes$' "$T/alone.out" || fail "TOTAL of no process: $(grep TOTAL "$T/alone.out")"

# Another process whose command line holds the pattern is listed, memps still not.
"$PYTHON3" -c 'import time; time.sleep(120)' "$pat" &
other=$!
# (until its command line is Python's: the shell's child before exec holds the test's)
i=0
until tr '\0' ' ' <"/proc/$other/cmdline" 2>/dev/null | grep -q -- "$pat"; do
	i=$((i + 1))
	[ $i -le 600 ] || { fail "the process holding the pattern did not start"; break; }
	sleep 0.1
done
run_memps other -t none -o pid,cmdline "$pat"
kill "$other" 2>/dev/null
wait "$other" 2>/dev/null
expect_rc other 0
got=$(awk '$1 ~ /^p:/ { print $1 }' "$T/other.out" | tr '\n' ' ')
[ "$got" = "p:$other " ] || fail "rows $got, expected p:$other only: $(cat "$T/other.out")"

# Not live: a recording has no memps in it, so nothing is left out (pid 1 of the fixture matches).
run_memps snap -S "$FIXTURES/debian12-workload" -t none -o pid process_api
grep -q '^p:1 ' "$T/snap.out" || fail "-S: the pattern lost pid 1: $(cat "$T/snap.out")"
finish
