#!/usr/bin/env python3
# expect_shm.py: independent model of memsys --explain's /dev/shm listing: for each file, its size, allocated bytes and how many processes map it or hold an fd on it, from the raw files (test layer)
#
# usage: expect_shm.py live PREFIX          the running system (/proc, /dev/shm), as the caller sees it
#        expect_shm.py recording DIR PREFIX a memcap recording (dev-shm, <pid>/maps, <pid>/fds, memcap.info)
# Prints a JSON object: name -> {size_bytes, alloc_bytes, mappers, holders} for the files whose name
# starts with PREFIX; mappers (holders) is None when nobody was seen but some process's maps (fds)
# could not be read, or the recording holds some processes only.
import json
import os
import sys


def maps_keys(text):
    """The (major, minor, inode) of every file mapping of a maps text."""
    keys = set()
    for line in text.splitlines():
        f = line.split(None, 5)
        major, minor = (int(x, 16) for x in f[3].split(":"))
        if int(f[4]):
            keys.add((major, minor, int(f[4])))
    return keys


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"\\": "\\", "n": "\n"}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def result(files, mapped, held, maps_all, fds_all, prefix):
    out = {}
    for name, (key, size, alloc) in files.items():
        if not name.startswith(prefix):
            continue
        m = sum(1 for ks in mapped.values() if key in ks)
        h = sum(1 for ks in held.values() if key in ks)
        out["/dev/shm/" + name] = {"size_bytes": size, "alloc_bytes": alloc,
                                   "mappers": m if m or maps_all else None,
                                   "holders": h if h or fds_all else None}
    return out


def live(prefix):
    files = {}
    for name in os.listdir("/dev/shm"):
        try:
            st = os.stat(os.path.join("/dev/shm", name), follow_symlinks=False)
            if not os.path.isfile(os.path.join("/dev/shm", name)) or os.path.islink(os.path.join("/dev/shm", name)):
                continue
            open(os.path.join("/dev/shm", name), "rb").close()  # memsys lists what it can open
        except OSError:
            continue
        files[name] = ((os.major(st.st_dev), os.minor(st.st_dev), st.st_ino), st.st_size, st.st_blocks * 512)
    mapped, held, maps_all, fds_all = {}, {}, True, True
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            mapped[pid] = maps_keys(open("/proc/%s/maps" % pid).read())
        except (FileNotFoundError, ProcessLookupError):
            pass
        except OSError:
            maps_all = False
        try:
            keys = set()
            for fd in os.listdir("/proc/%s/fd" % pid):
                try:
                    st = os.stat("/proc/%s/fd/%s" % (pid, fd))
                except OSError:
                    continue
                keys.add((os.major(st.st_dev), os.minor(st.st_dev), st.st_ino))
            held[pid] = keys
        except (FileNotFoundError, ProcessLookupError):
            pass
        except OSError:
            fds_all = False
    return result(files, mapped, held, maps_all, fds_all, prefix)


def recording(d, prefix):
    files = {}
    lines = open(os.path.join(d, "dev-shm"), encoding="utf-8", errors="surrogateescape").read().split("\n")
    for line in lines[1:]:
        if not line:
            continue
        dev, ino, mode, size, blocks, bsize, name = line.split(" ", 6)
        dev = int(dev)
        files[unescape(name)] = ((os.major(dev), os.minor(dev), int(ino)), int(size), int(blocks) * int(bsize))
    info = open(os.path.join(d, "memcap.info")).read().split("\n")
    all_pids = "pids all" in info
    mapped, held, maps_all, fds_all = {}, {}, all_pids, all_pids
    for pid in (p for p in os.listdir(d) if p.isdigit()):
        pd = os.path.join(d, pid)
        why = {}
        if os.path.isfile(os.path.join(pd, "memcap.errors")):
            why = dict(l.split(" ", 1) for l in open(os.path.join(pd, "memcap.errors")).read().splitlines())
        if os.path.isfile(os.path.join(pd, "maps")) and "maps" not in why:
            mapped[pid] = maps_keys(open(os.path.join(pd, "maps")).read())
        elif why.get("maps") not in ("ENOENT", "ESRCH"):
            maps_all = False  # unreadable or not recorded: it may map anything
        keys = set()
        if os.path.isfile(os.path.join(pd, "fds")) and "fds" not in why:
            for line in open(os.path.join(pd, "fds"), encoding="utf-8", errors="surrogateescape").read().splitlines():
                fd, dev, ino, rest = line.split(" ", 3)
                keys.add((os.major(int(dev)), os.minor(int(dev)), int(ino)))
        else:
            fds_all = False
        held[pid] = keys
    return result(files, mapped, held, maps_all, fds_all, prefix)


if sys.argv[1] == "live":
    print(json.dumps(live(sys.argv[2]), sort_keys=True))
else:
    print(json.dumps(recording(sys.argv[2], sys.argv[3]), sort_keys=True))
