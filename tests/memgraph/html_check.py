#!/usr/bin/env python3
"""html_check.py: checks of the memgraph treemap page without a browser (test layer).

  html_check.py bad DRIVER      refused inputs: each a clear message, exit status 3, nothing on stdout
  html_check.py page DRIVER     the page: CSP hashes, no external reference, the data read back equal,
                                hostile names inert, time and memory on many records
  html_check.py tool MEMGRAPH FIXTURE   `memgraph -v --html -S FIXTURE` holds `memgraph -v`'s records

DRIVER is tests/memgraph/html-driver (mem_graph_html on a file or stdin) or any command taking the
same: `memgraph --html --input`.  Expectations come from the records themselves (json, hashlib and
html.parser here), never from the page the tool wrote.
"""
import base64
import hashlib
import html.parser
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

MAX = 2**53 - 1
HOSTILE = ["</script><img src=x onerror=alert(1)>", "<!--<script>", "a\u2028b\u2029c", "&amp; \"q\" 'q'",
           "\x1b[31mred\x1b[0m", "tab\there", "\ufffd\ufffd"]

failures = []


quiet = False


def fail(msg):
    failures.append(msg)
    if not quiet:
        print("FAIL: " + msg)


def rec(id_, type_, parent, name, **kw):
    r = {"id": id_, "type": type_, "parent": parent, "name": name}
    r.update(kw)
    return r


def proc(pid, job, name, pss, private, shared, **kw):
    return rec("p/%d" % pid, "p", job, name, pid=pid, ppid=1, state="ok", cmdline=name, pss_bytes=pss,
               private_bytes=private, shared_bytes=shared, swap_pss_bytes=0, rss_bytes=private + shared, **kw)


def sample():
    """A small machine: 1 GiB, kernel categories (one unknown), a job tree, processes with hostile
    names, an unreadable process, objects and threads, and the __META record."""
    M = 1 << 20
    r = [rec("kernel/physmem", "kernel", "", "physmem", size_bytes=1024 * M),
         rec("kernel/free", "kernel", "kernel/physmem", "free", size_bytes=500 * M),
         rec("kernel/slab", "kernel", "kernel/physmem", "slab", size_bytes=60 * M),
         rec("kernel/zram", "kernel", "kernel/physmem", "zram", size_bytes=None),
         rec("kernel/user", "kernel", "kernel/physmem", "user", size_bytes=400 * M, anon_bytes=300 * M,
             file_bytes=90 * M, shmem_bytes=10 * M),
         rec("kernel/other", "kernel", "kernel/physmem", "other", size_bytes=64 * M),
         rec("j/", "j", "kernel/user", "/", pss_bytes=300 * M, private_bytes=250 * M, swap_pss_bytes=0, partial=True),
         rec("j/system.slice", "j", "j/", "system.slice", pss_bytes=200 * M, private_bytes=170 * M,
             swap_pss_bytes=0, partial=True),
         proc(1, "j/", "init", 100 * M, 80 * M, 40 * M),
         proc(100, "j/system.slice", HOSTILE[0], 120 * M, 100 * M, 50 * M,
              objects=[{"id": "o/1", "pss_bytes": 70 * M}, {"id": "o/2", "pss_bytes": 30 * M}]),
         proc(200, "j/system.slice", "sshd", 80 * M, 70 * M, 20 * M),
         rec("p/300", "p", "j/system.slice", "locked", pid=300, ppid=1, state="unreadable", cmdline=None,
             pss_bytes=None, private_bytes=None, shared_bytes=None, swap_pss_bytes=None, rss_bytes=None),
         rec("o/1", "o", "p/100", HOSTILE[1], kind="anon", size_bytes=80 * M, alloc_bytes=75 * M,
             pss_bytes=70 * M, sharers=1, pids=[100]),
         rec("o/2", "o", "p/100", HOSTILE[2], kind="file", size_bytes=40 * M, alloc_bytes=35 * M,
             pss_bytes=30 * M, sharers=1, pids=[100]),
         rec("t/1", "t", "p/1", HOSTILE[4], state="S"),
         rec("t/100", "t", "p/100", HOSTILE[3], state="R")]
    for i, h in enumerate(HOSTILE[3:]):
        r.append(proc(400 + i, "j/system.slice", h, 0, 0, 0))
    r.append(rec("__META", "__META", "", "__META", schema="memgraph/1", timestamp="2026-11-28T10:00:00.000Z",
                 source={"kind": "snapshot", "format": "dir", "path": "</script>", "kernel": "6.1.0",
                         "missing": []}))
    return r


