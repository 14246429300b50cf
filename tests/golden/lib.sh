# lib.sh: shared helpers of the golden test drivers, sourced by each *.sh (test layer; POSIX sh)
#
# The drivers get top_srcdir, top_builddir and PYTHON3 from the environment (Makefile.am's
# AM_TESTS_ENVIRONMENT); running one by hand from a build directory works too:
#   top_srcdir=/work/main top_builddir=. sh /work/main/tests/golden/golden-json.sh

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
: "${PYTHON3:=python3}"
LC_ALL=C
export LC_ALL
unset NO_COLOR

GOLDEN=$top_srcdir/tests/golden
FIXTURES=$top_srcdir/fixtures
MEMPS=${MEMPS:-$top_builddir/memps}
T=$(mktemp -d "${TMPDIR:-/tmp}/memps-golden.XXXXXX") || exit 99
FAILED=0

cleanup_tmp() {
	rm -rf "$T"
}
trap 'cleanup_tmp' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

fail() {
	echo "FAIL: $*"
	FAILED=1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# need_memps: the binary must exist (a missing memps is a failure, not a skip).
need_memps() {
	if [ ! -x "$MEMPS" ]; then
		echo "FAIL: $MEMPS is not built"
		exit 1
	fi
}

# run_memps NAME ARGS...: runs memps with stdout in $T/NAME.out, stderr in $T/NAME.err, status in $RC;
# checks that it did not crash (signal, sanitizer report).
run_memps() {
	name=$1
	shift
	"$MEMPS" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	no_crash "$name" "$RC" "$T/$name.err"
}

# no_crash NAME RC STDERR_FILE
no_crash() {
	if [ "$2" -ge 128 ]; then
		fail "$1: memps died with status $2"
		sed 's/^/  stderr: /' "$3" | head -20
	fi
	if grep -q -e "AddressSanitizer" -e "runtime error" -e "LeakSanitizer" "$3"; then
		fail "$1: sanitizer report on stderr"
		head -40 "$3" | sed 's/^/  stderr: /'
	fi
}

# expect_rc NAME WANT: the last run_memps exited with WANT.
expect_rc() {
	if [ "$RC" -ne "$2" ]; then
		fail "$1: exit status $RC, expected $2"
		head -20 "$T/$1.err" | sed 's/^/  stderr: /'
	fi
}

# make_tar DIR OUT.tar[.gz]: a tar of DIR's contents with member names relative to DIR (no "./").
make_tar() {
	case $2 in
	*.gz) (cd "$1" && tar -czf "$2" -- *) ;;
	*) (cd "$1" && tar -cf "$2" -- *) ;;
	esac
}

finish() {
	if [ "$FAILED" -ne 0 ]; then
		exit 1
	fi
	exit 0
}
