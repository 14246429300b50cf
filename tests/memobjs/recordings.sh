#!/bin/sh
# recordings.sh: memobjs PID on recordings made by other tools: smemcap's (smaps, no maps) counts sharers as the all view and an independent count do; an oversized maps is "file too large", exit 3 (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
SMEMCAP=$FIXTURES/smemcap-style

# 1. Every process of the smemcap-style recording, one at a time, as a directory and as a tar: each
#    object's sharers (from the smaps headers of every process, counted here) and PRIVATE/SHARED
#    match, and so does the all view.
tar -C "$SMEMCAP" -cf "$T/smemcap.tar" . || fail "tar"
"$PYTHON3" - "$MEMOBJS" "$SMEMCAP" "$T/smemcap.tar" <<'PY' || fail "smemcap-style sharers"
import json, os, subprocess, sys
memobjs, fix, tarfile = sys.argv[1], sys.argv[2], sys.argv[3]
bad = []
assert not any(os.path.exists(os.path.join(fix, d, "maps")) for d in os.listdir(fix)), "the fixture has maps files"
pids = sorted(int(d) for d in os.listdir(fix) if d.isdigit())
sharers, rss = {}, {}
for pid in pids:
    for line in open(os.path.join(fix, str(pid), "smaps"), "rb").read().decode().splitlines():
        w = line.split()
        if w and "-" in w[0] and not w[0].endswith(":"):
            start = int(w[0].split("-")[0], 16)
            anon = w[3] == "00:00" and w[4] == "0"
            key = "a:%d:%x" % (pid, start) if anon else "f:%s:%s" % (w[3], w[4])
            sharers.setdefault(key, set()).add(pid)
            cur = (pid, key)
        elif w and w[0] == "Rss:":
            rss[cur] = rss.get(cur, 0) + int(w[1]) * 1024
multi = [k for k, v in sharers.items() if len(v) > 1]
if len(multi) < 2:
    bad.append("fixture sanity: fewer than 2 shared objects: %s" % multi)
alldoc = json.loads(subprocess.run([memobjs, "-S", fix, "--json"], stdout=subprocess.PIPE, check=True).stdout)
allv = {o["id"]: o for o in alldoc["objects"]}
for src, pid in [(s, p) for s in (fix, tarfile) for p in pids]:
    p = subprocess.run([memobjs, "-S", src, "--json", str(pid)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        bad.append(os.path.basename(src) + ": pid %d: exit %d: %s" % (pid, p.returncode, p.stderr[:200]))
        continue
    doc = json.loads(p.stdout)
    if doc["sharers_partial"] or doc["unreadable_pids"]:
        bad.append(os.path.basename(src) + ": pid %d: partial %s, unreadable %s" % (pid, doc["sharers_partial"], doc["unreadable_pids"]))
    for o in doc["processes"][0]["objects"]:
        want = sorted(sharers.get(o["id"], ()))
        a = rss.get((pid, o["id"]), 0)
        if o["sharer_pids"] != want:
            bad.append(os.path.basename(src) + ": pid %d %s: sharers %s, want %s" % (pid, o["id"], o["sharer_pids"], want))
        if o["id"] in allv and allv[o["id"]]["sharer_pids"] != o["sharer_pids"]:
            bad.append(os.path.basename(src) + ": pid %d %s: sharers %s, the all view says %s" % (pid, o["id"], o["sharer_pids"], allv[o["id"]]["sharer_pids"]))
        wp, ws = (a, 0) if len(want) == 1 else (0, a)
        if (o["private_bytes"], o["shared_bytes"]) != (wp, ws):
            bad.append(os.path.basename(src) + ": pid %d %s: private/shared %s/%s, want %s/%s" % (pid, o["id"], o["private_bytes"], o["shared_bytes"], wp, ws))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY

# 2. The same recording with one sharer's smaps gone too: its mappings are unknown, so the counts are
#    partial (N+?), never a confident 1.
cp -a "$SMEMCAP" "$T/nosmaps"
rm "$T/nosmaps/24569/smaps"
"$MEMOBJS" -S "$T/nosmaps" --json 24565 >"$T/nosmaps.json" 2>"$T/nosmaps.err"
rc=$?
[ $rc -eq 0 ] || fail "nosmaps: exit $rc: $(head -3 "$T/nosmaps.err")"
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sharers_partial"] is True and 24569 in d["unreadable_pids"], (d["sharers_partial"], d["unreadable_pids"])
objs = d["processes"][0]["objects"]
shm = [o for o in objs if not o["id"].startswith("a:")]
assert shm and all(o["sharers_partial"] for o in shm), shm
one = [o for o in shm if o["sharers"] == 1]
assert one and all(o["private_bytes"] is None and o["shared_bytes"] is None for o in one), one
' "$T/nosmaps.json" || fail "nosmaps: a process whose mappings were not recorded does not make the counts partial"
grep -q "24569" "$T/nosmaps.err" || fail "nosmaps: stderr does not name pid 24569"

# 3. An oversized maps (300 MiB, sparse) in another process: "file too large", exit 3, as memps says.
FIX=$FIXTURES/debian12-workload
cp -a "$FIX" "$T/big"
truncate -s 300M "$T/big/24568/maps"
"$MEMOBJS" -S "$T/big" 24565 >"$T/big.out" 2>"$T/big.err"
rc=$?
[ $rc -eq 3 ] || fail "oversized maps: exit $rc, want 3: $(head -3 "$T/big.err")"
grep -q "24568/maps: file too large" "$T/big.err" || fail "oversized maps: stderr lacks '24568/maps: file too large': $(head -3 "$T/big.err")"
grep -q "p:24565" "$T/big.out" || fail "oversized maps: the target is not shown"

# 4. The recorder's own word for a maps it did not keep (memcap.errors: "maps EFBIG") is its reason,
#    not bad input here: exit 0, no "file too large" of ours, that process's mappings unknown.
cp -a "$FIX" "$T/said"
rm "$T/said/24568/maps"
echo "maps EFBIG" >"$T/said/24568/memcap.errors"
"$MEMOBJS" -S "$T/said" --json 24565 >"$T/said.json" 2>"$T/said.err"
rc=$?
[ $rc -eq 0 ] || fail "manifest EFBIG: exit $rc, want 0: $(head -3 "$T/said.err")"
grep -q "too large" "$T/said.err" && fail "manifest EFBIG: reported as our bad input: $(head -3 "$T/said.err")"
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sharers_partial"] is True and 24568 in d["unreadable_pids"], (d["sharers_partial"], d["unreadable_pids"])
' "$T/said.json" || fail "manifest EFBIG: pid 24568 is not counted as unknown"
finish
