#!/usr/bin/env python3
# check-identity.py: object identity over small recordings written here: SysV segment 0, one inode on two devices, forked anonymous memory, ids, hugetlb (test layer)
#
# usage: check-identity.py MEMOBJS MEMMAPS TMPDIR
# Writes recording directories, computes every expected figure from the files it wrote (its own
# parser, not memobjs's), runs memobjs (and memmaps for the per-mapping ids) and compares.
import json
import os
import subprocess
import sys

MEMOBJS, MEMMAPS, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg)
    return cond


FIELDS = ("Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty",
          "Private_Clean", "Private_Dirty", "Referenced", "Anonymous", "Shared_Hugetlb", "Private_Hugetlb",
          "Swap", "SwapPss", "Locked")


def record(start, end, perms, dev, inode, name, **kb):
    """One smaps record; kb gives fields in kB (the rest 0, Size from the range)."""
    f = {k: 0 for k in FIELDS}
    f["Size"] = (end - start) // 1024
    f["KernelPageSize"] = f["MMUPageSize"] = 4
    f.update(kb)
    head = "%x-%x %s %08x %s %d" % (start, end, perms, 0, dev, inode)
    head = head + " " * max(1, 73 - len(head)) + name if name else head + " "
    return {"head": head, "start": start, "end": end, "perms": perms, "dev": dev, "inode": inode,
            "name": name, "f": f}


