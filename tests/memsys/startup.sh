#!/bin/sh
# startup.sh: memsys's table opens only what it needs (meminfo and /sys/block; no locale files, no passwd, no cgroup), while --help, errors and --explain still read the user's locale (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
MEMPS=${MEMSYS:-$top_builddir/memsys}
need_memps
if ! command -v strace >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace >/dev/null 2>&1
	command -v strace >/dev/null 2>&1 || skip "strace is missing and cannot be installed"
fi
# A UTF-8 locale that glibc has on every Debian: without it there would be no locale files to avoid.
unset LC_ALL
LANG=C.UTF-8
export LANG

# traced NAME ARGS...: runs memsys under strace; $T/NAME.paths lists every path it opened (one a line).
traced() {
	name=$1
	shift
	# (LeakSanitizer cannot run under ptrace: a sanitizer build's leak check is off here)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=open,openat,openat2 -o "$T/$name.trace" "$MEMPS" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	no_crash "$name" "$RC" "$T/$name.err"
	sed -n 's/^[0-9 ]*open[at2]*([^"]*"\([^"]*\)".*/\1/p' "$T/$name.trace" >"$T/$name.paths"
}

# opens NAME PATTERN: whether a path NAME opened matches the extended regular expression PATTERN.
opens() {
	grep -E -q "$2" "$T/$1.paths"
}

LOCALE='^/usr/(lib|share)/locale/|locale-archive|gconv'
for args in "" "--json" "--csv" "-b" "-t"; do
	name=plain$(echo "$args" | tr -dc a-z)
	# shellcheck disable=SC2086
	traced "$name" $args
	expect_rc "$name" 0
	opens "$name" 'meminfo$' || fail "$name: /proc/meminfo not opened (the trace saw nothing?)"
	! opens "$name" "$LOCALE" || fail "$name ($args): opened locale files: $(grep -E "$LOCALE" "$T/$name.paths" | head -3)"
	# /sys/block (and its zram devices' mm_stat, opened relative to it) is the zram category's.
	extra=$(grep -E '^/etc/passwd|^/sys/|cgroup|mountinfo|^/dev/shm' "$T/$name.paths" | grep -v -x '/sys/block')
	[ -z "$extra" ] || fail "$name ($args): opened what a meminfo reading does not need: $(echo "$extra" | head -3)"
	opens "$name" '^/sys/block$' || fail "$name ($args): /sys/block not read (zram)"
	[ -s "$T/$name.out" ] || fail "$name: no output"
done

# The same checks can fail: --help and --explain read the locale (the charset decides ASCII
# decorations), and so does an error message (glib's text in the user's language).
traced help --help
expect_rc help 0
opens help "$LOCALE" || fail "--help: the locale was not read"
traced explain --explain --proc-root "$FIXTURES/debian12-workload"
expect_rc explain 0
opens explain "$LOCALE" || fail "--explain: the locale was not read"
traced bad -o
expect_rc bad 2
opens bad "$LOCALE" || fail "an option error: the locale was not read"
grep -q "Missing argument for -o" "$T/bad.err" || fail "-o without a value: $(cat "$T/bad.err")"
traced badcol -o nope
expect_rc badcol 2
grep -q "unknown column 'nope'" "$T/badcol.err" || fail "-o nope: $(cat "$T/badcol.err")"
# A non-ASCII argument is converted from the locale's charset: read first, so UTF-8 passes through.
traced utf8 -o "$(printf 'fr\303\251e')"
expect_rc utf8 2
grep -q "unknown column 'fr$(printf '\303\251')e'" "$T/utf8.err" || fail "-o with UTF-8: $(cat "$T/utf8.err")"
opens utf8 "$LOCALE" || fail "a non-ASCII argument: the locale was not read"
finish
