#!/bin/sh
# help-vs-man.sh: every long option of `memps --help` is in man/memps.1 and the other way round (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

run_memps help --help
expect_rc help 0
help_vs_man "$T/help.out" "$top_srcdir/man/memps.1"
finish
