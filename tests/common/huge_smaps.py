# huge_smaps.py: a --proc-root directory with one process of N minimal private anonymous mappings, for the huge-input tests (test layer, python3 stdlib)
#
# Issue 8's huge input, made small enough for a test: distinct one-page mappings with the fields the
# parser requires and Pss, every 7th one 2 pages with 8 kB resident (so that sums are not just n
# times one value); no smaps_rollup.  The figures are counted here, as the file is written.

import os

PID = 4242


def make(root, n, pid=PID, offset="0"):
    """Writes ROOT/PID/stat and ROOT/PID/smaps (the offset written as `offset`: "0" as in the issue,
    "00000000" as the kernel writes it); returns (smaps size in bytes, Σ Pss, Σ Rss) in bytes."""
    d = os.path.join(root, str(pid))
    os.makedirs(d)
    with open(os.path.join(d, "stat"), "w") as f:
        f.write("%d (huge) S 1 %d %d 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 1000000 100 "
                "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n" % (pid, pid, pid))
    pss = rss = 0
    with open(os.path.join(d, "smaps"), "w") as f:
        out = []
        addr = 0x10000
        for i in range(n):
            pages = 2 if i % 7 == 0 else 1
            kb = 4 * pages
            out.append("%x-%x rw-p %s 00:00 0\nSize: %d kB\nRss: %d kB\nPss: %d kB\n"
                       % (addr, addr + pages * 4096, offset, kb, kb, kb))
            pss += kb * 1024
            rss += kb * 1024
            addr += (pages + 1) * 4096
            if len(out) >= 50000:
                f.write("".join(out))
                out = []
        f.write("".join(out))
    return os.path.getsize(os.path.join(d, "smaps")), pss, rss
