#!/bin/sh
# shells.sh: memcap under busybox sh with busybox applets only, under mksh with toybox applets only, and under dash and bash, as a file and piped (sh -s), tar, own tar writer, gzip, directory: each capture read by memps, memmaps and memobjs says what /proc says of the workload (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memcap/lib-memcap.sh"
. "$top_srcdir/tests/common/workload.sh"
need_userlands
start_workload

# run_cap NAME PATHDIR SHELL ARGS...: runs memcap under SHELL with PATH=PATHDIR only, stdout in
# $T/NAME.out, stderr in $T/NAME.err, status in RC.  "-s" as the first ARG pipes the script in.
run_cap() {
	rc_name=$1 rc_path=$2 rc_sh=$3
	shift 3
	if [ "$1" = -s ]; then
		shift
		env -i PATH="$rc_path" "$rc_sh" -s -- "$@" <"$MEMCAP" >"$T/$rc_name.out" 2>"$T/$rc_name.err"
	else
		env -i PATH="$rc_path" "$rc_sh" "$MEMCAP" "$@" >"$T/$rc_name.out" 2>"$T/$rc_name.err"
	fi
	RC=$?
	if [ "$RC" -ne 0 ] || [ -s "$T/$rc_name.err" ]; then
		fail "$rc_name: exit $RC"
		sed 's/^/  stderr: /' "$T/$rc_name.err" | head -5
	fi
}

for ul in bb tb; do
	if [ $ul = bb ]; then sh=$BUSYBOX; set -- sh; else sh=$MKSH; set --; fi
	# busybox's shell is "busybox sh": a wrapper script keeps run_cap's one SHELL word.
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$sh" "$*" >"$T/$ul-sh"
	chmod 755 "$T/$ul-sh"
	SH=$T/$ul-sh

	# shellcheck disable=SC2086
	{ live_before; run_cap $ul-file "$T/$ul" "$SH" -o "$T/$ul-dir" $WL_PIDS; }
	[ -s "$T/$ul-file.out" ] && fail "$ul-file: output on stdout with -o"
	capture_check $ul-file "$T/$ul-dir"

	# shellcheck disable=SC2086
	{ live_before; run_cap $ul-pipe "$T/$ul" "$SH" -s $WL_PIDS; }
	capture_check $ul-pipe "$T/$ul-pipe.out"

	# No tar applet: memcap writes the stream itself; GNU tar must read it without a complaint.
	# shellcheck disable=SC2086
	{ live_before; run_cap $ul-own "$T/$ul-notar" "$SH" -s $WL_PIDS; }
	tar -tvf "$T/$ul-own.out" >"$T/$ul-own.list" 2>"$T/$ul-own.tarerr" && [ ! -s "$T/$ul-own.tarerr" ] ||
		fail "$ul-own: GNU tar: $(head -3 "$T/$ul-own.tarerr")"
	grep -q "^-rw-r--r-- 0/0 .* $WL_PID/smaps_rollup\$" "$T/$ul-own.list" ||
		fail "$ul-own: no $WL_PID/smaps_rollup member: $(head -3 "$T/$ul-own.list")"
	capture_check $ul-own "$T/$ul-own.out"
	# The file as the tar applet would have written it: same members, same contents.
	mkdir "$T/$ul-own.x" "$T/$ul-pipe.x"
	tar -xf "$T/$ul-own.out" -C "$T/$ul-own.x" && tar -xf "$T/$ul-pipe.out" -C "$T/$ul-pipe.x" ||
		fail "$ul-own: cannot extract"
	(cd "$T/$ul-own.x" && find . -type f | sort) >"$T/$ul-own.files"
	(cd "$T/$ul-pipe.x" && find . -type f | sort) >"$T/$ul-pipe.files"
	cmp -s "$T/$ul-own.files" "$T/$ul-pipe.files" ||
		fail "$ul-own: members differ from the tar applet's: $(diff "$T/$ul-own.files" "$T/$ul-pipe.files" | head -5)"
done

# dash and bash with the system's GNU tools, piped (as `ssh host sh -s < memcap` runs it) and as a file.
for sh in dash bash; do
	shp=$(command -v $sh) || { fail "$sh: not installed"; continue; }
	# shellcheck disable=SC2086
	{ live_before; run_cap $sh-pipe "$PATH" "$shp" -s $WL_PIDS; }
	capture_check $sh-pipe "$T/$sh-pipe.out"
	# shellcheck disable=SC2086
	{ live_before; run_cap $sh-file "$PATH" "$shp" -o "$T/$sh-dir" $WL_PIDS; }
	capture_check $sh-file "$T/$sh-dir"
done

# -z: busybox has gzip; Debian's toybox has none, which memcap says (exit 3) before writing anything.
# shellcheck disable=SC2086
{ live_before; run_cap bb-gz "$T/bb" "$T/bb-sh" -s -z $WL_PIDS; }
gzip -t <"$T/bb-gz.out" || fail "bb-gz: not gzip"
capture_check bb-gz "$T/bb-gz.out"
if [ ! -e "$T/tb/gzip" ]; then
	env -i PATH="$T/tb" "$T/tb-sh" -s -- -z <"$MEMCAP" >"$T/tb-gz.out" 2>"$T/tb-gz.err"
	rc=$?
	[ $rc -eq 3 ] || fail "tb-gz: exit $rc, expected 3"
	grep -q "missing commands: gzip" "$T/tb-gz.err" || fail "tb-gz: stderr $(cat "$T/tb-gz.err")"
	[ -s "$T/tb-gz.out" ] && fail "tb-gz: wrote to stdout"
fi

# The system's sh and tools, every process: memcap itself is not in it, every pid directory is whole
# (each file there or in its manifest), and the tools read it.
sh -c 'echo $$ >"$1/self.pid"; exec sh "$2" -o "$1/all"' sh "$T" "$MEMCAP" 2>"$T/all.err" || fail "all: exit $?"
self=$(cat "$T/self.pid")
[ -d "$T/all/$self" ] && fail "all: memcap recorded itself ($self)"
[ -d "$T/all/$WL_PID" ] || fail "all: no $WL_PID"
[ -d "$T/all/.memcap-stage" ] && fail "all: the staging directory is left"
"$PYTHON3" "$CHECK_CAPTURE" whole "$T/all" 8 >"$T/all.whole" || { fail "all: incomplete pid directories"; cat "$T/all.whole"; }
"$top_builddir/memps" -S "$T/all" -k >"$T/all.memps" 2>"$T/all.memps.err"
rc=$?
[ $rc -eq 0 ] || fail "all: memps -S exit $rc: $(head -3 "$T/all.memps.err")"
grep -q "workload" "$T/all.memps" || fail "all: memps does not show the workload"
finish
