#!/bin/sh
# regions.sh: malloc arenas side by side, thread stacks and a guard below an arena, in text and JSON, vs expect_maps.py (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
HERE=$top_srcdir/tests/memmaps

# Issue 8, item 2: two glibc arenas side by side (heap rw-p, ~64 MiB ---p reserve, the next arena) were
# shown as a thread stack.  The layout of a threaded glibc program, written by hand.
dir=$T/arenas
mkdir -p "$dir/42"
printf '42 (arenas) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 3 0 1 1000000 10 0 0\n' >"$dir/42/stat"
"$PYTHON3" - "$dir/42/smaps" <<'PY'
import sys
rows = [  # start, end, perms, rss kB
    (0x7f0000000000, 0x7f0000021000, "rw-p", 132),   # arena 1: heap
    (0x7f0000021000, 0x7f0004000000, "---p", 0),     # its reserve, then arena 2 right after
    (0x7f0004000000, 0x7f0007f80000, "rw-p", 64),    # arena 2, nearly full
    (0x7f0007f80000, 0x7f0008000000, "---p", 0),     # a 512 KiB reserve
    (0x7f0010000000, 0x7f0010001000, "---p", 0),     # a thread stack's guard
    (0x7f0010001000, 0x7f0010801000, "rw-p", 16),    # its stack
    (0x7f0010801000, 0x7f0010802000, "---p", 0),     # the next thread's guard
    (0x7f0010802000, 0x7f0011002000, "rw-p", 8),     # its stack
]
with open(sys.argv[1], "w") as f:
    for start, end, perms, rss in rows:
        f.write("%012x-%012x %s 00000000 00:00 0 \n" % (start, end, perms))
        for k, v in (("Size", (end - start) // 1024), ("Rss", rss), ("Pss", rss), ("Private_Dirty", rss)):
            f.write("%-16s%8d kB\n" % (k + ":", v))
        f.write("VmFlags: rd wr mr mw me ac \n")
PY
run_memps json -S "$dir" --json 42
expect_rc json 0
"$PYTHON3" "$HERE/check-json.py" "$dir" "$T/json.out" 42 || fail "--json"
"$PYTHON3" - "$T/json.out" <<'PY' || fail "region kinds"
import json, sys
regions = json.load(open(sys.argv[1]))["processes"][0]["regions"]
want = [("arena", 2), ("arena", 2), ("stack", 2), ("stack", 2)]
got = [(g["kind"], g["mappings"]) for g in regions]
if got != want:
    print("regions %r, expected %r" % (got, want))
    sys.exit(1)
PY
for mode in tree flat; do
	f=
	[ "$mode" = flat ] && f=--flat
	# shellcheck disable=SC2086
	run_memps "$mode" -S "$dir" -b $f -o sz,res,pss 42
	expect_rc "$mode" 0
	"$PYTHON3" "$HERE/check-text.py" "$mode" "$dir" "$T/$mode.out" sz,res,pss bytes 42 || fail "$mode"
done
[ "$(grep -c "^R .* '' malloc-arena$" "$T/tree.out")" = 2 ] || fail "not two malloc-arena rows: $(cat "$T/tree.out")"
[ "$(grep -c "^R .* '' thread-stack$" "$T/tree.out")" = 2 ] || fail "not two thread-stack rows"
finish
