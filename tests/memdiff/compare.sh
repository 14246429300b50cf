#!/bin/sh
# compare.sh: memdiff's rows over recordings with known differences, checked against check-diff.py's independent reading of the raw files; every kind of side (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/memdiff/lib-diff.sh"
need_memps
make_pairs

# oracle NAME SIDES...: memdiff's JSON, CSV and text (--all for none: the default rows) over the
# sides, checked by check-diff.py against the recordings named in $ORACLE (default: the sides).
oracle() {
	name=$1
	shift
	run_diff "$name" --json "$@"
	cp "$T/$name.out" "$T/$name.json"
	run_diff "$name" --csv "$@"
	cp "$T/$name.out" "$T/$name.csv"
	run_diff "$name" "$@"
	cp "$T/$name.out" "$T/$name.txt"
	"$PYTHON3" "$DIFF_TESTDIR/check-diff.py" "$T/$name" ${ORACLE:-"$@"} || fail "$name: check-diff.py"
}

cd "$P" || exit 99
oracle grow old grow
oracle shrink grow old
oracle same old old
oracle unreadable old unreadable
oracle kernel old kernel
oracle median old n1 n2 n3
oracle median2 old n1 n2
oracle scrubbed old scrubbed

# the known differences, literally (the oracle could share a mistake with the tool)
run_diff grow-lit --bytes old grow
row() { awk -v t="$2" '$1 == t { $1 = $1; print; exit }' "$T/$1.out"; }
[ "$(row grow-lit p:newcomer | cut -d' ' -f2-3)" = "2097152 +2097152" ] ||
	fail "grow: the appeared program's PSS: $(row grow-lit p:newcomer)"
grep -q '^p:newcomer .*\[appeared\]$' "$T/grow-lit.out" || fail "grow: newcomer not marked appeared"
grep -q '^p:sleep .*\[disappeared\]$' "$T/grow-lit.out" || fail "grow: sleep not marked disappeared"
tr -s ' ' <"$T/grow-lit.out" | grep -q '^p:workload 19941376 20989952 +1048576 +524288 0 4 4 cmdline /memps-fixture/workload ' ||
	fail "grow: the workload program's +1024 kB PSS, +512 kB USS: $(grep 'workload /tmp' "$T/grow-lit.out" | head -3)"
run_diff same-lit old old
[ "$(grep -c '^[jp]:' "$T/same-lit.out")" -eq 0 ] || fail "same: unchanged rows shown without --all"
run_diff same-all --all old old
[ "$(grep -c '^[jp]:' "$T/same-all.out")" -gt 5 ] || fail "same: --all shows no rows"
run_diff unr-lit old unreadable
tr -s ' ' <"$T/unr-lit.out" | grep -q '^total 27.3M 14.8M+? - - - 11 11 \[unmeasured: 0 old, 1 new\]$' || fail "unreadable: the total is not unknown: $(grep '^total' "$T/unr-lit.out")"
expect_err unr-lit "unreadable: 1 process not measured"
expect_rc unr-lit 0
run_diff kernel-lit old kernel
expect_err kernel-lit "OLD old and NEW kernel ran different kernels (6.18.44-fc-v657, 6.1.0-13-amd64)"
expect_rc kernel-lit 0
tr -s ' ' <"$T/kernel-lit.out" | grep -q '^p:sleep 177k 177k 0B 0B +64k 1 1 cmdline /memps-fixture/other ' || fail "kernel: sleep's SwapPss +64k: $(grep '^p:sleep' "$T/kernel-lit.out")"
run_diff median-lit old n1 n2 n3
expect_out median-lit "NEW the median per row over 3 recordings:"
tr -s ' ' <"$T/median-lit.out" | grep -q '^p:workload 19.0M 19.2M +200k 0B 0B 4 4 ' || fail "median: +100, +300, +200 kB is +200k: $(grep '^p:workload' "$T/median-lit.out")"
grep -q 'once' "$T/median-lit.out" && fail "median: a program in 1 of 3 NEW is shown"
run_diff scrub-lit old scrubbed
expect_out scrub-lit "argv[0] (a side's arguments are scrubbed)"

