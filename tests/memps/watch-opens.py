#!/usr/bin/env python3
# watch-opens.py: which samples of a memps -w run opened a process's stat or comm, from an strace log (test layer)
#
#   watch-opens.py once TRACE OUT PID...   each PID's stat opened once: in the sample whose text (OUT)
#                                          first shows it, never after; the last PID first shown after
#                                          sample 1 (a process that started during the watch)
#   watch-opens.py every TRACE N PID...    each PID's stat opened in each of the N samples' scans, and
#                                          its comm never (no pidfd: stat brings the name)
# A sample's reads come before the write of its text ("sample K of"); strace -f -e trace=openat,write.
import re
import sys


def opens(trace):
    """{pid: ["stat@1", "comm@2", ...]}: the files opened, by sample (from 1)."""
    sample, got = 1, {}
    for line in open(trace, errors="replace"):
        m = re.search(r'openat\(\d+, "(\d+)/(stat|comm)"', line)
        if m:
            got.setdefault(m.group(1), []).append(f"{m.group(2)}@{sample}")
        if re.search(r'write\(1, "sample \d+ of', line):
            sample += 1
    return got


def first_shown(out):
    """{pid: the sample whose rows first show it}."""
    first, n = {}, 0
    for line in open(out):
        if line.startswith("sample "):
            n += 1
        m = re.match(r"p:(\d+) ", line)
        if m and m.group(1) not in first:
            first[m.group(1)] = n
    return first


def main():
    mode, trace = sys.argv[1], sys.argv[2]
    got = opens(trace)
    bad = []
    if mode == "once":
        first = first_shown(sys.argv[3])
        pids = sys.argv[4:]
        for pid in pids:
            want = [f"stat@{first[pid]}"] if pid in first else None
            if [o for o in got.get(pid, []) if o.startswith("stat")] != want:
                bad.append(f"{pid} (first shown in sample {first.get(pid)}): opened {got.get(pid)}")
        if first.get(pids[-1], 1) < 2:
            bad.append(f"{pids[-1]} was to start after the first sample")
    else:
        n, pids = int(sys.argv[3]), sys.argv[4:]
        want = [f"stat@{k}" for k in range(1, n + 1)]
        bad = [f"{pid}: opened {got.get(pid)}" for pid in pids if got.get(pid) != want]
    for b in bad:
        print(f"FAIL: {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
