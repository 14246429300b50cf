#!/usr/bin/env python3
# check-live.py: checks memobjs --hidden's live report against what hold-objects says it holds (test layer)
# usage: check-live.py HOLD_OUT HIDDEN_JSON HIDDEN_TXT
import json
import sys

info = dict(w.split("=", 1) for w in open(sys.argv[1]).read().split())
doc = json.load(open(sys.argv[2]))
txt = open(sys.argv[3], "rb").read()
pid = int(info["pid"])
bad = []


def check(cond, msg):
    if not cond:
        bad.append(msg)
        print("FAIL: " + msg)


check(doc["schema"] == "memobjs/1" and doc["view"] == "hidden", "schema/view")
check(doc["hidden_live"] is True, "live run did not look at fds and /dev/shm")
by_kind = {}
for h in doc["hidden"]:
    by_kind.setdefault(h["kind"], []).append(h)

memfd = [h for h in by_kind.get("fd-only", []) if h["inode"] == int(info["memfd_ino"])]
check(len(memfd) == 1, "the memfd held by fd only is not listed once")
if memfd:
    h = memfd[0]
    check(h["name"].startswith("/memfd:memobjs-held"), "memfd name %r" % h["name"])
    check(h["size_bytes"] == int(info["memfd_size"]), "memfd size %s" % h["size_bytes"])
    check(h["alloc_bytes"] == int(info["memfd_size"]), "memfd allocated %s" % h["alloc_bytes"])
    check(h["holder_pids"] == [pid], "memfd holders %s, want [%d]" % (h["holder_pids"], pid))

held = [h for h in by_kind.get("fd-only", []) if h["inode"] == int(info["held_ino"])]
check(len(held) == 1, "the /dev/shm file held open is not listed once as fd-only")
if held:
    check(held[0]["name"] == info["held"], "held name %r" % held[0]["name"])
    check(held[0]["size_bytes"] == int(info["held_size"]), "held size")
    check(held[0]["alloc_bytes"] == int(info["held_size"]), "held allocated")
    check(held[0]["holder_pids"] == [pid], "held holders")
check(not any(h["inode"] == int(info["held_ino"]) for h in by_kind.get("shm-orphan", [])),
      "a held /dev/shm file is also listed as orphan")

# An orphan only when every process's fds and maps were read (a sandbox's pid 1 may hide its maps
# even from root): else its holders are unknown.
known = doc["fds_unreadable"] == 0 and not doc["unreadable_pids"]
for h in doc["hidden"]:
    if h["kind"] != "sysv-unattached":
        check(h["holders_known"] is known, "%s: holders_known %s, want %s" % (h["name"], h["holders_known"], known))
orphan_kind = "shm-orphan" if known else "shm-holders-unknown"
orphan = [h for h in by_kind.get(orphan_kind, []) if h["inode"] == int(info["orphan_ino"])]
check(len(orphan) == 1, "the orphan /dev/shm file is not listed once as %s" % orphan_kind)
if orphan:
    check(orphan[0]["name"] == info["orphan"], "orphan name %r" % orphan[0]["name"])
    check(orphan[0]["size_bytes"] == int(info["orphan_size"]), "orphan size")
    check(orphan[0]["alloc_bytes"] == int(info["orphan_size"]), "orphan allocated")
    check(orphan[0]["holder_pids"] == [], "orphan has holders")

sysv = [h for h in by_kind.get("sysv-unattached", []) if h["shmid"] == int(info["shmid"])]
check(len(sysv) == 1, "the unattached SysV segment is not listed once")
if sysv:
    check(sysv[0]["size_bytes"] == int(info["sysv_size"]), "sysv size")
    # rss/swap exist on 4.x+ kernels; the segment was touched in full, so rss+swap covers it
    if sysv[0]["alloc_bytes"] is not None:
        check(sysv[0]["alloc_bytes"] + (sysv[0]["swap_bytes"] or 0) == int(info["sysv_size"]), "sysv rss+swap")

for name in (info["held"], info["orphan"]):
    check(name.encode() in txt, "%s not in the text output" % name)
sys.exit(1 if bad else 0)
