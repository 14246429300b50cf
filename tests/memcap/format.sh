#!/bin/sh
# format.sh: what memcap writes, against an independent reading in Python: fds (memfd, /dev/shm; escaped targets), dev-shm, memcap.info, scrubbed and full cmdlines (sed -z and busybox's od path), passwd, manifests (EMPTY, ENOENT, dropped pids), memobjs --hidden on a recording as live, and the exit statuses (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memcap/lib-memcap.sh"
. "$top_srcdir/tests/common/workload.sh"
need_userlands
start_workload

# A process holding a /dev/shm file whose name has a backslash, a newline and a space, and one with
# arguments to scrub.
SHMNAME="memcap-test-$$ a\\b
c"
"$PYTHON3" -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
os.write(fd, b"x" * 10000)
mfd = os.memfd_create(sys.argv[2])
os.write(mfd, b"y" * 70000)
with open(sys.argv[3], "wb") as f:
    f.write(b"z" * 30000)
sys.stdout.write("ready\n"); sys.stdout.flush()
time.sleep(600)
' "/dev/shm/$SHMNAME" "memcap-test-$$-memfd" "/dev/shm/memcap-test-$$-orphan" >"$T/holder.out" &
holder=$!
sh -c 'exec sleep 600' &
sleeper=$!
trap 'kill $holder $sleeper 2>/dev/null; rm -f "/dev/shm/$SHMNAME" "/dev/shm/memcap-test-$$-orphan"; stop_workload >/dev/null 2>&1; cleanup_tmp' EXIT
# both ready (the sleeper exec'd: the shell's command line is not the one the test compares)
i=0
until [ -s "$T/holder.out" ] && [ "$(cat "/proc/$sleeper/comm" 2>/dev/null)" = sleep ]; do
	i=$((i + 1))
	[ $i -le 600 ] || { echo "FAIL: the holder or the sleeper did not start"; exit 1; }
	sleep 0.1
done
PIDS="$WL_PIDS $holder $sleeper"

t0=$(date +%s)
# shellcheck disable=SC2086
sh "$MEMCAP" -o "$T/c" $PIDS 2>"$T/c.err" || fail "memcap: exit $?"
# shellcheck disable=SC2086
env -i PATH="$T/bb" "$BUSYBOX" sh "$MEMCAP" -o "$T/cb" $PIDS 2>>"$T/c.err" || fail "memcap (busybox): exit $?"
# shellcheck disable=SC2086
sh "$MEMCAP" --full-cmdline -o "$T/cf" $PIDS 2>>"$T/c.err" || fail "memcap --full-cmdline: exit $?"
t1=$(date +%s)
[ -s "$T/c.err" ] && fail "stderr: $(head -3 "$T/c.err")"
version=$(sh "$MEMCAP" --version)

# shellcheck disable=SC2086
"$PYTHON3" - "$T" "$t0" "$t1" "${version#memcap }" "$sleeper" "$holder" "$SHMNAME" $PIDS <<'PY' || fail "the recorded files"
import os, stat, sys
T, t0, t1, version, sleeper, holder, shmname = sys.argv[1:8]
pids = sys.argv[8:]
bad = []

def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")

def tmpfs_devs():
    devs = set()
    for line in open("/proc/self/mountinfo"):
        left, right = line.split(" - ")
        if right.split()[0] == "tmpfs":
            major, minor = left.split()[2].split(":")
            devs.add(os.makedev(int(major), int(minor)))
    return devs

def fds_of(pid):
    out = set()
    d = "/proc/%s/fd" % pid
    for fd in os.listdir(d):
        p = os.path.join(d, fd)
        try:
            st = os.stat(p)
            target = os.readlink(p)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if st.st_dev not in tmpfs_devs() and not target.startswith("/memfd:"):
            continue
        out.add("%s %d %d %x %d %d 512 %s" % (fd, st.st_dev, st.st_ino, st.st_mode, st.st_size, st.st_blocks, esc(target)))
    return out

def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()

