# graph_check.py: reading memgraph's records and checking their shape and schema, for the memgraph tests (test layer, python3)
#
# Written from man/memgraph.1 (RECORDS), not from the C code.
import json
import os

SCHEMA = os.path.join(os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", "..")),
                      "doc", "memgraph.schema.json")


class Checker:
    def __init__(self):
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)
        print("FAIL: " + msg)

    def check(self, cond, msg):
        if not cond:
            self.fail(msg)
        return cond


def parse(text, c, where):
    """The records of memgraph's output, its line layout checked: "[" alone, one record a line each
    but the last followed by ",", "]" alone."""
    lines = text.split("\n")
    c.check(lines[-1] == "", where + ": output does not end with a newline")
    lines = lines[:-1] if lines and lines[-1] == "" else lines
    if not c.check(len(lines) >= 3 and lines[0] == "[" and lines[-1] == "]", where + ": not [ ... ] on lines of their own"):
        return []
    body = lines[1:-1]
    for i, line in enumerate(body):
        last = i == len(body) - 1
        c.check(line.startswith("{") and (line.endswith("}") if last else line.endswith("},")),
                where + ": record line %d is not one record%s" % (i + 2, "" if last else " and a comma"))
    records = json.loads(text)
    c.check(len(records) == len(body), where + ": %d records on %d lines" % (len(records), len(body)))
    return records


def validate_schema(records, c, where):
    import jsonschema  # Debian's python3-jsonschema
    with open(SCHEMA) as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    v = jsonschema.Draft7Validator(schema)
    errs = list(v.iter_errors(records))
    for e in errs[:5]:
        c.fail("%s: schema: %s at %s" % (where, e.message[:300], list(e.path)))
    c.check(not errs, "%s: %d schema errors" % (where, len(errs)))
    return not errs


def structure(records, c, where):
    """ids unique, every parent a record, no cycle, __META last, the kernel children adding up."""
    by_id = {}
    for r in records:
        c.check(r["id"] not in by_id, where + ": id %r twice" % r["id"])
        by_id[r["id"]] = r
    c.check(records and records[-1]["id"] == "__META", where + ": __META is not last")
    for r in records:
        if r["parent"]:
            c.check(r["parent"] in by_id, where + ": %r: parent %r is no record" % (r["id"], r["parent"]))
    for r in records:
        seen, x = set(), r
        while x["parent"] and x["parent"] in by_id and x["id"] not in seen:
            seen.add(x["id"])
            x = by_id[x["parent"]]
        c.check(x["id"] not in seen, where + ": cycle through %r" % r["id"])
    kids = [r for r in records if r["parent"] == "kernel/physmem"]
    phys = by_id.get("kernel/physmem")
    if c.check(phys is not None, where + ": no kernel/physmem") and phys["size_bytes"] is not None:
        # an unknown category is inside `other` (memsys(1)): the known ones add up to MemTotal, and
        # when kernel/user is unknown its known parts count
        total = sum(k["size_bytes"] for k in kids if k["size_bytes"] is not None)
        user = by_id.get("kernel/user")
        if user and user["size_bytes"] is None:
            total += sum(user[k] for k in ("anon_bytes", "file_bytes", "shmem_bytes") if user[k] is not None)
        c.check(total == phys["size_bytes"],
                where + ": the kernel/physmem children add up to %d, not MemTotal %d" % (total, phys["size_bytes"]))
    roots = [r for r in records if r["type"] == "j" and r["parent"] == "kernel/user"]
    c.check(len(roots) == 1 and roots[0]["id"] == "j/", where + ": the root job is not j/ below kernel/user")
    return by_id
