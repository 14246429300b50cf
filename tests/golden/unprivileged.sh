#!/bin/sh
# unprivileged.sh: memps run as an unprivileged user: own processes measured, the rest unreadable (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/golden/lib.sh"
need_memps

[ "$(id -u)" -eq 0 ] || skip "needs root to create and switch to a test user"
command -v runuser >/dev/null 2>&1 || skip "runuser is missing"
USER_NAME=memps-test
if ! id -u "$USER_NAME" >/dev/null 2>&1; then
	useradd -M -r -s /usr/sbin/nologin "$USER_NAME" || skip "cannot create $USER_NAME"
fi
uid=$(id -u "$USER_NAME")
gid=$(id -g "$USER_NAME")

# memps and its directory must be reachable by the test user.
if ! runuser -u "$USER_NAME" -- test -x "$MEMPS"; then
	skip "$MEMPS is not executable by $USER_NAME (build directory permissions)"
fi

setpriv --reuid="$uid" --regid="$gid" --clear-groups sleep 300 &
sleep_pid=$!
trap 'kill $sleep_pid 2>/dev/null; cleanup_tmp' EXIT
i=0
until [ "$(awk '/^Uid:/ { print $2 }' /proc/$sleep_pid/status 2>/dev/null)" = "$uid" ] &&
	[ "$(cat /proc/$sleep_pid/comm 2>/dev/null)" = sleep ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "FAIL: the test user's sleep did not start"; exit 1; }
	sleep 0.05
done

runuser -u "$USER_NAME" -- "$MEMPS" --json >"$T/json.out" 2>"$T/json.err"
RC=$?
no_crash json "$RC" "$T/json.err"
expect_rc json 0
runuser -u "$USER_NAME" -- "$MEMPS" --tree=none --bytes >"$T/text.out" 2>"$T/text.err"
RC=$?
no_crash text "$RC" "$T/text.err"
expect_rc text 0

for f in json text; do
	grep -Eq '^memps: [0-9]+ process(es)? unreadable \(permission denied\)(, [0-9]+ vanished)?; totals exclude them$' \
		"$T/$f.err" || fail "$f: no summary line on stderr: $(head -3 "$T/$f.err")"
done

"$PYTHON3" - "$T/json.out" "$T/text.out" "$sleep_pid" "$uid" <<'PY' || fail "unprivileged view"
import json, os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "golden"))
import expect
doc = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8", errors="replace").read().splitlines()
mine, uid = int(sys.argv[3]), int(sys.argv[4])
bad = []
procs = {p["pid"]: p for p in doc["processes"]}
p = procs.get(mine)
live = expect.load_process("/proc", str(mine), None)
if p is None:
    bad.append("own sleep %d not listed" % mine)
else:
    if p["state"] != "ok":
        bad.append("own sleep: state %r" % p["state"])
    for k in ("pss_bytes", "private_bytes", "rss_bytes"):
        if p.get(k) != live[k]:
            bad.append("own sleep %s: memps=%r /proc=%r" % (k, p.get(k), live[k]))
    if p.get("uid") != uid:
        bad.append("own sleep uid %r" % p.get("uid"))
p1 = procs.get(1)
if p1 is None or p1["state"] != "unreadable" or p1.get("error") != "EACCES" or p1.get("pss_bytes") is not None:
    bad.append("pid 1 should be unreadable with EACCES and null sizes: %r" % (p1,))
others = [q for q in doc["processes"] if q["uid"] not in (uid, None) and q["state"] not in ("kernel", "vanished")]
for q in others:
    if q["state"] != "unreadable" or q.get("pss_bytes") is not None:
        bad.append("pid %d of uid %r: state %r pss %r" % (q["pid"], q["uid"], q["state"], q.get("pss_bytes")))
n_unr = sum(1 for q in doc["processes"] if q["state"] == "unreadable")
if doc.get("unreadable") != n_unr or n_unr == 0:
    bad.append("unreadable=%r, processes in state unreadable: %d" % (doc.get("unreadable"), n_unr))
if not any(q["state"] == "kernel" for q in doc["processes"]):
    bad.append("no kernel thread listed")
ok = [q for q in doc["processes"] if q["state"] == "ok"]
if doc["totals"]["pss_bytes"] != sum(q["pss_bytes"] for q in ok):
    bad.append("totals.pss_bytes %r != sum over ok processes" % doc["totals"]["pss_bytes"])
# Text: own row has its PSS in bytes, pid 1's row shows "-".
rows = {}
for line in text[1:-1]:
    f = line.split()
    if f and f[0].startswith("p:"):
        rows[int(f[0][2:])] = f
if mine not in rows or rows[mine][1] != str(live["pss_bytes"]):
    bad.append("text row of own sleep: %r (expected PSS %d)" % (rows.get(mine), live["pss_bytes"]))
if 1 not in rows or rows[1][1] != "-":
    bad.append("text row of pid 1: %r" % (rows.get(1),))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
finish