def write_recording(path, procs):
    """procs: {pid: (comm, [records])}: stat, status, smaps and maps per pid, and a version."""
    os.makedirs(path)
    with open(os.path.join(path, "version"), "w") as v:
        v.write("Linux version 6.8.0-test (test) #1 SMP\n")
    for pid, (comm, recs) in procs.items():
        d = os.path.join(path, str(pid))
        os.makedirs(d)
        rss_pages = sum(r["f"]["Rss"] for r in recs) // 4
        with open(os.path.join(d, "stat"), "w") as s:
            s.write("%d (%s) S 1 %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 %d %d 18446744073709551615 "
                    "0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                    % (pid, comm, pid, pid, sum(r["end"] - r["start"] for r in recs), rss_pages))
        with open(os.path.join(d, "status"), "w") as s:
            s.write("Name:\t%s\nPid:\t%d\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmRSS:\t%d kB\n"
                    % (comm, pid, rss_pages * 4))
        with open(os.path.join(d, "smaps"), "w") as s:
            for r in recs:
                s.write(r["head"] + "\n")
                for k in FIELDS:
                    s.write("%-16s%8d kB\n" % (k + ":", r["f"][k]))
                s.write("VmFlags: rd wr mr mw me ac \n")
        with open(os.path.join(d, "maps"), "w") as m:
            for r in recs:
                m.write(r["head"] + "\n")


# ---- the independent model: read back the files written above ----
def parse_smaps(path):
    recs = []
    for line in open(path, "rb").read().decode().split("\n"):
        if not line:
            continue
        w = line.split()
        if "-" in w[0] and not w[0].endswith(":"):
            a, b = (int(x, 16) for x in w[0].split("-"))
            recs.append({"start": a, "end": b, "perms": w[1], "dev": w[3], "inode": int(w[4]),
                         "name": " ".join(w[5:]), "f": {}})
        elif w[0].endswith(":") and len(w) == 3 and w[2] == "kB":
            recs[-1]["f"][w[0][:-1]] = int(w[1]) * 1024
    return recs


def model(path, only=None):
    """{id: object} the way the man page defines objects: a mapping with neither device nor inode is
    its process's own object, anything else is the object (dev, inode).  Sharers come from every
    process; the figures from the mappings of `only` (a pid) or of all."""
    objs = {}
    for pid in sorted(int(p) for p in os.listdir(path) if p.isdigit()):
        for r in parse_smaps(os.path.join(path, str(pid), "smaps")):
            anon = r["dev"] in ("00:00", "0:0") and r["inode"] == 0
            oid = "a:%d:%x" % (pid, r["start"]) if anon else "f:%s:%d" % (r["dev"], r["inode"])
            o = objs.setdefault(oid, {"pids": set(), "f": {}, "maps": 0})
            o["pids"].add(pid)
            if only is not None and pid != only:
                continue
            o["maps"] += 1
            for k, v in r["f"].items():
                o["f"][k] = o["f"].get(k, 0) + v
    return objs


def run(tool, args, want_rc=0):
    p = subprocess.run([tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check(p.returncode == want_rc, "%s %s: exit %d, want %d: %s" %
          (os.path.basename(tool), " ".join(args), p.returncode, want_rc, p.stderr.decode(errors="replace")[:300]))
    check(b"AddressSanitizer" not in p.stderr and b"runtime error" not in p.stderr, "%s: sanitizer report" % args)
    return p


def compare(where, got, want):
    """got: memobjs JSON objects; want: the model's objects (every figure)."""
    byid = {o["id"]: o for o in got}
    check(len(byid) == len(got), "%s: ids are not unique: %s" % (where, sorted(o["id"] for o in got)))
    check(set(byid) == set(want), "%s: ids %s, want %s" % (where, sorted(byid), sorted(want)))
    for oid in set(byid) & set(want):
        o, w = byid[oid], want[oid]
        n = len(w["pids"])
        rss = w["f"]["Rss"]
        hugetlb = w["f"]["Shared_Hugetlb"] + w["f"]["Private_Hugetlb"]
        for key, val in (("sharers", n), ("sharer_pids", sorted(w["pids"])), ("maps", w["maps"]),
                         ("alloc_bytes", rss), ("pss_bytes", w["f"]["Pss"]),
                         ("private_bytes", rss if n == 1 else 0), ("shared_bytes", rss if n > 1 else 0),
                         ("hugetlb_bytes", hugetlb), ("sharers_partial", False)):
            check(o.get(key) == val, "%s: %s %s: %r, want %r" % (where, oid, key, o.get(key), val))


PAGE = 4096
A = 0x7f0000000000
# Two processes, a parent (100) and its fork (101):
#  - SysV segment 0 attached by both: "/SYSV00000000 (deleted)", inode 0 on 00:01 (one object, 2 sharers)
#  - the same anonymous heap address in both (two objects: a:100:..., a:101:...)
#  - inode 4242 on fe:00 in 100 and on fe:01 in 101: two files, one sharer and 4 KiB private each
#  - a hugetlb mapping in 100 (Shared_Hugetlb 2048 kB), outside Rss
procs = {
    100: ("parent", [
        record(0x555500000000, 0x555500021000, "rw-p", "00:00", 0, "[heap]", Rss=8, Pss=8, Private_Dirty=8, Anonymous=8),
        record(A, A + 4 * PAGE, "rw-s", "00:01", 0, "/SYSV00000000 (deleted)", Rss=16, Pss=8, Shared_Dirty=16),
        record(A + 0x10000, A + 0x11000, "r--p", "fe:00", 4242, "/usr/lib/one.so", Rss=4, Pss=4, Private_Clean=4),
        record(A + 0x200000, A + 0x400000, "rw-s", "00:0f", 77, "/anon_hugepage (deleted)", Shared_Hugetlb=2048),
    ]),
    101: ("child", [
        record(0x555500000000, 0x555500021000, "rw-p", "00:00", 0, "[heap]", Rss=12, Pss=10, Private_Dirty=8, Shared_Dirty=4, Anonymous=12),
        record(A + 0x20000, A + 0x20000 + 4 * PAGE, "rw-s", "00:01", 0, "/SYSV00000000 (deleted)", Rss=16, Pss=8, Shared_Dirty=16),
        record(A + 0x30000, A + 0x31000, "r--p", "fe:01", 4242, "/mnt/other/one.so", Rss=4, Pss=4, Private_Clean=4),
    ]),
}
rec = os.path.join(TMP, "identity")
write_recording(rec, procs)
want = model(rec)
check("f:00:01:0" in want and len(want["f:00:01:0"]["pids"]) == 2, "model sanity: SysV 0 shared by two")

alldoc = json.loads(run(MEMOBJS, ["-S", rec, "--json", "-o", "shr,alloc,pss,private,shared,hugetlb"]).stdout)
compare("all view", alldoc["objects"], want)
for pid in (100, 101):
    doc = json.loads(run(MEMOBJS, ["-S", rec, "--json", str(pid)]).stdout)
    mine = {k: v for k, v in model(rec, pid).items() if v["maps"]}
    compare("pid %d" % pid, doc["processes"][0]["objects"], mine)
    # The process row's hugetlb is the sum of its objects' (JSON totals carry it too).
    hug = sum(o["f"]["Shared_Hugetlb"] + o["f"]["Private_Hugetlb"] for o in mine.values())
    check(doc["processes"][0]["totals"].get("hugetlb_bytes") == hug,
          "pid %d: totals hugetlb_bytes %r, want %d" % (pid, doc["processes"][0]["totals"].get("hugetlb_bytes"), hug))

# Text: the OBJECT column is the id, and the SysV row says 2 sharers.
txt = run(MEMOBJS, ["-S", rec, "-b", "-o", "shr,alloc,hugetlb"]).stdout.decode()
rows = {l.split()[0]: l.split() for l in txt.splitlines() if l.strip() and not l.startswith("OBJECT")}
check(txt.splitlines()[0].split()[:4] == ["OBJECT", "#SHR", "ALLOC", "HUGETLB"], "text header: %r" % txt.splitlines()[0])
check(set(rows) == set(want), "text ids %s, want %s" % (sorted(rows), sorted(want)))
if "f:00:01:0" in rows:
    check(rows["f:00:01:0"][1] == "2" and rows["f:00:01:0"][2] == str(32 * 1024), "text SysV 0 row: %r" % rows["f:00:01:0"])
if "f:00:0f:77" in rows:
    check(rows["f:00:0f:77"][3] == str(2048 * 1024), "text hugetlb cell: %r" % rows["f:00:0f:77"])

# memmaps shows each mapping's object id: the same ids memobjs gives, per process.
for pid in (100, 101):
    mdoc = json.loads(run(MEMMAPS, ["-S", rec, "--json", str(pid)]).stdout)
    got_ids = set()

    def walk(node):
        if isinstance(node, dict):
            if "object" in node and "start" in node:
                got_ids.add(node["object"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(mdoc)
    flat = run(MEMMAPS, ["-S", rec, "--flat", str(pid)]).stdout.decode().splitlines()
    head = flat[1].split()
    check("Object" in head, "memmaps --flat %d: no Object column: %r" % (pid, flat[1]))
    if "Object" in head:
        col = head.index("Object")
        flat_ids = {l.split()[col] for l in flat[2:] if l.strip() and not l.startswith("total")}
        check(flat_ids == got_ids, "memmaps --flat %d: Object column %s, JSON %s" % (pid, sorted(flat_ids), sorted(got_ids)))
    check(got_ids == {k for k, v in want.items() if pid in v["pids"]},
          "memmaps %d: mapping objects %s, want %s" % (pid, sorted(got_ids), sorted(k for k, v in want.items() if pid in v["pids"])))

print("checked %d objects" % len(want))
sys.exit(1 if failures else 0)
