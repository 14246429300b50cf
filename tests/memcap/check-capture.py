#!/usr/bin/env python3
# check-capture.py: a memcap recording read by memps, memmaps and memobjs says what the live system says about the workload's processes (test layer)
#
# Usage: check-capture.py live BUILDDIR OUT.json PID...      (before and after the capture; after
#                                                            it, CHECK_CAPTURE_BEFORE=BEFORE.json)
#        check-capture.py check BUILDDIR CAPTURE BEFORE.json AFTER.json PID...
#        check-capture.py whole CAPTURE MIN_PIDS      (every pid of any capture, no live reading)
# For the given pids (the workload), the capture must say what /proc said right before and right
# after it: memps --json's process rows, memmaps --json's mappings and memobjs --json's objects whose
# sharers are all among the pids (libraries are shared with processes that come and go), and the raw
# status, statm, maps, smaps_rollup, comm and cgroup files.  Each value must equal the one before or
# the one after, a number may lie between them (a shared library's PSS moves as other processes come
# and go), a PSS, shared/private split or Referenced value (a key or line naming them) within 64 kB
# or 2 % of them (other processes that map the same libraries come and go, the kernel ages the pages
# they touch), or, in a raw smaps_rollup whose sharing changed while it was read, keeping what sharing
# cannot change (Shared_X + Private_X, Private <= Pss <= Rss), and so may a memps or memmaps rollup row
# (libasan is shared by every process of a sanitizer build: one that starts or ends beside the test
# moves a PSS by far more than the slack), whose values memps must then read from the capture's own
# smaps_rollup exactly; memps and memmaps read the live files through a copy this script makes (a reader of
# /proc maps the workload's libraries and moves its PSS while it runs); more than a few moved values
# mean the workload was not stable, a failure;
# SigQ (a system-wide count) is not compared.  memobjs values live cannot know (null, a partial
# sharer list: pid 1 of a container is unreadable) are not compared.  cmdline is
# argv[0] plus the scrub mark (or the whole with --full-cmdline), and each pid directory holds every
# file or names it in its manifest.  "whole" checks only that last part, for every pid directory of a
# capture (at least MIN_PIDS of them), and that a recorded smaps ends with a whole record.
import json
import os
import subprocess
import sys
import tarfile

# A PSS shares a library's pages with every process mapping it: on a busy machine processes that
# come and go move it by a page or two between two readings, whatever the workload does.
PSS_SLACK = 64 * 1024
PIDFILES = ["stat", "status", "statm", "cmdline", "comm", "cgroup", "smaps_rollup", "smaps", "maps"]


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise SystemExit("FAIL: %s: exit %d: %s" % (" ".join(argv), p.returncode, p.stderr[:300]))
    return json.loads(p.stdout)


def read_capture(path):
    """{member name: bytes} of a directory or tar capture (names relative, "./" dropped)."""
    out = {}
    if os.path.isdir(path):
        for root, _dirs, files in os.walk(path):
            for f in files:
                full = os.path.join(root, f)
                out[os.path.relpath(full, path)] = open(full, "rb").read()
    else:
        with tarfile.open(path) as t:
            for m in t.getmembers():
                if m.isfile():
                    name = m.name[2:] if m.name.startswith("./") else m.name
                    out[name] = t.extractfile(m).read()
    return out


def scrub(raw):
    if b"\0" not in raw:
        return raw
    first = raw.index(b"\0") + 1
    return raw[:first] + (b"ARGS-SCRUBBED\0" if first < len(raw) else b"")


def memps(build, pids, src):
    argv = [os.path.join(build, "memps"), "--json", "-k", "-p", ",".join(pids)] + (["-S", src] if src else [])
    return {p["pid"]: p for p in run(argv)["processes"]}


def memmaps(build, pid, src):
    argv = [os.path.join(build, "memmaps"), "--json", pid] + (["-S", src] if src else [])
    return run(argv)["processes"]


