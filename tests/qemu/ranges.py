# SPDX-License-Identifier: MIT
"""Half-open [start, end) physical ranges, for tests that compute what memblock must hold.
Shared by the memblock QEMU tests and the lab grader (tests/labs/common.py)."""

PAGE = 4096


def merge(ranges):
    """Sorted, merged list of half-open [start, end) ranges."""
    out = []
    for s, e in sorted(r for r in ranges if r[0] < r[1]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(r) for r in out]


def subtract(ranges, hole):
    """@ranges without the half-open @hole."""
    out = []
    for s, e in ranges:
        if e <= hole[0] or s >= hole[1]:
            out.append((s, e))
            continue
        if s < hole[0]:
            out.append((s, hole[0]))
        if e > hole[1]:
            out.append((hole[1], e))
    return out


def whole_pages(ranges):
    """Each range shrunk to whole pages; ranges that hold none are dropped."""
    return [(s, e) for s, e in (((s + PAGE - 1) & ~(PAGE - 1), e & ~(PAGE - 1)) for s, e in ranges)
            if s < e]
