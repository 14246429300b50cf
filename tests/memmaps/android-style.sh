#!/bin/sh
# android-style.sh: memps, memmaps and memobjs over fixtures/android-style (Name: lines in some smaps records, ashmem, dmabuf, dalvik and scudo names) vs independent models of the raw files (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps
MEMMAPS=${MEMMAPS:-$top_builddir/memmaps}
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
HERE=$top_srcdir/tests/memmaps
dir=$FIXTURES/android-style

# The fixture is what its generator writes (README): regenerate it and compare byte for byte.
mkdir -p "$T/regen"
"$PYTHON3" "$dir/make.py" "$T/regen" || fail "make.py"
for f in $(cd "$T/regen" && find . -type f | sort); do
	cmp -s "$T/regen/$f" "$dir/$f" || fail "fixtures/android-style/$f differs from what make.py writes"
done
# Issue 8, item 1: the first record of these processes has a Name: line and the last has none.
for pid in 612 1100 1900; do
	[ "$(sed -n 2p "$dir/$pid/smaps" | cut -c1-5)" = "Name:" ] || fail "$pid: the first record has no Name: line"
	last=$(grep -n '^[0-9a-f]*-[0-9a-f]* ' "$dir/$pid/smaps" | tail -1 | cut -d: -f1)
	[ "$(sed -n "$((last + 1))p" "$dir/$pid/smaps" | cut -c1-5)" = "Size:" ] || fail "$pid: the last record has a Name: line"
