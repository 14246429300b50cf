#!/usr/bin/env python3
"""html_browser.py: the memgraph treemap page in a real browser, Debian's chromium, headless (test layer).

  html_browser.py OUTDIR DRIVER...     DRIVER FILE writes the page of a memgraph JSON file

The page is loaded from a file:// URL (several views through its URL fragment, one click through
#click=), its DOM after the script ran is read back (--dump-dom) and checked against the records:
the boxes exist, each one's area is its share of its parent's bytes (within rounding), hostile names
are text and no element was injected, a click zooms.  Every run writes a net log: no request may leave
the page (chromium's own background requests have no page origin and all go to an unreachable
loopback proxy).  Negative controls prove the area, injection and network checks can fail.  A
screenshot is kept in OUTDIR (tests/memgraph/html-browser.png).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_check  # noqa: E402  (the sample records and the hostile names)
from html_check import HOSTILE, memgraph_text, rec, sample  # noqa: E402

M = 1 << 20
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
fail = html_check.fail


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids, self.text = tag, attrs, parent, [], ""

    def all(self):
        out, stack = [], [self]
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(n.kids))
        return out

    def full_text(self):
        return self.text + "".join(k.full_text() for k in self.kids)

    def cls(self):
        return self.attrs.get("class", "").split()


class Dom(html_check.html.parser.HTMLParser):
    """The dumped DOM as a tree of Nodes (the browser serialises it well-formed)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        n = Node(tag, dict(attrs), self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text += data


class Chromium:
    def __init__(self, binary, work):
        self.binary, self.work, self.n = binary, work, 0

    def load(self, page, fragment="", screenshot=None):
        """Loads page#fragment; returns (dom text, page-initiated request urls)."""
        self.n += 1
        netlog = os.path.join(self.work, "net%d.json" % self.n)
        url = "file://" + page + ("#" + fragment if fragment else "")
        args = [self.binary, "--headless", "--disable-gpu", "--no-sandbox", "--window-size=1200,900",
                "--user-data-dir=" + os.path.join(self.work, "profile"), "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-breakpad", "--no-pings",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                # whatever chromium still sends goes to a closed loopback port: nothing beyond loopback
                "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--log-net-log=" + netlog, "--net-log-capture-mode=Everything", "--virtual-time-budget=3000"]
        args += ["--screenshot=" + screenshot] if screenshot else ["--dump-dom"]
        p = subprocess.run(["timeout", "120"] + args + [url], capture_output=True, cwd=self.work)
        if p.returncode != 0:
            fail("chromium %s: status %d: %s" % (fragment, p.returncode, p.stderr.decode("utf-8", "replace")[-500:]))
        return p.stdout.decode("utf-8", "replace"), page_requests(netlog)


def page_requests(netlog):
    """URLs the page asked for: requests with a page origin (chromium's own have 'not an origin')."""
    try:
        with open(netlog) as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        fail("net log %s unreadable: %s" % (netlog, e))
        return []
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for e in log["events"]:
        p = e.get("params") or {}
        if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in p and p.get("initiator") != "not an origin":
            urls.append(p["url"])
    return urls


def value(records, id_, fig="pss"):
    r = next(x for x in records if x["id"] == id_)
    if r["type"] == "kernel":
        return r["size_bytes"]
    if r["type"] == "j" and fig == "shared":
        # the page sums its processes' shared bytes (memgraph does not: not additive)
        return sum(x["shared_bytes"] or 0 for x in records if x["type"] == "p" and in_job(records, x, id_))
    return r[fig + "_bytes"]


def in_job(records, r, job):
    by = {x["id"]: x for x in records}
    while r["parent"]:
        if r["parent"] == job:
            return True
        r = by[r["parent"]]
    return False


def boxes_of(dom):
    out = {}
    for n in dom.root.all():
        if n.tag == "div" and "box" in n.cls():
            st = dict(kv.split(":", 1) for kv in n.attrs.get("style", "").split(";") if ":" in kv)
            g = {k.strip(): float(v.strip().rstrip("px")) for k, v in st.items()}
            out[n.attrs["data-id"]] = dict(node=n, x=g["left"], y=g["top"], w=g["width"], h=g["height"],
                                           parent=n.attrs.get("data-parent"), inner=n.attrs.get("data-inner"))
    return out


def check_areas(label, dom, want):
    """want: {box id: expected share of its parent's inner area}; the boxes inside their parent."""
    boxes = boxes_of(dom)
    for id_, share in want.items():
        b = boxes.get(id_)
        if not b:
            fail("%s: no box %r (boxes: %s)" % (label, id_, sorted(boxes)[:20]))
            continue
        par = boxes.get(b["parent"])
        if not par or not par["inner"]:
            fail("%s: box %r has no parent box with an inner area" % (label, id_))
            continue
        ix, iy, iw, ih = (float(v) for v in par["inner"].split())
        got = b["w"] * b["h"] / (iw * ih)
        if abs(got - share) > 0.002:
            fail("%s: %s covers %.4f of %s, expected %.4f" % (label, id_, got, b["parent"], share))
        if b["x"] < ix - 0.01 or b["y"] < iy - 0.01 or b["x"] + b["w"] > ix + iw + 0.01 or b["y"] + b["h"] > iy + ih + 0.01:
            fail("%s: %s lies outside %s" % (label, id_, b["parent"]))
    sibs = {}
    for id_, b in boxes.items():
        sibs.setdefault(b["parent"], []).append(b)
    for group in sibs.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                ox = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
                oy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
                if ox > 0.01 and oy > 0.01 and ox * oy > 0.5:
                    fail("%s: boxes %s and %s overlap" % (label, a["node"].attrs["data-id"], b["node"].attrs["data-id"]))
    return boxes


def check_inert(label, dom):
    """Hostile names are text: no element beyond the page's own kinds, no handler attribute, 2 scripts."""
    allowed = {"#root", "html", "head", "meta", "title", "style", "body", "noscript", "p", "div", "script", "header",
               "h1", "h2", "form", "span", "label", "input", "nav", "button", "aside", "dl", "dt", "dd", "ul", "li",
               "table", "thead", "tbody", "tr", "th", "td", "a"}
    nodes = dom.root.all()
    for n in nodes:
        if n.tag not in allowed:
            fail("%s: an element <%s> the page never makes (injected?)" % (label, n.tag))
        for k in n.attrs:
            if k.startswith("on") or k in ("src", "srcdoc") or (k == "href" and n.attrs[k] != "#"):
                fail("%s: <%s %s=%r>" % (label, n.tag, k, n.attrs[k]))
    if sum(1 for n in nodes if n.tag == "script") != 2:
        fail("%s: %d script elements" % (label, sum(1 for n in nodes if n.tag == "script")))
    ready = [n.attrs.get("data-ready") for n in nodes if n.tag == "body"]
    if ready != ["yes"]:
        fail("%s: the script did not finish (body data-ready %r)" % (label, ready))


def check_details(label, dom, want):
    """The details panel (what hovering shows): each wanted line's value."""
    dls = [n for n in dom.root.all() if n.tag == "dl"]
    got = {}
    if dls:
        kids = [k for k in dls[0].kids if k.tag in ("dt", "dd")]
        got = {kids[i].full_text(): kids[i + 1].full_text() for i in range(0, len(kids) - 1, 2)}
    for k, val in want.items():
        if got.get(k) != val:
            fail("%s: details %r is %r, expected %r" % (label, k, got.get(k), val))


def label_of(boxes, id_):
    b = boxes.get(id_)
    spans = [k for k in b["node"].kids if k.tag == "span"] if b else []
    return spans[0].full_text() if spans else None


def crumbs(dom):
    nav = [n for n in dom.root.all() if n.tag == "nav"]
    return [k.full_text() for k in nav[0].kids if k.tag in ("button", "span") and "sep" not in k.cls()] if nav else []


def table_rows(dom):
    rows = []
    for n in dom.root.all():
        if n.tag == "tr" and "data-id" in n.attrs:
            rows.append([td.full_text() for td in n.kids if td.tag == "td"] + [n.attrs["data-id"]])
    return rows


def run(outdir, driver):
    chromium = shutil.which("chromium")
    work = tempfile.mkdtemp(prefix="memgraph-html-")
    os.chmod(work, 0o755)
    try:
        records = sample()
        src = os.path.join(work, "sample.json")
        page = os.path.join(work, "sample.html")
        with open(src, "w") as f:
            f.write(memgraph_text(records))
        with open(page, "wb") as f:
            p = subprocess.run(driver + [src], stdout=f)
        if p.returncode != 0:
            fail("the driver refused the sample")
            return
        br = Chromium(chromium, work)
        v = lambda i, fig="pss": value(records, i, fig)  # noqa: E731
        phys, user = v("kernel/physmem"), v("kernel/user")

        # 1. The whole machine: the kernel categories; zram (unknown) listed, not drawn.
        text, reqs = br.load(page)
        dom = Dom(text)
        check_inert("top", dom)
        boxes = check_areas("top", dom, {k: v(k) / phys for k in
                                          ("kernel/free", "kernel/slab", "kernel/user", "kernel/other")})
        if "kernel/zram" in boxes:
            fail("top: the unknown zram is drawn")
        rows = {r[-1]: r for r in table_rows(dom)}
        if rows.get("kernel/zram", [None, None])[1] != "unknown":
            fail("top: zram is not listed as unknown: %r" % rows.get("kernel/zram"))
        order = [r[-1] for r in table_rows(dom)]
        want_order = sorted((r["id"] for r in records if r["parent"] == "kernel/physmem"),
                            key=lambda i: (v(i) is None, -(v(i) or 0)))
        if order != want_order:
            fail("top: table order %r, expected largest first, unknown last: %r" % (order, want_order))
        notes = " ".join(n.full_text() for n in dom.root.all() if n.tag == "ul" and "notes" in n.cls())
        if "zram: size unknown, not drawn" not in notes:
            fail("top: the notes do not name zram as unknown: %r" % notes)
        for id_ in ("kernel/free", "kernel/user", "kernel/slab", "kernel/other"):
            want = [html_check_format(v(id_)), "{:,}".format(v(id_)), "%.2f%%" % (100 * v(id_) / phys)]
            if rows.get(id_, [])[1:4] != want:
                fail("top: table row %s is %r, expected %r" % (id_, rows.get(id_), want))
        legend = [li for n in dom.root.all() if n.tag == "ul" and "legend" in n.cls() for li in n.kids]
        kinds = {" ".join(sw.cls()) for li in legend for sw in li.kids if "swatch" in sw.cls()}
        if kinds != {"swatch t-" + k for k in ("kernel", "j", "p", "o", "part", "rest", "unknown")}:
            fail("top: the legend shows %r" % sorted(kinds))
        if label_of(boxes, "kernel/physmem") != "physmem 1G":
            fail("top: the root's label is %r" % label_of(boxes, "kernel/physmem"))
        allreqs = list(reqs)
        # hovering a box shows its details (the page's own mouseenter handler; #hover= dispatches it)
        text, reqs = br.load(page, "hover=kernel%2Ffree")
        allreqs += reqs
        check_details("hover", Dom(text), {"name": "free", "id": "kernel/free", "type": "kernel category",
                                          "bytes": "{:,} bytes".format(v("kernel/free")),
                                          "share of parent": "%.2f%%" % (100 * v("kernel/free") / phys),
                                          "share of total": "%.2f%%" % (100 * v("kernel/free") / phys)})

        # 2. kernel/user: the root job and what no process's PSS covers.
        text, reqs = br.load(page, "zoom=kernel%2Fuser")
        allreqs += reqs
        dom = Dom(text)
        check_inert("user", dom)
        rest = user - v("j/")
        boxes = check_areas("user", dom, {"j/": v("j/") / user, "rest kernel/user": rest / user,
                                          "j/system.slice": v("j/system.slice") / v("j/"),
                                          "p/100": v("p/100") / v("j/system.slice")})
        if label_of(boxes, "rest kernel/user") != "not in any process's PSS " + html_check_format(rest):
            fail("user: the remainder's label is %r" % label_of(boxes, "rest kernel/user"))
        if label_of(boxes, "p/100") != HOSTILE[0] + " " + html_check_format(v("p/100")):
            fail("user: the hostile name is not its own text: %r" % label_of(boxes, "p/100"))
        if crumbs(dom) != ["physmem", "user"]:
            fail("user: breadcrumb %r" % crumbs(dom))

        # 3. A process with objects (hostile names): each object's part, the rest of its PSS.
        text, reqs = br.load(page, "zoom=p%2F100")
        allreqs += reqs
        dom = Dom(text)
        check_inert("p/100", dom)
        objs = next(r for r in records if r["id"] == "p/100")["objects"]
        want = {"p/100 " + o["id"]: o["pss_bytes"] / v("p/100") for o in objs}
        want["rest p/100"] = (v("p/100") - sum(o["pss_bytes"] for o in objs)) / v("p/100")
        boxes = check_areas("p/100", dom, want)
        names = {r["id"]: r["name"] for r in records}
        for o in objs:
            got = label_of(boxes, "p/100 " + o["id"])
            if got != names[o["id"]] + " " + html_check_format(o["pss_bytes"]):
                fail("p/100: object %s labelled %r" % (o["id"], got))
        if crumbs(dom) != ["physmem", "user", "/", "system.slice", HOSTILE[0]]:
            fail("p/100: breadcrumb %r" % crumbs(dom))

        # Hover details of the node in view, then of a leaf clicked (its details, no zoom).
        want = {"name": HOSTILE[0], "id": "p/100", "type": "process", "PSS": "{:,} bytes".format(v("p/100")),
                "Zircon units": html_check_format(v("p/100")),
                "share of parent": "%.2f%%" % (100 * v("p/100") / v("j/system.slice")),
                "share of total": "%.2f%%" % (100 * v("p/100") / phys), "pid": "100", "state": "ok"}
        check_details("p/100", dom, want)
        text, reqs = br.load(page, "zoom=p%2F100&click=p%2F100%20o%2F1")
        allreqs += reqs
        dom = Dom(text)
        o1 = next(r for r in records if r["id"] == "o/1")
        check_details("p/100 o/1", dom, {"name": o1["name"], "id": "o/1", "type": "memory object",
                                         "kind": o1["kind"], "sharers": str(o1["sharers"]),
                                         "share of parent": "%.2f%%" % (100 * objs[0]["pss_bytes"] / v("p/100"))})
        if crumbs(dom)[-1:] != [HOSTILE[0]]:
            fail("p/100 o/1: a click on a leaf changed the view: %r" % crumbs(dom))

        # 4. The private figure, then the shared one (summed over a job's processes by the page).
        for fig in ("private", "shared"):
            text, reqs = br.load(page, "zoom=j%2F&figure=" + fig)
            allreqs += reqs
            dom = Dom(text)
            check_inert(fig, dom)
            root = v("j/", fig)
            check_areas(fig, dom, {"p/1": v("p/1", fig) / root, "j/system.slice": v("j/system.slice", fig) / root})
            checked = [n.attrs.get("value") for n in dom.root.all() if n.tag == "input" and "checked" in n.attrs]
            if checked != [fig]:
                fail("%s: the figure chosen on the page is %r" % (fig, checked))

        # 5. A click on a box zooms into it (the page's own click handler; #click= only dispatches it).
        text, reqs = br.load(page, "zoom=kernel%2Fuser&click=j%2Fsystem.slice")
        allreqs += reqs
        dom = Dom(text)
        check_inert("click", dom)
        boxes = boxes_of(dom)
        tops = [i for i, b in boxes.items() if b["parent"] is None]
        if tops != ["j/system.slice"] or crumbs(dom)[-1:] != ["system.slice"]:
            fail("click: the view is %r, breadcrumb %r, not j/system.slice" % (tops, crumbs(dom)))

        # 6. Negative figures: kernel/other below zero and processes above kernel/user: said, not drawn.
        odd = json.loads(json.dumps(records))
        for r in odd:
            if r["id"] == "kernel/other":
                r["size_bytes"] = -8 * M
            if r["id"] == "kernel/free":
                r["size_bytes"] += 72 * M
            if r["id"] == "kernel/user":
                r["size_bytes"] = 250 * M
                r["anon_bytes"], r["file_bytes"], r["shmem_bytes"] = 200 * M, 40 * M, 10 * M
        for name, frag, note in [("odd", "", "other is negative"),
                                 ("odd-user", "zoom=kernel%2Fuser", "adds up to more than the kernel's user memory")]:
            oddpage = os.path.join(work, "odd.html")
            with open(os.path.join(work, "odd.json"), "w") as f:
                f.write(memgraph_text(odd))
            with open(oddpage, "wb") as f:
                subprocess.run(driver + [os.path.join(work, "odd.json")], stdout=f, check=True)
            text, reqs = br.load(oddpage, frag)
            allreqs += reqs
            dom = Dom(text)
            check_inert(name, dom)
            notes = " ".join(n.full_text() for n in dom.root.all() if n.tag == "ul" and "notes" in n.cls())
            if note not in notes:
                fail("%s: the notes do not say %r: %r" % (name, note, notes))
            boxes = boxes_of(dom)
            if "kernel/other" in boxes or "rest kernel/user" in boxes:
                fail("%s: a negative area is drawn" % name)

        # 7. A wide job (200 000 processes): the script copes (no argument-list or stack limit hit),
        # the processes too small to draw are counted in the notes.
        n = 200000
        wide = os.path.join(work, "wide.json")
        with open(wide, "wb") as f:
            f.write(html_check.many(n))
        widepage = os.path.join(work, "wide.html")
        with open(widepage, "wb") as f:
            subprocess.run(driver + [wide], stdout=f, check=True)
        text, reqs = br.load(widepage, "zoom=j%2F")
        allreqs += reqs
        dom = Dom(text)
        check_inert("wide", dom)
        notes = " ".join(n_.full_text() for n_ in dom.root.all() if n_.tag == "ul" and "notes" in n_.cls())
        drawn = sum(1 for b in boxes_of(dom).values() if b["parent"] == "j/")
        if "%d of the parts inside are too small" % (n - 3 - drawn) not in notes:
            fail("wide: %d boxes drawn, notes %r" % (drawn, notes[:200]))
        body = [x for x in dom.root.all() if x.tag == "body"][0]
        print("wide: %d processes in one job: the script took %s ms" % (n - 3, body.attrs.get("data-script-ms")))

        # 8. Zircon's units on the page (its own JavaScript format_size) against tests/unit/format_size.py
        # on 900 sizes: random magnitudes, exact multiples, rounding edges, 9990..10010 of each unit.
        zircon_units(br, work, driver, allreqs)

        # The screenshot, kept as the test's artefact.
        shot = os.path.join(outdir, "html-browser.png")
        br.load(page, "zoom=kernel%2Fuser", screenshot=shot)
        if not os.path.exists(shot) or os.path.getsize(shot) < 1000:
            fail("no screenshot in %s" % shot)
        if allreqs:
            fail("requests left the page: %r" % allreqs[:5])

        # Negative controls: each check above must be able to fail.
        controls(br, work, page, records)
        print("browser: %d loads, no request left the page, screenshot %s" % (br.n, shot))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def zircon_units(br, work, driver, allreqs):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit"))
    import format_size
    import random
    rng = random.Random(0x7E3A)
    sizes = [0, 1, 1023, 1024, 9999, 10000, 10239, 10240, 1419571, 10700, 21430, (1 << 43) - 1]
    while len(sizes) < 900:
        n = format_size.sample(rng)
        if n < 1 << 43:
            sizes.append(n)
    total = sum(sizes)
    recs = [rec("kernel/physmem", "kernel", "", "physmem", size_bytes=total),
            rec("kernel/user", "kernel", "kernel/physmem", "user", size_bytes=total),
            rec("j/", "j", "kernel/user", "/", pss_bytes=total, private_bytes=total)]
    recs += [html_check.proc(i + 1, "j/", "s%d" % i, n, n, 0) for i, n in enumerate(sizes)]
    src, page = os.path.join(work, "units.json"), os.path.join(work, "units.html")
    with open(src, "w") as f:
        f.write(memgraph_text(recs))
    with open(page, "wb") as f:
        subprocess.run(driver + [src], stdout=f, check=True)
    text, reqs = br.load(page, "zoom=j%2F")
    allreqs += reqs
    rows = {r[-1]: r for r in table_rows(Dom(text))}
    bad = 0
    for i, n in enumerate(sizes):
        want = [format_size.expected(n, "0"), "{:,}".format(n)]
        got = rows.get("p/%d" % (i + 1), [None, None, None])[1:3]
        if got != want:
            bad += 1
            if bad <= 5:
                fail("units: %d bytes shown as %r, expected %r" % (n, got, want))
    print("units: %d sizes in Zircon's units and in bytes, %d wrong" % (len(sizes), bad))


def controls(br, work, page, records):
    """Each check above on a page or expectation made wrong on purpose: it must fail."""
    hc = html_check
    with open(page, "rb") as f:
        good = f.read()
    # a page whose data block lets "</script><img ...>" out, and without its CSP: injection and a request
    leaky = good.replace(b"\\u003c/script\\u003e\\u003cimg src=x", b"</script><img src=http://127.0.0.1:1/x.png", 1)
    leaky = leaky.replace(b"<meta http-equiv=\"Content-Security-Policy\"", b"<meta name=\"x\"", 1)
    bad = os.path.join(work, "leaky.html")
    with open(bad, "wb") as f:
        f.write(leaky)
    saved, hc.failures, hc.quiet = hc.failures, [], True
    text, reqs = br.load(bad)
    check_inert("control", Dom(text))
    caught_inert = bool(hc.failures)
    hc.failures = []
    # wrong expected areas are caught
    text, _ = br.load(page)
    check_areas("control", Dom(text), {"kernel/free": 0.25})
    caught_area = bool(hc.failures)
    hc.failures, hc.quiet = saved, False
    if not caught_inert:
        fail("control: an injected <img> was not caught")
    if not reqs:
        fail("control: the net log did not show the injected request")
    if not caught_area:
        fail("control: a wrong area was not caught")
    print("controls: injection, request and area checks each fail when they should")


def html_check_format(n):
    """Zircon's format_size, from the reference vectors' rules (tests/unit/format_size.py)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit"))
    import format_size
    return "-" + format_size.expected(-n, "0") if n < 0 else format_size.expected(n, "0")


def main():
    outdir, driver = os.path.abspath(sys.argv[1]), sys.argv[2:]
    if not shutil.which("chromium"):
        print("SKIP: chromium is not installed")
        sys.exit(77)
    run(outdir, driver)
    html_check.finish()


if __name__ == "__main__":
    main()
