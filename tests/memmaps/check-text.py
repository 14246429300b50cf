# check-text.py: memmaps's tag tree and --flat table vs expect_maps.py's model of the raw smaps (test layer)
#
# Usage: check-text.py tree|flat SNAPSHOT_DIR OUTPUT FIELDS UNIT PID...
#   FIELDS: the -o list given ("sz,res,pss"); UNIT: "bytes" (memmaps ran with -b) or "natural".
# Tree: the rows come in address order as /A, then regions (R, members " M") and top-level mappings
# ("M "), each M row's range, perms, sizes and escaped name as in smaps; R rows sum their members; the
# /A row shows the rollup where the rollup has the field, and Σpss over the mappings.
# Flat: one row per mapping with the raw values, then a total row of Σ.
# Several pids (tree): a last T row, each additive column summed over every measured process's mappings.

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expect_maps as X  # noqa: E402

mode, snap, out, fields, unit = sys.argv[1:6]
pids = [int(p) for p in sys.argv[6:]]
cols = fields.split(",")
text = open(out, "rb").read().decode("utf-8", "strict")
errors = []


# The sum sign memmaps writes: U+03A3 in a UTF-8 locale, "Sum_" otherwise (EXPECT_ASCII=1).
SIGMA = "Sum_" if os.environ.get("EXPECT_ASCII") == "1" else "\u03a3"


def err(msg):
    errors.append(msg)


def fmt(v):
    if v is None:
        return "-"
    return str(v) if unit == "bytes" else X.expect.format_size(v)


def addr(a):
    return "________%08x" % a if a <= 0xffffffff else "%016x" % a


def sizes_of(values):
    return ["%s:%s" % (fmt(values[c]), c) for c in cols]


def values(fields_, summed=False):
    out_ = {}
    for c in cols:
        keys = X.ALIASES.get(c, (c,))
        out_[c] = None if summed and any(k in X.NOT_ADDITIVE for k in keys) else X.column_value(fields_, c)
    return out_


def sums(maps):
    return {k: X.field_sum(maps, k) for k in X.KNOWN if X.field_sum(maps, k) is not None}


ROW = re.compile(r"^(/A |R  | M |M  )(\S+)-(\S+)(?: (\S{4}))? +(.*?) '(.*)'(?: (\S+))?(?: \[.*\])?$")


def check_tree(pid, lines):
    maps, roll = X.load(snap, pid)
    regs = X.regions(maps)
    first_of = {first: (rk, first, n) for rk, first, n in regs}
    in_region = {k for _, first, n in regs for k in range(first, first + n)}
    want = []
    s = sums(maps)
    a = values(s, True)
    sigma = None
    if roll:
        for c in cols:
            keys = X.ALIASES.get(c, (c,))
            if all(k in roll for k in keys):
                a[c] = sum(roll[k] for k in keys)
        sigma = {c: s.get(k) for c, k in (("pss", "Pss"), ("swappss", "SwapPss")) if c in cols and k in roll}
    want.append(("/A ", maps[0]["start"], max(m["end"] for m in maps), None, a, None, None))
    i = 0
    while i < len(maps):
        if i in first_of:
            rk, first, n = first_of[i]
            members = maps[first:first + n]
            name = X.expect.escape_text(members[0]["name"]) if rk in ("file", "anon-named") else ""
            want.append(("R  ", members[0]["start"], members[-1]["end"], None, values(sums(members), True), name,
                         {"file": None, "anon-named": None, "stack": "thread-stack", "arena": "malloc-arena"}[rk]))
            for m in members:
                nm = m["name"]
                if m["inode"] != 0 and X.kind(m) == "file" and b"/" in nm:
                    nm = nm.rsplit(b"/", 1)[1]
                k = X.kind(m)
                want.append((" M ", m["start"], m["end"], m["perms"], values(m["fields"]), X.expect.escape_text(nm),
                             None if k == "file" else k))
            i += n
            continue
        m = maps[i]
        k = X.kind(m)
        assert i not in in_region
        want.append(("M  ", m["start"], m["end"], m["perms"], values(m["fields"]), X.expect.escape_text(m["name"]),
                     None if k == "file" else k))
        i += 1
    if len(lines) != len(want):
        err("pid %d: %d rows, expected %d" % (pid, len(lines), len(want)))
    for line, (tag, start, end, perms, vals, name, kind) in zip(lines, want):
        r = ROW.match(line)
        if not r:
            err("pid %d: cannot parse %r" % (pid, line))
            continue
        w = "pid %d row %r" % (pid, line[:60])
        if r.group(1) != tag or r.group(2) != addr(start) or r.group(3) != addr(end) or r.group(4) != perms:
            err("%s: expected %r %s-%s %r" % (w, tag, addr(start), addr(end), perms))
        got_sizes = r.group(5).split()
        exp_sizes = sizes_of(vals)
        if tag == "/A " and sigma:
            for c in reversed(cols):
                if c in sigma and sigma[c] is not None:
                    exp_sizes.insert(cols.index(c) + 1, "%s:%s%s" % (fmt(sigma[c]), SIGMA, c))
        if got_sizes != exp_sizes:
            err("%s: sizes %r, expected %r" % (w, got_sizes, exp_sizes))
        if tag == "/A ":
            if not r.group(6).startswith("proc:%d " % pid):
                err("%s: /A name %r" % (w, r.group(6)))
            continue
        if r.group(6) != name or r.group(7) != kind:
            err("%s: name %r kind %r, expected %r %r" % (w, r.group(6), r.group(7), name, kind))