def memobjs(build, pids, src, keep=None):
    argv = [os.path.join(build, "memobjs"), "--json"] + pids + (["-S", src] if src else [])
    doc = run(argv)
    out = {}
    for proc in doc["processes"]:
        for o in proc["objects"]:
            if keep is None or o["id"] in keep:
                out["%d %s" % (proc["pid"], o["id"])] = o
    return out


def whole_errors(files, pid):
    """What is wrong with pid's directory in a capture: a file neither there nor in the manifest, an
    EMPTY file that is not empty, a manifest line for a file that is there, a cut smaps."""
    bad = []
    manifest = {}
    if pid + "/memcap.errors" in files:
        for line in files[pid + "/memcap.errors"].decode().splitlines():
            name, reason = line.split(" ")
            manifest[name] = reason
    for f in PIDFILES + ["fds"]:
        have = pid + "/" + f in files
        reason = manifest.get(f)
        if reason == "EMPTY":
            ok = have and files[pid + "/" + f] == b""
        else:
            ok = have != bool(reason)
        if not ok:
            bad.append("%s/%s: present %s, manifest %s" % (pid, f, have, reason))
    smaps = files.get(pid + "/smaps", b"")
    if smaps and not smaps.rstrip(b"\n").rsplit(b"\n", 1)[-1].startswith(b"VmFlags:"):
        bad.append("%s/smaps: the last record is cut" % pid)
    return bad


def copy_proc(pids, dst):
    """The pids' files as /proc gives them, copied by this Python process into a recording directory
    memps and memmaps then read.  They are not run on /proc itself: a reader maps the same libraries as
    the workload (glib; libasan in a sanitizer build), so while it runs those pages have one sharer
    more and the workload's PSS drops, which memcap's reading (cp and sh, libc only) never sees."""
    import pwd
    os.makedirs(dst)
    for top in ["meminfo", "version"]:
        with open("/proc/" + top, "rb") as f, open(os.path.join(dst, top), "wb") as o:
            o.write(f.read())
    if os.path.exists("/proc/sysvipc/shm"):
        os.makedirs(os.path.join(dst, "sysvipc"))
        with open("/proc/sysvipc/shm", "rb") as f, open(os.path.join(dst, "sysvipc", "shm"), "wb") as o:
            o.write(f.read())
    uids = set()
    for p in pids:
        os.makedirs(os.path.join(dst, p))
        for f in PIDFILES:
            with open("/proc/%s/%s" % (p, f), "rb") as i, open(os.path.join(dst, p, f), "wb") as o:
                o.write(i.read())
        uids.add(os.stat("/proc/" + p).st_uid)
    with open(os.path.join(dst, "passwd"), "w") as o:
        for u in sorted(uids):
            o.write("%s:x:%d:%d\n" % (pwd.getpwuid(u).pw_name, u, pwd.getpwuid(u).pw_gid))
    # as memcap marks a recording of some pids: sharers outside them are unknown in both readings
    with open(os.path.join(dst, "memcap.info"), "w") as o:
        o.write("format 1\npids selected\n")


def only_ours(obj, pids):
    """Whether every sharer of a live memobjs object is a workload pid."""
    return set(str(s) for s in obj.get("sharer_pids") or []) <= set(pids)


def live(build, pids, ours=None):
    """The live reading (through copy_proc); ours: the objects to compare, from the reading before
    the capture (tests running beside this one may start processes that map the same program)."""
    import shutil
    import tempfile
    tmp = tempfile.mkdtemp(prefix="memcap-live.")
    try:
        rec = os.path.join(tmp, "rec")
        copy_proc(pids, rec)
        doc = {"memps": memps(build, pids, rec), "memmaps": {p: memmaps(build, p, rec) for p in pids}}
        # memobjs reads live: an object a reader maps has the reader among its sharers, so only
        # objects no process outside the pids shares are compared, and those a reader never perturbs
        # (one reading for both: a second one could see a process started in between)
        objs = memobjs(build, pids, None)
        if ours is None:
            ours = sorted({k.split(" ", 1)[1] for k, o in objs.items() if only_ours(o, pids)})
        doc["ours"] = ours
        doc["memobjs"] = {k: o for k, o in objs.items() if o["id"] in set(ours)}
        doc["raw"] = {p: {f: open(os.path.join(rec, p, f), "rb").read().decode("latin-1")
                          for f in ["status", "statm", "maps", "smaps_rollup", "comm", "cgroup", "cmdline"]}
                      for p in pids}
    finally:
        shutil.rmtree(tmp)
    return json.loads(json.dumps(doc, default=list, sort_keys=True), object_pairs_hook=dict)


