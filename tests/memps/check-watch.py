#!/usr/bin/env python3
"""check-watch.py: memps -w's samples checked against the values they print (test layer)

  check-watch.py json FILE COUNT [--metric ID] [--grower PID] [--sorted] [--vanished PID] [--new PID]
                 [--start PID=TICKS]
      FILE holds COUNT JSON lines, each the memps/1 document plus "sample", "time", "interval_us" and
      "watch".  Every delta is recomputed here from the values of the metric followed (--metric, pss by
      default) that the documents print: since the
      previous document and since the first one that knew the process (a process's PSS in "processes",
      the total in "totals"); a process is its pid and start_time (a pid the kernel gave again between
      two samples is a new process, the old one vanished); each job (cgroup) of the document the same
      way by its path.  --grower: that process grew between every two samples and (--sorted)
      comes first; --sorted: the entries are in the order of their growth; --vanished/--new: that
      process is marked so once, where it left / first came; --start: its start_time is /proc's.
  check-watch.py csv FILE COUNT
      The CSV of -w --csv: one header, COUNT samples, dPSS and dSTART the differences of the PSS column.
"""
import csv
import json
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def diff(a, b):
    return None if a is None or b is None else a - b


def check_json(path, count, opts):
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f.read().split("\n") if line]
    if len(lines) != count:
        fail(f"{len(lines)} lines, expected {count}")
    docs = []
    for i, line in enumerate(lines):
        try:
            docs.append(json.loads(line))
        except ValueError as e:
            fail(f"line {i + 1} is not JSON: {e}")
    prev_pss, first_pss, prev_total, first_total = {}, {}, None, None
    prev_jobs, first_jobs = {}, {}
    marked = {"vanished": [], "new": []}
    times = []
    for i, d in enumerate(docs):
        where = f"sample {i + 1}"
        if d.get("schema") != "memps/1" or d.get("sample") != i + 1:
            fail(f"{where}: schema {d.get('schema')!r}, sample {d.get('sample')!r}")
        times.append(d["time"])
        w = d["watch"]
        if w["metric"] != opts.get("metric", "pss"):
            fail(f"{where}: metric {w['metric']!r}")
        m = w["metric"]
        vkey, dkey, gkey = m + "_bytes", m + "_delta_bytes", m + "_growth_bytes"
        pss = {p["pid"]: p[vkey] for p in d["processes"] if p["state"] != "kernel"}
        entries = w["processes"]
        seen = [e["pid"] for e in entries if e["change"] != "vanished"]
        if sorted(seen) != sorted(pss):
            fail(f"{where}: watch lists {sorted(seen)}, the document {sorted(pss)}")
        keys = {(e["pid"], e["start_time"]): pss[e["pid"]] for e in entries if e["change"] != "vanished"}
        for e in entries:
            pid, ch, key = e["pid"], e["change"], (e["pid"], e["start_time"])
            what = f"{where}, pid {pid}"
            if ch == "vanished":
                if key in keys or key not in prev_pss:
                    fail(f"{what}: vanished but in this sample or not in the previous one")
                if e[vkey] is not None or e[dkey] is not None:
                    fail(f"{what}: vanished with figures {e}")
                marked["vanished"].append((i, pid))
                continue
            want_ch = "first" if i == 0 else "seen" if key in prev_pss else "new"
            if ch != want_ch:
                fail(f"{what}: change {ch!r}, expected {want_ch!r}")
            if ch == "new":
                marked["new"].append((i, pid))
            if e[vkey] != pss[pid]:
                fail(f"{what}: {vkey} {e[vkey]} but the document says {pss[pid]}")
            if pss[pid] is not None and key not in first_pss:
                first_pss[key] = pss[pid]
            want_d = diff(pss[pid], prev_pss.get(key)) if ch == "seen" else None
            want_g = diff(pss[pid], first_pss.get(key))
            if e[dkey] != want_d or e[gkey] != want_g:
                fail(f"{what}: delta {e[dkey]} growth {e[gkey]}, "
                     f"expected {want_d} {want_g} (PSS {prev_pss.get(key)} then {pss[pid]})")
        if opts.get("sorted"):
            g = [e[gkey] for e in entries if e["change"] != "vanished"]
            key = [(x is None, -(x or 0)) for x in g]
            if key != sorted(key):
                fail(f"{where}: not sorted by growth: {g}")
        total = d["totals"][vkey]
        t = w["total"]
        if first_total is None:
            first_total = total
        want = (total, diff(total, prev_total) if i else None, diff(total, first_total))
        if (t[vkey], t[dkey], t[gkey]) != want:
            fail(f"{where}: total {t}, expected {want}")
        prev_pss, prev_total = keys, total
        # the jobs (cgroups): the document's, in its order, each sum's changes by its path
        jobs = {j["id"]: j[vkey] for j in d["jobs"]}
        if [j["id"] for j in w["jobs"]] != [j["id"] for j in d["jobs"]]:
            fail(f"{where}: watch jobs {[j['id'] for j in w['jobs']]}, the document's {list(jobs)}")
        for j in w["jobs"]:
            v = jobs[j["id"]]
            if v is not None and j["id"] not in first_jobs:
                first_jobs[j["id"]] = v
            ch = "first" if i == 0 else "seen" if j["id"] in prev_jobs else "new"
            want = {"id": j["id"], "change": ch, vkey: v,
                    dkey: diff(v, prev_jobs.get(j["id"])) if ch == "seen" else None,
                    gkey: diff(v, first_jobs.get(j["id"]))}
            if j != want:
                fail(f"{where}: job {j}, expected {want}")
        prev_jobs = jobs
        grower = opts.get("grower")
        if grower is not None and i > 0:
            e = next((e for e in entries if e["pid"] == grower), None)
            if e is None or not e[dkey] or e[dkey] <= 0:
                fail(f"{where}: the growing process {grower} did not grow: {e}")
            if opts.get("sorted") and entries[0]["pid"] != grower:
                fail(f"{where}: the growing process {grower} is not first: {entries[0]}")
        for pid, ticks in opts.get("start", {}).items():
            e = next((e for e in entries if e["pid"] == pid), None)
            if e and e["start_time"] != ticks:
                fail(f"{where}: pid {pid} start_time {e['start_time']}, /proc says {ticks}")
    if times != sorted(times):
        fail(f"times not increasing: {times}")
    for kind in ("vanished", "new"):
        pid = opts.get(kind)
        if pid is None:
            continue
        hits = [i for i, p in marked[kind] if p == pid]
        if len(hits) != 1:
            fail(f"pid {pid} marked {kind} in samples {[i + 1 for i in hits]}, expected once")


