#!/usr/bin/env python3
# bench.py: `make bench` driver (bench layer): times memps against its peers on one shared load
"""Benchmark memps against its peers on the same input, in one run.

bench/spawn starts the load (about 400 processes, about 30k mappings, one
process with more than 5000).  While it runs, every scenario below times each
of its commands BENCH_RUNS times (after one warm-up run), interleaved (each
round in its own seeded random order, each timing after the machine is quiet), and
prints the median and minimum wall time, the peak RSS over the runs, the
ratio to the scenario's reference command (its time / the reference's), the
number of lines and KB the warm-up run printed (a sanity check: a tool that prints
nothing is not doing the work) and PASS/MISS for each stated target.

Commands run through `bench/spawn -r`, which forks, execs, times and
wait4()s them; see spawn.c for why the RSS cannot be taken from python.

To add a tool or a peer, add an Entry to a scenario in scenarios(); a command
whose binary does not exist is skipped ("skipped: memmaps not built",
"skipped: smem not installed"), and a command that fails is reported as
"failed (rc N)" while the bench goes on.

Environment: top_builddir, top_srcdir (set by `make bench`), BENCH_RUNS
(default 7), BENCH_CHILDREN (400), BENCH_MAPS (40 per child), BENCH_BIG (5200
mappings in the big child), BENCH_ONLY (comma-separated scenario names),
BENCH_MARKDOWN (also write the results as Markdown to this file), BENCH_SCALE
(process counts of the scale scenarios, default "1000,10000"; empty: none),
BENCH_SCALE_MAPS (20 mappings per process there).

The scale scenarios run after the others, each with a load of its own and the
main load stopped; the last line compares them: time at the largest count over
time at the smallest, against the count ratio (target: 10x the processes in at
most 10.5x the time).
"""

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time


class Entry:
    """One command to time: LABEL, ARGV (with {placeholders}), its role."""

    def __init__(self, label, argv, subject=False, ok_rc=(0,), need=None):
        self.label = label
        self.argv = argv
        self.subject = subject      # the command the scenario's targets are about (variants such
                                    # as --json are shown for information, without target cells)
        self.ok_rc = ok_rc          # exit statuses that count as success
        self.need = need            # binary to look for (default: argv[0])


class Target:
    """A stated target for subject rows, relative to the entry labelled PEER.

    With FASTER, the ratio is peer time / subject time and must be >= LIMIT;
    otherwise it is subject METRIC / peer METRIC and must be <= LIMIT.
    """

    def __init__(self, title, peer, metric, limit, faster=False):
        self.title = title
        self.peer = peer
        self.metric = metric        # "time" or "rss"
        self.limit = limit
        self.faster = faster


class Scenario:
    def __init__(self, name, what, entries, targets=(), min_runs=0):
        self.name = name
        self.what = what
        self.entries = entries
        self.targets = targets
        self.min_runs = min_runs    # at least this many runs whatever BENCH_RUNS says: a command of
                                    # a millisecond needs hundreds for a median that the other
                                    # processes of the machine do not decide


FLOOR_LIVE = "floor: cat smaps_rollup"


