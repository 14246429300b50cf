# expect_maps.py: an independent model of memmaps's output computed from raw smaps files (test layer, python3 stdlib)
#
# Nothing here comes from memmaps: it parses smaps and smaps_rollup itself and applies the rules of
# memmaps(1) (REGIONS, THE /A ROW, JSON OUTPUT).  Reuses tests/memps/expect.py's helpers (format_size,
# escape_text, snapshot_root, parse_rollup) without changing them.

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import expect  # noqa: E402

HEADER = re.compile(rb"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) ([0-9a-f]+):([0-9a-f]+) (\d+) ?(.*)$")
KB = re.compile(rb"^([A-Za-z_][A-Za-z0-9_]*):\s+(\d+) kB$")
FIELD = re.compile(rb"^([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$")

# The fields memmaps knows, kernel spelling -> JSON stem (memmaps(1), JSON OUTPUT).
KNOWN = {
    "Size": "size", "KernelPageSize": "kernel_page_size", "MMUPageSize": "mmu_page_size",
    "Rss": "rss", "Pss": "pss", "Pss_Dirty": "pss_dirty", "Pss_Anon": "pss_anon",
    "Pss_File": "pss_file", "Pss_Shmem": "pss_shmem", "Shared_Clean": "shared_clean",
    "Shared_Dirty": "shared_dirty", "Private_Clean": "private_clean", "Private_Dirty": "private_dirty",
    "Referenced": "referenced", "Anonymous": "anonymous", "KSM": "ksm", "LazyFree": "lazy_free",
    "AnonHugePages": "anon_huge_pages", "ShmemPmdMapped": "shmem_pmd_mapped",
    "FilePmdMapped": "file_pmd_mapped", "Shared_Hugetlb": "shared_hugetlb",
    "Private_Hugetlb": "private_hugetlb", "Swap": "swap", "SwapPss": "swap_pss", "Locked": "locked",
}
NOT_ADDITIVE = {"KernelPageSize", "MMUPageSize"}

# -o short names (memmaps(1), OPTIONS).
ALIASES = {
    "sz": ("Size",), "res": ("Rss",), "pss": ("Pss",), "priv": ("Private_Clean", "Private_Dirty"),
    "shr": ("Shared_Clean", "Shared_Dirty"), "dirty": ("Shared_Dirty", "Private_Dirty"),
    "swap": ("Swap",), "swappss": ("SwapPss",), "hugetlb": ("Shared_Hugetlb", "Private_Hugetlb"),
}


def parse_smaps(data):
    """List of mappings: dict(start, end, perms, offset, dev, inode, name (bytes), fields {key: bytes},
    extra {key: text}, vmflags (list or None), line)."""
    maps = []
    for n, line in enumerate(data.split(b"\n"), 1):
        if not line:
            continue
        h = HEADER.match(line)
        if h:
            maps.append({
                "start": int(h.group(1), 16), "end": int(h.group(2), 16), "perms": h.group(3).decode(),
                "offset": int(h.group(4), 16),
                "dev": "%02x:%02x" % (int(h.group(5), 16), int(h.group(6), 16)),
                "inode": int(h.group(7)), "name": h.group(8).lstrip(b" "), "fields": {}, "extra": {},
                "vmflags": None, "line": n,
            })
            continue
        m = maps[-1]
        if line.startswith(b"VmFlags:"):
            m["vmflags"] = line[len(b"VmFlags:"):].decode().split()
            continue
        k = KB.match(line)
        if k and k.group(1).decode() in KNOWN:
            m["fields"][k.group(1).decode()] = int(k.group(2)) * 1024
            continue
        f = FIELD.match(line)
        m["extra"][f.group(1).decode()] = f.group(2).decode("utf-8", "replace")
    return maps


def object_id(pid, m):
    """memobjs(1)'s id of the mapping's object: private anonymous memory (no device, no inode) is its
    process's own object, anything else the object dev:inode."""
    if m["dev"] == "00:00" and m["inode"] == 0:
        return "a:%d:%x" % (pid, m["start"])
    return "f:%s:%d" % (m["dev"], m["inode"])


def kind(m):
    """memmaps(1)'s kinds, from the name, perms and inode."""
    n, shared = m["name"], m["perms"][3] == "s"
    if not n:
        return "shared-anon" if shared else "anon"
    if n == b"[heap]":
        return "heap"
    if n == b"[stack]" or n.startswith(b"[stack:"):
        return "stack"
    if n in (b"[vdso]",):
        return "vdso"
    if n in (b"[vvar]", b"[vvar_vclock]"):
        return "vvar"
    if n == b"[vsyscall]":
        return "vsyscall"
    if n.startswith(b"[anon_shmem:"):
        return "shmem-named"
    if n.startswith(b"[anon:"):
        return "anon-named"
    if n.startswith(b"["):
        return "special"
    if n.startswith(b"/memfd:"):
        return "memfd"
    if n in (b"/anon_hugepage", b"/anon_hugepage (deleted)"):
        return "hugetlb"
    if n.startswith(b"/dev/ashmem/") or n in (b"/dev/ashmem", b"/dev/ashmem (deleted)"):
        return "ashmem"
    if n.startswith(b"/dmabuf:") or n == b"/dmabuf":
        return "dmabuf"
    if re.match(rb"^/SYSV[0-9a-f]{8} \(deleted\)$", n):
        return "sysv-shm"
    if n == b"/dev/zero (deleted)" and shared:
        return "shared-anon"
    if "ht" in (m["vmflags"] or []):
        return "hugetlb"
    if n.endswith(b" (deleted)"):
        return "deleted"
    return "file"