def memgraph_text(records):
    """As memgraph writes it: one record a line."""
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def run(driver, text, use_stdin=False):
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        path = f.name
    try:
        if use_stdin:
            with open(path, "rb") as inp:
                p = subprocess.run(driver + ["-"], stdin=inp, capture_output=True, timeout=300)
        else:
            p = subprocess.run(driver + [path], capture_output=True, timeout=300)
    finally:
        os.unlink(path)
    return p


def chain(depth):
    """kernel/physmem, then a job chain `depth` records long below it."""
    r = [rec("kernel/physmem", "kernel", "", "physmem", size_bytes=1 << 30)]
    parent = "kernel/physmem"
    for i in range(depth):
        r.append(rec("j/%d" % i, "j", parent, "j%d" % i, pss_bytes=4096, private_bytes=4096))
        parent = "j/%d" % i
    return r


def bad(driver):
    base = sample()

    def edited(f):
        r = json.loads(json.dumps(base))
        f(r)
        return memgraph_text(r)

    def setkey(i, k, v):
        return lambda r: r[i].__setitem__(k, v)

    def delkey(i, k):
        return lambda r: r[i].__delitem__(k)

    cycle = [rec("kernel/physmem", "kernel", "", "physmem", size_bytes=1),
             rec("j/a", "j", "j/c", "a"), rec("j/b", "j", "j/a", "b"), rec("j/c", "j", "j/b", "c")]
    cases = [
        ("empty", "", "empty input"),
        ("blank", "  \n", "stdin" if False else ""),
        ("invalid", '[{"id": "kernel/physmem", ', ""),
        ("garbage", "not json at all", ""),
        ("object", '{"id": "x"}', "an array of records, not an object"),
        ("no-records", "[]", "no records"),
        ("number-record", "[1]", "not an object"),
        ("missing-id", edited(delkey(2, "id")), 'record 3: no "id"'),
        ("missing-type", edited(delkey(2, "type")), 'no "type"'),
        ("missing-parent", edited(delkey(8, "parent")), 'no "parent"'),
        ("missing-name", edited(delkey(8, "name")), 'no "name"'),
        ("name-number", edited(setkey(8, "name", 42)), '"name" is an integer, not a string'),
        ("name-null", edited(setkey(8, "name", None)), '"name" is null, not a string'),
        ("id-array", edited(setkey(8, "id", ["p/1"])), '"id" is an array, not a string'),
        ("empty-id", edited(setkey(8, "id", "")), "the id is empty"),
        ("unknown-type", edited(setkey(8, "type", "x")), 'type "x" is none of'),
        ("duplicate-id", edited(setkey(10, "id", "p/1")), "the same id as record 9"),
        ("unknown-parent", edited(setkey(8, "parent", "j/nowhere")), 'its parent "j/nowhere" is not a record'),
        ("self-parent", edited(setkey(8, "parent", "p/1")), "cycle"),
        ("cycle", memgraph_text(cycle), "cycle"),
        ("root-cycle", edited(setkey(0, "parent", "j/system.slice")), "cycle"),
        ("negative", edited(setkey(8, "pss_bytes", -1)), '"pss_bytes" is negative (-1)'),
        ("negative-kernel", edited(setkey(1, "size_bytes", -4096)), '"size_bytes" is negative'),
        ("fraction", edited(setkey(8, "pss_bytes", 1.5)), "not a whole number"),
        ("float-whole", edited(setkey(8, "pss_bytes", 4096.0)), "not as an integer"),
        ("string-size", edited(setkey(8, "pss_bytes", "4096")), "not a number of bytes"),
        ("2^53", edited(setkey(8, "pss_bytes", MAX + 1)), "beyond the page's limit"),
        ("2^63-1", edited(setkey(8, "pss_bytes", 2**63 - 1)), "beyond the page's limit"),
        ("2^64-1", edited(setkey(8, "pss_bytes", 2**64 - 1)), ""),
        ("1e300", edited(setkey(8, "pss_bytes", 1e300)), "beyond the page's limit"),
        ("other-too-negative", edited(setkey(5, "size_bytes", -(MAX + 1))), "beyond the page's limit"),
        ("sum", edited(lambda r: (r[8].__setitem__("shared_bytes", MAX), r[10].__setitem__("shared_bytes", 1))),
         "add up to more than 2^53 - 1"),
        ("objects-not-array", edited(setkey(9, "objects", {})), '"objects" is an object'),
        ("objects-no-record", edited(setkey(9, "objects", [{"id": "o/9", "pss_bytes": 1}])), 'names "o/9"'),
        ("objects-not-object", edited(setkey(9, "objects", [{"id": "p/1", "pss_bytes": 1}])), 'names "p/1"'),
        ("objects-twice", edited(setkey(9, "objects", [{"id": "o/1", "pss_bytes": 1}, {"id": "o/2", "pss_bytes": 1},
                                                       {"id": "o/1", "pss_bytes": 2}])), 'entry 3 names "o/1" again'),
        ("objects-on-job", edited(setkey(7, "objects", [])), '"objects" in a record of type j'),
        ("objects-negative", edited(setkey(9, "objects", [{"id": "o/1", "pss_bytes": -5}])), "negative"),
        ("second-meta", memgraph_text(base + [base[-1]]), "second __META"),
        ("meta-parent", edited(setkey(8, "parent", "__META")), "__META record is not a parent"),
        ("deep-10000", memgraph_text(chain(10000)), "deeper than 4096 levels"),
        ("hostile-id", edited(setkey(8, "parent", "\x1b]0;pwned\x07")), "\\x1b]0;pwned\\x07"),
        ("duplicate-key", '[{"id": "kernel/physmem", "type": "kernel", "parent": "", "name": "m", '
                          '"size_bytes": 1, "size_bytes": -5}]', '"size_bytes" is negative (-5)'),
        ("huge-nesting", "[" * 100000 + "]" * 100000, ""),
        ("not-utf8", b'[{"id": "\xff", "type": "p", "parent": "", "name": "x"}]', ""),
    ]
    for name, text, want in cases:
        for use_stdin in (False, True) if name in ("empty", "invalid", "cycle", "deep-10000") else (False,):
            label = name + (" (stdin)" if use_stdin else "")
            t0 = time.monotonic()
            p = run(driver, text, use_stdin)
            err = p.stderr.decode("utf-8", "replace")
            if p.returncode != 3:
                fail("%s: exit status %d, not 3 (stderr: %s)" % (label, p.returncode, err.strip()[:200]))
            if p.stdout:
                fail("%s: %d bytes on stdout despite the error" % (label, len(p.stdout)))
            if want and want not in err:
                fail("%s: stderr does not say %r: %s" % (label, want, err.strip()[:300]))
            if not err.strip() or "\n" in err.strip() or len(err) > 1000:
                fail("%s: not one clear line on stderr: %r" % (label, err[:300]))
            if "\x1b" in err or "\x07" in err:
                fail("%s: a control character reached stderr unescaped" % label)
            if os.environ.get("HTML_CHECK_VERBOSE"):
                print("%s: %s" % (label, err.strip()))
            if time.monotonic() - t0 > 20:
                fail("%s: %.1f s" % (label, time.monotonic() - t0))
    # The same inputs within bounds are accepted: each refusal above is the edit, not the sample.
    for name, text in [("sample", memgraph_text(base)),
                       ("other-negative", edited(setkey(5, "size_bytes", -4096))),
                       ("2^53-1", memgraph_text([rec("kernel/physmem", "kernel", "", "physmem", size_bytes=MAX)])),
                       ("unknown-sizes", edited(setkey(8, "pss_bytes", None))),
                       ("deep-4000", memgraph_text(chain(4000))),
                       # object records' figures are shown, never summed: ASan's 20 TB reservations
                       ("objects-virtual", edited(lambda r: (r[12].__setitem__("size_bytes", MAX),
                                                            r[13].__setitem__("size_bytes", MAX)))),
                       ("no-meta", memgraph_text(base[:-1]))]:
        p = run(driver, text)
        if p.returncode != 0 or not p.stdout.startswith(b"<!DOCTYPE html>"):
            fail("%s: refused (status %d): %s" % (name, p.returncode, p.stderr.decode("utf-8", "replace")[:300]))
    print("bad: %d cases" % len(cases))


