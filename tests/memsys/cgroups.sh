#!/bin/sh
# cgroups.sh: memsys --cgroups: a made-up cgroup tree beside a recording (--proc-root) checked exactly against its raw files, hostile and unreadable files, recordings refused, and the live cgroup v2 filesystem with the workload in a scratch cgroup, as root and as an unprivileged user (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/common/workload.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps
CHECK="$top_srcdir/tests/memsys/check-cgroups.py"

# --proc-root DIR reads DIR/../sys/fs/cgroup: a tree made up beside debian12-workload (odd names, a link
# where a cgroup and where a file belongs, an old kernel's memory.stat, negative terms, a cgroup no
# process is in).
"$PYTHON3" "$CHECK" mktree "$FIXTURES/debian12-workload" "$T/root" || fail "mktree"
run_memps tree --cgroups --proc-root "$T/root/proc" --json
expect_rc tree 0
"$PYTHON3" "$CHECK" tree "$T/root" "$T/tree.out" || fail "tree: the JSON disagrees with the raw files"
# The live check's oracle on a made-up cgroup: the row against its files and against memps --json.
"$top_builddir/memps" --proc-root "$T/root/proc" --json --cgroup /system.slice/cron.service >"$T/tree-ps.json" ||
	fail "memps --cgroup over the tree"
"$PYTHON3" "$CHECK" live "$T/tree.out" "$T/root/sys/fs/cgroup/system.slice/cron.service" "$T/tree-ps.json" ||
	fail "tree: cron.service against memps"
run_memps tree-text --cgroups --proc-root "$T/root/proc"
expect_rc tree-text 0
grep -q "$(printf '\033')" "$T/tree-text.out" && fail "tree-text: a raw ESC byte reached the terminal"
grep -q 'evil\\x1b\[31m' "$T/tree-text.out" || fail "tree-text: the ESC in a cgroup name is not shown escaped"
grep -q '/user.slice/user-1000.slice \[memory.stat: ELOOP\]' "$T/tree-text.out" || fail "tree-text: a linked memory.stat not noted"
grep -E -q '^ +evil.* -[0-9.]+M +[0-9.]+k ' "$T/tree-text.out" || fail "tree-text: a negative other not shown signed"
run_memps tree-csv --cgroups --proc-root "$T/root/proc" --csv
expect_rc tree-csv 0
[ "$(wc -l <"$T/tree-csv.out")" -eq 11 ] || fail "tree-csv: not a header and ten rows"
grep -q '^"user-1000.slice",2,671109120,,,,,,,[0-9]*,0,,,2,0,' "$T/tree-csv.out" ||
	fail "tree-csv: the row of a cgroup whose memory.stat is a link"

# A hostile memory.stat: exit 3, the file and line named, the other rows still written.
printf 'anon 12x\n' >"$T/root/sys/fs/cgroup/system.slice/cron.service/memory.stat"
run_memps bad --cgroups --proc-root "$T/root/proc" --json
expect_rc bad 3
grep -q 'cron.service/memory.stat: line 1: anon' "$T/bad.err" || fail "bad: message: $(cat "$T/bad.err")"
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); r=[c for c in d["cgroups"] if c["path"].endswith("cron.service")][0]; sys.exit(not (r["stat_error"] == "malformed" and r["anon_bytes"] is None and r["current_bytes"]))' \
	"$T/bad.out" || fail "bad: the row does not say malformed"

# No cgroup filesystem beside the --proc-root; a recording (directory, tar): not recorded, exit 1.
run_memps noroot --cgroups --proc-root "$FIXTURES/debian12-workload"
expect_rc noroot 1
grep -q 'sys/fs/cgroup' "$T/noroot.err" || fail "noroot: message: $(cat "$T/noroot.err")"
run_memps rec --cgroups -S "$FIXTURES/debian12-workload"
expect_rc rec 1
grep -q 'a recording holds no cgroup files' "$T/rec.err" || fail "rec: message: $(cat "$T/rec.err")"
make_tar "$FIXTURES/debian12-workload" "$T/rec.tar"
run_memps rectar --cgroups -S "$T/rec.tar"
expect_rc rectar 1
grep -q 'a recording holds no cgroup files' "$T/rectar.err" || fail "rectar: message: $(cat "$T/rectar.err")"
run_memps usage --cgroups --explain
expect_rc usage 2
run_memps usage2 --cgroups -n 2
expect_rc usage2 2

