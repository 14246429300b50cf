#!/bin/sh
# om-output.sh: --output FILE: a temporary file beside FILE renamed over it once whole (never a part seen), mode 0644, FILE kept on errors and signals, every tool (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memps/om-lib.sh"
need_memps
DIR=$FIXTURES/debian12-workload
D=$T/textfile
mkdir -p "$D"

# tmp_files: the temporary files of --output left in $D (".NAME.XXXXXX").
tmp_files() {
	ls -A "$D" | grep '^\.' || true
}

# wait_tmp: until a temporary file shows in $D (at most 60 s: a loaded machine).
wait_tmp() {
	i=0
	while [ -z "$(tmp_files)" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Written whole, mode 0644 whatever the umask, the same bytes as standard output; no temporary left.
"$MEMPS" -S "$DIR" --format=openmetrics >"$T/stdout.prom" 2>/dev/null
(umask 077 && "$MEMPS" -S "$DIR" --format=openmetrics --output="$D/memps.prom" 2>"$T/o1.err")
RC=$?
no_crash o1 "$RC" "$T/o1.err"
expect_rc o1 0
cmp -s "$T/stdout.prom" "$D/memps.prom" || fail "--output: not the bytes of standard output"
[ "$(stat -c %a "$D/memps.prom")" = 644 ] || fail "--output: mode $(stat -c %a "$D/memps.prom"), expected 644"
[ -z "$(tmp_files)" ] || fail "--output: temporary files left: $(tmp_files)"
grep -q "unreadable" "$T/o1.err" || fail "--output: the summary no longer on stderr"

# Replaced whole on the next run; "-" is standard output.
echo "old" >"$D/memps.prom"
run_memps o2 -S "$DIR" --json --output="$D/memps.prom"
expect_rc o2 0
"$PYTHON3" -c 'import json,sys; json.load(open(sys.argv[1]))' "$D/memps.prom" || fail "--output --json: not the JSON document"
run_memps dash -S "$DIR" --format=openmetrics --output=-
cmp -s "$T/stdout.prom" "$T/dash.out" || fail "--output=-: not standard output"

# An error before the output: FILE as it was, no temporary left, the status of the error.
echo "old" >"$D/memps.prom"
run_memps o3 -S "$T/no-such-recording" --format=openmetrics --output="$D/memps.prom"
expect_rc o3 1
[ "$(cat "$D/memps.prom")" = old ] || fail "a failed run changed FILE"
[ -z "$(tmp_files)" ] || fail "a failed run left temporary files: $(tmp_files)"
run_memps o4 -S "$DIR" --format=openmetrics --output="$D/memps.prom" --user=no-such-user
expect_rc o4 2
[ "$(cat "$D/memps.prom")" = old ] || fail "a usage error changed FILE"
[ -z "$(tmp_files)" ] || fail "a usage error left temporary files: $(tmp_files)"
# A directory, a name ending in /, a directory that does not exist.
run_memps o5 -S "$DIR" --output="$D"
expect_rc o5 2
grep -q "not a regular file" "$T/o5.err" || fail "--output DIR: $(cat "$T/o5.err")"
run_memps o6 -S "$DIR" --output="$D/"
expect_rc o6 2
run_memps o7 -S "$DIR" --output="$T/none/memps.prom"
expect_rc o7 1
grep -q "cannot write in $T/none" "$T/o7.err" || fail "--output in a missing directory: $(cat "$T/o7.err")"

# While memps runs the file is the old one, the output goes to a temporary file beside it (not
# *.prom, which the collector reads); it replaces FILE only when whole.  The run waits on a tar on
# standard input (a FIFO we hold open) so that it can be watched mid-way.
make_tar "$DIR" "$T/rec.tar"
echo "old" >"$D/memps.prom"
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
"$MEMPS" -S - --format=openmetrics --output="$D/memps.prom" <"$T/fifo" >"$T/o8.out" 2>"$T/o8.err" &
pid=$!
wait_tmp
tmp=$(tmp_files)
case $tmp in
.memps.prom.??????) ;;
*) fail "no temporary file .memps.prom.XXXXXX while memps runs: '$tmp'" ;;
esac
[ "$(cat "$D/memps.prom")" = old ] || fail "FILE changed before the output was whole"
cat "$T/rec.tar" >&3
exec 3>&-
wait $pid
RC=$?
no_crash o8 "$RC" "$T/o8.err"
expect_rc o8 0
cmp -s "$T/stdout.prom" "$D/memps.prom" || fail "--output from a tar on stdin: not the whole output"
[ -z "$(tmp_files)" ] || fail "temporary files left: $(tmp_files)"

