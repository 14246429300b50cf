#!/bin/sh
# zram.sh: memsys's zram category: live from /sys/block with a zram device the test fills (root, where the kernel has zram-control), through memcap's recording, as an unprivileged user, and from a --proc-root tree's sys/block; each figure against a Python reading of the raw mm_stat files (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
MEMCAP=${MEMCAP:-$top_builddir/memcap}
need_memps

# check NAME ZRAM_SOURCE: the JSON of run NAME has zram_bytes = the sum of the third mm_stat field of
# ZRAM_SOURCE (a /sys/block-like directory, or a recording's zram file), other = the rest.
check() {
	"$PYTHON3" - "$T/$1.out" "$2" <<'PY' || fail "$1: zram figures"
import json, os, re, sys
doc = json.load(open(sys.argv[1]))
src = sys.argv[2]
if os.path.isdir(src):
    names = [n for n in os.listdir(src) if re.fullmatch(r"zram(0|[1-9][0-9]*)", n)]
    text = "".join("%s %s" % (n, open(os.path.join(src, n, "mm_stat")).read()) for n in names)
else:
    text = open(src).read()
want = sum(int(l.split()[3]) for l in text.splitlines())
for s in doc["samples"] if "samples" in doc else []:
    assert s["zram_bytes"] == want, (s["zram_bytes"], want)
    assert "zram" not in s["other_includes"], s["other_includes"]
    ids = [k[:-6] for k in s if k.endswith("_bytes") and k not in ("total_bytes", "avail_bytes")]
    assert sum(s[k + "_bytes"] for k in ids if s[k + "_bytes"] is not None) == s["total_bytes"]
if "explain" in doc:
    t = {x["id"]: x for x in doc["explain"]["terms"]}
    assert t["zram"]["bytes"] == want and not t["zram"]["part"], (t["zram"], want)
print(want)
PY
}

# A --proc-root tree: DIR/../sys/block holds a device directory and a link to one (as the kernel's
# /sys/block links into /sys/devices), and entries that are not zram devices.
R=$T/root
mkdir -p "$R/proc" "$R/sys/block/zram0" "$R/sys/devices/virtual/block/zram7" "$R/sys/block/loop0" "$R/sys/block/zram"
cp "$FIXTURES/debian12-workload/meminfo" "$R/proc/"
printf '  104857600  20971520  23068672        0  23068672       12        0        3        5\n' >"$R/sys/block/zram0/mm_stat"
printf '4096 74 12288 0 12288 0 0\n' >"$R/sys/devices/virtual/block/zram7/mm_stat"
ln -s ../devices/virtual/block/zram7 "$R/sys/block/zram7"
printf '1 1 999 1 1 1 1\n' >"$R/sys/block/loop0/mm_stat"
printf '1 1 999 1 1 1 1\n' >"$R/sys/block/zram/mm_stat"
run_memps tree --proc-root "$R/proc" --json
expect_rc tree 0
check tree "$R/sys/block" >/dev/null
[ -s "$T/tree.err" ] && fail "tree: unexpected stderr: $(cat "$T/tree.err")"
# memgraph's kernel/zram node is the same sum (the model keeps the zram file for it)
"$top_builddir/memgraph" --proc-root "$R/proc" >"$T/graph.out" 2>"$T/graph.err" || fail "memgraph: exit status $?"
"$PYTHON3" - "$T/graph.out" "$R/sys" <<'PY' || fail "memgraph: kernel/zram"
import json, sys
recs = {r["id"]: r for r in json.load(open(sys.argv[1]))}
want = sum(int(open(sys.argv[2] + f).read().split()[2]) for f in ("/block/zram0/mm_stat", "/devices/virtual/block/zram7/mm_stat"))
assert recs["kernel/zram"]["size_bytes"] == want, (recs["kernel/zram"], want)
kids = [r["size_bytes"] for r in recs.values() if r.get("parent") == "kernel/physmem"]
assert None not in kids and sum(kids) == recs["kernel/physmem"]["size_bytes"], kids
PY
run_memps tree-explain --proc-root "$R/proc" --explain --json
expect_rc tree-explain 0
check tree-explain "$R/sys/block" >/dev/null
# A device without mm_stat (Linux < 4.1): the sum would be short, so zram is unknown (other includes it).
mkdir -p "$R/sys/block/zram3"
run_memps tree-old --proc-root "$R/proc" --json
expect_rc tree-old 0
"$PYTHON3" -c 'import json,sys; s=json.load(open(sys.argv[1]))["samples"][0]; assert s["zram_bytes"] is None and "zram" in s["other_includes"], s' \
	"$T/tree-old.out" || fail "tree-old: zram not unknown"
grep -q "zram" "$T/tree-old.err" || fail "tree-old: stderr does not name zram"
rmdir "$R/sys/block/zram3"
# Hostile trees: a FIFO, a link to a device, a device link to a non-directory, a link loop: zram
# unknown, never a hang or a read of a device.
for kind in fifo zero null loop; do
	rm -rf "$R/sys/block/zram9"
	case $kind in
	fifo) mkdir "$R/sys/block/zram9" && mkfifo "$R/sys/block/zram9/mm_stat" ;;
	zero) mkdir "$R/sys/block/zram9" && ln -s /dev/zero "$R/sys/block/zram9/mm_stat" ;;
	null) ln -s /dev/null "$R/sys/block/zram9" ;;
	loop) ln -s zram9 "$R/sys/block/zram9" ;;
	esac
	timeout 20 "$MEMPS" --proc-root "$R/proc" --json >"$T/hostile-$kind.out" 2>"$T/hostile-$kind.err"
	RC=$?
	no_crash "hostile-$kind" "$RC" "$T/hostile-$kind.err"
	expect_rc "hostile-$kind" 0
	"$PYTHON3" -c 'import json,sys; s=json.load(open(sys.argv[1]))["samples"][0]; assert s["zram_bytes"] is None, s' \
		"$T/hostile-$kind.out" || fail "hostile-$kind: zram not unknown"