# Live.  Where the cgroup v2 root (mounted at its root) offers no memory controller (a v1 or hybrid
# host), memsys says so and exits 1; else a scratch cgroup below the v2 root holds the workload.
CG=$("$PYTHON3" -c '
for l in open("/proc/self/mountinfo"):
    f = l.split()
    s = f.index("-")
    if f[s + 1] == "cgroup2" and f[3] == "/":
        print(f[4]); break')
has_memory=no
[ -n "$CG" ] && grep -qw memory "$CG/cgroup.controllers" 2>/dev/null && has_memory=yes
need_test_user memps-memsys-test
bin=$(user_bin memps-memsys-test "$MEMPS") || exit 1
if [ "$has_memory" = no ]; then
	run_memps live-none --cgroups
	expect_rc live-none 1
	grep -q -e 'no memory controller in cgroup v2' -e 'no cgroup v2 filesystem' "$T/live-none.err" ||
		fail "live-none: message: $(cat "$T/live-none.err")"
	runuser -u memps-memsys-test -- "$bin" --cgroups >"$T/user.out" 2>"$T/user.err"
	[ $? -eq 1 ] || fail "unprivileged: not exit 1 without a v2 memory controller"
	echo "note: no memory controller in cgroup v2 here: the live workload case did not run"
	finish
fi
grep -qw memory "$CG/cgroup.subtree_control" || echo +memory >"$CG/cgroup.subtree_control" ||
	fail "cannot enable the memory controller below $CG"
SCRATCH="$CG/memsys-test.$$"
mkdir "$SCRATCH" || { fail "cannot make $SCRATCH"; finish; }
home=$(sed -n 's/^0:://p' /proc/self/cgroup)
echo $$ >"$SCRATCH/cgroup.procs" || fail "cannot move the test into $SCRATCH"
start_workload
echo $$ >"$CG$home/cgroup.procs" 2>/dev/null || echo $$ >"$CG/cgroup.procs"
trap 'stop_workload >/dev/null 2>&1; rmdir "$SCRATCH" 2>/dev/null; cleanup_tmp' EXIT
sleep 0.5
"$top_builddir/memps" --json --cgroup "${SCRATCH#"$CG"}" >"$T/ps.json" 2>"$T/ps.err" || fail "memps: $(cat "$T/ps.err")"
run_memps live --cgroups --json
expect_rc live 0
"$PYTHON3" "$CHECK" live "$T/live.out" "$SCRATCH" "$T/ps.json" || fail "live: the row disagrees"
# Unprivileged: the memory files are world-readable; the workload's PSS is not (root's processes).
runuser -u memps-memsys-test -- "$bin" --cgroups --json >"$T/user.out" 2>"$T/user.err" ||
	fail "unprivileged: $(cat "$T/user.err")"
"$PYTHON3" - "$T/user.out" "${SCRATCH#"$CG"}" <<'PY' || fail "unprivileged: the scratch row"
import json, sys
r = [c for c in json.load(open(sys.argv[1]))["cgroups"] if c["path"] == sys.argv[2]][0]
assert r["current_bytes"] and r["anon_bytes"] is not None, r
assert r["processes_unreadable"] == r["processes"] > 0 and not r["pss_complete"], r
assert r["anon_gap_bytes"] is None and r["file_gap_bytes"] is None and r["current_minus_pss_bytes"] is None, r
PY
stop_workload || fail "workload"
rmdir "$SCRATCH" || fail "cannot remove $SCRATCH"
finish
