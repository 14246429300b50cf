#!/bin/sh
# live-hugetlb.sh: huge pages (MAP_HUGETLB, a hugetlbfs file) are shown as hugetlb by memps, memmaps and memobjs, with their size, outside PSS (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
MEMMAPS=${MEMMAPS:-$top_builddir/memmaps}
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}

# Issue 8, items 8 and 9.  Needs 9 huge pages of 2 MiB: as root, nr_hugepages is raised for the test
# and restored after.
[ "$(id -u)" = 0 ] || skip "huge pages can be reserved by root only"
nr=/proc/sys/vm/nr_hugepages
[ -w $nr ] || skip "the kernel has no hugetlb support ($nr)"
[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2 MiB huge pages on this machine"
old=$(cat $nr)
mnt=$T/hugetlbfs
trap 'kill -TERM $holder 2>/dev/null; wait $holder 2>/dev/null; umount "$mnt" 2>/dev/null; echo "$old" >$nr; cleanup_tmp' EXIT
echo $((old + 9)) >$nr 2>/dev/null
[ "$(cat $nr)" -ge $((old + 9)) ] || skip "the kernel could not reserve 9 huge pages (fragmented memory)"
mkdir -p "$mnt"
mount -t hugetlbfs -o pagesize=2M none "$mnt" 2>/dev/null || skip "hugetlbfs cannot be mounted here"

# The holder: 16 MiB of private MAP_HUGETLB memory and one 2 MiB shared page of a hugetlbfs file,
# both touched; it prints its pid when ready and waits.
"$PYTHON3" - "$mnt/buf" >"$T/pid" <<'PY' &
import mmap, os, sys, time
MAP_HUGETLB = 0x40000
anon = mmap.mmap(-1, 16 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_HUGETLB)
for i in range(8):
    anon[i << 21] = 1
fd = os.open(sys.argv[1], os.O_CREAT | os.O_RDWR, 0o600)
os.ftruncate(fd, 2 << 20)
shared = mmap.mmap(fd, 2 << 20, flags=mmap.MAP_SHARED)
shared[0] = 1
print(os.getpid(), flush=True)
time.sleep(120)
PY
holder=$!
i=0
while [ ! -s "$T/pid" ]; do
	i=$((i + 1))
	[ $i -le 600 ] && kill -0 $holder 2>/dev/null || { fail "the holder did not start"; finish; }
	sleep 0.1
done
pid=$(cat "$T/pid")

run_memps ps -p "$pid" --json
expect_rc ps 0
"$MEMMAPS" -b -o pss,hugetlb "$pid" >"$T/maps.txt" 2>"$T/maps.err" || fail "memmaps -o pss,hugetlb"
"$MEMMAPS" --json "$pid" >"$T/maps.json" 2>"$T/maps.err" || fail "memmaps --json"
"$MEMOBJS" --json "$pid" >"$T/objs.json" 2>"$T/objs.err" || fail "memobjs --json"
"$PYTHON3" - "$pid" "$T" "$mnt/buf" <<'PY' || fail "hugetlb figures and kinds"
import json, os, re, sys
pid, t, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
bad = []
# the expected values, from the kernel's own files, read now (the holder is idle)
def fields(text):
    return {m.group(1): int(m.group(2)) * 1024 for m in re.finditer(r"^(\w+):\s+(\d+) kB$", text, re.M)}
roll = fields(open("/proc/%d/smaps_rollup" % pid).read())
want = roll["Shared_Hugetlb"] + roll["Private_Hugetlb"]
if want != 18 << 20:
    bad.append("the kernel reports %d bytes of huge pages, expected 18 MiB (16 private + 2 shared)" % want)
p = json.load(open(os.path.join(t, "ps.out")))["processes"][0]
if p["hugetlb_bytes"] != want:
    bad.append("memps hugetlb_bytes %r, expected %d" % (p["hugetlb_bytes"], want))
# Rss does not move while the holder is idle (Pss does, as other processes map its libraries)
if p["rss_bytes"] != roll["Rss"]:
    bad.append("memps rss_bytes %r, expected %d (huge pages are not in it)" % (p["rss_bytes"], roll["Rss"]))
# memmaps: the two mappings, their kind and their hugetlb tag
text = open(os.path.join(t, "maps.txt")).read()
for name, size in (("/anon_hugepage", 16 << 20), (path, 2 << 20)):
    rows = [l for l in text.split("\n") if l.startswith("M") and ("'%s" % name) in l]
    # PSS 0 (not in it), then the huge pages
    if (len(rows) != 1 or not re.search(r" 0:pss +%d:hugetlb '" % size, rows[0])
            or not rows[0].endswith(" hugetlb")):
        bad.append("memmaps: no mapping of %s with %d:hugetlb and kind hugetlb: %r" % (name, size, rows))
doc = json.load(open(os.path.join(t, "maps.json")))
kinds = {m["name"]: m["kind"] for m in doc["processes"][0]["mappings"]}
huge = {m["name"]: m["hugetlb_bytes"] for m in doc["processes"][0]["mappings"]}
if huge.get("/anon_hugepage (deleted)", huge.get("/anon_hugepage")) != 16 << 20 or huge.get(path) != 2 << 20:
    bad.append("memmaps --json: hugetlb_bytes %r" % {k: v for k, v in huge.items() if v})
if doc["processes"][0]["totals"]["hugetlb_bytes"] != want:
    bad.append("memmaps --json: totals hugetlb_bytes %r, expected %d" % (doc["processes"][0]["totals"]["hugetlb_bytes"], want))
for name in ("/anon_hugepage (deleted)", path):
    if kinds.get(name, kinds.get(name.replace(" (deleted)", ""))) != "hugetlb":
        bad.append("memmaps --json: %s has kind %r" % (name, kinds.get(name)))
objs = json.load(open(os.path.join(t, "objs.json")))
okinds = {o["name"]: o["kind"] for pr in objs["processes"] for o in pr["objects"]}
if okinds.get(path) != "hugetlb":
    bad.append("memobjs: the hugetlbfs file has kind %r" % okinds.get(path))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
finish
