# make-hostile.py: writes hostile and odd-named snapshots into a temp dir at test time, plus a manifest (test layer)
#
# Usage: make-hostile.py OUTDIR
# Writes OUTDIR/<case>/ (directories or archives) and OUTDIR/manifest.json: a list of
#   {"name", "args": [memps args, "@" standing for the case's path], "rc": expected exit status,
#    "stderr": [substrings the error output must contain], "json": bool (stdout must be valid JSON),
#    "good": {pid: pss_bytes} processes that must still be measured, "bad": [pids shown unreadable],
#    "never": [strings that must not appear in stdout or stderr]}
# Nothing generated here is committed.

import io
import json
import os
import sys
import tarfile

OUT = sys.argv[1]
CASES = []
SECRET_KB = 4242421
SECRET_NAME = "OUTSIDE-SECRET"


def stat_line(pid, comm, ppid=1, flags=0x400100, vsize=2990080):
    rest = ["S", str(ppid), str(pid), str(pid), "0", "-1", str(flags)] + ["0"] * 8 + \
        ["20", "0", "1", "0", "100", str(vsize), "62"] + ["0"] * 28
    return b"%d (%s) " % (pid, comm) + " ".join(rest).encode() + b"\n"


def status_text(pid, name, uid=0):
    return ("Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\nPPid:\t1\n"
            "Uid:\t%d\t%d\t%d\t%d\nGid:\t0\t0\t0\t0\nVmSize:\t    2920 kB\nVmRSS:\t     248 kB\n"
            % (name, pid, pid, uid, uid, uid, uid)).encode()


def rollup(pss_kb, rss_kb=None, extra=b"", drop=()):
    rss_kb = pss_kb * 2 if rss_kb is None else rss_kb
    fields = [("Rss", rss_kb), ("Pss", pss_kb), ("Pss_Dirty", 0), ("Pss_Anon", pss_kb),
              ("Pss_File", 0), ("Pss_Shmem", 0), ("Shared_Clean", rss_kb - pss_kb),
              ("Shared_Dirty", 0), ("Private_Clean", 0), ("Private_Dirty", pss_kb),
              ("Swap", 0), ("SwapPss", 0)]
    body = b"".join(b"%s:%s%d kB\n" % (k.encode(), b" " * (16 - len(k)), v)
                    for k, v in fields if k not in drop)
    return b"55d000000000-7ffd00000000 ---p 00000000 00:00 0                          [rollup]\n" + \
        extra + body


def proc_files(pid, comm=b"good", pss_kb=100, cgroup=b"0::/hostile\n", cmdline=None, ppid=1):
    return {
        "stat": stat_line(pid, comm, ppid=ppid),
        "status": status_text(pid, comm.decode("utf-8", "replace").replace("\n", "\\n")),
        "cmdline": cmdline if cmdline is not None else comm + b"\0",
        "comm": comm + b"\n",
        "cgroup": cgroup,
        "smaps_rollup": rollup(pss_kb),
    }


def write_dir(root, procs, top=True):
    os.makedirs(root, exist_ok=True)
    if top:
        with open(os.path.join(root, "meminfo"), "wb") as f:
            f.write(b"MemTotal:       24684544 kB\nMemFree:        24000000 kB\n")
        with open(os.path.join(root, "version"), "wb") as f:
            f.write(b"Linux version 6.1.0-hostile (test) #1 SMP\n")
        with open(os.path.join(root, "passwd"), "wb") as f:
            f.write(b"root:x:0:0\n")
    for pid, files in procs.items():
        d = os.path.join(root, str(pid))
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


def add(name, args, rc, stderr=(), good=None, bad=(), never=(), json_out=True):
    CASES.append({"name": name, "args": args, "rc": rc, "stderr": list(stderr), "json": json_out,
                  "good": {str(k): v for k, v in (good or {}).items()}, "bad": list(bad),
                  "never": list(never)})


def garbled(name, rollup_data, what="smaps_rollup"):
    """Pid 100 is fine, pid 200's file `what` is garbled: exit 3, the run carries on."""
    root = os.path.join(OUT, name)
    bad = proc_files(200, b"bad")
    bad[what] = rollup_data
    write_dir(root, {100: proc_files(100), 200: bad})
    add(name, ["-S", "@", "--json"], 3, stderr=["200/" + what], good={100: 100 * 1024}, bad=[200])


garbled("junk-rollup", bytes(range(256)) * 8)
garbled("long-line", rollup(10, extra=b"A" * (1024 * 1024) + b"\n"))
garbled("above-2^64", rollup(10).replace(b"Pss:             10 kB",
                                         b"Pss:             99999999999999999999999 kB"))
garbled("kb-overflow", rollup(10).replace(b"Pss:             10 kB",
                                          b"Pss:             18014398509481984 kB"))
garbled("negative", rollup(10).replace(b"Pss:             10 kB", b"Pss:             -5 kB"))
garbled("missing-rss", rollup(10, drop=("Rss",)))
garbled("nul-bytes", rollup(10).replace(b"Pss:   ", b"Pss:\0  "))
garbled("stat-junk", b"\xff\xfe\0garbage without parentheses\n", what="stat")



