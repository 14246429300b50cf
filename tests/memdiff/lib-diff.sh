# lib-diff.sh: what memdiff's tests share: the binary, the recordings with known differences, a runner (test layer; POSIX sh)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMDIFF=${MEMDIFF:-$top_builddir/memdiff}
DIFF_TESTDIR=$top_srcdir/tests/memdiff
[ -x "$MEMDIFF" ] || { echo "FAIL: $MEMDIFF is not built"; exit 1; }

# make_pairs: the recordings of make-pairs.py in $P (old, grow, unreadable, kernel, n1..n3, scrubbed).
make_pairs() {
	P=$T/pairs
	"$PYTHON3" "$DIFF_TESTDIR/make-pairs.py" "$FIXTURES" "$P" || { echo "FAIL: make-pairs.py"; exit 99; }
}

# run_diff NAME ARGS...: memdiff with stdout in $T/NAME.out, stderr in $T/NAME.err, status in $RC.
run_diff() {
	name=$1
	shift
	"$MEMDIFF" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	no_crash "$name" "$RC" "$T/$name.err"
}

# expect_err NAME TEXT: the last run's stderr holds TEXT.
expect_err() {
	grep -qF -- "$2" "$T/$1.err" || { fail "$1: stderr lacks '$2'"; sed 's/^/  stderr: /' "$T/$1.err" | head -5; }
}

# expect_out NAME TEXT: the last run's stdout holds TEXT.
expect_out() {
	grep -qF -- "$2" "$T/$1.out" || { fail "$1: stdout lacks '$2'"; head -30 "$T/$1.out" | sed 's/^/  stdout: /'; }
}
