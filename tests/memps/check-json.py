# check-json.py: compares `memps -S SNAPSHOT --json` with expect.py's independent model (test layer)
#
# Usage: check-json.py SNAPSHOT_DIR ACTUAL_JSON SOURCE_PATH [-- MEMPS_ARGS...]
# SNAPSHOT_DIR is the fixture directory the expected values are computed from; ACTUAL_JSON is memps's
# output for it (or for a tar made from it); SOURCE_PATH is the path memps was given (source.path).
# MEMPS_ARGS (without -S and --json) may select processes (-p), --group=user|program or
# --tree=parent, whose "groups" and "subtrees" are then checked too.
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
    for k in ("pid", "ppid", "uid", "user", "name", "cmdline", "cmdline_cut", "job", "job_hierarchy", "state"):
        c.eq("%s %s" % (tag, k), got.get(k), want[k])
    c.eq("%s error" % tag, got.get("error"), want["error"] if want["state"] in ("unreadable", "vanished") else None)
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


def check_document(c, doc, model, source_path, procs=None, pids=None, with_jobs=True):
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
    want_all = {p["pid"]: p for p in model["processes"] if pids is None or p["pid"] in pids}
    for pid, want in want_all.items():
        if pid not in by_pid:
            c.failures.append("%s: pid %d missing from processes" % (c.label, pid))
            continue
        check_process(c, by_pid[pid], want)
    for pid in by_pid:
        if pid not in want_all:
            c.failures.append("%s: pid %r listed but not in the snapshot" % (c.label, pid))

    want_jobs = expect.jobs(procs) if with_jobs else {}  # jobs come with the cgroup tree only
    got_jobs = {j.get("id"): j for j in doc.get("jobs") or []}
    c.eq("job ids", sorted(got_jobs, key=str), sorted(want_jobs, key=str))
    for jid, want in want_jobs.items():
        got = got_jobs.get(jid)
        if got is None:
            continue
        for k, v in want.items():
            if k not in ("direct", "id"):
                c.eq("job %s %s" % (jid, k), got.get(k), v)

    want_tot = expect.totals(procs)
    got_tot = doc.get("totals") or {}
    for k, v in want_tot.items():
        c.eq("totals.%s" % k, got_tot.get(k), v)
    c.eq("unreadable", doc.get("unreadable"),
         sum(1 for p in procs if p["state"] == "unreadable"))
    c.eq("vanished", doc.get("vanished"), sum(1 for p in procs if p["state"] == "vanished"))


def check_groups(c, doc, procs, kind):
    want = {}
    for key, members in expect.groups(procs, kind).items():
        want[key if kind == "user" else expect.dec(key)] = members
    got = {g.get("name"): g for g in doc.get("groups") or []}
    c.eq("group names", sorted(got, key=str), sorted(want, key=str))
    for name, members in want.items():
        g = got.get(name)
        if g is None:
            continue
        c.eq("group %s kind" % name, g.get("kind"), kind)
        for k, v in expect.sums(members).items():
            c.eq("group %s %s" % (name, k), g.get(k), v)


def check_subtrees(c, doc, procs):
    want = expect.subtrees(procs)
    got = {s.get("pid"): s for s in doc.get("subtrees") or []}
    c.eq("subtree pids", sorted(got, key=str), sorted(want, key=str))
    for pid, (parent, members) in want.items():
        s = got.get(pid)
        if s is None:
            continue
        c.eq("subtree %d parent" % pid, s.get("parent"), parent)
        for k, v in expect.sums(members).items():
            c.eq("subtree %d %s" % (pid, k), s.get(k), v)


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    snap, actual, source_path = argv[:3]
    pids = group = None
    tree = "cgroup"
    for i, a in enumerate(extra):
        if a in ("-p", "--pid"):
            pids = {int(x) for x in extra[i + 1].split(",")}
        elif a.startswith("--group="):
            group = a.split("=", 1)[1]
        elif a.startswith("--tree="):
            tree = a.split("=", 1)[1]
    with open(actual, "rb") as f:
        raw = f.read()
    c = Checker("%s (%s)" % (os.path.basename(os.path.normpath(snap)), source_path))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print("%s: output is not valid UTF-8 JSON: %s" % (c.label, e))
        return 1
    model = expect.load(snap)
    procs = expect.select(model, pids=pids)
    check_document(c, doc, model, source_path, procs, pids, tree == "cgroup" and not group)
    if group:
        check_groups(c, doc, procs, group)
    elif tree == "parent":
        check_subtrees(c, doc, procs)
    else:
        c.eq("subtrees", doc.get("subtrees"), None)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