def smaps_record(start, end, kb):
    fields = [("Size", (end - start) // 1024), ("Rss", kb), ("Pss", kb), ("Shared_Clean", 0),
              ("Shared_Dirty", 0), ("Private_Clean", 0), ("Private_Dirty", kb), ("Swap", 0),
              ("SwapPss", 0)]
    return b"%x-%x rw-p 00000000 00:00 0 \n" % (start, end) + \
        b"".join(b"%s:%s%d kB\n" % (k.encode(), b" " * (16 - len(k)), v) for k, v in fields)


# An smaps (no rollup: an old kernel's recording) that lists one mapping twice, as a live read in pieces
# may while the mapping grows: counted twice it would inflate every sum, so the recording is bad input
# for that process.  Pid 300's records only touch: measured, PSS 12 + 20 kB.
root = os.path.join(OUT, "smaps-twice")
twice = proc_files(200, b"twice")
del twice["smaps_rollup"]
twice["smaps"] = smaps_record(0x10000, 0x13000, 12) + smaps_record(0x10000, 0x15000, 20)
touching = proc_files(300, b"touching")
del touching["smaps_rollup"]
touching["smaps"] = smaps_record(0x10000, 0x13000, 12) + smaps_record(0x13000, 0x18000, 20)
write_dir(root, {100: proc_files(100), 200: twice, 300: touching})
add("smaps-twice", ["-S", "@", "--json"], 3, stderr=["200/smaps", "overlaps the one before it"],
    good={100: 100 * 1024, 300: 32 * 1024}, bad=[200])

# A symlink to a file outside the snapshot, and a pid directory that is a symlink to one outside.
secret_dir = os.path.join(OUT, "outside")
write_dir(secret_dir, {300: proc_files(300, SECRET_NAME.encode(), pss_kb=SECRET_KB)}, top=False)
root = os.path.join(OUT, "symlink-file")
write_dir(root, {100: proc_files(100), 200: proc_files(200, b"linked")})
os.remove(os.path.join(root, "200", "smaps_rollup"))
os.symlink(os.path.join(secret_dir, "300", "smaps_rollup"), os.path.join(root, "200", "smaps_rollup"))
add("symlink-file", ["-S", "@", "--json"], 3, stderr=["200/smaps_rollup"], good={100: 100 * 1024},
    bad=[200], never=[str(SECRET_KB * 1024), str(SECRET_KB)])
root = os.path.join(OUT, "symlink-dir")
write_dir(root, {100: proc_files(100)})
os.symlink(os.path.join(secret_dir, "300"), os.path.join(root, "300"))
add("symlink-dir", ["-S", "@", "--json"], 3, stderr=["300"], good={100: 100 * 1024},
    never=[SECRET_NAME, str(SECRET_KB * 1024), str(SECRET_KB)])


def tar_of(path, members, gz=False):
    """members: list of (name, bytes)."""
    with tarfile.open(path, "w:gz" if gz else "w") as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))


def members_of(procs):
    out = [("meminfo", b"MemTotal:       24684544 kB\n"), ("version", b"Linux version 6.1.0 (t)\n")]
    for pid, files in procs.items():
        for name, data in files.items():
            out.append(("%d/%s" % (pid, name), data))
    return out


good = members_of({100: proc_files(100)})
tar_of(os.path.join(OUT, "dotdot.tar"), good + [("../x", b"escape\n")])
add("dotdot.tar", ["-S", "@", "--json"], 3, stderr=["../x"], json_out=False)
tar_of(os.path.join(OUT, "absolute.tar"), good + [("/etc/x", b"escape\n")])
add("absolute.tar", ["-S", "@", "--json"], 3, stderr=["/etc/x"], json_out=False)
tar_of(os.path.join(OUT, "duplicate.tar"),
       good + [("100/smaps_rollup", rollup(555)), ("100/stat", stat_line(100, b"twin"))])
add("duplicate.tar", ["-S", "@", "--json"], 3, stderr=["100/"], json_out=False)

big = members_of({pid: proc_files(pid, b"p%d" % pid) for pid in range(100, 160)})
tar_of(os.path.join(OUT, "whole.tar.gz"), big, gz=True)
with open(os.path.join(OUT, "whole.tar.gz"), "rb") as f:
    data = f.read()
