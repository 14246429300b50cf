#!/bin/sh
# unprivileged.sh: memps run as an unprivileged user: own processes measured, the rest unreadable (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

USER_NAME=memps-test
need_test_user "$USER_NAME"
uid=$TEST_UID
gid=$TEST_GID

# memps must be reachable by the test user: where the build directory is not (a checkout in /root),
# a copy of it is run; a skip here would hide the test in CI.
MEMPS=$(user_bin "$USER_NAME" "$MEMPS") || exit 1

start_user_sleep "$uid" "$gid"
sleep_pid=$USER_SLEEP_PID
trap 'kill $sleep_pid 2>/dev/null; cleanup_tmp' EXIT

# PSS of shared library pages moves when other processes come and go, so the own process is read
# from /proc before and after each memps run, and a run is judged when both readings agree.
"$PYTHON3" - "$MEMPS" "$USER_NAME" "$sleep_pid" "$uid" <<'PY' || fail "unprivileged view"
import json, os, re, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "common"))
import expect
memps, user, mine, uid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
FIELDS = ("pss_bytes", "pss_file_bytes", "private_bytes", "rss_bytes")
SUMMARY = re.compile(r"^memps: [0-9]+ process(es)? unreadable \(permission denied\)"
                     r"(, [0-9]+ vanished)?(, [0-9]+ zombies?)?; totals exclude them$", re.M)


def run(args, judge):
    """Runs memps as the user; a run is judged only when /proc read the same before and after it
    (PSS of library pages moves as processes come and go), up to 20 runs until one agrees.
    Returns the complaints about the last judged run."""
    complaints = ["/proc never stayed still across a memps run"]
    for attempt in range(20):
        before = expect.load_process("/proc", str(mine), None)
        r = subprocess.run(["runuser", "-u", user, "--", memps] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        after = expect.load_process("/proc", str(mine), None)
        err = r.stderr.decode("utf-8", "replace")
        tag = "memps %s as %s" % (" ".join(args), user)
        if r.returncode != 0:
            return ["%s: exit %d: %s" % (tag, r.returncode, err[:300])]
        if "AddressSanitizer" in err or "runtime error" in err:
            return ["%s: sanitizer report: %s" % (tag, err[:400])]
        if not SUMMARY.search(err):
            return ["%s: no summary line on stderr: %r" % (tag, err[:300])]
        if any(before[k] != after[k] for k in FIELDS):
            continue
        complaints = judge(r.stdout, after)
        if not complaints:
            break
    return complaints


def judge_json(out, live):
    bad = []
    doc = json.loads(out.decode("utf-8"))
    procs = {p["pid"]: p for p in doc["processes"]}
    p = procs.get(mine)
    if p is None:
        bad.append("own sleep %d not listed" % mine)
    else:
        if p["state"] != "ok":
            bad.append("own sleep: state %r" % p["state"])
        expect.observer_band(p, live)
        for k in FIELDS:
            if p.get(k) != live[k]:
                bad.append("own sleep %s: memps=%r /proc=%r" % (k, p.get(k), live[k]))
        if p.get("uid") != uid:
            bad.append("own sleep uid %r" % p.get("uid"))
    p1 = procs.get(1)
    if (p1 is None or p1["state"] != "unreadable" or p1.get("error") != "EACCES" or
            p1.get("pss_bytes") is not None):
        bad.append("pid 1 should be unreadable with EACCES and null sizes: %r" % (p1,))
    for q in doc["processes"]:
        if q["uid"] in (uid, None) or q["state"] in ("kernel", "vanished", "zombie"):
            continue
        if q["state"] != "unreadable" or q.get("pss_bytes") is not None:
            bad.append("pid %d of uid %r: state %r pss %r" % (q["pid"], q["uid"], q["state"],
                                                               q.get("pss_bytes")))
    n_unr = sum(1 for q in doc["processes"] if q["state"] == "unreadable")
    if doc.get("unreadable") != n_unr or n_unr == 0:
        bad.append("unreadable=%r, processes in state unreadable: %d" % (doc.get("unreadable"), n_unr))
    if not any(q["state"] == "kernel" for q in doc["processes"]):
        bad.append("no kernel thread listed")
    ok = [q for q in doc["processes"] if q["state"] == "ok"]
    if doc["totals"]["pss_bytes"] != sum(q["pss_bytes"] for q in ok):
        bad.append("totals.pss_bytes %r != sum over ok processes" % doc["totals"]["pss_bytes"])
    return bad


def judge_text(out, live):
    """Own row has its PSS in bytes, pid 1's row shows "-"."""
    bad = []
    rows = {}
    for line in out.decode("utf-8", "replace").splitlines()[1:-1]:
        f = line.split()
        if f and f[0].startswith("p:"):
            rows[int(f[0][2:])] = f
    # The text has no Pss_File: the PSS must sit in the band memps's own library mappings explain.
    ok = mine in rows and rows[mine][1].isdigit() and 0 <= live["pss_bytes"] - int(rows[mine][1]) <= live["pss_file_bytes"] // 2
    if not ok:
        bad.append("text row of own sleep: %r (expected PSS %d)" % (rows.get(mine), live["pss_bytes"]))
    if 1 not in rows or rows[1][1] != "-":
        bad.append("text row of pid 1: %r" % (rows.get(1),))
    return bad


bad = run(["--json"], judge_json) + run(["--tree=none", "--bytes"], judge_text)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# Issue 8's reproducer: `memps -p 1` as a user who cannot read pid 1 printed "TOTAL 0B".
runuser -u "$USER_NAME" -- "$MEMPS" -p 1 >"$T/p1.out" 2>"$T/p1.err" || fail "memps -p 1 as $USER_NAME: status $?"
got=$(awk '$1 == "TOTAL" { $1 = $1; print; exit }' "$T/p1.out")
[ "$got" = "TOTAL - - 0 processes, 1 not measured [not measured]" ] ||
	fail "memps -p 1 as $USER_NAME: TOTAL row '$got' (unknown shown as a number?)"
runuser -u "$USER_NAME" -- "$MEMPS" -p 1 -g program >"$T/p1g.out" 2>"$T/p1g.err" || fail "memps -p 1 -g program: status $?"
awk '$1 ~ /^c:/ && ($2 != "-" || $3 != "-") { bad = 1 } END { exit bad }' "$T/p1g.out" ||
	fail "memps -p 1 -g program as $USER_NAME: $(cat "$T/p1g.out")"
finish
