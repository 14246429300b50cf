#!/usr/bin/env python3
# check-cgroups.py: memsys --cgroups checked against the raw files: a made-up cgroup tree beside a recording (--proc-root), and the live cgroup v2 filesystem (test layer)
#
# usage: check-cgroups.py mktree FIXTURE ROOT     ROOT/proc: FIXTURE with each pid's cgroup rewritten
#                                                 (v2 paths, odd names); ROOT/sys/fs/cgroup: memory files
#        check-cgroups.py tree ROOT JSON          the document against ROOT's raw files, exactly
#        check-cgroups.py live JSON CGDIR PSS_JSON   the row of CGDIR (a cgroup v2 directory) against
#                                                 its files read now (moving counters with tolerance)
#                                                 and its processes' PSS against memps --json
# The rows, the sums and every term of the identity are recomputed here from the man page's
# definitions; file reads never follow a link, as memsys must not.  Exits 1 on any failure.
import errno
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import expect  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


# The made-up tree: cgroup path -> its memory files ({} for none; a value None for a symlink there).
PATHS = ["/", "/system.slice", "/system.slice/cron.service", "/system.slice/finished.service", "/user.slice",
         "/user.slice/user-1000.slice", "/user.slice/user-1000.slice/sess 1",
         "/user.slice/evil\x1b[31m\u00e9", "/linked/x"]
LEAVES = ["/", "/system.slice/cron.service", "/user.slice/user-1000.slice/sess 1",
          "/user.slice/evil\x1b[31m\u00e9", "/linked/x"]
GiB = 1 << 30


def stat_text(seed, with_kernel):
    keys = [("anon", 7340032 * seed), ("file", 12582912 * seed), ("kernel_stack", 16384 * seed),
            ("pagetables", 81920 * seed), ("sec_pagetables", 0), ("percpu", 640 * seed), ("sock", 4096 * seed),
            ("vmalloc", 8192 * seed), ("shmem", 1048576 * seed), ("file_mapped", 2097152 * seed),
            ("slab_reclaimable", 300000 * seed), ("slab_unreclaimable", 200000 * seed), ("slab", 500000 * seed),
            ("pgfault", 123456789), ("workingset_refault_anon", 0)]
    if with_kernel:
        keys.insert(2, ("kernel", 16384 * seed + 81920 * seed + 640 * seed + 8192 * seed + 500000 * seed + 777))
    return "".join("%s %d\n" % kv for kv in keys)


