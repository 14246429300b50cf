#!/bin/sh
# bad-input.sh: garbled sysvipc/shm, maps going backwards or overlapping, cut files, a 1 MB name: clear errors, exit 3, no crash (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }
FIX=$FIXTURES/debian12-workload

# run NAME WANT_RC ARGS...: stdout/stderr in $T/NAME.{out,err}; checks the status and that nothing crashed.
run() {
	name=$1 want=$2
	shift 2
	"$MEMOBJS" "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	[ "$rc" -lt 128 ] || fail "$name: died with status $rc"
	if grep -q -e AddressSanitizer -e 'runtime error' "$T/$name.err"; then
		fail "$name: sanitizer report"
	fi
	[ "$rc" -eq "$want" ] || { fail "$name: exit $rc, want $want"; sed 's/^/  stderr: /' "$T/$name.err" | head -5; }
}

# expect_err NAME TEXT: stderr names the problem
expect_err() {
	grep -qF -- "$2" "$T/$1.err" || { fail "$1: stderr lacks '$2'"; sed 's/^/  stderr: /' "$T/$1.err" | head -5; }
}

# A pid with readable smaps, and another one (its sharer).
TARGET=
OTHER=
for d in "$FIX"/[0-9]*; do
	p=${d##*/}
	[ -s "$d/smaps" ] && [ ! -s "$d/memcap.errors" ] || continue
	if [ -z "$TARGET" ]; then TARGET=$p; elif [ -z "$OTHER" ]; then OTHER=$p; fi
done
[ -n "$TARGET" ] && [ -n "$OTHER" ] || { echo "FAIL: fixture lacks two readable processes"; exit 1; }

fresh() {
	rm -rf "$T/snap"
	cp -a "$FIX" "$T/snap"
}

# 1. garbled sysvipc/shm: a word in a number column, a short row, a cut last line, no header, rss without swap
fresh
sed '2s/ 600 / 6x0 /' "$FIX/sysvipc/shm" >"$T/snap/sysvipc/shm"
run shm-word 3 -S "$T/snap" --hidden
expect_err shm-word "sysvipc/shm: line 2: perms"
fresh
sed '3s/ [0-9]* *$//' "$FIX/sysvipc/shm" >"$T/snap/sysvipc/shm"
run shm-short 3 -S "$T/snap" --hidden
expect_err shm-short "line 3:"
fresh
head -c -1 "$FIX/sysvipc/shm" >"$T/snap/sysvipc/shm"
run shm-cut 3 -S "$T/snap" --hidden
expect_err shm-cut "no newline"
fresh
: >"$T/snap/sysvipc/shm"
run shm-empty 3 -S "$T/snap" --hidden
expect_err shm-empty "no header"
fresh
sed '1s/ swap$//' "$FIX/sysvipc/shm" >"$T/snap/sysvipc/shm"
run shm-half 3 -S "$T/snap" --hidden
expect_err shm-half "rss"
fresh
printf '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n         0         12   600  18446744073709551615     1     0      0     0     0     0     0          0          0          0\n' >"$T/snap/sysvipc/shm"
run shm-old 0 -S "$T/snap" --hidden --json
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
h = d["hidden"]
assert len(h) == 1 and h[0]["size_bytes"] == 2**64 - 1 and h[0]["alloc_bytes"] is None and h[0]["swap_bytes"] is None, h
' "$T/shm-old.out" || fail "shm-old: an old kernel's file (no rss/swap) at 2^64-1 is not shown as unknown rss"

# 2. a maps line going backwards in another process: the sharer count is flagged, exit 3
fresh
awk 'NR == 2 { split($1, a, "-"); $1 = a[2] "-" a[1] } { print }' "$FIX/$OTHER/maps" >"$T/snap/$OTHER/maps"
run maps-back 3 -S "$T/snap" "$TARGET"
expect_err maps-back "$OTHER/maps: line 2: address range goes backwards"
grep -q "p:$TARGET" "$T/maps-back.out" || fail "maps-back: the target's objects are not shown"

# 3. overlapping mappings in the target's smaps (the all view reads smaps): exit 3, named
fresh
awk 'NR == 1 { print; next } /^[0-9a-f]+-[0-9a-f]+ / && !done { n++; if (n == 1) { split($1, a, "-"); keep = a[1] } else if (n == 2) { split($1, b, "-"); sub(/^[0-9a-f]+-/, keep "-"); done = 1 } } { print }' \
	"$FIX/$TARGET/smaps" >"$T/snap/$TARGET/smaps"
run smaps-overlap 3 -S "$T/snap" "$TARGET"
expect_err smaps-overlap "$TARGET/smaps: line"

# 4. smaps cut mid-record and a maps file cut mid-line
fresh
head -c 700 "$FIX/$TARGET/smaps" >"$T/snap/$TARGET/smaps"
run smaps-cut 3 -S "$T/snap" "$TARGET"
expect_err smaps-cut "$TARGET/smaps"
fresh
head -c 100 "$FIX/$OTHER/maps" >"$T/snap/$OTHER/maps"
run maps-cut 3 -S "$T/snap" "$TARGET"
expect_err maps-cut "$OTHER/maps: line"

# 5. a 1 MB name in a maps line: counted, shown, no crash; in the smaps of the lowest pid that maps
#    the object, it is the object's name in the all view, whole
fresh
"$PYTHON3" -c '
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
lines[0] = lines[0].rstrip() + b"/" + b"n" * (1 << 20)
open(sys.argv[2], "wb").write(b"\n".join(lines))
' "$FIX/$OTHER/maps" "$T/snap/$OTHER/maps"
run huge-name 0 -S "$T/snap" "$TARGET" --json
# The sharers of every object of the target, counted here from the maps files (dev:inode, the huge
# line's included), are the ones memobjs gives.
"$PYTHON3" -c '
import json, os, sys
snap, target, other = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = json.load(open(sys.argv[4]))
sharers = {}
for p in os.listdir(snap):
    try:
        data = open(os.path.join(snap, p, "maps"), "rb").read()
    except OSError:
        continue
    for l in data.split(b"\n"):
        w = l.split(None, 5)
        if w and not (w[3] == b"00:00" and w[4] == b"0"):
            sharers.setdefault("f:%s:%s" % (w[3].decode(), w[4].decode()), set()).add(int(p))
first = open(os.path.join(snap, str(other), "maps"), "rb").read().split(b"\n", 1)[0].split(None, 5)
big = "f:%s:%s" % (first[3].decode(), first[4].decode())
objs = {o["id"]: o for o in d["processes"][0]["objects"]}
assert big in objs, "the target does not map %s" % big
assert other in objs[big]["sharer_pids"], (big, objs[big]["sharer_pids"])
for i, o in objs.items():
    if not i.startswith("a:"):
        assert o["sharer_pids"] == sorted(sharers[i]), (i, o["sharer_pids"], sorted(sharers[i]))
' "$T/snap" "$TARGET" "$OTHER" "$T/huge-name.out" || fail "huge-name: sharers differ from the maps files"
"$PYTHON3" -c '
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
lines[0] = lines[0].rstrip() + b"/" + b"n" * (1 << 20)
open(sys.argv[2], "wb").write(b"\n".join(lines))
' "$FIX/$TARGET/smaps" "$T/snap/$TARGET/smaps"
run huge-name-all 0 -S "$T/snap" --json
"$PYTHON3" -c '
import json, sys
d = json.load(open(sys.argv[1]))
name = open(sys.argv[2], "rb").read().split(b"\n", 1)[0].split(None, 5)[5].decode()
assert len(name) > 1 << 20 and name.endswith("/" + "n" * (1 << 20))
hits = [o for o in d["objects"] if o["name"] == name]
assert len(hits) == 1 and hits[0]["sharer_pids"][0] == int(sys.argv[3]), [(o["id"], o["sharer_pids"]) for o in hits]
' "$T/huge-name-all.out" "$T/snap/$TARGET/smaps" "$TARGET" || fail "huge-name-all: the 1 MB name is not the object name, whole"

# 6. a field line before any header in smaps
fresh
{ echo "Rss:                   4 kB"; cat "$FIX/$TARGET/smaps"; } >"$T/snap/$TARGET/smaps"
run smaps-headless 3 -S "$T/snap" "$TARGET"
expect_err smaps-headless "$TARGET/smaps: line 1"
finish
