"""Recursive XY-cut: reading order of rectangles on a Manhattan page.

A region is cut across its whole width where no item crosses (a horizontal
cut: modules stacked top to bottom) and otherwise across its whole height (a
vertical cut: columns left to right).  Horizontal cuts are tried first:
newspaper modules are stacked bands, and inside a band columns read left to
right.  Thin separators (rules) take part as items, so a rule spanning three
columns keeps those columns from being cut apart above and below it.
"""

from __future__ import annotations

from tasks.model import BBox

# Items overlapping by less than this (points) still leave a cut between them.
EPS = 0.8


def _groups(intervals: list[tuple[float, float, int]]) -> list[list[int]]:
    """Items grouped by gaps in their projection on one axis, in axis order."""
    groups: list[list[int]] = []
    reach = float("-inf")
    for lo, hi, i in sorted(intervals):
        if groups and lo < reach - EPS:
            groups[-1].append(i)
            reach = max(reach, hi)
        else:
            groups.append([i])
            reach = hi
    return groups


def xy_order(boxes: list[BBox]) -> list[int]:
    """Indexes of ``boxes`` (x0, top, x1, bottom) in XY-cut reading order."""
    order: list[int] = []

    def visit(idx: list[int]) -> None:
        if len(idx) <= 1:
            order.extend(idx)
            return
        rows = _groups([(boxes[i][1], boxes[i][3], i) for i in idx])
        if len(rows) > 1:
            for r in rows:
                visit(r)
            return
        cols = _groups([(boxes[i][0], boxes[i][2], i) for i in idx])
        if len(cols) > 1:
            for c in cols:
                visit(c)
            return
        # no clean cut (a pinwheel): left edge first, then top to bottom
        order.extend(sorted(idx, key=lambda i: (round(boxes[i][0] / 4.0), boxes[i][1])))

    visit(list(range(len(boxes))))
    return order
