#!/bin/sh
# watch-pidfd.sh: memps -w follows processes by pidfd: stat read once per process (strace), one pidfd per process followed and none left once it is gone (the descriptors of the running memps), a process that exits [vanished] and one that starts [new] (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
WL=$top_builddir/tests/common/workload
[ -x "$WL" ] || { echo "FAIL: $WL is not built"; exit 1; }
. "$MEMPS_TESTDIR/watch-lib.sh"
OPENS=$MEMPS_TESTDIR/watch-opens.py
TAG=memps-pidfd-test-$$
KIDS=
trap 'kill $KIDS 2>/dev/null; cleanup_tmp' EXIT

# spawn NAME: an idle `workload grow 0 0 0 TAG` in the background, its pid in $NAME once it has started.
spawn() {
	rm -f "$T/$1.pid"
	"$WL" grow 0 0 0 "$TAG" >"$T/$1.pid" &
	wait_until "workload grow did not start" test -s "$T/$1.pid"
	eval "$1=\$(cat \"\$T/\$1.pid\")"
	KIDS="$KIDS $(cat "$T/$1.pid")"
}

# samples FILE N: FILE holds N sample headings or more.
samples() {
	[ "$(grep -c '^sample ' "$1")" -ge "$2" ]
}

# pidfds PID: how many pidfds process PID holds.
pidfds() {
	n=0
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd" 2>/dev/null) in
		*pidfd*) n=$((n + 1)) ;;
		esac
	done
	echo $n
}

# The kernel has pidfd_open (Linux 5.3): else memps reads stat at every sample, as before.
if ! "$PYTHON3" -c 'import os, sys; os.close(os.pidfd_open(os.getpid()))' 2>/dev/null; then
	skip "no pidfd_open on this kernel (or Python < 3.9)"
fi

spawn A
spawn B
spawn C

# The descriptors of a running watch: a pidfd per process followed (A, B, C), fewer as they exit, and
# none left once they are gone; the processes marked in the text.
: >"$T/fd.out"
"$MEMPS" -w 0.3 -n 40 "$TAG" >"$T/fd.out" 2>"$T/fd.err" &
MP=$!
wait_until "no second sample" samples "$T/fd.out" 2
n=$(pidfds $MP)
[ "$n" -eq 3 ] || fail "$n pidfds for 3 processes followed"
kill "$A" "$B"
spawn D
s=$(grep -c '^sample ' "$T/fd.out")
wait_until "no sample after the change" samples "$T/fd.out" $((s + 2))
n=$(pidfds $MP)
[ "$n" -eq 2 ] || fail "$n pidfds for 2 processes followed (C, D)"
kill "$C" "$D"
s=$(grep -c '^sample ' "$T/fd.out")
wait_until "no sample after the end" samples "$T/fd.out" $((s + 2))
n=$(pidfds $MP)
[ "$n" -eq 0 ] || fail "$n pidfds left once every process followed is gone"
# the check can fail: memps's own descriptors are seen
[ "$(ls /proc/$MP/fd | wc -l)" -gt 0 ] || fail "no descriptor of memps seen"
kill $MP
wait $MP
grep -q "^p:$A .*\[vanished\]" "$T/fd.out" || fail "$A not marked [vanished]"
grep -q "^p:$D .*\[new\]" "$T/fd.out" || fail "$D not marked [new]"

# stat is read once per process: in the sample that first shows it, never after (strace: the opens
# of PID/stat between the writes of two samples).
if command -v strace >/dev/null 2>&1; then
	spawn E
	: >"$T/trace.out"
	strace -f -e trace=openat,write -s 16 -o "$T/trace" "$MEMPS" -w 0.3 -n 6 "$TAG" >"$T/trace.out" 2>"$T/trace.err" &
	MP=$!
	wait_until "no first sample under strace" samples "$T/trace.out" 1
	spawn F
	wait $MP
	[ "$(grep -c '^sample ' "$T/trace.out")" -eq 6 ] || fail "strace: not 6 samples"
	"$PYTHON3" "$OPENS" once "$T/trace" "$T/trace.out" "$E" "$F" || fail "stat read again for a process followed"
	# a kernel without pidfd_open (ENOSYS injected): stat read by every sample's scan, once a process
	strace -f -e trace=openat,write,pidfd_open -e inject=pidfd_open:error=ENOSYS -s 16 -o "$T/trace2" \
		"$MEMPS" -w 0 -n 3 "$TAG" >"$T/trace2.out" 2>"$T/trace2.err"
	"$PYTHON3" "$OPENS" every "$T/trace2" 3 "$E" "$F" || fail "no pidfd_open: stat not read once per sample"
else
	echo "SKIP: strace is missing: stat reads not counted"
fi
finish
