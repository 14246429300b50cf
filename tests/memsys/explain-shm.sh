#!/bin/sh
# explain-shm.sh: memsys --explain lists the /dev/shm files (size, allocated bytes, how many processes map or hold each) and the SysV segments nobody attaches: live as root and as an unprivileged user, and from a memcap recording with dev-shm, against a Python reading of the raw files (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
MEMCAP=${MEMCAP:-$top_builddir/memcap}
need_memps
[ -d /dev/shm ] && [ -w /dev/shm ] || skip "no writable /dev/shm"

# Three files of the test: one a process maps (and closed), one a process holds open, one nobody
# touches; and a name with an ESC and a newline in it.
P=memsys-test-$$-
ODD=$(printf '%sodd\033[31m\nx' "$P")
PIDS=
SHMID=
cleanup_shm() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -f /dev/shm/"$P"*
	[ -z "$SHMID" ] || ipcrm -m "$SHMID"
	cleanup_tmp
}
trap 'cleanup_shm' EXIT
head -c 300000 /dev/urandom >"/dev/shm/${P}mapped"
head -c 70000 /dev/urandom >"/dev/shm/${P}held"
head -c 5000 /dev/urandom >"/dev/shm/${P}orphan"
printf 'x' >"/dev/shm/$ODD"
: >"/dev/shm/${P}empty"
chmod 644 /dev/shm/"$P"*
"$PYTHON3" -c '
import mmap, sys, time
f = open(sys.argv[1], "rb")
m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
f.close()
m[0:4096]
print("ready", flush=True)
time.sleep(600)
' "/dev/shm/${P}mapped" >"$T/mapper.out" &
PIDS="$PIDS $!"
sleep 600 3<"/dev/shm/${P}held" &
HOLDER=$!
PIDS="$PIDS $HOLDER"
# Both ready before the first reading: the mapper has said so, the holder's fd 3 is open (the shell's
# child opens it before exec, maybe after memsys started).  A loaded machine may take its time.
i=0
until grep -q ready "$T/mapper.out" && [ "$(readlink "/proc/$HOLDER/fd/3")" = "/dev/shm/${P}held" ]; do
	i=$((i + 1))
	[ $i -le 600 ] || { echo "FAIL: the mapping or the holding process did not start"; exit 1; }
	sleep 0.1
done
# A SysV segment of the test nobody attaches (the others on the system come and go with the tests
# running beside this one), so that the SysV check below always has one to find.
SHMID=$(ipcmk -M 8192 -p 0600 | sed -n 's/^Shared memory id: //p')
[ -n "$SHMID" ] || { echo "FAIL: ipcmk -M failed"; exit 1; }

# compare NAME WANT_JSON: the files of the test in run NAME's JSON are exactly the oracle's.
compare() {
	"$PYTHON3" - "$T/$1.out" "$2" "$P" <<'PY' || fail "$1: /dev/shm listing differs from the raw files"
import json, sys
ex = json.load(open(sys.argv[1]))["explain"]
want = json.loads(sys.argv[2])
files = ex["dev_shm_files"]
assert files is not None, ex["dev_shm_note"]
got = {f["name"]: {k: f[k] for k in ("size_bytes", "alloc_bytes", "mappers", "holders")}
       for f in files if f["name"].startswith("/dev/shm/" + sys.argv[3])}
if got != want:
    for n in sorted(set(got) | set(want)):
        if got.get(n) != want.get(n):
            print("  %r: memsys %r, raw files %r" % (n, got.get(n), want.get(n)))
    sys.exit(1)
assert len(got) == 5, sorted(got)
# most allocated first
allocs = [f["alloc_bytes"] for f in files]
assert allocs == sorted(allocs, reverse=True), allocs
PY
}