class Elements(html.parser.HTMLParser):
    """Every element with its attributes, and the text of script and style elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.raw = {}
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = len(self.elements) - 1
            self.raw[self._in] = ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self.raw[self._in] += data


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def check_page(label, page, records):
    """The page alone: CSP, references, the data block read back equal to the records."""
    text = page.decode("utf-8")
    parser = Elements()
    parser.feed(text)
    parser.close()
    tags = [t for t, _ in parser.elements]
    scripts = [i for i, (t, _) in enumerate(parser.elements) if t == "script"]
    styles = [i for i, (t, _) in enumerate(parser.elements) if t == "style"]
    if len(scripts) != 2 or len(styles) != 1:
        fail("%s: %d script and %d style elements, not 2 and 1" % (label, len(scripts), len(styles)))
        return
    data_el, code_el = scripts
    if parser.elements[data_el][1] != {"type": "application/json", "id": "memgraph-data"}:
        fail("%s: the first script is not the data block: %r" % (label, parser.elements[data_el][1]))
    if parser.elements[code_el][1]:
        fail("%s: the page's script has attributes: %r" % (label, parser.elements[code_el][1]))
    for bad_tag in ("img", "link", "iframe", "object", "embed", "base", "form", "a", "svg"):
        if bad_tag in tags:
            fail("%s: the page has a <%s> element" % (label, bad_tag))
    for tag, attrs in parser.elements:
        for k, v in attrs.items():
            if k in ("src", "href", "action", "srcset", "background") or k.startswith("on"):
                fail("%s: <%s %s=%r>" % (label, tag, k, v))
    csp = [a.get("content", "") for t, a in parser.elements
           if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    if len(csp) != 1:
        fail("%s: %d CSP meta elements" % (label, len(csp)))
        return
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp[0].split(";") if d.strip())
    want = {"default-src": "'none'", "script-src": sha256_source(parser.raw[code_el]),
            "style-src": sha256_source(parser.raw[styles[0]]), "base-uri": "'none'", "form-action": "'none'"}
    if directives != want:
        fail("%s: CSP %r, expected %r" % (label, directives, want))
    if text.index("Content-Security-Policy") > text.index("<style>"):
        fail("%s: the CSP comes after the style" % label)
    code = parser.raw[code_el] + parser.raw[styles[0]]
    for ref in ("http:", "https:", "//", "url(", "@import", "fetch(", "XMLHttpRequest", "innerHTML",
                "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        hit = [line for line in code.splitlines() if ref in line and not line.strip().startswith(("/*", "*"))]
        if ref == "//":
            hit = [h for h in hit if "//" in h.split("/*")[0]]
        if hit:
            fail("%s: the page's own code uses %r: %s" % (label, ref, hit[0].strip()[:120]))
    data = parser.raw[data_el]
    for ch in "<>&\u2028\u2029":
        if ch in data:
            fail("%s: the data block holds a raw %r" % (label, ch))
    try:
        back = json.loads(data)
    except ValueError as e:
        fail("%s: the data block is not JSON: %s" % (label, e))
        return
    if back != records:
        diff = next((i for i, (a, b) in enumerate(zip(back, records)) if a != b), min(len(back), len(records)))
        fail("%s: the data block differs from the records at record %d" % (label, diff + 1))


def page(driver):
    records = sample()
    p = run(driver, memgraph_text(records))
    if p.returncode != 0:
        fail("sample: status %d: %s" % (p.returncode, p.stderr.decode()))
        return
    check_page("sample", p.stdout, records)
    if p.stderr:
        fail("sample: stderr not empty: %r" % p.stderr[:200])
    for h in HOSTILE:
        if any(c in h for c in "<>&\u2028\u2029") and h.encode() in p.stdout:
            fail("sample: the name %r appears raw in the page" % h)
    # The same page from stdin, and from a compact one-line array (any JSON layout is read).
    q = run(driver, memgraph_text(records), use_stdin=True)
    if q.stdout != p.stdout:
        fail("stdin: the page differs from the file's")
    q = run(driver, json.dumps(records))
    if q.stdout != p.stdout:
        fail("compact: the page differs from the one-record-a-line input's")
    # A negative control: the same check on a page whose data holds a raw "</script>" must fail.
    global quiet
    broken = p.stdout.replace(b"\\u003c/script\\u003e", b"</script>", 1)
    before = len(failures)
    quiet = True
    check_page("control", broken, records)
    quiet = False
    if len(failures) == before:
        fail("control: a page with a raw </script> in its data passed the checks")
    else:
        del failures[before:]
        print("control: a raw </script> in the data is caught")

    scale(driver)


def many(n):
    """n records: the kernel root, kernel/user, the root job and n - 3 processes."""
    big = [rec("kernel/physmem", "kernel", "", "physmem", size_bytes=1 << 40),
           rec("kernel/user", "kernel", "kernel/physmem", "user", size_bytes=1 << 39),
           rec("j/", "j", "kernel/user", "/", pss_bytes=4096 * (n - 3), private_bytes=4096 * (n - 3))]
    big += [proc(i, "j/", "p%d" % i, 4096, 4096, 0) for i in range(1, n - 2)]
    return memgraph_text(big).encode()


def measure(cmd, path):
    """CPU seconds and peak RSS (bytes) of one run; the exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.devnull, "wb") as null:
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd + [path], stdout=null, stderr=subprocess.PIPE,
                           timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = p.stderr.decode("utf-8", "replace").strip().splitlines()
    peak = int(lines[-1]) * 1024 if p.returncode == 0 and lines and lines[-1].isdigit() else -1
    return cpu, peak, p.returncode, p.stderr.decode("utf-8", "replace")


