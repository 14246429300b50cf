#!/bin/sh
# options.sh: the options every tool shares, their exclusions and typos, with exit statuses; the JSON header of every tool over every source format (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS_BIN=${MEMPS:-$top_builddir/memps}
MEMMAPS_BIN=${MEMMAPS:-$top_builddir/memmaps}
MEMOBJS_BIN=${MEMOBJS:-$top_builddir/memobjs}
MEMSYS_BIN=${MEMSYS:-$top_builddir/memsys}
for b in "$MEMPS_BIN" "$MEMMAPS_BIN" "$MEMOBJS_BIN" "$MEMSYS_BIN"; do
	[ -x "$b" ] || { echo "FAIL: $b is not built"; exit 1; }
done
DIR=$FIXTURES/debian12-workload
PID=24565 # a process of the fixture with smaps
CG=$(sed -n 's/^0:://p' "$DIR/$PID/cgroup")
[ -n "$CG" ] || { echo "FAIL: no cgroup v2 line in $DIR/$PID/cgroup"; exit 1; }

# run NAME WANT TOOL ARGS...: runs a tool (memmaps gets PID appended when its args hold no pid),
# stdout in $T/NAME.out, stderr in $T/NAME.err; checks the exit status and that nothing crashed.
run() {
	name=$1 want=$2 tool=$3
	shift 3
	case $tool in
	memps) bin=$MEMPS_BIN ;;
	memmaps) bin=$MEMMAPS_BIN ;;
	memobjs) bin=$MEMOBJS_BIN ;;
	memsys) bin=$MEMSYS_BIN ;;
	esac
	"$bin" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	no_crash "$name" "$RC" "$T/$name.err"
	if [ "$RC" -ne "$want" ]; then
		fail "$name: $tool $*: exit status $RC, expected $want"
		head -5 "$T/$name.err" | sed 's/^/  stderr: /'
	fi
}

# err_has NAME TEXT: stderr of NAME holds TEXT and starts with the tool's name.
err_has() {
	grep -qF -- "$2" "$T/$1.err" || fail "$1: stderr lacks '$2': $(head -3 "$T/$1.err")"
}

# out_empty NAME: an error wrote nothing on stdout.
out_empty() {
	[ ! -s "$T/$1.out" ] || fail "$1: output written despite the error: $(head -3 "$T/$1.out")"
}

for tool in memps memmaps memobjs; do
	p=
	[ "$tool" = memmaps ] && p=$PID
	# The common exclusions, checked in one place with one wording.
	run "$tool-S-root" 2 $tool -S "$DIR" --proc-root "$DIR" $p
	err_has "$tool-S-root" "$tool: --snapshot and --proc-root exclude each other"
	run "$tool-json-csv" 2 $tool -S "$DIR" --json --csv $p
	err_has "$tool-json-csv" "--json and --csv exclude each other"
	run "$tool-bytes-units" 2 $tool -S "$DIR" -b -u k $p
	err_has "$tool-bytes-units" "--bytes and --units exclude each other"
	run "$tool-units-json" 2 $tool -S "$DIR" -u k --json $p
	err_has "$tool-units-json" "--units is for text"
	run "$tool-units-bad" 2 $tool -S "$DIR" -u X $p
	err_has "$tool-units-bad" "--units takes one of B k M G T P E"
	run "$tool-color-bad" 2 $tool -S "$DIR" --color=sometimes $p
	err_has "$tool-color-bad" "--color takes auto, always or never"
	run "$tool-unknown-opt" 2 $tool --no-such-option
	err_has "$tool-unknown-opt" "(try --help)"
	run "$tool-version" 0 $tool -V
	grep -qE '^memps [0-9]' "$T/$tool-version.out" || fail "$tool -V: $(cat "$T/$tool-version.out")"
	# -u in any case: k and K, m and M are one unit.
	for u in k K m M g G; do
		run "$tool-u$u" 0 $tool -S "$DIR" -u $u $p
		U=$(echo $u | tr 'gm' 'GM' | tr 'K' 'k')
		grep -qE "[0-9]$U" "$T/$tool-u$u.out" || fail "$tool -u $u: no size in $U: $(head -3 "$T/$tool-u$u.out")"
	done
	# Column names: any case; an unknown one is an error naming it (exit 2), nothing on stdout.
	run "$tool-o-bogus" 2 $tool -S "$DIR" -o bogus $p
	err_has "$tool-o-bogus" "'bogus'"
	err_has "$tool-o-bogus" "valid: "
	out_empty "$tool-o-bogus"
	run "$tool-o-empty" 2 $tool -S "$DIR" -o "pss,,pss" $p
	out_empty "$tool-o-empty"
	run "$tool-o-case" 0 $tool -S "$DIR" -o PSS $p
	# --help: the generated column list, examples, the sibling tools and the question each answers.
	run "$tool-help" 0 $tool --help
	help_columns "$T/$tool-help.out" | grep -qx pss || fail "$tool --help: no generated column list"
	grep -q '^Examples:' "$T/$tool-help.out" || fail "$tool --help: no examples"
	for sib in memps memmaps memobjs; do
		[ "$sib" = "$tool" ] && continue
		grep -q "$sib(1), [a-z]" "$T/$tool-help.out" || fail "$tool --help does not name $sib with its question"
	done
