#!/usr/bin/env python3
# check-explain.py: memsys --explain over recordings, checked against the raw files: the terms add up to MemTotal - MemFree, each figure recomputed (test layer)
#
# usage: check-explain.py MEMSYS FIXTURE_DIR...
# The PSS sum is recomputed from each pid's smaps_rollup (else smaps): a process with at least one
# Pss line is readable; the kernel terms and the hugetlb term come from expect_sys.py; the gaps from
# the meminfo fields the man page names; SysV segments from sysvipc/shm.  Exits 1 on any failure.
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect_sys  # noqa: E402

MEMSYS = sys.argv[1]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def pss_of(piddir):
    for f in ("smaps_rollup", "smaps"):
        path = os.path.join(piddir, f)
        if os.path.isfile(path):
            vals = re.findall(rb"^Pss:\s+(\d+) kB$", open(path, "rb").read(), re.M)
            return sum(int(v) * 1024 for v in vals) if vals else None
    return None


def sysv_unattached(path):
    if not os.path.isfile(path):
        return None
    lines = open(path).read().split("\n")
    head = lines[0].split()
    n = b = 0
    for line in lines[1:]:
        if not line.strip():
            continue
        row = dict(zip(head, line.split()))
        if row["nattch"] == "0":
            if "rss" not in row:
                return None, None  # a kernel before rss in sysvipc/shm: unknown
            n += 1
            b += int(row["rss"])
    return n, b


def check(fix):
    name = os.path.basename(fix.rstrip("/"))
    p = subprocess.run([MEMSYS, "-S", fix, "--explain", "--json"], capture_output=True)
    if p.returncode != 0:
        fail("%s: exit %d: %s" % (name, p.returncode, p.stderr.decode(errors="replace")))
        return
    ex = json.loads(p.stdout)["explain"]
    fields = expect_sys.read_meminfo(os.path.join(fix, "meminfo"))
    cat = expect_sys.categories(fields)
    kb = lambda k: fields[k][0] * 1024 if k in fields else None  # noqa: E731
    used = kb("MemTotal") - kb("MemFree")
    terms = {t["id"]: t for t in ex["terms"]}
    if ex["used_bytes"] != used:
        fail("%s: used %d, expected %d" % (name, ex["used_bytes"], used))
    added = sum(t["bytes"] for t in ex["terms"] if not t["part"] and t["bytes"] is not None)
    if added != used:
        fail("%s: the terms add up to %d, not used %d" % (name, added, used))
    pss = [pss_of(os.path.join(fix, e)) for e in os.listdir(fix) if e.isdigit()]
    readable = [v for v in pss if v is not None]
    if terms["pss"]["bytes"] != sum(readable) or ex["readable_processes"] != len(readable):
        fail("%s: pss %r of %r processes, expected %d of %d" % (name, terms["pss"]["bytes"], ex["readable_processes"],
                                                                 sum(readable), len(readable)))
    want = None
    if cat["anon"] is not None and "Mapped" in fields:
        want = cat["anon"] + kb("Mapped") - sum(readable)
    if terms["not_in_pss"]["bytes"] != want:
        fail("%s: not_in_pss %r, expected %r" % (name, terms["not_in_pss"]["bytes"], want))
    want = kb("Buffers") + kb("Cached") - kb("Mapped") if all(k in fields for k in ("Buffers", "Cached", "Mapped")) else None
    if terms["unmapped"]["bytes"] != want:
        fail("%s: unmapped %r, expected %r" % (name, terms["unmapped"]["bytes"], want))
    for k in ("slab_r", "slab_u", "kreclaim", "kstack", "ptables", "secptables", "vmalloc", "percpu", "zswap"):
        if terms[k]["bytes"] != cat[k]:
            fail("%s: %s %r, expected %r" % (name, k, terms[k]["bytes"], cat[k]))
    zram = expect_sys.read_zram(os.path.join(fix, "zram"))
    if terms["zram"]["bytes"] != zram:
        fail("%s: zram %r, expected %r" % (name, terms["zram"]["bytes"], zram))
    hug = None if cat["huge_used"] is None or cat["huge_free"] is None else cat["huge_used"] + cat["huge_free"]
    if terms["hugetlb"]["bytes"] != hug:
        fail("%s: hugetlb %r, expected %r" % (name, terms["hugetlb"]["bytes"], hug))
    sv = sysv_unattached(os.path.join(fix, "sysvipc", "shm"))
    if sv is not None and (terms.get("sysv_unattached", {}).get("count"), terms.get("sysv_unattached", {}).get("bytes")) != sv:
        fail("%s: sysv_unattached %r, expected %r" % (name, terms.get("sysv_unattached"), sv))
    shm = os.path.join(fix, "sysvipc", "shm")
    if os.path.isfile(shm):
        rows = open(shm).read().split("\n")
        head = rows[0].split()
        want = sorted(int(r["shmid"]) for r in (dict(zip(head, l.split())) for l in rows[1:] if l.strip())
                      if r["nattch"] == "0")
        got = sorted(g["shmid"] for g in ex["sysv_unattached_segments"] or [])
        if got != want:
            fail("%s: SysV segments listed %r, expected %r" % (name, got, want))
    elif ex["sysv_unattached_segments"] is not None:
        fail("%s: SysV segments listed without a sysvipc/shm" % name)
    if (ex["dev_shm_files"] is None) != (not os.path.isfile(os.path.join(fix, "dev-shm"))):
        fail("%s: dev_shm_files %r" % (name, ex["dev_shm_files"]))
    # Text: the same numbers in bytes, one line per term after the used line.
    p = subprocess.run([MEMSYS, "-S", fix, "--explain", "-b"], capture_output=True)
    lines = p.stdout.decode().split("\n\n")[0].splitlines()  # the terms; the lists follow a blank line
    if len(lines) != 1 + len(ex["terms"]) or str(used) not in lines[0].split():
        fail("%s: text has %d lines, expected %d" % (name, len(lines), 1 + len(ex["terms"])))


for fix in sys.argv[2:]:
    check(fix)
print("checked %d recordings, %d failures" % (len(sys.argv) - 2, len(failures)))
sys.exit(1 if failures else 0)
