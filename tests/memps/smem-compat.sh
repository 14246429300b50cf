#!/bin/sh
# smem-compat.sh: memps against smem 1.5 on smemcap captures (fixtures/smemcap-real, fresh ones of a pid namespace and of the whole system, the capture script's cp directory, smemcap-style, debian12-workload, derived copies): the figures agree or differ as memps(1) says; every form of a capture reads the same in memps, memmaps and memobjs (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

MEMMAPS=$top_builddir/memmaps
MEMOBJS=$top_builddir/memobjs
REAL=$FIXTURES/smemcap-real/capture.tar
SMEM_COLUMNS='pid user uss pss rss swap vss maps name'

# smem (the peer) and smemcap (for a fresh capture) are installed when missing: CI runs as root.
missing=
command -v smem >/dev/null 2>&1 || missing=smem
command -v smemcap >/dev/null 2>&1 || missing="$missing smemcap"
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || skip "$missing missing, and only root installs them"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	{ apt-get install -y --no-install-recommends $missing ||
		{ apt-get update && apt-get install -y --no-install-recommends $missing; }; } >"$T/apt.log" 2>&1 ||
		{ echo "FAIL: apt-get install$missing"; tail -5 "$T/apt.log"; exit 1; }
fi

# unpack TAR DIR: DIR/proc holds TAR's members, as `smem -S DIR` wants them (as root, with their owners)
unpack() {
	mkdir -p "$2/proc" && tar -xf "$1" -C "$2/proc" && chmod -R u+w "$2" || fail "unpack $1"
}

# copy_fixture NAME DIR: DIR/proc is a copy of fixtures/NAME
copy_fixture() {
	mkdir -p "$2/proc" && cp -R "$FIXTURES/$1/." "$2/proc/" || fail "copy $1"
}

# compare NAME DIR [running]: smem and memps read DIR (smem's layout); smem-compat.py checks them
compare() {
	smem -S "$2" -n -c "$SMEM_COLUMNS" >"$T/$1.smem" 2>"$T/$1.smem.err" ||
		fail "$1: smem -S failed: $(head -c 300 "$T/$1.smem.err")"
	run_memps "$1" -S "$2/proc" -k -t none --json
	expect_rc "$1" 0
	"$PYTHON3" "$MEMPS_TESTDIR/smem-compat.py" "$2" "$T/$1.smem" "$T/$1.out" ${3:-} ||
		fail "$1: smem and memps disagree (above)"
}

# check_json NAME DIR SOURCE: memps -S SOURCE --json against expect.py's model of DIR
check_json() {
	run_memps "$1" -S "$3" --json
	expect_rc "$1" 0
	"$PYTHON3" "$MEMPS_TESTDIR/check-json.py" "$2" "$T/$1.out" "$3" || fail "$1: memps -S $3 --json (above)"
}

# 1. The real capture: what smemcap wrote, then smem and memps on it.
unpack "$REAL" "$T/real"
tar -tvf "$REAL" >"$T/real.list" || fail "tar -tvf $REAL"
"$PYTHON3" - "$T/real.list" <<'EOF' || fail "the capture does not show smemcap's quirks"
import sys
m = {}
for line in open(sys.argv[1]):
    f = line.split()
    m[f[-1]] = (f[1], int(f[2]))
ok = True
# pid 1 (root's) was not readable by smemcap (nobody): a 0-byte smaps whose owner is not the process's
if m.get("1/smaps", (None, -1))[1] != 0 or m["1/smaps"][0] == m.get("1", ("?",))[0]:
    print("1/smaps: %r, 1: %r" % (m.get("1/smaps"), m.get("1")))
    ok = False
# no smaps_rollup, status or maps: smaps, cmdline and stat per pid, meminfo and version
kinds = {k.split("/")[-1] for k in m if "/" in k}
if kinds != {"smaps", "cmdline", "stat"} or not {"meminfo", "version"} <= set(m):
    print("members: %r" % sorted(kinds))
    ok = False
