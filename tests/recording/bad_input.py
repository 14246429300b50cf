#!/usr/bin/env python3
# bad_input.py: recordings that lie, lack files, carry hostile names or are cut short, generated here and read by memps and memobjs (test layer)
#
# usage: bad_input.py MEMPS MEMOBJS WORKDIR
# Every expectation is computed here from what the script wrote: the PSS of the rollups it wrote, the
# manifest rule of man/memobjs.1 (a manifest line wins over its file; EMPTY on a user process's
# memory files is "unreadable: empty"; a kernel thread's is normal), and for a cut capture the
# processes whose members all lie before the cut.  Nothing is committed.
import io
import json
import os
import subprocess
import sys
import tarfile

MEMPS, MEMOBJS, WORK = sys.argv[1:4]
MEMMAPS = os.path.join(os.path.dirname(MEMPS), "memmaps")
bad = []
SHM_DEV = 27            # makedev(0, 27)


def check(cond, msg):
    if not cond:
        bad.append(msg)


def stat_line(pid, comm, flags=0x400100):
    rest = ["S", "1", str(pid), str(pid), "0", "-1", str(flags)] + ["0"] * 8 + \
        ["20", "0", "1", "0", "100", "2990080", "62"] + ["0"] * 28
    return b"%d (%s) " % (pid, comm) + " ".join(rest).encode() + b"\n"


def rollup(pss_kb):
    return (b"55d000000000-7ffd00000000 ---p 00000000 00:00 0                          [rollup]\n"
            b"Rss:              %d kB\nPss:              %d kB\nPrivate_Dirty:    %d kB\n" % (pss_kb, pss_kb, pss_kb))


def maps_line(dev_minor, ino, name):
    return b"7f0000000000-7f0000001000 rw-s 00000000 00:%02x %d                     %s\n" % (dev_minor, ino, name)


def proc(pid, pss_kb, comm=b"p", flags=0x400100, **extra):
    files = {"stat": stat_line(pid, comm, flags), "comm": comm + b"\n", "cmdline": comm + b"\0",
             "smaps_rollup": rollup(pss_kb), "maps": b"", "fds": b""}
    files.update(extra)
    return {k: v for k, v in files.items() if v is not None}


def base():
    return {
        "meminfo": b"MemTotal:       24684544 kB\n",
        "version": b"Linux version 6.1.0 (t)\n",
        "memcap.info": b"format 1\ntool bad_input.py 1\ntime 1764300000\npagesize 4096\ncmdline scrubbed\nuid 0\npids all\n",
        "sysvipc/shm": b"       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime        rss       swap\n",
        "dev-shm": b"%d 1 43ff 40 0 512 .\n" % SHM_DEV,
    }


def write_dir(root, top, procs):
    for name, data in top.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "wb").write(data)
    for pid, files in procs.items():
        os.makedirs(os.path.join(root, str(pid)), exist_ok=True)
        for name, data in files.items():
            open(os.path.join(root, str(pid), name), "wb").write(data)


def tar_members(top, procs, manifest_last=False):
    out = [(n, d) for n, d in top.items()]
    for pid, files in procs.items():
        names = sorted(files, key=lambda n: (n == "memcap.errors") == manifest_last)
        names.reverse()
        out += [("%d/%s" % (pid, n), files[n]) for n in names]
    return out


