#!/usr/bin/env python3
"""check-watch.py: memsys -w's samples checked against the values they print (test layer)

  check-watch.py json FILE COUNT   COUNT JSON lines, each a memsys/1 document of one sample plus "sample",
                                   "time", "interval_us" and "watch"; every delta recomputed here from
                                   the sizes the samples print; MemTotal as /proc/meminfo says.
  check-watch.py csv FILE COUNT    the CSV of -w --csv: one header, COUNT samples of one row per kind,
                                   dSIZE and dSTART the differences of the SIZE column.
"""
import csv
import json
import sys

IDS = ["total", "avail", "free", "anon", "file", "shmem", "slab_r", "slab_u", "kreclaim", "kstack", "ptables",
       "secptables", "vmalloc", "percpu", "huge_used", "huge_free", "zswap", "zram", "other"]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def diff(a, b):
    return None if a is None or b is None else a - b


def check_json(path, count):
    lines = [line for line in open(path, encoding="utf-8").read().split("\n") if line]
    if len(lines) != count:
        fail(f"{len(lines)} lines, expected {count}")
    kb = [line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal:")][0]
    prev, first = {}, {}
    for i, line in enumerate(lines):
        d = json.loads(line)
        where = f"sample {i + 1}"
        if d["schema"] != "memsys/1" or d["sample"] != i + 1 or len(d["samples"]) != 1:
            fail(f"{where}: schema {d['schema']}, sample {d['sample']}, {len(d['samples'])} samples")
        s, w = d["samples"][0], d["watch"]
        if sorted(w) != sorted(IDS):
            fail(f"{where}: watch keys {sorted(w)}")
        if s["total_bytes"] != int(kb) * 1024:
            fail(f"{where}: total {s['total_bytes']}, /proc/meminfo says {kb} kB")
        for k in IDS:
            v = s[k + "_bytes"]
            if v is not None and k not in first:
                first[k] = v
            want = {"bytes": v, "delta_bytes": diff(v, prev.get(k)) if i else None, "growth_bytes": diff(v, first.get(k))}
            if w[k] != want:
                fail(f"{where}: {k} {w[k]}, expected {want}")
            prev[k] = v


def check_csv(path, count):
    rows = list(csv.reader(open(path, encoding="utf-8", newline="").read().splitlines()))
    if not rows or rows[0][:2] != ["KIND", "DEPTH"] or sum(r[:1] == ["KIND"] for r in rows) != 1:
        fail("CSV: not one header line first")
    col = {n: rows[0].index(n) for n in ("SIZE", "dSIZE", "dSTART", "SAMPLE")}
    prev, first, samples = {}, {}, set()
    for r in rows[1:]:
        n, kind, v = int(r[col["SAMPLE"]]), r[0], int(r[col["SIZE"]])
        samples.add(n)
        first.setdefault(kind, v)
        want = ("" if n == 1 else str(v - prev[kind]), str(v - first[kind]))
        if (r[col["dSIZE"]], r[col["dSTART"]]) != want:
            fail(f"CSV sample {n} {kind}: {r[col['dSIZE']]!r} {r[col['dSTART']]!r}, expected {want}")
        prev[kind] = v
    if samples != set(range(1, count + 1)):
        fail(f"CSV: samples {sorted(samples)}")


if __name__ == "__main__":
    (check_json if sys.argv[1] == "json" else check_csv)(sys.argv[2], int(sys.argv[3]))