# a zombie's files are 0 bytes and root's (no mm left), its directory still the process's
if m.get("15/smaps") != ("0/0", 0) or m.get("15/stat", ("", 0))[1] == 0 or m.get("15", ("",))[0] != "65534/65534":
    print("zombie 15: %r %r %r" % (m.get("15"), m.get("15/smaps"), m.get("15/stat")))
    ok = False
sys.exit(0 if ok else 1)
EOF
"$PYTHON3" - "$REAL" <<'EOF' || fail "the capture's headers are not smemcap's"
import sys
# v7 headers (no "ustar" magic), and no end-of-archive blocks: the data of the last member ends it
d = open(sys.argv[1], "rb").read()
off, n, bad = 0, 0, []
while off < len(d):
    h = d[off:off + 512]
    if h == bytes(512):
        bad.append("a zero block at %d" % off)
        break
    if h[257:263] != bytes(6):
        bad.append("magic %r at %d" % (h[257:263], off))
    off += 512 + (int(h[124:136].strip(b"\0 ") or b"0", 8) + 511) // 512 * 512
    n += 1
if off != len(d) or n < 40 or bad:
    print("members %d, end %d of %d, %r" % (n, off, len(d), bad[:3]))
    sys.exit(1)
EOF
compare real "$T/real"
# memps(1) says Debian's smem fails on the tar itself (Python 3): when it stops failing, the man page
# is to change
if smem -S "$REAL" >"$T/smem-tar.out" 2>"$T/smem-tar.err" || ! grep -q '^TypeError' "$T/smem-tar.err"; then
	fail "smem -S on the tar no longer fails with a TypeError: update memps(1), COMPARED WITH SMEM"
fi
# (as root the unpacked files keep the tar's owners; otherwise they are the user's, so the tar's own
# owners cannot match them)
if [ "$(id -u)" -eq 0 ]; then check_json real-tar "$T/real/proc" "$REAL"; else run_memps real-tar -S "$REAL" --json; fi
check_json real-dir "$T/real/proc" "$T/real"
"$PYTHON3" -c 'import json, sys
p = {q["pid"]: q for q in json.load(open(sys.argv[1]))["processes"]}
sys.exit(0 if (p[1]["state"], p[1]["error"], p[1]["uid"]) == ("unreadable", "not_recorded", 0) else 1)' "$T/real-tar.out" ||
	fail "memps: pid 1 of the capture is not [unreadable: not recorded] with its directory's owner"

# 2. Swap: smem's Swap is memps's SWAP (both ΣSwap); a copy of the capture where pid 8 has swapped,
# pid 13 cleared its command line (smem drops it as a "kernel thread", memps measures it) and pid 9
# maps a file whose name is not UTF-8 and pid 10 one whose name ends in " kB" (smem drops both, memps
# measures them).
cp -a "$T/real" "$T/swap"
: >"$T/swap/proc/13/cmdline"
sed 's|/workload$|/work\xffload|' "$T/real/proc/9/smaps" >"$T/swap/proc/9/smaps"
sed 's|/workload$|/work load kB|' "$T/real/proc/10/smaps" >"$T/swap/proc/10/smaps"
cmp -s "$T/real/proc/9/smaps" "$T/swap/proc/9/smaps" && fail "swap copy: pid 9's smaps unchanged"
cmp -s "$T/real/proc/10/smaps" "$T/swap/proc/10/smaps" && fail "swap copy: pid 10's smaps unchanged"
# and pid 6's name holds a newline that is valid UTF-8: smem prints it raw, across two lines
sed 's/(wl memfd one)/(wl\nmemfd one)/' "$T/real/proc/6/stat" >"$T/swap/proc/6/stat"
cmp -s "$T/real/proc/6/stat" "$T/swap/proc/6/stat" && fail "swap copy: pid 6's stat unchanged"
"$PYTHON3" - "$T/swap/proc/8/smaps" <<'EOF' || fail "swap copy"
import re, sys
path = sys.argv[1]
text = open(path, "rb").read()
text = re.sub(rb"^Swap: +0 kB$", b"Swap:               1024 kB", text, count=1, flags=re.M)
text = re.sub(rb"^SwapPss: +0 kB$", b"SwapPss:             512 kB", text, count=1, flags=re.M)
open(path, "wb").write(text)
EOF
compare swap "$T/swap"
"$PYTHON3" -c 'import json, sys
p = {q["pid"]: q for q in json.load(open(sys.argv[1]))["processes"]}
sys.exit(0 if (p[8]["swap_bytes"], p[8]["swap_pss_bytes"], p[9]["state"], p[10]["state"], p[13]["state"]) ==
         (1048576, 524288, "ok", "ok", "ok") else 1)' "$T/swap.out" ||
	fail "swap copy: memps pid 8 swap/swap_pss, pids 9, 10 and 13 measured"
