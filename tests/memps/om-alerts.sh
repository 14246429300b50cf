#!/bin/sh
# om-alerts.sh: contrib/memps-alerts.yml passes `promtool check rules` and its unit tests (om-alerts.yml), and names only metrics memps, memsys and node_exporter write (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memps/om-lib.sh"
need_memps
need_om_tools
cp "$top_srcdir/contrib/memps-alerts.yml" "$MEMPS_TESTDIR/om-alerts.yml" "$T/" || { echo "FAIL: contrib/memps-alerts.yml"; exit 1; }
(cd "$T" && promtool check rules memps-alerts.yml) >"$T/check.out" 2>&1 || { fail "promtool check rules:"; sed 's/^/  /' "$T/check.out"; }
(cd "$T" && promtool test rules om-alerts.yml) >"$T/test.out" 2>&1 || { fail "promtool test rules:"; sed 's/^/  /' "$T/test.out" | head -30; }
# Every memps_/memsys_ name of the rules is one the tools write.
"$MEMPS" -S "$FIXTURES/debian12-workload" --format=openmetrics >"$T/m.prom" 2>/dev/null
"$top_builddir/memsys" -S "$FIXTURES/debian12-workload" --format=openmetrics >>"$T/m.prom"
for name in $(grep -oE '\bmem(ps|sys)_[a-z_]+' "$T/memps-alerts.yml" | grep -v '_alerts' | sort -u); do
	grep -q "^# TYPE $name gauge" "$T/m.prom" || fail "the rules name $name, which memps and memsys do not write"
done
finish
