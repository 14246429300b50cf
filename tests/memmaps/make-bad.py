# make-bad.py: snapshots whose smaps is hostile or broken, for bad-input.sh (test layer, python3 stdlib)
#
# Usage: make-bad.py FIXTURE_DIR PID OUTDIR.  Writes OUTDIR/<case>/ (a copy of PID's stat, status and
# cmdline with a crafted smaps and no smaps_rollup) and OUTDIR/manifest.json: [{name, rc, line}], where
# line is the smaps line the error message must name (0: any).
import json
import os
import shutil
import sys

src, pid, out = sys.argv[1], sys.argv[2], sys.argv[3]


def record(start, end, perms="rw-p", name=b"", inode=0, rss=4):
    head = b"%012x-%012x %s 00000000 %s %d" % (start, end, perms.encode(), b"00:00" if not inode else b"fe:00", inode)
    if name:
        head += b" " * max(1, 73 - len(head)) + name
    size = (end - start) // 1024
    body = b"".join(b"%s:%s%d kB\n" % (k, b" " * (16 - len(k)), v) for k, v in (
        (b"Size", size), (b"KernelPageSize", 4), (b"MMUPageSize", 4), (b"Rss", rss), (b"Pss", rss),
        (b"Shared_Clean", 0), (b"Shared_Dirty", 0), (b"Private_Clean", 0), (b"Private_Dirty", rss),
        (b"Swap", 0), (b"SwapPss", 0), (b"Locked", 0)))
    return head + b"\n" + body + b"VmFlags: rd wr mr mw me ac \n"


good = [record(0x10000, 0x20000, name=b"/usr/bin/x", inode=7), record(0x20000, 0x30000),
        record(0x7f0000000000, 0x7f0000010000, name=b"[heap]")]
cases = []


def case(name, smaps, rc, line=0):
    d = os.path.join(out, name, pid)
    os.makedirs(d)
    for f in ("stat", "status", "cmdline"):
        p = os.path.join(src, pid, f)
        if os.path.exists(p):
            shutil.copy(p, d)
    with open(os.path.join(d, "smaps"), "wb") as f:
        f.write(smaps)
    cases.append({"name": name, "rc": rc, "line": line})


os.makedirs(out, exist_ok=True)
case("good", b"".join(good), 0)
# the second record's range goes backwards (header on line 15)
case("backwards", good[0] + record(0x30000, 0x20000) + good[2], 3, 15)
# the third record starts inside the second (header on line 29)
case("overlap", good[0] + good[1] + record(0x28000, 0x40000), 3, 29)
# a mapping whose name is 1 MB long
case("huge-name", good[0] + record(0x20000, 0x30000, name=b"/" + b"n" * (1 << 20), inode=9) + good[2], 0)
# a field line before any header
case("field-first", b"Rss:                4 kB\n" + b"".join(good), 3, 1)
# a record cut in the middle (the read stopped)
whole = b"".join(good)
case("cut-mid-record", whole[:whole.index(b"Private_Dirty", len(good[0]) + len(good[1]))], 3)
# the last line has no newline
case("no-final-newline", whole[:-1], 3)
# garbage in the header's address
case("bad-header", good[0] + b"zz0000-30000 rw-p 00000000 00:00 0\n" + good[1][good[1].index(b"\n") + 1:], 3)
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(cases, f)
