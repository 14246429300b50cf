#!/usr/bin/env python3
# check-objs-model.py: memobjs's objects of a fixture (per pid and the all view) against a model of its raw maps and smaps (test layer)
#
# Usage: check-objs-model.py SNAPSHOT_DIR WORKDIR [KIND:NAME-PREFIX:SHARERS ...]
# WORKDIR holds objs.json (memobjs -S SNAP --json PID...) and objs-all.json (memobjs -S SNAP --json).
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect_maps as X  # noqa: E402

snap, t = sys.argv[1], sys.argv[2]
# KIND:NAME-PREFIX:SHARERS: an object of that kind whose name starts so, with that many sharers, must
# exist (the name is what lies between the first and the last colon)
wanted = [(a.split(":", 1)[0], a.split(":", 1)[1].rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in sys.argv[3:]]
bad = []
# A process whose maps could not be read (the recorder says why) may map anything: every sharer count
# is then partial.
PARTIAL = False
for d in os.listdir(snap):
    errs = os.path.join(snap, d, "memcap.errors")
    if d.isdigit() and os.path.exists(errs):
        PARTIAL |= any(l.split()[:2] in (["maps", "EACCES"], ["maps", "EPERM"]) for l in open(errs))
pids = X.pids_with_smaps(snap)
maps = {pid: X.load(snap, pid)[0] for pid in pids}
sharers = {}
for pid, ms in maps.items():
    for m in ms:
        if m["inode"]:
            sharers.setdefault((m["dev"], m["inode"]), set()).add(pid)


def model(pid_list):
    objs = {}
    for pid in pid_list:
        for m in maps[pid]:
            key = (m["dev"], m["inode"]) if m["inode"] else (pid, m["start"])
            o = objs.setdefault(key, {"maps": 0, "Rss": 0, "Pss": 0, "Swap": 0, "kind": X.kind(m),
                                      "name": m["name"].decode(), "pids": sharers.get(key, {pid})})
            o["maps"] += 1
            for f in ("Rss", "Pss", "Swap"):
                o[f] += m["fields"][f]
    return objs


def key(o, pid):
    return (o["dev"], o["inode"]) if o["inode"] else (pid, o["anon_start"])


def pid_of(k):
    """The pid of a private anonymous object's key (pid, start), None for a file's (dev, inode)."""
    return k[0] if isinstance(k[0], int) else None


def compare(where, got, want):
    for k, w in want.items():
        g = got.get(k)
        if g is None:
            bad.append("%s: object %r missing" % (where, k))
            continue
        for a, b in (("maps", "maps"), ("alloc_bytes", "Rss"), ("pss_bytes", "Pss"), ("swap_bytes", "Swap"),
                     ("kind", "kind"), ("name", "name")):
            if g[a] != w[b]:
                bad.append("%s: object %r: %s %r, expected %r" % (where, k, a, g[a], w[b]))
        partial = PARTIAL and pid_of(k) is None
        if g["sharer_pids"] != sorted(w["pids"]) or g["sharers_partial"] != partial:
            bad.append("%s: object %r: sharers %r%s, expected %r%s" % (where, k, g["sharer_pids"],
                       " (partial)" if g["sharers_partial"] else "", sorted(w["pids"]), " (partial)" if partial else ""))
    if set(got) != set(want):
        bad.append("%s: objects %r more, %r fewer" % (where, set(got) - set(want), set(want) - set(got)))


doc = json.load(open(os.path.join(t, "objs.json")))
for p in doc["processes"]:
    compare("pid %d" % p["pid"], {key(o, p["pid"]): o for o in p["objects"]}, model([p["pid"]]))
alldoc = json.load(open(os.path.join(t, "objs-all.json")))
compare("all", {key(o, o["sharer_pids"][0]): o for o in alldoc["objects"]}, model(pids))
# what the fixture is about: each Android name recognised, the shared ones shared
kinds = {}
for o in alldoc["objects"]:
    kinds.setdefault(o["kind"], []).append(o)
for kind, name, n in wanted:
    if not any(o["name"].startswith(name) and o["sharers"] == n for o in kinds.get(kind, [])):
        bad.append("no %s object %r with %d sharers" % (kind, name, n))
for b in bad[:40]:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