def noisy(path):
    """A value other processes move: PSS (the sharers of a library page come and go), the split of
    resident pages into shared and private (a page another process maps or drops moves between
    them; USS and PRIVATE with it), Referenced (the kernel ages the pages others touch)."""
    key = path.lower().rsplit("/", 1)[-1]
    return any(w in key for w in ("pss", "referenced", "shared", "private", "uss"))


def slack(v):
    """How far a noisy value may lie outside the two live readings: PSS_SLACK, or 2 % of it."""
    return max(PSS_SLACK, abs(v) // 50)


def between(c, b, a, path, bad, moved):
    """c (capture) against b (before) and a (after), recursively."""
    if isinstance(b, dict) and isinstance(a, dict) and isinstance(c, dict):
        mine, mine_moved = [], []
        for k in sorted(set(b) | set(a) | set(c)):
            between(c.get(k), b.get(k), a.get(k), path + "/" + str(k), mine, mine_moved)
        # a row of a tool's rollup (memps's process, memmaps's rollup) whose only differences are
        # noisy values further than the slack: its pages' sharing changed between the readings (a
        # sanitizer build's processes share libasan, and tests beside this one start and end them);
        # what sharing cannot change must hold, as for a raw rollup (check_rollup_rows compares these
        # values with the capture's own smaps_rollup exactly)
        if mine and all(m.startswith(path + "/") and noisy(m[len(path) + 1:].split(":", 1)[0]) for m in mine) and \
                all(isinstance(d, dict) and "rss_bytes" in d for d in (c, b, a)) and \
                sharing_consistent(*(rollup_kb(d) for d in (c, b, a))):
            # (noise of the sharing, not the workload moving: not counted in moved)
            noise = {m.split(":", 1)[0] for m in mine}
            mine, mine_moved = [], [m for m in mine_moved if m not in noise]
        bad.extend(mine)
        moved.extend(mine_moved)
    elif isinstance(b, list) and isinstance(a, list) and isinstance(c, list) and len(b) == len(a) == len(c):
        for i, (x, y, z) in enumerate(zip(c, b, a)):
            between(x, y, z, path + "[%d]" % i, bad, moved)
    elif c == b or c == a:
        if b != a and not noisy(path):
            moved.append(path)
    elif b == a and (b is None or (path.endswith("/sharers_partial") and b is True)):
        # live memobjs cannot know (pid 1 unreadable in a container: partial, bytes unknown); the
        # capture of the workload alone can
        pass
    elif noisy(path) and all(isinstance(v, int) for v in (c, b, a)) and \
            min(a, b) - slack(c) <= c <= max(a, b) + slack(c):
        pass
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in (c, b, a)) and min(a, b) <= c <= max(a, b):
        moved.append(path)
    else:
        if b != a:
            moved.append(path)
        bad.append("%s: %r, before %r, after %r" % (path, c, b, a))


def kb_fields(lines):
    """The "Key: N kB" lines of a smaps_rollup or status as {key: N}."""
    out = {}
    for line in lines:
        f = line.split()
        if len(f) >= 2 and f[0].endswith(":") and f[1].isdigit():
            out[f[0][:-1]] = int(f[1])
    return out


