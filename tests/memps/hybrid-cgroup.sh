#!/bin/sh
# hybrid-cgroup.sh: on a hybrid cgroup v1/v2 --proc-root, memps says which hierarchy each job path comes from (text prefix, JSON keys) (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

ROOT=$T/proc
# Writes the fixture: per pid a cgroup file as a hybrid host has them, plus stat/status/smaps_rollup.
"$PYTHON3" - "$ROOT" <<'EOF'
import os, sys
root = sys.argv[1]
procs = {
    # v2 empty (all "/"), systemd's v1 tree holds the grouping
    101: "12:memory:/mem/a\n3:cpu,cpuacct:/cpu/a\n1:name=systemd:/system.slice/a.service\n0::/\n",
    # v2 in use: it wins
    102: "12:memory:/mem/b\n1:name=systemd:/system.slice/b.service\n0::/user.slice/b\n",
    # only the memory controller's hierarchy is not "/"
    103: "12:memory:/mem/c\n1:name=systemd:/\n0::/\n",
    # everything at the root
    104: "12:memory:/\n1:name=systemd:/\n0::/\n",
}
os.makedirs(os.path.join(root, "self"), exist_ok=True)
with open(os.path.join(root, "meminfo"), "w") as f:
    f.write("MemTotal: 1000000 kB\n")
for pid, cg in procs.items():
    d = os.path.join(root, str(pid))
    os.makedirs(d)
    open(os.path.join(d, "cgroup"), "w").write(cg)
    open(os.path.join(d, "stat"), "w").write(
        "%d (p%d) S 1 %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 25 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n" % (pid, pid, pid, pid))
    open(os.path.join(d, "status"), "w").write("Name:\tp%d\nState:\tS (sleeping)\nTgid:\t%d\nPPid:\t1\nUid:\t0\t0\t0\t0\n" % (pid, pid))
    open(os.path.join(d, "smaps_rollup"), "w").write(
        "00400000-7fff0000 ---p 00000000 00:00 0                          [rollup]\n"
        "Rss:                 %d kB\nPss:                 %d kB\nShared_Clean:        0 kB\nShared_Dirty:        0 kB\n"
        "Private_Clean:       0 kB\nPrivate_Dirty:       %d kB\n" % (pid, pid, pid))
EOF
rmdir "$ROOT/self"

run_memps json --proc-root "$ROOT" --json
expect_rc json 0
# The oracle reads the raw cgroup files: of 0::, name=systemd, memory, the first whose path is not "/"
# (else the first present), and names its hierarchy.
"$PYTHON3" - "$ROOT" "$T/json.out" <<'EOF' || fail "JSON hierarchies differ from the cgroup files"
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
doc = json.load(open(out))
bad = 0
def rule(text):
    slots = {}
    for line in text.splitlines():
        hid, ctl, path = line.split(":", 2)
        if hid == "0" and ctl == "":
            key = "v2"
        elif "name=systemd" in ctl.split(","):
            key = "v1:name=systemd"
        elif "memory" in ctl.split(","):
            key = "v1:memory"
        else:
            continue
        slots.setdefault(key, path)
    order = [k for k in ("v2", "v1:name=systemd", "v1:memory") if k in slots]
    for k in order:
        if slots[k] != "/":
            return slots[k], k
    return "/", (order[0] if order else None)
want_jobs = {}
for p in doc["processes"]:
    path, h = rule(open(os.path.join(root, str(p["pid"]), "cgroup")).read())
    if (p["job"], p["job_hierarchy"]) != (path, h):
        print("pid %d: job %r %r, want %r %r" % (p["pid"], p["job"], p["job_hierarchy"], path, h))
        bad = 1
    # the job and its ancestors (not the root) carry the hierarchy of their process
    while path != "/":
        want_jobs[path] = h
        path = path.rsplit("/", 1)[0] or "/"
for j in doc["jobs"]:
    want = want_jobs.get(j["id"]) if j["id"] != "/" else None
    if j["hierarchy"] != want:
        print("job %s: hierarchy %r, want %r" % (j["id"], j["hierarchy"], want))
        bad = 1
if len(doc["processes"]) != 4:
    print("processes: %d" % len(doc["processes"]))
    bad = 1
sys.exit(bad)
EOF

run_memps text --proc-root "$ROOT" -o pss
expect_rc text 0
# the job rows name the hierarchy only when it is not v2
for want in "v1:/system.slice/a.service" "v1:/system.slice" "v1-memory:/mem/c" "v1-memory:/mem" "/user.slice/b"; do
	grep -q " $want\$" "$T/text.out" || fail "text: no job row ending in '$want'"
done
grep -q "v1.*/user.slice" "$T/text.out" && fail "text: a v2 path is marked v1"
grep -q "(root cgroup)\$" "$T/text.out" || fail "text: no root job row"
finish
