# om-fixture.py: a copy of fixtures/debian12-workload with hostile names for the OpenMetrics tests (test layer)
#
# Usage: om-fixture.py FIXTURE OUTDIR
# Copies FIXTURE to OUTDIR and rewrites, keeping every memory figure:
#   24569's name (stat, status, comm): a quote, a backslash, ESC, a C1 CSI, an invalid byte;
#   24565's first argument (the program label): a quote, a newline, invalid UTF-8;
#   24571's cgroup: ESC and an invalid byte; 24572's: the same read as text (the four characters
#     \x1b and \xff), so both jobs give one label value and must be one series;
#   24573's cgroup: a quote and a backslash;
#   24585's first argument: a 5000-byte name (the program label keeps 255 bytes of it).
import os
import re
import shutil
import sys

src, out = sys.argv[1], sys.argv[2]
# copyfile, not copy2: a distcheck tree is read-only, and the copy is rewritten
shutil.copytree(src, out, symlinks=True, copy_function=shutil.copyfile)
for d, _, _ in os.walk(out):
    os.chmod(d, os.stat(d).st_mode | 0o700)  # removable by the test's clean-up


def rewrite(pid, name, fn):
    path = os.path.join(out, str(pid), name)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(fn(data))


def set_comm(pid, comm):
    rewrite(pid, "stat", lambda d: d[:d.index(b"(") + 1] + comm + d[d.rindex(b")"):])
    status_name = comm.replace(b"\\", b"\\\\").replace(b"\n", b"\\n")
    rewrite(pid, "status", lambda d: re.sub(rb"(?m)^Name:\t.*$", lambda m: b"Name:\t" + status_name, d, count=1))
    rewrite(pid, "comm", lambda d: comm + b"\n")


def set_v2_cgroup(pid, path):
    rewrite(pid, "cgroup", lambda d: re.sub(rb"(?m)^0::.*$", lambda m: b"0::" + path, d, count=1))


set_comm(24569, b'q"u\\o\x1b\xc2\x9b\xff')
rewrite(24565, "cmdline", lambda d: b'/usr/bin/pr"o\ng\xfe\0' + d.split(b"\0", 1)[1])
set_v2_cgroup(24571, b"/memps-fixture/workload/co\x1bw\xff")
set_v2_cgroup(24572, b"/memps-fixture/workload/co\\x1bw\\xff")
set_v2_cgroup(24573, b'/memps-fixture/q"uote\\back')
rewrite(24585, "cmdline", lambda d: b"/usr/bin/" + b"\xc3\xa9" * 2500 + b"\0")
