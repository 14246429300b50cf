#!/bin/sh
# sources.sh: memgraph over every source format: __META's source is every tool's header (as memps --json writes it), the records the same (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"
DIR=$FIXTURES/debian12-workload
make_tar "$DIR" "$T/rec.tar"
make_tar "$DIR" "$T/rec.tar.gz"

# meta NAME ARGS...: memgraph's __META source and memps --json's source on the same arguments
meta() {
	name=$1
	shift
	"$MEMGRAPH" "$@" <"$T/rec.tar" >"$T/$name.g" 2>"$T/$name.gerr"
	rc=$?
	no_crash "$name" "$rc" "$T/$name.gerr"
	[ "$rc" -eq 0 ] || fail "$name: memgraph $*: exit $rc"
	"$MEMPS" --json "$@" <"$T/rec.tar" >"$T/$name.p" 2>/dev/null
	"$PYTHON3" - "$T/$name.g" "$T/$name.p" "$name" <<'PY' || fail "$name: __META source"
import json, sys
g, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
meta, want = g[-1], p["source"]
if meta["id"] != "__META" or meta["schema"] != "memgraph/1" or meta["source"] != want:
    print("FAIL: %s: %r, want source %r" % (sys.argv[3], meta, want))
    sys.exit(1)
PY
	grep -v __META "$T/$name.g" >"$T/$name.records"
}
meta dir -S "$DIR"
meta tar -S "$T/rec.tar"
meta targz -S "$T/rec.tar.gz"
meta stdin -S -
meta proc-root --proc-root "$DIR"
meta live
for f in tar targz stdin proc-root; do
	cmp -s "$T/dir.records" "$T/$f.records" || fail "$f: records differ from the directory's"
done
grep -q '"timestamp":"[0-9-]*T[0-9:]*\.[0-9][0-9][0-9]Z"' "$T/live.g" || fail "live: no timestamp"
grep -q '"timestamp":null' "$T/dir.g" || fail "dir: a timestamp for a recording that tells none"

# -t under --proc-root reads DIR/PID/task/TID/stat: made-up threads, one with a hostile comm, one
# whose stat is garbled ("?"), one whose stat is gone (ended: left out), one that is no tid
mkdir -p "$T/root" && cp -R "$DIR/." "$T/root/"
mkdir -p "$T/root/24565/task/24565" "$T/root/24565/task/24590" "$T/root/24565/task/24591" "$T/root/24565/task/24592" \
	"$T/root/24565/task/x1"
echo garbage >"$T/root/24565/task/24591/stat"
cp "$DIR/24565/stat" "$T/root/24565/task/24565/stat"
sed 's/^24565 (workload) S/24590 (th<\/script>\n) D/' "$DIR/24565/stat" >"$T/root/24565/task/24590/stat"
"$MEMGRAPH" -t --proc-root "$T/root" >"$T/t.out" 2>"$T/t.err" || fail "-t --proc-root: exit $?"
"$PYTHON3" - "$T/t.out" <<'PY' || fail "-t --proc-root: threads"
import json, sys
recs = json.load(open(sys.argv[1]))
got = [(r["id"], r["parent"], r["name"], r["state"]) for r in recs if r["type"] == "t"]
want = [("t/24565", "p/24565", "workload", "S"), ("t/24590", "p/24565", "th</script>\n", "D"),
        ("t/24591", "p/24565", "", "?")]
if got != want or recs[-1].get("threads") != "read":
    print("FAIL: threads %r, want %r (__META %r)" % (got, want, recs[-1].get("threads")))
    sys.exit(1)
PY
# a FIFO where a thread's stat belongs is not opened (no hang: "?"), a task directory that is a
# symbolic link is not followed (no threads)
mkdir -p "$T/root2/24565/task/24565" && cp -R "$DIR/." "$T/root2/"
mkfifo "$T/root2/24565/task/24565/stat"
ln -s /proc/self/task "$T/root2/24568/task"
timeout 20 "$MEMGRAPH" -t --proc-root "$T/root2" >"$T/t2.out" 2>"$T/t2.err" || fail "-t over a FIFO and a link: exit $?"
[ "$(grep -c '"type":"t"' "$T/t2.out")" -eq 1 ] && grep -q '"id":"t/24565","type":"t","parent":"p/24565","name":"","state":"?"' "$T/t2.out" ||
	fail "-t over a FIFO and a link: $(grep '"type":"t"' "$T/t2.out")"
finish
