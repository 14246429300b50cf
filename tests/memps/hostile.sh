#!/bin/sh
# hostile.sh: garbled, hostile and truncated snapshots made by make-hostile.py: documented exit status, clear message, no crash (test layer)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/common/lib.sh"
need_memps

"$PYTHON3" "$MEMPS_TESTDIR/make-hostile.py" "$T/h" || { echo "FAIL: make-hostile.py"; exit 99; }
"$PYTHON3" - "$MEMPS" "$T/h" <<'PY' || fail "hostile inputs"
import json, os, subprocess, sys
memps, base = sys.argv[1], sys.argv[2]
cases = json.load(open(os.path.join(base, "manifest.json")))
bad = []
for c in cases:
    path = os.path.join(base, c["name"])
    args = [path if a == "@" else a for a in c["args"]]
    try:
        r = subprocess.run([memps] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        bad.append("%s: memps hung" % c["name"])
        continue
    out, err = r.stdout, r.stderr.decode("utf-8", "replace")
    tag = "%s (memps %s)" % (c["name"], " ".join(c["args"]))
    if r.returncode < 0 or r.returncode >= 128:
        bad.append("%s: crashed, status %d: %s" % (tag, r.returncode, err[:300]))
        continue
    for s in ("AddressSanitizer", "runtime error", "LeakSanitizer"):
        if s in err:
            bad.append("%s: sanitizer report: %s" % (tag, err[:600]))
    if r.returncode != c["rc"]:
        bad.append("%s: exit status %d, expected %d; stderr: %s" % (tag, r.returncode, c["rc"], err[:300]))
    if c["rc"] != 0 and not err.strip():
        bad.append("%s: nothing on stderr" % tag)
    if len(err) > 20000:
        bad.append("%s: %d bytes on stderr (the 1 MB line echoed?)" % (tag, len(err)))
    for s in c["stderr"]:
        if s not in err:
            bad.append("%s: stderr does not name %r: %s" % (tag, s, err[:300]))
    for s in c["never"]:
        if s.encode() in out or s in err:
            bad.append("%s: %r from outside the snapshot shows up" % (tag, s))
    if c["json"]:
        try:
            doc = json.loads(out.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            bad.append("%s: stdout is not valid JSON: %s" % (tag, e))
            continue
        procs = {p["pid"]: p for p in doc.get("processes", [])}
        for pid, pss in c["good"].items():
            p = procs.get(int(pid))
            if p is None or p.get("state") != "ok" or p.get("pss_bytes") != pss:
                bad.append("%s: pid %s should be measured with PSS %d: %r" % (tag, pid, pss, p))
        for pid in c["bad"]:
            p = procs.get(pid)
            if p is None or p.get("state") != "unreadable" or p.get("pss_bytes") is not None:
                bad.append("%s: pid %d should be unreadable with null sizes: %r" % (tag, pid, p))
            elif c["rc"] == 3 and p.get("error") != "malformed" and c["name"] not in ("symlink-file",):
                bad.append("%s: pid %d error %r, expected \"malformed\"" % (tag, pid, p.get("error")))
    print("ok: %s -> %d" % (tag, r.returncode))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
finish
