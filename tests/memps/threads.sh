#!/bin/sh
# threads.sh: live, a thread id given to memps, memmaps or memobjs stands for its process, shown once; --max-rss skips a big process (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

MEMMAPS=$top_builddir/memmaps
MEMOBJS=$top_builddir/memobjs
WL=$top_builddir/tests/common/workload
[ -x "$WL" ] || { echo "FAIL: $WL is not built"; exit 1; }
[ -x "$MEMMAPS" ] && [ -x "$MEMOBJS" ] || { echo "FAIL: memmaps or memobjs is not built"; exit 1; }
: >"$T/pids"
"$WL" >>"$T/pids" &
wl_pid=$!
trap 'kill -TERM $wl_pid 2>/dev/null; wait $wl_pid 2>/dev/null; cleanup_tmp' EXIT
i=0
while [ "$(wc -l <"$T/pids")" -lt 7 ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $wl_pid 2>/dev/null; then
		echo "FAIL: the workload did not start"
		exit 1
	fi
	sleep 0.1
done
P=$(head -n 1 "$T/pids")
# the workload's parent runs one extra thread: its id is the task that is not the process
TID=$(ls "/proc/$P/task" | grep -vx "$P" | head -n 1)
[ -n "$TID" ] && [ -d "/proc/$TID" ] || { echo "FAIL: no thread of $P found"; exit 1; }
grep -q "^Tgid:[[:space:]]*$P\$" "/proc/$TID/status" || { echo "FAIL: $TID is not a thread of $P"; exit 1; }

# json_check FILE EXPR: a python expression over the JSON document `d` must be true
json_check() {
	"$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$T/$1.out" "$2" || fail "$1: $2 ($(head -c 300 "$T/$1.out"))"
}

# --- memps: PID,TID,TID is one process, its total is the process's own ---
run_memps self --json -p "$P"
expect_rc self 0
run_memps dup --json -p "$P,$TID,$TID"
expect_rc dup 0
json_check dup "[p['pid'] for p in d['processes']] == [$P]"
json_check dup "d['totals']['processes'] == 1"
grep -qx "memps: $TID is a thread of $P" "$T/dup.err" || fail "dup: no thread note on stderr: $(cat "$T/dup.err")"
[ "$(grep -c "thread of" "$T/dup.err")" -eq 1 ] || fail "dup: the thread note is not said once"
"$PYTHON3" -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
# the process was read twice: figures may move a little, but never double
pa, pb = a["totals"]["pss_bytes"], b["totals"]["pss_bytes"]
sys.exit(0 if pa and pb and abs(pa - pb) < pa / 2 else 1)' "$T/self.out" "$T/dup.out" ||
	fail "dup: total is not the process's own PSS"
run_memps tid -p "$TID" -t none -o pss
expect_rc tid 0
grep -q "^p:$P " "$T/tid.out" || fail "tid: process $P not shown for thread $TID: $(cat "$T/tid.out")"
grep -q "^p:$TID " "$T/tid.out" && fail "tid: the thread is shown as a process"

# more than 64 pids are found by listing /proc, where threads are not listed: the thread is still found
many=$(ls /proc | grep -E '^[0-9]+$' | head -n 70 | tr '\n' ',')
run_memps many --json -p "$many$TID"
json_check many "$P in [p['pid'] for p in d['processes']] and $TID not in [p['pid'] for p in d['processes']]"
grep -qx "memps: $TID is a thread of $P" "$T/many.err" || fail "many: no thread note: $(head -c 300 "$T/many.err")"

# --- memmaps: one /A row for the process and its thread ---
"$MEMMAPS" "$P" "$TID" >"$T/maps.out" 2>"$T/maps.err"
RC=$?
no_crash maps "$RC" "$T/maps.err"
expect_rc maps 0
[ "$(grep -c '^/A ' "$T/maps.out")" -eq 1 ] || fail "memmaps: $(grep -c '^/A ' "$T/maps.out") /A rows for a process and its thread"
grep -q "proc:$P " "$T/maps.out" || fail "memmaps: process $P not shown"
grep -qx "memmaps: $TID is a thread of $P" "$T/maps.err" || fail "memmaps: no thread note: $(cat "$T/maps.err")"

# --- memobjs: the thread alone stands for its process ---
"$MEMOBJS" --json "$TID" >"$T/objs.out" 2>"$T/objs.err"
RC=$?
no_crash objs "$RC" "$T/objs.err"
expect_rc objs 0
json_check objs "[p['pid'] for p in d['processes']] == [$P]"
grep -qx "memobjs: $TID is a thread of $P" "$T/objs.err" || fail "memobjs: no thread note: $(cat "$T/objs.err")"

# --- --max-rss: above the bound the process is skipped (its status RSS shown), below it is read ---
run_memps big --json -p "$P" --max-rss 1k
expect_rc big 0
json_check big "d['processes'][0]['state'] == 'skipped' and d['processes'][0]['pss_bytes'] is None"
json_check big "d['processes'][0]['status_rss_bytes'] > 1024 and d['skipped'] == 1"
json_check big "d['totals']['processes'] == 0 and d['totals']['missing'] == 1"
grep -qE "1 (process )?skipped[;( ]" "$T/big.err" || fail "big: no summary: $(cat "$T/big.err")"
run_memps bigtext -p "$P" --max-rss 1024 -t none -o pss,rss
grep -q "^p:$P .*\[skipped\]" "$T/bigtext.out" || fail "bigtext: no [skipped] note: $(cat "$T/bigtext.out")"
run_memps small --json -p "$P" --max-rss 1G
json_check small "d['processes'][0]['state'] == 'ok' and d['processes'][0]['pss_bytes'] > 0"
"$MEMOBJS" --json --max-rss 4k "$P" >"$T/objsbig.out" 2>"$T/objsbig.err"
json_check objsbig "d['skipped_pids'] == [$P]"
# all objects: the skipped process's objects are unknown, so sharer counts are partial
"$MEMOBJS" --json --max-rss 1M >"$T/objsall.out" 2>"$T/objsall.err"
json_check objsall "$P in d['skipped_pids'] and d['sharers_partial'] and not any($P in o['sharer_pids'] for o in d['objects'])"
grep -q "skipped (resident above --max-rss): the objects they map are not counted" "$T/objsall.err" ||
	fail "memobjs all: no summary: $(cat "$T/objsall.err")"
for bad in 4X -1 '' 12.5M 99999999999999999999E 0 0k 16EiB; do
	run_memps "badsize" --max-rss "$bad" -p "$P"
	expect_rc badsize 2
done

kill -TERM $wl_pid
wait $wl_pid
finish
