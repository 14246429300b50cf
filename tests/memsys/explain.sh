#!/bin/sh
# explain.sh: memsys --explain over the recordings (each figure recomputed from the raw files), live as root and as an unprivileged user (the terms add up), bad combinations (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps

# every recording directory of fixtures/ (smemcap-real holds a tar, which tests/memps/smem-compat.sh reads)
set --
for d in "$FIXTURES"/*/; do
	[ -f "$d/meminfo" ] || [ -f "$d/capture.tar" ] || fail "$d: neither a recording nor a capture"
	[ -f "$d/meminfo" ] && set -- "$@" "$d"
done
"$PYTHON3" "$top_srcdir/tests/memsys/check-explain.py" "$MEMPS" "$@" || fail "check-explain.py"

# live_check NAME: the JSON of a live --explain adds up to used; unreadable processes are counted.
live_check() {
	"$PYTHON3" - "$T/$1.out" "$2" <<'PY' || fail "$1: live --explain JSON"
import json, sys
ex = json.load(open(sys.argv[1]))["explain"]
added = sum(t["bytes"] for t in ex["terms"] if not t["part"] and t["bytes"] is not None)
assert added == ex["used_bytes"], (added, ex["used_bytes"])
assert ex["readable_processes"] > 0
if sys.argv[2] == "user":
    assert ex["unreadable_processes"] > 0, "an unprivileged user reads every process?"
PY
}
run_memps live --explain --json
expect_rc live 0
live_check live root
run_memps live-text --explain
expect_rc live-text 0
grep -q '^unexplained ' "$T/live-text.out" || fail "live text: no unexplained line"

need_test_user memps-memsys-test
bin=$(user_bin memps-memsys-test "$MEMPS") || exit 1
runuser -u memps-memsys-test -- "$bin" --explain --json >"$T/user.out" 2>"$T/user.err" || fail "unprivileged --explain failed: $(cat "$T/user.err")"
live_check user user

# A tar on stdin is read once: no sysvipc/shm, said so.
(cd "$FIXTURES/debian12-workload" && tar -cf - -- *) >"$T/rec.tar"
"$MEMPS" -S - --explain <"$T/rec.tar" >"$T/stdin.out" 2>"$T/stdin.err" || fail "stdin --explain failed"
grep -q "sysvipc/shm and /dev/shm not read" "$T/stdin.err" || fail "stdin: no note about sysvipc/shm and /dev/shm"

for args in "-n 2" "-t" "-o free" "--csv"; do
	run_memps "explain $args" --explain $args
	expect_rc "explain $args" 2
done
finish