# fds: each pid's, as Python sees them; the holder's /dev/shm file and the workload's memfd among them.
for c in ("c", "cb", "cf"):
    seen = ""
    for pid in pids:
        want = fds_of(pid)
        got = set(read(os.path.join(T, c, pid, "fds"), "rb").decode("utf-8", "surrogateescape").splitlines())
        if got != want:
            bad.append("%s/%s/fds: %s, want %s" % (c, pid, sorted(got), sorted(want)))
        seen += " ".join(got)
    if "/memfd:" not in seen or esc("/dev/shm/" + shmname) not in seen:
        bad.append("%s: no memfd or /dev/shm fd recorded: %r" % (c, seen[:300]))

# dev-shm: the directory, then its regular files (tests running beside this one add and remove
# files: a recorded file that is still there with its inode must be recorded as it is, the holder's
# must be there).
st = os.stat("/dev/shm")
for c in ("c", "cb"):
    lines = read(os.path.join(T, c, "dev-shm"), "rb").decode("utf-8", "surrogateescape").splitlines()
    head = "%d %d %x " % (st.st_dev, st.st_ino, st.st_mode)
    if not lines or not lines[0].startswith(head) or not lines[0].endswith(" 512 ."):
        bad.append("%s/dev-shm: first line %r, want %r..." % (c, lines[:1], head))
    names = {}
    for name in os.listdir("/dev/shm"):
        s = os.lstat(os.path.join("/dev/shm", name))
        if stat.S_ISREG(s.st_mode):
            names[esc(name)] = "%d %d %x %d %d 512 %s" % (s.st_dev, s.st_ino, s.st_mode, s.st_size, s.st_blocks, esc(name))
    for line in lines[1:]:
        name = line.split(" ", 6)[-1]
        want = names.get(name)
        if want is not None and want.split()[1] == line.split()[1] and want != line:
            bad.append("%s/dev-shm: %r, want %r" % (c, line, want))
    if names.get(esc(shmname)) not in lines:
        bad.append("%s/dev-shm: no line %r in %s" % (c, names.get(esc(shmname)), lines))

# memcap.info
for c, cmd in (("c", "scrubbed"), ("cb", "scrubbed"), ("cf", "full")):
    info = dict(l.split(" ", 1) for l in read(os.path.join(T, c, "memcap.info")).splitlines())
    want = {"format": "1", "tool": "memcap " + version, "pagesize": str(os.sysconf("SC_PAGE_SIZE")),
            "cmdline": cmd, "uid": str(os.getuid()), "pids": "selected"}
    for k, v in want.items():
        if info.get(k) != v:
            bad.append("%s/memcap.info: %s %r, want %r" % (c, k, info.get(k), v))
    if not int(t0) <= int(info.get("time", 0)) <= int(t1):
        bad.append("%s/memcap.info: time %s not in [%s, %s]" % (c, info.get("time"), t0, t1))

# cmdline: argv[0] and the mark, or the whole
raw = read("/proc/%s/cmdline" % sleeper, "rb")
if raw.count(b"\0") < 2:
    bad.append("the sleeper has no arguments: %r" % raw)
scrubbed = raw[:raw.index(b"\0") + 1] + b"ARGS-SCRUBBED\0"
for c, want in (("c", scrubbed), ("cb", scrubbed), ("cf", raw)):
    got = read(os.path.join(T, c, sleeper, "cmdline"), "rb")
    if got != want:
        bad.append("%s/%s/cmdline: %r, want %r" % (c, sleeper, got, want))

# passwd: name:x:uid:gid of every uid in the recorded processes' Uid lines
uids = set()
for pid in pids:
    for line in read("/proc/%s/status" % pid, "rb").decode("latin-1").splitlines():
        if line.startswith("Uid:"):
            uids.update(line.split()[1:])
want = set()
for line in read("/etc/passwd").splitlines():
    f = line.split(":")
    if len(f) >= 4 and f[2] in uids:
        want.add("%s:x:%s:%s" % (f[0], f[2], f[3]))
got = set(read(os.path.join(T, "c", "passwd")).splitlines())
if got != want:
    bad.append("passwd: %s, want %s" % (sorted(got), sorted(want)))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY

# memobjs --hidden on a recording of every process says what it says live of the holder's memfd
# (held, not mapped) and its orphan /dev/shm file.
sh "$MEMCAP" >"$T/all.tar" 2>"$T/all.err" || fail "all: exit $?"
"$top_builddir/memobjs" --hidden --json >"$T/hidden.live" 2>/dev/null
"$top_builddir/memobjs" -S "$T/all.tar" --hidden --json >"$T/hidden.rec" 2>/dev/null
"$PYTHON3" - "$T/hidden.live" "$T/hidden.rec" "memcap-test-$$-" <<'PY' || fail "memobjs --hidden on the recording"
import json, sys
def ours(path):
    return sorted((o for o in json.load(open(path))["hidden"] if sys.argv[3] in (o.get("name") or "")),
                  key=lambda o: o["name"])
