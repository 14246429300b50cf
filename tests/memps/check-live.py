# check-live.py: runs memps -p PIDS --json on live processes and compares with /proc read here (test layer)
#
# Usage: check-live.py MEMPS PID...
# The processes are idle, but PSS of shared library pages moves whenever another process maps or
# unmaps them, so /proc is read before and after memps and the comparison is made only on a run
# where both readings agree; PSS of file pages is compared within the band memps's own mappings of
# the same libraries explain (expect.observer_band).  Also checks the workload's design: the kinds of memory
# tests/workload.c sets up show up where they should.

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import expect  # noqa: E402
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "check_json", os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-json.py"))
check_json = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_json)

MIB = 1024 * 1024


def read_live(pids):
    """The expected processes, read from /proc the way expect.py reads a snapshot."""
    procs = {}
    for pid in pids:
        p = expect.load_process("/proc", str(pid), None)
        procs[pid] = p
    return procs


def comparable(procs):
    """What must not move across a judged run: everything but PSS and Pss_File, which any process
    on the machine mapping or unmapping a shared library moves (see expect.observer_band)."""
    return {pid: {k: v for k, v in p.items() if k.endswith("_bytes") and
                  k not in ("pss_bytes", "pss_file_bytes")} for pid, p in procs.items()}


def compare(doc, after, pids):
    c = check_json.Checker("live workload")
    c.eq("schema", doc.get("schema"), "memps/1")
    c.eq("source.kind", (doc.get("source") or {}).get("kind"), "live")
    c.eq("source.path", (doc.get("source") or {}).get("path"), None)
    got = {p.get("pid"): p for p in doc.get("processes") or []}
    c.eq("pids listed", sorted(got, key=str), sorted(pids, key=str))
    users = {}
    with open("/etc/passwd") as f:
        for line in f:
            parts = line.split(":")
            if len(parts) > 2 and parts[2].isdigit():
                users.setdefault(int(parts[2]), parts[0])
    for pid, want in after.items():
        want["user"] = users.get(want["uid"])
        g = got.get(pid)
        if g is None:
            continue
        expect.observer_band(g, want)
        check_json.check_process(c, g, want)
        c.eq("pid %d state" % pid, g.get("state"), "ok")
    tot = doc.get("totals") or {}
    c.eq("totals.pss_bytes", tot.get("pss_bytes"), sum(got[p]["pss_bytes"] for p in pids if p in got))
    c.eq("totals.processes", tot.get("processes"), len(pids))
    return c, got


def main():
    memps = sys.argv[1]
    pids = [int(x) for x in sys.argv[2:]]
    arg = ",".join(str(p) for p in pids)
    # A run is judged only when /proc read the same before and after it.  PSS of file pages moves
    # whenever any process on the machine maps or unmaps the same library, even between two equal
    # readings, so up to 20 runs are made and the first that agrees is enough; a memps that gets a
    # figure wrong disagrees on every run.
    c = None
    stable = 0
    for attempt in range(20):
        before = read_live(pids)
        r = subprocess.run([memps, "-p", arg, "--json"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        after = read_live(pids)
        if r.returncode != 0:
            print("memps -p %s --json: exit %d: %s" % (arg, r.returncode, r.stderr.decode()[:400]))
            return 1
        if comparable(before) != comparable(after):
            continue
        stable += 1
        doc = json.loads(r.stdout.decode("utf-8"))
        c, got = compare(doc, after, pids)
        if not c.failures:
            break
    if c is None:
        print("/proc never stayed still across a memps run (20 tries)")
        return 1
    print("judged on a run where /proc stayed still (%d stable runs)" % stable)
    # What the workload set up (tests/workload.c): parent first, then the children in spawn order.
    parent, esc, memfd1, memfd2 = pids[0], pids[1], pids[2], pids[3]
    cows = pids[4:7]
    a = after
    c.ok("parent private >= 6 MiB private anon + 4 MiB COW area",
         (a[parent]["private_bytes"] or 0) >= 10 * MIB, "(%r)" % a[parent]["private_bytes"])
    c.ok("shared-anon child: >= 5 MiB shared (shared anon + SysV)",
         (a[esc]["shared_bytes"] or 0) >= 5 * MIB, "(%r)" % a[esc]["shared_bytes"])
    for m in (memfd1, memfd2):
        c.ok("memfd child %d: >= 3 MiB shared" % m, (a[m]["shared_bytes"] or 0) >= 3 * MIB,
             "(%r)" % a[m]["shared_bytes"])
        c.ok("memfd child %d: Pss_Shmem about a third of 3 MiB" % m,
             abs((a[m]["pss_shmem_bytes"] or 0) - MIB) <= 64 * 1024, "(%r)" % a[m]["pss_shmem_bytes"])
    for cw in cows:
        c.ok("COW child %d: >= 2 MiB private (its written half)" % cw,
             (a[cw]["private_bytes"] or 0) >= 2 * MIB, "(%r)" % a[cw]["private_bytes"])
    names = [got.get(p, {}).get("name") for p in pids]
    c.eq("names", names, ["workload", "wl\x1b[31mesc", "wl memfd one", "wl\nnl\ufffd\ufffd",
                          "wl-cow", "wl-cow", "wl-cow"])
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
