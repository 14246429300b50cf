#!/bin/sh
# old-kernels.sh: memps, memmaps and memobjs over the fixtures of older kernels and of a 32-bit board (fixtures/old-kernels.py) vs independent models of the raw files (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
MEMMAPS=${MEMMAPS:-$top_builddir/memmaps}
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
MAPSDIR=$top_srcdir/tests/memmaps
FEATURES="$PYTHON3 $top_srcdir/tests/common/expect_features.py --check"
KERNELS="linux-3.2 linux-3.10 linux-4.4 linux-4.9 linux-4.19 arm32-board arm64-64k"

# The fixtures are what their generator writes from fixtures/debian12-workload: run it again and
# compare byte for byte (and no file more or fewer).
mkdir -p "$T/regen"
"$PYTHON3" "$FIXTURES/old-kernels.py" "$T/regen" || fail "old-kernels.py"
for fx in $KERNELS; do
	[ -d "$T/regen/$fx" ] || fail "old-kernels.py wrote no $fx"
	(cd "$T/regen/$fx" && find . -type f | sort) >"$T/want.list"
	(cd "$FIXTURES/$fx" && find . -type f | sort) >"$T/have.list"
	cmp -s "$T/want.list" "$T/have.list" || fail "fixtures/$fx: other files than old-kernels.py writes"
	while read -r f; do
		cmp -s "$T/regen/$fx/$f" "$FIXTURES/$fx/$f" || fail "fixtures/$fx/$f differs from what old-kernels.py writes"
	done <"$T/want.list"
done

for fx in $KERNELS; do
	dir=$FIXTURES/$fx
	pids=$(cd "$MAPSDIR" && "$PYTHON3" -c 'import sys, expect_maps as X; print(" ".join(map(str, X.pids_with_smaps(sys.argv[1]))))' "$dir")
	[ -n "$pids" ] || fail "$fx: no process with smaps"

	# memps: every figure against expect.py (smaps summed where the kernel had no rollup), text and
	# JSON; the missing kernel features on stderr and in the JSON header against expect_features.py
	run_memps "ps-$fx" -S "$dir" --json
	expect_rc "ps-$fx" 0
	"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$dir" "$T/ps-$fx.out" "$dir" >"$T/check.out" ||
		fail "memps --json over $fx: $(grep -v 'all values agree' "$T/check.out" | head -5)"
	$FEATURES "$dir" ps "$T/ps-$fx.err" "$T/ps-$fx.out" || fail "memps over $fx: missing features"
	run_memps "pst-$fx" -S "$dir" --bytes -o pss,private,shared,rss,swap_pss
	"$PYTHON3" "$MEMPS_TESTDIR/check-text.py" "$dir" "$T/pst-$fx.out" -- --bytes -o pss,private,shared,rss,swap_pss \
		>"$T/check.out" || fail "memps text over $fx: $(grep -v 'all values agree' "$T/check.out" | head -5)"
	$FEATURES "$dir" ps "$T/pst-$fx.err" - || fail "memps text over $fx: missing features"

	# memmaps: JSON, tree and flat text against expect_maps.py
	# shellcheck disable=SC2086
	"$MEMMAPS" -S "$dir" --json $pids >"$T/maps.json" 2>"$T/maps.err"
	RC=$?
	no_crash "maps-$fx" "$RC" "$T/maps.err"
	[ "$RC" = 0 ] || fail "memmaps --json over $fx: exit $RC: $(head -3 "$T/maps.err")"
	# shellcheck disable=SC2086
	"$PYTHON3" "$MAPSDIR/check-json.py" "$dir" "$T/maps.json" $pids || fail "memmaps --json over $fx"
	# shellcheck disable=SC2086
	$FEATURES "$dir" maps "$T/maps.err" "$T/maps.json" $pids || fail "memmaps over $fx: missing features"
	for mode in tree flat; do
		f=
		[ "$mode" = flat ] && f=--flat
		# shellcheck disable=SC2086
		"$MEMMAPS" -S "$dir" -b $f -o sz,res,pss,swap,swappss,hugetlb $pids >"$T/maps-$mode.txt" 2>"$T/maps.err" ||
			fail "memmaps $f over $fx"
		# shellcheck disable=SC2086
		EXPECT_ASCII=1 "$PYTHON3" "$MAPSDIR/check-text.py" "$mode" "$dir" "$T/maps-$mode.txt" \
			sz,res,pss,swap,swappss,hugetlb bytes $pids || fail "memmaps $mode over $fx"
	done

	# memobjs: every object, per pid and in the all view, against a model of the raw files
	# shellcheck disable=SC2086
	"$MEMOBJS" -S "$dir" --json $pids >"$T/objs.json" 2>"$T/objs.err" || fail "memobjs PID... over $fx: $(head -3 "$T/objs.err")"
	# shellcheck disable=SC2086
	$FEATURES "$dir" objs "$T/objs.err" "$T/objs.json" $pids || fail "memobjs PID... over $fx: missing features"
	"$MEMOBJS" -S "$dir" --json >"$T/objs-all.json" 2>"$T/objs.err" || fail "memobjs over $fx: $(head -3 "$T/objs.err")"
	$FEATURES "$dir" objs "$T/objs.err" "$T/objs-all.json" || fail "memobjs over $fx: missing features"
	"$PYTHON3" "$MAPSDIR/check-objs-model.py" "$dir" "$T" || fail "memobjs objects over $fx"
done

