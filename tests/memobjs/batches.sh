#!/bin/sh
# batches.sh: processes above one batch of mappings (65 536, MEM_MAPPINGS_BATCH): objects made batch by batch, a process found garbled or out of order after its first batch taken back whole, checked by an independent python model (test layer)
#
# The model hands memobjs a process's mappings 65 536 at a time (issue 8).  A process whose smaps
# turns out garbled after its first batch, or whose mappings go backwards after it, must count for
# nothing, as it does when it is small: its objects go, and the objects it shares with processes read
# before it are put back as they were.  A process read after it that maps a file only the dropped one
# had mapped gets a fresh object.  Live (--proc-root), a record that overlaps one already handed over
# cannot replace it: that process is [unreadable: EAGAIN].
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }

"$PYTHON3" - "$MEMOBJS" "$T/snap" <<'PY' || fail "memobjs over processes of several batches"
import json, os, subprocess, sys

memobjs, snap = sys.argv[1], sys.argv[2]
BATCH = 65536
F = ("08:01", 77, "/lib/f.so")
G = ("08:01", 88, "/lib/g.so")


def write(pid, records, garble_last=False):
    """records: (start, end, file or None, rss_kb).  One-page steps; every field in kB."""
    d = os.path.join(snap, str(pid))
    os.makedirs(d)
    with open(os.path.join(d, "stat"), "w") as f:
        f.write("%d (p%d) S 1 %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 1000000 10 "
                "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n" % (pid, pid, pid, pid))
    out = []
    for i, (start, end, obj, rss) in enumerate(records):
        if obj:
            out.append("%x-%x r--p %08x %s %d                   %s\n" % (start, end, 0, obj[0], obj[1], obj[2]))
        else:
            out.append("%x-%x rw-p 0 00:00 0\n" % (start, end))
        size = (end - start) // 1024
        bad = garble_last and i == len(records) - 1
        out.append("Size: %d kB\nRss: %s kB\nPss: %d kB\n" % (size, "x" if bad else rss, rss))
    with open(os.path.join(d, "smaps"), "w") as f:
        f.write("".join(out))


def records(n, files, back=None):
    """n one-page mappings a page apart; files: index -> object; `back`: the index whose mapping starts
    inside the one before it."""
    recs = []
    for i in range(n):
        start = 0x10000 + i * 0x2000 - (0x1800 if i == back else 0)
        recs.append((start, start + 0x1000, files.get(i), 4 + (i % 3) * 4))
    return recs


os.makedirs(snap)
procs = {
    5: (records(4, {1: F, 2: F}), False),
    # garbled after its first batch: F and G in it, F again in the rest
    10: (records(BATCH + 10, {3: F, 4: G, BATCH + 7: F}), True),
    # out of order in its second batch (a mapping starting inside the one before it)
    12: (records(BATCH + 10, {5: F}, back=BATCH + 4), False),
    15: (records(3, {1: G}), False),
    # good, a batch and the rest: F in both
    20: (records(BATCH + 3, {0: F, BATCH + 1: F}), False),
}
for pid, (recs, garbled) in procs.items():
    write(pid, recs, garbled)

# ---- the independent model: which processes count, and their objects ----
def ordered(recs):
    return all(recs[i][0] < recs[i][1] and (i == 0 or recs[i][0] >= recs[i - 1][1]) for i in range(len(recs)))


counted = [pid for pid, (recs, garbled) in sorted(procs.items()) if not garbled and ordered(recs)]
want = {}
for pid in counted:
    for start, end, obj, rss in procs[pid][0]:
        key = "f:%s:%d" % (obj[0], obj[1]) if obj else "a:%d:%x" % (pid, start)
        o = want.setdefault(key, {"maps": 0, "alloc": 0, "pss": 0, "pids": set()})
        o["maps"] += 1
        o["alloc"] += rss * 1024
        o["pss"] += rss * 1024
        o["pids"].add(pid)

