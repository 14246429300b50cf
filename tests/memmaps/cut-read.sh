#!/bin/sh
# cut-read.sh: live, a process that exits while memmaps or memobjs reads its smaps is vanished, never shown cut as if whole; one that remaps meanwhile is no bad input (test layer)
#
# The kernel ends the smaps read of an exiting process early and quietly, at a record boundary.  To
# catch the tool mid-read every time: a process with 60 000 mappings (40 MB of smaps) waits on a
# pipe; the tool is stopped (SIGSTOP) as soon as it has the file open, the process is made to exit,
# and the tool continues.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"

MEMMAPS=$top_builddir/memmaps
MEMOBJS=$top_builddir/memobjs
[ -x "$MEMMAPS" ] && [ -x "$MEMOBJS" ] || { echo "FAIL: memmaps or memobjs is not built"; exit 1; }
[ "$(cat /proc/sys/vm/max_map_count)" -gt 61000 ] || skip "vm.max_map_count is below 61000"

cat >"$T/many.py" <<'EOF'
import ctypes, mmap, os, sys
n = int(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
page = mmap.PAGESIZE
base = libc.mmap(None, 2 * n * page, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
if base in (None, ctypes.c_void_p(-1).value):
    sys.exit("mmap failed")
# every other page read-only: 2n mappings
for i in range(n):
    if libc.mprotect(base + 2 * i * page, page, mmap.PROT_READ) != 0:
        sys.exit("mprotect: errno %d" % ctypes.get_errno())
print(os.getpid(), flush=True)
sys.stdin.read()
EOF

# catch NAME TOOL ARGS...: runs TOOL on a fresh process with many mappings (on every process for NAME
# "all"), stopping TOOL once it has read part of that smaps, then ending the process.  Output in $T/NAME.out/.err, status in RC; MAPPINGS the count.
catch() {
	name=$1
	shift
	rm -f "$T/fifo" "$T/pid"
	mkfifo "$T/fifo"
	"$PYTHON3" "$T/many.py" 30000 <"$T/fifo" >"$T/pid" &
	many=$!
	exec 3>"$T/fifo"
	i=0
	while [ ! -s "$T/pid" ]; do
		i=$((i + 1))
		[ $i -le 300 ] && kill -0 $many 2>/dev/null || { echo "FAIL: the process with many mappings did not start"; exit 1; }
		sleep 0.05
	done
	P=$(cat "$T/pid")
	MAPPINGS=$(wc -l <"/proc/$P/maps")
	if [ "$name" = all ]; then
		"$@" >"$T/$name.out" 2>"$T/$name.err" 3>&- &
	else
		"$@" "$P" >"$T/$name.out" 2>"$T/$name.err" 3>&- &
	fi
	tool=$!
	# stop the tool once it has read part of the smaps (its file position is past 0)
	i=0
	while :; do
		fd=$(ls -l "/proc/$tool/fd" 2>/dev/null | sed -n "s|.* \([0-9]*\) -> /proc/$P/smaps\$|\1|p" | head -n 1)
		if [ -n "$fd" ]; then
			pos=$(sed -n 's/^pos:[[:space:]]*//p' "/proc/$tool/fdinfo/$fd" 2>/dev/null)
			[ "${pos:-0}" -gt 0 ] && break
		fi
		i=$((i + 1))
		[ $i -le 20000 ] && kill -0 $tool 2>/dev/null || break
	done
	kill -STOP $tool 2>/dev/null
	exec 3>&-
	wait $many
	kill -CONT $tool 2>/dev/null
	wait $tool
	RC=$?
	no_crash "$name" "$RC" "$T/$name.err"
}

# memmaps: the /A row of a cut process is '-' and [vanished], never sizes over part of the mappings
caught=0
for try in 1 2 3; do
	catch maps "$MEMMAPS"
	expect_rc maps 0
	shown=$(grep -c '^ *M ' "$T/maps.out")
	if grep -q '^/A .*\[vanished\]' "$T/maps.out"; then
		caught=$((caught + 1))
		[ "$shown" -eq 0 ] || fail "memmaps: vanished, yet $shown mappings shown"
		grep -q "1 \(process \)\?vanished" "$T/maps.err" || fail "memmaps: no summary: $(cat "$T/maps.err")"
	elif [ "$shown" -ne "$MAPPINGS" ]; then
		fail "memmaps: $shown of $MAPPINGS mappings shown as if whole: $(head -n 1 "$T/maps.out") (stderr: $(cat "$T/maps.err"); stopped at $pos)"
	fi
done
[ $caught -ge 1 ] || fail "memmaps: never caught mid-read in 3 tries"

# memobjs PID: the same
caught=0
for try in 1 2 3; do
	catch objs "$MEMOBJS" --json
	expect_rc objs 0
	if "$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
p = d["processes"][0]
sys.exit(0 if p["state"] == "vanished" and d["vanished_pids"] == [int(sys.argv[2])] else 1)' "$T/objs.out" "$P"; then
		caught=$((caught + 1))
	elif ! "$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
p = d["processes"][0]
# read whole before the exit: every mapping is an object of its own (anonymous)
sys.exit(0 if p["state"] == "ok" and len(p["objects"]) >= int(sys.argv[2]) - 200 else 1)' "$T/objs.out" "$MAPPINGS"; then
		fail "memobjs: neither vanished nor whole: $(head -c 400 "$T/objs.out")"
	fi
done
[ $caught -ge 1 ] || fail "memobjs: never caught mid-read in 3 tries"

# memobjs, all objects: every process read on several threads, a window at a time (the other reader)
caught=0
for try in 1 2 3; do
	catch all "$MEMOBJS" --json
	expect_rc all 0
	if "$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
pid, n = int(sys.argv[2]), int(sys.argv[3])
mine = sum(1 for o in d["objects"] if pid in o["sharer_pids"])
if pid in d["vanished_pids"]:
    sys.exit(0 if mine == 0 else "vanished, yet %d objects counted" % mine)
# read whole before the exit: every anonymous mapping is an object of its own
sys.exit(1 if mine >= n - 200 else "%d objects of %d mappings counted as if whole" % (mine, n))' "$T/all.out" "$P" "$MAPPINGS"; then
		caught=$((caught + 1))
	elif [ $? -ne 1 ]; then
		fail "memobjs all: see above"
	fi
done
[ $caught -ge 1 ] || fail "memobjs all: never caught mid-read in 3 tries"

# A process that maps and unmaps all the time: between two reads of its smaps the kernel may print a
# merged mapping that overlaps one printed before.  That is the process changing, not malformed input
# (exit 3): the newer record wins.
cat >"$T/churn.py" <<'EOF'
import mmap, os, sys, time
print(os.getpid(), flush=True)
maps, i, end = [], 0, time.time() + float(sys.argv[1])
while time.time() < end:
    for _ in range(200):
        maps.append(mmap.mmap(-1, 4096 * (1 + i % 7)))
        i += 1
    for m in maps[::2]:
        m.close()
    maps = [m for m in maps if not m.closed][-2000:]
EOF
# It runs until killed (at the end, or by the EXIT trap): a fixed 30 s ran out under load (distcheck
# beside other tests), and the last runs then met "no process".
"$PYTHON3" "$T/churn.py" 600 >"$T/churn.pid" &
churn=$!
trap 'kill $churn 2>/dev/null; cleanup_tmp' EXIT
i=0
while [ ! -s "$T/churn.pid" ] && [ $i -lt 1200 ]; do i=$((i + 1)); sleep 0.05; done
P=$(cat "$T/churn.pid")
[ -n "$P" ] || { echo "FAIL: the remapping process did not start"; exit 1; }
bad=0
for try in $(seq 1 80); do
	"$MEMMAPS" "$P" >"$T/churn.out" 2>"$T/churn.err"
	RC=$?
	no_crash churn "$RC" "$T/churn.err"
	[ "$RC" -eq 0 ] || { bad=$((bad + 1)); head -n 2 "$T/churn.err"; }
done
[ $bad -eq 0 ] || fail "memmaps on a process remapping meanwhile: $bad of 80 runs failed"
# memobjs PID reads everyone's maps for the sharers, then the process's smaps
bad=0
for try in $(seq 1 60); do
	"$MEMOBJS" "$P" >"$T/churn.out" 2>"$T/churn.err"
	RC=$?
	no_crash churn "$RC" "$T/churn.err"
	[ "$RC" -eq 0 ] || { bad=$((bad + 1)); head -n 2 "$T/churn.err"; }
done
[ $bad -eq 0 ] || fail "memobjs on a process remapping meanwhile: $bad of 60 runs failed"
kill $churn 2>/dev/null
wait $churn 2>/dev/null
finish