# recordings of different kernels: a warning, still compared; SwapPss (new in 4.3) is unknown on 3.10
oracle oldkernel "$FIXTURES/linux-3.10" "$FIXTURES/debian12-workload"
run_diff oldkernel-lit "$FIXTURES/linux-3.10" "$FIXTURES/debian12-workload" \
	--max-growth 'program:we) ird (x=+1M' --max-growth 'swap_pss:program:we) ird (x=+1M'
expect_rc oldkernel-lit 4
expect_err oldkernel-lit "ran different kernels (3.10.0-1160.el7.x86_64, 6.18.44-fc-v657)"
expect_err oldkernel-lit "linux-3.10: no SwapPss (new in Linux 4.3)"
expect_out oldkernel-lit "program we) ird (x swap_pss unknown"
grep -q '^limit program:we) ird (x=+1M (--max-growth): program we) ird (x pss 157k -> 167k, +10k (+6\.[0-9]*%): pass$' "$T/oldkernel-lit.out" ||
	fail "oldkernel: the PSS limit: $(grep '^limit' "$T/oldkernel-lit.out")"

# a saved memps --json report on either side, and both
"$MEMPS" -S grow --json >"$T/grow.json" 2>/dev/null
"$MEMPS" -S old --json >"$T/old.json" 2>/dev/null
ORACLE="old grow" oracle json-new old "$T/grow.json"
ORACLE="old grow" oracle json-both "$T/old.json" "$T/grow.json"
"$MEMPS" -S unreadable --json >"$T/unreadable.json" 2>/dev/null
ORACLE="old unreadable" oracle json-unr old "$T/unreadable.json"
"$MEMPS" -S scrubbed --json >"$T/scrubbed.json" 2>/dev/null
ORACLE="old scrubbed" oracle json-scrubbed old "$T/scrubbed.json"
grep -q '"program_match":"argv0"' "$T/json-scrubbed.json" || fail "json-scrubbed: a report of a scrubbed recording is not matched on argv[0]"
grep -q '"input":"report","schema":"memps/1","source":{"kind":"snapshot","format":"dir","path":"grow"' "$T/json-new.json" ||
	fail "json-new: the report's header is not carried: $(head -c 400 "$T/json-new.json")"

# tar, tar.gz and a tar on stdin read as the directory
make_tar grow "$T/grow.tar"
make_tar old "$T/old.tar.gz"
ORACLE="old grow" oracle tar "$T/old.tar.gz" "$T/grow.tar"
"$MEMDIFF" --json old - <"$T/grow.tar" >"$T/stdin.json" 2>"$T/stdin.err" || fail "stdin: exit $?"
sed 's/"arg":"[^"]*"//g; s/"format":"[a-z]*","path":[^,]*,//g' "$T/stdin.json" >"$T/stdin.cmp"
sed 's/"arg":"[^"]*"//g; s/"format":"[a-z]*","path":[^,]*,//g' "$T/grow.json" >/dev/null
"$MEMDIFF" --json old grow | sed 's/"arg":"[^"]*"//g; s/"format":"[a-z]*","path":[^,]*,//g' >"$T/dir.cmp"
cmp -s "$T/stdin.cmp" "$T/dir.cmp" || fail "stdin: a tar on stdin differs from the directory"

