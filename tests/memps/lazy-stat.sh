#!/bin/sh
# lazy-stat.sh: live, a default memps names processes from comm and reads stat only where the rollup fails; names and states as stat says (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

# Processes with odd names (set by prctl, as the kernel keeps them: 15 bytes at most) and a zombie
# (a child the holder never reaps).  The holder prints "PID" lines, then "Z PID" for the zombie.
"$PYTHON3" - "$T/pids" <<'PY' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
names = [b"lz a) (b", b"lz\nnl\\x", b"lz-fifteen-byte", b"lz \xc3\xa9t\xc3\xa9", b")"]
pids = []
for n in names:
    pid = os.fork()
    if pid == 0:
        libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG: SIGKILL when the holder goes
        libc.prctl(15, ctypes.c_char_p(n), 0, 0, 0)  # PR_SET_NAME
        time.sleep(120)
        os._exit(0)
    pids.append(pid)
z = os.fork()
if z == 0:
    os._exit(0)
# ready when each child carries its name and the zombie is one (a loaded machine may take its time)
def ready():
    try:
        names_ok = all(open("/proc/%d/comm" % p, "rb").read() == n + b"\n" for p, n in zip(pids, names))
        st = open("/proc/%d/stat" % z, "rb").read()
        return names_ok and st[st.rindex(b")") + 2:].split()[0] == b"Z"
    except OSError:
        return False
for _ in range(600):
    if ready():
        break
    time.sleep(0.1)
with open(sys.argv[1] + ".tmp", "w") as f:
    for p in pids:
        f.write("%d\n" % p)
    f.write("Z %d\n" % z)
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)
for p in pids:
    os.kill(p, 9)
PY
holder=$!
stop_holder() {
	kill -KILL "$holder" 2>/dev/null # its children die with it (PR_SET_PDEATHSIG)
	wait "$holder" 2>/dev/null
}
trap 'stop_holder; cleanup_tmp' EXIT
i=0
while [ ! -s "$T/pids" ] && [ $i -lt 900 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$T/pids" ] || { echo "FAIL: the holder did not start"; exit 99; }
zombie=$(awk '$1 == "Z" { print $2 }' "$T/pids")
# A kernel thread, when this pid namespace shows one (stat's flags have PF_KTHREAD).
kthread=$("$PYTHON3" -c '
import os
for d in sorted((d for d in os.listdir("/proc") if d.isdigit()), key=int):
    try:
        s = open("/proc/%s/stat" % d, "rb").read()
    except OSError:
        continue
    if int(s[s.rindex(b")") + 2:].split()[6]) & 0x00200000:
        print(d)
        break
')
list=$(awk '$1 != "Z" { printf "%s,", $1 }' "$T/pids")$zombie${kthread:+,$kthread}

# The lazy read (no parent, VSS or state column) and the eager one (PPID needs stat) show the same
# names and states; the names and states are stat's, as an independent reading of /proc says.
run_memps lazy -k -t none -s pid -o pid -p "$list"
expect_rc lazy 0
run_memps eager -k -t none -s pid -o pid,ppid -p "$list"
expect_rc eager 0
"$PYTHON3" - "$T/lazy.out" "$T/eager.out" "$list" "$zombie" "$kthread" <<'PY' || fail "names or states differ from stat's"
import re, sys

def esc(b):
    out = []
    for c in b.decode("utf-8", "surrogateescape"):
        o = ord(c)
        if 0xdc80 <= o <= 0xdcff:
            out.append("\\x%02x" % (o - 0xdc00))
        elif o < 0x20 or 0x7f <= o <= 0x9f:
            out.append("\\x%02x" % o)
        elif c == "\\":
            out.append("\\\\")
        else:
            out.append(c)
    return "".join(out)

want = {}
for p in sys.argv[3].split(","):
    s = open("/proc/%s/stat" % p, "rb").read()
    name = s[s.index(b"(") + 1:s.rindex(b")")]
    state = s[s.rindex(b")") + 2:s.rindex(b")") + 3]
    note = " [zombie]" if p == sys.argv[4] else " [kernel]" if p == sys.argv[5] else ""
    if state == b"Z" and p != sys.argv[4]:
        sys.exit("pid %s is a zombie" % p)
    want[int(p)] = esc(name) + note

def rows(path, extra):
    got = {}
    pat = re.compile(r"^p:(\d+) +(\d+) +" + (r"\S+ +" if extra else "") + r"(.*)$")
    for line in open(path, encoding="utf-8"):
        m = pat.match(line.rstrip("\n"))
        if m:
            got[int(m.group(1))] = m.group(3)
    return got

ok = True
for path, extra in ((sys.argv[1], False), (sys.argv[2], True)):
    got = rows(path, extra)
    if got != want:
        print("%s: got %r, expected %r" % (path, got, want))
        ok = False
sys.exit(0 if ok else 1)
PY

# What is read: no stat for a process with a rollup, stat for the zombie and the kernel thread.
if command -v strace >/dev/null 2>&1; then
	first=${list%%,*}
	strace -f -e trace=openat -o "$T/trace" "$MEMPS" -k -t none -o pid -p "$list" >/dev/null 2>&1
	grep -q "\"$first/comm\"" "$T/trace" || fail "comm of $first not read: $(grep "$first/" "$T/trace")"
	grep -q "\"$first/stat\"" "$T/trace" && fail "stat of $first read though its rollup was"
	grep -q "\"$zombie/stat\"" "$T/trace" || fail "stat of the zombie $zombie not read"
	if [ -n "$kthread" ]; then
		grep -q "\"$kthread/stat\"" "$T/trace" || fail "stat of the kernel thread $kthread not read"
	fi
	# An output that shows the parent reads stat for every process.
	strace -f -e trace=openat -o "$T/trace2" "$MEMPS" -t none -o pid,ppid -p "$list" >/dev/null 2>&1
	grep -q "\"$first/stat\"" "$T/trace2" || fail "-o ppid: stat of $first not read"
else
	echo "SKIP: strace is missing: what is read not checked"
fi
finish
