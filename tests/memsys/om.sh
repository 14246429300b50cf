#!/bin/sh
# om.sh: memsys --format=openmetrics: valid for promtool and the OpenMetrics parser, values from expect_sys.py over every fixture and old-kernel variants, unknown categories absent, refusals, live and unprivileged (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memps/om-lib.sh"
MEMSYS=${MEMSYS:-$top_builddir/memsys}
[ -x "$MEMSYS" ] || { echo "FAIL: $MEMSYS is not built"; exit 1; }
need_om_tools

# Variants of the workload's meminfo: Linux 3.2 (no MemAvailable, Percpu, KReclaimable...), and
# counters adding up to more than MemTotal (other negative).
base=$FIXTURES/debian12-workload/meminfo
mkdir -p "$T/old" "$T/negative"
grep -vE '^(MemAvailable|Percpu|KReclaimable|SecPageTables|Zswap|Zswapped|Hugetlb):' "$base" >"$T/old/meminfo"
sed 's/^AnonPages:.*/AnonPages:      24000000 kB/' "$base" >"$T/negative/meminfo"

for d in "$FIXTURES"/*/ "$T/old" "$T/negative"; do
	[ -f "$d/meminfo" ] || continue
	n=$(basename "$d")
	"$MEMSYS" -S "$d" --format=openmetrics >"$T/$n.out" 2>"$T/$n.err"
	RC=$?
	no_crash "$n" "$RC" "$T/$n.err"
	expect_rc "$n" 0
	"$PYTHON3" - "$T/$n.out" "$d/meminfo" "$top_srcdir" <<'PY' || fail "$n: memsys --format=openmetrics"
import os, sys
sys.path.insert(0, os.path.join(sys.argv[3], "tests", "memsys"))
sys.path.insert(0, os.path.join(sys.argv[3], "tests", "memps"))
import expect_sys, om_check
try:
    got = om_check.load(sys.argv[1])
except om_check.Bad as e:
    print(e)
    sys.exit(1)
c = expect_sys.categories(expect_sys.read_meminfo(sys.argv[2]))
want = {("memsys_total_bytes", ()): c["total"]}
if c["avail"] is not None:
    want[("memsys_available_bytes", ())] = c["avail"]
for k in expect_sys.ORDER:
    if c[k] is not None:    # unknown: no sample, never 0
        want[("memsys_memory_bytes", (("category", k),))] = c[k]
if got != want:
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            print("%s%r: %r, expected %r" % (k[0], dict(k[1]), got.get(k), want.get(k)))
    sys.exit(1)
parts = sum(v for (f, _), v in got.items() if f == "memsys_memory_bytes")
if parts != got[("memsys_total_bytes", ())]:
    print("the categories add up to %d, not MemTotal %d" % (parts, got[("memsys_total_bytes", ())]))
    sys.exit(1)
PY
done
grep -q 'category="percpu"' "$T/old.out" && fail "old kernel: a percpu sample although Percpu is unknown"
grep -q '^memsys_available_bytes ' "$T/old.out" && fail "old kernel: memsys_available_bytes although MemAvailable is unknown"
grep -q '^memsys_memory_bytes{category="other"} -' "$T/negative.out" || fail "negative other not written negative"

# One reading: the sampling and the other views are refused (2), as are formats that disagree.
for args in "-d 1" "-n 2" "-t" "--explain" "--cgroups" "-o free" "--json" "-u k"; do
	# shellcheck disable=SC2086
	"$MEMSYS" --format=openmetrics $args >"$T/r.out" 2>"$T/r.err"
	RC=$?
	no_crash refuse "$RC" "$T/r.err"
	[ "$RC" -eq 2 ] || fail "memsys --format=openmetrics $args: status $RC, expected 2"
	[ -s "$T/r.out" ] && fail "memsys --format=openmetrics $args: output despite the error"
done

# Live, as root and as another user (meminfo is readable by everyone).
"$MEMSYS" --format=openmetrics >"$T/live.out" 2>"$T/live.err"
RC=$?
no_crash live "$RC" "$T/live.err"
expect_rc live 0
om_valid live "$T/live.out"
need_test_user memps-om-test
bin=$(user_bin memps-om-test "$MEMSYS") || exit 1
runuser -u memps-om-test -- "$bin" --format=openmetrics >"$T/user.out" 2>"$T/user.err"
RC=$?
no_crash user "$RC" "$T/user.err"
expect_rc user 0
om_valid user "$T/user.out"
finish
