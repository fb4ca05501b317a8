"""Ruled tables: a grid of rules (or of cell rectangles) holding text.

A table is a set of rules that meet each other, with at least three
horizontal and three vertical rules that each run (nearly) across the whole
set -- two rows by two columns of cells at least.  Module rules on a
newspaper page meet too, but they do not run the full height and width of
what they enclose, and a photo frame or a panel has only two of each.
"""

from __future__ import annotations

from tasks.model import BBox, Box, Ruling

TOUCH = 1.5  # points: rules this close meet
FULL = 0.9  # share of the grid's width (height) a row (column) rule must run


def _segments(rulings: list[Ruling], boxes: list[Box]) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, top, bottom) segments, collinear ones joined."""
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    for r in rulings:
        if r.horizontal:
            hs.append(((r.top + r.bottom) / 2, min(r.x0, r.x1), max(r.x0, r.x1)))
        else:
            vs.append(((r.x0 + r.x1) / 2, min(r.top, r.bottom), max(r.top, r.bottom)))
    for b in boxes:
        hs += [(b.top, b.x0, b.x1), (b.bottom, b.x0, b.x1)]
        vs += [(b.x0, b.top, b.bottom), (b.x1, b.top, b.bottom)]
    return _join(hs), _join(vs)


def _join(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    out: list[tuple[float, float, float]] = []
    for pos, a, b in sorted(segs):
        if out and abs(out[-1][0] - pos) <= TOUCH and a <= out[-1][2] + TOUCH:
            p, pa, pb = out[-1]
            out[-1] = (p, pa, max(pb, b))
        else:
            out.append((pos, a, b))
    return out


def find_tables(rulings: list[Ruling], boxes: list[Box]) -> list[BBox]:
    """Boxes (x0, top, x1, bottom) of ruled tables on a page."""
    hs, vs = _segments(rulings, boxes)
    if len(hs) < 3 or len(vs) < 3:
        return []
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, t, b) in enumerate(vs):
            if x0 - TOUCH <= x <= x1 + TOUCH and t - TOUCH <= y <= b + TOUCH:
                parent[find(len(hs) + j)] = find(i)
    comps: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(hs)):
        comps.setdefault(find(i), ([], []))[0].append(i)
    for j in range(len(vs)):
        comps.setdefault(find(len(hs) + j), ([], []))[1].append(j)
    tables: list[BBox] = []
    for h_ids, v_ids in comps.values():
        if len(h_ids) < 3 or len(v_ids) < 3:
            continue
        x0 = min(hs[i][1] for i in h_ids)
        x1 = max(hs[i][2] for i in h_ids)
        top = min(vs[j][1] for j in v_ids)
        bottom = max(vs[j][2] for j in v_ids)
        rows = [i for i in h_ids if hs[i][2] - hs[i][1] >= FULL * (x1 - x0)]
        cols = [j for j in v_ids if vs[j][2] - vs[j][1] >= FULL * (bottom - top)]
        if len(rows) >= 3 and len(cols) >= 3:
            tables.append((x0, top, x1, bottom))
    return tables
