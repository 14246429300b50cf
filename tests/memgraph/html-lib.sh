# html-lib.sh: what the treemap page's test drivers share, sourced after tests/common/lib.sh (test layer; POSIX sh)

DRIVER=$top_builddir/tests/memgraph/html-driver
[ -x "$DRIVER" ] || { echo "FAIL: $DRIVER is not built"; exit 1; }

# html_py SCRIPT ARGS...: runs SCRIPT on the test driver, then on `memgraph --html --input` once
# memgraph is built; FAILED=1 when either fails, exit 77 when the first skips.
html_py() {
	script=$top_srcdir/tests/memgraph/$1
	shift
	"$PYTHON3" "$script" "$@" "$DRIVER"
	rc=$?
	[ $rc -eq 77 ] && exit 77
	[ $rc -eq 0 ] || FAILED=1
	if [ -x "$top_builddir/memgraph" ]; then
		"$PYTHON3" "$script" "$@" "$top_builddir/memgraph" --html --input || FAILED=1
	fi
}