p = subprocess.run([memobjs, "-S", snap, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
bad = []
err = p.stderr.decode(errors="replace")
if p.returncode != 3:
    bad.append("exit %d, want 3 (garbled input); stderr: %s" % (p.returncode, err[:300]))
for text in ("10/smaps: line %d: Rss: expected a number" % (4 * (BATCH + 10) - 1),
             "12/smaps: line %d: mapping overlaps or precedes the one before it" % ((BATCH + 4) * 4 + 1)):
    if text not in err:
        bad.append("stderr lacks %r: %s" % (text, err[:300]))
doc = json.loads(p.stdout)
got = {o["id"]: o for o in doc["objects"]}
if set(got) != set(want):
    bad.append("objects: %d, want %d; extra %s, missing %s" % (len(got), len(want), sorted(set(got) - set(want))[:5],
                                                             sorted(set(want) - set(got))[:5]))
for key in sorted(set(got) & set(want)):
    o, w = got[key], want[key]
    have = (o["maps"], o["alloc_bytes"], o["pss_bytes"], o["sharer_pids"])
    exp = (w["maps"], w["alloc"], w["pss"], sorted(w["pids"]))
    if have != exp:
        bad.append("%s: (maps, alloc, pss, sharers) %r, want %r" % (key, have, exp))
if doc["unreadable_pids"] != [10]:
    bad.append("unreadable_pids %r, want [10]" % doc["unreadable_pids"])
# The file objects the dropped processes touched are the ones that show a take-back.
for key in ("f:08:01:77", "f:08:01:88"):
    if key not in got:
        bad.append("no object %s" % key)

# The process view gathers each process's objects the same way: 20 whole, 12 (out of order) and 10
# (garbled, unreadable) none.
p = subprocess.run([memobjs, "-S", snap, "--json", "10", "12", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
if p.returncode != 3:
    bad.append("process view: exit %d, want 3" % p.returncode)
doc = json.loads(p.stdout)
procs_got = {pr["pid"]: pr for pr in doc["processes"]}
if sorted(procs_got) != [10, 12, 20] or procs_got[12]["objects"] or procs_got[10]["objects"] or \
        procs_got[10]["state"] != "unreadable":
    bad.append("process view: processes %r, not as wanted" % sorted(procs_got))
else:
    objs = {o["id"]: o for o in procs_got[20]["objects"]}
    mine = {k: w for k, w in want.items() if 20 in w["pids"]}
    if set(objs) != set(mine):
        bad.append("process view: pid 20 has %d objects, want %d" % (len(objs), len(mine)))
    own = {}
    for start, end, obj, rss in procs[20][0]:
        key = "f:%s:%d" % (obj[0], obj[1]) if obj else "a:20:%x" % start
        own.setdefault(key, []).append(rss)
    for key in sorted(set(objs) & set(mine)):
        o, w = objs[key], mine[key]
        # its own mappings only; the sharers of a file are every process whose mappings could be read
        have = (o["maps"], o["alloc_bytes"], o["sharer_pids"])
        exp = (len(own[key]), sum(own[key]) * 1024, sorted(w["pids"]))
        if have != exp:
            bad.append("process view: %s: (maps, alloc, sharers) %r, want %r" % (key, have, exp))
            break

# Live (--proc-root): a newer record overlapping the one before it replaces it (a process that merged
# mappings while read), unless that one went in a batch already: then the process is unreadable,
# EAGAIN, and none of its objects counts.
snap = snap + "-live"
os.makedirs(snap)
write(30, records(BATCH + 5, {}, back=BATCH), False)
write(31, records(6, {}, back=3), False)
p = subprocess.run([memobjs, "--proc-root", snap, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
doc = json.loads(p.stdout)
ids = sorted(o["id"] for o in doc["objects"])
recs = records(6, {}, back=3)
want_ids = sorted("a:31:%x" % r[0] for i, r in enumerate(recs) if i != 2)
if p.returncode != 0 or ids != want_ids or doc["unreadable_pids"] != [30]:
    bad.append("--proc-root: exit %d, objects %r, unreadable %r; want 0, %r, [30]"
               % (p.returncode, ids[:8], doc["unreadable_pids"], want_ids))
p = subprocess.run([memobjs, "--proc-root", snap, "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
if b"[unreadable: EAGAIN]" not in p.stdout:
    bad.append("--proc-root 30: no [unreadable: EAGAIN] in %r" % p.stdout[:300])
print("%d objects of %d processes checked (%s counted)" % (len(want), len(procs), counted))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
finish