def rollup_kb(row):
    """A tool's rollup row (values in bytes, keys such as shared_clean_bytes) as kb_fields() gives a
    raw rollup; unknown (null) values left out."""
    out = {}
    for key, name in (("rss", "Rss"), ("pss", "Pss"), ("shared_clean", "Shared_Clean"),
                      ("shared_dirty", "Shared_Dirty"), ("private_clean", "Private_Clean"),
                      ("private_dirty", "Private_Dirty")):
        v = row.get(key + "_bytes")
        if isinstance(v, int) and not isinstance(v, bool):
            out[name] = v // 1024
    return out


def sharing_consistent(c, b, a):
    """A rollup whose noisy lines moved further than the slack: what the sharing of its pages cannot
    change must still hold.  A page another process maps or drops moves between Shared_X and
    Private_X (so their sum stays), and the PSS lies between the private pages and the resident ones
    (Rss is compared exactly, as every line that is not noisy)."""
    def near(x, y, z):
        return min(y, z) - slack(x * 1024) // 1024 <= x <= max(y, z) + slack(x * 1024) // 1024
    for kind in ("Clean", "Dirty"):
        if not all(("Shared_" + kind) in d and ("Private_" + kind) in d for d in (c, b, a)):
            return False
        total = [d["Shared_" + kind] + d["Private_" + kind] for d in (c, b, a)]
        if not near(*total):
            return False
    private = c["Private_Clean"] + c["Private_Dirty"]
    return "Pss" in c and "Rss" in c and private <= c["Pss"] <= c["Rss"]


def lines_between(c, b, a, path, bad):
    """Raw text files: each line of the capture equals the line before or after; a noisy line (see
    noisy()) may lie within the slack of either, or, in a rollup whose sharing changed while it was
    read (another process mapped or dropped the same pages), keep what sharing cannot change."""
    cl, bl, al = c.splitlines(), b.splitlines(), a.splitlines()
    if not (len(cl) == len(bl) == len(al)):
        bad.append("%s: %d lines, before %d, after %d" % (path, len(cl), len(bl), len(al)))
        return
    shared_moved = []
    for i, (x, y, z) in enumerate(zip(cl, bl, al)):
        if x.startswith("SigQ:") or x == y or x == z:
            continue
        key = x.split(":")[0]
        if noisy(key) and key == y.split(":")[0] == z.split(":")[0] and len(x.split()) > 1:
            v, vb, va = (int(t.split()[1]) for t in (x, y, z))
            if min(vb, va) * 1024 - slack(v * 1024) <= v * 1024 <= max(vb, va) * 1024 + slack(v * 1024):
                continue
            shared_moved.append("%s line %d: %r, before %r, after %r" % (path, i + 1, x[:80], y[:80], z[:80]))
            continue
        bad.append("%s line %d: %r, before %r" % (path, i + 1, x[:80], y[:80]))
    if shared_moved and not (path.endswith("smaps_rollup") and
                             sharing_consistent(kb_fields(cl), kb_fields(bl), kb_fields(al))):
        bad.extend(shared_moved)


ROLLUP_KEYS = {"rss_bytes": "Rss", "pss_bytes": "Pss", "pss_anon_bytes": "Pss_Anon", "pss_file_bytes": "Pss_File",
               "pss_shmem_bytes": "Pss_Shmem", "pss_dirty_bytes": "Pss_Dirty", "shared_clean_bytes": "Shared_Clean",
               "shared_dirty_bytes": "Shared_Dirty", "private_clean_bytes": "Private_Clean",
               "private_dirty_bytes": "Private_Dirty", "swap_bytes": "Swap", "swap_pss_bytes": "SwapPss"}


