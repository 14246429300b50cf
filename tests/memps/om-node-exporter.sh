#!/bin/sh
# om-node-exporter.sh: node_exporter's textfile collector, run as another user on loopback, reads the files memps and memsys write with --output, hostile names included, every sample as written (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
. "$top_srcdir/tests/memps/om-lib.sh"
need_memps
need_om_tools
MEMSYS=${MEMSYS:-$top_builddir/memsys}
NE=prometheus-node-exporter
command -v $NE >/dev/null 2>&1 || om_install $NE
need_test_user memps-om-test

# The textfile directory as Debian has it: written by root, read by the exporter's own user.
chmod 755 "$T"
D=$T/node-exporter
mkdir -m 755 "$D"
"$PYTHON3" "$MEMPS_TESTDIR/om-fixture.py" "$FIXTURES/debian12-workload" "$T/hostile" || { echo "FAIL: om-fixture.py"; exit 99; }
(umask 077 && "$MEMPS" -S "$T/hostile" --format=openmetrics --output="$D/memps.prom" 2>/dev/null &&
	"$MEMSYS" --format=openmetrics --output="$D/memsys.prom") || fail "memps or memsys --output"

PORT=$("$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u memps-om-test -- $NE --web.listen-address="127.0.0.1:$PORT" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$D" >"$T/ne.log" 2>&1 &
NE_PID=$!
trap 'kill $NE_PID 2>/dev/null; cleanup_tmp' EXIT

"$PYTHON3" - "$PORT" "$D" "$top_srcdir" <<'PY' || { fail "node_exporter's reading"; tail -5 "$T/ne.log"; }
import os, re, sys, time, urllib.request
sys.path.insert(0, os.path.join(sys.argv[3], "tests", "memps"))
import om_check
port, d = sys.argv[1], sys.argv[2]
text = None
for _ in range(600):  # a minute for node_exporter to listen on a loaded machine
    try:
        text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=5).read().decode("utf-8")
        break
    except OSError:
        time.sleep(0.1)
if text is None:
    sys.exit("node_exporter did not answer")
# The Prometheus text format as node_exporter writes it: name{labels} value.
scraped = {}
for line in text.splitlines():
    m = re.match(r'^((?:memps|memsys)_[a-z_]+)(?:\{(.*)\})? (\S+)$', line)
    if m:
        labels = tuple(sorted((k, om_check.unescape(v)) for k, v in
                              re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or "")))
        scraped[(m.group(1), labels)] = float(m.group(3))
bad = []
if not re.search(r"^node_textfile_scrape_error 0$", text, re.M):
    bad.append("node_textfile_scrape_error is not 0")
for f in ("memps.prom", "memsys.prom"):
    if not re.search(r'^node_textfile_mtime_seconds\{file="[^"]*%s"\} ' % re.escape(f), text, re.M):
        bad.append("no mtime for %s: the collector did not read it" % f)
    for k, v in om_check.load(os.path.join(d, f)).items():
        if scraped.get(k) != float(v):
            bad.append("%s%r: written %d, scraped %r" % (k[0], dict(k[1]), v, scraped.get(k)))
for b in bad:
    print(b)
print("%d samples scraped" % len(scraped))
sys.exit(1 if bad else 0)
PY
finish
