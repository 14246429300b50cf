#!/bin/sh
# help-vs-man.sh: every long option of `memmaps --help` is in man/memmaps.1 and the other way round (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

run_memps help --help
expect_rc help 0
MAN=$top_srcdir/man/memmaps.1
help_vs_man "$T/help.out" "$MAN"
# Fields: the short names --help generates from the table, each a .B line of -o in the man page.
help_columns "$T/help.out" >"$T/help.cols"
[ "$(wc -l <"$T/help.cols")" -eq 9 ] || fail "not the 9 short names in --help: $(cat "$T/help.cols")"
while read -r name; do
	grep -qx "\.B $name" "$MAN" || fail "short name $name of --help is not in the man page"
done <"$T/help.cols"
grep -q '^Examples:' "$T/help.out" || fail "--help has no examples"
grep -q 'memobjs(1), what memory objects' "$T/help.out" || fail "--help does not name memobjs"
# The JSON keys the man page documents are the ones memmaps writes.
"$MEMPS" -S "$FIXTURES/debian12-workload" --json "$(ls "$FIXTURES/debian12-workload" | grep -E '^[0-9]+$' | sort -n | tail -1)" >"$T/doc.json" 2>/dev/null
"$PYTHON3" - "$T/doc.json" "$MAN" <<'PY' || fail "JSON keys and the man page disagree"
import json, re, sys
doc = json.load(open(sys.argv[1]))
man = re.sub(r"\\f[BIRP]|\\-", "", open(sys.argv[2]).read().replace("\\-", "-"))
keys = set()
def walk(v, top=True):
    if isinstance(v, dict):
        for k, x in v.items():
            if k not in ("extra", "extra_bytes") or not isinstance(x, dict):
                keys.add(k)
            if k not in ("extra", "extra_bytes"):
                walk(x, False)
    elif isinstance(v, list):
        for x in v:
            walk(x, False)
walk(doc)
missing = sorted(k for k in keys if not re.search(r"(^|[^a-z_])" + re.escape(k) + r"($|[^a-z_])", man))
if missing:
    print("undocumented JSON keys: %s" % missing)
    sys.exit(1)
PY
finish
