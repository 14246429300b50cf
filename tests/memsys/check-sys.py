#!/usr/bin/env python3
# check-sys.py: memsys over every fixture's meminfo and over old-kernel and hugetlb variants, checked against expect_sys.py (test layer)
#
# usage: check-sys.py MEMSYS FIXTURES_DIR TMPDIR
# For each meminfo: runs memsys -S DIR as JSON, CSV and text (-b), compares every figure with the
# independent model, and checks that the categories add up to total exactly.  Exits 1 on any failure.
import csv
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect_sys  # noqa: E402

MEMSYS, FIXTURES, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(args):
    p = subprocess.run([MEMSYS] + args, capture_output=True)
    if p.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout.decode(), p.stderr.decode()


def variant(name, base, drop=(), set_=None, add=(), files=None):
    """A recording directory holding only a meminfo derived from base's lines (and files: name -> text)."""
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    set_ = set_ or {}
    lines = []
    with open(base) as f:
        for line in f:
            key = line.split(":")[0]
            if key in drop:
                continue
            if key in set_:
                line = "%s:%s\n" % (key, set_[key])
            lines.append(line)
    lines += ["%s:%s\n" % kv for kv in add]
    with open(os.path.join(d, "meminfo"), "w") as f:
        f.writelines(lines)
    for fname, text in (files or {}).items():
        with open(os.path.join(d, fname), "w") as f:
            f.write(text)
    return d


def check_dir(d):
    name = os.path.basename(d.rstrip("/"))
    exp = expect_sys.categories(expect_sys.read_meminfo(os.path.join(d, "meminfo")),
                                expect_sys.read_zram(os.path.join(d, "zram")))
    cols = ["total", "avail"] + expect_sys.ORDER
    # JSON
    out, err = run(["-S", d, "--json"])
    try:
        doc = json.loads(out)
    except ValueError as e:
        fail("%s: --json does not parse: %s" % (name, e))
        return
    if doc.get("schema") != "memsys/1" or len(doc.get("samples", [])) != 1:
        fail("%s: JSON schema or sample count wrong" % name)
        return
    s = doc["samples"][0]
    if s["time"] is not None:
        fail("%s: a recording's sample has a time" % name)
    for c in cols:
        if s.get(c + "_bytes", "absent") != exp[c]:
            fail("%s: JSON %s_bytes %r, expected %r" % (name, c, s.get(c + "_bytes", "absent"), exp[c]))
    if s["other_includes"] != exp["other_includes"]:
        fail("%s: other_includes %r, expected %r" % (name, s["other_includes"], exp["other_includes"]))
    known = sum(s[c + "_bytes"] for c in expect_sys.ORDER if s[c + "_bytes"] is not None)
    if known != s["total_bytes"]:
        fail("%s: categories add up to %d, not total %d" % (name, known, s["total_bytes"]))
    want_note = " ".join(exp["other_includes"])
    if want_note and ("other includes them" not in err or want_note not in err):
        fail("%s: stderr does not name the unknown categories %r: %r" % (name, want_note, err))
    if not want_note and err:
        fail("%s: unexpected stderr %r" % (name, err))
    # CSV
    out, _ = run(["-S", d, "--csv"])
    rows = list(csv.reader(io.StringIO(out)))
    if len(rows) != 2 or rows[0] != ["time"] + cols + ["other_includes"]:
        fail("%s: CSV header or row count wrong: %r" % (name, rows[:1]))
    else:
        for c, v in zip(rows[0][1:-1], rows[1][1:-1]):
            want = "" if exp[c] is None else str(exp[c])
            if v != want:
                fail("%s: CSV %s %r, expected %r" % (name, c, v, want))
        if rows[1][-1] != want_note:
            fail("%s: CSV other_includes %r" % (name, rows[1][-1]))
    # Text, plain bytes
    out, _ = run(["-S", d, "-b"])
    lines = out.splitlines()
    if len(lines) != 2 or lines[0].split() != cols:
        fail("%s: text header wrong: %r" % (name, lines[:1]))
    else:
        for c, v in zip(cols, lines[1].split()):
            want = "-" if exp[c] is None else str(exp[c])
            if v != want:
                fail("%s: text %s %r, expected %r" % (name, c, v, want))


def main():
    dirs = sorted(os.path.join(FIXTURES, e) for e in os.listdir(FIXTURES)
                  if os.path.isfile(os.path.join(FIXTURES, e, "meminfo")))
    if len(dirs) < 5:
        fail("only %d fixtures with a meminfo" % len(dirs))
    base = os.path.join(FIXTURES, "debian12-workload", "meminfo")
    new = ("KReclaimable", "SecPageTables", "Zswap", "Zswapped", "Hugetlb", "Balloon", "FileHugePages",
           "FilePmdMapped", "ShmemHugePages", "ShmemPmdMapped")
    dirs += [
        # Linux 3.2: no MemAvailable (3.14), Percpu (3.18), nor anything newer; VmallocUsed counts.
        variant("old-3.2", base, drop=new + ("MemAvailable", "Percpu"), set_={"VmallocUsed": "  345678 kB"}),
        # Linux 4.9: VmallocUsed written as 0 (4.4 to 5.2): unknown, not 0.
        variant("old-4.9", base, drop=new, set_={"VmallocUsed": "       0 kB"}),
        # A kernel without hugetlb support: no HugePages_* lines.
        variant("no-hugetlb", base, drop=("HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
                                            "HugePages_Surp", "Hugepagesize", "Hugetlb")),
        # A pool of the default size without the Hugetlb line, then with 1G pages besides (Hugetlb).
        variant("huge-old", base, drop=("Hugetlb",), set_={"HugePages_Total": " 10", "HugePages_Free": " 4",
                                                           "MemFree": " 1000000 kB"}),
        variant("huge-new", base, set_={"HugePages_Total": " 10", "HugePages_Free": " 4",
                                        "Hugetlb": " %d kB" % (10 * 2048 + 2 * 1048576), "MemFree": " 100000 kB"}),
        # Counters that add up to more than MemTotal: other is negative, unclamped.
        variant("negative", base, set_={"AnonPages": " 24000000 kB"}),
        # Values near 2^53 kB: the sum fits in 63 bits only because other goes negative exactly.
        variant("large", base, set_={"MemTotal": " 4503599627370495 kB", "MemFree": " 4503599627370495 kB"}),
        # zram: two devices as three kernels write mm_stat (7, 8 and 9 fields, padded), numbered out of
        # order; then no device (an empty file: 0, known); then a recorder that could not read it
        # (the reason in the manifest, no file: unknown).
        variant("zram", base, files={"zram": "zram10  1 2 3 4 5 6 7\n"
                                             "zram0 104857600 20971520 23068672 0 23068672 12 0 3 5\n"
                                             "zram2\t  4096     74    12288        0    12288        0        0        0\n"}),
        variant("zram-none", base, files={"zram": ""}),
        variant("zram-eacces", base, files={"memcap.errors": "zram EACCES\n"}),
        # zram larger than what the meminfo leaves: other negative.
        variant("zram-negative", base, files={"zram": "zram0 0 0 %d 0 0 0 0\n" % (30 * 2**30)}),
    ]
    for d in dirs:
        check_dir(d)
    # A negative other is written with a minus sign in every unit.
    out, _ = run(["-S", os.path.join(TMP, "negative"), "-o", "other"])
    if "-" not in out.splitlines()[-1]:
        fail("negative other shown without a minus sign: %r" % out)
    print("checked %d meminfo files, %d failures" % (len(dirs), len(failures)))
    sys.exit(1 if failures else 0)


main()