grep -q '^ *13 ' "$T/swap.smem" && fail "swap copy: smem lists pid 13, whose cmdline is empty"
grep -q '^ *9 ' "$T/swap.smem" && fail "swap copy: smem lists pid 9, whose smaps is not UTF-8"
grep -q '^ *10 ' "$T/swap.smem" && fail "swap copy: smem lists pid 10, which maps a file named '... kB'"
grep -q '^ *8 .* 1024 ' "$T/swap.smem" || fail "swap copy: smem's Swap of pid 8: $(grep '^ *8 ' "$T/swap.smem")"

# 2b. A process that exits while smemcap runs: its three members are 0 bytes (failed opens).  memps,
# memmaps and memobjs say "not recorded" (the kernel never writes an empty stat), not malformed; smem
# drops it (its empty cmdline).  As a directory and as a tar.
cp -a "$T/real" "$T/gone"
for f in smaps cmdline stat; do : >"$T/gone/proc/13/$f"; done
(cd "$T/gone/proc" && tar -cf "$T/gone.tar" -- *) || fail "gone.tar"
compare gone "$T/gone"
for src in "$T/gone/proc" "$T/gone.tar"; do
	run_memps gone-text -S "$src" -t none
	expect_rc gone-text 0
	grep -q '^p:13 .*\[unreadable: not recorded\]$' "$T/gone-text.out" || fail "memps -S $src: pid 13: $(grep '^p:13' "$T/gone-text.out")"
	grep -q '^memps: 2 processes unreadable (not recorded), 1 zombie; totals exclude them$' "$T/gone-text.err" ||
		fail "memps -S $src: $(cat "$T/gone-text.err")"
	"$MEMMAPS" -S "$src" 13 >"$T/gone-maps.out" 2>"$T/gone-maps.err"
	RC=$?
	no_crash gone-maps "$RC" "$T/gone-maps.err"
	expect_rc gone-maps 0
	grep -q "^/A - 'proc:13 ' \[unreadable: not recorded\]\$" "$T/gone-maps.out" || fail "memmaps -S $src 13: $(cat "$T/gone-maps.out")"
	"$MEMOBJS" -S "$src" --json 2 >"$T/gone-objs.out" 2>"$T/gone-objs.err"
	RC=$?
	no_crash gone-objs "$RC" "$T/gone-objs.err"
	expect_rc gone-objs 0
	"$PYTHON3" -c 'import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))["unreadable_pids"] == [1, 13] else 1)' "$T/gone-objs.out" ||
		fail "memobjs -S $src 2: $(cat "$T/gone-objs.err")"
done

# 3. Recordings by tools/memrecord: kernel threads and a ")" in a name (smemcap-style), smaps_rollup
# and an unreadable pid 1 without smaps (debian12-workload).
copy_fixture smemcap-style "$T/style"
compare style "$T/style"
copy_fixture debian12-workload "$T/deb"
compare deb "$T/deb"

