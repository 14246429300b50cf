# check-text.py: parses memps's text output and checks every number and the layout against expect.py (test layer)
#
# Usage: check-text.py SNAPSHOT_DIR ACTUAL_TXT -- MEMPS_ARGS...
# The memps arguments (without -S) tell the checker what view to expect.  Checked: the header at the
# top and the bottom, the TOTAL row, the set of rows, indentation (jobs are cgroups, 2 spaces a level),
# processes before child jobs, the sort order within each level, every size cell (Zircon format_size
# written here, or plain bytes, or a fixed unit) and process names (terminal-escaped).

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import expect  # noqa: E402

DEFAULT_COLUMNS = ["pss", "private", "shared"]
STRING_COLUMNS = {"pid", "ppid", "user", "cmdline"}
LEFT_ALIGNED = {"user", "cmdline"}
ELLIPSIS = expect.ellipsis()


def parse_args(argv):
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("-t", "--tree", default="cgroup")
    ap.add_argument("-g", "--group")
    ap.add_argument("-o", "--columns")
    ap.add_argument("-s", "--sort", default="pss")
    ap.add_argument("-r", "--reverse", action="store_true")
    ap.add_argument("-p", "--pid")
    ap.add_argument("-U", "--user")
    ap.add_argument("--cgroup")
    ap.add_argument("-k", "--kernel", action="store_true")
    ap.add_argument("--bytes", action="store_true")
    ap.add_argument("--units")
    ap.add_argument("--color")
    ap.add_argument("pattern", nargs="?")
    return ap.parse_args(argv)


class Fail:
    def __init__(self, label):
        self.label = label
        self.msgs = []

    def __call__(self, msg):
        self.msgs.append("%s: %s" % (self.label, msg))


def fmt(opts, v):
    if v is None:
        return "-"
    if opts.bytes:
        return str(v)
    if opts.units:
        return expect.format_size(v, opts.units)
    return expect.format_size(v)


# Short header labels memps may use for long column names.
LABEL_ALIASES = {"private_clean": {"PRIV_CLEAN"}, "private_dirty": {"PRIV_DIRTY"},
                 "shared_clean": {"SHR_CLEAN"}, "shared_dirty": {"SHR_DIRTY"}}
MIN_WIDTH = 7


def label_ok(col, label):
    return label == col.upper() or label in LABEL_ALIASES.get(col, ())


