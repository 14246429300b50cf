# smem-compat.py: checks smem's and memps's readings of one recording against each other and against the raw files (test layer, python3 stdlib)
#
# Usage: smem-compat.py DIR SMEM_OUTPUT MEMPS_JSON [running]
#   DIR          the recording as `smem -S DIR` reads it: DIR/proc/<pid>/{smaps,cmdline,stat}
#   SMEM_OUTPUT  `smem -S DIR -n -c 'pid user uss pss rss swap vss maps name'`
#   MEMPS_JSON   `memps -S DIR/proc -k -t none --json`
#   running      the capture is of processes that ran meanwhile (smemcap reads a pid's smaps, then its
#                stat): VSS, which memps takes from stat and smem from smaps, is not compared; nor are
#                the figures of a pid whose smaps lists a mapping twice (read in pieces while the
#                mapping grew: smem keeps it once, by its start address, memps counts each listing)
# Three checks, each printing "FAIL: ..." lines and making the exit status 1:
#   1. smem's rows are what memps(1)'s "COMPARED WITH SMEM" says smem computes, from the raw files here
#      (which pids it lists, its sums in kB, its name): the man page's account of smem is right;
#   2. for every pid both list, memps's figures equal smem's times 1024, except where that section
#      says they differ (PSS from smaps_rollup, VSS and [vsyscall], the name);
#   3. every pid smem leaves out is one memps shows as the section says (kernel thread, zombie,
#      unreadable, empty command line), and every process memps measured is in smem's output unless
#      its command line is empty or its smaps is one smem cannot take (not UTF-8, a name in " kB").

import json
import os
import re
import sys

HEADER = "%5s %-8s %8s %8s %8s %8s %8s %5s %-24.24s " % ("PID", "User", "USS", "PSS", "RSS", "Swap", "VSS", "Maps",
                                                     "Name")
# a row; the name is 24 characters, any of them (a newline too: smem prints names raw)
ROW_RE = re.compile(r" *(\d+) (\S+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) (.{24}) \n", re.S)
KTHREAD_FLAG = 0x00200000
FAILED = []


def fail(msg):
    FAILED.append(msg)
    print("FAIL: " + msg)


