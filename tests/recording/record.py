#!/usr/bin/env python3
# record.py: writes a recording of the live system in memcap's format (issue 9), for the tests until memcap lands (test layer)
#
# usage: record.py OUTDIR [--tar FILE] [--targz FILE] [--pids PID,PID...]
# Per pid: the /proc files of the layout, `fds` (the fds whose file is a regular file on a tmpfs or a
# memfd) and `memcap.errors` (FILE REASON for each file that could not be read; EMPTY for a file read as
# 0 bytes, written too); top level: meminfo, version, vmstat, sysvipc/shm, passwd, dev-shm,
# memcap.info, memcap.errors.  A pid directory is written under a temporary name and renamed once
# whole; a pid gone before its stat was read leaves nothing.  cmdline is scrubbed to argv[0].
# The tar forms list each pid's members together, in a shuffled order (the reader must not depend on
# it), memcap.errors included.
import errno
import os
import random
import stat
import sys
import tarfile
import time

PID_FILES = ["stat", "status", "statm", "cmdline", "comm", "cgroup", "smaps_rollup", "smaps", "maps"]
TOP_FILES = ["meminfo", "version", "vmstat", "sysvipc/shm"]


def errname(e):
    return errno.errorcode.get(e.errno, "EIO")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def escape(b):
    return b.replace(b"\\", b"\\\\").replace(b"\n", b"\\n")


def tmpfs_devs():
    """st_dev of every tmpfs-like mount (memfds are recognised by their link text)."""
    devs = set()
    for line in read("/proc/self/mountinfo").split(b"\n"):
        parts = line.split(b" - ")
        if len(parts) != 2:
            continue
        fstype = parts[1].split(b" ")[0]
        if fstype not in (b"tmpfs", b"shm", b"devtmpfs", b"ramfs"):
            continue
        mnt = parts[0].split(b" ")[4].replace(b"\\040", b" ").replace(b"\\012", b"\n").replace(b"\\134", b"\\")
        try:
            devs.add(os.stat(mnt).st_dev)
        except OSError:
            pass
    return devs


def stat_fields(st):
    return b"%d %d %x %d %d 512" % (st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_blocks)


def record_fds(pid, devs):
    d = "/proc/%d/fd" % pid
    out = []
    for name in sorted(os.listdir(d), key=int):
        try:
            target = os.readlink(os.path.join(d, name).encode())
            st = os.stat(os.path.join(d, name))
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if not target.startswith(b"/memfd:") and st.st_dev not in devs:
            continue
        out.append(b"%s %s %s\n" % (name.encode(), stat_fields(st), escape(target)))
    return b"".join(out)


def scrub_cmdline(b):
    i = b.find(b"\0")
    return b if i < 0 else b[:i + 1]


def record_pid(pid, out, devs):
    src = "/proc/%d" % pid
    tmp = os.path.join(out, ".%d.tmp" % pid)
    os.mkdir(tmp)
    errs = []
    files = {}
    for f in PID_FILES:
        try:
            data = read(os.path.join(src, f))
        except OSError as e:
            if f == "stat" and e.errno in (errno.ENOENT, errno.ESRCH):
                os.rmdir(tmp)
                return False
            errs.append((f, errname(e)))
            continue
        if f == "cmdline":
            data = scrub_cmdline(data)
        if not data:
            errs.append((f, "EMPTY"))
        files[f] = data
    try:
        files["fds"] = record_fds(pid, devs)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ESRCH):
            errs.append(("fds", "ESRCH"))
        else:
            errs.append(("fds", errname(e)))
    if not os.path.isdir(src):
        # gone meanwhile: a cut read is not a whole one
        for f in ("smaps_rollup", "smaps", "maps"):
            errs.append((f, "ESRCH"))
    for f, data in files.items():
        with open(os.path.join(tmp, f), "wb") as fh:
            fh.write(data)
    if errs:
        with open(os.path.join(tmp, "memcap.errors"), "w") as fh:
            fh.write("".join("%s %s\n" % e for e in errs))
    os.rename(tmp, os.path.join(out, str(pid)))
    return True


def record_dev_shm(out, top_errs):
    try:
        names = sorted(os.listdir(b"/dev/shm"))
        st = os.stat(b"/dev/shm")
    except OSError as e:
        top_errs.append(("dev-shm", errname(e)))
        return
    lines = [b"%s .\n" % stat_fields(st)]
    for n in names:
        try:
            s = os.stat(b"/dev/shm/" + n, follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(s.st_mode):
            lines.append(b"%s %s\n" % (stat_fields(s), escape(n)))
    with open(os.path.join(out, "dev-shm"), "wb") as fh:
        fh.write(b"".join(lines))


def main():
    out = sys.argv[1]
    tar = targz = only = None
    args = sys.argv[2:]
    while args:
        if args[0] == "--tar":
            tar = args[1]
        elif args[0] == "--targz":
            targz = args[1]
        elif args[0] == "--pids":
            only = {int(p) for p in args[1].split(",") if p}
        args = args[2:]
    os.makedirs(out)
    t0 = int(time.time())
    devs = tmpfs_devs()
    top_errs = []
    os.makedirs(os.path.join(out, "sysvipc"))
    for f in TOP_FILES:
        try:
            data = read(os.path.join("/proc", f))
        except OSError as e:
            top_errs.append((f, errname(e)))
            continue
        with open(os.path.join(out, f), "wb") as fh:
            fh.write(data)
    record_dev_shm(out, top_errs)
    uids = set()
    for name in sorted(os.listdir("/proc")):
        if not name.isdigit() or (only is not None and int(name) not in only):
            continue
        try:
            uids.add(os.stat("/proc/" + name).st_uid)
        except OSError:
            continue
        record_pid(int(name), out, devs)
    with open(os.path.join(out, "passwd"), "w") as fh:
        import pwd
        for u in sorted(uids):
            try:
                fh.write("%s:x:%d:%d\n" % (pwd.getpwuid(u).pw_name, u, pwd.getpwuid(u).pw_gid))
            except KeyError:
                pass
    with open(os.path.join(out, "memcap.info"), "w") as fh:
        fh.write("format 1\ntool record.py 1\ntime %d\npagesize %d\ncmdline scrubbed\nuid %d\npids %s\n"
                 % (t0, os.sysconf("SC_PAGESIZE"), os.getuid(), "all" if only is None else "selected"))
    if top_errs:
        with open(os.path.join(out, "memcap.errors"), "w") as fh:
            fh.write("".join("%s %s\n" % e for e in top_errs))
    for path, mode in ((tar, "w"), (targz, "w:gz")):
        if path:
            write_tar(out, path, mode)


def write_tar(root, path, mode):
    """Top-level files first, then each pid's members together in a shuffled order."""
    rng = random.Random(9)
    with tarfile.open(path, mode) as t:
        def add(rel):
            t.add(os.path.join(root, rel), arcname=rel, recursive=False)
        entries = sorted(os.listdir(root))
        for e in entries:
            if not e.isdigit() and os.path.isfile(os.path.join(root, e)):
                add(e)
        add("sysvipc")
        for e in sorted(os.listdir(os.path.join(root, "sysvipc"))):
            add("sysvipc/" + e)
        for e in sorted((e for e in entries if e.isdigit()), key=int):
            add(e)
            members = sorted(os.listdir(os.path.join(root, e)))
            rng.shuffle(members)
            for m in members:
                add(e + "/" + m)


if __name__ == "__main__":
    main()
