# check-json.py: compares `memps -S SNAPSHOT --json` with expect.py's independent model (test layer)
#
# Usage: check-json.py SNAPSHOT_DIR ACTUAL_JSON SOURCE_PATH
# SNAPSHOT_DIR is the fixture directory the expected values are computed from; ACTUAL_JSON is memps's
# output for it (or for a tar made from it); SOURCE_PATH is the path memps was given (source.path).
# Prints every disagreement as "LABEL: memps=X expected=Y" and exits 1 if there is any.

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import expect  # noqa: E402

SMAPS_METRICS = [m for m in expect.METRICS if m != "vss"]


class Checker:
    def __init__(self, label):
        self.label = label
        self.failures = []

    def eq(self, what, actual, expected):
        if actual != expected or type(actual) is not type(expected):
            self.failures.append("%s: %s: memps=%r expected=%r" % (self.label, what, actual, expected))

    def ok(self, what, cond, detail=""):
        if not cond:
            self.failures.append("%s: %s %s" % (self.label, what, detail))

    def done(self):
        for f in self.failures:
            print(f)
        if self.failures:
            print("%s: %d mismatches" % (self.label, len(self.failures)))
            return 1
        print("%s: all values agree" % self.label)
        return 0


def check_process(c, got, want):
    pid = want["pid"]
    tag = "pid %d" % pid
    for k in ("pid", "ppid", "uid", "user", "name", "cmdline", "job", "state"):
        c.eq("%s %s" % (tag, k), got.get(k), want[k])
    if want["state"] in ("unreadable", "vanished"):
        c.eq("%s error" % tag, got.get("error"), want["error"])
    elif want["state"] == "ok":
        c.eq("%s error" % tag, got.get("error"), None)
    if want["state"] == "ok":
        for m in expect.METRICS:
            c.eq("%s %s_bytes" % (tag, m), got.get(m + "_bytes"), want[m + "_bytes"])
        return
    # Not measured: figures from smaps are null; RSS may come from status and VSS from stat.
    for m in SMAPS_METRICS:
        if m == "rss":
            continue
        c.eq("%s %s_bytes (state %s)" % (tag, m, want["state"]), got.get(m + "_bytes"), None)
    rss = got.get("rss_bytes")
    c.ok("%s rss_bytes" % tag, rss is None or rss == want["status_rss"],
         "memps=%r expected null or status VmRSS %r" % (rss, want["status_rss"]))
    vss = got.get("vss_bytes")
    c.ok("%s vss_bytes" % tag, vss is None or vss == want["stat_vsize"],
         "memps=%r expected null or stat vsize %r" % (vss, want["stat_vsize"]))


def check_document(c, doc, model, source_path, procs=None):
    """Checks a whole memps/1 document against the model; procs: the expected selection."""
    c.eq("schema", doc.get("schema"), "memps/1")
    src = doc.get("source") or {}
    c.eq("source.kind", src.get("kind"), "snapshot")
    c.eq("source.path", src.get("path"), None if source_path == "-" else source_path)
    c.eq("source.format", src.get("format"),
         "stdin" if source_path == "-" else "tar" if ".tar" in os.path.basename(source_path) else "dir")
    kern = src.get("kernel")
    if model["version"] is None:
        c.eq("source.kernel", kern, None)
    else:
        c.ok("source.kernel", isinstance(kern, str) and kern != "" and kern in model["version"],
             "memps=%r is not part of the version file %r" % (kern, model["version"]))
    if procs is None:
        procs = expect.select(model)
    got_procs = doc.get("processes") or []
    got_pids = [p.get("pid") for p in got_procs]
    c.eq("processes are sorted by pid", got_pids, sorted(got_pids, key=lambda x: (x is None, x)))
    by_pid = {p.get("pid"): p for p in got_procs}
    want_all = {p["pid"]: p for p in model["processes"]}
    for pid, want in want_all.items():
        if pid not in by_pid:
            c.failures.append("%s: pid %d missing from processes" % (c.label, pid))
            continue
        check_process(c, by_pid[pid], want)
    for pid in by_pid:
        if pid not in want_all:
            c.failures.append("%s: pid %r listed but not in the snapshot" % (c.label, pid))

    want_jobs = expect.jobs(procs)
    got_jobs = {j.get("id"): j for j in doc.get("jobs") or []}
    c.eq("job ids", sorted(got_jobs, key=str), sorted(want_jobs))
    for jid, want in want_jobs.items():
        got = got_jobs.get(jid)
        if got is None:
            continue
        for k in ("parent", "pss_bytes", "private_bytes", "partial", "processes", "missing"):
            c.eq("job %s %s" % (jid, k), got.get(k), want[k])

    want_tot = expect.totals(procs)
    got_tot = doc.get("totals") or {}
    for k, v in want_tot.items():
        c.eq("totals.%s" % k, got_tot.get(k), v)
    c.eq("unreadable", doc.get("unreadable"),
         sum(1 for p in procs if p["state"] == "unreadable"))
    c.eq("vanished", doc.get("vanished"), sum(1 for p in procs if p["state"] == "vanished"))


def main():
    snap, actual, source_path = sys.argv[1:4]
    with open(actual, "rb") as f:
        raw = f.read()
    c = Checker("%s (%s)" % (os.path.basename(os.path.normpath(snap)), source_path))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print("%s: output is not valid UTF-8 JSON: %s" % (c.label, e))
        return 1
    check_document(c, doc, expect.load(snap), source_path)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
