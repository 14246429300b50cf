#!/bin/sh
# tests/cross-check.sh: memps's PSS agrees with libproc2's independent reading (live, idle processes)
set -eu
memps="$top_builddir/memps"
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in 1 2 3 4; do sleep 300 & pids="$pids $!"; done
list=$(echo $pids | tr ' ' ',')
sleep 0.2
out=$("$memps" --cross-check -p "$list") || { echo "FAIL: rc $? $out"; exit 1; }
echo "$out"
echo "$out" | grep -q "^cross-check: 4 processes compared with libproc2: 4 agree, 0 differ$" || { echo "FAIL: unexpected"; exit 1; }
# A snapshot cannot be cross-checked (libproc2 reads only /proc): usage error.
rc=0; "$memps" --cross-check -S "$top_srcdir/fixtures/debian12-workload" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: --cross-check on a snapshot gave rc $rc, want 2"; exit 1; }