def scale(driver):
    """Time linear in the records; memory: the JSON reader's, plus at most 2 times the input for the
    check and the page (the page holds the data once, ~1x; was ~2.1x before the in-place escaping).  HTML_CHECK_RECORDS=1000000 runs a million (the
    reader alone then peaks near 4.5 GB: see doc/BENCHMARKS.md)."""
    sizes = [int(x) for x in os.environ.get("HTML_CHECK_RECORDS", "25000,100000").split(",")]
    cpus = []
    with open(shutil.which(driver[0]) or driver[0], "rb") as f:
        # AddressSanitizer's shadow and redzones grow with every allocation: 10 % of the reader's peak
        slack = 1.10 if b"__asan_init" in f.read() else 1.0
    for n in sizes:
        text = many(n)
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(text)
            path = f.name
        try:
            cpu, peak, rc, err = measure(driver, path)
            pcpu, ppeak, prc, _ = measure([driver[0], "--parse-only"], path) if driver[0].endswith("html-driver") \
                else (0.0, 0, 0, "")
        finally:
            os.unlink(path)
        print("%d records, %.1f MB of JSON: %.2f s CPU, peak RSS %.0f MB; parsing alone %.2f s, %.0f MB" %
              (n, len(text) / 1e6, cpu, peak / 1e6, pcpu, ppeak / 1e6))
        if rc != 0:
            fail("%d records: status %d: %s" % (n, rc, err[:300]))
            return
        if ppeak > 0 and peak > ppeak * slack + 2 * len(text) + (16 << 20):
            fail("%d records: peak RSS %.0f MB, over the reader's %.0f MB + 2 x %.0f MB" %
                 (n, peak / 1e6, ppeak / 1e6, len(text) / 1e6))
        cpus.append((n, cpu))
    (n0, c0), (n1, c1) = cpus[0], cpus[-1]
    if n1 > n0 and c1 > 2.0 * (n1 / n0) * max(c0, 0.05):
        fail("time not linear: %.2f s for %d records, %.2f s for %d" % (c0, n0, c1, n1))