# Killed mid-way (SIGTERM, SIGINT, SIGHUP): FILE as it was, the temporary file removed.
for sig in TERM INT HUP; do
	echo "old" >"$D/memps.prom"
	exec 3<>"$T/fifo"
	"$MEMPS" -S - --format=openmetrics --output="$D/memps.prom" <"$T/fifo" >/dev/null 2>"$T/kill.err" &
	pid=$!
	wait_tmp
	[ -n "$(tmp_files)" ] || fail "SIG$sig: no temporary file to remove"
	# and its handler in place (/proc's SigCgt): memps makes the file a moment before it catches the
	# signals, and a loaded machine may stop it in between
	case $sig in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; esac
	i=0
	until cgt=$(sed -n 's/^SigCgt:\t*//p' "/proc/$pid/status" 2>/dev/null) && [ -n "$cgt" ] &&
		[ $(((0x${cgt#????????} >> (n - 1)) & 1)) -eq 1 ]; do
		i=$((i + 1))
		[ $i -le 600 ] || { fail "SIG$sig: memps never caught the signal"; break; }
		sleep 0.1
	done
	kill -s "$sig" $pid
	wait $pid
	exec 3>&-
	[ "$(cat "$D/memps.prom")" = old ] || fail "SIG$sig: FILE changed"
	[ -z "$(tmp_files)" ] || fail "SIG$sig: temporary file left: $(tmp_files)"
done

# A concurrent reader never sees a part: every read is the old file or a whole new one.
"$PYTHON3" - "$MEMPS" "$DIR" "$D/memps.prom" <<'PY' || fail "a reader saw a partial file"
import subprocess, sys, threading
memps, rec, path = sys.argv[1:4]
open(path, "w").write("old\n")
stop, bad, reads = False, [], [0]
def reader():
    while not stop:
        data = open(path, "rb").read()
        reads[0] += 1
        if data != b"old\n" and not data.endswith(b"# EOF\n"):
            bad.append(len(data))
t = threading.Thread(target=reader)
t.start()
for _ in range(20):
    subprocess.run([memps, "-S", rec, "--format=openmetrics", "--top=100", "--output=" + path],
                   stderr=subprocess.DEVNULL, check=True)
stop = True
t.join()
print("%d reads, %d partial" % (reads[0], len(bad)))
sys.exit(1 if bad else 0)
PY

# As a user who cannot write in the directory: a clear error, status 1, nothing made.
need_test_user memps-om-test
bin=$(user_bin memps-om-test "$MEMPS") || exit 1
chmod 755 "$T" "$D"
runuser -u memps-om-test -- "$bin" -S "$DIR" --format=openmetrics --output="$D/user.prom" >"$T/u.out" 2>"$T/u.err"
RC=$?
no_crash u "$RC" "$T/u.err"
expect_rc u 1
grep -q "cannot write in $D: Permission denied" "$T/u.err" || fail "unwritable directory: $(cat "$T/u.err")"
[ ! -e "$D/user.prom" ] || fail "unwritable directory: file made"

# memsys -d: the file appears once the last sample is written, holding every sample.
"$top_builddir/memsys" -d 0 -n 3 --output="$D/samples.txt" 2>/dev/null
[ "$(grep -c '^ *total' "$D/samples.txt")" -eq 3 ] || fail "memsys -n 3 --output: $(grep -c '^ *total' "$D/samples.txt") samples"

# Every tool has it (the common options).
for tool in memmaps memobjs memsys; do
	rm -f "$D/$tool.out"
	if [ $tool = memmaps ]; then
		"$top_builddir/$tool" -S "$DIR" --output="$D/$tool.out" 24565 2>/dev/null
	else
		"$top_builddir/$tool" -S "$DIR" --output="$D/$tool.out" 2>/dev/null
	fi
	[ -s "$D/$tool.out" ] || fail "$tool --output: no file"
done
[ -z "$(tmp_files)" ] || fail "temporary files left: $(tmp_files)"
finish