# 4. The checker fails on a wrong smem figure and on a wrong memps figure.
sed 's/^\( *2 [^ ]* *\)\([0-9]*\)/\1999\2/' "$T/real.smem" >"$T/bad.smem"
"$PYTHON3" "$MEMPS_TESTDIR/smem-compat.py" "$T/real" "$T/bad.smem" "$T/real.out" >/dev/null &&
	fail "smem-compat.py accepts a wrong smem USS"
"$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
[p for p in d["processes"] if p["pid"] == 2][0]["rss_bytes"] += 1
json.dump(d, open(sys.argv[2], "w"))' "$T/real.out" "$T/bad.json" || fail "tampering with the memps JSON"
"$PYTHON3" "$MEMPS_TESTDIR/smem-compat.py" "$T/real" "$T/real.smem" "$T/bad.json" >/dev/null &&
	fail "smem-compat.py accepts a wrong memps RSS"

# 5. A fresh capture made here as fixtures/smemcap-real/record.sh made the fixture (root: unshare),
# and the directory smem's `capture` script makes (cp -a --parents, by nobody: no pid 1 smaps).
if [ "$(id -u)" -eq 0 ]; then
	if sh "$FIXTURES/smemcap-real/record.sh" "$top_builddir/tests/common/workload" "$T/fresh.tar" "$T/cp" \
		>"$T/record.log" 2>&1; then
		unpack "$T/fresh.tar" "$T/fresh"
		compare fresh "$T/fresh"
		check_json fresh-tar "$T/fresh/proc" "$T/fresh.tar"
		[ -f "$T/cp/proc/1/stat" ] && [ ! -e "$T/cp/proc/1/smaps" ] && [ -s "$T/cp/proc/2/smaps" ] ||
			fail "cp capture: $(cd "$T/cp/proc" 2>/dev/null && ls -d 1/* 2/*)"
		compare cp "$T/cp"
		check_json cp-dir "$T/cp/proc" "$T/cp"
	else
		fail "record.sh: $(tail -3 "$T/record.log")"
	fi
else
	echo "not root: no fresh capture (unshare)"
fi

# 5b. smemcap on this whole system (kernel threads, other users' processes, pids that may exit meanwhile).
if smemcap >"$T/host.tar" 2>"$T/host.err"; then
	unpack "$T/host.tar" "$T/host"
	compare host "$T/host" running
	# the kernel threads are the pids whose stat has PF_KTHREAD (none inside a pid namespace)
	"$PYTHON3" - "$T/host/proc" "$T/host.out" <<'EOF' || fail "host: kernel threads"
import json, os, sys
want = set()
for e in os.listdir(sys.argv[1]):
    if e.isdigit():
        st = open(os.path.join(sys.argv[1], e, "stat"), "rb").read()
        if st and int(st[st.rindex(b")") + 1:].split()[6]) & 0x00200000:
            want.add(int(e))
got = {p["pid"] for p in json.load(open(sys.argv[2]))["processes"] if p["state"] == "kernel"}
if got != want:
    print("memps kernel threads %r, stat says %r" % (sorted(got)[:10], sorted(want)[:10]))
    sys.exit(1)
EOF
else
	fail "smemcap failed: $(cat "$T/host.err")"
fi

# 6. Every form of the capture reads as the tar does: memps, memmaps, memobjs, text and JSON (less
# the source's path and format; less the owners where a non-root tar could not keep them).
mkdir -p "$T/forms/dot" "$T/forms/pfx/proc"
gzip -nc "$REAL" >"$T/forms/c.tar.gz"
xz -c "$REAL" >"$T/forms/c.tar.xz" || fail "xz"
tar -xf "$REAL" -C "$T/forms/dot" && chmod -R u+w "$T/forms/dot" && cp -a "$T/forms/dot/." "$T/forms/pfx/proc/" &&
	(cd "$T/forms/dot" && tar -cf ../dot.tar .) && (cd "$T/forms/pfx" && tar -czf ../proc.tar.gz proc) ||
	fail "making the forms"
