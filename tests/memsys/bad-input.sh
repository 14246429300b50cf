#!/bin/sh
# bad-input.sh: memsys on garbled meminfo, no MemTotal, values near 2^64, no meminfo, bad options: a clear error and the documented status, never a crash (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps

# case NAME STATUS PATTERN: a recording whose meminfo is stdin; the run exits STATUS and says PATTERN.
case_meminfo() {
	mkdir -p "$T/$1" && cat >"$T/$1/meminfo"
	run_memps "$1" -S "$T/$1"
	expect_rc "$1" "$2"
	grep -q -- "$3" "$T/$1.err" || fail "$1: stderr does not say '$3': $(head -3 "$T/$1.err")"
	[ "$2" -eq 0 ] || [ ! -s "$T/$1.out" ] || fail "$1: output written despite the error"
}

printf 'MemTotal: 1000 kB\nMemFree 10 kB\n' | case_meminfo garbled 3 "expected 'Key: value'"
printf 'MemFree: 10 kB\nAnonPages: 5 kB\n' | case_meminfo no-total 3 "no MemTotal"
printf 'MemTotal: 1000 kB\nMemFree: 10' | case_meminfo cut 3 "no newline"
printf 'MemTotal: 1000 kB\nMemFree: 18446744073709551615 kB\n' | case_meminfo over-2^64 3 "too large"
# 2^54 - 1 kB: bytes fit in 64 bits but not in 63 (signed sums): refused, not saturated.
printf 'MemTotal: 1000 kB\nMemFree: 18014398509481983 kB\n' | case_meminfo over-2^63 3 "does not fit in 63 bits"
# Each field fits, their sum does not: the remainder would wrap.
printf 'MemTotal: 9007199254740991 kB\nMemFree: 9007199254740991 kB\nAnonPages: 9007199254740991 kB\nShmem: 9007199254740991 kB\n' |
	case_meminfo sum-overflow 3 "does not fit in 63 bits"
printf 'MemTotal: 1000 kB\nHugePages_Free: 9223372036854775807\nHugepagesize: 2048 kB\n' |
	case_meminfo huge-product 3 "does not fit in 63 bits"
printf 'MemTotal: 1000 kB\n' | case_meminfo only-total 0 "other includes them"
grep -q -- ' 1000k$' "$T/only-total.out" || fail "only-total: other is not the whole total: $(cat "$T/only-total.out")"

# case_zram NAME STATUS PATTERN: a recording with a good meminfo and stdin as its zram file.
case_zram() {
	mkdir -p "$T/$1" && printf 'MemTotal: 1000 kB\nMemFree: 10 kB\n' >"$T/$1/meminfo" && cat >"$T/$1/zram"
	run_memps "$1" -S "$T/$1"
	expect_rc "$1" "$2"
	grep -q -- "$3" "$T/$1.err" || fail "$1: stderr does not say '$3': $(head -3 "$T/$1.err")"
	[ "$2" -eq 0 ] || [ ! -s "$T/$1.out" ] || fail "$1: output written despite the error"
}
printf 'zram0 1 2 3\n' | case_zram zram-short 3 "fewer than 7 mm_stat fields"
printf 'zram0 1 2 3 4 5 6 7' | case_zram zram-cut 3 "no newline"
printf 'zram0 1 2 3 4 5 6 7\nzram0 1 2 3 4 5 6 7\n' | case_zram zram-twice 3 "listed twice"
printf 'zram0 1 2 3 4 5 6 -7\n' | case_zram zram-negative 3 "not a decimal"
printf 'zram0 1 2 18446744073709551616 4 5 6 7\n' | case_zram zram-2^64 3 "not a decimal below 2^64"
printf 'loop0 1 2 3 4 5 6 7\n' | case_zram zram-name 3 "device name zram<N>"
printf 'zram01 1 2 3 4 5 6 7\n' | case_zram zram-leading-zero 3 "device name zram<N>"
printf 'zram0 1 2 3 4 5 6 7\0\n' | case_zram zram-nul 3 "NUL"
printf 'zram0 1 2 18446744073709551615 4 5 6 7\nzram1 1 2 1 4 5 6 7\n' | case_zram zram-sum 3 "more than 2^64"
printf 'zram0 1 2 9223372036854775808 4 5 6 7\n' | case_zram zram-2^63 3 "does not fit in 63 bits"
printf 'zram0 1 2 %s\n' "$(seq -s ' ' 3 40)" | case_zram zram-wide 3 "more mm_stat fields"
# other already near -2^63 (AnonPages of 2^53 kB): carving zram out of it would wrap.
mkdir -p "$T/zram-other" && printf 'MemTotal: 1000 kB\nMemFree: 10 kB\nAnonPages: 9007199254740991 kB\n' >"$T/zram-other/meminfo" &&
	printf 'zram0 1 2 9223372036854775807 4 5 6 7\n' >"$T/zram-other/zram"
run_memps zram-other -S "$T/zram-other"
expect_rc zram-other 3
grep -q "does not fit in 63 bits" "$T/zram-other.err" || fail "zram-other: $(cat "$T/zram-other.err")"

# A recording without meminfo: failure (1), not bad input.
mkdir -p "$T/nomem/1" && printf '1 (init) S 0\n' >"$T/nomem/1/stat"
run_memps nomem -S "$T/nomem"
expect_rc nomem 1
grep -q "no meminfo" "$T/nomem.err" || fail "nomem: $(cat "$T/nomem.err")"

# Options: a recording is one sample; bad -d, -n, -o.
for args in "-t" "-d 1" "-n 2"; do
	run_memps "rec $args" -S "$FIXTURES/debian12-workload" $args
	expect_rc "rec $args" 2
done
for args in "-d -1" "-d nan" "-d 1e9" "-n 0" "-n -3" "-o nope" "-o free --json" "extra"; do
	run_memps "opt $args" $args
	expect_rc "opt $args" 2
done
finish