def check_csv(path, count):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    rows = list(csv.reader(text.splitlines()))
    if not rows or rows[0][:2] != ["TASK", "DEPTH"] or sum(r[:1] == ["TASK"] for r in rows) != 1:
        fail("CSV: not one header line first")
    head = rows[0]
    col = {name: head.index(name) for name in ("PSS", "dPSS", "dSTART", "SAMPLE", "TIME")}
    samples = {}
    for r in rows[1:]:
        samples.setdefault(int(r[col["SAMPLE"]]), []).append(r)
    if sorted(samples) != list(range(1, count + 1)):
        fail(f"CSV: samples {sorted(samples)}")
    prev, first = {}, {}
    for n in sorted(samples):
        cur = {}
        for r in samples[n]:
            label, pss = r[0], int(r[col["PSS"]]) if r[col["PSS"]] else None
            cur[label] = pss
            first.setdefault(label, pss)
            want_d = "" if n == 1 or label not in prev or pss is None or prev[label] is None else str(pss - prev[label])
            want_g = "" if pss is None or first[label] is None else str(pss - first[label])
            if r[col["dPSS"]] != want_d or r[col["dSTART"]] != want_g:
                fail(f"CSV sample {n} {label}: dPSS {r[col['dPSS']]!r} dSTART {r[col['dSTART']]!r}, "
                     f"expected {want_d!r} {want_g!r}")
        prev = cur


def main():
    mode, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    if mode == "csv":
        check_csv(path, count)
        return
    opts = {"start": {}}
    while args:
        a = args.pop(0)
        if a == "--sorted":
            opts["sorted"] = True
        elif a == "--metric":
            opts["metric"] = args.pop(0)
        elif a == "--start":
            pid, ticks = args.pop(0).split("=")
            opts["start"][int(pid)] = int(ticks)
        else:
            opts[a[2:]] = int(args.pop(0))
    check_json(path, count, opts)


if __name__ == "__main__":
    main()
