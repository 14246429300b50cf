# om-lib.sh: set-up of the OpenMetrics tests, sourced after tests/common/lib.sh (test layer; POSIX sh)
#
# need_om_tools: promtool (Debian's prometheus package) and the OpenMetrics parser of
# python3-prometheus-client, installed when missing (om_install; tools/install-deps lists both).
# Sets OM_CHECK, the validator every OpenMetrics test runs output through.
OM_CHECK=$top_srcdir/tests/memps/om_check.py

need_om_tools() {
	missing=
	command -v promtool >/dev/null 2>&1 || missing="prometheus"
	"$PYTHON3" -c 'import prometheus_client.openmetrics.parser' 2>/dev/null ||
		missing="$missing python3-prometheus-client"
	[ -z "$missing" ] || om_install $missing
}

# om_install PKG...: installs Debian packages, or skips where it cannot (not root, no apt-get); a
# failed install is a failure.  Waits for the dpkg lock: tests run in parallel may install at once.
om_install() {
	[ "$(id -u)" -eq 0 ] || skip "needs $* (not root: cannot install)"
	command -v apt-get >/dev/null 2>&1 || skip "needs $* (no apt-get)"
	echo "installing: $*"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >"$T/apt.log" 2>&1 ||
		{ apt-get update -qq >>"$T/apt.log" 2>&1 &&
			apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" >>"$T/apt.log" 2>&1; } ||
		{ echo "FAIL: cannot install $*"; tail -5 "$T/apt.log"; exit 1; }
}

# om_valid NAME FILE: FILE passes om_check.py (promtool, the OpenMetrics parser, the format's rules).
om_valid() {
	"$PYTHON3" "$OM_CHECK" "$2" >"$T/$1.check" 2>&1 || { fail "$1: not valid OpenMetrics:"; sed 's/^/  /' "$T/$1.check" | head -20; }
}