PIDS=$(cd "$T/forms/dot" && ls -d [0-9]* | sort -n | tr '\n' ' ')
# the owners of a tar's members are the user's, unpacked by any user but root
if [ "$(id -u)" -eq 0 ]; then OWNERS=keep USER_COL=user; else OWNERS=drop USER_COL=ppid; fi
# run_tools TAG SOURCE [STDIN]: each tool's outputs in $T/TAG.*
run_tools() {
	rt_tag=$1 rt_src=$2 rt_in=${3:-/dev/null}
	i=0
	for cmd in "$MEMPS" "$MEMPS --json" "$MEMPS -k -t none -o pid,$USER_COL,pss,uss,rss,swap,vss,cmdline" \
		"$MEMMAPS $PIDS" "$MEMMAPS --json $PIDS" "$MEMOBJS" "$MEMOBJS --json" "$MEMOBJS 2 5" "$MEMOBJS --json 2 5"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		set -- $cmd
		rt_tool=$1
		shift
		"$rt_tool" -S "$rt_src" "$@" <"$rt_in" >"$T/$rt_tag.$i.out" 2>"$T/$rt_tag.$i.err"
		echo $? >"$T/$rt_tag.$i.rc"
		no_crash "$rt_tag: $cmd" "$(cat "$T/$rt_tag.$i.rc")" "$T/$rt_tag.$i.err"
	done
}
run_tools tar "$REAL"
for i in 1 2 3 4 5 6 7 8 9; do
	[ "$(cat "$T/tar.$i.rc")" -eq 0 ] || fail "tar, command $i: status $(cat "$T/tar.$i.rc")"
done
grep -q '^p:1 .*\[unreadable: not recorded\]$' "$T/tar.3.out" || fail "memps: pid 1 not 'not recorded'"
grep -q '^p:15 .*\[zombie\]$' "$T/tar.3.out" || fail "memps: pid 15 not a zombie"
for form in "gz $T/forms/c.tar.gz" "xz $T/forms/c.tar.xz" "stdin - $REAL" "stdin-gz - $T/forms/c.tar.gz" "dir $T/forms/dot" \
	"proc-dir $T/forms/pfx" "smem-dir $T/real" "dot-tar $T/forms/dot.tar" "proc-tar $T/forms/proc.tar.gz"; do
	# shellcheck disable=SC2086
	set -- $form
	run_tools "$1" "$2" "${3:-}"
	for i in 1 2 3 4 5 6 7 8 9; do
		cmp -s "$T/tar.$i.rc" "$T/$1.$i.rc" || fail "$1, command $i: status $(cat "$T/$1.$i.rc"), the tar's $(cat "$T/tar.$i.rc")"
		cmp -s "$T/tar.$i.err" "$T/$1.$i.err" || fail "$1, command $i: stderr differs: $(diff "$T/tar.$i.err" "$T/$1.$i.err" | head -5)"
		case $i in
		2 | 5 | 7 | 9)
			"$PYTHON3" - "$T/tar.$i.out" "$T/$1.$i.out" "$OWNERS" <<'EOF' || fail "$1, command $i: JSON differs from the tar's"
import json, sys
def norm(path):
    d = json.load(open(path))
    d["source"].pop("path")
    d["source"].pop("format")
    if sys.argv[3] == "drop":
        for p in d.get("processes", []):
            p.pop("uid", None)
            p.pop("user", None)
    return d
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    print("tar: %s" % json.dumps(a)[:300])
    print("form: %s" % json.dumps(b)[:300])
    sys.exit(1)
EOF
			;;
		*) cmp -s "$T/tar.$i.out" "$T/$1.$i.out" || fail "$1, command $i: output differs: $(diff "$T/tar.$i.out" "$T/$1.$i.out" | head -6)" ;;
		esac
	done
done

