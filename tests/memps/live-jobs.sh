#!/bin/sh
# live-jobs.sh: live, the job of every process (taken from the cgroup filesystem's cgroup.procs where memps can) is the one its /proc/PID/cgroup gives, as root and as an unprivileged user (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

# A cgroup of our own, with a space in its name, holding a sleep: in the hierarchy the job rule reads
# first among those mounted here (v2 when this process's v2 path is in use or there is no v1 memory
# hierarchy, else v1 memory), so that some process is not in the root.
JOB=
if [ "$(id -u)" -eq 0 ]; then
	dir=$("$PYTHON3" - <<'PY'
import os
lines = [l.rstrip("\n").split(":", 2) for l in open("/proc/self/cgroup")]
mounts = [l.split() for l in open("/proc/self/mountinfo")]
def mount(pred):
    for m in mounts:
        sep = m.index("-")
        if m[3] == "/" and pred(m[sep + 1], m[sep + 3].split(",")):
            return m[4]
    return None
for hid, ctl, path in lines:
    if hid == "0" and ctl == "":
        v2 = mount(lambda t, o: t == "cgroup2")
        if v2 and not any("memory" in c.split(",") for _, c, _ in lines if c):
            print(os.path.join(v2 + path, ""))
            break
    elif "memory" in ctl.split(","):
        m = mount(lambda t, o: t == "cgroup" and "memory" in o)
        if m:
            print(os.path.join(m + path, ""))
            break
PY
)
	if [ -n "$dir" ] && mkdir "${dir}memps jobs.$$" 2>/dev/null; then
		JOB="${dir}memps jobs.$$"
	fi
fi
sleep 300 &
sleep_pid=$!
trap 'kill $sleep_pid 2>/dev/null; wait $sleep_pid 2>/dev/null; [ -z "$JOB" ] || rmdir "$JOB"; cleanup_tmp' EXIT
if [ -n "$JOB" ] && ! echo "$sleep_pid" >"$JOB/cgroup.procs"; then
	fail "cannot move the sleep into $JOB"
fi

# The oracle: each process's /proc/PID/cgroup read before and after memps (a process that moved or
# went meanwhile is not judged), the job rule applied to it here.
cat >"$T/oracle.py" <<'PY'
import json, subprocess, sys
memps, who, sleep_pid, moved = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "yes"

def job(pid):
    try:
        text = open("/proc/%d/cgroup" % pid, "rb").read().decode("utf-8", "surrogateescape")
    except OSError:
        return None
    slots = {}
    for line in text.splitlines():
        hid, ctl, path = line.split(":", 2)
        slot = "v2" if hid == "0" and ctl == "" else "v1:name=systemd" if "name=systemd" in ctl.split(",") \
            else "v1:memory" if "memory" in ctl.split(",") else None
        if slot and slot not in slots:
            slots[slot] = path
    for slot in ("v2", "v1:name=systemd", "v1:memory"):
        if slot in slots and slots[slot] != "/":
            return slots[slot], slot
    for slot in ("v2", "v1:name=systemd", "v1:memory"):
        if slot in slots:
            return "/", slot
    return "/", None

pids = [int(p) for p in __import__("os").listdir("/proc") if p.isdigit()]
before = {p: job(p) for p in pids}
out = subprocess.run([memps, "--json", "-k"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
after = {p: job(p) for p in pids}
doc = json.loads(out.decode("utf-8", "surrogateescape"))
judged = bad = 0
seen_sleep = False
for p in doc["processes"]:
    pid = p["pid"]
    want = before.get(pid)
    if want is None or after.get(pid) != want or p["state"] == "vanished":
        continue
    judged += 1
    got = (p["job"], p["job_hierarchy"])
    if got != want:
        bad += 1
        if bad <= 5:
            print("%s: pid %d: job %r, /proc/%d/cgroup says %r" % (who, pid, got, pid, want))
    if pid == sleep_pid:
        seen_sleep = True
        if moved and want[0] == "/":
            print("%s: the sleep is not in the test's cgroup" % who)
            bad += 1
if judged < 3 or not seen_sleep:
    print("%s: only %d processes judged, the sleep %s" % (who, judged, "seen" if seen_sleep else "missing"))
    bad += 1
sys.exit(1 if bad else 0)
PY

"$PYTHON3" "$T/oracle.py" "$MEMPS" root "$sleep_pid" "${JOB:+yes}" || fail "jobs as root"
if [ "$(id -u)" -eq 0 ]; then
	USER_NAME=memps-test
	need_test_user "$USER_NAME"
	UMEMPS=$(user_bin "$USER_NAME" "$MEMPS") || exit 1
	chmod 711 "$T" && chmod 644 "$T/oracle.py"
	# the oracle runs as the user too: it reads what the user can read
	runuser -u "$USER_NAME" -- "$PYTHON3" "$T/oracle.py" "$UMEMPS" "$USER_NAME" "$sleep_pid" "${JOB:+yes}" ||
		fail "jobs as $USER_NAME"
fi
# In a cgroup namespace rooted at the test's cgroup, /proc/PID/cgroup gives paths relative to it ("/"
# for the sleep, "/.." above): the cgroup filesystem's paths are not those, so memps must read each
# file (the oracle runs in the namespace too).
if [ -n "$JOB" ] && command -v unshare >/dev/null 2>&1; then
	if sh -c 'echo $$ >"$1/cgroup.procs" && exec unshare -C true' sh "$JOB" 2>/dev/null; then
		sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec unshare -C "$@"' sh "$JOB" \
			"$PYTHON3" "$T/oracle.py" "$MEMPS" "cgroup namespace" "$sleep_pid" no ||
			fail "jobs in a cgroup namespace"
	else
		echo "note: no cgroup namespace here (unshare -C failed): that case is not run"
	fi
fi
finish