def check_flat(pid, lines):
    maps, _ = X.load(snap, pid)
    if not lines or not lines[0].startswith("%d: " % pid):
        err("pid %d: no 'PID: NAME' line" % pid)
        return
    rows = lines[2:]
    if len(rows) != len(maps) + 1:
        err("pid %d: %d flat rows, expected %d" % (pid, len(rows), len(maps) + 1))
        return
    for line, m in zip(rows, maps):
        f = line.split()
        exp = [addr(m["start"]), m["perms"], "%08x" % m["offset"], m["dev"], str(m["inode"]), X.object_id(pid, m)]
        exp += [fmt(v) for v in values(m["fields"]).values()]
        if f[:len(exp)] != exp:
            err("pid %d flat row %r: expected %r" % (pid, line[:80], exp))
        nm = X.expect.escape_text(m["name"])
        k = X.kind(m)
        tail = nm + ("" if k == "file" else (" " if nm else "") + k)
        if not line.endswith(" " + tail) and not (not tail and line.endswith(" ")):
            err("pid %d flat row %r: name, expected %r" % (pid, line[:80], tail))
    total = rows[-1].split()
    # blank: a column that does not add up (page sizes); "-": a field the kernel did not write
    summed = values(sums(maps), True)
    exp = ["total"] + [fmt(summed[c]) for c in cols
                       if not any(k in X.NOT_ADDITIVE for k in X.ALIASES.get(c, (c,)))]
    if total[:len(exp)] != exp or " ".join(total[len(exp):]) != "%d mappings" % len(maps):
        err("pid %d flat total %r, expected %r" % (pid, rows[-1], exp))


TOTAL = re.compile(r"^T  total((?: \S+)*) '(\d+) of (\d+) processes measured; " + re.escape(SIGMA) + r" over their mappings'$")


def check_total(line):
    """The T row: each additive column summed over every measured process's mappings, in -o order,
    the non-additive ones (page sizes) left out; then how many processes were measured."""
    r = TOTAL.match(line)
    if not r:
        err("total row %r: not 'T  total CELLS... 'N of M processes measured; ...''" % line)
        return
    measured = [X.load(snap, p) for p in pids]
    measured = [m for m in measured if m is not None]
    exp = []
    for c in cols:
        keys = X.ALIASES.get(c, (c,))
        if any(k in X.NOT_ADDITIVE for k in keys):
            continue
        per_proc = [X.column_value(sums(maps), c) for maps, _ in measured]
        if any(v is None for v in per_proc):
            continue
        exp.append("%s:%s" % (fmt(sum(per_proc)), c))
    if r.group(1).split() != exp:
        err("total row cells %r, expected %r" % (r.group(1).split(), exp))
    if (int(r.group(2)), int(r.group(3))) != (len(measured), len(pids)):
        err("total row says %s of %s measured, expected %d of %d" % (r.group(2), r.group(3), len(measured), len(pids)))


blocks = text.split("\n\n")
if len(pids) > 1 and mode == "tree":
    tail = blocks[-1].rstrip("\n").split("\n")
    blocks = blocks[:-1]
    if len(tail) != 1:
        err("the total block has %d lines, expected 1: %r" % (len(tail), tail))
    check_total(tail[0])
if len(blocks) != len(pids):
    err("%d blocks, expected %d" % (len(blocks), len(pids)))
for pid, block in zip(pids, blocks):
    lines = [l for l in block.split("\n") if l]
    (check_tree if mode == "tree" else check_flat)(pid, lines)
for e in errors[:40]:
    print("FAIL: " + e)
sys.exit(1 if errors else 0)