# 7. memobjs on the capture: no maps file, pid 1 unreadable: sharer counts of shared objects are partial.
"$PYTHON3" - "$T/tar.7.out" <<'EOF' || fail "memobjs -S capture --json: partial markers"
import json, sys
d = json.load(open(sys.argv[1]))
files = [o for o in d["objects"] if o["id"].startswith("f:")]
anon = [o for o in d["objects"] if o["id"].startswith("a:")]
if not d["sharers_partial"] or d["unreadable_pids"] != [1] or not files or not anon:
    print("sharers_partial %r, unreadable_pids %r" % (d["sharers_partial"], d["unreadable_pids"]))
    sys.exit(1)
# an object with an inode might be mapped by pid 1 too; a private anonymous area is its process's own
bad = [o["id"] for o in files if not o["sharers_partial"]] + [o["id"] for o in anon if o["sharers_partial"]]
if bad:
    print("wrong sharers_partial: %r" % bad[:5])
    sys.exit(1)
EOF
grep -q ' [0-9][0-9]*+? ' "$T/tar.6.out" || fail "memobjs -S capture: no '+?' sharer count"
grep -q 'sharer counts are partial' "$T/tar.6.err" || fail "memobjs -S capture: stderr: $(cat "$T/tar.6.err")"
# Without pid 1, only the zombie's smaps is empty (it maps nothing): the counts are whole, in the
# directory and in a tar (where stat comes after smaps), and pid 2's objects are shared as the all
# view says.
mkdir -p "$T/nopid1" && cp -a "$T/forms/dot/." "$T/nopid1/" && rm -rf "$T/nopid1/1" &&
	(cd "$T/nopid1" && tar --no-recursion -cf ../nopid1.tar meminfo version \
		$(ls -d [0-9]* | sort -n | sed 's|.*|& &/smaps &/cmdline &/stat|')) || fail "copy without pid 1"
for src in "$T/nopid1" "$T/nopid1.tar"; do
	"$MEMOBJS" -S "$src" --json 2 >"$T/nopid1.json" 2>"$T/nopid1.err"
	RC=$?
	no_crash nopid1 "$RC" "$T/nopid1.err"
	"$PYTHON3" -c 'import json, sys
d = json.load(open(sys.argv[1]))
objs = d["processes"][0]["objects"]
shared = {o["id"]: o["sharers"] for o in objs if o["id"].startswith("f:")}
sys.exit(0 if not d["sharers_partial"] and d["unreadable_pids"] == [] and shared.get("f:00:01:75313614") == 3 else 1)' \
		"$T/nopid1.json" || fail "memobjs -S $src 2 (no pid 1): $(head -c 300 "$T/nopid1.json"); $(cat "$T/nopid1.err")"
done

# 8. An unprivileged user reads the capture as root does: the tar and the unpacked directory (whose
# files smemcap gave the modes of /proc's: readable by all, pid 1's garbage 0465 too).
if [ "$(id -u)" -eq 0 ]; then
	need_test_user memps-test
	UMEMPS=$(user_bin memps-test "$MEMPS") || exit 1
	UREAL=$(user_copy "$REAL") || fail "a copy of the capture for the user"
	for src in "$UREAL" "$T/real"; do
		runuser -u memps-test -- "$UMEMPS" -S "$src" -k -t none -o pid,pss,uss,rss,swap,vss >"$T/user.out" 2>"$T/user.err"
		RC=$?
		no_crash user "$RC" "$T/user.err"
		expect_rc user 0
		"$MEMPS" -S "$src" -k -t none -o pid,pss,uss,rss,swap,vss >"$T/root.out" 2>"$T/root.err"
		cmp -s "$T/root.out" "$T/user.out" && cmp -s "$T/root.err" "$T/user.err" ||
			fail "memps -S $src as memps-test: $(diff "$T/root.out" "$T/user.out" | head -5) $(cat "$T/user.err")"
	done
fi
finish