# Live, as root: the mapper maps one (mappers 1), the sleep holds one (holders 1).
cp /proc/sysvipc/shm "$T/sysv.before"
run_memps live --explain --json
expect_rc live 0
cp /proc/sysvipc/shm "$T/sysv.after"
want=$("$PYTHON3" "$top_srcdir/tests/memsys/expect_shm.py" live "$P")
compare live "$want"
"$PYTHON3" - "$T/live.out" "$P" <<'PY' || fail "live: the mapped or held file is not seen as such"
import json, sys
files = {f["name"]: f for f in json.load(open(sys.argv[1]))["explain"]["dev_shm_files"]}
p = "/dev/shm/" + sys.argv[2]
assert files[p + "mapped"]["mappers"] == 1, files[p + "mapped"]
assert files[p + "held"]["holders"] == 1, files[p + "held"]
assert files[p + "orphan"]["holders"] == 0 and files[p + "orphan"]["mappers"] in (0, None), files[p + "orphan"]
PY
run_memps live-text --explain
expect_rc live-text 0
grep -q "^/dev/shm files: " "$T/live-text.out" || fail "live text: no /dev/shm section"
grep -q -F "/dev/shm/${P}odd\\x1b[31m\\x0ax" "$T/live-text.out" || fail "live text: the odd name is not escaped"
grep -q "$(printf '\033')" "$T/live-text.out" && fail "live text: a raw ESC in the output"
grep -q "^SysV segments no process attaches: " "$T/live-text.out" || fail "live text: no SysV section"
# The SysV segments nobody attaches are those of sysvipc/shm with nattch 0.  Tests running beside this
# one make and remove segments meanwhile: each listed segment is one that sysvipc/shm showed
# unattached, with these figures, right before or right after memsys ran; each it showed unattached
# and unchanged in both readings is listed; the test's own is.
"$PYTHON3" - "$T/live.out" "$T/sysv.before" "$T/sysv.after" "$SHMID" <<'PY' || fail "live: SysV segments differ from sysvipc/shm"
import json, sys
ex = json.load(open(sys.argv[1]))["explain"]
def unattached(path):
    lines = open(path).read().split("\n")
    head = lines[0].split()
    rows = [dict(zip(head, l.split())) for l in lines[1:] if l.strip()]
    return {int(r["shmid"]): (int(r["key"]), int(r["size"]), int(r["rss"])) for r in rows if r["nattch"] == "0"}
before, after = unattached(sys.argv[2]), unattached(sys.argv[3])
got = {s["shmid"]: (s["key"], s["size_bytes"], s["rss_bytes"]) for s in ex["sysv_unattached_segments"]}
assert len(got) == len(ex["sysv_unattached_segments"]), ex["sysv_unattached_segments"]
for shmid, fig in got.items():
    assert fig in (before.get(shmid), after.get(shmid)), (shmid, fig, before.get(shmid), after.get(shmid))
for shmid, fig in before.items():
    if after.get(shmid) == fig:
        assert got.get(shmid) == fig, (shmid, got.get(shmid), fig)
assert int(sys.argv[4]) in got, (sys.argv[4], sorted(got))
term = [t for t in ex["terms"] if t["id"] == "sysv_unattached"][0]
assert term["count"] == len(got) and term["bytes"] == sum(f[2] for f in got.values()), term
PY

# As an unprivileged user: root's processes cannot be read, so nobody seen is unknown, never 0.
need_test_user memps-memsys-test
bin=$(user_bin memps-memsys-test "$MEMPS") || exit 1
runuser -u memps-memsys-test -- "$bin" --explain --json >"$T/user.out" 2>"$T/user.err" || fail "unprivileged --explain failed: $(cat "$T/user.err")"
want=$(runuser -u memps-memsys-test -- "$PYTHON3" "$top_srcdir/tests/memsys/expect_shm.py" live "$P")
compare user "$want"
"$PYTHON3" -c '
import json, sys
for f in json.load(open(sys.argv[1]))["explain"]["dev_shm_files"]:
    if f["name"].startswith("/dev/shm/" + sys.argv[2]):
        assert f["mappers"] is None and f["holders"] is None, f
' "$T/user.out" "$P" || fail "user: root's mappers or holders counted as 0"

