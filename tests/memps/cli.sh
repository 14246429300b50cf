#!/bin/sh
# tests/cli.sh: the interface promises of memps: exit statuses, colour only on a tty and never with NO_COLOR, units, CSV (test layer)
set -u
memps="$top_builddir/memps"
fix="$top_srcdir/fixtures/debian12-workload"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
rc_of() { "$@" >"$T/out" 2>"$T/err"; echo $?; }
on_tty() { "${PYTHON3:-python3}" "$top_srcdir/tests/common/on_tty.py" "$@"; }

[ "$(rc_of "$memps" --no-such-option)" = 2 ] || bad "unknown option: want 2"
[ "$(rc_of "$memps" -o pss,nonsense)" = 2 ] || bad "unknown column: want 2"
grep -q "unknown column 'nonsense'" "$T/err" || bad "unknown column message: $(cat "$T/err")"
[ "$(rc_of "$memps" --units=X)" = 2 ] || bad "bad unit: want 2"
[ "$(rc_of "$memps" --tree=bogus)" = 2 ] || bad "bad tree: want 2"
[ "$(rc_of "$memps" -p 12x)" = 2 ] || bad "bad pid list: want 2"
[ "$(rc_of "$memps" -S "$T/does-not-exist")" = 1 ] || bad "missing snapshot: want 1"
[ "$(rc_of "$memps" -S "$fix" -p 4000000000)" = 1 ] || bad "absent pid: want 1"
grep -q "no process 4000000000" "$T/err" || bad "absent pid message: $(cat "$T/err")"
[ "$(rc_of "$memps" -S "$fix" -U nosuchuser)" = 2 ] || bad "unknown user: want 2"
[ "$(rc_of "$memps" --version)" = 0 ] || bad "--version"
grep -q '^memps ' "$T/out" || bad "--version output: $(cat "$T/out")"
[ "$(rc_of "$memps" --help)" = 0 ] || bad "--help"

# Colour: never into a pipe, never with NO_COLOR, on a tty by default, always when asked.
esc=$(printf '\033')
"$memps" -S "$fix" >"$T/pipe" 2>/dev/null
grep -q "$esc" "$T/pipe" && bad "colour into a pipe"
"$memps" -S "$fix" --color=always >"$T/always" 2>/dev/null
grep -q "$esc\[" "$T/always" || bad "--color=always gave no colour"
TERM=xterm on_tty "$memps" -S "$fix" >"$T/tty" 2>&1 </dev/null
grep -q "$esc\[" "$T/tty" || bad "no colour on a tty"
NO_COLOR=1 TERM=xterm on_tty "$memps" -S "$fix" >"$T/nocolor" 2>&1 </dev/null
grep -q "$esc\[" "$T/nocolor" && bad "colour despite NO_COLOR"
grep -q "TASK" "$T/nocolor" || bad "no output on a tty: $(head -3 "$T/nocolor")"

# --units fixes the unit of every size; --bytes prints integers.
"$memps" -S "$fix" --units=k -t none >"$T/k" 2>/dev/null
awk 'NR>1 && $1 ~ /^p:/ && $2 != "-" && $2 !~ /k$/ {bad=1} END {exit bad}' "$T/k" || bad "--units=k: $(head -5 "$T/k")"
"$memps" -S "$fix" --bytes -t none >"$T/b" 2>/dev/null
awk 'NR>1 && $1 ~ /^p:/ && $2 != "-" && $2 !~ /^[0-9]+$/ {bad=1} END {exit bad}' "$T/b" || bad "--bytes: $(head -5 "$T/b")"

# CSV parses as CSV, one record per row, with the same PSS as JSON.
"$memps" -S "$fix" --csv -t none -o pid,pss >"$T/csv" 2>/dev/null
"$memps" -S "$fix" --json >"$T/json" 2>/dev/null
"$PYTHON3" - "$T/csv" "$T/json" <<'PY' || bad "CSV does not agree with JSON"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
want = {p["pid"]: p["pss_bytes"] for p in doc["processes"] if p["state"] != "kernel"}
got = {int(r["PID"]): (int(r["PSS"]) if r["PSS"] else None) for r in rows if r["TASK"].startswith("p:")}
if got != want:
    print("csv", got, "json", want)
    sys.exit(1)
PY
[ $fail -eq 0 ] && echo "cli ok"
exit $fail
