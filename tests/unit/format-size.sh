#!/bin/sh
# format-size.sh: runs format_size.py, the independent cross-check of format.c (rendering support layer tests)
set -e
: "${PYTHON3:=python3}"
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
exec "$PYTHON3" "$top_srcdir/tests/unit/format_size.py" "$top_builddir/tests/unit/check-format" 5000