def scenarios():
    """The scenarios, in order; the first entry of each is its reference."""
    return [
        Scenario(
            "live", "whole system on live /proc, with the load running",
            [
                Entry("memps", ["{memps}"], subject=True),
                Entry("memps --json", ["{memps}", "--json"]),
                Entry("smem", ["smem"]),
                Entry("smemstat", ["smemstat"]),
                Entry("ps -eo pid,pss", ["ps", "-eo", "pid,pss"]),
                Entry(FLOOR_LIVE,
                      ["sh", "-c", "cat /proc/[0-9]*/smaps_rollup >/dev/null"],
                      ok_rc=(0, 1)),
                # Not a target: what reading every full smaps costs (smem
                # and smemstat do), to put the floor in perspective.
                Entry("cat smaps (all)",
                      ["sh", "-c", "cat /proc/[0-9]*/smaps >/dev/null"],
                      ok_rc=(0, 1)),
                # Not a target either: every file memps reads per process.
                Entry("cat memps's 5 files",
                      ["sh", "-c", "cat /proc/[0-9]*/smaps_rollup /proc/[0-9]*/stat "
                       "/proc/[0-9]*/status /proc/[0-9]*/cmdline /proc/[0-9]*/cgroup "
                       ">/dev/null"],
                      ok_rc=(0, 1)),
            ],
            [
                Target("<=1.3x floor", FLOOR_LIVE, "time", 1.3),
                Target(">=4x faster than smemstat", "smemstat", "time", 4.0,
                       faster=True),
                Target("RSS <=1.25x smemstat", "smemstat", "rss", 1.25),
            ]),
        Scenario(
            "snapshot", "the same load recorded by the bench (directory and .tar.gz)",
            [
                Entry("memps -S DIR", ["{memps}", "-S", "{snapdir}"], subject=True),
                Entry("memps -S DIR --json",
                      ["{memps}", "-S", "{snapdir}", "--json"], subject=True),
                Entry("memps -S TAR.GZ", ["{memps}", "-S", "{snaptar}"], subject=True),
                # smem -S (smemcap tarballs) would be the peer here, but
                # Debian 12's smem 1.5 fails on any tarball under python3
                # (it matches str patterns against bytes).
                Entry("floor: cat DIR/*/smaps_rollup",
                      ["sh", "-c", "cat {snapdir}/[0-9]*/smaps_rollup >/dev/null"],
                      ok_rc=(0, 1)),
                Entry("floor: gzip -dc TAR.GZ",
                      ["sh", "-c", "gzip -dc {snaptar} >/dev/null"], need="gzip"),
            ]),
        Scenario(
            "memmaps", "one process with >= 5000 mappings (the big child, pid {bigpid})",
            [
                Entry("memmaps", ["{memmaps}", "{bigpid}"], subject=True),
                Entry("memmaps --flat -X", ["{memmaps}", "--flat", "-X", "{bigpid}"]),
                Entry("memmaps --json", ["{memmaps}", "--json", "{bigpid}"]),
                Entry("pmap -X", ["pmap", "-X", "{bigpid}"]),
                Entry("floor: cat smaps", ["cat", "/proc/{bigpid}/smaps"]),
            ],
            [
                Target("<=1.2x floor", "floor: cat smaps", "time", 1.2),
                Target("faster than pmap -X", "pmap -X", "time", 1.0, faster=True),
            ]),
        Scenario(
            "memobjs", "memory objects over the whole system, live",
            [
                Entry("memobjs", ["{memobjs}"], subject=True),
                Entry("memobjs --json", ["{memobjs}", "--json"]),
                Entry("smem -m", ["smem", "-m"]),
                Entry("info: cat smaps (all)",
                      ["sh", "-c", "cat /proc/[0-9]*/smaps >/dev/null"], ok_rc=(0, 1)),
            ],
            [
                Target(">=5x faster than smem -m", "smem -m", "time", 5.0, faster=True),
            ]),
        Scenario(
            "memcap", "recording to /dev/null: the load's processes (issue 9's target: < 1 s), "
            "the whole system",
            [
                Entry("memcap LOAD", ["sh", "-c", "exec {memcap} $(cut -d' ' -f1 {loadpids})"], subject=True),
                Entry("memcap LOAD, busybox sh",
                      ["sh", "-c", "exec busybox sh {memcap} $(cut -d' ' -f1 {loadpids})"], need="busybox"),
                Entry("floor: cat LOAD's smaps",
                      ["sh", "-c", "cd /proc && cat $(sed 's| .*|/smaps|' {loadpids}) >/dev/null"],
                      ok_rc=(0, 1)),
                Entry("memcap", ["{memcap}"]),
                Entry("memcap -z", ["{memcap}", "-z"]),
                # smemcap (C) records smaps, cmdline and stat only, of every process, and checks
                # no error.
                Entry("smemcap", ["smemcap"]),
                Entry("floor: cat smaps (all)",
                      ["sh", "-c", "cat /proc/[0-9]*/smaps >/dev/null"], ok_rc=(0, 1)),
            ]),
        Scenario(
            "memgraph", "the whole machine as one tree, live: memgraph -v (processes and their "
            "objects) against smem and smem -m run together (the same two views)",
            [
                Entry("memgraph -v", ["{memgraph}", "-v"], subject=True),
                Entry("memgraph", ["{memgraph}"]),
                Entry("memgraph -v -t", ["{memgraph}", "-v", "-t"]),
                Entry("smem + smem -m", ["sh", "-c", "smem >/dev/null && exec smem -m"], need="smem"),
                Entry("info: cat smaps (all)",
                      ["sh", "-c", "cat /proc/[0-9]*/smaps >/dev/null"], ok_rc=(0, 1)),
            ],
            [
                Target(">=5x faster than smem + smem -m", "smem + smem -m", "time", 5.0, faster=True),
            ]),
        Scenario(
            "memsys", "the whole machine by kind: one /proc/meminfo read",
            [
                Entry("memsys", ["{memsys}"], subject=True),
                Entry("memsys --json", ["{memsys}", "--json"]),
                Entry("free", ["free"]),
                Entry("floor: cat meminfo", ["cat", "/proc/meminfo"]),
            ],
            [
                Target("<=1.2x floor", "floor: cat meminfo", "time", 1.2),
            ], min_runs=301),
    ]


