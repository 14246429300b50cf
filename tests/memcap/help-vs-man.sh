#!/bin/sh
# help-vs-man.sh: every long option of `memcap --help` is in man/memcap.1 and the other way round; -h, -V and --version answer (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memcap/lib-memcap.sh"
MAN=$top_srcdir/man/memcap.1

sh "$MEMCAP" --help >"$T/help.out" 2>&1 || fail "--help exits non-zero"
help_vs_man "$T/help.out" "$MAN"
sh "$MEMCAP" -h >"$T/h.out" 2>&1 || fail "-h exits non-zero"
cmp -s "$T/help.out" "$T/h.out" || fail "-h and --help differ"
want="memcap $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")"
for o in -V --version; do
	got=$(sh "$MEMCAP" $o) || fail "$o exits non-zero"
	[ "$got" = "$want" ] || fail "$o: '$got', want '$want'"
done
# Each exit status of --help is in the man page's EXIT STATUS section.
for s in 0 1 2 3; do
	grep -qE "(^|[ (])$s [a-z]" "$T/help.out" || fail "--help does not tell exit status $s"
	sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN" | grep -q "^\.B $s\$" || fail "man: no exit status $s"
done
finish
