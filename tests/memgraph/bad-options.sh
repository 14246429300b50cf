#!/bin/sh
# bad-options.sh: memgraph's usage errors and bad sources, with their exit statuses (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"

# try NAME WANT_RC ARGS...: the exit status, no crash, one message naming memgraph when it fails
try() {
	name=$1 want=$2
	shift 2
	"$MEMGRAPH" "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	rc=$?
	no_crash "$name" "$rc" "$T/$name.err"
	[ "$rc" -eq "$want" ] || fail "$name: memgraph $*: exit $rc, want $want ($(head -c 200 "$T/$name.err"))"
	if [ "$want" -ne 0 ]; then
		grep -q '^memgraph: ' "$T/$name.err" || fail "$name: no 'memgraph: ' message"
		[ "$want" -eq 3 ] || [ ! -s "$T/$name.out" ] || fail "$name: output on stdout"
	fi
}

try input-alone 2 --input "$FIXTURES/x.json"
try input-with-v 2 --html --input - -v
try input-with-t 2 --html --input - -t
try input-with-S 2 --html --input - -S "$FIXTURES/debian12-workload"
try csv 2 --csv -S "$FIXTURES/debian12-workload"
try argument 2 -S "$FIXTURES/debian12-workload" 1234
try unknown 2 --objectz
try both-sources 2 -S "$FIXTURES/debian12-workload" --proc-root /proc
try no-source 1 -S "$T/none"
try not-recording 1 -S "$T"
grep -q "unexpected argument '1234'" "$T/argument.err" || fail "argument: message"
grep -q -- "--input needs --html" "$T/input-alone.err" || fail "input-alone: message"
# a garbled meminfo is bad input: named on stderr, the records follow with the kernel sizes unknown
mkdir -p "$T/bad" && cp -R "$FIXTURES/debian12-workload/." "$T/bad/"
printf 'MemTotal: lots kB\n' >"$T/bad/meminfo"
try bad-meminfo 3 -S "$T/bad"
grep -q 'meminfo: line 1' "$T/bad-meminfo.err" || fail "bad-meminfo: the file is not named"
grep -q '"id":"kernel/physmem","type":"kernel","parent":"","name":"physmem","size_bytes":null' "$T/bad-meminfo.out" ||
	fail "bad-meminfo: kernel/physmem not unknown"
# -v over a process whose smaps goes backwards: a problem (named, exit 3), and the process has no
# part of any object, as no object counts it (memobjs's rule)
mkdir -p "$T/ord" && cp -R "$FIXTURES/debian12-workload/." "$T/ord/"
"$PYTHON3" - "$T/ord/24569/smaps" <<'PY'
import sys
lines, recs = open(sys.argv[1], "rb").read().split(b"\n"), []
for l in lines:
    first = l.split(b" ", 1)[0]
    if l and b"-" in first and all(ch in b"0123456789abcdef-" for ch in first):
        recs.append([l])
    elif l:
        recs[-1].append(l)
recs[0], recs[1] = recs[1], recs[0]
open(sys.argv[1], "wb").write(b"\n".join(b"\n".join(r) for r in recs) + b"\n")
PY
try out-of-order 3 -v -S "$T/ord"
grep -q '24569/smaps: line [0-9]*: mapping overlaps or precedes' "$T/out-of-order.err" || fail "out-of-order: not named"
grep -q '"id":"p/24569".*"objects":\[\]}' "$T/out-of-order.out" || fail "out-of-order: p/24569 has parts"
[ "$(grep -c '24569' "$T/out-of-order.out")" -eq 1 ] || fail "out-of-order: an object counts 24569"
# --input: a file that is not there, a directory: input errors
try input-missing 3 --html --input "$T/none.json"
try input-dir 3 --html --input "$T"
# -t on a recording: no thread records, said once on stderr and in __META
"$MEMGRAPH" -t -S "$FIXTURES/debian12-workload" >"$T/t.out" 2>"$T/t.err"
[ "$(grep -c 'threads not recorded' "$T/t.err")" -eq 1 ] || fail "-t on a recording: not said once on stderr"
grep -q '"threads":"not recorded"' "$T/t.out" || fail "-t on a recording: __META lacks threads: not recorded"
! grep -q '"type":"t"' "$T/t.out" || fail "-t on a recording: thread records"
"$MEMGRAPH" --version >"$T/v.out" || fail "--version"
grep -q . "$T/v.out" || fail "--version printed nothing"
finish