def mktree(fixture, root):
    proc = os.path.join(root, "proc")
    shutil.copytree(expect.snapshot_root(fixture), proc, symlinks=True)
    pids = sorted((n for n in os.listdir(proc) if n.isdigit()), key=int)
    for i, pid in enumerate(pids):
        with open(os.path.join(proc, pid, "cgroup"), "wb") as f:
            f.write(b"0::" + LEAVES[i % len(LEAVES)].encode() + b"\n")
    cg = os.path.join(root, "sys", "fs", "cgroup")
    os.makedirs(cg)
    with open(os.path.join(cg, "cgroup.controllers"), "w") as f:
        f.write("cpuset cpu io memory pids\n")
    with open(os.path.join(cg, "memory.stat"), "w") as f:  # the root has memory.stat, no memory.current
        f.write(stat_text(40, True))
    for n, path in enumerate(PATHS[1:], 1):
        if path.startswith("/linked"):
            continue
        d = cg + path
        os.makedirs(d.encode(), exist_ok=True)
        if path == "/user.slice/user-1000.slice":
            # memory.stat a link to a real one: must not be followed (ELOOP); memory.current fine
            os.symlink("../memory.stat", os.path.join(d, "memory.stat"))
        else:
            with open(os.path.join(d, "memory.stat").encode(), "w") as f:
                f.write(stat_text(n, path != "/system.slice"))  # /system.slice: an old kernel, no "kernel"
        with open(os.path.join(d, "memory.current").encode(), "w") as f:
            # evil: less than its own memory.stat (other and the gaps negative)
            f.write("%d\n" % (GiB // 8 * n + 4096 * n if "evil" not in path else 1048576))
    os.symlink("system.slice", os.path.join(cg, "linked"))  # a cgroup path through a link: not followed


def read_nofollow(root, path, name):
    """The bytes of ROOT/PATH/NAME opened one component at a time without following links, or an
    errno name."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for comp in [c for c in path.split("/") if c] + [name]:
            try:
                nfd = os.open(comp.encode(), os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as e:
                # a link where a directory or file belongs: O_NOFOLLOW gives ELOOP (or ENOTDIR)
                return errno.errorcode[errno.ELOOP if e.errno in (errno.ELOOP, errno.ENOTDIR) else e.errno]
            os.close(fd)
            fd = nfd
        return os.read(fd, 1 << 20)
    finally:
        os.close(fd)


def parse_stat(data):
    out = {}
    for line in data.decode().splitlines():
        k, v = line.split(" ")
        out[k] = int(v)
    return out


def terms(current, st):
    """The figures the man page defines, None where unknown."""
    t = {"current": current}
    for k in ("anon", "file", "shmem", "sock"):
        t[k] = st.get(k) if st is not None else None
    if st is None:
        t["kernel"] = None
    elif "kernel" in st:
        t["kernel"] = st["kernel"]
    elif all(k in st for k in ("kernel_stack", "pagetables", "slab")):
        t["kernel"] = sum(st.get(k, 0) for k in ("kernel_stack", "pagetables", "sec_pagetables", "percpu",
                                                 "vmalloc", "slab"))
    else:
        t["kernel"] = None
    parts = [t["current"], t["anon"], t["file"], t["kernel"], t["sock"]]
    t["other"] = None if None in parts else parts[0] - sum(parts[1:])
    return t


def all_cgroups(cg):
    """Every cgroup directory below cg, links not followed (a link is no cgroup)."""
    out = []
    for d, dirs, _ in os.walk(cg.encode()):
        dirs[:] = [x for x in dirs if not os.path.islink(os.path.join(d, x))]
        rel = os.path.relpath(d, cg.encode()).decode()
        out.append("/" if rel == "." else "/" + rel)
    return out


def expected_rows(procs, read, extra=()):
    rows = {}
    for c in extra:
        rows[c] = {"procs": 0, "unread": 0, "pss": 0, "pa": 0, "pf": 0, "ps": 0, "split": True}
    for p in procs:
        if p["state"] in ("kernel", "zombie", "vanished"):
            continue
        assert p["job_hierarchy"] == "v2", p
        path = p["job"]
        chain = [path]
        while chain[-1] != "/":
            chain.append(chain[-1].rsplit("/", 1)[0] or "/")
        for c in chain:
            r = rows.setdefault(c, {"procs": 0, "unread": 0, "pss": 0, "pa": 0, "pf": 0, "ps": 0, "split": True})
            r["procs"] += 1
            if p["state"] != "ok" or p["pss_bytes"] is None:
                r["unread"] += 1
                continue
            r["pss"] += p["pss_bytes"]
            if None in (p["pss_anon_bytes"], p["pss_file_bytes"], p["pss_shmem_bytes"]):
                r["split"] = False
            else:
                r["pa"] += p["pss_anon_bytes"]
                r["pf"] += p["pss_file_bytes"]
                r["ps"] += p["pss_shmem_bytes"]
    out = {}
    for path, r in rows.items():
        cur, st = read(path)
        t = terms(cur, st)
        t["pss"] = r["pss"]
        ok = r["unread"] == 0 and r["split"]
        t["anon_gap"] = t["anon"] - r["pa"] if ok and t["anon"] is not None else None
        t["file_gap"] = t["file"] - (r["pss"] - r["pa"]) if ok and t["file"] is not None else None
        t["procs"], t["unread"] = r["procs"], r["unread"]
        t["cmp"] = cur - r["pss"] if r["unread"] == 0 and cur is not None else None
        out[path] = t
    return out


FIGS = ["current", "anon", "file", "shmem", "kernel", "sock", "other", "pss", "anon_gap", "file_gap"]


def tree(root, doc_path):
    doc = json.load(open(doc_path))
    cg = os.path.join(root, "sys", "fs", "cgroup")
    procs = expect.load(os.path.join(root, "proc"))["processes"]
    errs = {}

    def read(path):
        cur = read_nofollow(cg, path, "memory.current")
        st = read_nofollow(cg, path, "memory.stat")
        errs[path] = (None if isinstance(cur, bytes) else cur, None if isinstance(st, bytes) else st)
        return (int(cur) if isinstance(cur, bytes) else None, parse_stat(st) if isinstance(st, bytes) else None)

    want = expected_rows(procs, read, all_cgroups(cg))
    if "/system.slice/finished.service" not in want:
        fail("the oracle lost the cgroup without processes")
    got = doc["cgroups"]
    if doc["schema"] != "memsys-cgroups/1" or not os.path.samefile(doc["cgroup_root"], cg):
        fail("header: %r %r" % (doc["schema"], doc["cgroup_root"]))
    paths = [r["path"] for r in got]
    if sorted(paths) != sorted(want):
        fail("rows: %r, expected %r" % (paths, sorted(want)))
    # parents before children, siblings by bytes with "/" first
    key = [[c.encode() for c in p.split("/")] for p in paths]
    if key != sorted(key):
        fail("row order: %r" % paths)
    for r in got:
        w = want.get(r["path"])
        if w is None:
            continue
        for f in FIGS:
            if r[f + "_bytes"] != w[f]:
                fail("%r: %s_bytes %r, expected %r" % (r["path"], f, r[f + "_bytes"], w[f]))
        for k, wk in (("processes", "procs"), ("processes_unreadable", "unread"), ("current_minus_pss_bytes", "cmp")):
            if r[k] != w[wk]:
                fail("%r: %s %r, expected %r" % (r["path"], k, r[k], w[wk]))
        if r["depth"] != (0 if r["path"] == "/" else r["path"].count("/")):
            fail("%r: depth %r" % (r["path"], r["depth"]))
        if (r["current_error"], r["stat_error"]) != errs[r["path"]]:
            fail("%r: errors %r, expected %r" % (r["path"], (r["current_error"], r["stat_error"]), errs[r["path"]]))
        # the identity, where every term is known
        if None not in (w["cmp"], w["anon_gap"], w["file_gap"], w["kernel"], w["sock"], w["other"]):
            if w["cmp"] != w["anon_gap"] + w["file_gap"] + w["kernel"] + w["sock"] + w["other"]:
                fail("%r: the terms do not add up" % r["path"])


def live(doc_path, cgdir, pss_doc_path):
    """cgdir's row: static figures exactly, moving ones within tolerance; PSS against memps --json."""
    doc = json.load(open(doc_path))
    root = doc["cgroup_root"]
    path = "/" + os.path.relpath(cgdir, root)
    rows = [r for r in doc["cgroups"] if r["path"] == path]
    if len(rows) != 1:
        fail("no row for %s in %r" % (path, [r["path"] for r in doc["cgroups"]]))
        return
    r = rows[0]
    cur = int(read_nofollow(root, path, "memory.current"))
    st = parse_stat(read_nofollow(root, path, "memory.stat"))
    t = terms(cur, st)
    tol = 8 << 20  # the workload is still; the kernel's counters move by page-cache and slab noise
    for f in ("current", "anon", "file", "kernel", "sock"):
        if r[f + "_bytes"] is None or abs(r[f + "_bytes"] - t[f]) > tol:
            fail("%s: %s_bytes %r, now %r" % (path, f, r[f + "_bytes"], t[f]))
    if not r["anon_bytes"] or not r["pss_bytes"]:
        fail("%s: no anon or no PSS for the workload: %r %r" % (path, r["anon_bytes"], r["pss_bytes"]))
    if None not in (r["current_bytes"], r["anon_bytes"], r["file_bytes"], r["kernel_bytes"], r["sock_bytes"]) and \
            r["other_bytes"] != r["current_bytes"] - r["anon_bytes"] - r["file_bytes"] - r["kernel_bytes"] - r["sock_bytes"]:
        fail("%s: other is not current - anon - file - kernel - sock" % path)
    ps = json.load(open(pss_doc_path))
    mine = [p for p in ps["processes"] if p.get("job") == path and p.get("state") not in ("kernel", "zombie", "vanished")]
    want = sum(p["pss_bytes"] for p in mine if p.get("pss_bytes") is not None)
    if r["processes"] != len(mine) or r["processes"] == 0:
        fail("%s: %r processes, memps says %d" % (path, r["processes"], len(mine)))
    if abs(r["pss_bytes"] - want) > (1 << 20):
        fail("%s: pss %r, memps %r" % (path, r["pss_bytes"], want))
    if r["processes_unreadable"] == 0 and r["current_minus_pss_bytes"] != r["current_bytes"] - r["pss_bytes"]:
        fail("%s: current_minus_pss" % path)


if sys.argv[1] == "mktree":
    mktree(sys.argv[2], sys.argv[3])
elif sys.argv[1] == "tree":
    tree(sys.argv[2], sys.argv[3])
elif sys.argv[1] == "live":
    live(sys.argv[2], sys.argv[3], sys.argv[4])
sys.exit(1 if failures else 0)
