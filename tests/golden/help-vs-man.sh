#!/bin/sh
# help-vs-man.sh: every long option of `memps --help` is in man/memps.1 and the other way round (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/golden/lib.sh"
need_memps

run_memps help --help
expect_rc help 0
MAN=$top_srcdir/man/memps.1
[ -f "$MAN" ] || { echo "FAIL: $MAN is missing"; exit 1; }
# Options are what --help lists on its option lines, and what the man page lists in the tag line of
# each .TP paragraph (roff writes dashes as \-); long options mentioned in running text (e.g. "cp -a
# --parents") are not memps options.
grep -E '^ +(-[A-Za-z?], )?--[a-z]' "$T/help.out" | sed -E 's/^ +(-[A-Za-z?], )?(--[a-z][a-z0-9-]*).*/\2/' |
	sort -u >"$T/help.opts"
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
	grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u >"$T/man.opts"
[ -s "$T/help.opts" ] || fail "no long option found in --help"
missing_man=$(comm -23 "$T/help.opts" "$T/man.opts")
missing_help=$(comm -13 "$T/help.opts" "$T/man.opts")
[ -z "$missing_man" ] || fail "in --help but not in the man page: $(echo $missing_man)"
[ -z "$missing_help" ] || fail "in the man page but not in --help: $(echo $missing_help)"
finish
