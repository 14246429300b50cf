#!/usr/bin/env python3
# expect_sys.py: independent model of memsys's categories over a raw /proc/meminfo file (test layer)
#
# Written from the field list of man/memsys.1 (COLUMNS), not from the C code: reads the file with
# Python's own parsing, Python integers (no overflow), and returns bytes or None (unknown).
import os
import re

ORDER = ["free", "anon", "file", "shmem", "slab_r", "slab_u", "kreclaim", "kstack", "ptables",
         "secptables", "vmalloc", "percpu", "huge_used", "huge_free", "zswap", "zram", "other"]


def read_meminfo(path):
    """Field -> (number, has_kB) with the first occurrence of a key winning."""
    fields = {}
    with open(path, "rb") as f:
        for line in f.read().decode("ascii").splitlines():
            m = re.fullmatch(r"([^:]+):\s*(\d+)( kB)?\s*", line)
            if not m:
                raise ValueError("bad line %r" % line)
            fields.setdefault(m.group(1), (int(m.group(2)), m.group(3) is not None))
    return fields


def read_zram(path):
    """The bytes the zram devices hold from a recording's zram file (a line "zramN" + mm_stat's fields
    per device; mem_used_total is the third field), or None when the file is absent (not recorded, or
    its reason is in memcap.errors)."""
    if not os.path.isfile(path):
        return None
    total = 0
    with open(path, "rb") as f:
        for line in f.read().decode("ascii").splitlines():
            name, *vals = line.split()
            if not re.fullmatch(r"zram(0|[1-9][0-9]*)", name) or len(vals) < 7:
                raise ValueError("bad zram line %r" % line)
            total += int(vals[2])
    return total


def categories(fields, zram=None):
    """{'total': bytes, 'avail': bytes|None, category: bytes|None, 'other_includes': [ids]}; zram is
    read_zram()'s figure."""
    def kb(name):
        return fields[name][0] * 1024 if name in fields else None

    def combo(*terms):
        vals = [kb(n) for n, _ in terms]
        if any(v is None for v in vals):
            return None
        return sum(s * v for (_, s), v in zip(terms, vals))

    c = {"total": kb("MemTotal"), "avail": kb("MemAvailable")}
    c["free"] = kb("MemFree")
    c["anon"] = kb("AnonPages")
    c["file"] = combo(("Buffers", 1), ("Cached", 1), ("Shmem", -1))
    c["shmem"] = kb("Shmem")
    c["slab_r"] = kb("SReclaimable")
    c["slab_u"] = kb("SUnreclaim")
    c["kreclaim"] = combo(("KReclaimable", 1), ("SReclaimable", -1))
    c["kstack"] = kb("KernelStack")
    c["ptables"] = kb("PageTables")
    c["secptables"] = kb("SecPageTables")
    v = kb("VmallocUsed")
    c["vmalloc"] = v if v else None  # 0 means "not counted" (Linux 4.4 to 5.2)
    c["percpu"] = kb("Percpu")
    size = kb("Hugepagesize")
    nfree = fields.get("HugePages_Free", (None,))[0]
    ntotal = fields.get("HugePages_Total", (None,))[0]
    c["huge_free"] = c["huge_used"] = None
    if size is not None and nfree is not None:
        c["huge_free"] = nfree * size
        if "Hugetlb" in fields:
            c["huge_used"] = kb("Hugetlb") - nfree * size
        elif ntotal is not None:
            c["huge_used"] = (ntotal - nfree) * size
    c["zswap"] = kb("Zswap")
    c["zram"] = zram
    known = [k for k in ORDER[:-1] if c[k] is not None]
    c["other"] = c["total"] - sum(c[k] for k in known)
    c["other_includes"] = [k for k in ORDER[:-1] if c[k] is None]
    return c
