#!/bin/sh
# two-halves.sh: a process of thousands of mappings (once measured and written in two halves by two threads, now by one), against expect_maps.py, every column aligned on every row (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
HERE=$top_srcdir/tests/memmaps

# 3000 mappings: libraries of five mappings each (file regions) and anonymous mappings between them.
# Nothing is resident but two mappings: the widest res cell is "1020k" of an anonymous mapping near
# the end (in the second half), wider than the /A row's "1M" (natural units), so every row before it
# must take its width from it.
dir=$T/big
mkdir -p "$dir/42"
printf '42 (big) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 1000000 10 0 0\n' >"$dir/42/stat"
"$PYTHON3" - "$dir/42/smaps" <<'PY'
import sys
n = 3000
addr = 0x7f0000000000
with open(sys.argv[1], "w") as f:
    for i in range(n):
        rss = {100: 4, 2801: 1020}.get(i, 0)
        pages = max(1 + i % 3, rss // 4)
        end = addr + pages * 4096
        if i % 6 < 5:
            lib = i // 6
            f.write("%012x-%012x r-xp %08x 08:01 %d /usr/lib/lib%d.so\n" % (addr, end, (i % 6) * 4096, 1000 + lib, lib))
        else:
            f.write("%012x-%012x rw-p 00000000 00:00 0 \n" % (addr, end))
        for k, v in (("Size", pages * 4), ("Rss", rss), ("Pss", rss // 2)):
            f.write("%-16s%8d kB\n" % (k + ":", v))
        f.write("VmFlags: rd ex mr mw me \n")
        addr = end + 4096 * (1 + i % 2)
PY
for unit in natural bytes; do
	b=
	[ "$unit" = bytes ] && b=-b
	# shellcheck disable=SC2086
	run_memps "$unit" -S "$dir" $b -o sz,res,pss 42
	expect_rc "$unit" 0
	"$PYTHON3" "$HERE/check-text.py" tree "$dir" "$T/$unit.out" sz,res,pss "$unit" 42 || fail "$unit: against the model"
	[ "$(grep -c '^ M\|^M ' "$T/$unit.out")" = 3000 ] || fail "$unit: not 3000 mapping rows"
	[ "$unit" = bytes ] || grep -q '^M .* 1020k:res ' "$T/$unit.out" || fail "no 1020k res cell"
	# every size tag at one column on every row: both halves padded to the same widths
	aligned=$(awk '{ print index($0, ":sz ") " " index($0, ":res ") " " index($0, ":pss ") }' "$T/$unit.out" | sort -u | wc -l)
	[ "$aligned" = 1 ] || fail "$unit: the tags stand at $aligned different columns"
done
finish
