#!/bin/sh
# many-rows.sh: a recording of 6 000 processes, whose table two threads build and draw a piece each in turn, checked by check-text.py with every size column aligned on every row (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

# 6 000 copies of twenty processes of a recorded fixture, in twenty cgroups: 4 616 processes shown, ten
# pieces of 512 rows (render-ps.c draws the odd ones on a helper thread), the TOTAL row in the helper's
# last piece.
dir=$T/many
"$PYTHON3" - "$FIXTURES/debian12-workload" "$dir" <<'PY' || fail "cannot make the recording"
import os, re, shutil, sys
src, dst = sys.argv[1:3]
os.makedirs(dst)
pids = []
for name in sorted(os.listdir(src)):
    p = os.path.join(src, name)
    if not name.isdigit():
        (shutil.copytree if os.path.isdir(p) else shutil.copy2)(p, os.path.join(dst, name))
    elif int(name) > 2 and len(pids) < 20:
        pids.append(p)
for i in range(6000):
    d = os.path.join(dst, str(100 + i))
    shutil.copytree(pids[i % len(pids)], d, symlinks=True)
    stat = os.path.join(d, "stat")
    if os.path.exists(stat):
        text = open(stat, "rb").read()
        open(stat, "wb").write(re.sub(rb"^\d+ ", b"%d " % (100 + i), text))
    if os.path.exists(os.path.join(d, "cgroup")):
        open(os.path.join(d, "cgroup"), "w").write("0::/system.slice/job%d.service\n" % (i // 300))
PY

n=0
for args in "" "-t none --bytes" "-t parent -o pss,uss,rss,pid"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	run_memps "many$n" -S "$dir" $args
	expect_rc "many$n" 0
	# shellcheck disable=SC2086
	"$PYTHON3" "$MEMPS_TESTDIR/check-text.py" "$dir" "$T/many$n.out" -- $args || fail "memps $args"
	# every size cell ends where its title does, on every row: both threads padded to the same widths
	"$PYTHON3" - "$T/many$n.out" <<'PY' || fail "memps $args: columns not aligned"
import re, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
ends = [m.end() for m in re.finditer(r"\S+", lines[0])][1:3]
bad = [l for l in lines[1:] if l and [m.end() for m in re.finditer(r"\S+", l)][1:3] != ends]
if bad:
    print("%d rows not aligned with the header, first: %r" % (len(bad), bad[0]))
    sys.exit(1)
PY
done
finish
