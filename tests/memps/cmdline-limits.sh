#!/bin/sh
# cmdline-limits.sh: a sparse 64 MiB cmdline of NULs costs memps about the file, not 44 bytes per byte; what is kept is marked cut (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

# Issue 8, hostile input 1: one process whose cmdline is 64 MiB of NUL bytes (a hole: the recording
# takes a few KB on disk).  Before the limits, memps --json kept 64 Mi empty strings: 2.9 GB.
dir=$T/amp
mkdir -p "$dir/42"
printf '42 (big) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 1000000 10 0 0\n' >"$dir/42/stat"
printf '00400000-7fff00000000 ---p 00000000 00:00 0                          [rollup]\nRss:                   8 kB\nPss:                   4 kB\n' >"$dir/42/smaps_rollup"
truncate -s 64M "$dir/42/cmdline" || skip "truncate cannot make a sparse file here"
"$PYTHON3" - "$MEMPS" "$dir" <<'PY' || fail "a 64 MiB cmdline of NULs"
import json, os, resource, subprocess, sys
memps, d = sys.argv[1], sys.argv[2]
path = os.path.join(d, "42", "cmdline")
size = os.path.getsize(path)
# the expected values, from the file itself
with open(path, "rb") as f:
    data = f.read()
nargs = data.count(b"\0") + (0 if data.endswith(b"\0") else 1)
del data
KEEP = 4096  # memps(1), cmdline
bad = []
for args in (["-S", d, "--json"], ["--proc-root", d, "--json"], ["-S", d, "-o", "pss,cmdline", "-t", "none"],
             ["-S", d, "-o", "pss,cmdline", "-t", "none", "--csv"]):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = subprocess.run([memps] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child so far
    tag = "memps " + " ".join(args)
    if r.returncode != 0:
        bad.append("%s: exit %d: %s" % (tag, r.returncode, r.stderr[:300]))
        continue
    # within twice the largest file read plus a constant (32 MiB: glib, the model, buffers)
    if peak > 2 * size + 32 * 1024 * 1024:
        bad.append("%s: peak RSS %d bytes for a %d-byte cmdline" % (tag, peak, size))
    if "--json" in args:
        p = json.loads(r.stdout)["processes"][0]
        if p["cmdline"] != [""] * KEEP:
            bad.append("%s: cmdline has %d arguments, expected %d empty ones" % (tag, len(p["cmdline"]), KEEP))
        if p["cmdline_cut"] != {"args_dropped": nargs - KEEP, "bytes_dropped": 0}:
            bad.append("%s: cmdline_cut %r, expected %d arguments dropped" % (tag, p["cmdline_cut"], nargs - KEEP))
        if p["pss_bytes"] != 4096:
            bad.append("%s: pss_bytes %r" % (tag, p["pss_bytes"]))
    elif "--csv" in args:
        import csv, io
        csv.field_size_limit(1 << 24)
        rows = [r for r in csv.reader(io.StringIO(r.stdout.decode("utf-8"))) if r and r[0] == "p:42"]
        want = " " * (KEEP - 1) + " \u2026%d more" % (nargs - KEEP)
        # the CMDLINE cell whole: 4096 empty arguments joined by spaces, then the mark
        if len(rows) != 1 or want not in rows[0]:
            bad.append("%s: no cell is %r: %r" % (tag, want[-20:], [c[-30:] for c in rows[0]] if rows else None))
    else:
        # text: the CMDLINE cell is cut to 64 columns (memps(1)), so the row stays short
        row = [l for l in r.stdout.decode("utf-8").split("\n") if l.startswith("p:42")]
        if len(row) != 1 or not row[0].rstrip().endswith(" big") or len(row[0]) > 120:
            bad.append("%s: the row is not cut short: %r" % (tag, row[:1]))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
finish
