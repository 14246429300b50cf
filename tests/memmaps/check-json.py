# check-json.py: memmaps --json over a snapshot vs expect_maps.py's model of the raw smaps files (test layer)
#
# Usage: check-json.py SNAPSHOT_DIR OUTPUT.json PID...
# Asserts every mapping's header values, kind, fields, VmFlags and unknown fields; the region grouping;
# region and process sums (Σ over the mappings equals Σ of the raw fields); the rollup; the totals.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect_maps as X  # noqa: E402

snap, out, pids = sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]]
raw = open(out, "rb").read()
doc = json.loads(raw.decode("utf-8", "strict"))
errors = []


def err(msg):
    errors.append(msg)


# Live: a library page's PSS, and whether it counts as shared or private, move whenever another
# process maps or unmaps it (memmaps itself, python and cat reading /proc after it do), so those
# fields are compared for the workload's own data only; Size, Rss, every other field and every
# header value stay exact.
LIVE = os.environ.get("MEMMAPS_LIVE") == "1"
PSS_FAMILY = {"Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem", "SwapPss",
              "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty"}


def shared_library(m):
    return m["name"].startswith((b"/usr/", b"/lib")) or m["name"].endswith(b"/workload")


def check_fields(where, got, fields, summed=False, loose=False):
    for k, stem in X.KNOWN.items():
        if loose and k in PSS_FAMILY:
            continue
        want = fields.get(k)
        if summed and k in X.NOT_ADDITIVE:
            want = None
        if got.get(stem + "_bytes", "absent") != want:
            err("%s: %s_bytes %r, expected %r" % (where, stem, got.get(stem + "_bytes", "absent"), want))
    # hugetlb_bytes: Shared_Hugetlb + Private_Hugetlb, null unless both are there
    parts = [fields.get(k) for k in ("Shared_Hugetlb", "Private_Hugetlb")]
    want = None if None in parts else sum(parts)
    if got.get("hugetlb_bytes", "absent") != want:
        err("%s: hugetlb_bytes %r, expected %r" % (where, got.get("hugetlb_bytes", "absent"), want))


if doc.get("schema") != "memmaps/1":
    err("schema %r" % doc.get("schema"))
if [p["pid"] for p in doc["processes"]] != sorted(pids):
    err("processes %r, expected %r" % ([p["pid"] for p in doc["processes"]], sorted(pids)))
grand = {}
for p in doc["processes"]:
    pid = p["pid"]
    model = X.load(snap, pid)
    if model is None:
        if p["state"] == "ok":
            err("pid %d: state ok without smaps" % pid)
        if p["mappings"] or p["totals"] is not None:
            err("pid %d: mappings or totals for a process not measured" % pid)
        continue
    maps, roll = model
    if p["state"] != "ok" or p["partial"]:
        err("pid %d: state %r partial %r" % (pid, p["state"], p["partial"]))
        continue
    got = p["mappings"]
    if len(got) != len(maps):
        err("pid %d: %d mappings, expected %d" % (pid, len(got), len(maps)))
        continue
    regs = X.regions(maps)
    region_of = {}
    for ri, (rk, first, n) in enumerate(regs):
        for k in range(first, first + n):
            region_of[k] = ri
    for i, (g, m) in enumerate(zip(got, maps)):
        w = "pid %d mapping %d (%x)" % (pid, i, m["start"])
        for key in ("start", "end", "perms", "offset", "dev", "inode", "line", "vmflags", "extra"):
            if g[key] != m[key]:
                err("%s: %s %r, expected %r" % (w, key, g[key], m[key]))
        if g["name"] != m["name"].decode("utf-8", "replace"):
            err("%s: name %r, expected %r" % (w, g["name"], m["name"]))
        if g["kind"] != X.kind(m):
            err("%s: kind %r, expected %r" % (w, g["kind"], X.kind(m)))
        if g["region"] != region_of.get(i):
            err("%s: region %r, expected %r" % (w, g["region"], region_of.get(i)))
        if g["object"] != X.object_id(pid, m):
            err("%s: object %r, expected %r" % (w, g["object"], X.object_id(pid, m)))
        check_fields(w, g, m["fields"], loose=LIVE and shared_library(m))
    if len(p["regions"]) != len(regs):
        err("pid %d: %d regions, expected %d" % (pid, len(p["regions"]), len(regs)))
    for ri, (g, (rk, first, n)) in enumerate(zip(p["regions"], regs)):
        members = maps[first:first + n]
        w = "pid %d region %d" % (pid, ri)
        if g["index"] != ri or g["kind"] != rk or g["mappings"] != n:
            err("%s: index/kind/count %r %r %r, expected %r %r %r" % (w, g["index"], g["kind"], g["mappings"], ri, rk, n))
        if g["start"] != members[0]["start"] or g["end"] != members[-1]["end"]:
            err("%s: range %x-%x" % (w, g["start"], g["end"]))
        want_name = members[0]["name"].decode("utf-8", "replace") if rk in ("file", "anon-named") else None
        if g["name"] != want_name:
            err("%s: name %r, expected %r" % (w, g["name"], want_name))
        check_fields(w, g, {k: X.field_sum(members, k) for k in X.KNOWN if X.field_sum(members, k) is not None}, True,
                     LIVE and any(shared_library(m) for m in members))
    # Σ over the M rows equals Σ of the raw fields.
    sums = {k: X.field_sum(maps, k) for k in X.KNOWN if X.field_sum(maps, k) is not None}
    check_fields("pid %d totals" % pid, p["totals"], sums, True, LIVE)
    if p["totals"]["mappings"] != len(maps):
        err("pid %d: totals.mappings %r" % (pid, p["totals"]["mappings"]))
    if roll is None:
        if p["rollup"] is not None:
            err("pid %d: a rollup without smaps_rollup" % pid)
    else:
        check_fields("pid %d rollup" % pid, p["rollup"], {k: v for k, v in roll.items() if k in X.KNOWN}, False, LIVE)
    for k, v in sums.items():
        if k not in X.NOT_ADDITIVE:
            grand[k] = grand.get(k, 0) + v
check_fields("totals", doc["totals"], grand, True, LIVE)
for e in errors[:40]:
    print("FAIL: " + e)
sys.exit(1 if errors else 0)