def tool(args):
    """memgraph's own page of a recording holds exactly the records `memgraph` writes of it (but the
    timestamp): memgraph MEMGRAPH FIXTURE."""
    memgraph, fixture = args
    out = subprocess.run([memgraph, "-v", "-S", fixture], capture_output=True, timeout=300)
    page = subprocess.run([memgraph, "-v", "--html", "-S", fixture], capture_output=True, timeout=300)
    if out.returncode != 0 or page.returncode != 0:
        fail("memgraph on %s: status %d / %d: %s" % (fixture, out.returncode, page.returncode, page.stderr[:300]))
        return
    records = json.loads(out.stdout)
    data = page.stdout.split(b'id="memgraph-data">', 1)[-1].split(b"</script>", 1)[0]
    try:
        stamp = next(r for r in json.loads(data) if r["type"] == "__META")["timestamp"]
    except (ValueError, StopIteration, KeyError):
        stamp = None
    for r in records:
        if r["type"] == "__META":
            r["timestamp"] = stamp
    check_page("memgraph --html -S " + os.path.basename(fixture), page.stdout, records)
    print("tool: memgraph --html's page holds its %d records" % len(records))


def finish():
    """The exit status of a check script: 1 when anything failed."""
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("ok")


def main():
    mode, driver = sys.argv[1], sys.argv[2:]
    {"bad": bad, "page": page, "tool": tool}[mode](driver)
    finish()


if __name__ == "__main__":
    main()