def parse_output(text, columns, fail):
    """Rows of the table.  Size columns are right-aligned, so a cell is the word that ends exactly
    at its header label's end (blank otherwise); the last column runs up to NAME, which is the rest
    of the line; the TASK cell (indentation included) is what comes before the first column."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 3:
        fail("fewer than 3 lines of output")
        return None, []
    header = lines[0]
    if lines[-1] != header:
        fail("bottom line %r is not the header %r" % (lines[-1], header))
    labels = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", header)]
    got_labels = [lab[0] for lab in labels]
    if (len(labels) != len(columns) + 2 or labels[0][0] != "TASK" or labels[-1][0] != "NAME" or
            not all(label_ok(c, lab[0]) for c, lab in zip(columns, labels[1:-1]))):
        fail("header labels %r, expected TASK %s NAME" % (got_labels, " ".join(c.upper() for c in columns)))
        return None, []
    ends = [lab[2] for lab in labels[1:-1]]
    name_start = labels[-1][1]
    rows = []
    for line in lines[1:-1]:
        if not line.strip():
            fail("blank row")
            continue
        cells = []
        for i, end in enumerate(ends):
            if i == len(ends) - 1 and not (i and columns[i - 1] in LEFT_ALIGNED):
                start = ends[i - 1] + 1 if i else None
                if start is None:
                    m = re.search(r"(\S+)\s*$", line[:name_start - 1])
                    cells.append(m.group(1) if m and m.start(1) >= ends[0] - MIN_WIDTH else "")
                else:
                    cells.append(line[start:name_start - 1].strip())
                continue
            if len(line) >= end and line[end - 1] != " " and (len(line) == end or line[end] == " "):
                m = re.search(r"\S+$", line[:end])
                cells.append(m.group(0))
            else:
                cells.append("")
        # Left-aligned text cells (USER, CMDLINE) start at their label and run up to the next cell.
        for i, col in enumerate(columns):
            if col not in LEFT_ALIGNED:
                continue
            start = labels[i + 1][1]
            if i == len(columns) - 1:
                stop = name_start - 1
            elif columns[i + 1] in LEFT_ALIGNED:
                stop = labels[i + 2][1] - 1
            else:
                stop = labels[i + 2][1] - 1
                if cells[i + 1]:
                    stop = min(stop, ends[i + 1] - len(cells[i + 1]) - 1)
            cells[i] = line[start:stop].rstrip()
        first = re.search(r"\S+$", line[:ends[0]]) if cells and cells[0] else None
        task_end = ends[0] - MIN_WIDTH
        if first is not None and len(ends) > 1:
            task_end = min(task_end, first.start())
        task_cell = line[:task_end].rstrip()
        indent = len(task_cell) - len(task_cell.lstrip())
        task = task_cell.strip()
        name = line[name_start:] if len(line) > name_start else ""
        if len(line) > name_start and line[name_start - 1] != " ":
            fail("row %r runs into the NAME column" % line)
        rows.append({"indent": indent, "task": task, "cells": dict(zip(columns, cells)),
                     "name": name, "line": line})
    return header, rows


def proc_cell(opts, col, p):
    if col == "pid":
        return str(p["pid"])
    if col == "ppid":
        return "-" if p["ppid"] is None else str(p["ppid"])
    if col == "user":
        return p["user"] if p["user"] is not None else str(p["uid"])
    if col == "cmdline":
        if not p["cmdline_known"]:
            return "-"
        return expect.escape_text_capped(b" ".join(p["raw_cmdline"]), ELLIPSIS).rstrip()
    v = p.get(col + "_bytes")
    if p["state"] == "kernel" and col in expect.METRICS:
        return ("", "-", fmt(opts, 0))
    if p["state"] != "ok":
        if col == "rss" and v is None:
            return ("-", fmt(opts, p["status_rss"]))
        if col == "vss":
            return ("-", fmt(opts, p["stat_vsize"]))
        return "-"
    return fmt(opts, v)


def cell_ok(got, want):
    if want is None:
        return True
    if isinstance(want, tuple):
        return got in want
    return got == want


def sum_metric(procs, col):
    return expect.sum_metric(procs, col)


def sum_cell(opts, col, procs):
    """A sum row's cell: additive metrics summed ("-" when unknown), every other column blank;
    blank too when every member is a kernel thread (no user memory, as their own rows)."""
    ok, missing = expect.measured(procs)
    if col not in expect.ADDITIVE or (procs and not ok and not missing):
        return ""
    return fmt(opts, expect.sum_metric(procs, col))


def count_text(procs):
    ok, missing = expect.measured(procs)
    n, k = len(ok), sum(1 for p in procs if p["state"] == "kernel")
    text = "%d process%s" % (n, "" if n == 1 else "es")
    if missing:
        text += ", %d not measured" % len(missing)
    if k:
        text += ", %d kernel thread%s" % (k, "" if k == 1 else "s")
    return text, (" [partial]" if ok else " [not measured]") if missing else ""


def check_sum_row(fail, opts, columns, row, procs, what):
    for col in columns:
        got, want = row["cells"][col], sum_cell(opts, col, procs)
        if got != want:
            fail("%s %s: memps=%r expected=%r" % (what, col, got, want))


def sort_value(opts, col, p):
    if col in ("pid", "ppid"):
        return p[col]
    if col == "user":
        return p["user"]
    return p.get(col + "_bytes") if p["state"] == "ok" else None


def check_order(fail, where, values, reverse):
    known = [v for v in values if v is not None]
    want = sorted(known, reverse=not reverse)
    if known != want:
        fail("%s: not sorted by the sort column (%s): %r" % (where, "ascending" if reverse else
                                                            "descending", known))


def check_proc_row(fail, opts, columns, row, p):
    for col in columns:
        want = proc_cell(opts, col, p)
        got = row["cells"][col]
        if not cell_ok(got, want):
            fail("p:%d %s: memps=%r expected=%r" % (p["pid"], col, got, want))
    want_name = expect.escape_text(p["raw_name"])
    # A process not measured may carry its state after the name: "name [unreadable: ...]".
    got_name = row["name"]
    if p["state"] != "ok" and got_name.startswith(want_name + " [") and got_name.endswith("]"):
        got_name = want_name
    if got_name != want_name:
        fail("p:%d NAME: memps=%r expected=%r" % (p["pid"], row["name"], want_name))


def check_total(fail, opts, columns, row, procs):
    check_sum_row(fail, opts, columns, row, procs, "TOTAL")
    count, note = count_text(procs)
    if row["name"] != count + note:
        fail("TOTAL NAME: memps=%r expected=%r" % (row["name"], count + note))


def check_cgroup_tree(fail, opts, columns, rows, procs):
    by_pid = {p["pid"]: p for p in procs}
    jobs = expect.jobs(procs)
    stack = []          # (indent, job path)
    seen_jobs, seen_pids = [], []
    children = {}       # job path -> list of ("p"|"j", sort value)
    for row in rows:
        ind = row["indent"]
        if ind % 2:
            fail("odd indentation in %r" % row["line"])
        depth = ind // 2
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if len(stack) != depth:
            fail("row %r is indented below no job" % row["line"])
            continue
        if row["task"].startswith("j:"):
            base = row["task"][2:]
            if parent is None:
                path = base
            else:
                path = (parent.rstrip("/") + "/" + base)
            seen_jobs.append(path)
            stack.append((depth, path))
            if path not in jobs:
                fail("job %s is shown but holds no selected process" % path)
                continue
            j = jobs[path]
            if parent is not None:
                children.setdefault(parent, []).append(("j", j["pss_bytes"], path))
            sub = [p for p in procs if expect.job_in(p["job"], path)]
            check_sum_row(fail, opts, columns, row, sub, "j:%s" % path)
            want_name = ("(root cgroup)" if path == "/" else
                         expect.job_prefix(j["hierarchy"]) + expect.escape_text(path.encode()))
            want_name += count_text(sub)[1]
            if row["name"] != want_name:
                fail("j:%s NAME: memps=%r expected=%r" % (path, row["name"], want_name))
        elif row["task"].startswith("p:"):
            pid = int(row["task"][2:])
            seen_pids.append(pid)
            p = by_pid.get(pid)
            if p is None:
                fail("p:%d is shown but not selected" % pid)
                continue
            if parent != p["job"]:
                fail("p:%d is under job %r, expected %r" % (pid, parent, p["job"]))
            children.setdefault(parent, []).append(("p", sort_value(opts, opts.sort, p), pid))
            check_proc_row(fail, opts, columns, row, p)
        else:
            fail("row %r is neither j: nor p:" % row["line"])
    want_jobs = sorted(jobs)
    if sorted(seen_jobs) != want_jobs:
        fail("jobs shown %r, expected %r" % (sorted(seen_jobs), want_jobs))
    if sorted(seen_pids) != sorted(by_pid):
        fail("processes shown %r, expected %r" % (sorted(seen_pids), sorted(by_pid)))
    if len(seen_pids) != len(set(seen_pids)):
        fail("a process is shown twice")
    if rows and rows[0]["task"] != "j:/":
        fail("first row %r is not the root job j:/" % rows[0]["line"])
    for job, kids in children.items():
        kinds = [k[0] for k in kids]
        if "j" in kinds and "p" in kinds[kinds.index("j"):]:
            fail("job %s: a process comes after a child job" % job)
        check_order(fail, "processes of %s" % job, [k[1] for k in kids if k[0] == "p"], opts.reverse)
        if opts.sort == "pss":
            check_order(fail, "child jobs of %s" % job, [k[1] for k in kids if k[0] == "j"],
                        opts.reverse)


def check_flat(fail, opts, columns, rows, procs):
    by_pid = {p["pid"]: p for p in procs}
    seen = []
    for row in rows:
        if row["indent"] != 0 or not row["task"].startswith("p:"):
            fail("flat list row %r" % row["line"])
            continue
        pid = int(row["task"][2:])
        seen.append(pid)
        if pid not in by_pid:
            fail("p:%d is shown but not selected" % pid)
            continue
        check_proc_row(fail, opts, columns, row, by_pid[pid])
    if sorted(seen) != sorted(by_pid):
        fail("processes shown %r, expected %r" % (sorted(seen), sorted(by_pid)))
    check_order(fail, "flat list", [sort_value(opts, opts.sort, by_pid[x]) for x in seen
                                    if x in by_pid], opts.reverse)


def check_parent_tree(fail, opts, columns, rows, procs):
    """--tree=parent: a process with children is an s:PID row (its subtree's sums) holding the
    process's own p: row first, then its children; a childless process is a p: row."""
    by_pid = {p["pid"]: p for p in procs}
    subtrees = expect.subtrees(procs)
    stack = []          # pids of the s: rows enclosing the current row
    seen, seen_sub = [], []
    first_in = None     # the s: pid whose own p: row must come next
    for row in rows:
        depth = row["indent"] // 2
        if row["indent"] % 2 or depth > len(stack):
            fail("row %r is indented below no subtree" % row["line"])
            continue
        del stack[depth:]
        task = row["task"]
        kind, _, num = task.partition(":")
        if kind not in ("p", "s") or not num.isdigit():
            fail("parent tree row %r" % row["line"])
            continue
        pid = int(num)
        p = by_pid.get(pid)
        if p is None:
            fail("%s is shown but not selected" % task)
            continue
        if first_in is not None and (kind != "p" or pid != first_in):
            fail("s:%d does not start with its own p:%d row" % (first_in, first_in))
        enclosing = stack[-1] if stack else None
        if kind == "s":
            seen_sub.append(pid)
            if pid not in subtrees:
                fail("s:%d: the process has no shown child" % pid)
                continue
            want_parent, members = subtrees[pid]
            if enclosing != want_parent:
                fail("s:%d is below %r, expected below %r" % (pid, enclosing, want_parent))
            check_sum_row(fail, opts, columns, row, members, "s:%d" % pid)
            count, note = count_text(members)
            want_name = "%s [subtree: %s]%s" % (expect.escape_text(p["raw_name"]), count, note)
            if row["name"] != want_name:
                fail("s:%d NAME: memps=%r expected=%r" % (pid, row["name"], want_name))
            stack.append(pid)
            first_in = pid
            continue
        seen.append(pid)
        if first_in is not None:
            want_parent = pid         # a subtree's own process
            first_in = None
        else:
            want_parent = p["ppid"] if p["ppid"] in by_pid and p["ppid"] != pid else None
            if pid in subtrees:
                fail("p:%d has children but no s: row" % pid)
        if enclosing != want_parent:
            fail("p:%d is below %r, expected below %r" % (pid, enclosing, want_parent))
        check_proc_row(fail, opts, columns, row, p)
    if sorted(seen) != sorted(by_pid):
        fail("processes shown %r, expected %r" % (sorted(seen), sorted(by_pid)))
    if sorted(seen_sub) != sorted(subtrees):
        fail("subtrees shown %r, expected %r" % (sorted(seen_sub), sorted(subtrees)))


def check_groups(fail, opts, columns, rows, procs):
    groups = {}
    for key, members in expect.groups(procs, opts.group).items():
        groups[key if opts.group == "user" else expect.escape_text(key)] = members
    prefix = "u:" if opts.group == "user" else "c:"
    seen = []
    for row in rows:
        task = row["task"]
        if not task.startswith(prefix):
            fail("group row %r does not start with %s" % (row["line"], prefix))
            continue
        k = task[len(prefix):]
        if k not in groups:
            fail("group row %r: no expected group %r (expected %r)" % (row["line"], k, sorted(groups)))
            continue
        seen.append(k)
        members = groups[k]
        check_sum_row(fail, opts, columns, row, members, "group %s" % k)
        count, note = count_text(members)
        if row["name"] != count + note:
            fail("group %s NAME: memps=%r expected=%r" % (k, row["name"], count + note))
    if sorted(seen) != sorted(groups):
        fail("groups shown %r, expected %r" % (sorted(seen), sorted(groups)))
    if opts.sort == "pss":
        check_order(fail, "groups", [sum_metric(groups[k], "pss") for k in seen], opts.reverse)


def main():
    argv = sys.argv[1:]
    sep = argv.index("--")
    snap, actual = argv[:sep]
    opts = parse_args(argv[sep + 1:])
    columns = [c.strip().lower() for c in opts.columns.split(",")] if opts.columns else DEFAULT_COLUMNS
    opts.sort = opts.sort.lower()
    label = "%s [%s]" % (os.path.basename(os.path.normpath(snap)), " ".join(argv[sep + 1:]))
    fail = Fail(label)
    with open(actual, "rb") as f:
        raw = f.read()
    if b"\x1b" in raw:
        fail("raw ESC byte in the output")
    text = raw.decode("utf-8", errors="replace")
    model = expect.load(snap)
    pids = {int(x) for x in opts.pid.split(",")} if opts.pid else None
    procs = expect.select(model, pids=pids, user=opts.user, cgroup=opts.cgroup,
                          pattern=opts.pattern, kernel=opts.kernel)
    header, rows = parse_output(text, columns, fail)
    if header is not None:
        totals = [r for r in rows if r["task"] == "TOTAL"]
        if len(totals) != 1 or rows[-1]["task"] != "TOTAL":
            fail("expected one TOTAL row, last before the bottom header")
        else:
            check_total(fail, opts, columns, totals[0], procs)
        body = [r for r in rows if r["task"] != "TOTAL"]
        if opts.group:
            check_groups(fail, opts, columns, body, procs)
        elif opts.tree == "cgroup":
            check_cgroup_tree(fail, opts, columns, body, procs)
        elif opts.tree == "none":
            check_flat(fail, opts, columns, body, procs)
        else:
            check_parent_tree(fail, opts, columns, body, procs)
    for m in fail.msgs:
        print(m)
    if fail.msgs:
        print("%s: %d problems" % (label, len(fail.msgs)))
        return 1
    print("%s: %d rows agree" % (label, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
