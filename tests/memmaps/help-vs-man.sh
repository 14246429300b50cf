#!/bin/sh
# help-vs-man.sh: every long option of `memmaps --help` is in man/memmaps.1 and the other way round (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/golden/lib.sh"
need_memps

run_memps help --help
expect_rc help 0
MAN=$top_srcdir/man/memmaps.1
[ -f "$MAN" ] || { echo "FAIL: $MAN is missing"; exit 1; }
# Options are what --help lists on its option lines, and what the man page lists in the tag line of
# each .TP paragraph (roff writes dashes as \-).
grep -E '^ +(-[A-Za-z?], )?--[a-z]' "$T/help.out" | sed -E 's/^ +(-[A-Za-z?], )?(--[a-z][a-z0-9-]*).*/\2/' |
	sort -u >"$T/help.opts"
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
	grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u >"$T/man.opts"
[ -s "$T/help.opts" ] || fail "no long option found in --help"
missing_man=$(comm -23 "$T/help.opts" "$T/man.opts")
missing_help=$(comm -13 "$T/help.opts" "$T/man.opts")
[ -z "$missing_man" ] || fail "in --help but not in the man page: $(echo $missing_man)"
[ -z "$missing_help" ] || fail "in the man page but not in --help: $(echo $missing_help)"
# Short options too: each "-X, --long" pair of --help appears as such in the man page.
grep -oE '^ +-[A-Za-z], --[a-z][a-z0-9-]*' "$T/help.out" | sed 's/^ *//' | while read -r pair; do
	short=${pair%%,*}
	long=${pair#*, }
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"//g' "$MAN" | grep -qE -- "^\.BR $short , +$long" ||
		echo "$pair" >>"$T/short.bad"
done
[ ! -s "$T/short.bad" ] || fail "short options not in the man page as in --help: $(cat "$T/short.bad")"
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