done

# memmaps: no CSV, said so; fields.
run maps-csv 2 memmaps -S "$DIR" --csv $PID
err_has maps-csv "memmaps: no --csv: a mapping tree has no flat rows"
run maps-o-space 2 memmaps -S "$DIR" -o "sz,bo gus" $PID
run maps-o-nokey 2 memmaps -S "$DIR" -o sz,NoSuchKey $PID
err_has maps-o-nokey "unknown field 'NoSuchKey'"
out_empty maps-o-nokey
run maps-sort-nokey 2 memmaps -S "$DIR" -s NoSuchKey $PID
run maps-sort-bad 2 memmaps -S "$DIR" -s "a b" $PID
# a kernel key memmaps does not know but the process's smaps has is accepted (the reproducer's -o bogus
# printed "-:bogus" on every row with exit 0)
KEY=$(grep -hoE '^[A-Za-z_]+:' "$DIR/$PID/smaps" | sort -u | sed 's/:$//' | grep -vxE 'Size|KernelPageSize|MMUPageSize|Rss|Pss|Pss_Dirty|Pss_Anon|Pss_File|Pss_Shmem|Shared_Clean|Shared_Dirty|Private_Clean|Private_Dirty|Referenced|Anonymous|KSM|LazyFree|AnonHugePages|ShmemPmdMapped|FilePmdMapped|Shared_Hugetlb|Private_Hugetlb|Swap|SwapPss|Locked|VmFlags' | head -1)
if [ -n "$KEY" ]; then
	run maps-o-extra 0 memmaps -S "$DIR" -b -o "sz,$KEY" $PID
	grep -q ":$KEY" "$T/maps-o-extra.out" || fail "memmaps -o $KEY: no $KEY tag"
fi
run maps-o-known 0 memmaps -S "$DIR" -b -o "SZ,anonymous,vmflags" $PID
grep -q ':Anonymous' "$T/maps-o-known.out" || fail "memmaps -o anonymous: no Anonymous tag"

# memps: --cgroup a typo is an error naming it; an existing one works; --cross-check refuses what it
# would ignore.
run ps-cgroup-bad 2 memps -S "$DIR" --cgroup /nonexistent
err_has ps-cgroup-bad "memps: no process is in cgroup '/nonexistent' or below"
out_empty ps-cgroup-bad
run ps-cgroup-ok 0 memps -S "$DIR" -t none -o pid --cgroup "$CG"
grep -qE "^p:$PID " "$T/ps-cgroup-ok.out" || fail "--cgroup $CG does not show $PID: $(cat "$T/ps-cgroup-ok.out")"
# the root cgroup holds every process, even of a recording without cgroup files
run ps-cgroup-root 0 memps -S "$FIXTURES/smemcap-style" -t none --cgroup /
grep -q '^TOTAL' "$T/ps-cgroup-root.out" || fail "--cgroup / on smemcap-style: no TOTAL row"
for x in --json --csv "--group user" "--cgroup /"; do
	# shellcheck disable=SC2086
	run "ps-cc-$(echo $x | tr -dc a-z)" 2 memps --cross-check $x
	err_has "ps-cc-$(echo $x | tr -dc a-z)" "--cross-check writes its own text: no ${x%% *}"
done
run ps-o-trailing 2 memps -S "$DIR" -o pss,
run ps-sort-bad 2 memps -S "$DIR" -s bogus
err_has ps-sort-bad "unknown column 'bogus' (valid: pss private"
run ps-sort-two 2 memps -S "$DIR" -s pss,rss
err_has ps-sort-two "--sort takes one column"

