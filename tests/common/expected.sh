#!/bin/sh
# expected.sh: each tool's output on the fixtures, byte for byte, against tests/expected/ (test layer)
#
# The cases are listed in tests/expected/cases.  With UPDATE_EXPECTED=1 the expected files are
# rewritten from this build's output instead (`make update-expected`, tools/update-expected): a change
# of output then shows in review as a diff of tests/expected/.  The values themselves are checked
# against the independent oracles by the golden tests; these files pin the layout.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
EXPECTED=$top_srcdir/tests/expected
builddir=$(cd "$top_builddir" && pwd)

# One environment, whatever the caller's: UTF-8 text, no colour, fixed width and zone.
LC_ALL=C.UTF-8 COLUMNS=80 LINES=24 TZ=UTC NO_COLOR=1 TERM=dumb
export LC_ALL COLUMNS LINES TZ NO_COLOR TERM
unset LANG LANGUAGE LC_CTYPE LC_NUMERIC LC_MESSAGES MEMPS_COLOR

: >"$T/cases.files"
n=0
while read -r tool name args; do
	case $tool in '' | '#'*) continue ;; esac
	n=$((n + 1))
	ext=txt
	case " $args " in *" --json "*) ext=json ;; *" --csv "*) ext=csv ;; esac
	bin=$builddir/$tool
	[ -x "$bin" ] || { fail "$bin is not built"; continue; }
	# shellcheck disable=SC2086
	(cd "$top_srcdir" && exec "$bin" $args) >"$T/out" 2>"$T/err"
	rc=$?
	no_crash "$tool $name" "$rc" "$T/err"
	echo "[exit $rc]" >>"$T/err"
	printf '%s\n%s\n' "$tool/$name.$ext" "$tool/$name.err" >>"$T/cases.files"
	if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
		mkdir -p "$EXPECTED/$tool"
		cp "$T/out" "$EXPECTED/$tool/$name.$ext"
		cp "$T/err" "$EXPECTED/$tool/$name.err"
		continue
	fi
	for f in "out:$name.$ext" "err:$name.err"; do
		got=$T/${f%%:*}
		want=$EXPECTED/$tool/${f#*:}
		if [ ! -f "$want" ]; then
			fail "$tool $name: $want is missing (make update-expected writes it)"
		elif ! cmp -s "$want" "$got"; then
			fail "$tool $args: output differs from tests/expected/$tool/${f#*:}"
			if [ "$ext" = json ] && [ "$got" = "$T/out" ] &&
				"$PYTHON3" -m json.tool "$want" >"$T/want.pretty" 2>/dev/null &&
				"$PYTHON3" -m json.tool "$got" >"$T/got.pretty" 2>/dev/null; then
				echo "  (JSON re-indented for the diff)"
				diff -u "$T/want.pretty" "$T/got.pretty" | head -60
			else
				diff -u "$want" "$got" | head -60
			fi
		fi
	done
done <"$EXPECTED/cases"
[ "$n" -gt 0 ] || fail "no case in $EXPECTED/cases"
# A file no case writes (a case renamed or removed) goes with update, and fails the check.
(cd "$EXPECTED" && find . -mindepth 2 -type f | sed 's|^\./||') | sort >"$T/present.files"
sort "$T/cases.files" | comm -23 "$T/present.files" - | while read -r stale; do
	if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
		rm -f "$EXPECTED/$stale"
		echo "removed tests/expected/$stale (no case writes it)"
	else
		echo "FAIL: tests/expected/$stale belongs to no case in tests/expected/cases"
		echo x >>"$T/stale"
	fi
done
[ ! -s "$T/stale" ] || FAILED=1
if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
	echo "rewrote the expected outputs of $n cases in $EXPECTED"
fi
finish
