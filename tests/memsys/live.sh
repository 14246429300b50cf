#!/bin/sh
# live.sh: memsys on the running system: -n 2 -d 0.1 gives two samples, JSON parses, categories add up to MemTotal, -t lines, as root and as an unprivileged user (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps

# check_json FILE SAMPLES: the document parses, has SAMPLES samples each adding up to its total.
check_json() {
	"$PYTHON3" - "$1" "$2" <<'PY' || fail "$1: JSON check"
import json, sys
doc = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
s = doc["samples"]
assert doc["schema"] == "memsys/1" and doc["source"]["kind"] == "live", doc["source"]
assert len(s) == n, "%d samples, expected %d" % (len(s), n)
ids = ["free", "anon", "file", "shmem", "slab_r", "slab_u", "kreclaim", "kstack", "ptables", "secptables",
       "vmalloc", "percpu", "huge_used", "huge_free", "zswap", "zram", "other"]
for x in s:
    assert x["time"] and x["time"].endswith("Z"), x["time"]
    total = sum(x[i + "_bytes"] for i in ids if x[i + "_bytes"] is not None)
    assert total == x["total_bytes"], (total, x["total_bytes"])
    assert x["total_bytes"] > 0 and x["free_bytes"] > 0
    assert sorted(x["other_includes"]) == sorted(i for i in ids if x[i + "_bytes"] is None)
# MemTotal does not change between samples; the kernel's own file says the same.
kb = [l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal:")][0]
assert all(x["total_bytes"] == int(kb) * 1024 for x in s), "MemTotal differs from /proc/meminfo"
PY
}

run_memps json -n 2 -d 0.1 --json
expect_rc json 0
check_json "$T/json.out" 2

run_memps text -t -n 2 -d 0.1
expect_rc text 0
[ "$(grep -c '^time: ' "$T/text.out")" -eq 2 ] || fail "text: not two time lines"
[ "$(grep -c '^ *total ' "$T/text.out")" -eq 2 ] || fail "text: not two headers"

run_memps csv --csv -n 3 -d 0
expect_rc csv 0
[ "$(wc -l <"$T/csv.out")" -eq 4 ] || fail "csv: not a header and three lines"

# --proc-root over a recording is live-style: repeats allowed.
run_memps root --proc-root "$FIXTURES/debian12-workload" -n 2 -d 0 -b
expect_rc root 0
[ "$(grep -c . "$T/root.out")" -eq 4 ] || fail "proc-root: not two samples"

# An unprivileged user reads meminfo too (it is world-readable): same JSON checks.
need_test_user memps-memsys-test
bin=$(user_bin memps-memsys-test "$MEMPS") || exit 1
runuser -u memps-memsys-test -- "$bin" -n 2 -d 0.1 --json >"$T/user.out" 2>"$T/user.err" || fail "unprivileged run failed: $(cat "$T/user.err")"
check_json "$T/user.out" 2
finish
