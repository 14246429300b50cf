# om_check.py: checks an OpenMetrics text exposition as node_exporter's textfile collector needs it (test layer, python3)
#
# Usage: om_check.py FILE   (exit 0 when valid; the problems on stdout otherwise)
# As a module: load(path) -> {(family, ((label, value), ...)): value}, after the same checks.
# The checks are written from the OpenMetrics 1.0 text format, not from memps: promtool check
# metrics (Prometheus's parser and linter), prometheus_client's strict OpenMetrics parser, then our
# own rules: valid UTF-8, no control byte but the newline, "# EOF" last, each family with # TYPE
# gauge and # HELP (and # UNIT bytes for a name ending in _bytes) before its samples, a family's
# samples together, no series twice, no timestamp, integer values.
import re
import subprocess
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r"^(%s)(?:\{(%s(?:,%s)*)\})? (-?[0-9]+)$" % (NAME, LABEL, LABEL))


class Bad(Exception):
    pass


def unescape(v):
    return re.sub(r'\\([\\"n])', lambda m: {"\\": "\\", '"': '"', "n": "\n"}[m.group(1)], v)


def parse(raw):
    problems = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Bad("not UTF-8: %s" % e)
    bad = sorted({c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})
    if bad:
        problems.append("control characters: %r" % bad)
    if not text.endswith("# EOF\n") or text.count("# EOF") != 1:
        problems.append("does not end with one '# EOF' line")
    series = {}
    meta = {}
    done = set()
    family = None
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line == "# EOF":
            continue
        m = re.match(r"^# (TYPE|UNIT|HELP) (%s)(?: (.*))?$" % NAME, line)
        if m:
            kind, name, rest = m.groups()
            if name != family:
                if name in done or name in meta:
                    problems.append("line %d: family %s again" % (n, name))
                if family:
                    done.add(family)
                family = name
                meta[name] = {}
            meta[name][kind] = rest
            continue
        if line.startswith("#"):
            problems.append("line %d: stray comment %r" % (n, line))
            continue
        m = SAMPLE.match(line)
        if not m:
            problems.append("line %d: not a sample (name, labels, integer; no timestamp): %r" % (n, line))
            continue
        name, labels, value = m.group(1), m.group(2), int(m.group(3))
        if name != family:
            problems.append("line %d: sample of %s outside its family %s" % (n, name, family))
        pairs = tuple(sorted((k, unescape(v)) for k, v in
                             re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"', labels or "")))
        if len({k for k, _ in pairs}) != len(pairs):
            problems.append("line %d: a label twice" % n)
        if (name, pairs) in series:
            problems.append("line %d: series written twice: %r" % (n, line))
        series[(name, pairs)] = value
    for name, m in meta.items():
        if m.get("TYPE") != "gauge":
            problems.append("%s: TYPE %r, expected gauge" % (name, m.get("TYPE")))
        if not m.get("HELP"):
            problems.append("%s: no HELP" % name)
        if name.endswith("_bytes") != (m.get("UNIT") == "bytes"):
            problems.append("%s: UNIT %r" % (name, m.get("UNIT")))
    # The strict parser of prometheus_client (raises on any deviation from OpenMetrics).
    try:
        fams = list(text_string_to_metric_families(text))
    except Exception as e:
        problems.append("prometheus_client's OpenMetrics parser: %s" % e)
    else:
        theirs = {(s.name, tuple(sorted(s.labels.items()))): s.value for f in fams for s in f.samples}
        if theirs != {k: float(v) for k, v in series.items()}:
            problems.append("prometheus_client reads other samples than these")
    # promtool: the Prometheus text format node_exporter reads, and its lint rules.
    r = subprocess.run(["promtool", "check", "metrics"], input=raw, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if r.returncode != 0:
        problems.append("promtool check metrics (status %d): %s" % (r.returncode, r.stdout.decode(errors="replace")[:500]))
    if problems:
        raise Bad("\n".join(problems))
    return series


def load(path):
    with open(path, "rb") as f:
        return parse(f.read())


if __name__ == "__main__":
    try:
        s = load(sys.argv[1])
    except Bad as e:
        print(e)
        sys.exit(1)
    print("ok: %d samples" % len(s))
