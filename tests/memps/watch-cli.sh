#!/bin/sh
# watch-cli.sh: memps -w's usage errors, -n without -w, a closed pipe, and a run by an unprivileged user whose own growing process is followed while root's stay unknown (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
. "$MEMPS_TESTDIR/watch-lib.sh"
CHECK=$MEMPS_TESTDIR/check-watch.py

# usage_error NAME MESSAGE ARGS...: exit status 2 and MESSAGE on stderr, nothing on stdout.
usage_error() {
	name=$1
	msg=$2
	shift 2
	run_memps "$name" "$@"
	expect_rc "$name" 2
	grep -qF -- "$msg" "$T/$name.err" || fail "$name: no '$msg' in: $(cat "$T/$name.err")"
	[ ! -s "$T/$name.out" ] || fail "$name: output on a usage error"
}
usage_error recording "a recording is one sample: no -w or -n with -S" -w 1 -S "$FIXTURES/debian12-workload"
usage_error recording-n "a recording is one sample" -n 2 -S "$FIXTURES/debian12-workload"
usage_error count0 "-n takes a count from 1" -w 1 -n 0
usage_error negative "-w takes a number of seconds from 0 to 86400, not '-1'" -w -1
usage_error nan "-w takes a number of seconds" -w nan
usage_error hex "-w takes a number of seconds" -w 0x10
usage_error day "-w takes a number of seconds" -w 86401
usage_error tree "-w follows processes one row each: no -t" -w 1 -t none
usage_error group "no -g" -w 1 -g user
usage_error cross "no --cross-check" -w 1 --cross-check
usage_error growth "--sort=growth needs -w" --sort=growth
usage_error growth-pid "--sort=growth:COL takes a size column" -w 1 --sort=growth:pid
usage_error growth-bad "unknown column 'bogus'" -w 1 --sort=growth:bogus

# -n without -w: COUNT samples a second apart, as memsys -n.
run_memps count -n 2 --json -p $$
expect_rc count 0
[ "$(wc -l <"$T/count.out")" -eq 2 ] || fail "-n 2: not 2 lines"
"$PYTHON3" -c 'import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
assert [x["interval_us"] for x in d] == [1000000, 1000000], d' "$T/count.out" || fail "-n alone: not 1 s apart"
# -w 0: as fast as the samples go
run_memps fast -w 0 -n 3 --json -p $$
expect_rc fast 0
"$PYTHON3" "$CHECK" json "$T/fast.out" 3 || fail "-w 0"

# A reader that goes away: memps ends quietly with 0 at the next sample (no -n).
( timeout 30 "$MEMPS" -w 0.05 -p $$ 2>"$T/pipe.err"; echo $? >"$T/pipe.rc" ) | head -n 1 >/dev/null
[ "$(cat "$T/pipe.rc")" = 0 ] || fail "closed pipe: exit status $(cat "$T/pipe.rc")"
[ ! -s "$T/pipe.err" ] || fail "closed pipe: said $(cat "$T/pipe.err")"

# An unprivileged user: its own growing process followed, root's processes unknown (null), never 0.
USER_NAME=memps-test
need_test_user "$USER_NAME"
UMEMPS=$(user_bin "$USER_NAME" "$MEMPS") || exit 1
UWL=$(user_bin "$USER_NAME" "$top_builddir/tests/common/workload") || exit 1
TAG=memps-watch-user-$$
setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --clear-groups "$UWL" grow 2 80 100 "$TAG" >"$T/grow.pid" &
trap 'kill $(cat "$T/grow.pid") 2>/dev/null; cleanup_tmp' EXIT
wait_until "the user's workload did not start" test -s "$T/grow.pid"
grow=$(cat "$T/grow.pid")
runuser -u "$USER_NAME" -- "$UMEMPS" -w 0.5 -n 3 --json >"$T/user.out" 2>"$T/user.err"
rc=$?
no_crash user $rc "$T/user.err"
[ $rc -eq 0 ] || fail "unprivileged: exit status $rc"
"$PYTHON3" "$CHECK" json "$T/user.out" 3 --grower "$grow" || fail "unprivileged JSON Lines"
"$PYTHON3" -c 'import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
root = [p for p in last["watch"]["processes"] if p["pid"] == 1]
assert root and root[0]["pss_bytes"] is None and root[0]["pss_delta_bytes"] is None \
    and root[0]["pss_growth_bytes"] is None, root' "$T/user.out" || fail "unprivileged: pid 1 not unknown"
finish
