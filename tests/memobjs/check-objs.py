#!/usr/bin/env python3
# check-objs.py: an independent model of memobjs over a snapshot directory's raw maps/smaps/sysvipc files (test layer)
#
# usage: check-objs.py MEMOBJS FIXTURE_DIR TMPDIR
# Runs memobjs (JSON and text) over the fixture and checks every figure against what this script
# computes itself from the raw files.  Prints "FAIL: ..." lines and exits 1 on any failure.
import json
import os
import subprocess
import sys

MEMOBJS, FIX, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def errors_of(pid):
    data = read(os.path.join(FIX, str(pid), "memcap.errors")) or b""
    errs = {}
    for line in data.decode().splitlines():
        if line.strip():
            name, err = line.split()
            errs[name] = err
    return errs


def parse_header(line):
    parts = line.split(None, 5)
    start, end = (int(x, 16) for x in parts[0].split(b"-"))
    name = parts[5] if len(parts) > 5 else b""
    return {
        "start": start, "end": end, "perms": parts[1].decode(), "offset": int(parts[2], 16),
        "dev": parts[3].decode(), "inode": int(parts[4]), "name": name,
    }


def parse_maps(data):
    return [parse_header(l) for l in data.split(b"\n") if l]


def is_header(line):
    first = line.split(b" ", 1)[0]
    return b"-" in first and all(c in b"0123456789abcdef-" for c in first)


def parse_smaps(data):
    maps = []
    for line in data.split(b"\n"):
        if not line:
            continue
        if is_header(line):
            maps.append(parse_header(line))
            maps[-1]["f"] = {}
            continue
        key, _, rest = line.partition(b":")
        words = rest.split()
        if len(words) == 2 and words[1] == b"kB":
            maps[-1]["f"][key.decode()] = int(words[0]) * 1024
    return maps


def jname(b):
    # JSON carries the exact bytes when they are valid UTF-8 (the fixture's are).
    return b.decode("utf-8", "replace")


# ---- the independent model ----
pids = sorted(int(d) for d in os.listdir(FIX) if d.isdigit())
maps_of, smaps_of, unreadable = {}, {}, set()
for pid in pids:
    errs = errors_of(pid)
    m = read(os.path.join(FIX, str(pid), "maps"))
    if "maps" in errs or m is None:
        if errs.get("maps") in ("EACCES", "EPERM"):
            unreadable.add(pid)
    else:
        maps_of[pid] = parse_maps(m)
    s = read(os.path.join(FIX, str(pid), "smaps"))
    if "smaps" not in errs and s:
        smaps_of[pid] = parse_smaps(s)
    elif errs.get("smaps") in ("EACCES", "EPERM"):
        unreadable.add(pid)

def private_anon(m):
    # memobjs(1): a mapping with neither device nor inode is its process's own object; any other
    # is the object dev:inode, inode 0 included (SysV segment 0).
    return m["dev"] == "00:00" and m["inode"] == 0


def object_id(key):
    dev, inode, anon = key
    return "a:%d:%x" % anon if anon else "f:%s:%d" % (dev, inode)


sharers = {}
for pid, ms in maps_of.items():
    for m in ms:
        if not private_anon(m):
            sharers.setdefault((m["dev"], m["inode"]), set()).add(pid)
partial = bool(unreadable)
# The fixture holds a process whose maps are unreadable (pid 1, EACCES): the partial paths (N+?,
# PRIVATE/SHARED unknown) are exercised only if it does.
check(unreadable == {1}, "fixture: unreadable processes %s, want {1} (memcap.errors)" % sorted(unreadable))


def objects_of(pid_list):
    objs = {}
    for pid in pid_list:
        for m in smaps_of.get(pid, []):
            if not private_anon(m):
                key = (m["dev"], m["inode"], None)
                ext = m["offset"] + m["end"] - m["start"]
            else:
                key = (m["dev"], 0, (pid, m["start"]))
                ext = m["end"] - m["start"]
            o = objs.setdefault(key, {"maps": 0, "size": 0, "f": {}, "pids": set(), "name": m["name"]})
            o["maps"] += 1
            o["size"] = max(o["size"], ext)
            o["pids"].add(pid)
            for k, v in m["f"].items():
                o["f"][k] = o["f"].get(k, 0) + v
    return objs


def run(args, want_rc=0, stdin=None):
    p = subprocess.run([MEMOBJS] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin)
    check(p.returncode == want_rc, "memobjs %s: exit %d, want %d; stderr: %s" %
          (" ".join(args), p.returncode, want_rc, p.stderr.decode(errors="replace")[:500]))
    check(b"AddressSanitizer" not in p.stderr and b"runtime error" not in p.stderr,
          "memobjs %s: sanitizer report" % " ".join(args))
    return p