FLOOR_PAR = "floor: rollups on every CPU"


def scale_scenario(n):
    """N small processes (BENCH_SCALE_MAPS mappings each) and nothing else of the bench running: how
    memps grows with the number of processes.  The reference is the kernel's work read on every CPU
    (bench/floor), since memps reads on every CPU.  Two more floors split what memps's default view
    makes the kernel do beyond the rollups: each process's comm (its name), then, on a thread of its
    own, every cgroup.procs of the hierarchies the job rule reads (its cgroup)."""
    return Scenario(
        "scale-%d" % n, "%d small processes of {scale_maps} mappings each, live" % n,
        [
            Entry(FLOOR_PAR, ["{floor}", "smaps_rollup"]),
            Entry("floor: + comm", ["{floor}", "smaps_rollup", "comm"]),
            Entry("floor: + comm + cgroup.procs", ["{floor}", "-c", "smaps_rollup", "comm"]),
            Entry("memps", ["{memps}"], subject=True),
            Entry("smemstat", ["smemstat"]),
            Entry("floor: cat every rollup",
                  ["sh", "-c", "cat /proc/[0-9]*/smaps_rollup >/dev/null"], ok_rc=(0, 1)),
            Entry("memobjs", ["{memobjs}"]),
        ],
        [
            Target("<=1.2x parallel floor", FLOOR_PAR, "time", 1.2),
            Target("RSS <=1.5x smemstat", "smemstat", "rss", 1.5),
        ])


# ---------------------------------------------------------------- the load

