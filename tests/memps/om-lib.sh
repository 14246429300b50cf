# om-lib.sh: set-up of the OpenMetrics tests, sourced after tests/common/lib.sh (test layer; POSIX sh)
#
# need_om_tools: promtool (Debian's prometheus package) and the OpenMetrics parser of
# python3-prometheus-client, installed when missing (as root; tools/install-deps lists both).
# Sets OM_CHECK, the validator every OpenMetrics test runs output through.
OM_CHECK=$top_srcdir/tests/memps/om_check.py

need_om_tools() {
	missing=
	command -v promtool >/dev/null 2>&1 || missing="prometheus"
	"$PYTHON3" -c 'import prometheus_client.openmetrics.parser' 2>/dev/null ||
		missing="$missing python3-prometheus-client"
	[ -z "$missing" ] && return 0
	[ "$(id -u)" -eq 0 ] || skip "needs$missing (not root: cannot install)"
	command -v apt-get >/dev/null 2>&1 || skip "needs$missing (no apt-get)"
	echo "installing:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >"$T/apt.log" 2>&1 ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$T/apt.log" 2>&1 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >>"$T/apt.log" 2>&1; } ||
		{ echo "FAIL: cannot install$missing"; tail -5 "$T/apt.log"; exit 1; }
}

# om_valid NAME FILE: FILE passes om_check.py (promtool, the OpenMetrics parser, the format's rules).
om_valid() {
	"$PYTHON3" "$OM_CHECK" "$2" >"$T/$1.check" 2>&1 || { fail "$1: not valid OpenMetrics:"; sed 's/^/  /' "$T/$1.check" | head -20; }
}