compared = [0]


def compare_object(where, key, o, exp, sharer_pids, is_partial):
    compared[0] += 1
    f = exp["f"]
    check(o["maps"] == exp["maps"], "%s: maps %s, want %s" % (where, o["maps"], exp["maps"]))
    check(o["size_bytes"] == exp["size"], "%s: size %s, want %s" % (where, o["size_bytes"], exp["size"]))
    check(o["name"] == jname(exp["name"]), "%s: name %r, want %r" % (where, o["name"], exp["name"]))
    check(o["sharer_pids"] == sorted(sharer_pids), "%s: sharers %s, want %s" % (where, o["sharer_pids"], sorted(sharer_pids)))
    check(o["sharers"] == len(sharer_pids), "%s: #shr" % where)
    check(o["id"] == object_id(key), "%s: id %r, want %r" % (where, o["id"], object_id(key)))
    check(o["sharers_partial"] == is_partial, "%s: sharers_partial %s, want %s" % (where, o["sharers_partial"], is_partial))
    for key, field in (("alloc_bytes", "Rss"), ("pss_bytes", "Pss"), ("swap_bytes", "Swap"),
                       ("swap_pss_bytes", "SwapPss")):
        check(o[key] == f.get(field), "%s: %s %s, want %s" % (where, key, o[key], f.get(field)))
    uss = f["Private_Clean"] + f["Private_Dirty"]
    pgshr = f["Shared_Clean"] + f["Shared_Dirty"]
    check(o["uss_bytes"] == uss, "%s: uss %s, want %s" % (where, o["uss_bytes"], uss))
    check(o["page_shared_bytes"] == pgshr, "%s: page_shared %s, want %s" % (where, o["page_shared_bytes"], pgshr))
    # Zircon's object-level formulas; one known sharer of a keyed object with unreadable processes
    # around is unknown (null), never a guess.
    n = len(sharer_pids)
    want_priv = f["Rss"] if n == 1 else 0
    want_shr = f["Rss"] if n > 1 else 0
    if n == 1 and is_partial:
        want_priv = want_shr = None
    check(o["private_bytes"] == want_priv, "%s: private %s, want %s" % (where, o["private_bytes"], want_priv))
    check(o["shared_bytes"] == want_shr, "%s: shared %s, want %s" % (where, o["shared_bytes"], want_shr))
    for k, v in f.items():
        if k in o["smaps_bytes"] and k not in ("KernelPageSize", "MMUPageSize"):
            check(o["smaps_bytes"][k] == v, "%s: smaps %s %s, want %s" % (where, k, o["smaps_bytes"][k], v))


def key_of(o, pid=None):
    if o["anon_start"] is None:
        return (o["dev"], o["inode"], None)
    return (o["dev"], 0, (pid if pid is not None else o["sharer_pids"][0], o["anon_start"]))


def check_sorted(where, objs):
    pss = [o["pss_bytes"] for o in objs]
    check(pss == sorted(pss, reverse=True), "%s: not sorted by PSS descending" % where)


targets = sorted(smaps_of)
check(len(targets) >= 3, "fixture has fewer than 3 readable processes")

# ---- per-process view: every readable process, all at once, and through a tar on stdin ----
doc = json.loads(run(["-S", FIX, "--json"] + [str(p) for p in targets]).stdout)
check(doc["schema"] == "memobjs/1" and doc["view"] == "process", "schema/view")
check(doc["sharers_partial"] == partial, "top-level sharers_partial")
check(sorted(doc["unreadable_pids"]) == sorted(unreadable), "unreadable_pids %s, want %s" % (doc["unreadable_pids"], sorted(unreadable)))
check([p["pid"] for p in doc["processes"]] == targets, "processes listed")
seen_shared = 0
for proc in doc["processes"]:
    pid = proc["pid"]
    exp = objects_of([pid])
    got = {key_of(o, pid): o for o in proc["objects"]}
    check(set(got) == set(exp), "pid %d: object set differs: extra %s missing %s" %
          (pid, sorted(map(str, set(got) - set(exp)))[:5], sorted(map(str, set(exp) - set(got)))[:5]))
    for k in set(got) & set(exp):
        sp = sharers.get((k[0], k[1]), set()) if k[2] is None else {pid}
        compare_object("pid %d object %s" % (pid, k), k, got[k], exp[k], sp, k[2] is None and partial)
        if len(sp) > 1:
            seen_shared += 1
    check_sorted("pid %d" % pid, proc["objects"])
    # totals: Σ over objects and the process totals equal the raw smaps totals, field by field
    for field in ("Rss", "Pss", "Swap", "Private_Clean", "Private_Dirty", "Shared_Clean", "Shared_Dirty"):
        raw = sum(m["f"].get(field, 0) for m in smaps_of[pid])
        check(proc["totals"]["smaps_bytes"][field] == raw, "pid %d totals %s %s, want %s" %
              (pid, field, proc["totals"]["smaps_bytes"][field], raw))
        check(sum(o["smaps_bytes"][field] for o in proc["objects"]) == raw, "pid %d Σ objects %s" % (pid, field))