# Read as if live (--proc-root: the reading threads, smaps as a fallback where the rollup is absent):
# the same missing features as the recording, on stderr and in JSON
for fx in $KERNELS; do
	for tool in "$MEMPS" "$MEMMAPS 24565" "$MEMOBJS"; do
		for how in "-S" "--proc-root"; do
			# shellcheck disable=SC2086
			$tool $how "$FIXTURES/$fx" --json >"$T/how.json" 2>"$T/how.err"
			{ grep ': no .* (new in Linux ' "$T/how.err"
			  "$PYTHON3" -c 'import json, sys; print(json.load(open(sys.argv[1]))["source"]["missing"])' "$T/how.json"
			} >"$T/how$how.txt"
		done
		cmp -s "$T/how-S.txt" "$T/how--proc-root.txt" ||
			fail "$fx: $tool --proc-root and -S differ in the missing features: $(diff "$T/how-S.txt" "$T/how--proc-root.txt" | head -4)"
	done
done

# A tar of each (the tar source hands over both memory files in any order): the same documents as the
# directory, source aside, and the same stderr
for fx in $KERNELS; do
	make_tar "$FIXTURES/$fx" "$T/$fx.tar.gz"
	for tool in "$MEMPS" "$MEMMAPS 24565" "$MEMOBJS"; do
		# shellcheck disable=SC2086
		$tool -S "$FIXTURES/$fx" --json >"$T/d.json" 2>"$T/d.err"
		# shellcheck disable=SC2086
		$tool -S "$T/$fx.tar.gz" --json >"$T/t.json" 2>"$T/t.err"
		cmp -s "$T/d.err" "$T/t.err" || fail "$fx: $tool: the tar's stderr differs: $(diff "$T/d.err" "$T/t.err" | head -4)"
		"$PYTHON3" - "$T/d.json" "$T/t.json" <<'PY' || fail "$fx: $tool: the tar's document differs from the directory's"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    for k in ("path", "format"):
        d["source"].pop(k)
sys.exit(a != b)
PY
	done
done

# What the fixtures are about, beyond the figures.
# 3.4 to 4.4: the thread stack named [stack:TID] is a thread-stack region, its mapping of kind stack
for fx in linux-3.10 linux-4.4; do
	"$MEMMAPS" -S "$FIXTURES/$fx" --json 24565 >"$T/stk.json" 2>/dev/null || fail "memmaps 24565 over $fx"
	"$PYTHON3" - "$T/stk.json" <<'PY' || fail "$fx: [stack:24566] is not a thread-stack region"
import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
st = [m for m in p["mappings"] if m["name"] == "[stack:24566]"]
assert len(st) == 1 and st[0]["kind"] == "stack", st
regs = [r for r in p["regions"] if r["kind"] == "stack" and r["end"] == st[0]["end"]]
assert len(regs) == 1 and regs[0]["mappings"] == 2, p["regions"]
PY
done
# before 3.18, EACCES comes at read(): the recorder's manifest says so, and pid 1 is unreadable, not
# vanished, though its smaps_rollup is ENOENT (the kernel has none)
for fx in linux-3.2 linux-3.10 linux-4.4 linux-4.9; do
	"$MEMPS" -S "$FIXTURES/$fx" -p 1 >"$T/one.out" 2>"$T/one.err"
	grep -q "p:1 .*\[unreadable: permission denied\]" "$T/one.out" || fail "$fx: pid 1 is not shown unreadable: $(cat "$T/one.out")"
done
# the 32-bit board: 8-digit addresses, [vectors] above the 3G/1G split and [sigpage] are "special";
# sums past 4 GiB exact (expect.py above checked every figure; here the total in bytes, by hand)
"$MEMMAPS" -S "$FIXTURES/arm32-board" --flat -b 24565 >"$T/arm.txt" 2>/dev/null || fail "memmaps over arm32-board"
grep -q "^________ffff0000 r-xp .* \[vectors\] special$" "$T/arm.txt" || fail "arm32-board: no special [vectors] row: $(grep vectors "$T/arm.txt")"
grep -q "^________b6ffe000 r-xp .* \[sigpage\] special$" "$T/arm.txt" || fail "arm32-board: no special [sigpage] row"
# 64 kB pages: the page sizes shown as the kernel wrote them
"$MEMMAPS" -S "$FIXTURES/arm64-64k" --flat -b -X 24584 >"$T/a64.txt" 2>/dev/null || fail "memmaps over arm64-64k"
awk 'NR == 2 { for (i = 1; i <= NF; i++) { if ($i == "KernelPageSize") k = i; if ($i == "MMUPageSize") m = i } }
	NR > 2 && $1 != "total" && k && ($k != 65536 || $m != 65536) { bad = 1 } END { exit !(k && m && !bad) }' "$T/a64.txt" ||
	fail "arm64-64k: page sizes are not 65536 in every row"
# sums past 4 GiB (one process past it on arm64-64k): exact, by hand from the rollups
for fx in arm32-board arm64-64k; do
	"$MEMPS" -S "$FIXTURES/$fx" --json >"$T/big.json" 2>/dev/null || fail "memps over $fx"
	"$PYTHON3" - "$FIXTURES/$fx" "$T/big.json" <<'PY' || fail "$fx: PSS figures past 4 GiB are not the rollups'"
import json, os, re, sys
snap, doc = sys.argv[1], json.load(open(sys.argv[2]))
total, procs = 0, {p["pid"]: p for p in doc["processes"]}
for pid in os.listdir(snap):
    f = os.path.join(snap, pid, "smaps_rollup")
    if pid.isdigit() and os.path.exists(f):
        pss = int(re.search(rb"^Pss:\s+(\d+) kB$", open(f, "rb").read(), re.M).group(1)) * 1024
        assert procs[int(pid)]["pss_bytes"] == pss, (pid, procs[int(pid)]["pss_bytes"], pss)
        total += pss
assert total > 1 << 32, total
assert doc["totals"]["pss_bytes"] == total, (doc["totals"]["pss_bytes"], total)
PY
done
finish
