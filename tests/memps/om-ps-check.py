# om-ps-check.py: memps --format=openmetrics against an independent model of the snapshot's raw files (test layer)
#
# Usage: om-ps-check.py OUTPUT SNAPSHOT TOP
# Every series memps must write, with its value, from tests/common/expect.py's reading of the raw
# files and the rules of memps(1), OPENMETRICS; the output must hold exactly those (an unknown
# figure has no series) and pass om_check.py.
import os
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect  # noqa: E402
import om_check  # noqa: E402

PROC_FAMILIES = ["pss", "private", "rss", "swap_pss", "hugetlb"]
SUM_FAMILIES = ["pss", "private", "swap_pss"]
STATES = ["ok", "unreadable", "vanished", "kernel", "zombie", "skipped"]


def om_label(b):
    """A label value as memps(1) says: printable UTF-8 and the backslash kept, controls, other
    unprintable characters and invalid bytes as the text \\xHH."""
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if c < 0x80:
            out.append("\\x%02x" % c if c < 0x20 or c == 0x7f else chr(c))
            i += 1
            continue
        n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
        try:
            ch = b[i:i + n].decode("utf-8") if n else None
        except UnicodeDecodeError:
            ch = None
        if ch is None or len(ch) != 1:
            out.append("\\x%02x" % c)
            i += 1
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.extend("\\x%02x" % x for x in b[i:i + n])
        else:
            out.append(ch)
        i += n
    return "".join(out)


def raw_job(root, pid):
    """The canonical cgroup path of a process as bytes: v2, else name=systemd, else memory; the first
    that is not "/"; "/" + its non-empty components."""
    data = expect.read_opt(os.path.join(root, str(pid), "cgroup"))
    paths = {}
    for line in (data or b"").split(b"\n"):
        parts = line.split(b":", 2)
        if len(parts) < 3:
            continue
        if parts[0] == b"0" and parts[1] == b"":
            paths.setdefault("v2", parts[2])
        elif b"name=systemd" in parts[1].split(b","):
            paths.setdefault("sysd", parts[2])
        elif b"memory" in parts[1].split(b","):
            paths.setdefault("mem", parts[2])
    for h in ("v2", "sysd", "mem"):
        if h in paths and paths[h] != b"/":
            return b"/" + b"/".join(c for c in paths[h].split(b"/") if c)
    return b"/"


def ancestors(job):
    out = [b"/"]
    parts = [c for c in job.split(b"/") if c]
    for i in range(1, len(parts) + 1):
        out.append(b"/" + b"/".join(parts[:i]))
    return out


def expected(snapshot, top):
    model = expect.load(snapshot)
    root = expect.snapshot_root(snapshot)
    everyone = model["processes"]
    shown = expect.select(model)
    for p in everyone:
        p["raw_job"] = raw_job(root, p["pid"])
    want = {}
    ranked = sorted((p for p in shown if p["state"] == "ok" and p["pss_bytes"] is not None),
                    key=lambda p: (-p["pss_bytes"], p["pid"]))[:top]
    for m in PROC_FAMILIES:
        for p in ranked:
            if p[m + "_bytes"] is None:
                continue
            labels = [("pid", str(p["pid"])), ("job", om_label(p["raw_job"]))]
            if p["raw_name"]:
                labels.append(("comm", om_label(p["raw_name"])))
            prog = expect.program_name(p)[:255]  # memps(1): at most 255 bytes of it
            if prog:
                labels.append(("program", om_label(prog)))
            want[("memps_%s_bytes" % m, tuple(sorted(labels)))] = p[m + "_bytes"]
    # Jobs: every ancestor of a shown process's job; series by label value, members merged.
    members = {}
    for p in shown:
        for j in ancestors(p["raw_job"]):
            members.setdefault(om_label(j), {})[p["pid"]] = p
    for label, procs in members.items():
        procs = list(procs.values())
        for m in SUM_FAMILIES:
            v = expect.sum_metric(procs, m)
            if v is not None:
                want[("memps_job_%s_bytes" % m, (("job", label),))] = v
        want[("memps_job_unmeasured_processes", (("job", label),))] = len(expect.measured(procs)[1])
    for m in SUM_FAMILIES:
        v = expect.sum_metric(shown, m)
        if v is not None:
            want[("memps_total_%s_bytes" % m, ())] = v
    selected = expect.select(model, kernel=True)
    for s in STATES:
        want[("memps_processes", (("state", s),))] = sum(1 for p in selected if p["state"] == s)
    return want


def main():
    out, snapshot, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        got = om_check.load(out)
    except om_check.Bad as e:
        print("FAIL: %s: %s" % (out, e))
        return 1
    want = expected(snapshot, top)
    bad = 0
    for k in sorted(set(want) | set(got)):
        if k not in got:
            print("FAIL: missing %s%r = %d" % (k[0], dict(k[1]), want[k]))
            bad += 1
        elif k not in want:
            print("FAIL: unexpected %s%r = %d" % (k[0], dict(k[1]), got[k]))
            bad += 1
        elif got[k] != want[k]:
            print("FAIL: %s%r = %d, expected %d" % (k[0], dict(k[1]), got[k], want[k]))
            bad += 1
    print("%s --top %d: %d series, %d wrong" % (snapshot, top, len(want), bad))
    return 1 if bad else 0


sys.exit(main())
