#!/bin/sh
# tests/cross-check.sh: memps's PSS agrees with libproc2's independent reading (live, idle processes)
set -eu
memps="$top_builddir/memps"
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in 1 2 3 4; do sleep 300 & pids="$pids $!"; done
list=$(echo $pids | tr ' ' ',')
# each one sleep, not the shell's child before exec (a minute at most: a loaded machine)
for p in $pids; do
	i=0
	until [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ]; do
		i=$((i + 1))
		[ $i -le 600 ] || { echo "FAIL: sleep $p did not start"; exit 1; }
		sleep 0.1
	done
done
# The PSS of a process moves whenever another process maps or unmaps a page it shares (libc), and
# tests run in parallel: a real disagreement persists, a moving target does not.  Up to 5 tries.
try=0
while :; do
	try=$((try + 1))
	rc=0
	out=$("$memps" --cross-check -p "$list") || rc=$?
	echo "$out"
	if [ $rc -eq 0 ] &&
		echo "$out" | grep -q "^cross-check: 4 processes compared with libproc2: 4 agree, 0 differ$"; then
		break
	fi
	[ $try -lt 5 ] || { echo "FAIL: rc $rc after $try tries"; exit 1; }
	sleep 0.5
done
# A snapshot cannot be cross-checked (libproc2 reads only /proc): usage error.
rc=0; "$memps" --cross-check -S "$top_srcdir/fixtures/debian12-workload" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: --cross-check on a snapshot gave rc $rc, want 2"; exit 1; }
