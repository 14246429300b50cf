#!/usr/bin/env python3
# check-diff.py: memdiff's rows computed independently from the raw recordings, checked against its JSON, CSV and text (test layer, python3 stdlib)
#
# usage: check-diff.py OUT_PREFIX OLD NEW [NEW...]
#        check-diff.py --target TARGET OLD NEW [NEW...]   prints the target's "OLD NEW" sums
#   OUT_PREFIX.json, .csv, .txt: memdiff --json, --csv and text (--all) over the same sides;
#   OLD, NEW: recording directories (for a side given to memdiff as a saved report, the recording it
#   was made from).
# The rules (memdiff(1)): processes other than kernel threads, zombies and vanished ones; programs keyed by cgroup
# and command line (argv[0] alone when a side's memcap.info says "cmdline scrubbed", comm when the
# command line is empty); jobs are a cgroup and all below; a sum is known when every process in it
# was measured and had the figure; a row absent on a side counts 0 there; several NEW: the median
# over the NEW sides holding the row (present in more than half of them), the mean of the two middle
# values rounded down for an even count.
import csv
import io
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "common"))
import expect  # noqa: E402

FIGURES = ("pss", "uss", "swap_pss")
failures = []
NAMES = {}   # program row key -> its program name (bytes)


def check(what, got, want):
    if got != want:
        failures.append("%s: got %r, expected %r" % (what, got, want))


def scrubbed(path):
    info = expect.read_opt(os.path.join(path, "memcap.info")) or b""
    return any(line.split() == [b"cmdline", b"scrubbed"] for line in info.split(b"\n"))


def side_rows(path, argv0_only):
    """key -> {present, processes, unmeasured, figures{f: value or None}} for one recording."""
    rows = {}

    def add(key, p):
        r = rows.setdefault(key, {"processes": 0, "unmeasured": 0, "sum": {f: 0 for f in FIGURES}, "known": {f: True for f in FIGURES}})
        r["processes"] += 1
        ok = p["state"] == "ok"
        r["unmeasured"] += not ok
        for f in FIGURES:
            v = p[f + "_bytes"] if ok else None
            if v is None:
                r["known"][f] = False
            else:
                r["sum"][f] += v

    for p in expect.load(path)["processes"]:
        if p["state"] in ("kernel", "zombie", "vanished"):
            continue
        add(("total", None, None), p)
        for j in expect.job_ancestors(p["job"]):
            add(("job", j, None), p)
        args = p["raw_cmdline"]
        if args and argv0_only:
            args = args[:1]
        shown = b" ".join(args) if args else p["raw_name"]
        add(("program", p["job"], shown), p)
        NAMES[("program", p["job"], shown)] = expect.program_name(p)
    out = {}
    for k, r in rows.items():
        out[k] = {"present": True, "processes": r["processes"], "unmeasured": r["unmeasured"],
                  "v": {f: r["sum"][f] if r["known"][f] else None for f in FIGURES}}
    return out


MAP_HEADER = re.compile(rb"^[0-9a-f]+-[0-9a-f]+ [-rwxsp]{4} ")


