#!/bin/sh
# om-contrib.sh: contrib/'s systemd service and timer pass systemd-analyze verify, and they and the cron line write valid metric files when run (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memps/om-lib.sh"
need_memps
need_om_tools
C=$top_srcdir/contrib
BIN=$(cd "$top_builddir" && pwd)
D=$T/textfile
mkdir -p "$D" "$T/units"

# The units with the build's binaries and a textfile directory of the test's own.
for f in memps-textfile.service memps-textfile.timer memps-textfile.cron; do
	[ -f "$C/$f" ] || { fail "contrib/$f is missing"; continue; }
	sed -e "s|/usr/local/bin/|$BIN/|g" -e "s|/var/lib/prometheus/node-exporter|$D|g" "$C/$f" >"$T/units/$f"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	(cd "$T/units" && systemd-analyze verify --man=no memps-textfile.service memps-textfile.timer) >"$T/verify.out" 2>&1 ||
		{ fail "systemd-analyze verify:"; sed 's/^/  /' "$T/verify.out"; }
	[ -s "$T/verify.out" ] && { fail "systemd-analyze verify warns:"; sed 's/^/  /' "$T/verify.out"; }
else
	echo "systemd-analyze missing: the units are run, not verified"
fi

# The service's commands, run as the timer would (without the sandbox): both files valid.
grep '^ExecStart=' "$T/units/memps-textfile.service" | sed 's/^ExecStart=//' >"$T/exec.sh"
[ "$(wc -l <"$T/exec.sh")" -eq 2 ] || fail "the service should run memps and memsys"
sh -e "$T/exec.sh" 2>"$T/exec.err" || fail "the service's commands failed: $(cat "$T/exec.err")"
om_valid service-memps "$D/memps.prom"
om_valid service-memsys "$D/memsys.prom"

# The cron line: five time fields, the user, the command; the command writes the same files.
rm -f "$D/memps.prom" "$D/memsys.prom"
grep -v '^#' "$T/units/memps-textfile.cron" | grep -v '^$' >"$T/cron.lines"
[ "$(wc -l <"$T/cron.lines")" -eq 1 ] || fail "the cron file should hold one line"
"$PYTHON3" - "$T/cron.lines" "$T/cron.sh" <<'PY' || fail "cron line"
import re, sys
line = open(sys.argv[1]).read().rstrip("\n")
m = re.match(r"^((?:\S+\s+){5})(\S+)\s+(.*)$", line)
if not m:
    sys.exit("not 'm h dom mon dow user command': %r" % line)
for f in m.group(1).split():
    if not re.fullmatch(r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*", f):
        sys.exit("bad time field %r" % f)
if m.group(2) != "root":
    sys.exit("runs as %r, not root (PSS of every process)" % m.group(2))
if "%" in m.group(3):
    sys.exit("a %% in the command (cron turns it into a newline)")
open(sys.argv[2], "w").write(m.group(3) + "\n")
PY
sh "$T/cron.sh" >/dev/null 2>&1
om_valid cron-memps "$D/memps.prom"
om_valid cron-memsys "$D/memsys.prom"
finish
