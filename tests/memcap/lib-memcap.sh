# lib-memcap.sh: the memcap tests' set-up: the userlands (busybox, toybox, mksh) as PATH directories, the capture check (test layer; POSIX sh, sourced after lib.sh)
# shellcheck disable=SC2034,SC2154 # sourced: T and top_builddir come from lib.sh

MEMCAP=$top_builddir/memcap
[ -f "$MEMCAP" ] || { echo "FAIL: $MEMCAP is not built"; exit 1; }
CHECK_CAPTURE=$top_srcdir/tests/memcap/check-capture.py

# need_userlands: busybox, toybox and mksh (Debian packages, installed when missing: CI runs as root),
# then $T/bb and $T/tb hold a link per applet of each (the whole PATH of a test run), $T/bb-notar and
# $T/tb-notar the same without tar.  The directories are readable by every user.
need_userlands() {
	nu_missing=
	for nu_p in busybox mksh toybox; do
		command -v "$nu_p" >/dev/null 2>&1 || nu_missing="$nu_missing $nu_p"
	done
	if [ -n "$nu_missing" ]; then
		[ "$(id -u)" -eq 0 ] || skip "needs$nu_missing (apt-get install as root)"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $nu_missing \
			>"$T/apt.log" 2>&1 || { echo "FAIL: cannot install$nu_missing"; tail -5 "$T/apt.log"; exit 1; }
	fi
	BUSYBOX=$(command -v busybox)
	TOYBOX=$(command -v toybox)
	MKSH=$(command -v mksh)
	chmod 755 "$T"
	for nu_d in bb tb bb-notar tb-notar; do mkdir -p "$T/$nu_d"; done
	for nu_a in $("$BUSYBOX" --list); do
		ln -s "$BUSYBOX" "$T/bb/$nu_a"
		[ "$nu_a" = tar ] || ln -s "$BUSYBOX" "$T/bb-notar/$nu_a"
	done
	for nu_a in $("$TOYBOX"); do
		ln -s "$TOYBOX" "$T/tb/$nu_a"
		[ "$nu_a" = tar ] || ln -s "$TOYBOX" "$T/tb-notar/$nu_a"
	done
	[ -x "$T/bb/cp" ] && [ -x "$T/tb/cp" ] || { echo "FAIL: no applet links"; exit 1; }
	# A copy every user can read, for the unprivileged runs.
	cp "$MEMCAP" "$T/memcap" && chmod 755 "$T/memcap"
}

# capture_check NAME CAPTURE: the capture of the workload against live readings before and after it
# ($T/before.json, taken by live_before; the after reading is taken here).
live_before() {
	# shellcheck disable=SC2086
	"$PYTHON3" "$CHECK_CAPTURE" live "$top_builddir" "$T/before.json" $WL_PIDS ||
		{ echo "FAIL: live reading"; exit 1; }
}
capture_check() {
	# shellcheck disable=SC2086
	CHECK_CAPTURE_BEFORE=$T/before.json "$PYTHON3" "$CHECK_CAPTURE" live "$top_builddir" "$T/after.json" $WL_PIDS ||
		{ fail "$1: live reading"; return; }
	# shellcheck disable=SC2086
	"$PYTHON3" "$CHECK_CAPTURE" check "$top_builddir" "$2" "$T/before.json" "$T/after.json" $WL_PIDS ||
		fail "$1: the capture does not say what /proc says"
}