def write_tar(path, members, gz=False):
    with tarfile.open(path, "w:gz" if gz else "w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))


def run(tool, args, stdin=None):
    r = subprocess.run([tool] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, stdin=stdin)
    err = r.stderr.decode("utf-8", "replace")
    tag = "%s %s" % (os.path.basename(tool), " ".join(args))
    if r.returncode < 0 or r.returncode >= 128:
        bad.append("%s: crashed, status %d: %s" % (tag, r.returncode, err[:300]))
    for s in ("AddressSanitizer", "runtime error", "LeakSanitizer"):
        check(s not in err, "%s: sanitizer report: %s" % (tag, err[:600]))
    check(len(err) < 20000, "%s: %d bytes on stderr" % (tag, len(err)))
    return r.returncode, r.stdout, err


def procs_of(doc):
    return {p["pid"]: p for p in doc.get("processes", [])}


def forms(name, top, procs):
    """The case as a directory and as tars with the manifests first and last: (label, path)."""
    root = os.path.join(WORK, name)
    write_dir(root, top, procs)
    out = [("dir", root)]
    for last in (False, True):
        p = os.path.join(WORK, "%s-%s.tar" % (name, "mlast" if last else "mfirst"))
        write_tar(p, tar_members(top, procs, last))
        out.append(("tar, manifest %s" % ("last" if last else "first"), p))
    return out


# ---- a manifest that lies, garbage in manifests, EMPTY, missing files, hostile names ----
HUGE = b"smaps_rollup" + b"E" * (2 << 20) + b" EACCES\n"
procs = {
    100: proc(100, 100),
    # says EACCES for files that are present: the manifest wins (the files may be cut reads)
    200: proc(200, 555, **{"memcap.errors": b"smaps_rollup EACCES\nsmaps EACCES\n"}),
    # lists files that do not exist, unknown files, garbage and a 2 MiB line: all ignored (a reason that is
    # no errno name would be EIO: the recorder could not read the file)
    300: proc(300, 300, **{"memcap.errors": b"nonsense EACCES\n\x00\xff\xfe garbage\nsmaps\n  \n" + HUGE +
                           b"cmdline EPERM extra words\n"}),
    # a user process's memory files recorded empty: unreadable, "empty"
    400: proc(400, 0, smaps_rollup=b"", smaps=b"", **{"memcap.errors": b"smaps_rollup EMPTY\nsmaps EMPTY\ncmdline EMPTY\n"}),
    # a kernel thread's, normal
    2: proc(2, 0, comm=b"kthreadd", flags=0x00208040, smaps_rollup=b"", smaps=b"", maps=b"", cmdline=b"",
            **{"memcap.errors": b"smaps_rollup EMPTY\nsmaps EMPTY\nmaps EMPTY\ncmdline EMPTY\n"}),
    # only a stat: the memory files were not recorded
    500: {"stat": stat_line(500, b"bare")},
    # hostile names
    700: proc(700, 70, comm=b"a b\nc\x1b[31m", cmdline=b"x\ny z\0--opt\0"),
}
for label, path in forms("lies", base(), procs):
    rc, out, err = run(MEMPS, ["-S", path, "--json", "-k"])
    check(rc == 0, "lies (%s): memps exit %d: %s" % (label, rc, err[:300]))
    try:
        ps = procs_of(json.loads(out))
    except ValueError as e:
        bad.append("lies (%s): memps JSON: %s" % (label, e))
        continue
    for pid, pss in ((100, 100), (300, 300), (700, 70)):
        p = ps.get(pid, {})
        check(p.get("state") == "ok" and p.get("pss_bytes") == pss * 1024,
              "lies (%s): pid %d should be measured at %d kB: %r" % (label, pid, pss, p))
    p = ps.get(200, {})
    check(p.get("state") == "unreadable" and p.get("error") == "EACCES" and p.get("pss_bytes") is None,
          "lies (%s): pid 200: the manifest's EACCES must win over the present rollup: %r" % (label, p))
    p = ps.get(400, {})
    check(p.get("state") == "unreadable" and p.get("error") == "empty" and p.get("pss_bytes") is None,
          "lies (%s): pid 400: EMPTY memory files of a user process: %r" % (label, p))
    check(ps.get(2, {}).get("state") == "kernel", "lies (%s): pid 2 (a kernel thread, EMPTY) %r" % (label, ps.get(2)))
    p = ps.get(500, {})
    check(p.get("state") == "unreadable" and p.get("error") == "not_recorded",
          "lies (%s): pid 500 (only a stat): %r" % (label, p))
    check(ps.get(700, {}).get("name") == "a b\nc\x1b[31m", "lies (%s): pid 700's name %r" % (label, ps.get(700, {}).get("name")))
    rec = json.loads(out)["source"].get("recorded")
    check(rec == {"tool": "bad_input.py 1", "time": 1764300000, "pagesize": 4096, "cmdline": "scrubbed", "pids": "all"},
          "lies (%s): source.recorded %r" % (label, rec))
    rc, out, err = run(MEMPS, ["-S", path, "-k"])
    check(b"\x1b" not in out and b"[unreadable: empty]" in out, "lies (%s): text: raw escape or no empty note" % label)
    check(b"a b\\nc" in out or b"a b\\x0ac" in out, "lies (%s): text: the newline in a name is not escaped" % label)
    rc, out, err = run(MEMOBJS, ["-S", path, "--hidden", "--json"])
    check(rc == 0, "lies (%s): memobjs --hidden exit %d: %s" % (label, rc, err[:300]))
    rc, out, err = run(MEMOBJS, ["-S", path, "400"])
    check(b"[unreadable: empty]" in out, "lies (%s): memobjs 400: no empty note: %r" % (label, out[:300]))

# ---- a garbled memcap.info is bad input; the rest is read ----
top = base()
top["memcap.info"] = b"format 1\npagesize 4095\n"
for label, path in forms("badinfo", top, {100: proc(100, 100)}):
    for tool, args in ((MEMPS, ["--json"]), (MEMOBJS, ["--hidden", "--json"])):
        rc, out, err = run(tool, ["-S", path] + args)
        check(rc == 3 and "memcap.info" in err and "line 2" in err, "badinfo (%s): %s: exit %d: %s" % (label, tool, rc, err[:300]))
        check("recorded" not in json.loads(out)["source"], "badinfo (%s): a garbled memcap.info shown" % label)

# ---- hidden memory from garbled or refused fds and dev-shm ----
top = base()
top["dev-shm"] += b"%d 50 81a4 4096 8 512 orphan one\n%d 51 81a4 8192 16 512 held\\nby 100\n" % (SHM_DEV, SHM_DEV)
procs = {100: proc(100, 10, fds=b"5 %d 51 81a4 8192 16 512 /dev/shm/held\\nby 100\n" % SHM_DEV),
         101: proc(101, 10, maps=maps_line(SHM_DEV, 52, b"/dev/shm/mapped"))}
for label, path in forms("hidden-ok", top, procs):
    rc, out, err = run(MEMOBJS, ["-S", path, "--hidden", "--json"])
    check(rc == 0, "hidden-ok (%s): exit %d: %s" % (label, rc, err[:300]))
    doc = json.loads(out)
    got = sorted((h["kind"], h["name"], h["holder_pids"], h["holders_known"]) for h in doc["hidden"])
    want = [("fd-only", "/dev/shm/held\nby 100", [100], True), ("shm-orphan", "/dev/shm/orphan one", [], True)]
    check(got == want, "hidden-ok (%s): %r, want %r" % (label, got, want))
procs[100]["fds"] = b"5 %d 51 81a4 8192 16 512 bad\\tescape\n" % SHM_DEV
procs[101]["memcap.errors"] = b"fds EACCES\n"
for label, path in forms("hidden-bad", top, procs):
    rc, out, err = run(MEMOBJS, ["-S", path, "--hidden", "--json"])
    check(rc == 3 and "100/fds" in err, "hidden-bad (%s): garbled fds: exit %d: %s" % (label, rc, err[:300]))
    doc = json.loads(out)
    check(doc["fds_unreadable"] == 2, "hidden-bad (%s): fds_unreadable %r, want 2" % (label, doc["fds_unreadable"]))
    check(all(not h["holders_known"] for h in doc["hidden"]) and
          {h["kind"] for h in doc["hidden"]} == {"shm-holders-unknown"},
          "hidden-bad (%s): with fds unknown nothing is an orphan: %r" % (label, doc["hidden"]))
top["memcap.errors"] = b"dev-shm EACCES\n"
del top["dev-shm"]
for label, path in forms("hidden-noshm", top, {100: proc(100, 10)}):
    rc, out, err = run(MEMOBJS, ["-S", path, "--hidden"])
    check(rc == 0 and "listing is unknown (EACCES)" in err, "hidden-noshm (%s): exit %d: %s" % (label, rc, err[:300]))

# ---- a capture cut off mid-stream: tar and tar.gz cut at many offsets ----
procs = {pid: proc(pid, pid, **({"memcap.errors": b"maps EMPTY\n"} if pid % 2 else {})) for pid in range(100, 130)}
members = tar_members(base(), procs)
whole = os.path.join(WORK, "whole.tar")
write_tar(whole, members)
with tarfile.open(whole) as t:
    infos = t.getmembers()
# where each pid's last member ends (data rounded to 512), and each member's header offset
pid_end, bounds = {}, []
for i in infos:
    end = i.offset_data + (i.size + 511) // 512 * 512
    bounds.append(i.offset)
    head = i.name.split("/")[0]
    if head.isdigit():
        pid_end[int(head)] = max(pid_end.get(int(head), 0), end)
data = open(whole, "rb").read()
end_of_members = max(pid_end.values())
cuts = {100, 512 + 7}
for b in bounds[3::7]:
    cuts |= {b, b + 100, b + 512 + 3}
cuts |= {end_of_members, end_of_members + 300, len(data) - 10}


def check_cut(label, path, limit, exact_boundary, gz):
    rc, out, err = run(MEMPS, ["-S", path, "--json"])
    whole_pids = [p for p, e in pid_end.items() if e <= limit]
    if not whole_pids and not (exact_boundary and not gz) and not out:
        # nothing whole: the archive fails as a whole (exit 3, bad input), saying why
        check(rc == 3 and "cannot read the archive" in err, "%s: exit %d: %s" % (label, rc, err[:200]))
        return
    if exact_boundary and not gz:
        # a plain tar cut between members cannot be told from its end: what came is read, rc 0
        check(rc in (0, 3), "%s: exit %d" % (label, rc))
    else:
        check(rc == 3 and ("cut short" in err or "cannot read" in err),
              "%s: exit %d, stderr %r (a cut capture must say so, exit 3)" % (label, rc, err[:300]))
    if rc in (0, 3):
        try:
            ps = procs_of(json.loads(out))
        except ValueError as e:
            bad.append("%s: memps JSON: %s" % (label, e))
            return
        for pid in whole_pids:
            p = ps.get(pid, {})
            check(p.get("state") == "ok" and p.get("pss_bytes") == pid * 1024,
                  "%s: pid %d's members are whole before the cut: %r" % (label, pid, p))
        # whatever is shown as measured is measured right (a cut member is never taken for whole)
        for pid, p in ps.items():
            check(p.get("state") != "ok" or p.get("pss_bytes") == pid * 1024, "%s: pid %d: %r" % (label, pid, p))
    rc2, out2, err2 = run(MEMOBJS, ["-S", path, "--hidden", "--json"])
    check(rc2 == rc, "%s: memobjs --hidden exit %d, memps %d: %s" % (label, rc2, rc, err2[:200]))
    if whole_pids and os.access(MEMMAPS, os.X_OK):
        rc3, out3, err3 = run(MEMMAPS, ["-S", path, "--json", str(min(whole_pids))])
        check(rc3 == rc, "%s: memmaps exit %d, memps %d: %s" % (label, rc3, rc, err3[:200]))


for off in sorted(cuts):
    p = os.path.join(WORK, "cut-%d.tar" % off)
    open(p, "wb").write(data[:off])
    check_cut("tar cut at %d" % off, p, off, off in bounds or off >= end_of_members, False)
gzpath = os.path.join(WORK, "whole.tar.gz")
write_tar(gzpath, members, gz=True)
gzdata = open(gzpath, "rb").read()
for off in sorted({len(gzdata) // 4, len(gzdata) // 2, len(gzdata) - 200, len(gzdata) - 8, len(gzdata) - 4, len(gzdata) - 1}):
    p = os.path.join(WORK, "cut-%d.tar.gz" % off)
    open(p, "wb").write(gzdata[:off])
    # how much of the tar a gzip prefix yields is not known here: only the pids whose members end
    # before the compressed offset are sure to be whole (compression never grows this data)
    # (libarchive's gzip reader drops the output of the last block when the stream after it is cut, the
    # trailer included: the pids of that block are then absent, never wrong; only what is shown is checked)
    check_cut("tar.gz cut at %d of %d" % (off, len(gzdata)), p, 0, False, True)
    # the same on stdin
    with open(p, "rb") as f:
        rc, out, err = run(MEMPS, ["-S", "-", "--json"], stdin=f)
    check(rc in (1, 3), "tar.gz cut at %d on stdin: exit %d" % (off, rc))

for b in bad:
    print("FAIL: " + b)
print("bad_input.py: %d cut offsets, %d failures" % (len(cuts) + 6, len(bad)))
sys.exit(1 if bad else 0)
