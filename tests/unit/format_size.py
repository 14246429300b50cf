#!/usr/bin/env python3
# format_size.py: independent cross-check of mem_format_size_fixed() with exact rational arithmetic (rendering support layer tests)
"""Usage: format_size.py CHECK_FORMAT_BINARY [COUNT]

Generates random sizes (every magnitude, exact multiples, values next to rounding edges) and
units, formats each with Python's own reading of Zircon's rule, and compares with what
`CHECK_FORMAT_BINARY --print` writes for the same "bytes unit" lines."""

import random
import subprocess
import sys
from fractions import Fraction

UNITS = "BkMGTPE"


def expected(nbytes, unit):
    prefix = ""
    if unit in UNITS:
        index = UNITS.index(unit)
    else:
        if unit != "0":
            prefix = "?"
        index = 0
        value = nbytes
        while index < len(UNITS) - 1 and (value >= 10000 or (value and value % 1024 == 0)):
            value //= 1024
            index += 1
    scale = 1024 ** index
    exact = Fraction(nbytes, scale)
    if exact.denominator == 1:
        return "%s%d%s" % (prefix, exact.numerator, UNITS[index])
    tenths = int(exact * 10 + Fraction(1, 2))  # round half up, then split
    return "%s%d.%d%s" % (prefix, tenths // 10, tenths % 10, UNITS[index])


def sample(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.getrandbits(rng.randrange(1, 65))
    if kind == 1:
        return (rng.getrandbits(rng.randrange(1, 14))) << (10 * rng.randrange(0, 7))
    if kind == 2:
        # next to a rounding edge: k + (2t+1)/20 of a unit
        shift = 10 * rng.randrange(1, 7)
        base = rng.randrange(0, 10240) << shift
        edge = base + ((2 * rng.randrange(10) + 1) << shift) // 20
        return max(0, min(2 ** 64 - 1, edge + rng.randrange(-2, 3)))
    if kind == 3:
        return 2 ** 64 - 1 - rng.getrandbits(rng.randrange(1, 64))
    if kind == 4:
        return rng.randrange(9990, 10010) << (10 * rng.randrange(0, 6))
    return rng.randrange(0, 100000)


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(0x5A17)
    cases = []
    for _ in range(count):
        nbytes = max(0, min(2 ** 64 - 1, sample(rng)))
        unit = rng.choice(["0"] * 6 + list(UNITS) + ["K", "q", "?"])
        cases.append((nbytes, unit))
    cases += [(0, "0"), (2 ** 64 - 1, "0"), (2 ** 64 - 1, "B"), (10000, "0"), (1419571, "0")]
    text = "".join("%d %s\n" % c for c in cases)
    run = subprocess.run([binary, "--print"], input=text, capture_output=True, text=True, check=True)
    got = run.stdout.splitlines()
    if len(got) != len(cases):
        print("expected %d lines, got %d" % (len(cases), len(got)))
        return 1
    bad = 0
    for (nbytes, unit), line in zip(cases, got):
        want = expected(nbytes, unit)
        if line != want:
            bad += 1
            if bad <= 20:
                print("bytes=%d unit=%s: got %r, expected %r" % (nbytes, unit, line, want))
    print("%d cases, %d mismatches" % (len(cases), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
