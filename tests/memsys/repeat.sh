#!/bin/sh
# repeat.sh: memsys's repeats and units: -d alone samples until interrupted (each sample written as it is taken), -n alone waits a second, -t's time is the sample's, and -u in every unit against the format rule's independent model (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps

# -d alone: until interrupted (killed); every sample is on stdout before the next (a reader sees them while
# memsys runs).
: >"$T/forever.out" # made here: the background job's redirection may not have run when grep first looks
"$MEMPS" -d 0.1 -b >"$T/forever.out" 2>"$T/forever.err" &
pid=$!
i=0
while [ "$(grep -c '^ *total ' "$T/forever.out")" -lt 3 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
n=$(grep -c '^ *total ' "$T/forever.out")
kill -TERM "$pid" # (a background job of sh ignores SIGINT)
wait "$pid"
rc=$?
[ "$n" -ge 3 ] || fail "-d alone: $n samples seen while it ran (not written as taken?)"
[ "$rc" -ne 0 ] || fail "-d alone: it ended by itself"
kill -0 "$pid" 2>/dev/null && fail "-d alone: still running after SIGTERM"
[ "$(grep -c -v '^ *total ' "$T/forever.out")" -ge "$n" ] || fail "-d alone: a header without its row"

# -n alone: a second apart.
start=$(date +%s%N)
run_memps count -n 2 -t
end=$(date +%s%N)
expect_rc count 0
[ $((end - start)) -ge 1000000000 ] || fail "-n 2: took $(((end - start) / 1000000)) ms, not a second apart"
[ $((end - start)) -lt 10000000000 ] || fail "-n 2: took $(((end - start) / 1000000)) ms"
# -t: ISO 8601 UTC times within the run, the second a second after the first.
"$PYTHON3" - "$T/count.out" "$start" "$end" <<'PY' || fail "-t: times wrong"
import datetime, sys
times = [l[len("time: "):] for l in open(sys.argv[1]).read().splitlines() if l.startswith("time: ")]
assert len(times) == 2, times
ts = [datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
      for t in times]
start, end = int(sys.argv[2]) / 1e9, int(sys.argv[3]) / 1e9
assert start - 0.01 <= ts[0] <= ts[1] <= end + 0.01, (start, ts, end)
assert ts[1] - ts[0] >= 0.99, ts
PY

# -u: every unit, in either case, over recordings whose figures are known (negative and unknown ones too).
"$PYTHON3" - "$MEMPS" "$FIXTURES" "$T" <<'PY' || fail "-u: figures differ from the format rule"
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests", "memsys"))
sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests", "unit"))
import expect_sys, format_size
memsys, fixtures, tmp = sys.argv[1:4]
neg = os.path.join(tmp, "neg")
os.makedirs(neg, exist_ok=True)
lines = open(os.path.join(fixtures, "debian12-workload", "meminfo")).read().splitlines()
with open(os.path.join(neg, "meminfo"), "w") as f:
    f.write("".join((("AnonPages: 24000000 kB" if l.startswith("AnonPages:") else l) + "\n") for l in lines))
bad = 0
for d in (os.path.join(fixtures, "debian12-workload"), os.path.join(fixtures, "linux-3.2"), neg):
    exp = expect_sys.categories(expect_sys.read_meminfo(os.path.join(d, "meminfo")),
                                expect_sys.read_zram(os.path.join(d, "zram")))
    cols = ["total", "avail"] + expect_sys.ORDER
    for unit in "BkMGTPEbKmgtpe":
        out = subprocess.run([memsys, "-S", d, "-u", unit], capture_output=True, text=True).stdout.splitlines()
        assert out[0].split() == cols, out[0]
        for c, v in zip(cols, out[1].split()):
            want = "-" if exp[c] is None else ("-" if exp[c] < 0 else "") + format_size.expected(abs(exp[c]), unit.upper() if unit != "k" and unit != "K" else "k")
            if v != want:
                print("FAIL: %s -u %s: %s %r, expected %r" % (os.path.basename(d), unit, c, v, want))
                bad += 1
sys.exit(1 if bad else 0)
PY
finish