# One summary wording: memps and memmaps say the same of the same unreadable process (pid 1 of the
# fixture has no readable smaps: see the oracle's select()).
run ps-sum 0 memps -S "$DIR" -p 1
run maps-sum 0 memmaps -S "$DIR" 1
ps_line=$(sed -n 's/^memps: \(1 process unreadable (.*); totals exclude them\)$/\1/p' "$T/ps-sum.err")
maps_line=$(sed -n 's/^memmaps: \(.*totals exclude them\)$/\1/p' "$T/maps-sum.err")
[ -n "$ps_line" ] && [ "$ps_line" = "$maps_line" ] ||
	fail "summaries differ or are missing: memps '$ps_line', memmaps '$maps_line'"

# Text decorations: ASCII in the C locale, the sum sign in a UTF-8 one.
run maps-ascii 0 memmaps -S "$DIR" $PID
LC_ALL=C.UTF-8
run maps-utf8 0 memmaps -S "$DIR" $PID
LC_ALL=C
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T/maps-ascii.out"; then
	fail "memmaps in the C locale writes non-ASCII bytes: $(LC_ALL=C grep -n "$(printf '[\200-\377]')" "$T/maps-ascii.out" | head -2)"
fi
grep -q 'Sum_pss' "$T/maps-ascii.out" || fail "memmaps in the C locale: no Sum_pss"
grep -q "$(printf '\316\243')pss" "$T/maps-utf8.out" || fail "memmaps in C.UTF-8: no sum sign"

# The JSON header: one object for every tool and every source format, checked against what the test
# knows independently of the tools (the path it gave, the fixture's version file, uname -r live).
make_tar "$DIR" "$T/rec.tar"
FIXKERNEL=$(awk '{ print $3; exit }' "$DIR/version")
LIVEKERNEL=$(uname -r)
check_header() { # NAME TOOL KIND FORMAT PATH KERNEL (PATH and KERNEL: "null" for null)
	"$PYTHON3" - "$T/$1.out" "$2" "$3" "$4" "$5" "$6" <<'PY' || fail "$1: JSON header"
import json, sys
path, tool, kind, fmt, spath, kernel = sys.argv[1:7]
doc = json.load(open(path, encoding="utf-8"))
want = {"kind": kind, "format": fmt, "path": None if spath == "null" else spath,
        "kernel": None if kernel == "null" else kernel,
        # the fixture carries every feature; the live kernel may lack some (old-kernels.sh checks the entries)
        "missing": []}
if kind == "live" and spath == "null" and isinstance(doc.get("source", {}).get("missing"), list):
    want["missing"] = doc["source"]["missing"]
keys = list(doc)[:2]
ok = keys == ["schema", "source"] and doc["schema"] == tool + "/1" and doc["source"] == want
if not ok:
    print("%s: header %r %r, expected schema %s/1 and source %r" % (path, keys, doc.get("source"), tool, want))
    sys.exit(1)
PY
}
for tool in memps memmaps memobjs memsys; do
	p=
	[ "$tool" = memmaps ] && p=$PID
	run "$tool-j-dir" 0 $tool -S "$DIR" --json $p
	check_header "$tool-j-dir" $tool snapshot dir "$DIR" "$FIXKERNEL"
	run "$tool-j-tar" 0 $tool -S "$T/rec.tar" --json $p
	check_header "$tool-j-tar" $tool snapshot tar "$T/rec.tar" "$FIXKERNEL"
	case $tool in
	memps) bin=$MEMPS_BIN ;;
	memmaps) bin=$MEMMAPS_BIN ;;
	memobjs) bin=$MEMOBJS_BIN ;;
	memsys) bin=$MEMSYS_BIN ;;
	esac
	"$bin" -S - --json $p <"$T/rec.tar" >"$T/$tool-j-stdin.out" 2>"$T/$tool-j-stdin.err"
	RC=$?
	no_crash "$tool-j-stdin" "$RC" "$T/$tool-j-stdin.err"
	[ "$RC" -eq 0 ] || fail "$tool -S - --json: exit status $RC"
	check_header "$tool-j-stdin" $tool snapshot stdin null "$FIXKERNEL"
	run "$tool-j-root" 0 $tool --proc-root "$DIR" --json $p
	check_header "$tool-j-root" $tool live proc "$DIR" "$FIXKERNEL"
	lp=
	[ "$tool" = memmaps ] && lp=$$
	run "$tool-j-live" 0 $tool --json $lp
	check_header "$tool-j-live" $tool live proc null "$LIVEKERNEL"
done
# memobjs --hidden reads no process, and still names the kernel
run objs-hidden-j 0 memobjs -S "$DIR" --hidden --json
check_header objs-hidden-j memobjs snapshot dir "$DIR" "$FIXKERNEL"
finish
