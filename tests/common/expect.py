# expect.py: an independent model of a memps snapshot computed from the raw files (test layer, python3 stdlib)
#
# Nothing here comes from memps: it reads the fixture files itself and applies the documented rules
# (memps(1) and the contract in the golden tests' brief).  Used by check-json.py, check-text.py and
# check-live.py; `python3 expect.py SNAPSHOT_DIR` prints the expected model for a human to read.

import json
import os
import re
import sys
import unicodedata

KTHREAD_FLAG = 0x00200000

# Process metric key -> smaps/smaps_rollup field(s); a composite is null when any part is absent.
METRIC_FIELDS = {
    "pss": ("Pss",),
    "private": ("Private_Clean", "Private_Dirty"),
    "shared": ("Shared_Clean", "Shared_Dirty"),
    "rss": ("Rss",),
    "uss": ("Private_Clean", "Private_Dirty"),
    "swap": ("Swap",),
    "swap_pss": ("SwapPss",),
    "pss_anon": ("Pss_Anon",),
    "pss_file": ("Pss_File",),
    "pss_shmem": ("Pss_Shmem",),
    "pss_dirty": ("Pss_Dirty",),
    "private_clean": ("Private_Clean",),
    "private_dirty": ("Private_Dirty",),
    "shared_clean": ("Shared_Clean",),
    "shared_dirty": ("Shared_Dirty",),
    "hugetlb": ("Shared_Hugetlb", "Private_Hugetlb"),
}
METRICS = list(METRIC_FIELDS) + ["vss"]
# Metrics whose sums over processes do not count a page twice: the only ones a sum (job, subtree,
# group, total) carries; the others are null (blank in text) there.
ADDITIVE = {"pss", "private", "uss", "swap_pss", "pss_anon", "pss_file", "pss_shmem", "pss_dirty",
            "private_clean", "private_dirty"}

PER_PID_FILES = ["stat", "status", "statm", "cmdline", "comm", "cgroup", "smaps_rollup", "smaps",
                 "maps"]


class Malformed(Exception):
    pass


def snapshot_root(path):
    """The directory holding the <pid>/ entries: path itself or path/proc."""
    if os.path.isdir(os.path.join(path, "proc")) and not any(
            n.isdigit() for n in os.listdir(path)):
        return os.path.join(path, "proc")
    return path


