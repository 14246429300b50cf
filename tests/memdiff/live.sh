#!/bin/sh
# live.sh: memdiff with the live system on a side: --proc-root as live against the oracle, the running system against itself and a saved report, and as an unprivileged user (unknown sums fail a gate) (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/memdiff/lib-diff.sh"
need_memps
make_pairs
cd "$P" || exit 99

# --proc-root DIR: the word live reads DIR as if it were the running system
run_diff proot --json --proc-root "$P/grow" old live
expect_rc proot 0
cp "$T/proot.out" "$T/proot.json"
run_diff proot --csv --proc-root "$P/grow" old live
cp "$T/proot.out" "$T/proot.csv"
run_diff proot --proc-root "$P/grow" old live
cp "$T/proot.out" "$T/proot.txt"
"$PYTHON3" "$DIFF_TESTDIR/check-diff.py" "$T/proot" old grow || fail "proot: check-diff.py"
grep -q '"arg":"live","input":"live","schema":"memps/1","source":{"kind":"live","format":"proc","path":"'"$P/grow"'"' "$T/proot.json" ||
	fail "proot: the live side's header: $(head -c 600 "$T/proot.json")"
expect_out proot "NEW live (live, kernel 6.18.44-fc-v657)"
# a recording named live is ./live
cp -r grow live
run_diff dot-live --json old ./live
"$PYTHON3" "$DIFF_TESTDIR/check-diff.py" --target pss old grow >"$T/want"
"$PYTHON3" -c "import json,sys; r=[x for x in json.load(open(sys.argv[1]))['rows'] if x['kind']=='total'][0]; print(r['old']['pss_bytes'], r['new']['pss_bytes'])" "$T/dot-live.out" >"$T/got"
cmp -s "$T/want" "$T/got" || fail "./live is not read as a recording: $(cat "$T/got") vs $(cat "$T/want")"

# the running system against itself and against a saved report of it, as root: a sum is unknown
# exactly when some process in it was not measured (in a sandbox even root may not read pid 1), a
# limit over the total is unknown then and passes with --unknown=pass
[ "$(id -u)" -eq 0 ] || skip "the live comparisons need root (every process readable)"
"$MEMPS" --json >"$T/saved.json" 2>/dev/null || fail "memps --json"
for args in "live live" "$T/saved.json live"; do
	run_diff live --json $args --max-growth pss=+50% --unknown=pass
	expect_rc live 0
	"$PYTHON3" - "$T/live.out" <<'PY' || fail "live ($args): JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["new"][0]["input"] == "live", d["new"][0]
known = 0
for r in d["rows"]:
    assert r["status"] in ("same", "changed", "appeared", "disappeared", "unknown"), r
    for side in ("old", "new"):
        s = r[side]
        if s["present"]:
            assert (s["pss_bytes"] is None) == (s["unmeasured"] > 0), r
            known += s["pss_bytes"] is not None
t = [r for r in d["rows"] if r["kind"] == "total"][0]
assert t["new"]["processes"] > 1, t
assert known > 2, "no row known"
assert d["limits"][0]["verdict"] == ("unknown" if t["old"]["unmeasured"] or t["new"]["unmeasured"] else "pass"), d["limits"]
assert d["result"] == "pass"
PY
done

# memdiff's own process is not part of the running system's side (it measures, it is not the workload)
run_diff self --json -a live live
"$PYTHON3" - "$T/self.out" "$MEMDIFF" <<'PY' || fail "self: memdiff is a row of its own comparison"
import json, sys
d = json.load(open(sys.argv[1]))
rows = [r for r in d["rows"] if r["kind"] == "program" and (r["cmdline"] or "").startswith(sys.argv[2])
        and (r["cmdline"] or "").endswith(" live live")]   # other tests' memdiff may run meanwhile
assert not rows, rows
assert any(r["kind"] == "program" for r in d["rows"]), "no program row at all"
PY

# an unprivileged user cannot read other users' processes: the total is unknown and a limit on it
# fails, unless --unknown=pass
need_test_user memps-test
BIN=$(user_bin memps-test "$MEMDIFF") || exit 1
chmod 755 "$T"
runuser -u memps-test -- "$BIN" live live --max-growth pss=+1000% >"$T/user.out" 2>"$T/user.err"
RC=$?
expect_rc user 4
expect_out user "total pss unknown"
expect_err user "not measured"
runuser -u memps-test -- "$BIN" live live --max-growth pss=+1000% --unknown=pass >"$T/user2.out" 2>"$T/user2.err"
RC=$?
expect_rc user2 0
finish
