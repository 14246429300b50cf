#!/bin/sh
# watch-fixture.sh: memps -w over a copy of a recording read with --proc-root, changed between two samples by the test: each line is the normal --json document plus the watch, the start times are stat's, and a grown PSS, a process gone, one added and a pid given to a new process come out exactly as the files say (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
. "$MEMPS_TESTDIR/watch-lib.sh"
CHECK=$MEMPS_TESTDIR/check-watch.py
cp -R "$FIXTURES/debian12-workload" "$T/proc"

# Two samples of an unchanged directory: nothing moves, and each line is the plain document plus the
# watch's members.
run_memps same --proc-root "$T/proc" -w 0 -n 2 --json
expect_rc same 0
run_memps plain --proc-root "$T/proc" --json
expect_rc plain 0
"$PYTHON3" "$CHECK" json "$T/same.out" 2 || fail "unchanged: JSON Lines"
"$PYTHON3" - "$T/same.out" "$T/plain.out" "$T/proc" <<'PY' || fail "unchanged: documents and start times"
import json, os, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
plain = json.load(open(sys.argv[2]))
for d in lines:
    w = d.pop("watch")
    n = d["sample"]
    for k in ("sample", "time", "interval_us"):
        d.pop(k)
    assert d == plain, "a line is not the plain document plus the watch"
    for e in w["processes"]:
        stat = open(os.path.join(sys.argv[3], str(e["pid"]), "stat"), "rb").read()
        start = int(stat[stat.rindex(b")") + 2:].split()[19])    # field 22: the 20th after the comm
        assert e["start_time"] == start, (e["pid"], e["start_time"], start)
        assert e["pss_delta_bytes"] in (0, None) and e["pss_growth_bytes"] in (0, None), e
        assert (e["pss_delta_bytes"] is None) == (e["pss_bytes"] is None or n == 1), e
PY

# Text: an unreadable process's changes are unknown ("-"), a kernel thread's blank as its figures (-k).
run_memps kernel --proc-root "$T/proc" -w 0 -n 2 -k
expect_rc kernel 0
sed -n '/^sample 2 of 2/,$p' "$T/kernel.out" >"$T/kernel.2"
grep -qE '^p:1 +- +- +- +- +- process_api \[unreadable: permission denied\]$' "$T/kernel.2" ||
	fail "-k: the unreadable process's changes are not unknown"
grep -qE '^p:2 +kthreadd \[kernel\]$' "$T/kernel.2" || fail "-k: a kernel thread's changes are not blank"
grep -qE '^p:24565 +14\.4M +10\.3M +11\.5M +0B +0B workload$' "$T/kernel.2" || fail "-k: no change of 0B for the workload"

# Changed while memps waits for its second sample: 24565 grows by 1000 kB (smaps_rollup's Pss), 24572
# is gone, 30000 appears (a copy of 24568), and pid 24571 now belongs to a process started later.
: >"$T/churn.out"
"$MEMPS" --proc-root "$T/proc" -w 3 -n 2 --json --sort=growth >"$T/churn.out" 2>"$T/churn.err" &
mp=$!
wait_until "no first sample" grep -q . "$T/churn.out"
sed -i 's/^Pss: *14724 kB$/Pss:               15724 kB/' "$T/proc/24565/smaps_rollup"
rm -r "$T/proc/24572"
cp -R "$T/proc/24568" "$T/proc/30000"
sed -i 's/^24568 /30000 /' "$T/proc/30000/stat"
sed -i 's/^\(24571 (wl-cow) S\( [^ ]*\)\{18\}\) 162499 /\1 170000 /' "$T/proc/24571/stat"
wait $mp
rc=$?
[ $rc -eq 0 ] || fail "churn: exit status $rc: $(cat "$T/churn.err")"
"$PYTHON3" "$CHECK" json "$T/churn.out" 2 --sorted --vanished 24572 --new 30000 || fail "churn: JSON Lines"
FIXTURES=$FIXTURES "$PYTHON3" - "$T/churn.out" <<'PY' || fail "churn: the changes made"
import json, os, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[1])["watch"]
by = {}
for e in last["processes"]:
    by.setdefault(e["pid"], []).append(e)
top = last["processes"][0]
assert top["pid"] == 24565 and top["pss_delta_bytes"] == 1000 * 1024 and top["pss_growth_bytes"] == 1000 * 1024, top
assert [e["change"] for e in by[24572]] == ["vanished"], by[24572]
assert [e["change"] for e in by[30000]] == ["new"], by[30000]
reused = sorted((e["start_time"], e["change"]) for e in by[24571])
assert reused == [(162499, "vanished"), (170000, "new")], reused
# the jobs: sums over the processes below, from the recording's own smaps_rollup
def pss(pid):
    for line in open(os.path.join(os.environ["FIXTURES"], "debian12-workload", str(pid), "smaps_rollup")):
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
jobs = {j["id"]: j for j in last["jobs"]}
cow, wl = jobs["/memps-fixture/workload/cow"], jobs["/memps-fixture/workload"]
assert cow["change"] == "seen" and cow["pss_delta_bytes"] == -pss(24572), cow
assert wl["pss_delta_bytes"] == 1000 * 1024 + pss(24568) - pss(24572), wl
PY
finish
