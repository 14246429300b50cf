#!/usr/bin/env python3
# expect_hidden.py: memobjs --hidden computed independently from a recording directory's raw files, compared with memobjs's JSON (test layer)
#
# usage: expect_hidden.py RECDIR MEMOBJS_JSON [--only-pid PID]
# The rules (man/memobjs.1): SysV segments with nattch 0; an fd of a recorded `fds` whose file is a
# regular file and a memfd ("/memfd:" link) or on the device of dev-shm's "." line, mapped by no
# process's maps (smaps when maps is absent), is fd-only with its holders; a regular file of dev-shm
# nobody maps or holds is shm-orphan, or shm-holders-unknown when some process's fds or maps are
# unknown.  A manifest line (memcap.errors) wins over the file; EMPTY is 0 bytes; ENOENT/ESRCH on
# fds is a process gone (not an unknown).  Exit 1 with the differences listed.
import json
import os
import stat
import sys

rec, got_path = sys.argv[1], sys.argv[2]
got = json.load(open(got_path))
bad = []


def check(cond, msg):
    if not cond:
        bad.append(msg)


def manifest(path):
    out = {}
    try:
        for line in open(path, "rb").read().split(b"\n"):
            parts = line.split()
            if len(parts) >= 2:
                out[parts[0].decode()] = parts[1].decode()
    except FileNotFoundError:
        pass
    return out


def unescape(b):
    out, i = bytearray(), 0
    while i < len(b):
        if b[i:i + 2] == b"\\\\":
            out += b"\\"
            i += 2
        elif b[i:i + 2] == b"\\n":
            out += b"\n"
            i += 2
        else:
            out.append(b[i])
            i += 1
    return bytes(out)


def rec_lines(data, with_fd):
    rows = []
    for line in data.split(b"\n")[:-1]:
        f = line.split(b" ", 7 if with_fd else 6)
        if with_fd:
            fd, f = int(f[0]), f[1:]
        dev, ino, mode, size, blocks, blksize, name = f
        rows.append({"dev": (os.major(int(dev)), os.minor(int(dev))), "ino": int(ino), "mode": int(mode, 16),
                     "size": int(size), "alloc": int(blocks) * int(blksize), "name": unescape(name)})
    return rows


def mapped_keys(data, smaps):
    keys = set()
    for line in data.split(b"\n"):
        f = line.split()
        if len(f) < 5 or b"-" not in f[0] or b":" not in f[3]:
            continue
        if smaps and f[0].endswith(b":"):
            continue
        maj, mn = f[3].split(b":")
        keys.add(((int(maj, 16), int(mn, 16)), int(f[4])))
    return keys


def read_file(d, name, man):
    """(content or None, unknown?) with the manifest's word first."""
    reason = man.get(name)
    if reason == "EMPTY":
        return b"", False
    if reason:
        return None, reason not in ("ENOENT", "ESRCH")
    p = os.path.join(d, name)
    if not os.path.isfile(p):
        return None, True
    return open(p, "rb").read(), False


pids = sorted(int(e) for e in os.listdir(rec) if e.isdigit())
mapped, holds = set(), {}
partial, fd_errors = False, 0
for pid in pids:
    d = os.path.join(rec, str(pid))
    man = manifest(os.path.join(d, "memcap.errors"))
    data, unknown = read_file(d, "maps", man)
    if data is None and not man.get("maps"):
        data, unknown = read_file(d, "smaps", man)
        smaps = True
    else:
        smaps = False
    if data is None:
        partial = True
    else:
        mapped |= mapped_keys(data, smaps)
    data, unknown = read_file(d, "fds", man)
    if data is None:
        if unknown:
            fd_errors += 1
        continue
    holds[pid] = rec_lines(data, True)

shm_dev, shm_files = None, []
top_man = manifest(os.path.join(rec, "memcap.errors"))
if not top_man.get("dev-shm") and os.path.isfile(os.path.join(rec, "dev-shm")):
    for r in rec_lines(open(os.path.join(rec, "dev-shm"), "rb").read(), False):
        if r["name"] == b".":
            shm_dev = r["dev"]
        elif stat.S_ISREG(r["mode"]) and b"/" not in r["name"]:
            shm_files.append(r)

info = {}
if os.path.isfile(os.path.join(rec, "memcap.info")):
    for line in open(os.path.join(rec, "memcap.info")).read().split("\n"):
        if " " in line:
            k, v = line.split(" ", 1)
            info[k] = v
known = fd_errors == 0 and not partial and info.get("pids", "all") == "all"
want = []
held = {}
for pid in pids:
    for r in holds.get(pid, []):
        if not stat.S_ISREG(r["mode"]):
            continue
        if not (r["name"].startswith(b"/memfd:") or r["dev"] == shm_dev):
            continue
        key = (r["dev"], r["ino"])
        if key in mapped:
            continue
        if key not in held:
            held[key] = {"kind": "fd-only", "name": r["name"], "size": r["size"], "alloc": r["alloc"], "pids": []}
        if pid not in held[key]["pids"]:
            held[key]["pids"].append(pid)
for key, h in held.items():
    want.append((h["kind"], key, h["name"], h["size"], h["alloc"], h["pids"], known))
for r in shm_files:
    key = (r["dev"], r["ino"])
    if key in held or key in mapped:
        continue
    want.append(("shm-orphan" if known else "shm-holders-unknown", key, b"/dev/shm/" + r["name"], r["size"],
                 r["alloc"], [], known))

shm_path = os.path.join(rec, "sysvipc", "shm")
sysv = []
if os.path.isfile(shm_path):
    lines = open(shm_path).read().split("\n")
    hdr = lines[0].split()
    for line in lines[1:]:
        if line.strip():
            row = dict(zip(hdr, line.split()))
            if int(row["nattch"]) == 0:
                sysv.append((int(row["shmid"]), int(row["size"])))

got_files = []
got_sysv = []
for h in got["hidden"]:
    if h["kind"] == "sysv-unattached":
        got_sysv.append((h["shmid"], h["size_bytes"]))
        continue
    maj, mn = (int(x, 16) for x in h["dev"].split(":"))
    got_files.append((h["kind"], ((maj, mn), h["inode"]), h["name"].encode("utf-8", "surrogateescape"),
                      h["size_bytes"], h["alloc_bytes"], h["holder_pids"], h["holders_known"]))

check(got["hidden_live"] is True, "hidden_live is not true on a recording with fds and dev-shm")
check(got["fds_unreadable"] == fd_errors, "fds_unreadable %s, want %d" % (got["fds_unreadable"], fd_errors))
check(sorted(got_sysv) == sorted(sysv), "sysv %s, want %s" % (sorted(got_sysv), sorted(sysv)))
gw = {w[1]: w for w in want}
gg = {g[1]: g for g in got_files}
for k in sorted(set(gw) | set(gg)):
    if gw.get(k) != gg.get(k):
        bad.append("object %s: got %r, want %r" % (k, gg.get(k), gw.get(k)))
for b in bad[:40]:
    print("FAIL: " + b)
print("expect_hidden: %d objects, %d SysV, holders known %s: %s" % (len(want), len(sysv), known,
                                                                    "differs" if bad else "same"))
sys.exit(1 if bad else 0)