def side_rows_maps(path, sel):
    """--maps, -m: the mappings of the selected processes (MAPS="pid:N", "program:NAME", "all") by name, from
    their smaps; a process that was not measured is an entry of its own, unknown."""
    rows = {}
    model = expect.load(path)
    kind, _, what = sel.partition(":")
    procs = [p for p in model["processes"] if kind == "all" or
             (str(p["pid"]) == what if kind == "pid" else expect.program_name(p) == what.encode())]
    entries = []
    for p in procs:
        if p["state"] in ("kernel", "zombie", "vanished"):
            continue
        if p["state"] != "ok":
            entries.append((("[pid %d not measured]" % p["pid"]).encode(), None))
            continue
        data = expect.read_opt(os.path.join(expect.snapshot_root(path), str(p["pid"]), "smaps"))
        if data is None:   # measured from its smaps_rollup, but its mappings were not recorded
            entries.append((("[pid %d not measured]" % p["pid"]).encode(), None))
            continue
        cur = None
        for line in data.split(b"\n"):
            if MAP_HEADER.match(line):
                parts = line.split(None, 5)
                name = parts[5] if len(parts) > 5 else b"[anon]"
                cur = {"Pss": 0, "Private_Clean": 0, "Private_Dirty": 0, "SwapPss": 0}
                entries.append((name, cur))
                continue
            m = re.match(rb"^(Pss|Private_Clean|Private_Dirty|SwapPss):\s+(\d+) kB$", line)
            if m and cur is not None:
                cur[m.group(1).decode()] = int(m.group(2)) * 1024
    tot = {"processes": 0, "unmeasured": 0, "v": {f: 0 for f in FIGURES}}
    for name, f in entries:
        for key in (("total", None, None), ("program", None, name)):
            r = rows.setdefault(key, {"present": True, "processes": 0, "unmeasured": 0, "v": {x: 0 for x in FIGURES}})
            r["processes"] += 1
            if f is None:
                r["unmeasured"] += 1
                r["v"] = {x: None for x in FIGURES}
            elif r["v"]["pss"] is not None:
                r["v"]["pss"] += f["Pss"]
                r["v"]["uss"] += f["Private_Clean"] + f["Private_Dirty"]
                r["v"]["swap_pss"] += f["SwapPss"]
    rows.setdefault(("total", None, None), {"present": True, "processes": 0, "unmeasured": 0, "v": {x: 0 for x in FIGURES}})
    return rows


def absent():
    return {"present": False, "processes": 0, "unmeasured": 0, "v": {f: 0 for f in FIGURES}}


def median(vals):
    vals = sorted(vals)
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) // 2


def new_value(sides, key):
    held = [s[key] for s in sides if key in s]
    if key[0] == "total":
        held = [s.get(key, {"present": True, "processes": 0, "unmeasured": 0, "v": {f: 0 for f in FIGURES}}) for s in sides]
    if 2 * len(held) <= len(sides):
        return absent()
    v = {}
    for f in FIGURES:
        vals = [h["v"][f] for h in held]
        v[f] = None if any(x is None for x in vals) else median(vals)
    return {"present": True, "processes": median([h["processes"] for h in held]),
            "unmeasured": max(h["unmeasured"] for h in held), "v": v}


def expected(old, news):
    argv0 = scrubbed(old) or any(scrubbed(n) for n in news)
    if os.environ.get("MAPS"):
        o = side_rows_maps(old, os.environ["MAPS"])
        ns = [side_rows_maps(n, os.environ["MAPS"]) for n in news]
        argv0 = False
    else:
        o = side_rows(old, argv0)
        ns = [side_rows(n, argv0) for n in news]
    keys = set(o) | set().union(*ns)
    rows = {}
    for k in keys:
        a = o.get(k, absent())
        b = new_value(ns, k)
        if not a["present"] and not b["present"]:
            continue
        delta = {f: None if a["v"][f] is None or b["v"][f] is None else b["v"][f] - a["v"][f] for f in FIGURES}
        rows[k] = {"old": a, "new": b, "delta": delta}
    return rows, argv0


def row_key(r):
    kind = r["kind"]
    if kind == "total":
        return ("total", None, None)
    if kind == "job":
        return ("job", r["job"], None)
    return ("program", r["job"], r["cmdline"].encode("utf-8", "surrogateescape"))



def check_json(path, want, argv0):
    with open(path) as f:
        doc = json.load(f)
    check("schema", doc["schema"], "memdiff/1")
    check("program_match", doc["program_match"], "argv0" if argv0 else "cmdline")
    got = {}
    for r in doc["rows"]:
        k = row_key(r)
        if k in got:
            failures.append("json: row %r twice" % (k,))
        got[k] = r
    check("json: row keys", sorted(map(repr, got)), sorted(map(repr, want)))
    for k, w in want.items():
        g = got.get(k)
        if g is None:
            continue
        for side in ("old", "new"):
            check("json %r %s.present" % (k, side), g[side]["present"], w[side]["present"])
            check("json %r %s.processes" % (k, side), g[side]["processes"], w[side]["processes"])
            check("json %r %s.unmeasured" % (k, side), g[side]["unmeasured"], w[side]["unmeasured"])
            for f in FIGURES:
                check("json %r %s.%s" % (k, side, f), g[side][f + "_bytes"], w[side]["v"][f])
        for f in FIGURES:
            check("json %r delta.%s" % (k, f), g["delta"][f + "_bytes"], w["delta"][f])
        status = "appeared" if not w["old"]["present"] else "disappeared" if not w["new"]["present"] else \
            "unknown" if w["delta"]["pss"] is None else \
            "same" if all(w["delta"][f] == 0 for f in FIGURES) else "changed"
        check("json %r status" % (k,), g["status"], status)


