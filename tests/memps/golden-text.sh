#!/bin/sh
# golden-text.sh: memps text views over the recorded fixtures, every number checked by check-text.py (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

# pid_of FIXTURE COMM: the first pid whose stat has this comm.
pid_of() {
	for f in "$1"/[0-9]*/stat; do
		case $(cat "$f") in
		*"($2)"*) d=${f%/stat}; echo "${d##*/}"; return ;;
		esac
	done
}

n=0
# check FIXTURE ARGS...: runs memps -S FIXTURE ARGS and checks the text.
check() {
	fx=$1
	shift
	n=$((n + 1))
	run_memps "text$n" -S "$FIXTURES/$fx" "$@"
	expect_rc "text$n" 0
	"$PYTHON3" "$MEMPS_TESTDIR/check-text.py" "$FIXTURES/$fx" "$T/text$n.out" -- "$@" || {
		fail "$fx: memps $*"
		sed 's/^/  | /' "$T/text$n.out" | head -40
	}
}

ALL=pss,rss,uss,swap,swap_pss,pss_anon,pss_file,pss_shmem,pss_dirty,private_clean,private_dirty,shared_clean,shared_dirty,vss,pid,ppid

for fx in debian12-workload smemcap-style; do
	wl=$(pid_of "$FIXTURES/$fx" workload)
	cow=$(pid_of "$FIXTURES/$fx" wl-cow)
	check "$fx"
	check "$fx" --bytes
	check "$fx" --units=k
	check "$fx" --tree=none
	check "$fx" --tree=none -r
	check "$fx" --tree=parent --bytes
	check "$fx" --group=user
	check "$fx" --group=program
	check "$fx" -o "$ALL" --bytes
	check "$fx" -o PSS,Private,USER
	check "$fx" -s rss --tree=none -o rss,pss
	check "$fx" -p "$wl,$cow"
	if [ -f "$FIXTURES/$fx/passwd" ]; then check "$fx" -U root; else check "$fx" -U 0; fi
	check "$fx" '^wl'
	check "$fx" -k --tree=none
	# CMDLINE values (not only their shape) and the blank cells of sum rows
	check "$fx" -o pss,cmdline
	check "$fx" --tree=none -o cmdline,pss,user
	check "$fx" --tree=parent -o pss,cmdline,shared
	check "$fx" --group=program -o pss,shared,rss,pid,cmdline
	check "$fx" --group=user -o rss,uss,vss
	# kernel threads are counted in sums, never summed: a sum of kernel threads only is blank
	check "$fx" -k --tree=parent
	check "$fx" -k --group=program
	check "$fx" -k
done
check debian12-workload -U nobody
check debian12-workload --cgroup=/memps-fixture/workload
check debian12-workload --cgroup=/memps-fixture --bytes

# The header and "TOTAL" match exactly, and the first line is the header.
run_memps head -S "$FIXTURES/debian12-workload"
head -1 "$T/head.out" | grep -Eq '^TASK +PSS PRIVATE  SHARED NAME$' ||
	fail "header line: $(head -1 "$T/head.out")"

# `memps | head -1` exits cleanly.
"$MEMPS" -S "$FIXTURES/debian12-workload" 2>"$T/pipe.err" | head -1 >/dev/null
no_crash pipe 0 "$T/pipe.err"
if grep -qi -e "broken pipe" -e "write error" -e "error writing" "$T/pipe.err"; then
	fail "memps | head -1 complained: $(head -3 "$T/pipe.err")"
fi
finish
