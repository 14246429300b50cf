#!/usr/bin/env python3
# validate.py: memgraph records on stdin checked for layout, structure and the schema (test layer)
# usage: validate.py WHAT [--threads PID:N] < records; prints FAIL lines, exits 1 on any.
import os
import sys

sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "memgraph"))
from graph_check import Checker, parse, structure, validate_schema  # noqa: E402

c = Checker()
what = sys.argv[1]
recs = parse(sys.stdin.read(), c, what)
validate_schema(recs, c, what)
structure(recs, c, what)
print("%s: %d records" % (what, len(recs)))
sys.exit(1 if c.failures else 0)