# --maps PID|PROGRAM: the mappings of one process or of a program's processes, by name
# -m: every process's mappings by name (the memory objects)
for sel in pid:24565 program:workload pid:24584 program:sleep all; do
	opt="--maps=${sel#*:}"
	[ "$sel" = all ] && opt=-m
	for sides in "old grow" "old unreadable" "old n1 n2 n3" "grow kernel"; do
		n=maps-${sel#*:}-$(echo $sides | tr ' ' -)
		MAPS=$sel ORACLE=$sides
		export MAPS
		oracle "$n" "$opt" $sides
		unset MAPS ORACLE
	done
done
run_diff objs-lit -m old grow
expect_out objs-lit "Memory objects: every process's mappings by name"
tr -s ' ' <"$T/objs-lit.out" | grep -q '^m:\[heap\] [^ ]* [^ ]* +1M +512k 0B ' ||
	fail "-m: the heaps +1M: $(grep heap "$T/objs-lit.out")"
run_diff objs-maps -m --maps 1 old grow
expect_rc objs-maps 2
expect_err objs-maps "-m and --maps exclude each other"
run_diff objs-report -m old "$T/grow.json"
expect_rc objs-report 2
run_diff maps-lit --maps 24565 old grow
tr -s ' ' <"$T/maps-lit.out" | grep -q '^m:\[heap\] 8k 1032k +1M +512k 0B 1 1 \[heap\]$' ||
	fail "maps: 24565's [heap] +1024k: $(grep heap "$T/maps-lit.out")"
expect_out maps-lit "Mappings of pid 24565 by name"
# hostile bytes (a mapping named "esc<ESC>[31mname.bin") are escaped in text and CSV, never raw
for fmt in "" --csv; do
	run_diff esc $fmt -a --maps workload old grow
	if LC_ALL=C grep -q "$(printf '\033')" "$T/esc.out"; then fail "esc $fmt: a raw ESC byte in the output"; fi
	grep -qF 'esc\x1b[31mname.bin' "$T/esc.out" || fail "esc $fmt: the name is not escaped as \\x1b"
done
run_diff esc-json --json --maps workload old grow
grep -qF 'esc\u001b[31mname.bin' "$T/esc-json.out" || fail "esc json: the name is not escaped as \\u001b"
run_diff maps-absent --maps 4242 old grow
expect_rc maps-absent 0
expect_err maps-absent "old: no process 4242"
run_diff maps-report --maps 24565 old "$T/grow.json"
expect_rc maps-report 2
expect_err maps-report "--maps needs recordings or live"
run_diff maps-stdin --maps workload old - <"$T/grow.tar"
expect_rc maps-stdin 2
run_diff maps-limit --maps 24565 old grow --max-growth job:/x=1M
expect_rc maps-limit 2
expect_err maps-limit "with --maps a limit is on the total"
run_diff maps-bad --maps 12,13 old grow
expect_rc maps-bad 2

# a report on stdin: read when stdin is a file; from a pipe, - is a tar stream
"$MEMDIFF" --json old - <"$T/grow.json" >"$T/stdin-report.json" 2>"$T/stdin-report.err" || fail "stdin report: exit $?"
grep -q '"arg":"-","input":"report"' "$T/stdin-report.json" || fail "stdin report: not read as a report"
sed 's/"arg":"[^"]*"//g' "$T/stdin-report.json" >"$T/stdin-report.cmp"
"$MEMDIFF" --json old "$T/grow.json" | sed 's/"arg":"[^"]*"//g' >"$T/file-report.cmp"
cmp -s "$T/stdin-report.cmp" "$T/file-report.cmp" || fail "stdin report: differs from the file"
cat "$T/grow.json" | "$MEMDIFF" old - >/dev/null 2>"$T/pipe-report.err"
[ $? -eq 3 ] || fail "a report piped on stdin: not the tar reader's bad input (3)"
grep -q "stdin: cannot read the archive" "$T/pipe-report.err" || fail "piped report: $(cat "$T/pipe-report.err")"

# a JSON report that is not memps's, and one that is garbled: errors naming the file
printf '{"schema":"memsys/1"}' >"$T/sys.json"
run_diff not-memps old "$T/sys.json"
expect_rc not-memps 3
expect_err not-memps "not a memps --json report (schema memsys/1"
printf '{"schema":"memps/1","processes":[{"pid":5,"state":"ok","pss_bytes":-3}]}' >"$T/neg.json"
run_diff neg old "$T/neg.json"
expect_rc neg 3
expect_err neg "processes[0].pss_bytes: expected a byte count"
printf '{"schema": "memps/1", ' >"$T/cut.json"
run_diff cut old "$T/cut.json"
expect_rc cut 3
run_diff absent old "$T/nonexistent"
expect_rc absent 1
finish
