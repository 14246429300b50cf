#!/bin/sh
# live.sh: memmaps on the live workload (vs smaps read by python right after), on every pid of /proc at once (no 255 limit), and on a process it may not read (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
HERE=$top_srcdir/tests/memmaps

. "$top_srcdir/tests/common/workload.sh"
start_workload
wl_pid=$WL_PID
pids=$WL_PIDS

# The workload is idle once it has printed its pids: its smaps should not move between memmaps's
# read and python's; a few tries absorb the odd page the kernel moves meanwhile.
ok=0
for try in 1 2 3 4 5; do
	# shellcheck disable=SC2086
	run_memps live --json $pids
	expect_rc live 0
	mkdir -p "$T/snap$try"
	for p in $pids; do
		mkdir -p "$T/snap$try/$p"
		cat "/proc/$p/smaps" >"$T/snap$try/$p/smaps"
		cat "/proc/$p/smaps_rollup" >"$T/snap$try/$p/smaps_rollup" 2>/dev/null || rm -f "$T/snap$try/$p/smaps_rollup"
	done
	# shellcheck disable=SC2086
	if MEMMAPS_LIVE=1 "$PYTHON3" "$HERE/check-json.py" "$T/snap$try" "$T/live.out" $pids >"$T/live.check"; then
		ok=1
		break
	fi
	sleep 0.2
done
[ $ok -eq 1 ] || { fail "live --json vs /proc"; head -20 "$T/live.check"; }
run_memps livetext $pids
"$PYTHON3" - "$T/livetext.out" <<'PY' || fail "live text: no thread stack region or no ESC name"
import sys
t = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if "' thread-stack" in t and "esc\\x1b[31mname.bin" in t else 1)
PY

# Every pid of the system at once: far above pmap's 255; some may vanish meanwhile (exit 1 then).
all=$(ls /proc | grep -E '^[0-9]+$' | tr '\n' ' ')
n=$(echo "$all" | wc -w)
# shellcheck disable=SC2086
run_memps all $all
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "all $n pids: exit status $RC"
[ "$(grep -c "^/A " "$T/all.out")" -ge $((n - 20)) ] || fail "all $n pids: $(grep -c "^/A " "$T/all.out") /A rows"

# A process memmaps may not read: as nobody, the workload (root's) is unreadable: exit 0, a summary.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	bin=$(user_copy "$MEMPS") || fail "cannot copy memmaps where nobody can run it"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" "$wl_pid" >"$T/nobody.out" 2>"$T/nobody.err"
	RC=$?
	no_crash nobody "$RC" "$T/nobody.err"
	expect_rc nobody 0
	grep -q "unreadable (permission denied)" "$T/nobody.err" || fail "as nobody: no summary on stderr"
	grep -q "\[unreadable: permission denied\]" "$T/nobody.out" || fail "as nobody: the row does not say why"
fi
finish
