#!/bin/sh
# tests/unit/source-hostile.sh: issue #8's reproducers for the source layer, run through memps: tar members that are not regular files, a path that is not a recording, no pid to weigh, stat amplification under --proc-root (test layer)
. "$top_srcdir/tests/common/lib.sh"
need_memps
PID=24565
FIX=$FIXTURES/debian12-workload

# A small recording: one process of the fixture, meminfo and version.
R=$T/rec
mkdir -p "$R/$PID"
cp "$FIX/meminfo" "$FIX/version" "$R/"
cp "$FIX/$PID/stat" "$FIX/$PID/smaps_rollup" "$FIX/$PID/smaps" "$FIX/$PID/cmdline" "$R/$PID/"
run_memps base -S "$R"
expect_rc base 0

# ---- 1. members that are not regular files: the tar and the same tree as a directory agree ----
# The tar is written by python's tarfile (not by the tool under test), with one member replaced.
make_hostile_tar() { # KIND OUT
	"$PYTHON3" - "$R" "$PID/smaps_rollup" "$1" "$2" <<'PY'
import io, os, sys, tarfile
root, victim, kind, out = sys.argv[1:5]
with tarfile.open(out, "w") as t:
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if rel != victim:
                t.add(full, arcname=rel, recursive=False)
                continue
            ti = tarfile.TarInfo(rel)
            if kind == "symlink":
                ti.type, ti.linkname = tarfile.SYMTYPE, "/etc/passwd"
            elif kind == "hardlink":
                ti.type, ti.linkname = tarfile.LNKTYPE, os.path.join(os.path.dirname(rel), "stat")
            elif kind == "fifo":
                ti.type = tarfile.FIFOTYPE
            elif kind == "device":
                ti.type, ti.devmajor, ti.devminor = tarfile.CHRTYPE, 1, 3
            elif kind == "dir":
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
            t.addfile(ti)
PY
}

for kind in symlink hardlink fifo device dir; do
	make_hostile_tar "$kind" "$T/$kind.tar" || { fail "$kind: python could not write the tar"; continue; }
	run_memps "tar-$kind" -S "$T/$kind.tar"
	expect_rc "tar-$kind" 3
	case $kind in
	symlink) want="symbolic link refused" ;;
	*) want="not a regular file" ;;
	esac
	grep -q "$PID/smaps_rollup: $want" "$T/tar-$kind.err" ||
		fail "tar-$kind: stderr does not say '$PID/smaps_rollup: $want': $(head -3 "$T/tar-$kind.err")"
	grep -q vanished "$T/tar-$kind.out" && fail "tar-$kind: the process is shown as vanished"
done

# The same trees as directories (a hard link in a directory is a regular file: no counterpart).
for kind in symlink fifo device dir; do
	D=$T/dir-$kind
	cp -a "$R" "$D"
	rm "$D/$PID/smaps_rollup"
	case $kind in
	symlink) ln -s /etc/passwd "$D/$PID/smaps_rollup" ;;
	fifo) mkfifo "$D/$PID/smaps_rollup" ;;
	device) mknod "$D/$PID/smaps_rollup" c 1 3 2>/dev/null || { echo "not root: no device node"; continue; } ;;
	dir) mkdir "$D/$PID/smaps_rollup" ;;
	esac
	run_memps "dir-$kind" -S "$D"
	expect_rc "dir-$kind" 3
	sed "s|$D|REC|g" "$T/dir-$kind.err" >"$T/dir-$kind.norm"
	sed "s|$T/$kind.tar:|REC/|g" "$T/tar-$kind.err" >"$T/tar-$kind.norm"
	cmp -s "$T/dir-$kind.norm" "$T/tar-$kind.norm" ||
		fail "$kind: the tar and the directory say different things: $(cat "$T/tar-$kind.norm") / $(cat "$T/dir-$kind.norm")"
done