# A recording with dev-shm (memcap, the test's two processes): the same from its files.
"$MEMCAP" -o "$T/rec" $PIDS >"$T/memcap.out" 2>&1 || fail "memcap failed: $(cat "$T/memcap.out")"
run_memps rec --explain --json -S "$T/rec"
expect_rc rec 0
want=$("$PYTHON3" "$top_srcdir/tests/memsys/expect_shm.py" recording "$T/rec" "$P")
compare rec "$want"
"$PYTHON3" - "$T/rec.out" "$P" <<'PY' || fail "rec: the mapped or held file is not seen as such"
import json, sys
ex = json.load(open(sys.argv[1]))["explain"]
files = {f["name"]: f for f in ex["dev_shm_files"]}
p = "/dev/shm/" + sys.argv[2]
assert files[p + "mapped"]["mappers"] == 1 and files[p + "held"]["holders"] == 1, files
# two processes recorded, not all: nobody seen is unknown
assert files[p + "orphan"]["mappers"] is None and files[p + "orphan"]["holders"] is None, files[p + "orphan"]
assert ex["dev_shm_note"], ex
PY
make_tar "$T/rec" "$T/rec.tar"
run_memps rec-tar --explain --json -S "$T/rec.tar"
expect_rc rec-tar 0
compare rec-tar "$want"
# Garbled dev-shm and maps in a recording: named on stderr, bad input (3), the rest still written.
cp -a "$T/rec" "$T/bad"
printf 'not a listing\n' >"$T/bad/dev-shm"
pid=${PIDS# }
pid=${pid%% *}
chmod u+w "$T/bad/$pid/maps" 2>/dev/null
printf 'garbage\n' >"$T/bad/$pid/maps"
run_memps bad --explain -S "$T/bad"
expect_rc bad 3
grep -q "dev-shm" "$T/bad.err" || fail "bad: the garbled dev-shm is not named: $(cat "$T/bad.err")"
grep -q "$pid/maps" "$T/bad.err" || fail "bad: the garbled maps is not named: $(cat "$T/bad.err")"
grep -q "^unexplained " "$T/bad.out" || fail "bad: the reconciliation is not written"
# --proc-root DIR lists DIR/../dev/shm; without it, not listed (said so), not an empty listing.
mkdir -p "$T/tree/dev/shm"
cp -a "$FIXTURES/debian12-workload" "$T/tree/proc"
head -c 12345 /dev/urandom >"$T/tree/dev/shm/${P}tree"
run_memps tree --explain --json --proc-root "$T/tree/proc"
expect_rc tree 0
"$PYTHON3" -c '
import json, sys
ex = json.load(open(sys.argv[1]))["explain"]
f = [f for f in ex["dev_shm_files"] if f["name"] == "/dev/shm/" + sys.argv[2] + "tree"]
assert len(f) == 1 and f[0]["size_bytes"] == 12345, ex["dev_shm_files"]
assert f[0]["holders"] is None, f  # the tree has no fd directories: nobody seen is unknown
' "$T/tree.out" "$P" || fail "tree: DIR/../dev/shm not listed as it is"
run_memps noshm --explain --proc-root "$FIXTURES/debian12-workload"
expect_rc noshm 0
grep -q "^/dev/shm not listed: no such directory" "$T/noshm.out" || fail "noshm: $(grep shm "$T/noshm.out")"
# A recording without dev-shm (an older recorder's): not listed, said so.
run_memps old --explain -S "$FIXTURES/debian12-workload"
expect_rc old 0
grep -q "^/dev/shm not listed: not recorded" "$T/old.out" || fail "old: $(grep shm "$T/old.out")"
# A tar on standard input is read once: not listed, said so.
"$MEMPS" --explain -S - <"$T/rec.tar" >"$T/stdin.out" 2>"$T/stdin.err" || fail "stdin --explain failed"
grep -q "/dev/shm not read" "$T/stdin.err" || fail "stdin: $(cat "$T/stdin.err")"
finish