def check_rollup_rows(rows, files, pids, bad):
    """memps's rows read from the capture: each value of its smaps_rollup is the capture's own line,
    exactly (the noisy ones are compared with the live readings only loosely)."""
    for pid in pids:
        row = rows.get(pid) or rows.get(int(pid))
        raw = kb_fields(files.get(pid + "/smaps_rollup", b"").decode("latin-1").splitlines())
        if row is None or row.get("source") != "smaps_rollup" or not raw:
            bad.append("memps: pid %s: no row read from its smaps_rollup (%r)" % (pid, row and row.get("source")))
            continue
        for key, name in ROLLUP_KEYS.items():
            if name in raw and row.get(key) != raw[name] * 1024:
                bad.append("memps: pid %s: %s %r, the capture's smaps_rollup %s: %d kB" % (pid, key, row.get(key),
                                                                                           name, raw[name]))


def main():
    if sys.argv[1] == "live":
        build, out, pids = sys.argv[2], sys.argv[3], sys.argv[4:]
        ours = None
        if os.environ.get("CHECK_CAPTURE_BEFORE"):
            ours = json.load(open(os.environ["CHECK_CAPTURE_BEFORE"]))["ours"]
        json.dump(live(build, pids, ours), open(out, "w"))
        return 0
    if sys.argv[1] == "whole":
        files = read_capture(sys.argv[2])
        pids = sorted({n.split("/")[0] for n in files if n.split("/")[0].isdigit()})
        bad = [e for pid in pids for e in whole_errors(files, pid)]
        if len(pids) < int(sys.argv[3]):
            bad.append("%d pid directories, fewer than %s" % (len(pids), sys.argv[3]))
        for b in bad[:20]:
            print("FAIL: %s: %s" % (os.path.basename(sys.argv[2]), b))
        print("%d pids" % len(pids))
        return 1 if bad else 0
    build, cap, bfile, afile = sys.argv[2:6]
    pids = sys.argv[6:]
    before, after = json.load(open(bfile)), json.load(open(afile))
    bad = []
    files = read_capture(cap)
    info = files.get("memcap.info", b"").decode()
    if not info.startswith("format 1\n"):
        bad.append("memcap.info: %r" % info[:80])

    # The raw files, independently of the tools.
    for pid in pids:
        bad += whole_errors(files, pid)
        for f in ["status", "statm", "maps", "smaps_rollup", "comm", "cgroup"]:
            c = files.get(pid + "/" + f, b"").decode("latin-1")
            lines_between(c, before["raw"][pid][f], after["raw"][pid][f], pid + "/" + f, bad)
        raw = before["raw"][pid]["cmdline"].encode("latin-1")
        want = raw if "cmdline full" in info else scrub(raw)
        if files.get(pid + "/cmdline") != want:
            bad.append("%s/cmdline: %r, want %r" % (pid, files.get(pid + "/cmdline"), want))

    # The tools on the capture.
    got = {"memps": memps(build, pids, cap), "memmaps": {p: memmaps(build, p, cap) for p in pids},
           "memobjs": memobjs(build, pids, cap, set(before["ours"]))}
    got = json.loads(json.dumps(got, default=list, sort_keys=True))
    check_rollup_rows(got["memps"], files, pids, bad)
    if not before["ours"]:
        bad.append("memobjs: no object shared only by the workload (the check would check nothing)")
    # An object a process outside the workload mapped by the end (a test beside this one running the
    # same program) has sharers the capture of these pids cannot know: left out of the comparison.
    theirs = {k.split(" ", 1)[1] for doc in (before, after) for k, o in doc["memobjs"].items()
              if not only_ours(o, pids)}
    for doc in (before, after, got):
        doc["memobjs"] = {k: o for k, o in doc["memobjs"].items() if k.split(" ", 1)[1] not in theirs}
    if set(before["ours"]) <= theirs:
        bad.append("memobjs: every object of the workload was mapped by another process too")
    moved = []
    for tool in ["memps", "memmaps", "memobjs"]:
        between(got[tool], before[tool], after[tool], tool, bad, moved)
    if len(moved) > 40:
        bad.append("the workload moved: %d values, e.g. %s" % (len(moved), moved[:5]))
    for b in bad:
        print("FAIL: %s: %s" % (os.path.basename(cap), b))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