with open(os.path.join(OUT, "truncated.tar.gz"), "wb") as f:
    f.write(data[:len(data) // 2])
add("truncated.tar.gz", ["-S", "@", "--json"], 3, stderr=["truncated.tar.gz"], json_out=False)
with open(os.path.join(OUT, "junk.tar.gz"), "wb") as f:
    f.write(b"\x1f\x8b" + bytes(range(256)) * 4)
add("junk.tar.gz", ["-S", "@", "--json"], 3, stderr=["junk.tar.gz"], json_out=False)

# Usage and runtime failures.
add("no-such-path", ["-S", os.path.join(OUT, "does-not-exist"), "--json"], 1,
    stderr=["does-not-exist"], json_out=False)
os.makedirs(os.path.join(OUT, "plain"), exist_ok=True)
write_dir(os.path.join(OUT, "plain"), {100: proc_files(100)})
add("absent-pid", ["-S", os.path.join(OUT, "plain"), "-p", "4242"], 1, stderr=["4242"],
    json_out=False)
add("bad-option", ["--no-such-option"], 2, json_out=False)
add("bad-column", ["-S", os.path.join(OUT, "plain"), "-o", "pss,bogus"], 2, stderr=["bogus"],
    json_out=False)
add("bad-tree", ["-S", os.path.join(OUT, "plain"), "--tree=forest"], 2, stderr=["--tree"],
    json_out=False)

# Odd names everywhere (escaping.sh): comm with ESC, a C1 CSI, newline, invalid UTF-8, quotes and
# backslashes; a cgroup path with ESC; cmdline arguments with newlines and invalid UTF-8.
odd = {
    401: proc_files(401, b"esc\x1b]0;t\x07", cmdline=b"/bin/esc\x1b[2J\0--x\n\xff\0"),
    402: proc_files(402, b"c1\xc2\x9bcsi", cgroup=b"0::/odd\x1b[1mjob\n"),
    403: proc_files(403, b"nl\nx\xff\xfe\"\\", cmdline=b"a\"b\\c\0"),
    404: proc_files(404, b"wide \xe5\xad\x97 ok"),
    405: proc_files(405, b"we) ird (x"),
}
write_dir(os.path.join(OUT, "odd-names"), odd)



def denied(files):
    """The process as a recorder saw it when its smaps_rollup was refused (EACCES)."""
    files = dict(files)
    del files["smaps_rollup"]
    files["memcap.errors"] = b"smaps_rollup EACCES\n"
    return files


# sums.sh: unknown is not zero in sums.  Job /none holds only unreadable processes, /some one of
# each, /all only measured ones; a parent tree 50 -> 51 -> 52 (unreadable), 50 -> 53.
write_dir(os.path.join(OUT, "sums"), {
    10: denied(proc_files(10, b"deny-a", cgroup=b"0::/none\n")),
    11: denied(proc_files(11, b"deny-b", cgroup=b"0::/none\n")),
    12: proc_files(12, b"ok-some", pss_kb=300, cgroup=b"0::/some\n"),
    13: denied(proc_files(13, b"deny-some", cgroup=b"0::/some\n")),
    14: proc_files(14, b"ok-all", pss_kb=500, cgroup=b"0::/all\n"),
    50: proc_files(50, b"top", pss_kb=1000, ppid=1),
    51: proc_files(51, b"mid", pss_kb=200, ppid=50),
    52: denied(proc_files(52, b"leaf-denied", ppid=51)),
    53: proc_files(53, b"leaf", pss_kb=30, ppid=50),
})

# escaping.sh: the name "a\x1b" (four bytes) and the name "a" ESC print differently everywhere.
write_dir(os.path.join(OUT, "backslash"), {
    60: proc_files(60, b"a\\x1b", cmdline=b"/bin/a\\x1b\0"),
    61: proc_files(61, b"a\x1b", cmdline=b"/bin/a\x1b\0"),
})

# sums.sh: one 1 MB command line among 14 processes (output amplification).
write_dir(os.path.join(OUT, "long-cmdline"), dict(
    # 896 KiB of arguments, each at the kernel's MAX_ARG_STRLEN (128 KiB): as long as a real command
    # line gets, and all of it is kept (the parser's limits cut only beyond that).
    [(70, proc_files(70, b"huge", cmdline=b"/usr/bin/huge\0" + (b"A" * (128 << 10) + b"\0") * 7))] +
    [(pid, proc_files(pid, b"small%d" % pid)) for pid in range(71, 84)]))

# sums.sh: --group=program groups by cmdline[0]'s base name: renamed forks stay together, a process
# title ("sshd: root@pts/0") is cut at ": ", a login shell's "-" goes; no cmdline: comm.
write_dir(os.path.join(OUT, "programs"), {
    90: proc_files(90, b"prog", pss_kb=100, cmdline=b"/usr/bin/prog\0--serve\0"),
    91: proc_files(91, b"prog-worker", pss_kb=20, cmdline=b"/usr/bin/prog\0"),
    92: proc_files(92, b"renamed!", pss_kb=3, cmdline=b"prog\0"),
    93: proc_files(93, b"sshd", pss_kb=40, cmdline=b"sshd: root@pts/0\0"),
    94: proc_files(94, b"sshd", pss_kb=50, cmdline=b"/usr/sbin/sshd\0-D\0"),
    95: proc_files(95, b"bash", pss_kb=60, cmdline=b"-bash\0"),
    96: proc_files(96, b"bash", pss_kb=70, cmdline=b"/bin/bash\0"),
    97: proc_files(97, b"nocmd", pss_kb=80, cmdline=b""),
    98: proc_files(98, b"dir with space", pss_kb=9, cmdline=b"/opt/my app/run me\0x\0"),
})

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(CASES, f, indent=1)
