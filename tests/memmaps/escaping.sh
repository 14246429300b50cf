#!/bin/sh
# escaping.sh: mapping names and smaps field names with ESC and newlines never reach the terminal raw in any memmaps output; JSON keeps the exact bytes (test layer)
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
# Field names come from the input too (issue 8, hostile input 4): an unknown smaps key holding ESC
# and BEL is escaped in -X's tags, --flat -X's header and a -o tag, as is a value holding ESC; JSON keeps
# them exact.
evil=$T/evil
mkdir -p "$evil/42"
printf '42 (evil) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1 1000000 10 0 0\n' >"$evil/42/stat"
printf '00400000-00401000 r-xp 00000000 08:01 12 /bin/x\nSize:                  4 kB\nRss:                   4 kB\nPss:                   4 kB\nEvil\033[31m:  4 kB\nBel\007ring: yes\nVal: a\033[2Jb\nVmFlags: rd ex \n00401000-00403000 rw-p 00000000 00:00 0 \nSize:                  8 kB\nRss:                   8 kB\nPss:                   8 kB\nEvil\033[31m:  8 kB\nBel\007ring: no\nVmFlags: rd wr \n' >"$evil/42/smaps"
i=0
for args in "-X" "--flat -X"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	run_memps "evil$i" -S "$evil" $args 42
	expect_rc "evil$i" 0
	"$PYTHON3" - "$T/evil$i.out" "$args" <<'PY' || fail "memmaps $args over a hostile field name"
import sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "strict")
bad = sorted({c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})
if bad:
    print("raw control characters in the output: %r" % bad)
    sys.exit(1)
flat = "--flat" in sys.argv[2]
want = ["Evil\\x1b[31m"]
if "Bel" in sys.argv[2] or "-X" in sys.argv[2]:
    want.append("Bel\\x07ring")
for w in want:
    if flat:
        # the header names the column, the rows hold its values: 4k, 8k and the total 12k
        header = [l for l in text.split("\n") if l.startswith("Address")]
        if not header or w not in header[0]:
            print("the --flat header lacks %r: %r" % (w, header))
            sys.exit(1)
    elif text.count(":" + w) < 2:
        print("the tag %r is not on every row" % w)
        sys.exit(1)
if not flat and "12k:Evil\\x1b[31m" not in text:
    print("the /A row does not sum the hostile field: %r" % text)
    sys.exit(1)
PY
done
# -o takes only names shaped like a kernel key (letters, digits, _): a hostile one is a usage error,
# and the error message escapes it too.
for args in "-o pss,$(printf 'Evil\033[31m')" "--flat -o $(printf 'Evil\033[31m,Bel\007ring')"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	run_memps "evil$i" -S "$evil" $args 42
	expect_rc "evil$i" 2
	grep -q "Evil\\\\x1b\[31m" "$T/evil$i.err" || fail "memmaps $args: the error does not name the field escaped: $(cat "$T/evil$i.err")"
	if LC_ALL=C grep -q "$(printf '\033')" "$T/evil$i.err"; then fail "memmaps $args: a raw ESC on stderr"; fi
done
run_memps eviljson -S "$evil" -X --json 42
expect_rc eviljson 0
"$PYTHON3" - "$T/eviljson.out" <<'PY' || fail "--json -X over a hostile field name"
import json, sys
raw = open(sys.argv[1], "rb").read()
if any(b < 0x20 and b != 0x0a for b in raw):
    print("raw control bytes in JSON")
    sys.exit(1)
p = json.loads(raw)["processes"][0]
if [m["extra"] for m in p["mappings"]] != [{"Evil\x1b[31m": "4 kB", "Bel\x07ring": "yes", "Val": "a\x1b[2Jb"},
                                            {"Evil\x1b[31m": "8 kB", "Bel\x07ring": "no"}]:
    print("extra fields not exact: %r" % [m["extra"] for m in p["mappings"]])
    sys.exit(1)
if p["totals"]["extra_bytes"] != {"Evil\x1b[31m": 12288}:
    print("extra_bytes: %r" % p["totals"]["extra_bytes"])
    sys.exit(1)
PY
finish