check(seen_shared >= 3, "fewer than 3 shared objects seen (memfd, shared anon, SysV)")

# The kinds the workload is known to map, each with more than one sharer where it is shared.
kinds = {}
for proc in doc["processes"]:
    for o in proc["objects"]:
        kinds.setdefault(o["kind"], []).append(o)
for kind in ("memfd", "sysv-shm", "shared-anon", "heap", "stack", "file"):
    check(kind in kinds, "no object of kind %s" % kind)
for kind in ("memfd", "sysv-shm", "shared-anon"):
    check(any(o["sharers"] > 1 for o in kinds.get(kind, [])), "no %s object with several sharers" % kind)
check(any(b" " in o["name"].encode() and o["kind"] == "file" for o in kinds.get("file", [])), "no file name with spaces")
check(any(o["kind"] == "deleted" for p in doc["processes"] for o in p["objects"]), "no deleted file object")

# A tar stream on stdin is read once: the same figures.
tar = os.path.join(TMP, "fix.tar")
subprocess.run(["tar", "-C", FIX, "-cf", tar, "."], check=True)
with open(tar, "rb") as t:
    doc2 = json.loads(run(["-S", "-", "--json"] + [str(p) for p in targets], stdin=t).stdout)
check(doc2["processes"] == doc["processes"], "stdin tar stream gives different objects than the directory")
doc3 = json.loads(run(["-S", tar, "--json"] + [str(p) for p in targets]).stdout)
check(doc3["processes"] == doc["processes"], "tar file gives different objects than the directory")

# ---- all objects ----
allrun = run(["-S", FIX, "--json"])
alldoc = json.loads(allrun.stdout)
# The summary line has the form memps and memmaps use: "memobjs: N process(es) unreadable ...".
# The whole line: the processes read, in every tool's words, then memobjs's own clause.  The fixture's
# unreadable process is pid 1 (EACCES in its memcap.errors: "permission denied").
want = "memobjs: 1 process unreadable (permission denied); totals exclude them; sharer counts are partial\n"
check(allrun.stderr.decode() == want, "all view summary: %r, want %r" % (allrun.stderr[:300], want))
# The process view reads the targets only: pid 1 is one only the sharer count looked at.
pidrun = run(["-S", FIX] + [str(p) for p in targets])
want = "memobjs: mappings of 1 process unknown (pid 1); sharer counts are partial\n"
check(pidrun.stderr.decode() == want, "process view summary: %r, want %r" % (pidrun.stderr[:300], want))
check(alldoc["view"] == "all", "all view")
exp = objects_of(targets)
got = {key_of(o): o for o in alldoc["objects"]}
check(set(got) == set(exp), "all view: object set differs")
for k in set(got) & set(exp):
    sp = sharers.get((k[0], k[1]), set()) if k[2] is None else {k[2][0]}
    compare_object("all: object %s" % (k,), k, got[k], exp[k], sp, k[2] is None and partial)
ids = [o["id"] for o in alldoc["objects"]]
check(len(set(ids)) == len(ids), "all view: ids are not unique")
check_sorted("all view", alldoc["objects"])
# Σ over all objects = Σ over every process's smaps
for field in ("Pss", "Rss", "Swap"):
    raw = sum(m["f"].get(field, 0) for pid in targets for m in smaps_of[pid])
    check(sum(o["smaps_bytes"][field] for o in alldoc["objects"]) == raw, "all view Σ %s" % field)

# Read as if live, --proc-root takes pids on one thread per CPU (up to 4) and sums each thread's objects:
# the same objects, names, sharers and order as the single-threaded read of the directory.
livedoc = json.loads(run(["--proc-root", FIX, "--json"]).stdout)
check(livedoc["objects"] == alldoc["objects"], "--proc-root (threaded) all view differs from -S DIR")
for k in ("sharers_partial", "unreadable_pids", "vanished_pids"):
    check(livedoc[k] == alldoc[k], "--proc-root: %s differs from -S DIR" % k)

