#!/bin/sh
# unprivileged.sh: a recording made by an unprivileged user (root's fds refused: "fds EACCES") read by memobjs --hidden: root's held /dev/shm file is "holders unknown", never an orphan, as a live unprivileged run says (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/recording/setup.sh"
USER_NAME=memps-test
need_test_user "$USER_NAME"
RECORD=$(user_copy "$D/record.py") || exit 1

start_helper || { fail "the helper could not create its objects"; finish; }
HPID=$(sed -n 's/^pid=\([0-9]*\).*/\1/p' "$T/hold.out")
held=$(tr ' ' '\n' <"$T/hold.out" | sed -n 's/^held=//p')
mkdir "$T/u" && chmod 777 "$T/u"
runuser -u "$USER_NAME" -- "$PYTHON3" "$RECORD" "$T/u/rec" --targz "$T/u/rec.tar.gz" --pids "$HPID,1,$$" ||
	fail "record.py as $USER_NAME"
grep -q '^fds EACCES$' "$T/u/rec/$HPID/memcap.errors" || fail "root's helper's fds are not refused to $USER_NAME"
for src in "$T/u/rec" "$T/u/rec.tar.gz"; do
	"$MEMOBJS" -S "$src" --hidden --json >"$T/h.json" 2>"$T/h.err"
	rc=$?
	[ $rc -eq 0 ] || fail "memobjs -S $src --hidden: exit $rc: $(head -3 "$T/h.err")"
	"$PYTHON3" "$D/expect_hidden.py" "$T/u/rec" "$T/h.json" || fail "$src: differs from the recording's files"
	"$PYTHON3" - "$T/h.json" "$held" <<'PY' || fail "$src: root's held file"
import json, sys
doc, held = json.load(open(sys.argv[1])), sys.argv[2]
hs = [h for h in doc["hidden"] if h["name"] == held]
if doc["fds_unreadable"] < 1 or len(hs) != 1 or hs[0]["kind"] != "shm-holders-unknown" or hs[0]["holders_known"]:
    print("FAIL: fds_unreadable %r, %r" % (doc["fds_unreadable"], hs))
    sys.exit(1)
PY
done
finish
