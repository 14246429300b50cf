#!/bin/sh
# html-browser.sh: the treemap page in Debian's chromium, headless, from a file:// URL: boxes and their areas, hostile names as text, zoom by click, no request leaving the page, a screenshot kept (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memgraph/html-lib.sh"
if ! command -v chromium >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] || skip "chromium is not installed (and installing it needs root)"
	echo "installing chromium"
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }; } \
		>"$T/apt.log" 2>&1 || { echo "FAIL: cannot install chromium: $(tail -3 "$T/apt.log")"; exit 1; }
fi
mkdir -p "$top_builddir/tests/memgraph"
html_py html_browser.py "$top_builddir/tests/memgraph"
exit $FAILED
