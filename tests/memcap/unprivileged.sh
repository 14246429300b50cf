#!/bin/sh
# unprivileged.sh: memcap run by an unprivileged user (busybox as a file, mksh with toybox piped): its own workload recorded as /proc shows it, root's processes with EACCES lines for the files it may not read (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memcap/lib-memcap.sh"
. "$top_srcdir/tests/common/workload.sh"
need_test_user memps-memcap
USER_NAME=memps-memcap
need_userlands
start_workload
# and root's process with arguments, whose cmdline the user's memcap must scrub
sleep 600 &
SLEEP_PID=$!
ROOT_PIDS="$WL_PIDS $SLEEP_PID"

# A second workload, the user's own.
wlu=$(user_bin "$USER_NAME" "$WL") || exit 1
mkdir "$T/utmp" "$T/u" && chown "$TEST_UID:$TEST_GID" "$T/utmp" "$T/u"
: >"$T/upids"
chmod 666 "$T/upids"
runuser -u "$USER_NAME" -- env TMPDIR="$T/utmp" "$wlu" >>"$T/upids" &
upid=$!
stop_user_workload() {
	u1=$(head -n 1 "$T/upids")
	[ -n "$u1" ] && kill -TERM "$u1" 2>/dev/null
	wait "$upid"
}
trap 'kill "$SLEEP_PID" 2>/dev/null; stop_workload >/dev/null 2>&1; stop_user_workload; cleanup_tmp' EXIT
i=0
while [ "$(wc -l <"$T/upids")" -lt "$WL_NPIDS" ]; do
	i=$((i + 1))
	[ $i -le 600 ] && kill -0 "$upid" 2>/dev/null || { echo "FAIL: the user's workload did not start"; exit 1; }
	sleep 0.1
done
WL_PIDS=$(tr '\n' ' ' <"$T/upids")
[ "$(stat -c %u "/proc/${WL_PIDS%% *}")" = "$TEST_UID" ] || { echo "FAIL: the workload is not the user's"; exit 1; }

# shellcheck disable=SC2086
{
	live_before
	runuser -u "$USER_NAME" -- env -i PATH="$T/bb" "$BUSYBOX" sh "$T/memcap" -o "$T/u/cap" $WL_PIDS $ROOT_PIDS \
		2>"$T/file.err" || fail "as $USER_NAME (busybox): exit $?"
	capture_check user-file "$T/u/cap"
	live_before
	runuser -u "$USER_NAME" -- env -i PATH="$T/tb" "$MKSH" -s -- $WL_PIDS $ROOT_PIDS <"$T/memcap" \
		>"$T/cap.tar" 2>"$T/pipe.err" || fail "as $USER_NAME (mksh, toybox): exit $?"
	capture_check user-pipe "$T/cap.tar"
}
[ -s "$T/file.err" ] && fail "busybox: stderr: $(head -3 "$T/file.err")"
[ -s "$T/pipe.err" ] && fail "mksh: stderr: $(head -3 "$T/pipe.err")"

# root's processes: there, with a manifest naming what the user may not read (the memory files and the
# fd directory are the owner's, whatever their mode says), nothing else missing.
mkdir "$T/x"
tar -xf "$T/cap.tar" -C "$T/x" || fail "cannot extract the tar"
for c in "$T/u/cap" "$T/x"; do
	grep -qx "uid $TEST_UID" "$c/memcap.info" || fail "$c: memcap.info: $(cat "$c/memcap.info")"
	grep -q "^$USER_NAME:x:$TEST_UID:$TEST_GID\$" "$c/passwd" || fail "$c: passwd lacks $USER_NAME"
	grep -q "^root:x:0:0\$" "$c/passwd" || fail "$c: passwd lacks root"
	for p in $ROOT_PIDS; do
		[ -f "$c/$p/stat" ] && [ -f "$c/$p/status" ] || { fail "$c: $p is not recorded"; continue; }
		for f in smaps_rollup smaps maps fds; do
			grep -qx "$f EACCES" "$c/$p/memcap.errors" || fail "$c: $p/memcap.errors lacks '$f EACCES'"
			[ -e "$c/$p/$f" ] && fail "$c: $p/$f is there"
		done
		[ "$(wc -l <"$c/$p/memcap.errors")" -eq 4 ] || fail "$c: $p/memcap.errors: $(cat "$c/$p/memcap.errors")"
	done
	# every cmdline scrubbed to argv[0] (a copy of /proc's 0444 file is replaced, not written over)
	"$PYTHON3" - "$c" <<'PY' || fail "$c: a cmdline is not scrubbed"
import os, sys
bad = []
for d in os.listdir(sys.argv[1]):
    f = os.path.join(sys.argv[1], d, "cmdline")
    if d.isdigit() and os.path.isfile(f):
        args = open(f, "rb").read().split(b"\0")[:-1]
        if len(args) > 2 or (len(args) == 2 and args[1] != b"ARGS-SCRUBBED"):
            bad.append(d)
print("not scrubbed:", bad) if bad else None
sys.exit(1 if bad else 0)
PY
	# the tools read root's processes as unreadable, permission denied
	"$top_builddir/memps" -S "$c" -p "$(echo $ROOT_PIDS | tr ' ' ,)" >"$T/m.out" 2>"$T/m.err"
	grep -q "unreadable: EACCES\|unreadable: permission denied" "$T/m.out" ||
		fail "$c: memps does not say unreadable: $(head -5 "$T/m.out")"
done
finish