done
pids=$(ls "$dir" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')

# memps: every figure against expect.py; nothing on stderr (no process taken for cut short)
run_memps ps -S "$dir" --json
expect_rc ps 0
[ -s "$T/ps.err" ] && fail "memps: stderr: $(head -3 "$T/ps.err")"
"$PYTHON3" "$top_srcdir/tests/memps/check-json.py" "$dir" "$T/ps.out" "$dir" || fail "memps --json"

# memmaps: JSON and text against expect_maps.py
# shellcheck disable=SC2086
"$MEMMAPS" -S "$dir" --json $pids >"$T/maps.json" 2>"$T/maps.err"
RC=$?
no_crash maps "$RC" "$T/maps.err"
[ "$RC" = 0 ] && [ ! -s "$T/maps.err" ] || fail "memmaps --json: exit $RC: $(head -3 "$T/maps.err")"
# shellcheck disable=SC2086
"$PYTHON3" "$HERE/check-json.py" "$dir" "$T/maps.json" $pids || fail "memmaps --json"
for mode in tree flat; do
	f=
	[ "$mode" = flat ] && f=--flat
	# shellcheck disable=SC2086
	"$MEMMAPS" -S "$dir" -b $f -o sz,res,pss,swap,hugetlb $pids >"$T/maps-$mode.txt" 2>"$T/maps.err" ||
		fail "memmaps $f"
	# shellcheck disable=SC2086
	EXPECT_ASCII=1 "$PYTHON3" "$HERE/check-text.py" "$mode" "$dir" "$T/maps-$mode.txt" sz,res,pss,swap,hugetlb bytes $pids ||
		fail "memmaps $mode"
done

# memobjs: every object of every process, and the all view, against a model of the raw files
# shellcheck disable=SC2086
"$MEMOBJS" -S "$dir" --json $pids >"$T/objs.json" 2>"$T/objs.err" || fail "memobjs PID...: $(head -3 "$T/objs.err")"
"$MEMOBJS" -S "$dir" --json >"$T/objs-all.json" 2>"$T/objs.err" || fail "memobjs: $(head -3 "$T/objs.err")"
[ -s "$T/objs.err" ] && fail "memobjs: stderr: $(head -3 "$T/objs.err")"
# Read as if live: memobjs's reading threads and memmaps's chunk reader parse smaps as it arrives; the
# same documents as the single-threaded read of the directory (source aside).
"$MEMOBJS" --proc-root "$dir" --json >"$T/objs-live.json" 2>"$T/objs.err" || fail "memobjs --proc-root"
# shellcheck disable=SC2086
"$MEMMAPS" --proc-root "$dir" --json $pids >"$T/maps-live.json" 2>"$T/maps.err" || fail "memmaps --proc-root"
"$PYTHON3" - "$T" <<'PY' || fail "--proc-root reads differ from -S"
import json, os, sys
t = sys.argv[1]
for a, b in (("objs-all.json", "objs-live.json"), ("maps.json", "maps-live.json")):
    x, y = (json.load(open(os.path.join(t, f))) for f in (a, b))
    x.pop("source", None)
    y.pop("source", None)
    if x != y:
        print("%s and %s differ in %r" % (a, b, [k for k in x if x[k] != y.get(k)]))
        sys.exit(1)
PY
"$PYTHON3" - "$HERE" "$dir" "$T" <<'PY' || fail "memobjs over android-style"
import json, os, sys
sys.path.insert(0, sys.argv[1])
import expect_maps as X
snap, t = sys.argv[2], sys.argv[3]
bad = []
pids = X.pids_with_smaps(snap)
maps = {pid: X.load(snap, pid)[0] for pid in pids}
sharers = {}
for pid, ms in maps.items():
    for m in ms:
        if m["inode"]:
            sharers.setdefault((m["dev"], m["inode"]), set()).add(pid)


def model(pid_list):
    objs = {}
    for pid in pid_list:
        for m in maps[pid]:
            key = (m["dev"], m["inode"]) if m["inode"] else (pid, m["start"])
            o = objs.setdefault(key, {"maps": 0, "Rss": 0, "Pss": 0, "Swap": 0, "kind": X.kind(m),
                                      "name": m["name"].decode(), "pids": sharers.get(key, {pid})})
            o["maps"] += 1
            for f in ("Rss", "Pss", "Swap"):
                o[f] += m["fields"][f]
    return objs


def key(o, pid):
    return (o["dev"], o["inode"]) if o["inode"] else (pid, o["anon_start"])


def compare(where, got, want):
    for k, w in want.items():
        g = got.get(k)
        if g is None:
            bad.append("%s: object %r missing" % (where, k))
            continue
        for a, b in (("maps", "maps"), ("alloc_bytes", "Rss"), ("pss_bytes", "Pss"), ("swap_bytes", "Swap"),
                     ("kind", "kind"), ("name", "name")):
            if g[a] != w[b]:
                bad.append("%s: object %r: %s %r, expected %r" % (where, k, a, g[a], w[b]))
        if g["sharer_pids"] != sorted(w["pids"]) or g["sharers_partial"]:
            bad.append("%s: object %r: sharers %r, expected %r" % (where, k, g["sharer_pids"], sorted(w["pids"])))
    if set(got) != set(want):
        bad.append("%s: objects %r more, %r fewer" % (where, set(got) - set(want), set(want) - set(got)))


doc = json.load(open(os.path.join(t, "objs.json")))
for p in doc["processes"]:
    compare("pid %d" % p["pid"], {key(o, p["pid"]): o for o in p["objects"]}, model([p["pid"]]))
alldoc = json.load(open(os.path.join(t, "objs-all.json")))
compare("all", {key(o, o["sharer_pids"][0]): o for o in alldoc["objects"]}, model(pids))
# what the fixture is about: each Android name recognised, the shared ones shared
kinds = {}
for o in alldoc["objects"]:
    kinds.setdefault(o["kind"], []).append(o)
for kind, name, n in (("dmabuf", "/dmabuf:", 2), ("ashmem", "/dev/ashmem/CursorWindow", 2),
                      ("anon-named", "[anon:dalvik-main space]", 1), ("anon-named", "[anon:scudo:primary]", 1)):
    if not any(o["name"].startswith(name) and o["sharers"] == n for o in kinds.get(kind, [])):
        bad.append("no %s object %r with %d sharers" % (kind, name, n))
for b in bad[:40]:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
finish
