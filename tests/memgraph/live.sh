#!/bin/sh
# live.sh: memgraph on the live system: the records valid against the schema, the workload's threads (-t) as /proc lists them, -v's objects, and a run as an unprivileged user (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"
. "$top_srcdir/tests/common/workload.sh"

start_workload
"$MEMGRAPH" -v -t >"$T/live.out" 2>"$T/live.err"
rc=$?
no_crash live "$rc" "$T/live.err"
[ "$rc" -eq 0 ] || fail "memgraph -v -t: exit $rc"
"$PYTHON_JS" "$top_srcdir/tests/memgraph/validate.py" "live -v -t" <"$T/live.out" || fail "live -v -t records"

# The workload's first process runs two threads (tests/common/workload.c): each is a record below it,
# named and in the state its task/TID/stat gives (read again after memgraph: an idle thread sleeps).
"$PYTHON_JS" - "$T/live.out" "$WL_PID" "$WL_PIDS" <<'PY' || fail "live threads and processes"
import json, os, sys
recs = json.load(open(sys.argv[1]))
wl, pids = int(sys.argv[2]), [int(x) for x in sys.argv[3].split()]
by_id = {r["id"]: r for r in recs}
bad = []
meta = recs[-1]
if meta.get("threads") != "read" or meta["source"]["kind"] != "live" or not meta["timestamp"]:
    bad.append("__META: %r" % meta)
tids = sorted(int(t) for t in os.listdir("/proc/%d/task" % wl))
threads = sorted(int(r["id"][2:]) for r in recs if r["type"] == "t" and r["parent"] == "p/%d" % wl)
if len(tids) < 2 or threads != tids:
    bad.append("threads of %d: %s, /proc says %s" % (wl, threads, tids))
for tid in tids:
    stat = open("/proc/%d/task/%d/stat" % (wl, tid), "rb").read()
    comm = stat[stat.index(b"(") + 1:stat.rindex(b")")].decode("utf-8", "replace")
    r = by_id.get("t/%d" % tid)
    if r and (r["name"] != comm or r["state"] not in "RSD"):
        bad.append("t/%d: %r %r, want %r" % (tid, r["name"], r["state"], comm))
for pid in pids:
    r = by_id.get("p/%d" % pid)
    if not r or r["state"] != "ok" or not r["pss_bytes"] or not r["objects"]:
        bad.append("workload p/%d: %r" % (pid, r and {k: r[k] for k in ("state", "pss_bytes")}))
    elif sum(o["pss_bytes"] for o in r["objects"]) != r["pss_bytes"]:
        bad.append("p/%d: Σ parts %d != pss %d" % (pid, sum(o["pss_bytes"] for o in r["objects"]), r["pss_bytes"]))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY

# As an unprivileged user: its own processes measured, root's unreadable (exit 0, the summary line).
USER_NAME=memps-test
need_test_user "$USER_NAME"
BIN=$(user_bin "$USER_NAME" "$MEMGRAPH") || exit 1
start_user_sleep "$TEST_UID" "$TEST_GID"
sleep_pid=$USER_SLEEP_PID
trap 'kill $sleep_pid 2>/dev/null; stop_workload >/dev/null 2>&1; cleanup_tmp' EXIT
runuser -u "$USER_NAME" -- "$BIN" -v -t >"$T/user.out" 2>"$T/user.err"
rc=$?
no_crash user "$rc" "$T/user.err"
[ "$rc" -eq 0 ] || fail "unprivileged: exit $rc"
grep -q '^memgraph: [0-9]* process.* unreadable (permission denied)' "$T/user.err" || fail "unprivileged: no summary line"
"$PYTHON_JS" "$top_srcdir/tests/memgraph/validate.py" "unprivileged" <"$T/user.out" || fail "unprivileged records"
"$PYTHON_JS" - "$T/user.out" "$sleep_pid" "$WL_PID" <<'PY' || fail "unprivileged view"
import json, sys
recs = json.load(open(sys.argv[1]))
by_id = {r["id"]: r for r in recs}
mine, roots = by_id.get("p/" + sys.argv[2]), by_id.get("p/" + sys.argv[3])
bad = []
if not mine or mine["state"] != "ok" or not mine["pss_bytes"] or not mine["objects"]:
    bad.append("own sleep not measured: %r" % mine)
if not roots or roots["state"] != "unreadable" or roots["pss_bytes"] is not None:
    bad.append("root's workload not unreadable: %r" % roots)
partial = [r for r in recs if r["type"] == "j" and r.get("partial")]
if not any(r["id"] == "j/" for r in partial):
    bad.append("j/ not partial")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
kill $sleep_pid 2>/dev/null
stop_workload || fail "the workload did not clean up"
finish