def cpu_times():
    """(idle, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])


def settle(max_s=15.0, want_idle=0.8, window=0.5):
    """Waits until the CPUs are mostly idle for a window of seconds: a load's creation leaves work
    behind (page-cache writeback of its mapped file, the kernel's memory scanners walking the new
    pages), and so does a big command's exit (its memory given back), which would land in the next
    timing.  False if they are still busy after max_s seconds."""
    deadline = time.monotonic() + max_s
    prev = cpu_times()
    while time.monotonic() < deadline:
        time.sleep(window)
        cur = cpu_times()
        total = cur[1] - prev[1]
        if total > 0 and (cur[0] - prev[0]) / total >= want_idle:
            return True
        prev = cur
    return False


class Load:
    """bench/spawn, started in its own session; stop() ends exactly it."""

    def __init__(self, spawn, workdir, children, maps, big):
        self.pidfile = os.path.join(workdir, "load.pids")
        if os.path.exists(self.pidfile):       # an earlier load's: wait_ready must see this one's
            os.unlink(self.pidfile)
        self.proc = subprocess.Popen(
            [spawn, "-n", str(children), "-m", str(maps), "-b", str(big),
             "-d", workdir, "-o", self.pidfile],
            start_new_session=True, stdin=subprocess.DEVNULL)
        self.pids = {}

    def wait_ready(self):
        """Wait for the pid file, then read it."""
        deadline = time.monotonic() + 120
        while not os.path.exists(self.pidfile):
            if self.proc.poll() is not None:
                raise RuntimeError("spawn exited with status %d before it was ready"
                                   % self.proc.returncode)
            if time.monotonic() > deadline:
                raise RuntimeError("spawn was not ready after 120 s")
            time.sleep(0.05)
        with open(self.pidfile) as f:
            for line in f:
                pid, kind = line.split()
                self.pids[int(pid)] = kind
        if not settle():
            print("bench: the machine did not settle after the load started (CPUs under 80 % idle "
                  "for 15 s): timings are noisy", file=sys.stderr)

    def big_pid(self):
        for pid, kind in self.pids.items():
            if kind == "big":
                return pid
        return None

    def stop(self):
        """SIGTERM the spawn parent (it kills and reaps its children), then
        SIGKILL its process group if it is still there after 10 s."""
        if self.proc.poll() is not None:
            return
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()


def count_lines(path):
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in f)
    except OSError:
        return 0


def proc_pids():
    return sorted(int(d) for d in os.listdir("/proc") if d.isdigit())


# ------------------------------------------------------------ the snapshot

SNAP_FILES = ("smaps_rollup", "smaps", "status", "stat", "cmdline", "cgroup")


def read_proc_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def record_snapshot(root):
    """Copy /proc/[0-9]*/{SNAP_FILES}, meminfo and version into ROOT with
    plain reads; a file that cannot be read is left out."""
    os.makedirs(root)
    nproc = 0
    for top in ("meminfo", "version"):
        data = read_proc_file("/proc/" + top)
        if data is not None:
            with open(os.path.join(root, top), "wb") as f:
                f.write(data)
    for pid in proc_pids():
        files = {}
        for name in SNAP_FILES:
            data = read_proc_file("/proc/%d/%s" % (pid, name))
            if data is not None:
                files[name] = data
        if not files:
            continue
        d = os.path.join(root, str(pid))
        os.mkdir(d)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        nproc += 1
    return nproc


def tar_snapshot(root, path):
    with tarfile.open(path, "w:gz") as tar:
        for name in sorted(os.listdir(root)):
            tar.add(os.path.join(root, name), arcname=name)


def tree_size(root):
    total = 0
    for d, _, files in os.walk(root):
        for name in files:
            total += os.path.getsize(os.path.join(d, name))
    return total


# -------------------------------------------------------------- measuring

class Result:
    def __init__(self, entry, argv):
        self.entry = entry
        self.argv = argv
        self.times = []             # seconds
        self.rss = []               # bytes
        self.status = None          # None: ok; else "skipped: ..." / "failed ..."
        self.out_lines = None       # lines the warm-up run printed
        self.out_bytes = None       # and bytes

    def ok(self):
        return self.status is None and self.times

    def median_time(self):
        return statistics.median(self.times)

    def max_rss(self):
        return max(self.rss)

    def metric(self, name):
        return self.median_time() if name == "time" else self.max_rss()


def run_once(spawn, argv, workdir, env, outpath=os.devnull):
    """Run ARGV through `spawn -r` (see spawn.c for why not straight from
    here) with stdin on /dev/null, stdout to OUTPATH and stderr to a file;
    return (exit status, wall seconds, peak RSS bytes of it and its
    children, the stderr file)."""
    errpath = os.path.join(workdir, "stderr")
    respath = os.path.join(workdir, "result")
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, outpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, errpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    if os.path.exists(respath):
        os.unlink(respath)
    pid = os.posix_spawn(spawn, [spawn, "-r", respath, "--"] + argv, env,
                         file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not os.path.exists(respath):
        raise OSError(0, "spawn -r failed: " + first_line(errpath))
    with open(respath) as f:
        rc, ns, kb = (int(x) for x in f.read().split())
    return rc, ns / 1e9, kb * 1024, errpath


def first_line(path):
    try:
        with open(path, "rb") as f:
            for line in f:
                line = line.decode("utf-8", "replace").strip()
                if line:
                    return line[:160]
    except OSError:
        pass
    return ""


def find_binary(entry, argv):
    """None if the entry can run, else the reason it is skipped."""
    need = entry.need or argv[0]
    if os.sep in need:
        if not os.access(need, os.X_OK):
            return "skipped: %s not built" % os.path.basename(need)
    elif shutil.which(need) is None:
        return "skipped: %s not installed" % need
    return None


def fill(arg, ctx):
    try:
        return arg.format(**ctx)
    except KeyError:
        return None


def run_scenario(sc, ctx, runs, spawn, workdir, env):
    results = []
    for e in sc.entries:
        argv = [fill(a, ctx) for a in e.argv]
        r = Result(e, argv)
        if None in argv:
            r.status = "skipped: no input for it"
        else:
            r.status = find_binary(e, argv)
        results.append(r)
    outpath = os.path.join(workdir, "stdout")

    def measure(r, keep):
        # Each timing starts on a quiet machine: the command before it (memobjs at 10 000 processes
        # gives back 74 MB as it exits) must not land in it (it made the first entry of a round,
        # the floor, look up to 1.7x slower than its own minimum).
        settle(max_s=5.0, window=0.2)
        try:
            rc, wall, rss, errpath = run_once(spawn, r.argv, workdir, env,
                                              os.devnull if keep else outpath)
        except OSError as err:
            r.status = "failed (%s)" % err.strerror
            return
        if rc not in r.entry.ok_rc:
            msg = first_line(errpath)
            r.status = "failed (rc %d)%s" % (rc, ": " + msg if msg else "")
            return
        if keep:
            r.times.append(wall)
            r.rss.append(rss)
        else:
            r.out_lines = count_lines(outpath)
            r.out_bytes = os.path.getsize(outpath)

    for r in results:                           # warm-up
        if r.status is None:
            measure(r, False)
    # Interleaved runs, each round in its own order: whatever a command leaves behind as it exits
    # (the page reporting of memobjs's 74 MB given back, seconds later) lands on a different entry
    # each round, not always on the one after it.  Seeded: the same orders in every bench run.
    rng = random.Random(sc.name)
    for _ in range(max(runs, sc.min_runs)):
        order = [r for r in results if r.status is None]
        rng.shuffle(order)
        for r in order:
            measure(r, True)
    return results


# -------------------------------------------------------------- reporting

def target_cell(t, r, by_label):
    peer = by_label.get(t.peer)
    if not r.ok() or peer is None or not peer.ok():
        return "n/a"
    if not r.out_bytes:
        return "n/a (no output)"
    a, b = r.metric(t.metric), peer.metric(t.metric)
    if t.faster:
        ratio = b / a
        good = ratio >= t.limit
    else:
        ratio = a / b
        good = ratio <= t.limit
    return "%s %.2fx" % ("PASS" if good else "MISS", ratio)


def table_rows(sc, results):
    by_label = {r.entry.label: r for r in results}
    ref = results[0] if results and results[0].ok() else None
    header = ["tool", "median ms", "min ms", "max RSS MB", "ratio", "out lines", "out KB"]
    header += [t.title for t in sc.targets]
    rows = []
    for r in results:
        if not r.ok():
            rows.append([r.entry.label, r.status])
            continue
        t = r.median_time()
        ratio = "%.2f" % (t / ref.median_time()) if ref else "n/a"
        row = [r.entry.label, "%.1f" % (t * 1000), "%.1f" % (min(r.times) * 1000),
               "%.1f" % (r.max_rss() / 1048576), ratio, str(r.out_lines),
               "%.1f" % (r.out_bytes / 1024)]
        for tg in sc.targets:
            row.append(target_cell(tg, r, by_label) if r.entry.subject else "")
        rows.append(row)
    return header, rows


def print_table(header, rows, out):
    widths = [len(h) for h in header]
    for row in rows:
        if len(row) == 2:                       # a status spans the columns
            widths[0] = max(widths[0], len(row[0]))
            continue
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    fmt = lambda row: "  ".join(
        c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row))
    out.write(fmt(header).rstrip() + "\n")
    for row in rows:
        if len(row) == 2:
            out.write(row[0].ljust(widths[0]) + "  " + row[1] + "\n")
        else:
            out.write(fmt(row).rstrip() + "\n")


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    for row in rows:
        row = row + [""] * (len(header) - len(row))
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines) + "\n"


def machine_info():
    info = {"nproc": str(os.cpu_count()), "kernel": os.uname().release}
    cpu = read_proc_file("/proc/cpuinfo") or b""
    for line in cpu.decode("utf-8", "replace").splitlines():
        if line.startswith("model name"):
            info["cpu"] = line.split(":", 1)[1].strip()
            break
    mem = read_proc_file("/proc/meminfo") or b""
    for line in mem.decode().splitlines():
        if line.startswith("MemTotal:"):
            info["memory"] = "%.1f GiB" % (int(line.split()[1]) / 1048576)
    return info


def ldd_text(path):
    if not os.access(path, os.X_OK) or shutil.which("ldd") is None:
        return None
    p = subprocess.run(["ldd", path], capture_output=True, text=True)
    return p.stdout.strip() or p.stderr.strip()


def report_scenario(sc, ctx, runs, spawn, workdir, env, out, md):
    """Runs one scenario, prints its table and appends it to the Markdown; returns the results."""
    what = fill(sc.what, ctx) or sc.what
    out.write("\n== %s: %s\n" % (sc.name, what))
    out.flush()
    results = run_scenario(sc, ctx, runs, spawn, workdir, env)
    header, rows = table_rows(sc, results)
    print_table(header, rows, out)
    for r in results:
        if r.ok():
            out.write("   %s: %s\n" % (r.entry.label, " ".join(r.argv)))
    md.append("\n## %s: %s\n\n" % (sc.name, what))
    md.append(markdown_table(header, rows))
    out.flush()
    return results


# -------------------------------------------------------------------- main

class Stop(Exception):
    pass


def on_signal(signum, frame):
    raise Stop("stopped by signal %d" % signum)


def main():
    builddir = os.path.abspath(os.environ.get("top_builddir", "."))
    runs = int(os.environ.get("BENCH_RUNS", "7"))
    children = int(os.environ.get("BENCH_CHILDREN", "400"))
    maps = int(os.environ.get("BENCH_MAPS", "40"))
    big = int(os.environ.get("BENCH_BIG", "5200"))
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    mdpath = os.environ.get("BENCH_MARKDOWN")
    scale_counts = [int(n) for n in os.environ.get("BENCH_SCALE", "1000,10000").split(",") if n]
    scale_maps = int(os.environ.get("BENCH_SCALE_MAPS", "20"))
    spawn = os.path.join(builddir, "bench", "spawn")
    out = sys.stdout
    env = dict(os.environ, LC_ALL="C")
    env.pop("NO_COLOR", None)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    info = machine_info()
    md = ["# memps bench results\n",
          "machine: %s, %s CPUs, %s RAM, kernel %s; %d runs each, median\n"
          % (info.get("cpu", "?"), info["nproc"], info.get("memory", "?"),
             info["kernel"], runs)]
    out.write("bench: %s\n" % md[1].strip())

    workdir = tempfile.mkdtemp(prefix="memps-bench-")
    load = None
    try:
        load = Load(spawn, workdir, children, maps, big)
        load.wait_ready()
        load_maps = sum(count_lines("/proc/%d/maps" % p) for p in load.pids)
        all_pids = proc_pids()
        all_maps = sum(count_lines("/proc/%d/maps" % p) for p in all_pids)
        bigpid = load.big_pid()
        line = ("load: %d processes, %d mappings (big child pid %s: %d); "
                "whole system: %d processes, %d mappings"
                % (len(load.pids), load_maps, bigpid,
                   count_lines("/proc/%s/maps" % bigpid) if bigpid else 0,
                   len(all_pids), all_maps))
        out.write("bench: %s\n" % line)
        md.append(line + "\n")

        snapdir = os.path.join(workdir, "snap")
        snaptar = os.path.join(workdir, "snap.tar.gz")
        t0 = time.perf_counter()
        nsnap = record_snapshot(snapdir)
        t1 = time.perf_counter()
        tar_snapshot(snapdir, snaptar)
        line = ("snapshot: %d processes, %.1f MB as a directory (recorded in %.2f s), "
                "%.1f MB as .tar.gz"
                % (nsnap, tree_size(snapdir) / 1e6, t1 - t0,
                   os.path.getsize(snaptar) / 1e6))
        out.write("bench: %s\n" % line)
        md.append(line + "\n")
        # The recording's 25 MB would be written back to disk in the middle of the timings.
        os.sync()
        settle()

        ctx = {
            "builddir": builddir,
            "memps": os.path.join(builddir, "memps"),
            "memmaps": os.path.join(builddir, "memmaps"),
            "memobjs": os.path.join(builddir, "memobjs"),
            "memcap": os.path.join(builddir, "memcap"),
            "loadpids": load.pidfile,
            "memsys": os.path.join(builddir, "memsys"),
            "memgraph": os.path.join(builddir, "memgraph"),
            "snapdir": snapdir,
            "snaptar": snaptar,
            "floor": os.path.join(builddir, "bench", "floor"),
            "scale_maps": str(scale_maps),
        }
        if bigpid:
            ctx["bigpid"] = str(bigpid)
        for sc in scenarios():
            if only and sc.name not in only:
                continue
            report_scenario(sc, ctx, runs, spawn, workdir, env, out, md)
        load.stop()
        load = None

        scaled = {}
        for n in scale_counts:
            sc = scale_scenario(n)
            if only and sc.name not in only:
                continue
            load = Load(spawn, workdir, n, scale_maps, 0)
            load.wait_ready()
            results = report_scenario(sc, ctx, runs, spawn, workdir, env, out, md)
            load.stop()
            load = None
            memps = [r for r in results if r.entry.label == "memps" and r.ok()]
            if memps:
                scaled[n] = memps[0].median_time()
        if len(scaled) >= 2:
            lo, hi = min(scaled), max(scaled)
            ratio = scaled[hi] / scaled[lo]
            limit = (hi / lo) * 1.05
            line = ("scale: memps at %d processes takes %.2fx its time at %d (%.0fx the "
                    "processes; target <= %.1fx): %s"
                    % (hi, ratio, lo, hi / lo, limit, "PASS" if ratio <= limit else "MISS"))
            out.write("\n" + line + "\n")
            md.append("\n" + line + "\n")

        ldd = ldd_text(ctx["memps"])
        if ldd:
            out.write("\nldd memps:\n" + ldd + "\n")
            md.append("\n## ldd memps\n\n```\n" + ldd + "\n```\n")
        if mdpath:
            with open(mdpath, "w") as f:
                f.write("".join(md))
    except (Stop, RuntimeError, OSError) as err:
        sys.stderr.write("bench: %s\n" % err)
        return 1
    finally:
        if load is not None:
            load.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