# ---- 2. a path that is not a recording ----
run_memps etc -S /etc
expect_rc etc 1
grep -q "not a recording" "$T/etc.err" || fail "etc: stderr does not say 'not a recording'"
[ -s "$T/etc.out" ] && fail "etc: printed a table"
"$PYTHON3" -c 'import sys, tarfile
with tarfile.open(sys.argv[1], "w") as t: t.add("/etc/hostname" if __import__("os").path.exists("/etc/hostname") else "/etc/passwd", arcname="etc/hostname")' "$T/etc.tar"
run_memps etc-tar -S "$T/etc.tar"
expect_rc etc-tar 1
grep -q "not a recording" "$T/etc-tar.err" || fail "etc-tar: stderr does not say 'not a recording'"
# An empty proc/ is a recording of nothing (not an error).
mkdir -p "$T/emptyrec/proc"
run_memps emptyrec -S "$T/emptyrec"
expect_rc emptyrec 0

# ---- 3. no pid to weigh (qsort(NULL, 0, ...), seen by UBSan) ----
run_memps nopid -p 999999
expect_rc nopid 1
mkdir -p "$T/empty"
run_memps emptyroot --proc-root "$T/empty"
expect_rc emptyroot 0

# ---- 4. stat amplification under --proc-root: ten sparse 200 MiB stat files ----
case $(ldd "$MEMPS") in
*libasan*) echo "ASan build: peak memory is measured on the plain build" ;;
*)
	if [ ! -x /usr/bin/time ]; then
		fail "/usr/bin/time is missing (Debian package time, tools/install-deps installs it)"
	else
		A=$T/amp
		for p in 101 102 103 104 105 106 107 108 109 110; do
			mkdir -p "$A/$p"
			printf '%s (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1000 9 1\n' $p >"$A/$p/stat"
			truncate -s 200M "$A/$p/stat"
			cp "$FIX/$PID/smaps_rollup" "$A/$p/"
		done
		/usr/bin/time -v "$MEMPS" --proc-root "$A" >"$T/amp.out" 2>"$T/amp.err"
		RC=$?
		no_crash amp "$RC" "$T/amp.err"
		peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/amp.err")
		# 2x the largest file read (200 MiB) plus a constant (64 MiB); it was 2.4 GB.
		limit=$((2 * 204800 + 65536))
		echo "peak RSS reading ten 200 MiB stat files: ${peak} kB (limit $limit kB)"
		[ -n "$peak" ] && [ "$peak" -le "$limit" ] || fail "amp: peak RSS ${peak:-?} kB above $limit kB"
	fi
	;;
esac

# ---- 5. memobjs --hidden under --proc-root walks DIR's fds and DIR/../dev/shm, not the machine's ----
MEMOBJS=$top_builddir/memobjs
H=$T/host
mkdir -p "$H/proc" "$H/dev/shm"
cp -R "$FIX/$PID" "$H/proc/"
cp "$FIX/meminfo" "$H/proc/"
head -c 8192 /dev/zero >"$H/dev/shm/orphan-seg"
head -c 4096 /dev/zero >"$H/dev/shm/held-seg"
mkdir -p "$H/proc/$PID/fd"
ln -s "$H/dev/shm/held-seg" "$H/proc/$PID/fd/7"
"$MEMOBJS" --hidden --json --proc-root "$H/proc" >"$T/hidden.json" 2>"$T/hidden.err"
RC=$?
no_crash hidden "$RC" "$T/hidden.err"
expect_rc hidden 0
"$PYTHON3" - "$T/hidden.json" "$PID" <<'PY' || fail "hidden: memobjs --hidden --proc-root did not walk DIR's fds and DIR/../dev/shm"
import json, sys
doc = json.load(open(sys.argv[1]))
pid = int(sys.argv[2])
got = {(h["kind"], h["name"].rsplit("/", 1)[-1]): h for h in doc["hidden"] if h["kind"] != "sysv-unattached"}
want = {("fd-only", "held-seg"), ("shm-orphan", "orphan-seg")}
ok = set(got) == want
ok = ok and got[("fd-only", "held-seg")]["holder_pids"] == [pid] and got[("fd-only", "held-seg")]["size_bytes"] == 4096
ok = ok and got[("shm-orphan", "orphan-seg")]["holder_pids"] == [] and got[("shm-orphan", "orphan-seg")]["size_bytes"] == 8192
if not ok:
    print("  got:", sorted(got), file=sys.stderr)
sys.exit(0 if ok else 1)
PY

finish
