#!/usr/bin/env python3
# make-pairs.py: recordings with known differences, made from fixtures/debian12-workload, for memdiff's tests (test layer, python3 stdlib)
#
# usage: make-pairs.py FIXTURES_DIR OUT_DIR
# Writes OUT_DIR/{old,grow,unreadable,kernel,n1,n2,n3,scrubbed}: each a copy of old with the
# changes below, made on the raw files (the expected deltas are computed from the files again by
# expect_diff.py, never from these constants).
#   old         the fixture, with pid 1 readable (its smaps_rollup, smaps and maps copied from pid 24584)
#   grow        24565's Pss +1024 kB and Private_Dirty +512 kB, in smaps_rollup and in its [heap]
#               mapping in smaps (the workload program grows); 24584
#               gone (sleep in /process_api/... disappears); 30000 new (a program appears in
#               /memps-fixture/new); 24573 moved from .../workload/cow to /memps-fixture/other
#   unreadable  grow with 24565's memory files denied (memcap.errors EACCES)
#   kernel      old recorded on another kernel (version), 24585 SwapPss +64 kB
#   n1 n2 n3    old with 24565's Pss +100, +300, +200 kB; 30001 (a new program) in n2 and n3 only,
#               Pss 1000 and 3000 kB; 30002 in n1 only
#   scrubbed    old with every command line cut to argv[0] and memcap.info saying "cmdline scrubbed"
import os
import re
import shutil
import sys


def copy_base(src, dst):
    shutil.copytree(src, dst, symlinks=True)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def bump(rollup_path, field, kb):
    data = read(rollup_path)
    pat = re.compile(rb"^(" + field.encode() + rb":\s+)(\d+)( kB)$", re.M)
    m = pat.search(data)
    assert m, (rollup_path, field)
    width = len(m.group(2))
    new = str(int(m.group(2)) + kb).rjust(width).encode()
    write(rollup_path, data[:m.start(2)] + new + data[m.end(2):])


def bump_mapping(smaps_path, name, field, kb):
    """Adds kb to a field of the first smaps record of that name."""
    data = read(smaps_path)
    at = data.index(b" " + name + b"\n")
    pat = re.compile(rb"^(" + field.encode() + rb":\s+)(\d+)( kB)$", re.M)
    m = pat.search(data, at)
    width = len(m.group(2))
    new = str(int(m.group(2)) + kb).rjust(width).encode()
    write(smaps_path, data[:m.start(2)] + new + data[m.end(2):])


def set_pss(rollup_path, kb):
    data = read(rollup_path)
    data = re.sub(rb"^(Pss:\s+)\d+ kB$", lambda m: m.group(1) + str(kb).encode() + b" kB", data, flags=re.M)
    write(rollup_path, data)


def add_process(root, pid, like, job, argv):
    d = os.path.join(root, str(pid))
    shutil.copytree(os.path.join(root, str(like)), d, symlinks=True)
    stat = read(os.path.join(d, "stat"))
    write(os.path.join(d, "stat"), str(pid).encode() + stat[stat.index(b" "):])
    write(os.path.join(d, "cgroup"), b"0::" + job + b"\n")
    write(os.path.join(d, "cmdline"), b"\0".join(argv) + b"\0")
    return d


def deny(root, pid):
    d = os.path.join(root, str(pid))
    for f in ("smaps_rollup", "smaps", "maps"):
        if os.path.exists(os.path.join(d, f)):
            os.unlink(os.path.join(d, f))
    write(os.path.join(d, "memcap.errors"), b"smaps_rollup EACCES\nsmaps EACCES\nmaps EACCES\n")


def main():
    fixtures, out = sys.argv[1], sys.argv[2]
    base = os.path.join(fixtures, "debian12-workload")
    os.makedirs(out, exist_ok=True)

    old = os.path.join(out, "old")
    copy_base(base, old)
    os.unlink(os.path.join(old, "1", "memcap.errors"))
    for f in ("smaps_rollup", "smaps", "maps"):
        shutil.copy(os.path.join(old, "24584", f), os.path.join(old, "1", f))

    grow = os.path.join(out, "grow")
    copy_base(old, grow)
    bump(os.path.join(grow, "24565", "smaps_rollup"), "Pss", 1024)
    bump(os.path.join(grow, "24565", "smaps_rollup"), "Private_Dirty", 512)
    bump_mapping(os.path.join(grow, "24565", "smaps"), b"[heap]", "Pss", 1024)
    bump_mapping(os.path.join(grow, "24565", "smaps"), b"[heap]", "Private_Dirty", 512)
    shutil.rmtree(os.path.join(grow, "24584"))
    d = add_process(grow, 30000, 24585, b"/memps-fixture/new", [b"/usr/bin/newcomer", b"--serve"])
    set_pss(os.path.join(d, "smaps_rollup"), 2048)
    write(os.path.join(grow, "24573", "cgroup"), b"0::/memps-fixture/other\n")

    unreadable = os.path.join(out, "unreadable")
    copy_base(grow, unreadable)
    deny(unreadable, 24565)

    kernel = os.path.join(out, "kernel")
    copy_base(old, kernel)
    write(os.path.join(kernel, "version"), b"Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) #1 SMP\n")
    bump(os.path.join(kernel, "24585", "smaps_rollup"), "SwapPss", 64)

    for name, kb in (("n1", 100), ("n2", 300), ("n3", 200)):
        n = os.path.join(out, name)
        copy_base(old, n)
        bump(os.path.join(n, "24565", "smaps_rollup"), "Pss", kb)
    for name, kb in (("n2", 1000), ("n3", 3000)):
        d = add_process(os.path.join(out, name), 30001, 24585, b"/memps-fixture/other", [b"/usr/bin/median-only", b"x"])
        set_pss(os.path.join(d, "smaps_rollup"), kb)
    add_process(os.path.join(out, "n1"), 30002, 24585, b"/memps-fixture/other", [b"/usr/bin/once", b"y"])

    scrubbed = os.path.join(out, "scrubbed")
    copy_base(old, scrubbed)
    for pid in os.listdir(scrubbed):
        c = os.path.join(scrubbed, pid, "cmdline")
        if pid.isdigit() and os.path.exists(c):
            args = read(c).split(b"\0")
            if args and args[0]:
                write(c, args[0] + b"\0")
    write(os.path.join(scrubbed, "memcap.info"), b"format 1\ntool memcap 1.0\ncmdline scrubbed\npids all\n")


if __name__ == "__main__":
    main()