def read_opt(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def parse_kb_fields(data, what):
    """{field: bytes} of the "Key:   N kB" lines of a rollup (or one smaps record body)."""
    out = {}
    for n, line in enumerate(data.split(b"\n"), 1):
        if not line:
            continue
        m = re.match(rb"^([A-Za-z_][A-Za-z0-9_]*):\s+(\d+) kB$", line)
        if m:
            out[m.group(1).decode()] = int(m.group(2)) * 1024
    return out


def parse_rollup(data):
    lines = data.split(b"\n")
    if not lines or b"[rollup]" not in lines[0]:
        raise Malformed("smaps_rollup: no [rollup] header")
    fields = parse_kb_fields(b"\n".join(lines[1:]), "smaps_rollup")
    for k in ("Rss", "Pss"):
        if k not in fields:
            raise Malformed("smaps_rollup: no " + k)
    return fields


HEADER_RE = re.compile(rb"^[0-9a-f]+-[0-9a-f]+ \S{4} [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+")


def parse_smaps_sum(data):
    """Σ per-VMA fields of smaps, plus Σ Size; a field is present if any record had it."""
    total = {}
    records = 0
    for line in data.split(b"\n"):
        if HEADER_RE.match(line):
            records += 1
            continue
        m = re.match(rb"^([A-Za-z_][A-Za-z0-9_]*):\s+(\d+) kB$", line)
        if m:
            k = m.group(1).decode()
            total[k] = total.get(k, 0) + int(m.group(2)) * 1024
    return total, records


def parse_stat(data):
    lp = data.index(b"(")
    rp = data.rindex(b")")
    comm = data[lp + 1:rp]
    rest = data[rp + 1:].split()
    # rest[0] is field 3 (state); field N is rest[N - 3].
    return {
        "pid": int(data[:lp]),
        "comm": comm,
        "state": rest[0].decode(),
        "ppid": int(rest[1]),
        "flags": int(rest[6]),
        "vsize": int(rest[20]),
        "rss_pages": int(rest[21]),
    }


def parse_status(data):
    out = {}
    for line in data.split(b"\n"):
        k, sep, v = line.partition(b":")
        if not sep:
            continue
        out[k.decode(errors="replace")] = v.strip(b" \t")
    return out


def status_unescape_name(v):
    """status Name escapes '\\n' as "\\n" and '\\' as "\\\\"."""
    out = bytearray()
    i = 0
    while i < len(v):
        if v[i:i + 1] == b"\\" and i + 1 < len(v):
            nxt = v[i + 1:i + 2]
            out += b"\n" if nxt == b"n" else nxt
            i += 2
        else:
            out += v[i:i + 1]
            i += 1
    return bytes(out)


def parse_cgroup(data):
    """The job rule of mem_parse_cgroup: 0:: first, then name=systemd, then memory; first not "/"."""
    return parse_cgroup_hierarchy(data)[0]


def parse_cgroup_hierarchy(data):
    """parse_cgroup and the hierarchy the path comes from: "v2", "v1:name=systemd", "v1:memory" (when
    every path is "/", the first of them present), None without any line."""
    v2 = sysd = mem = None
    for line in data.split(b"\n"):
        if not line:
            continue
        parts = line.split(b":", 2)
        if len(parts) < 3:
            raise Malformed("cgroup: bad line")
        hid, ctrls, path = parts
        if hid == b"0" and ctrls == b"":
            v2 = path
        elif b"name=systemd" in ctrls.split(b","):
            sysd = path
        elif b"memory" in ctrls.split(b","):
            mem = path
    named = [(p, h) for p, h in ((v2, "v2"), (sysd, "v1:name=systemd"), (mem, "v1:memory")) if p is not None]
    for p, h in named:
        if p != b"/":
            return p.decode(errors="replace"), h
    return "/", (named[0][1] if named else None)


def job_prefix(hierarchy):
    """What the text output puts before a job path from this hierarchy (nothing for v2)."""
    return {"v1:name=systemd": "v1:", "v1:memory": "v1-memory:"}.get(hierarchy, "")


def parse_errors(data):
    out = {}
    if data is None:
        return out
    for line in data.split(b"\n"):
        f = line.split()
        if len(f) == 2:
            out[f[0].decode()] = f[1].decode()
    return out


def parse_cmdline(data):
    if not data:
        return []
    args = data.split(b"\0")
    if args and args[-1] == b"":
        args.pop()
    return args


# memps(1), cmdline: what is kept of a command line
CMDLINE_MAX_ARGS, CMDLINE_MAX_ARG, CMDLINE_MAX_BYTES = 4096, 128 * 1024, 1024 * 1024


def limit_cmdline(args):
    """(the arguments kept, the cmdline_cut JSON value) under memps's limits."""
    kept, total, dropped_args, dropped_bytes = [], 0, 0, 0
    for a in args:
        if len(kept) == CMDLINE_MAX_ARGS or total == CMDLINE_MAX_BYTES:
            dropped_args += 1
            dropped_bytes += len(a)
            continue
        take = a[:min(CMDLINE_MAX_ARG, CMDLINE_MAX_BYTES - total)]
        kept.append(take)
        total += len(take)
        dropped_bytes += len(a) - len(take)
    cut = {"args_dropped": dropped_args, "bytes_dropped": dropped_bytes} if dropped_args or dropped_bytes else None
    return kept, cut


def dec(b):
    return b.decode("utf-8", errors="replace")


def metric_values(fields):
    out = {}
    for key, parts in METRIC_FIELDS.items():
        if all(p in fields for p in parts):
            out[key] = sum(fields[p] for p in parts)
        else:
            out[key] = None
    return out


def job_parent(job):
    if job == "/":
        return None
    head = job.rsplit("/", 1)[0]
    return head if head else "/"


def job_ancestors(job):
    """job itself and every ancestor up to "/"."""
    out = []
    while job is not None:
        out.append(job)
        job = job_parent(job)
    return out


def job_in(job, top):
    """job is top or below it."""
    if top == "/":
        return True
    return job == top or job.startswith(top.rstrip("/") + "/")


def load_process(root, pid, users):
    d = os.path.join(root, pid)
    errs = parse_errors(read_opt(os.path.join(d, "memcap.errors")))
    files = {}
    for f in PER_PID_FILES:
        if f in errs:
            continue
        data = read_opt(os.path.join(d, f))
        if data is not None:
            files[f] = data
    p = {"pid": int(pid), "ppid": None, "uid": None, "user": None, "name": "", "cmdline": [],
         "job": "/", "job_hierarchy": None, "state": "ok", "error": None}
    live = root == "/proc"
    raw_name = b""
    stat = parse_stat(files["stat"]) if "stat" in files else None
    status = parse_status(files["status"]) if "status" in files else None
    if stat:
        raw_name = stat["comm"]
        p["ppid"] = stat["ppid"]
    elif status and "Name" in status:
        raw_name = status_unescape_name(status["Name"])
    if p["ppid"] is None and status and "PPid" in status:
        p["ppid"] = int(status["PPid"])
    if status and "Uid" in status:
        p["uid"] = int(status["Uid"].split()[0])
    else:
        p["uid"] = os.lstat(d).st_uid
    p["user"] = users.get(p["uid"]) if users is not None else None
    p["name"] = dec(raw_name)
    p["raw_name"] = raw_name
    raw_cmdline, p["cmdline_cut"] = limit_cmdline(parse_cmdline(files.get("cmdline", b"")))
    p["cmdline"] = [dec(a) for a in raw_cmdline]
    p["raw_cmdline"] = raw_cmdline
    p["cmdline_known"] = "cmdline" in files
    if "cgroup" in files:
        p["job"], p["job_hierarchy"] = parse_cgroup_hierarchy(files["cgroup"])
    vals = {k: None for k in METRICS}
    kernel = bool(stat and stat["flags"] & KTHREAD_FLAG)
    p["status_rss"] = None
    if status and "VmRSS" in status:
        p["status_rss"] = int(status["VmRSS"].split()[0]) * 1024
    p["stat_vsize"] = stat["vsize"] if stat else None
    if kernel:
        p["state"] = "kernel"
    elif "smaps_rollup" in files:
        vals.update(metric_values(parse_rollup(files["smaps_rollup"])))
    elif files.get("smaps"):
        fields, _ = parse_smaps_sum(files["smaps"])
        vals.update(metric_values(fields))
        if stat is None:
            vals["vss"] = fields.get("Size")
    else:
        # No figures.  The recorder's word (memcap.errors) first; a zombie (state Z) has no memory map;
        # a recording that lacks the files (or holds an empty smaps) did not record them; live, a file
        # gone means the process went.
        # A denial of either memory file wins: before 4.14 every smaps_rollup is ENOENT (the kernel
        # has none) and smaps's EACCES is the reason.
        denied = [errs[f] for f in ("smaps_rollup", "smaps") if errs.get(f) in ("EACCES", "EPERM")]
        e = errs.get("smaps_rollup")
        if e in ("ENOENT", "ESRCH") and errs.get("smaps") or not e:
            e = errs.get("smaps")
        state = stat["state"] if stat else status["State"].decode()[:1] if status and "State" in status else ""
        if denied:
            p["state"], p["error"] = "unreadable", denied[0]
        elif e in ("EACCES", "EPERM"):
            p["state"], p["error"] = "unreadable", e
        elif state == "Z":
            p["state"] = "zombie"
        elif e in ("ENOENT", "ESRCH"):
            p["state"], p["error"] = "vanished", e
        elif e:
            p["state"], p["error"] = "unreadable", e
        elif live:
            p["state"], p["error"] = "vanished", "ESRCH" if "smaps" in files else "ENOENT"
        else:
            p["state"], p["error"] = "unreadable", "not_recorded"
    if p["state"] == "ok" and stat is not None:
        vals["vss"] = stat["vsize"]
    for k in METRICS:
        p[k + "_bytes"] = vals[k]
    return p


def load_users(root, top):
    for base in (root, top):
        data = read_opt(os.path.join(base, "passwd"))
        if data is not None:
            users = {}
            for line in data.split(b"\n"):
                f = line.split(b":")
                if len(f) >= 4 and f[2].isdigit():
                    users.setdefault(int(f[2]), dec(f[0]))
            return users
    return None


def load(path):
    """The expected model of a snapshot directory: processes, jobs and totals as memps --json has them
    (with no filter), plus a few private keys (raw_name, raw_cmdline, status_rss, stat_vsize)."""
    root = snapshot_root(path)
    users = load_users(root, path)
    procs = []
    for name in sorted((n for n in os.listdir(root) if n.isdigit()), key=int):
        procs.append(load_process(root, name, users))
    version = read_opt(os.path.join(root, "version"))
    return {"processes": procs, "users": users,
            "version": dec(version).strip() if version is not None else None}


def shown(p, kernel=False):
    return kernel or p["state"] != "kernel"


def select(model, pids=None, user=None, cgroup=None, pattern=None, kernel=False):
    """The processes memps shows with these filters (any state; kernel threads only with -k)."""
    out = []
    for p in model["processes"]:
        if not shown(p, kernel):
            continue
        if pids is not None and p["pid"] not in pids:
            continue
        if user is not None:
            if user.isdigit():
                if p["uid"] != int(user):
                    continue
            elif p["user"] != user:
                continue
        if cgroup is not None and not job_in(p["job"], cgroup):
            continue
        if pattern is not None:
            joined = " ".join(p["cmdline"])
            if not (re.search(pattern, p["name"]) or re.search(pattern, joined)):
                continue
        out.append(p)
    return out


def measured(procs):
    """(OK processes, the ones not measured: unreadable, vanished, zombie, skipped) of procs; kernel
    threads are neither."""
    return ([p for p in procs if p["state"] == "ok"],
            [p for p in procs if p["state"] not in ("ok", "kernel")])


def sum_metric(procs, m):
    """What a sum row shows for metric m: null when m does not add up, when no process was measured
    but some were not (unknown is not zero) or all are kernel threads (no user memory), or when a
    measured one lacks the field."""
    ok, missing = measured(procs)
    kernel = any(p["state"] == "kernel" for p in procs)
    if m not in ADDITIVE or (not ok and (missing or kernel)):
        return None
    vals = [p[m + "_bytes"] for p in ok]
    if any(v is None for v in vals):
        return None
    return sum(vals)


def sums(procs):
    """Every metric of a sum as JSON keys, with processes / missing / partial."""
    ok, missing = measured(procs)
    t = {m + "_bytes": sum_metric(procs, m) for m in METRICS}
    t["processes"] = len(ok)
    t["missing"] = len(missing)
    t["partial"] = bool(missing)
    return t


def totals(procs):
    return sums(procs)


def program_name(p):
    """--group=program's key (memps(1)): the base name of cmdline[0], cut before its first ": "
    (a process title), without a login shell's leading "-"; comm when that leaves nothing."""
    a0 = p["raw_cmdline"][0] if p["raw_cmdline"] else b""
    a0 = a0.split(b": ", 1)[0]
    a0 = a0.rsplit(b"/", 1)[-1]
    if a0.startswith(b"-"):
        a0 = a0[1:]
    return a0 if a0 else p["raw_name"]


def groups(procs, kind):
    """--group: key (raw bytes for programs, user name or uid text for users) -> member processes."""
    out = {}
    for p in procs:
        if kind == "user":
            key = p["user"] if p["user"] is not None else str(p["uid"])
        else:
            key = program_name(p)
        out.setdefault(key, []).append(p)
    return out


def subtrees(procs):
    """--tree=parent: pid -> (parent pid or None, [the process and every descendant]) for each
    shown process that has a shown child (the parent is the nearest shown ancestor's subtree)."""
    by_pid = {p["pid"]: p for p in procs}
    kids = {}
    for p in procs:
        if p["ppid"] in by_pid and p["ppid"] != p["pid"]:
            kids.setdefault(p["ppid"], []).append(p["pid"])
    out = {}
    for pid in kids:
        members, todo = [], [pid]
        while todo:
            x = todo.pop()
            members.append(by_pid[x])
            todo.extend(kids.get(x, []))
        ppid = by_pid[pid]["ppid"]
        out[pid] = (ppid if ppid in by_pid and ppid != pid else None, members)
    return out


def jobs(procs):
    """Every job holding a shown process (kernel threads too, with -k), with its ancestors, and its
    subtree sums (sums())."""
    ids = set()
    for p in procs:
        ids.update(job_ancestors(p["job"]))
    if procs:
        ids.add("/")
    out = {}
    for j in sorted(ids):
        sub = [p for p in procs if job_in(p["job"], j)]
        out[j] = {"id": j, "parent": job_parent(j)}
        out[j].update(sums(sub))
        # the hierarchy of the lowest pid's path in the subtree (the root has none)
        out[j]["hierarchy"] = min(sub, key=lambda p: p["pid"])["job_hierarchy"] if sub and j != "/" else None
        out[j]["direct"] = [p for p in sub if p["job"] == j]
    return out


UNITS = "BkMGTPE"


def format_size(n, unit=None):
    """Zircon's format_size_fixed, written from its description (powers of 1024, "BkMGTPE")."""
    if unit is not None and unit not in UNITS:
        return "?" + format_size(n)
    div = 1
    i = 0
    v = n
    if unit is None:
        while (v >= 10000 or (v != 0 and v % 1024 == 0)) and i < len(UNITS) - 1:
            v //= 1024
            div *= 1024
            i += 1
    else:
        while UNITS[i] != unit:
            v //= 1024
            div *= 1024
            i += 1
    if n % div == 0:
        return "%d%s" % (n // div, UNITS[i])
    whole = n // div
    rem = n % div
    tenths, r = divmod(rem * 10, div)
    if 2 * r >= div:
        tenths += 1
    if tenths == 10:
        whole += 1
        tenths = 0
    return "%d.%d%s" % (whole, tenths, UNITS[i])


def escape_units(b):
    """What a terminal may safely show, as (text, display width) units: printable UTF-8 kept,
    C0/DEL/C1 and invalid bytes as \\xHH, a backslash doubled."""
    out = []
    i = 0
    while i < len(b):
        c = b[i]
        if c == 0x5c:
            out.append(("\\\\", 2))   # a backslash is doubled: "\\x1b" in a name is not ESC
            i += 1
            continue
        if c < 0x80:
            out.append(("\\x%02x" % c, 4) if c < 0x20 or c == 0x7f else (chr(c), 1))
            i += 1
            continue
        n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
        ch = None
        if n:
            try:
                ch = b[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                ch = None
        if ch is None or len(ch) != 1:
            out.append(("\\x%02x" % c, 4))
            i += 1
            continue
        if 0x80 <= ord(ch) <= 0x9f:
            out.extend(("\\x%02x" % x, 4) for x in b[i:i + n])
        else:
            w = 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            out.append((ch, w))
        i += n
    return out


def escape_text(b):
    return "".join(t for t, _ in escape_units(b))


TEXT_MAX_WIDTH = 64


def escape_text_capped(b, ellipsis, limit=TEXT_MAX_WIDTH):
    """A text cell of a column that is not the last (memps(1)): whole when its display width is at
    most limit, else the longest prefix of whole units that leaves room for the ellipsis, then it."""
    units = escape_units(b)
    if sum(w for _, w in units) <= limit:
        return "".join(t for t, _ in units)
    out, width = [], 0
    for t, w in units:
        if width + w > limit - len(ellipsis):
            break
        out.append(t)
        width += w
    return "".join(out) + ellipsis


def ellipsis():
    """The ellipsis of the locale's charset, as glib decides it (U+2026 in UTF-8, else "...")."""
    import locale
    locale.setlocale(locale.LC_CTYPE, "")
    return "\u2026" if locale.nl_langinfo(locale.CODESET).upper().replace("-", "") == "UTF8" else "..."


def observer_band(got, want):
    """Live readings: memps maps some of the libraries the processes it measures map (libc, and
    libasan in a sanitizer build), so while it runs those file pages have one more sharer:
      - PSS and Pss_File read lower by the same amount (within each one's kB truncation), at least
        0 and at most half of Pss_File (a page shared by n loses 1/n - 1/(n+1) <= 1/2 of itself);
      - a clean file page mapped by this process alone becomes shared: Private_Clean reads lower
        and Shared_Clean higher by the same amount (PRIVATE, USS and SHARED follow).
    Updates `want` to memps's own values for the fields whose difference sits in that band and
    leaves the /proc values otherwise (so that the comparison reports them)."""
    g = {k: got.get(k + "_bytes") for k in ("pss", "pss_file", "private_clean", "shared_clean",
                                             "private_dirty", "shared_dirty")}
    w = {k: want[k + "_bytes"] for k in g}
    if None in g.values() or None in w.values():
        return
    dp, df = w["pss"] - g["pss"], w["pss_file"] - g["pss_file"]
    if 0 <= df <= w["pss_file"] // 2 and abs(dp - df) <= 1024:
        want["pss_bytes"], want["pss_file_bytes"] = g["pss"], g["pss_file"]
    moved = w["private_clean"] - g["private_clean"]
    if (moved > 0 and g["shared_clean"] - w["shared_clean"] == moved and
            g["private_dirty"] == w["private_dirty"] and g["shared_dirty"] == w["shared_dirty"]):
        want["private_clean_bytes"] = g["private_clean"]
        want["shared_clean_bytes"] = g["shared_clean"]
        want["private_bytes"] = want["uss_bytes"] = g["private_clean"] + g["private_dirty"]
        want["shared_bytes"] = g["shared_clean"] + g["shared_dirty"]


def public(p):
    return {k: v for k, v in p.items() if k not in ("raw_name", "raw_cmdline", "status_rss",
                                                      "stat_vsize")}


if __name__ == "__main__":
    m = load(sys.argv[1])
    procs = select(m)
    print(json.dumps({"processes": [public(p) for p in m["processes"]],
                      "jobs": [{k: v for k, v in j.items() if k != "direct"}
                               for j in jobs(procs).values()],
                      "totals": totals(procs)}, indent=1))
