#!/bin/sh
# not-recorded.sh: a recording that lacks a process's memory files says "not recorded" (not vanished) in memps, memmaps and memobjs, as a directory and as a tar; a zombie says zombie (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

MEMMAPS=$top_builddir/memmaps
MEMOBJS=$top_builddir/memobjs
SNAP=$T/snap
# pid 1: smemcap's 0-byte smaps; 2: a `cp` without smaps or rollup; 3: the recorder's "EIO";
# 4: the recorder saw it go; 5: a zombie; 6: measured.
"$PYTHON3" - "$SNAP" <<'EOF'
import os, sys
root = sys.argv[1]
def put(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write(text)
put("meminfo", "MemTotal: 1000000 kB\n")
for pid, state in ((1, "S"), (2, "S"), (3, "S"), (4, "S"), (5, "Z"), (6, "S")):
    put("%d/stat" % pid, "%d (p%d) %s 0 %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096000 25 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n" % (pid, pid, state, pid, pid))
    put("%d/status" % pid, "Name:\tp%d\nState:\t%s (x)\nTgid:\t%d\nPPid:\t0\nUid:\t0\t0\t0\t0\n" % (pid, state, pid))
put("1/smaps", "")
put("3/memcap.errors", "smaps_rollup EIO\nsmaps EIO\n")
put("4/memcap.errors", "smaps_rollup ESRCH\nsmaps ESRCH\n")
put("5/smaps", "")
put("6/smaps", "00400000-00401000 r-xp 00000000 08:01 12 /bin/p6\nSize:                  4 kB\nRss:                   4 kB\nPss:                   4 kB\n"
    "Shared_Clean:          0 kB\nShared_Dirty:          0 kB\nPrivate_Clean:         4 kB\nPrivate_Dirty:         0 kB\n")
EOF
make_tar "$SNAP" "$T/snap.tar"

for src in "$SNAP" "$T/snap.tar"; do
	run_memps json -S "$src" --json
	expect_rc json 0
	"$PYTHON3" - "$T/json.out" <<'EOF' || fail "memps -S $src --json: states"
import json, sys
d = json.load(open(sys.argv[1]))
got = {p["pid"]: (p["state"], p["error"]) for p in d["processes"]}
want = {1: ("unreadable", "not_recorded"), 2: ("unreadable", "not_recorded"), 3: ("unreadable", "EIO"),
        4: ("vanished", "ESRCH"), 5: ("zombie", None), 6: ("ok", None)}
bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
if bad or d["zombies"] != 1 or d["vanished"] != 1 or d["unreadable"] != 3:
    print("got %r, counts %r" % (bad, (d["unreadable"], d["vanished"], d["zombies"])))
    sys.exit(1)
if d["totals"]["pss_bytes"] != 4096 or d["totals"]["processes"] != 1:
    print("totals %r" % d["totals"])
    sys.exit(1)
EOF
	run_memps text -S "$src" -t none
	expect_rc text 0
	for want in "p:1 .*\[unreadable: not recorded\]" "p:2 .*\[unreadable: not recorded\]" "p:3 .*\[unreadable: EIO\]" \
		"p:4 .*\[vanished\]" "p:5 .*\[zombie\]"; do
		grep -q "^$want\$" "$T/text.out" || fail "memps -S $src: no row '$want'"
	done
	grep -qx "memps: 3 processes unreadable (2 not recorded, 1 EIO), 1 vanished, 1 zombie; totals exclude them" "$T/text.err" ||
		fail "memps -S $src: summary: $(cat "$T/text.err")"

	"$MEMMAPS" -S "$src" 2 5 >"$T/maps.out" 2>"$T/maps.err"
	RC=$?
	no_crash maps "$RC" "$T/maps.err"
	expect_rc maps 0
	grep -q "^/A - 'proc:2 p2' \[unreadable: not recorded\]\$" "$T/maps.out" || fail "memmaps -S $src: $(cat "$T/maps.out")"
	grep -q "^/A - 'proc:5 p5' \[zombie\]\$" "$T/maps.out" || fail "memmaps -S $src: no zombie: $(cat "$T/maps.out")"

	"$MEMOBJS" -S "$src" --json 1 >"$T/objs.out" 2>"$T/objs.err"
	RC=$?
	no_crash objs "$RC" "$T/objs.err"
	expect_rc objs 0
	"$PYTHON3" -c 'import json, sys
p = json.load(open(sys.argv[1]))["processes"][0]
sys.exit(0 if (p["pid"], p["state"], p["error"]) == (1, "unreadable", "not_recorded") else 1)' "$T/objs.out" ||
		fail "memobjs -S $src: $(head -c 300 "$T/objs.out")"
done
finish