# ---- hidden: SysV segments with nattch 0 ----
shm = read(os.path.join(FIX, "sysvipc", "shm")).decode().splitlines()
hdr = shm[0].split()
want_hidden = []
for line in shm[1:]:
    row = dict(zip(hdr, line.split()))
    if int(row["nattch"]) == 0:
        want_hidden.append((int(row["shmid"]), int(row["size"]), int(row["rss"]), int(row["swap"])))
check(len(want_hidden) >= 1, "fixture has no unattached SysV segment")
hid = run(["-S", FIX, "--hidden", "--json"])
hdoc = json.loads(hid.stdout)
got_hidden = sorted((h["shmid"], h["size_bytes"], h["alloc_bytes"], h["swap_bytes"]) for h in hdoc["hidden"])
check(got_hidden == sorted(want_hidden), "hidden %s, want %s" % (got_hidden, want_hidden))
check(hdoc["hidden_live"] is False, "a recording without fds must not claim the fd and /dev/shm parts")
check(b"no fds or dev-shm" in hid.stderr, "no note that this recording has no fds or dev-shm")
# An attached segment is not hidden.
check(all(h["kind"] == "sysv-unattached" for h in hdoc["hidden"]), "snapshot shows a non-SysV hidden object")

# ---- text: columns, escaping, --bytes ----
pid0 = targets[0]
txt = run(["-S", FIX, "-b", "-o", "maps,shr,alloc,pss,kind", str(pid0)]).stdout
check(b"\x1b" not in txt, "raw ESC in text output")
for o in doc["processes"][0]["objects"]:
    if "\x1b" in o["name"]:
        check(o["name"].replace("\x1b", "\\x1b").encode() in txt, "escaped ESC name not in text output")
check(txt.split(b"\n")[0].split() == [b"OBJECT", b"#MAP", b"#SHR", b"ALLOC", b"PSS", b"KIND", b"NAME"], "text header")
rows = [l for l in txt.split(b"\n")[1:] if l.startswith(b"  ")]
check(len(rows) == len(doc["processes"][0]["objects"]), "one text row per object")
for line, o in zip(rows, doc["processes"][0]["objects"]):
    w = line.split()
    check(w[0] == o["id"].encode(), "text row %r: OBJECT is not the id %r" % (line[:60], o["id"]))
    check(int(w[1]) == o["maps"] and int(w[3]) == o["alloc_bytes"] and int(w[4]) == o["pss_bytes"],
          "text row %r disagrees with JSON" % line[:60])

# Process rows: PRIVATE and SHARED sum the process's objects; an object whose split is unknown (one
# known sharer, pid 1 unreadable) leaves the sum a lower bound, "N+?" (CSV: the _PARTIAL flag).
txt = run(["-S", FIX, "-b", "-o", "private,shared"] + [str(p) for p in targets]).stdout.decode()
rows = {l.split()[0]: l.split() for l in txt.splitlines() if l.startswith("p:")}
seen_bound = 0
for pid in targets:
    want = []
    for col in ("private", "shared"):
        total, unknown = 0, 0
        for k, e in objects_of([pid]).items():
            n = len(sharers.get((k[0], k[1]), ())) if k[2] is None else 1
            if n == 1 and k[2] is None and partial:
                unknown += 1
                continue
            total += e["f"]["Rss"] if (n == 1) == (col == "private") else 0
        want.append(str(total) + ("+?" if unknown else ""))
        seen_bound += bool(unknown)
    got = rows.get("p:%d" % pid, [None] * 3)[1:3]
    check(got == want, "pid %d row PRIVATE/SHARED %s, want %s" % (pid, got, want))
check(seen_bound > 0, "no process row with a lower-bound PRIVATE/SHARED: the check checks nothing")

# ---- usage and absent pids ----
run(["-S", FIX, "-o", "nosuch"], want_rc=2)
run(["-S", FIX, "--sort", "pids"], want_rc=2)
run(["-S", FIX, "--hidden", "1"], want_rc=2)
run(["-S", FIX, "999999"], want_rc=1)
s = run(["-S", FIX, "--sort", "name", "-r", "--json"]).stdout
names = [o["name"] for o in json.loads(s)["objects"]]
check(names == sorted(names, key=lambda n: n.encode(), reverse=True), "--sort name -r")

print("checked %d objects over %d processes (%d unreadable), %d hidden segments" %
      (compared[0], len(targets), len(unreadable), len(want_hidden)))
sys.exit(1 if failures else 0)