def plain_anon(m):
    return m["inode"] == 0 and not m["name"] and m["perms"][3] == "p"


def arena_reserve(maps, i):
    """maps[i] (---p) is the reserve of the glibc arena heap right below it: the heap starts on a
    64 MiB boundary and the two span 64 MiB."""
    if i == 0:
        return False
    h = maps[i - 1]
    return (plain_anon(h) and h["perms"] == "rw-p" and h["end"] == maps[i]["start"]
            and h["start"] % (64 << 20) == 0 and maps[i]["end"] - h["start"] == 64 << 20)


def named_stack(m):
    """A thread's stack by its name: the kernel's [stack:TID] (3.4 to 4.4), bionic's [anon:stack_and_tls:TID]."""
    return m["inode"] == 0 and (m["name"].startswith(b"[stack:") or m["name"].startswith(b"[anon:stack_and_tls:"))


def guard_of_stack(maps, i):
    """maps[i] is a thread stack's guard page(s), by memmaps(1)'s stack rule."""
    m = maps[i]
    if i + 1 >= len(maps):
        return False
    s = maps[i + 1]
    plain = plain_anon(m)
    if not (plain or (m["inode"] == 0 and m["name"] == b"[anon:thread stack guard]")):
        return False
    if m["perms"] != "---p" or m["end"] - m["start"] > 1 << 20 or arena_reserve(maps, i):
        return False
    if s["perms"] != "rw-p" or s["start"] != m["end"]:
        return False
    if named_stack(s):
        return True
    return plain and plain_anon(s) and not (i + 2 < len(maps) and arena_reserve(maps, i + 2))


def bss(m):
    return m["perms"] == "rw-p" and (plain_anon(m) or (m["inode"] == 0 and m["name"] == b"[anon:.bss]"))


def one_named_area(a, b):
    return (a["name"].startswith(b"[anon:") and a["name"] == b["name"] and a["inode"] == 0 == b["inode"]
            and a["end"] == b["start"])


def regions(maps):
    """[(kind, first, count)] by the four rules of memmaps(1), REGIONS."""
    out = []
    i, n = 0, len(maps)
    while i < n:
        m = maps[i]
        j = i + 1
        rk = None
        if m["inode"] != 0:
            while j < n and maps[j]["inode"] == m["inode"] and maps[j]["dev"] == m["dev"]:
                j += 1
            if j < n and maps[j - 1]["perms"] == "rw-p" and bss(maps[j]) and maps[j]["start"] == maps[j - 1]["end"]:
                j += 1
            rk = "file"
        elif guard_of_stack(maps, i):
            j = i + 2
            rk = "stack"
        elif (i + 1 < n and plain_anon(maps[i + 1]) and maps[i + 1]["perms"] == "---p"
              and arena_reserve(maps, i + 1)):
            j = i + 2
            rk = "arena"
        elif i + 1 < n and one_named_area(m, maps[i + 1]):
            while j < n and one_named_area(maps[j - 1], maps[j]):
                j += 1
            rk = "anon-named"
        if j - i >= 2:
            out.append((rk, i, j - i))
            i = j
        else:
            i += 1
    return out


def field_sum(maps, key):
    """Σ of one raw field over mappings; None when no mapping has it."""
    vals = [m["fields"][key] for m in maps if key in m["fields"]]
    return sum(vals) if vals else None


def column_value(fields, col):
    keys = ALIASES.get(col, (col,))
    if any(k not in fields for k in keys):
        return None
    return sum(fields[k] for k in keys)


def load(snapshot, pid):
    """(mappings, rollup or None) of one pid of a snapshot directory; None when it has no smaps."""
    root = expect.snapshot_root(snapshot)
    data = expect.read_opt(os.path.join(root, str(pid), "smaps"))
    if not data:
        return None
    roll = expect.read_opt(os.path.join(root, str(pid), "smaps_rollup"))
    return parse_smaps(data), (expect.parse_rollup(roll) if roll else None)


def pids_with_smaps(snapshot):
    root = expect.snapshot_root(snapshot)
    out = []
    for d in sorted(os.listdir(root), key=lambda s: int(s) if s.isdigit() else -1):
        if d.isdigit() and expect.read_opt(os.path.join(root, d, "smaps")):
            out.append(int(d))
    return out