done
rm -rf "$R/sys/block/zram9"
# No sys/block beside the proc root: unknown.
rm -rf "$R/sys"
run_memps tree-nosys --proc-root "$R/proc" --json
"$PYTHON3" -c 'import json,sys; s=json.load(open(sys.argv[1]))["samples"][0]; assert s["zram_bytes"] is None, s' \
	"$T/tree-nosys.out" || fail "tree-nosys: zram not unknown"

# Live: the real /sys/block, as root and as an unprivileged user (mm_stat is world-readable).  With
# zram-control, a new device holding data is added for the test and removed after it.
[ -d /sys/block ] || skip "no /sys/block"
DEV=
cleanup_zram() {
	if [ -n "$DEV" ]; then
		echo 1 >"/sys/block/zram$DEV/reset" 2>/dev/null
		echo "$DEV" >/sys/class/zram-control/hot_remove 2>/dev/null
	fi
	cleanup_tmp
}
trap 'cleanup_zram' EXIT
if [ "$(id -u)" -eq 0 ] && [ -w /sys/class/zram-control/hot_add ] && DEV=$(cat /sys/class/zram-control/hot_add 2>/dev/null); then
	major=$(sed -n 's/^ *\([0-9]*\) zram$/\1/p' /proc/devices)
	if ! echo 16M >"/sys/block/zram$DEV/disksize"; then
		fail "could not size the zram device zram$DEV"
	elif ! mknod "$T/zdev" b "$major" "$DEV" 2>/dev/null; then
		# a container without CAP_MKNOD: the device stays empty (zram 0 of it), still compared
		echo "note: cannot make a device node here: the test's zram device stays empty"
	elif { cat "$top_srcdir"/src/lib/*.c; head -c 2000000 /dev/urandom; } |
		dd of="$T/zdev" bs=64k oflag=direct 2>/dev/null; then
		used=$(cut -c1-100 "/sys/block/zram$DEV/mm_stat" | awk '{print $3}')
		[ "$used" -gt 2000000 ] || fail "the test's zram device holds only $used bytes"
		FILLED=yes
	else
		fail "could not fill the zram device zram$DEV"
	fi
else
	echo "note: no zram device added (not root, or no zram-control): live zram is what the machine has"
	DEV=
fi
run_memps live --json
expect_rc live 0
check live /sys/block >"$T/live.want"
run_memps live-explain --explain --json
expect_rc live-explain 0
check live-explain /sys/block >/dev/null
if [ -n "${FILLED:-}" ] && [ "$(cat "$T/live.want")" -lt 2000000 ]; then
	fail "live: the device's memory is not in zram: $(cat "$T/live.want")"
fi
need_test_user memps-memsys-test
bin=$(user_bin memps-memsys-test "$MEMPS") || exit 1
runuser -u memps-memsys-test -- "$bin" --json >"$T/user.out" 2>"$T/user.err" || fail "unprivileged run failed: $(cat "$T/user.err")"
check user /sys/block >/dev/null

# memcap records the same lines; memsys reads them back.
if [ -x "$MEMCAP" ]; then
	"$MEMCAP" -o "$T/rec" $$ >"$T/memcap.out" 2>&1 || fail "memcap failed: $(cat "$T/memcap.out")"
	[ -f "$T/rec/zram" ] || fail "memcap wrote no zram file"
	if [ -n "$DEV" ]; then
		grep -q "^zram$DEV " "$T/rec/zram" || fail "memcap's zram file lacks zram$DEV: $(cat "$T/rec/zram")"
	fi
	run_memps rec -S "$T/rec" --json
	expect_rc rec 0
	check rec "$T/rec/zram" >/dev/null
	make_tar "$T/rec" "$T/rec.tar"
	run_memps rec-tar -S "$T/rec.tar" --json
	expect_rc rec-tar 0
	check rec-tar "$T/rec/zram" >/dev/null
	# --explain reads zram with the processes, in the one pass a tar on stdin allows
	"$MEMPS" -S - --explain --json <"$T/rec.tar" >"$T/rec-stdin.out" 2>"$T/rec-stdin.err" ||
		fail "rec-stdin --explain: exit status $?: $(cat "$T/rec-stdin.err")"
	check rec-stdin "$T/rec/zram" >/dev/null
	# a garbled zram file: named on stderr, zram unknown, the rest shown, exit 3
	cp -r "$T/rec" "$T/rec-bad" && printf 'zram0 1 2\n' >"$T/rec-bad/zram"
	run_memps rec-bad -S "$T/rec-bad" --explain --json
	expect_rc rec-bad 3
	grep -q "zram" "$T/rec-bad.err" || fail "rec-bad: stderr does not name zram: $(cat "$T/rec-bad.err")"
	"$PYTHON3" -c 'import json,sys; t={x["id"]: x for x in json.load(open(sys.argv[1]))["explain"]["terms"]}; assert t["zram"]["bytes"] is None, t["zram"]' \
		"$T/rec-bad.out" || fail "rec-bad: zram not unknown"
	# A recorder that could not read /sys/block says so in the manifest: unknown.
	rm "$T/rec/zram" && printf 'zram EACCES\n' >>"$T/rec/memcap.errors"
	run_memps rec-eacces -S "$T/rec" --json
	"$PYTHON3" -c 'import json,sys; s=json.load(open(sys.argv[1]))["samples"][0]; assert s["zram_bytes"] is None, s' \
		"$T/rec-eacces.out" || fail "rec-eacces: zram not unknown"
fi
finish
