#!/bin/sh
# hostile.sh: names with a newline, ESC, </script>, quotes and invalid UTF-8 come out as JSON text that reads back to the same characters (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/setup.sh"

mkdir -p "$T/rec" && cp -R "$FIXTURES/debian12-workload/." "$T/rec/"
# comm of 24584 and 24585 (stat is where the name comes from), a cgroup of 24588
printf '</script><img src=x onerror=alert(1)>' >"$T/name1"
printf 'a"b\\c\033[2J\001\377\376end' >"$T/name2"
for pair in 24584:name1 24585:name2; do
	pid=${pair%%:*} f=$T/${pair#*:}
	"$PYTHON3" - "$T/rec/$pid/stat" "$f" <<'PY'
import sys
stat, name = sys.argv[1], open(sys.argv[2], "rb").read()
s = open(stat, "rb").read()
s = s[:s.index(b"(") + 1] + name + s[s.rindex(b")"):]
open(stat, "wb").write(s)
PY
done
printf '0::/evil<img onerror=x>"q\033\n' >"$T/rec/24588/cgroup"
"$MEMGRAPH" -v -S "$T/rec" >"$T/out" 2>"$T/err"
rc=$?
no_crash hostile "$rc" "$T/err"
[ "$rc" -eq 0 ] || fail "exit $rc"
"$PYTHON_JS" "$top_srcdir/tests/memgraph/validate.py" "hostile" <"$T/out" || fail "hostile records"
"$PYTHON3" - "$T/out" "$T/name1" "$T/name2" <<'PY' || fail "hostile names"
import json, sys
raw = open(sys.argv[1], "rb").read()
bad = []
if any(b < 0x20 and b != 0x0a for b in raw) or b"\x1b" in raw:
    bad.append("a control byte in the output")
try:
    raw.decode("utf-8")
except UnicodeDecodeError:
    bad.append("the output is not UTF-8")
recs = json.loads(raw)
by_id = {r["id"]: r for r in recs}
for pid, f in (("24584", sys.argv[2]), ("24585", sys.argv[3])):
    want = open(f, "rb").read().decode("utf-8", "replace")
    if by_id["p/" + pid]["name"] != want:
        bad.append("p/%s name %r, want %r" % (pid, by_id["p/" + pid]["name"], want))
job = 'evil<img onerror=x>"q\x1b'
if by_id.get("j/" + job, {}).get("name") != job or by_id["p/24588"]["parent"] != "j/" + job:
    bad.append("the hostile cgroup's job")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
finish
