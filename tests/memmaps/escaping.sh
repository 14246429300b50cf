#!/bin/sh
# escaping.sh: mapping names with ESC and newlines never reach the terminal raw in any memmaps output; JSON keeps the exact bytes (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

dir=$FIXTURES/debian12-workload
pids=$(ls "$dir" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')
# the fixture must hold the names this test is about
grep -lq "$(printf 'esc\033\\[31mname.bin')" "$dir"/*/smaps || fail "fixture lacks the ESC file name"
grep -lq 'new\\012line.bin' "$dir"/*/smaps || fail "fixture lacks the newline file name"
i=0
for args in "" "--flat" "-X" "--flat -X" "-s pss -o pss,VmFlags,THPeligible" "--color=always" "--color=always --flat"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	run_memps "esc$i" -S "$dir" $args $pids
	expect_rc "esc$i" 0
	"$PYTHON3" - "$T/esc$i.out" "$args" <<'PY' || fail "memmaps $args"
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "strict")
if "--color=always" in sys.argv[2]:
    text = re.sub("\x1b\\[[0-9;]*m", "", text)
bad = sorted({c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})
if bad:
    print("raw control characters in the output: %r" % bad)
    sys.exit(1)
if "esc\\x1b[31mname.bin" not in text:
    print("the ESC name is not shown escaped")
    sys.exit(1)
# The kernel's "\012" for a newline, with its backslash doubled as every backslash (unambiguous).
if "new\\\\012line.bin" not in text:
    print("the newline name is not shown as the kernel wrote it, backslash doubled")
    sys.exit(1)
for line in text.split("\n"):
    if "line.bin" in line and not re.search(r"new\\\\012line\.bin'?( |$)", line):
        print("a name split a row: %r" % line)
        sys.exit(1)
PY
done
# shellcheck disable=SC2086
run_memps escjson -S "$dir" --json $pids
expect_rc escjson 0
"$PYTHON3" - "$T/escjson.out" <<'PY' || fail "--json"
import json, sys
raw = open(sys.argv[1], "rb").read()
if any(b < 0x20 and b != 0x0a for b in raw):
    print("raw control bytes in JSON")
    sys.exit(1)
doc = json.loads(raw.decode("utf-8", "strict"))
names = {m["name"] for p in doc["processes"] for m in p["mappings"]}
if not any(n.endswith("/esc\x1b[31mname.bin") for n in names):
    print("no exact ESC name in JSON")
    sys.exit(1)
if not any(n.endswith("/new\\012line.bin") for n in names):
    print("no exact newline name in JSON")
    sys.exit(1)
PY
finish
