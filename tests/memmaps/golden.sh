#!/bin/sh
# golden.sh: memmaps over the recorded fixtures (dir, .tar.gz, stdin) vs an independent model of the raw smaps (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
HERE=$top_srcdir/tests/memmaps

for fx in debian12-workload smemcap-style; do
	dir=$FIXTURES/$fx
	pids=$("$PYTHON3" -c 'import sys; sys.path.insert(0, sys.argv[1]); import expect_maps as X; print(" ".join(map(str, X.pids_with_smaps(sys.argv[2]))))' "$HERE" "$dir")
	[ -n "$pids" ] || { fail "$fx: no process with smaps"; continue; }
	# shellcheck disable=SC2086
	run_memps "$fx-json" -S "$dir" --json $pids
	expect_rc "$fx-json" 0
	# shellcheck disable=SC2086
	"$PYTHON3" "$HERE/check-json.py" "$dir" "$T/$fx-json.out" $pids || fail "$fx: --json"

	make_tar "$dir" "$T/$fx.tar.gz"
	# shellcheck disable=SC2086
	run_memps "$fx-tgz" -S "$T/$fx.tar.gz" --json $pids
	expect_rc "$fx-tgz" 0
	# shellcheck disable=SC2086
	"$PYTHON3" "$HERE/check-json.py" "$dir" "$T/$fx-tgz.out" $pids || fail "$fx: --json from .tar.gz"
	make_tar "$dir" "$T/$fx.tar"
	# shellcheck disable=SC2086
	"$MEMPS" -S - --json $pids <"$T/$fx.tar" >"$T/$fx-stdin.out" 2>"$T/$fx-stdin.err"
	RC=$?
	no_crash "$fx-stdin" "$RC" "$T/$fx-stdin.err"
	expect_rc "$fx-stdin" 0
	# shellcheck disable=SC2086
	"$PYTHON3" "$HERE/check-json.py" "$dir" "$T/$fx-stdin.out" $pids || fail "$fx: --json from stdin"

	i=0
	for spec in "bytes sz,res,pss" "natural sz,res,pss" "bytes sz,res,pss,priv,shr,dirty,swap,swappss" \
		"natural Rss,Pss_Dirty,Anonymous,Locked" "bytes swappss,Referenced,AnonHugePages"; do
		i=$((i + 1))
		unit=${spec% *}
		fields=${spec#* }
		b=
		[ "$unit" = bytes ] && b=-b
		for mode in tree flat; do
			f=
			[ "$mode" = flat ] && f=--flat
			# text in a UTF-8 locale (the sum sign) and in the C locale (ASCII: "Sum_")
			# shellcheck disable=SC2086
			LC_ALL=C.UTF-8
			run_memps "$fx-$mode$i" -S "$dir" $b $f -o "$fields" $pids
			LC_ALL=C
			expect_rc "$fx-$mode$i" 0
			# shellcheck disable=SC2086
			"$PYTHON3" "$HERE/check-text.py" "$mode" "$dir" "$T/$fx-$mode$i.out" "$fields" "$unit" $pids ||
				fail "$fx: $mode -o $fields ($unit)"
			# shellcheck disable=SC2086
			run_memps "$fx-$mode$i-c" -S "$dir" $b $f -o "$fields" $pids
			expect_rc "$fx-$mode$i-c" 0
			# shellcheck disable=SC2086
			EXPECT_ASCII=1 "$PYTHON3" "$HERE/check-text.py" "$mode" "$dir" "$T/$fx-$mode$i-c.out" "$fields" "$unit" \
				$pids || fail "$fx: $mode -o $fields ($unit), C locale"
		done
	done
	# -x is -o sz,res,dirty
	first=${pids%% *}
	run_memps "$fx-x" -S "$dir" -b -x "$first"
	EXPECT_ASCII=1 "$PYTHON3" "$HERE/check-text.py" tree "$dir" "$T/$fx-x.out" sz,res,dirty bytes "$first" || fail "$fx: -x"
	# one process at a time as well (no total row)
	run_memps "$fx-one" -S "$dir" -b "$first"
	EXPECT_ASCII=1 "$PYTHON3" "$HERE/check-text.py" tree "$dir" "$T/$fx-one.out" sz,res,pss bytes "$first" || fail "$fx: one pid"
done
finish
