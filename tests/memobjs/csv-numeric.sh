#!/bin/sh
# csv-numeric.sh: memobjs --csv keeps numeric columns numeric; a lower-bound #SHR ("2+?" in text) is flagged in #SHR_PARTIAL (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMOBJS=${MEMOBJS:-$top_builddir/memobjs}
[ -x "$MEMOBJS" ] || { echo "FAIL: $MEMOBJS is not built"; exit 1; }

# The fixture's pid 1 is unreadable, so the objects other processes share have lower-bound counts.
fx=$FIXTURES/debian12-workload
"$MEMOBJS" -S "$fx" --csv >"$T/objs.csv" 2>"$T/objs.err" || fail "memobjs --csv: status $?"
"$MEMOBJS" -S "$fx" --json >"$T/objs.json" 2>"$T/objs.err" || fail "memobjs --json: status $?"
"$MEMOBJS" -S "$fx" >"$T/objs.txt" 2>"$T/objs.err" || fail "memobjs: status $?"
"$PYTHON3" - "$T/objs.csv" "$T/objs.json" "$T/objs.txt" <<'PY' || fail "memobjs CSV numeric columns"
import csv, json, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
if "#SHR_PARTIAL" not in head or head.index("#SHR_PARTIAL") != head.index("#SHR") + 1:
    print("no #SHR_PARTIAL column right after #SHR: %r" % head)
    sys.exit(1)
numeric = [i for i, t in enumerate(head) if t in ("DEPTH", "#SHR", "#SHR_PARTIAL", "ALLOC", "PSS", "SWAP", "USS")]
bad = [(r[0], head[i], r[i]) for r in rows[1:] for i in numeric if r[i] != "" and not r[i].isdigit()]
if bad:
    print("non-numbers in numeric CSV columns: %r" % bad[:5])
    sys.exit(1)
doc = json.load(open(sys.argv[2]))
objs = doc.get("objects") or []
shr, flag = head.index("#SHR"), head.index("#SHR_PARTIAL")
got = [(int(r[shr]), r[flag] == "1") for r in rows[1:] if r[shr] != ""]
want = [(o["sharers"], bool(o["sharers_partial"])) for o in objs]
if sorted(got) != sorted(want):
    print("CSV (#SHR, partial) %r differs from JSON (sharers, sharers_partial) %r" % (sorted(got)[:8], sorted(want)[:8]))
    sys.exit(1)
if not any(p for _, p in want):
    print("the fixture has no partial sharer count: the test checks nothing")
    sys.exit(1)
text = open(sys.argv[3], encoding="utf-8").read()
if len(re.findall(r" \d+\+\? ", text)) != sum(1 for _, p in want if p):
    print("text does not show each lower bound as N+?")
    sys.exit(1)
PY
finish
