#!/bin/sh
# escaping.sh: names with ESC, C1, newlines and invalid UTF-8 never reach the terminal raw; JSON stays valid (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

"$PYTHON3" "$MEMPS_TESTDIR/make-hostile.py" "$T/h" >/dev/null || { echo "FAIL: make-hostile.py"; exit 99; }
for snap in "$FIXTURES/debian12-workload" "$T/h/odd-names"; do
	i=0
	for args in "" "--tree=none" "--tree=parent" "--group=program" "-o pss,user,cmdline" "-k" \
		"--color=always --tree=none -o pss,cmdline"; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		run_memps "esc$i" -S "$snap" $args
		expect_rc "esc$i" 0
		"$PYTHON3" - "$T/esc$i.out" "$args" <<'PY' || fail "$snap: memps $args"
import re, sys
data = open(sys.argv[1], "rb").read()
color = "--color=always" in sys.argv[2]
text = data.decode("utf-8", "strict")
# Colour sequences are allowed with --color=always, nothing else: strip SGR, then look for ESC.
if color:
    text = re.sub("\x1b\\[[0-9;]*m", "", text)
bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
if bad:
    print("raw control characters in the output: %r" % sorted(set(bad)))
    sys.exit(1)
lines = text.split("\n")[:-1]
for line in ([] if "--group" in sys.argv[2] else lines[1:-1]):
    f = line.split()
    if not f or not (f[0].startswith(("j:", "p:", "u:", "g:")) or f[0] == "TOTAL" or ":" in f[0]):
        print("a name split a row: %r" % line)
        sys.exit(1)
PY
	done
	run_memps escjson -S "$snap" --json -k
	expect_rc escjson 0
	"$PYTHON3" - "$T/escjson.out" "$snap" <<'PY' || fail "$snap: --json"
import json, os, sys
raw = open(sys.argv[1], "rb").read()
doc = json.loads(raw.decode("utf-8", "strict"))
if any(b < 0x20 and b not in (0x0a,) for b in raw):
    print("raw control bytes in JSON")
    sys.exit(1)
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "common"))
import expect
model = expect.load(sys.argv[2])
want = {p["pid"]: p for p in model["processes"]}
bad = 0
for p in doc["processes"]:
    w = want[p["pid"]]
    if p["name"] != w["name"] or p["cmdline"] != w["cmdline"] or p["job"] != w["job"]:
        print("pid %d: name/cmdline/job %r %r %r, expected %r %r %r" % (
            p["pid"], p["name"], p["cmdline"], p["job"], w["name"], w["cmdline"], w["job"]))
        bad += 1
sys.exit(1 if bad else 0)
PY
done
finish
