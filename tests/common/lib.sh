# lib.sh: shared helpers of the golden test drivers, sourced by each *.sh (test layer; POSIX sh)
#
# The drivers get top_srcdir, top_builddir and PYTHON3 from the environment (Makefile.am's
# AM_TESTS_ENVIRONMENT); running one by hand from a build directory works too:
#   top_srcdir=/work/main top_builddir=. sh /work/main/tests/memps/golden-json.sh

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
: "${PYTHON3:=python3}"
LC_ALL=C
export LC_ALL
unset NO_COLOR

MEMPS_TESTDIR=$top_srcdir/tests/memps
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

# user_copy FILE: prints the path of a copy of FILE that every user can run, for tests that run a tool
# as another user: the build may sit where other users cannot enter (a checkout in /root).
user_copy() {
	chmod 711 "$T" && mkdir -p "$T/pub" && chmod 755 "$T/pub" &&
		cp "$1" "$T/pub/" && chmod 755 "$T/pub/${1##*/}" && echo "$T/pub/${1##*/}"
}

# need_test_user NAME: the system user NAME exists, created if needed (tests run in parallel may
# create it at the same time); sets TEST_UID and TEST_GID.  Skips only where the test cannot run at
# all (not root, no runuser): CI runs as root, where tools/test-all counts a skip as a failure.
need_test_user() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to create and switch to a test user"
	command -v runuser >/dev/null 2>&1 || skip "runuser is missing"
	# (useradd may give up when another one holds /etc/passwd's lock, a test beside this one
	# creating its own user: a few tries, a second apart)
	ntu_i=0
	until id -u "$1" >/dev/null 2>&1 || useradd -M -r -s /usr/sbin/nologin "$1" 2>"$T/useradd.err"; do
		ntu_i=$((ntu_i + 1))
		[ $ntu_i -lt 30 ] || { echo "FAIL: cannot create the user $1: $(cat "$T/useradd.err")"; exit 1; }
		sleep 1
	done
	TEST_UID=$(id -u "$1")
	TEST_GID=$(id -g "$1")
}

# start_user_sleep UID GID: a `sleep 300` running as that user (setpriv), waited for (a minute at most)
# until /proc shows it as the user's sleep; sets USER_SLEEP_PID.  The caller kills it (its EXIT trap too).
start_user_sleep() {
	setpriv --reuid="$1" --regid="$2" --clear-groups sleep 300 &
	USER_SLEEP_PID=$!
	us_i=0
	until [ "$(awk '/^Uid:/ { print $2 }' /proc/$USER_SLEEP_PID/status 2>/dev/null)" = "$1" ] &&
		[ "$(cat /proc/$USER_SLEEP_PID/comm 2>/dev/null)" = sleep ]; do
		us_i=$((us_i + 1))
		[ $us_i -lt 1200 ] || { echo "FAIL: the test user's sleep did not start"; kill $USER_SLEEP_PID; exit 1; }
		sleep 0.05
	done
}

# user_bin USER FILE: prints FILE, or a copy of it (user_copy) when USER cannot run it where it is.
user_bin() {
	if runuser -u "$1" -- test -x "$2"; then
		echo "$2"
	else
		user_copy "$2" || { echo "FAIL: cannot copy $2 where $1 can run it" >&2; return 1; }
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

# help_vs_man HELP_FILE MAN: the long options a tool's --help lists (its option lines) are the ones
# its man page lists in the tag line of each .TP paragraph (roff writes dashes as \-; options named in
# running text, e.g. "cp -a --parents", are not the tool's), and each "-X, --long" pair of --help
# stands as such in the man page.  Every tool's help-vs-man test calls it.
help_vs_man() {
	[ -f "$2" ] || { echo "FAIL: $2 is missing"; exit 1; }
	grep -E '^ +(-[A-Za-z?], )?--[a-z]' "$1" | sed -E 's/^ +(-[A-Za-z?], )?(--[a-z][a-z0-9-]*).*/\2/' |
		sort -u >"$T/help.opts"
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$2" | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
		grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u >"$T/man.opts"
	[ -s "$T/help.opts" ] || fail "no long option found in --help"
	missing_man=$(comm -23 "$T/help.opts" "$T/man.opts")
	missing_help=$(comm -13 "$T/help.opts" "$T/man.opts")
	[ -z "$missing_man" ] || fail "in --help but not in the man page: $(echo $missing_man)"
	[ -z "$missing_help" ] || fail "in the man page but not in --help: $(echo $missing_help)"
	: >"$T/short.bad"
	grep -oE '^ +-[A-Za-z], --[a-z][a-z0-9-]*' "$1" | sed 's/^ *//' | while read -r pair; do
		short=${pair%%,*}
		long=${pair#*, }
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"//g' "$2" | grep -qE -- "^\.BR $short , +$long" ||
			echo "$pair" >>"$T/short.bad"
	done
	[ ! -s "$T/short.bad" ] || fail "short options not in the man page as in --help: $(cat "$T/short.bad")"
	grep -q '^\.SH EXIT STATUS' "$2" || fail "no EXIT STATUS section in $2"
}

# help_columns HELP_FILE: the names of the column list --help generates from a tool's column table
# (the lines "  name  help" under "Columns (-o, ...):" or "Fields (-o, ...):"), one a line, sorted.
help_columns() {
	sed -n '/^[A-Z][a-z]* (-o, any case):$/,/^$/p' "$1" | grep -E '^  [A-Za-z_]+  ' | awk '{ print $1 }' | sort -u
}

# columns_vs_man HELP_FILE MAN: the column list --help generates is not empty and names the same
# columns as the .TP tags of the man page's COLUMNS section.
columns_vs_man() {
	help_columns "$1" >"$T/help.cols"
	man_tags "$2" COLUMNS >"$T/man.cols"
	[ -s "$T/help.cols" ] || fail "no column list in --help"
	missing=$(comm -3 "$T/help.cols" "$T/man.cols")
	[ -z "$missing" ] || fail "columns differ between --help and the man page: $(echo $missing)"
}

# man_tags MAN SECTION: the names of each .TP tag line in the section (".B name" or
# '.BR a ", " b'; fonts and \- removed), one a line, sorted.
man_tags() {
	sed -n "/^\.SH $2\$/,/^\.SH /p" "$1" | awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
		sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/^\.[BI]R* //' -e 's/" *, *"/ /g' -e 's/"//g' |
		awk '{ for (i = 1; i <= NF && $i ~ /^[A-Za-z_][A-Za-z0-9_-]*$/; i++) print $i }' | sort -u
}

# on_tty [--rows N --cols N] [--pid-file FILE] COMMAND...: COMMAND on a pseudo-terminal of its own,
# everything it writes there on stdout, its exit status returned (128 + N for signal N).
on_tty() {
	"$PYTHON3" "$top_srcdir/tests/common/on_tty.py" "$@"
}