def shown_rows(want):
    """The rows text and CSV show by default: the total and every row that changed."""
    out = {}
    for k, w in want.items():
        same = w["old"]["present"] and w["new"]["present"] and all(w["delta"][f] == 0 for f in FIGURES)
        if k[0] == "total" or not same:
            out[k] = w
    return out


def check_csv(path, want):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    want = {(k[0], k[1], expect.escape_text(k[2]) if k[2] is not None else None): w for k, w in shown_rows(want).items()}
    check("csv: rows", len(rows), len(want))
    for r in rows:
        what = r["WHAT"]
        if what == "total":
            k = ("total", None, None)
        elif what.startswith("j:"):
            k = ("job", what[2:], None)
        elif what.startswith("m:"):
            k = ("program", None, r["NAME"])
        else:
            k = ("program", r["JOB"], r["NAME"])
        w = want.get(k)
        if w is None:
            failures.append("csv: unexpected row %r" % (k,))
            continue
        for f, col in (("pss", "PSS_DELTA"), ("uss", "USS_DELTA"), ("swap_pss", "SWAP_PSS_DELTA")):
            d = w["delta"][f]
            check("csv %r %s" % (k, col), r[col], "" if d is None else str(d))


def signed(d):
    if d is None:
        return "-"
    return ("+" if d > 0 else "-" if d < 0 else "") + expect.format_size(abs(d))


def check_text(path, want):
    """Every row's PSS_DELTA is the signed Zircon size of the expected delta ("-" when unknown): the
    deltas shown are the expected ones (a cell ends where its right-aligned title ends)."""
    with open(path) as f:
        lines = f.read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("WHAT "))
    end = lines[start].index(" PSS_DELTA") + len(" PSS_DELTA")
    got = []
    for line in lines[start + 1:]:
        if line.startswith("WHAT ") or not line.strip():
            break
        got.append(line[:end].split()[-1])
    wanted = [signed(w["delta"]["pss"]) for w in shown_rows(want).values()]
    check("text: PSS deltas", sorted(got), sorted(wanted))


def target_values(spec, old, news):
    """A limit's target (pss, job:PATH, program:NAME, [FIGURE:]...) as "OLD NEW" sums, or "unknown"."""
    want, _ = expected(old, news)
    target, figure = spec, "pss"
    if ":" in spec and spec.split(":", 1)[0] in FIGURES and spec.split(":", 1)[1].startswith(("job:", "program:")):
        figure, target = spec.split(":", 1)
    if target in FIGURES:
        keys, figure = [("total", None, None)], target
    elif target.startswith("job:"):
        keys = [k for k in want if k[0] == "job" and k[1] == target[4:]]
    else:
        keys = [k for k in want if k[0] == "program" and NAMES.get(k) == target[8:].encode()]
    sums = [0, 0]
    for k in keys:
        for i, side in enumerate(("old", "new")):
            v = want[k][side]["v"][figure]
            if v is None:
                return "unknown"
            sums[i] += v
    return "%d %d" % tuple(sums) if keys else "none"


def main():
    if sys.argv[1] == "--target":
        print(target_values(sys.argv[2], sys.argv[3], sys.argv[4:]))
        return
    prefix, old, news = sys.argv[1], sys.argv[2], sys.argv[3:]
    want, argv0 = expected(old, news)
    check_json(prefix + ".json", want, argv0)
    check_csv(prefix + ".csv", want)
    check_text(prefix + ".txt", want)
    for f in failures[:40]:
        print("FAIL: " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
