# expect_features.py: which kernel features a snapshot's raw files lack, as each tool reads them (test layer, python3 stdlib)
#
# An independent model of memps(1)'s OLDER KERNELS rules, from the files alone:
#   python3 expect_features.py SNAPSHOT_DIR ps|maps|objs [PID...]
# prints the stderr lines the tool must write (one per missing feature), and
#   python3 expect_features.py --check SNAPSHOT_DIR ps|maps|objs STDERR JSON [PID...]
# checks a run's stderr and its JSON document's source.missing against them (exit 1 on a difference).
# memps reads smaps_rollup (smaps when it is absent) and keeps no mapping; memmaps reads both and keeps
# the mappings; memobjs reads smaps only, keeping the mappings.

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect  # noqa: E402

# id, kernel name, first release, effect (memps(1), OLDER KERNELS)
FEATURES = [
    ("smaps_rollup", "smaps_rollup", "4.14",
     "PSS summed per mapping, low by up to 1 kB per mapping; Pss_Anon/File/Shmem unknown"),
    ("swap_pss", "SwapPss", "4.3", "swap PSS unknown (blank, not 0)"),
    ("pss_anon_file_shmem", "Pss_Anon/File/Shmem", "5.3", "PSS of anonymous, file and shmem pages unknown"),
    ("pss_dirty", "Pss_Dirty", "6.0", "PSS of dirty pages unknown"),
    ("vmflags", "VmFlags", "3.8", "mapping kinds guessed from names alone (hugetlbfs files show as files)"),
]
KEY = re.compile(rb"^([A-Za-z_]+):")


def keys(data):
    """The field names of a smaps or smaps_rollup file (all records)."""
    out = set()
    for line in data.split(b"\n"):
        m = KEY.match(line)
        if m:
            out.add(m.group(1).decode())
    return out


def model(snap, reader, pids=None):
    """{feature id: (lacking, judged)} for the processes the reader measures."""
    root = expect.snapshot_root(snap)
    m = expect.load(snap)
    counts = {f[0]: [0, 0] for f in FEATURES}

    def judge(fid, has):
        counts[fid][1] += 1
        if not has:
            counts[fid][0] += 1

    for p in m["processes"]:
        if p["state"] != "ok" or (pids and p["pid"] not in pids):
            continue
        d = os.path.join(root, str(p["pid"]))
        errs = expect.parse_errors(expect.read_opt(os.path.join(d, "memcap.errors")))
        rollup = None if "smaps_rollup" in errs else expect.read_opt(os.path.join(d, "smaps_rollup"))
        smaps = expect.read_opt(os.path.join(d, "smaps")) or b""
        use_rollup = reader in ("ps", "maps") and rollup is not None
        fields = keys(rollup if use_rollup else smaps)
        if reader in ("ps", "maps"):
            judge("smaps_rollup", use_rollup)
        judge("swap_pss", "SwapPss" in fields)
        judge("pss_dirty", "Pss_Dirty" in fields)
        if use_rollup:
            judge("pss_anon_file_shmem", {"Pss_Anon", "Pss_File", "Pss_Shmem"} <= fields)
        if reader in ("maps", "objs"):
            judge("vmflags", b"\nVmFlags:" in b"\n" + smaps)
    return counts


def lines(counts):
    out = []
    for fid, name, since, effect in FEATURES:
        lacking, judged = counts[fid]
        if lacking:
            out.append("no %s (new in Linux %s) in %d of %d process%s: %s"
                       % (name, since, lacking, judged, "" if judged == 1 else "es", effect))
    return out


def json_missing(counts):
    return [{"feature": fid, "since": since, "processes": counts[fid][0], "judged": counts[fid][1], "effect": effect}
            for fid, name, since, effect in FEATURES if counts[fid][0]]


def check(snap, reader, stderr_path, json_path, pids):
    counts = model(snap, reader, pids)
    bad = []
    tool = {"ps": "memps", "maps": "memmaps", "objs": "memobjs"}[reader]
    with open(stderr_path, encoding="utf-8", errors="replace") as f:
        got = [l.rstrip("\n")[len(tool) + 2:] for l in f if l.startswith(tool + ": no ") and " (new in Linux " in l]
    if got != lines(counts):
        bad.append("stderr: %r, expected %r" % (got, lines(counts)))
    if json_path:
        with open(json_path) as f:
            doc = json.load(f)
        if doc["source"].get("missing") != json_missing(counts):
            bad.append("source.missing: %r, expected %r" % (doc["source"].get("missing"), json_missing(counts)))
    for b in bad:
        print("FAIL: %s %s: %s" % (tool, snap, b))
    return 1 if bad else 0


def main(argv):
    if argv and argv[0] == "--check":
        snap, reader, err, js = argv[1:5]
        return check(snap, reader, err, js if js != "-" else None, {int(p) for p in argv[5:]})
    snap, reader = argv[0], argv[1]
    for line in lines(model(snap, reader, {int(p) for p in argv[2:]})):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
