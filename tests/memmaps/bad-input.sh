#!/bin/sh
# bad-input.sh: hostile smaps (backwards or overlapping ranges, a 1 MB name, a field before any header, a cut record): exit 3 with the file and line named, or a result; never a crash (test layer)
MEMPS=${MEMMAPS:-${top_builddir:-.}/memmaps}
export MEMPS
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

dir=$FIXTURES/debian12-workload
pid=$(ls "$dir" | grep -E '^[0-9]+$' | sort -n | tail -1)
"$PYTHON3" "$top_srcdir/tests/memmaps/make-bad.py" "$dir" "$pid" "$T/bad" || { echo "FAIL: make-bad.py"; exit 99; }
"$PYTHON3" - "$MEMPS" "$T/bad" "$pid" <<'PY' || fail "bad inputs"
import json, os, re, subprocess, sys
memmaps, base, pid = sys.argv[1], sys.argv[2], sys.argv[3]
bad = []
for c in json.load(open(os.path.join(base, "manifest.json"))):
    snap = os.path.join(base, c["name"])
    for args in ([], ["--json"], ["--flat", "-X"]):
        try:
            r = subprocess.run([memmaps, "-S", snap] + args + [pid], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
        except subprocess.TimeoutExpired:
            bad.append("%s: hung" % c["name"])
            continue
        err = r.stderr.decode("utf-8", "replace")
        tag = "%s %s" % (c["name"], " ".join(args))
        if r.returncode < 0 or r.returncode >= 128:
            bad.append("%s: crashed with %d: %s" % (tag, r.returncode, err[:300]))
            continue
        if any(s in err for s in ("AddressSanitizer", "runtime error", "LeakSanitizer")):
            bad.append("%s: sanitizer report: %s" % (tag, err[:600]))
        if r.returncode != c["rc"]:
            bad.append("%s: exit status %d, expected %d: %s" % (tag, r.returncode, c["rc"], err[:300]))
        if c["rc"] == 3:
            path = os.path.join(snap, pid, "smaps")
            if path not in err or not re.search(r"line \d+", err):
                bad.append("%s: the message does not name %s and a line: %r" % (tag, path, err[:300]))
            if c["line"] and ("line %d:" % c["line"]) not in err:
                bad.append("%s: the message does not name line %d: %r" % (tag, c["line"], err[:300]))
        out = r.stdout
        if len(out) > 8 << 20:
            bad.append("%s: %d bytes of output" % (tag, len(out)))
        text = out.decode("utf-8", "replace")
        if c["name"] == "overlap" or (c["name"] == "backwards" and "unreadable" not in text):
            # a flagged partial result: the mappings before the bad one (the parser may refuse a
            # backwards range itself: then the process is unreadable, with the same message)
            if args == ["--json"]:
                p = json.loads(text)["processes"][0]
                if not p["partial"] or not p["problem"] or len(p["mappings"]) != (1 if c["name"] == "backwards" else 2):
                    bad.append("%s: not a flagged partial result: %r" % (tag, text[:300]))
            elif "[partial: bad input]" not in text:
                bad.append("%s: partial result not flagged: %r" % (tag, text[:300]))
        if c["name"] == "good" and args == [] and " M ________00020000-________00030000 rw-p " not in text:
            bad.append("%s: addresses below 4 GiB are not printed as ________%%08x: %r" % (tag, text[:400]))
        if c["name"] == "huge-name" and args == [] and not any(("/" + "n" * (1 << 20) + "'") in l for l in text.split("\n")):
            bad.append("%s: the 1 MB name is not shown whole on its row" % tag)
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
finish