live, rec = ours(sys.argv[1]), ours(sys.argv[2])
if len(live) != 2 or not live[0]["name"].startswith("/dev/shm/") or not live[1]["name"].startswith("/memfd:"):
    print("FAIL: live: %s" % live)
    sys.exit(1)
if live != rec:
    print("FAIL: live %s, recording %s" % (live, rec))
    sys.exit(1)
PY

# A made-up /proc (-p): no vmstat, no sysvipc; pid 42 with an empty smaps and no smaps_rollup (a
# kernel before 4.14); pid 43 without stat, which is not a process: dropped.
P=$T/fakeproc
mkdir -p "$P/42" "$P/43"
printf 'MemTotal: 1000 kB\n' >"$P/meminfo"
printf 'Linux version 3.10.0\n' >"$P/version"
for f in stat status statm cmdline comm cgroup maps; do printf '%s of 42\n' $f >"$P/42/$f"; done
: >"$P/42/smaps"
printf 'status of 43\n' >"$P/43/status"
sh "$MEMCAP" -p "$P" -o "$T/fake" 2>"$T/fake.err" || fail "fake: exit $?"
[ -s "$T/fake.err" ] && fail "fake: stderr: $(cat "$T/fake.err")"
printf 'vmstat ENOENT\nsysvipc/shm ENOENT\nzram ENOENT\n' >"$T/want.top" # no ../sys/block beside the made-up /proc
cmp -s "$T/fake/memcap.errors" "$T/want.top" || fail "fake: top manifest: $(cat "$T/fake/memcap.errors")"
printf 'smaps_rollup ENOENT\nsmaps EMPTY\n' >"$T/want.42"
cmp -s "$T/fake/42/memcap.errors" "$T/want.42" || fail "fake: 42/memcap.errors: $(cat "$T/fake/42/memcap.errors")"
[ -f "$T/fake/42/smaps" ] && [ ! -s "$T/fake/42/smaps" ] || fail "fake: 42/smaps is not there, empty"
cmp -s "$T/fake/42/maps" "$P/42/maps" || fail "fake: 42/maps differs"
[ -e "$T/fake/43" ] && fail "fake: 43 (no stat) recorded"
[ -e "$T/fake/sysvipc" ] && fail "fake: an empty sysvipc directory"

# Exit statuses and messages.
expect_exit() {
	ee_want=$1 ee_msg=$2
	shift 2
	"$@" >"$T/ee.out" 2>"$T/ee.err"
	ee_rc=$?
	[ $ee_rc -eq "$ee_want" ] || fail "$*: exit $ee_rc, expected $ee_want"
	grep -q -- "$ee_msg" "$T/ee.err" || fail "$*: stderr '$(head -2 "$T/ee.err")' lacks '$ee_msg'"
	[ -s "$T/ee.out" ] && fail "$*: wrote to stdout"
}
mkdir "$T/full" && touch "$T/full/x"
expect_exit 1 "is not empty" sh "$MEMCAP" -o "$T/full"
expect_exit 1 "not a readable /proc" sh "$MEMCAP" -p "$T/nowhere" -o "$T/o1"
expect_exit 2 "unknown option '--bogus'" sh "$MEMCAP" --bogus
expect_exit 2 "not a pid: 'abc'" sh "$MEMCAP" -o "$T/o2" abc
expect_exit 2 "not with -o" sh "$MEMCAP" -z -o "$T/o3"
expect_exit 2 "needs a directory" sh "$MEMCAP" -o
mkdir "$T/nosed"
for a in "$T"/bb/*; do [ "${a##*/}" = sed ] || [ "${a##*/}" = stat ] || ln -s "$BUSYBOX" "$T/nosed/${a##*/}"; done
expect_exit 3 "missing commands: sed stat" env -i PATH="$T/nosed" "$BUSYBOX" sh "$MEMCAP" -o "$T/o4"
[ -e "$T/o4" ] && fail "a directory was made though commands are missing"
finish
