#!/bin/sh
# help-vs-man.sh: every long option of `memdiff --help` is in man/memdiff.1 and the other way round (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/memdiff/lib-diff.sh"
MAN=$top_srcdir/man/memdiff.1

"$MEMDIFF" --help >"$T/help.out" 2>&1 || fail "--help exits non-zero"
help_vs_man "$T/help.out" "$MAN"
for key in schema old new new_is_median program_match rows limits result status delta present unmeasured \
	pss_bytes uss_bytes swap_pss_bytes verdict max_growth_bytes max_growth_ppm maps_of; do
	grep -q "^\.B $key\$\|^\.BR $key " "$MAN" || fail "JSON key $key is not in the man page"
done
finish
