#!/bin/sh
# rollup-order.sh: smaps_rollup wins over smaps by rule: a tar listing smaps first gives what one listing smaps_rollup first gives (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

D=$T/snap
mkdir -p "$D/7"
printf 'MemTotal: 1000000 kB\n' >"$D/meminfo"
printf '7 (p7) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 25 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n' >"$D/7/stat"
# the rollup says 300 kB of PSS; smaps sums to 8 kB: which one is used shows
printf '00400000-7fff0000 ---p 00000000 00:00 0                          [rollup]\nRss:                 400 kB\nPss:                 300 kB\nShared_Clean:          0 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:       300 kB\n' >"$D/7/smaps_rollup"
printf '00400000-00402000 rw-p 00000000 00:00 0 \nSize:                  8 kB\nRss:                   8 kB\nPss:                   8 kB\nShared_Clean:          0 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:         8 kB\n' >"$D/7/smaps"
(cd "$D" && tar -cf "$T/rollup-first.tar" meminfo 7/stat 7/smaps_rollup 7/smaps) || fail "tar"
(cd "$D" && tar -cf "$T/smaps-first.tar" 7/smaps meminfo 7/stat 7/smaps_rollup) || fail "tar"
tar -tf "$T/smaps-first.tar" | head -n 1 | grep -qx "7/smaps" || fail "smaps is not the first member"

for order in rollup-first smaps-first; do
	run_memps "$order" -S "$T/$order.tar" --json
	expect_rc "$order" 0
	"$PYTHON3" -c 'import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
sys.exit(0 if (p["source"], p["pss_bytes"], p["rss_bytes"]) == ("smaps_rollup", 300 * 1024, 400 * 1024) else p)' "$T/$order.out" ||
		fail "$order: not the rollup's figures"
done
# everything but the path is the same
sed 's|"path":"[^"]*"||' "$T/rollup-first.out" >"$T/a"
sed 's|"path":"[^"]*"||' "$T/smaps-first.out" >"$T/b"
cmp -s "$T/a" "$T/b" || fail "the two orders differ: $(diff "$T/a" "$T/b" | head -5)"
finish
