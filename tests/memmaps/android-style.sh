#!/bin/sh
# android-style.sh: memps, memmaps and memobjs over fixtures/android-style (Name: lines in some smaps records, ashmem, dmabuf, dalvik and scudo names) vs independent models of the raw files (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
MEMMAPS=${MEMMAPS:-$top_builddir/memmaps}
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
HERE=$top_srcdir/tests/memmaps
dir=$FIXTURES/android-style
FEATURES="$PYTHON3 $top_srcdir/tests/common/expect_features.py --check"
# other_stderr FILE: what a tool wrote on stderr besides the kernel features its input lacked (5.10:
# no Pss_Dirty), which expect_features.py checks
other_stderr() {
	grep -v '^mem[a-z]*: no .* (new in Linux [0-9.]*) in ' "$1"
}

# The fixture is what its generator writes (README): regenerate it and compare byte for byte.
mkdir -p "$T/regen"
"$PYTHON3" "$dir/make.py" "$T/regen" || fail "make.py"
for f in $(cd "$T/regen" && find . -type f | sort); do
	cmp -s "$T/regen/$f" "$dir/$f" || fail "fixtures/android-style/$f differs from what make.py writes"
done
# Issue 8, item 1: the first record of these processes has a Name: line and the last has none.
for pid in 612 1100 1900; do
	[ "$(sed -n 2p "$dir/$pid/smaps" | cut -c1-5)" = "Name:" ] || fail "$pid: the first record has no Name: line"
	last=$(grep -n '^[0-9a-f]*-[0-9a-f]* ' "$dir/$pid/smaps" | tail -1 | cut -d: -f1)
	[ "$(sed -n "$((last + 1))p" "$dir/$pid/smaps" | cut -c1-5)" = "Size:" ] || fail "$pid: the last record has a Name: line"
done
pids=$(ls "$dir" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')

# memps: every figure against expect.py; nothing on stderr (no process taken for cut short)
run_memps ps -S "$dir" --json
expect_rc ps 0
other_stderr "$T/ps.err" && fail "memps: stderr: $(head -3 "$T/ps.err")"
$FEATURES "$dir" ps "$T/ps.err" "$T/ps.out" || fail "memps: missing features"
"$PYTHON3" "$top_srcdir/tests/memps/check-json.py" "$dir" "$T/ps.out" "$dir" || fail "memps --json"

# memmaps: JSON and text against expect_maps.py
# shellcheck disable=SC2086
"$MEMMAPS" -S "$dir" --json $pids >"$T/maps.json" 2>"$T/maps.err"
RC=$?
no_crash maps "$RC" "$T/maps.err"
[ "$RC" = 0 ] && ! other_stderr "$T/maps.err" || fail "memmaps --json: exit $RC: $(head -3 "$T/maps.err")"
# shellcheck disable=SC2086
$FEATURES "$dir" maps "$T/maps.err" "$T/maps.json" $pids || fail "memmaps: missing features"
# shellcheck disable=SC2086
"$PYTHON3" "$HERE/check-json.py" "$dir" "$T/maps.json" $pids || fail "memmaps --json"
for mode in tree flat; do
	f=
	[ "$mode" = flat ] && f=--flat
	# shellcheck disable=SC2086
	"$MEMMAPS" -S "$dir" -b $f -o sz,res,pss,swap,hugetlb $pids >"$T/maps-$mode.txt" 2>"$T/maps.err" ||
		fail "memmaps $f"
	# shellcheck disable=SC2086
	EXPECT_ASCII=1 "$PYTHON3" "$HERE/check-text.py" "$mode" "$dir" "$T/maps-$mode.txt" sz,res,pss,swap,hugetlb bytes $pids ||
		fail "memmaps $mode"
done

# memobjs: every object of every process, and the all view, against a model of the raw files
# shellcheck disable=SC2086
"$MEMOBJS" -S "$dir" --json $pids >"$T/objs.json" 2>"$T/objs.err" || fail "memobjs PID...: $(head -3 "$T/objs.err")"
"$MEMOBJS" -S "$dir" --json >"$T/objs-all.json" 2>"$T/objs.err" || fail "memobjs: $(head -3 "$T/objs.err")"
other_stderr "$T/objs.err" && fail "memobjs: stderr: $(head -3 "$T/objs.err")"
$FEATURES "$dir" objs "$T/objs.err" "$T/objs-all.json" || fail "memobjs: missing features"
# Read as if live: memobjs's reading threads and memmaps's chunk reader parse smaps as it arrives; the
# same documents as the single-threaded read of the directory (source aside).
"$MEMOBJS" --proc-root "$dir" --json >"$T/objs-live.json" 2>"$T/objs.err" || fail "memobjs --proc-root"
# shellcheck disable=SC2086
"$MEMMAPS" --proc-root "$dir" --json $pids >"$T/maps-live.json" 2>"$T/maps.err" || fail "memmaps --proc-root"
"$PYTHON3" - "$T" <<'PY' || fail "--proc-root reads differ from -S"
import json, os, sys
t = sys.argv[1]
for a, b in (("objs-all.json", "objs-live.json"), ("maps.json", "maps-live.json")):
    x, y = (json.load(open(os.path.join(t, f))) for f in (a, b))
    x.pop("source", None)
    y.pop("source", None)
    if x != y:
        print("%s and %s differ in %r" % (a, b, [k for k in x if x[k] != y.get(k)]))
        sys.exit(1)
PY
"$PYTHON3" "$HERE/check-objs-model.py" "$dir" "$T" "dmabuf:/dmabuf::2" "ashmem:/dev/ashmem/CursorWindow:2" \
	"anon-named:[anon:dalvik-main space]:1" "anon-named:[anon:scudo:primary]:1" || fail "memobjs over android-style"
finish