def read_text(path):
    """A file as smem reads it (text, UTF-8 in the C locale): its text, or None where smem's read fails."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def smem_model(proc):
    """What smem 1.5 shows for each pid of proc, and why it leaves the others out."""
    rows, dropped = {}, {}
    for e in sorted((n for n in os.listdir(proc) if n.isdigit()), key=int):
        pid = int(e)
        d = os.path.join(proc, e)
        cmdline = read_text(os.path.join(d, "cmdline"))
        # a command line that is empty but for its last byte is a "kernel thread" to smem
        if cmdline is not None and cmdline[:-1] == "":
            dropped[pid] = "empty cmdline"
            continue
        try:
            with open(os.path.join(d, "smaps"), "rb") as f:
                smaps = f.read().decode("utf-8")
        except OSError:
            dropped[pid] = "smaps unreadable"
            continue
        except UnicodeDecodeError:
            dropped[pid] = "smaps not UTF-8"
            continue
        # smem keeps a mapping's fields under its start address: a mapping listed twice (a process
        # that grew a mapping while smemcap read its smaps in pieces) counts once, as listed last
        blocks = {}
        block = None
        listed = 0
        unparsable = False
        for line in smaps.splitlines():
            f = line.split()
            if not f:
                continue
            if f[-1] == "kB":
                # any line ending in "kB" is a field to smem, so a mapping whose name ends in " kB"
                # makes its int() fail, and smem drops the process
                if not f[1].isdigit():
                    unparsable = True
                    break
                if block is not None:
                    block[f[0][:-1].lower()] = int(f[1])
            elif "-" in f[0] and ":" not in f[0]:
                block = {"name": f[5] if len(f) > 5 else None}
                listed += 1
                blocks[int(f[0].split("-")[0], 16)] = block
        t = {k: sum(b.get(k, 0) for b in blocks.values())
             for k in ("size", "rss", "pss", "private_clean", "private_dirty", "swap")}
        maps = len(blocks)
        vsyscall = sum(b.get("size", 0) for b in blocks.values() if b["name"] == "[vsyscall]")
        if unparsable:
            dropped[pid] = "smaps unparsable"
            continue
        if maps == 0:
            dropped[pid] = "no mapping"
            continue
        stat = read_text(os.path.join(d, "stat"))
        name = stat[stat.find("(") + 1:stat.find(")")] if stat is not None else "?"
        rows[pid] = {"user": str(os.stat(d).st_uid), "uss": t["private_clean"] + t["private_dirty"],
                     "pss": t["pss"], "rss": t["rss"], "swap": t["swap"], "vss": t["size"],
                     "maps": maps, "name": "%-24.24s" % name, "vsyscall": vsyscall, "listed_twice": listed > maps}
    return rows, dropped


def parse_smem(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    if not text.startswith(HEADER + "\n"):
        fail("smem: header %r" % text[:80])
        return {}
    rows = {}
    pos = len(HEADER) + 1
    while pos < len(text):
        m = ROW_RE.match(text, pos)
        if not m:
            fail("smem: a row that does not parse: %r" % text[pos:pos + 100])
            break
        pos = m.end()
        g = m.groups()
        rows[int(g[0])] = {"user": g[1], "uss": int(g[2]), "pss": int(g[3]), "rss": int(g[4]),
                           "swap": int(g[5]), "vss": int(g[6]), "maps": int(g[7]), "name": g[8]}
    return rows


def raw_stat(proc, pid):
    try:
        with open(os.path.join(proc, str(pid), "stat"), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def raw_comm(stat):
    """The name as the kernel wrote it, or b"" for a stat the recorder could not read (0 bytes)."""
    return stat[stat.index(b"(") + 1:stat.rindex(b")")] if stat else b""


def main():
    top, smem_out, memps_json = sys.argv[1:4]
    running = sys.argv[4:5] == ["running"]
    proc = os.path.join(top, "proc")
    want, dropped = smem_model(proc)
    got = parse_smem(smem_out)
    with open(memps_json) as f:
        memps = {p["pid"]: p for p in json.load(f)["processes"]}
    if not want:
        fail("the recording has no process smem would list")

    # 1. smem is as documented
    for pid in sorted(set(want) | set(got)):
        if pid not in got:
            fail("smem: pid %d missing, expected %r" % (pid, want[pid]))
        elif pid not in want:
            fail("smem: pid %d listed, expected it left out (%s)" % (pid, dropped.get(pid, "not in the recording")))
        else:
            for k, v in got[pid].items():
                if v != want[pid][k]:
                    fail("smem: pid %d: %s=%r, the documented rule gives %r" % (pid, k, v, want[pid][k]))

    # 2. the figures of the pids both list
    for pid in sorted(got):
        s, p = got[pid], memps.get(pid)
        if p is None:
            fail("memps: pid %d (listed by smem) missing" % pid)
            continue
        if p["state"] != "ok":
            fail("memps: pid %d: state %s, smem measured it" % (pid, p["state"]))
            continue
        if running and want.get(pid, {}).get("listed_twice"):
            # smaps read in pieces while the process changed a mapping lists it twice: smem counts it
            # once (by its start), memps each time; check 1 compared smem with its rule already
            print("pid %d: a mapping listed twice in its smaps (it changed while recorded): figures not compared"
                  % pid)
            continue
        for k in ("uss", "rss", "swap"):
            if p[k + "_bytes"] != s[k] * 1024:
                fail("pid %d: %s: memps %r bytes, smem %d kB" % (pid, k, p[k + "_bytes"], s[k]))
        if p["source"] == "smaps":
            if p["pss_bytes"] != s["pss"] * 1024:
                fail("pid %d: pss (both summing smaps): memps %r bytes, smem %d kB" % (pid, p["pss_bytes"], s["pss"]))
        elif p["source"] == "smaps_rollup":
            # the rollup rounds down once, smem once per mapping
            d = p["pss_bytes"] - s["pss"] * 1024
            if p["pss_bytes"] % 1024 or not 0 <= d < s["maps"] * 1024:
                fail("pid %d: pss from smaps_rollup: memps %d bytes, smem %d kB over %d mappings"
                     % (pid, p["pss_bytes"], s["pss"], s["maps"]))
        else:
            fail("memps: pid %d: source %r" % (pid, p["source"]))
        stat = raw_stat(proc, pid)
        # (without a stat, which a process exiting during the capture leaves, memps sums Size too)
        vsyscall = want.get(pid, {}).get("vsyscall", 0) if stat else 0
        if running:
            pass
        elif p["vss_bytes"] is None or p["vss_bytes"] + vsyscall * 1024 != s["vss"] * 1024:
            fail("pid %d: vss: memps %r bytes + [vsyscall] %d kB != smem %d kB" % (pid, p["vss_bytes"], vsyscall, s["vss"]))
        # smem: the owner of /proc/PID; memps: status's real uid when recorded, else that owner
        try:
            with open(os.path.join(proc, str(pid), "status"), "rb") as f:
                m = re.search(rb"^Uid:\s+(\d+)", f.read(), re.M)
        except FileNotFoundError:
            m = None
        uid = m.group(1).decode() if m else s["user"]
        if str(p["uid"]) != uid:
            fail("pid %d: uid: memps %r, smem %s, status %s" % (pid, p["uid"], s["user"], m and uid))
        comm = raw_comm(stat)
        if p["name"] != comm.decode("utf-8", errors="replace"):
            fail("memps: pid %d: name %r, stat says %r" % (pid, p["name"], comm))
        try:
            plain = comm.decode("utf-8")
        except UnicodeDecodeError:
            plain = None
        if plain is not None and ")" not in plain and s["name"] != "%-24.24s" % plain:
            fail("pid %d: name: smem %r, memps %r" % (pid, s["name"], p["name"]))

    # 3. the pids only one of them lists
    for pid, p in sorted(memps.items()):
        if pid in got:
            continue
        why = dropped.get(pid)
        if p["state"] == "ok" and why not in ("empty cmdline", "smaps not UTF-8", "smaps unparsable"):
            fail("pid %d: memps measured it, smem left it out (%s)" % (pid, why))
        elif p["state"] in ("kernel", "zombie") and why != "empty cmdline":
            fail("pid %d: memps %s, smem left it out for %s" % (pid, p["state"], why))
        elif p["state"] in ("unreadable", "vanished") and why not in ("no mapping", "smaps unreadable", "empty cmdline"):
            fail("pid %d: memps %s (%s), smem left it out for %s" % (pid, p["state"], p["error"], why))
    for pid in sorted(set(dropped) - set(memps)):
        fail("memps: pid %d missing" % pid)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
