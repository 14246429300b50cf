#!/bin/sh
# unprivileged-hidden.sh: memobjs --hidden as an unprivileged user never calls a /dev/shm file that root holds open an orphan: "holders unknown" (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
HOLD=$top_builddir/tests/memobjs/hold-objects
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
[ -x "$HOLD" ] || { echo "FAIL: $HOLD is not built"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create and switch to a test user"
command -v runuser >/dev/null 2>&1 || skip "runuser is missing"
[ -d /dev/shm ] && [ -w /dev/shm ] || skip "no writable /dev/shm"
USER_NAME=memps-test
need_test_user "$USER_NAME"
MEMOBJS=$(user_bin "$USER_NAME" "$MEMOBJS") || exit 1
. "$top_srcdir/tests/memobjs/hold.sh"

# Root's helper holds a /dev/shm file open (mapped by nobody) and leaves another held by nobody.
start_helper || { fail "the helper could not create its objects"; finish; }

runuser -u "$USER_NAME" -- "$MEMOBJS" --hidden --json >"$T/hidden.json" 2>"$T/hidden.err"
rc=$?
[ $rc -eq 0 ] || fail "memobjs --hidden as $USER_NAME: exit $rc: $(head -3 "$T/hidden.err")"
runuser -u "$USER_NAME" -- "$MEMOBJS" --hidden >"$T/hidden.txt" 2>>"$T/hidden.err" || fail "memobjs --hidden (text) as $USER_NAME"
"$PYTHON3" - "$T/hold.out" "$T/hidden.json" "$T/hidden.txt" <<'PY' || fail "holders unknown"
import json, sys
info = dict(w.split("=", 1) for w in open(sys.argv[1]).read().split())
doc = json.load(open(sys.argv[2]))
txt = open(sys.argv[3]).read()
bad = []
for what in ("held", "orphan"):
    ino = int(info[what + "_ino"])
    rows = [h for h in doc["hidden"] if h["inode"] == ino and h["kind"] != "sysv-unattached"]
    if len(rows) != 1:
        bad.append("%s: %d entries, want 1: %s" % (what, len(rows), rows))
        continue
    h = rows[0]
    # root's fds cannot be read by the user: nobody known holds either file, and neither is an orphan.
    if (h["kind"], h["holders_known"], h["holder_pids"]) != ("shm-holders-unknown", False, []):
        bad.append("%s: kind %s holders_known %s holders %s, want shm-holders-unknown False []" %
                   (what, h["kind"], h["holders_known"], h["holder_pids"]))
    if h["name"] != info[what] or h["size_bytes"] != int(info[what + "_size"]):
        bad.append("%s: name %r size %s, want %r %s" % (what, h["name"], h["size_bytes"], info[what], info[what + "_size"]))
    line = [l for l in txt.splitlines() if l.endswith(" " + info[what])]
    if len(line) != 1 or line[0].split()[-3:-1] != ["?", "shm-holders-unknown"]:
        bad.append("%s: text row %r, want HOLDERS ? and KIND shm-holders-unknown" % (what, line))
if any(h["kind"] == "shm-orphan" for h in doc["hidden"]):
    bad.append("an orphan is claimed although other users' fds could not be read")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
grep -q "fds could not be read" "$T/hidden.err" || fail "stderr does not say that fds could not be read: $(head -3 "$T/hidden.err")"
finish
