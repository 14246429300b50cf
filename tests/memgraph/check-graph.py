#!/usr/bin/env python3
# check-graph.py: memgraph over a fixture, every figure checked against an independent model of the raw files (test layer)
#
# usage: check-graph.py MEMGRAPH MEMOBJS FIXTURE_DIR
# Kernel nodes from meminfo (tests/memsys/expect_sys.py), processes and job sums from the raw
# stat/cgroup/smaps_rollup files (tests/common/expect.py), with -v the objects and each process's
# part of them from the raw smaps (this file), and the objects against memobjs --json.
import json
import os
import subprocess
import sys

TOP = os.environ["top_srcdir"]
sys.path.insert(0, os.path.join(TOP, "tests", "common"))
sys.path.insert(0, os.path.join(TOP, "tests", "memsys"))
sys.path.insert(0, os.path.join(TOP, "tests", "memgraph"))
import expect  # noqa: E402
import expect_sys  # noqa: E402
from graph_check import Checker, parse, structure, validate_schema  # noqa: E402

MEMGRAPH, MEMOBJS, FIX = sys.argv[1], sys.argv[2], sys.argv[3]
c = Checker()
name = os.path.basename(FIX.rstrip("/"))


def run(args):
    p = subprocess.run([MEMGRAPH] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    c.check(p.returncode == 0, "memgraph %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr[:300]))
    c.check(b"Sanitizer" not in p.stderr and b"runtime error" not in p.stderr, "sanitizer report")
    return p.stdout.decode("utf-8")


def records_of(args):
    where = "%s %s" % (name, " ".join(args[2:]))
    recs = parse(run(args), c, where)
    validate_schema(recs, c, where)
    return recs, structure(recs, c, where)


# ---- without -v: kernel, jobs, processes ----
recs, by_id = records_of(["-S", FIX])
root = expect.snapshot_root(FIX)
mi = os.path.join(root, "meminfo")
if os.path.exists(mi):
    cat = expect_sys.categories(expect_sys.read_meminfo(mi))
    c.check(by_id["kernel/physmem"]["size_bytes"] == cat["total"], "physmem != MemTotal")
    for k in expect_sys.ORDER:
        if k in ("anon", "file", "shmem"):
            continue
        r = by_id.get("kernel/" + k)
        if c.check(r is not None, "no kernel/" + k):
            c.check(r["size_bytes"] == cat[k], "kernel/%s: %r, want %r" % (k, r["size_bytes"], cat[k]))
    u = by_id["kernel/user"]
    for k in ("anon", "file", "shmem"):
        c.check(u[k + "_bytes"] == cat[k], "kernel/user %s_bytes: %r, want %r" % (k, u[k + "_bytes"], cat[k]))
    want = None if any(cat[k] is None for k in ("anon", "file", "shmem")) else cat["anon"] + cat["file"] + cat["shmem"]
    c.check(u["size_bytes"] == want, "kernel/user: %r, want %r" % (u["size_bytes"], want))

model = expect.load(FIX)
procs = model["processes"]
got_p = {r["pid"]: r for r in recs if r["type"] == "p"}
c.check(sorted(got_p) == [p["pid"] for p in procs], "process pids %s, want %s" % (sorted(got_p), [p["pid"] for p in procs]))
for p in procs:
    g = got_p.get(p["pid"])
    if not g:
        continue
    where = "p/%d" % p["pid"]
    c.check(g["name"] == p["name"], "%s name %r, want %r" % (where, g["name"], p["name"]))
    c.check(g["state"] == p["state"], "%s state %r, want %r" % (where, g["state"], p["state"]))
    c.check(g["ppid"] == p["ppid"], "%s ppid %r, want %r" % (where, g["ppid"], p["ppid"]))
    c.check(g["parent"] == "j" + p["job"], "%s parent %r, want %r" % (where, g["parent"], "j" + p["job"]))
    for m in ("pss", "private", "shared", "swap_pss", "rss"):
        want = p[m + "_bytes"] if p["state"] == "ok" else None
        c.check(g[m + "_bytes"] == want, "%s %s_bytes %r, want %r" % (where, m, g[m + "_bytes"], want))
    if p["cmdline_known"]:
        c.check(g["cmdline"] == " ".join(p["cmdline"]), "%s cmdline %r" % (where, g["cmdline"]))

jobs = expect.jobs(expect.select(model, kernel=True))
got_j = {r["id"][1:]: r for r in recs if r["type"] == "j"}
c.check(sorted(got_j) == sorted(jobs), "jobs %s, want %s" % (sorted(got_j), sorted(jobs)))
for j, e in jobs.items():
    g = got_j.get(j)
    if not g:
        continue
    want_parent = "kernel/user" if e["parent"] is None else "j" + e["parent"]
    c.check(g["parent"] == want_parent, "j%s parent %r, want %r" % (j, g["parent"], want_parent))
    c.check(g["name"] == ("/" if j == "/" else j.rsplit("/", 1)[1]), "j%s name %r" % (j, g["name"]))
    for m in ("pss", "private", "swap_pss"):
        c.check(g[m + "_bytes"] == e[m + "_bytes"], "j%s %s_bytes %r, want %r" % (j, m, g[m + "_bytes"], e[m + "_bytes"]))
    c.check(g.get("partial", False) == e["partial"], "j%s partial %r, want %r" % (j, g.get("partial"), e["partial"]))
    c.check("shared_bytes" not in g, "j%s has shared_bytes" % j)


# ---- -v: objects from the raw smaps ----
def smaps_of(pid):
    errs = expect.parse_errors(expect.read_opt(os.path.join(root, str(pid), "memcap.errors")))
    data = expect.read_opt(os.path.join(root, str(pid), "smaps"))
    if "smaps" in errs or not data:
        return None
    maps, cur = [], None
    for line in data.split(b"\n"):
        first = line.split(b" ", 1)[0]
        if line and b"-" in first and all(ch in b"0123456789abcdef-" for ch in first):
            f = line.split(None, 5)
            start, end = (int(x, 16) for x in f[0].split(b"-"))
            cur = {"start": start, "end": end, "offset": int(f[2], 16), "dev": f[3].decode(), "inode": int(f[4]), "f": {}}
            maps.append(cur)
        elif cur is not None and line.endswith(b" kB"):
            k, _, v = line.partition(b":")
            cur["f"][k.decode()] = int(v.split()[0]) * 1024
    return maps


def oid(m, pid):
    """memobjs(1)'s object id: a mapping with neither device nor inode is its process's own."""
    if m["dev"] == "00:00" and m["inode"] == 0:
        return "o/a:%d:%x" % (pid, m["start"])
    return "o/f:%s:%d" % (m["dev"], m["inode"])


objs, parts, proc_pss = {}, {}, {}
for p in procs:
    if p["state"] != "ok":
        continue
    maps = smaps_of(p["pid"])
    if maps is None:
        continue
    proc_pss[p["pid"]] = sum(m["f"].get("Pss", 0) for m in maps)
    for m in maps:
        i = oid(m, p["pid"])
        anon = i.startswith("o/a:")
        o = objs.setdefault(i, {"size": 0, "alloc": 0, "pss": 0, "pids": set()})
        o["size"] = max(o["size"], (m["end"] - m["start"]) + (0 if anon else m["offset"]))
        o["alloc"] += m["f"].get("Rss", 0)
        o["pss"] += m["f"].get("Pss", 0)
        o["pids"].add(p["pid"])
        parts.setdefault(p["pid"], {}).setdefault(i, 0)
        parts[p["pid"]][i] += m["f"].get("Pss", 0)

vrecs, vby = records_of(["-S", FIX, "-v"])
got_o = {r["id"]: r for r in vrecs if r["type"] == "o"}
c.check(sorted(got_o) == sorted(objs), "%s -v: objects differ: extra %s, missing %s" %
        (name, sorted(set(got_o) - set(objs))[:5], sorted(set(objs) - set(got_o))[:5]))
for i, e in objs.items():
    g = got_o.get(i)
    if not g:
        continue
    for k in ("size", "alloc", "pss"):
        gk = g[k + "_bytes"]
        c.check(gk == e[k], "%s %s_bytes %r, want %r" % (i, k, gk, e[k]))
    c.check(g["pids"] == sorted(e["pids"]) and g["sharers"] == len(e["pids"]), "%s pids %r, want %r" % (i, g["pids"], sorted(e["pids"])))
    c.check(g["parent"] == "p/%d" % min(e["pids"]), "%s parent %r" % (i, g["parent"]))
for r in vrecs:
    if r["type"] != "p":
        continue
    want = parts.get(r["pid"], {})
    got = {x["id"]: x["pss_bytes"] for x in r["objects"]}
    c.check(got == want, "p/%d objects: %d parts, want %d (first differing: %s)" %
            (r["pid"], len(got), len(want), sorted(set(got.items()) ^ set(want.items()))[:3]))
    if r["pid"] in proc_pss:
        c.check(r["pss_bytes"] == proc_pss[r["pid"]], "p/%d -v pss %r, want Σ smaps Pss %r" % (r["pid"], r["pss_bytes"], proc_pss[r["pid"]]))
# every object's PSS is the sum of the processes' parts of it
sums = {}
for r in vrecs:
    for x in r.get("objects", []) if r["type"] == "p" else []:
        sums[x["id"]] = sums.get(x["id"], 0) + x["pss_bytes"]
for i, g in got_o.items():
    c.check(sums.get(i) == g["pss_bytes"], "%s pss %r != Σ parts %r" % (i, g["pss_bytes"], sums.get(i)))

# ---- -v against memobjs --json on the same fixture ----
p = subprocess.run([MEMOBJS, "-S", FIX, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
mo = {"o/" + o["id"]: o for o in json.loads(p.stdout)["objects"]}
c.check(sorted(mo) == sorted(got_o), "memobjs's objects differ from memgraph -v's")
for i, o in mo.items():
    g = got_o.get(i)
    if g:
        c.check((g["name"], g["kind"], g["size_bytes"], g["alloc_bytes"], g["pss_bytes"], g["sharers"], g["pids"]) ==
                (o["name"], o["kind"], o["size_bytes"], o["alloc_bytes"], o["pss_bytes"], o["sharers"], o["sharer_pids"]),
                "%s differs from memobjs's" % i)

print("%s: %d records, %d with -v, %d checks failed" % (name, len(recs), len(vrecs), len(c.failures)))
sys.exit(1 if c.failures else 0)
