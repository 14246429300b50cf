#!/bin/sh
# hidden.sh: memobjs --hidden on a recording (directory, tar, tar.gz, stdin) agrees with an independent computation over the recording's files, and with the live run on the objects a workload holds (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/recording/setup.sh"

start_helper || skip "the helper could not create its objects"
# A second holder whose names have spaces, a newline and a backslash.
trap 'stop_child; stop_helper; cleanup_tmp' EXIT
start_child names "$PYTHON3" "$D/hold-names.py" || fail "hold-names.py did not start: $(cat "$T/names.err")"

"$MEMOBJS" --hidden --json >"$T/live.json" 2>"$T/live.err" || fail "memobjs --hidden live: $(head -3 "$T/live.err")"
# The workloads' processes, pid 1 and this shell: the machine may run thousands of others.
"$PYTHON3" "$D/record.py" "$T/rec" --tar "$T/rec.tar" --targz "$T/rec.tar.gz" \
	--pids "$(sed -n 's/^pid=\([0-9]*\).*/\1/p' "$T/hold.out"),$(cut -d' ' -f2 "$T/names.out"),1,$$" || fail "record.py"

for form in dir tar tar.gz stdin; do
	case $form in
	dir) src=$T/rec ;;
	stdin) src=- ;;
	*) src=$T/rec.$form ;;
	esac
	if [ $form = stdin ]; then
		"$MEMOBJS" -S - --hidden --json <"$T/rec.tar.gz" >"$T/$form.json" 2>"$T/$form.err"
	else
		"$MEMOBJS" -S "$src" --hidden --json >"$T/$form.json" 2>"$T/$form.err"
	fi
	rc=$?
	[ $rc -eq 0 ] || fail "memobjs -S $form --hidden: exit $rc: $(head -3 "$T/$form.err")"
	"$PYTHON3" "$D/expect_hidden.py" "$T/rec" "$T/$form.json" || fail "$form: memobjs --hidden differs from the recording's files"
	grep -q "some processes only" "$T/$form.err" || fail "$form: no note that the recording holds some pids only"
	"$MEMOBJS" -S "$src" --hidden -b <"$T/rec.tar.gz" >"$T/$form.txt" 2>/dev/null || fail "memobjs -S $form --hidden (text)"
	grep -q 'rec fds\\x0aheld' "$T/$form.txt" || fail "$form: the held /dev/shm file's name is not in the text output, escaped"
done

# Live and recorded agree on what the workloads hold (other processes come and go meanwhile).
"$PYTHON3" - "$T/hold.out" "$T/names.out" "$T/live.json" "$T/dir.json" <<'PY' || fail "live and recording disagree"
import json, sys
info = dict(w.split("=", 1) for w in open(sys.argv[1]).read().split())
names_pid = int(open(sys.argv[2]).read().split()[1])
live, rec = json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
def mine(doc):
    out = []
    for h in doc["hidden"]:
        if h["kind"] == "sysv-unattached":
            if h["shmid"] == int(info["shmid"]):
                out.append(("sysv", h["shmid"], h["size_bytes"]))
        elif h["holder_pids"] and set(h["holder_pids"]) <= {int(info["pid"]), names_pid}:
            out.append((h["kind"], h["name"], h["dev"], h["inode"], h["size_bytes"], h["alloc_bytes"],
                        h["holder_pids"]))
        elif ("memobjs-orphan-%s" % info["pid"]) in h["name"] or ("orphan\\-%d" % names_pid) in h["name"]:
            out.append((h["name"], h["dev"], h["inode"], h["size_bytes"], h["alloc_bytes"]))
    return sorted(out, key=repr)
a, b = mine(live), mine(rec)
if a != b or len(a) != 7:
    print("FAIL: live %r\nFAIL: recorded %r" % (a, b))
    sys.exit(1)
print("live and recorded agree on %d objects" % len(a))
PY
finish
