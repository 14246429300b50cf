#!/bin/sh
# help-vs-man.sh: every long option of `memps --help` is in man/memps.1 and the other way round (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

run_memps help --help
expect_rc help 0
help_vs_man "$T/help.out" "$top_srcdir/man/memps.1"
# Columns: the list --help generates from the column table, each a .TP tag of COLUMNS.
help_columns "$T/help.out" >"$T/help.cols"
man_tags "$top_srcdir/man/memps.1" COLUMNS >"$T/man.cols"
[ "$(wc -l <"$T/help.cols")" -ge 20 ] || fail "no column list in --help: $(cat "$T/help.cols")"
missing=$(comm -3 "$T/help.cols" "$T/man.cols")
[ -z "$missing" ] || fail "columns differ between --help and the man page: $(echo $missing)"
grep -q '^Examples:' "$T/help.out" || fail "--help has no examples"
grep -q 'memmaps(1), why is this process big' "$T/help.out" || fail "--help does not name memmaps"
finish
