"""What a page image shows besides its text: rules, pictures, heavy type.

A born-digital page hands the layout engine its drawn rules, its placed
images and each char's font (size, weight).  A scan has none of them; this
module finds them in the raster, so an OCR page reaches ``tasks.layout`` with
the same kinds of ``Page.rulings``, ``Page.boxes`` and ``Char.bold``.

Every measure is relative to the page's own: ink and paper levels from its
grey histogram, lengths and thicknesses from its body text line height (the
median OCR line height, ``body_px``).

* rules: dark runs at least ``RULE_EMS`` body lines long and at most
  ``RULE_THICK`` of a body line thick, found by a morphological opening with
  a one-pixel-wide line; the text is blanked out first;
* pictures: regions of non-paper tone (ink or any grey) at least
  ``PICTURE_LINES`` body lines tall and wide once the text lines and rules are
  taken out, filled for most of their box, and mostly grey tones (neither
  ink nor paper: not a patch of print the text detector missed);
* weight: the stroke width of a line's ink (twice its area over its edge
  length) against its height; a line whose ratio is well above the page's
  median line's is set bold.

Boxes are pixel ``(x0, top, x1, bottom)`` of the upright image.
"""

from __future__ import annotations

import numpy as np

PxBox = tuple[float, float, float, float]

RULE_EMS = 5.0  # a rule is at least this many body line heights long
RULE_THICK = 0.25  # and at most this share of a body line height thick
PICTURE_LINES = 3.0  # a picture is at least this many body line heights tall and wide
PICTURE_FILL = 0.5  # and at least this share of its box is non-paper tone
PICTURE_TONE = 0.5  # and at least this share of it is grey, neither ink nor paper
BOLD_RATIO = 1.3  # stroke width this many times regular type's of the same size: bold
BOLD_BIG = 1.6  # lines under this many times the body size are held to the body's stroke


def levels(gray: np.ndarray) -> tuple[float, float]:
    """(paper, ink) grey levels of the page: its light and dark ends."""
    step = max(1, int(np.sqrt(gray.size / 1_000_000)))  # a sample is enough for a histogram
    sample = gray[::step, ::step]
    return float(np.percentile(sample, 90)), float(np.percentile(sample, 0.5))


def ink_mask(gray: np.ndarray, paper: float, ink: float) -> np.ndarray:
    """Dark pixels (uint8 0/255): nearer the ink level than the paper's."""
    if paper - ink < 40:
        return np.zeros(gray.shape, dtype=np.uint8)
    return np.where(gray < (paper + ink) / 2, 255, 0).astype(np.uint8)


def _blank(mask: np.ndarray, boxes: list[PxBox], pad: float = 0.0) -> np.ndarray:
    out = mask.copy()
    h, w = mask.shape
    for x0, t, x1, b in boxes:
        out[max(0, int(t - pad)) : min(h, int(np.ceil(b + pad))), max(0, int(x0 - pad)) : min(w, int(np.ceil(x1 + pad)))] = 0
    return out


def find_rules(mask: np.ndarray, body_px: float, text_boxes: list[PxBox] = ()) -> list[PxBox]:
    """Long thin dark runs, horizontal and vertical, outside the text lines."""
    import cv2

    length = max(int(RULE_EMS * body_px), 8)
    thick = max(RULE_THICK * body_px, 3.0)
    # the det boxes are grown beyond the ink; shrink them a little so a rule under a line survives
    shrunk = [(x0, t + 0.15 * (b - t), x1, b - 0.15 * (b - t)) for x0, t, x1, b in text_boxes]
    m = _blank(mask, shrunk)
    out: list[PxBox] = []
    for horizontal in (True, False):
        kernel = np.ones((1, length) if horizontal else (length, 1), dtype=np.uint8)
        opened = cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)
        # a rule broken by a pixel of noise or a slight tilt is one rule
        bridge = np.ones((3, max(3, length // 8)) if horizontal else (max(3, length // 8), 3), dtype=np.uint8)
        opened = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, bridge)
        n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        for k in range(1, n):
            x, y, w, h, _ = stats[k]
            long_side, short_side = (w, h) if horizontal else (h, w)
            if long_side >= length and short_side <= thick:
                out.append((float(x), float(y), float(x + w), float(y + h)))
    return out


def find_pictures(gray: np.ndarray, paper: float, ink: float, body_px: float, text_boxes: list[PxBox] = (),
                  rules: list[PxBox] = ()) -> list[PxBox]:
    """Large regions of tone that are not text: photos, drawings, tints."""
    import cv2

    if paper - ink < 40:
        return []
    tone = np.where(gray < paper - 0.15 * (paper - ink), 255, 0).astype(np.uint8)
    tone = _blank(tone, list(text_boxes) + list(rules), pad=0.1 * body_px)
    # work on cells of a quarter body line: fast, and the text's leftovers vanish
    cell = max(1, int(body_px / 4))
    h, w = tone.shape
    hh, ww = h // cell, w // cell
    if hh == 0 or ww == 0:
        return []
    grid = tone[: hh * cell, : ww * cell].reshape(hh, cell, ww, cell).mean(axis=(1, 3))
    filled = np.where(grid > 0.5 * 255, 255, 0).astype(np.uint8)
    k = max(3, int(body_px / cell))  # close gaps of a body line (text lines blanked inside a picture)
    filled = cv2.morphologyEx(filled, cv2.MORPH_CLOSE, np.ones((k, k), dtype=np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(filled, connectivity=8)
    out: list[PxBox] = []
    least = PICTURE_LINES * body_px / cell
    for j in range(1, n):
        x, y, cw, ch, area = stats[j]
        if cw < least or ch < least:
            continue
        if area < PICTURE_FILL * cw * ch:
            continue
        # the cells give the region to a cell; its edges are where the tone fills half a row or column
        gx0, gy0 = max(0, (x - 1) * cell), max(0, (y - 1) * cell)
        gx1, gy1 = min(w, (x + cw + 1) * cell), min(h, (y + ch + 1) * cell)
        sub = tone[gy0:gy1, gx0:gx1] > 0
        rows = np.nonzero(sub.mean(axis=1) > 0.5 * PICTURE_FILL)[0]
        cols = np.nonzero(sub.mean(axis=0) > 0.5 * PICTURE_FILL)[0]
        if rows.size and cols.size:
            box = (float(gx0 + cols[0]), float(gy0 + rows[0]), float(gx0 + cols[-1] + 1), float(gy0 + rows[-1] + 1))
        else:
            box = (float(x * cell), float(y * cell), float((x + cw) * cell), float((y + ch) * cell))
        # a picture is mostly grey tones; print the detector missed (and text on a tint) is ink and paper
        inside = gray[int(box[1]) : int(box[3]), int(box[0]) : int(box[2])]
        mid = ((inside > ink + 0.25 * (paper - ink)) & (inside < paper - 0.15 * (paper - ink))).mean()
        if mid >= PICTURE_TONE:
            out.append(box)
    return out


def stroke_width(mask: np.ndarray, box: PxBox) -> float:
    """Mean stroke width of the ink in ``box`` (pixels): twice its area over its edge length."""
    import cv2

    h, w = mask.shape
    x0, t, x1, b = max(0, int(box[0])), max(0, int(box[1])), min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    sub = mask[t:b, x0:x1]
    if sub.size == 0:
        return 0.0
    area = int(np.count_nonzero(sub))
    if area == 0:
        return 0.0
    edge = area - int(np.count_nonzero(cv2.erode(sub, np.ones((3, 3), dtype=np.uint8))))
    return 2.0 * area / max(edge, 1)


def bold_lines(mask: np.ndarray, boxes: list[PxBox], sizes: list[float] | None = None,
               body: float | None = None) -> list[bool]:
    """Which lines are set in heavy type: stroke width well above what regular type of their size has.

    Regular type's stroke grows with its size: the page's median line gives
    the stroke width per size.  A size measure is a few tenths off on
    some lines (a Title Case line looks larger than it is), so a line under
    ``BOLD_BIG`` times the body size is held to the body's stroke width,
    and only larger lines to their own size's.
    """
    sw = [stroke_width(mask, bx) for bx in boxes]
    if not sw:
        return []
    sz = [max(sizes[k] if sizes else bx[3] - bx[1], 1.0) for k, bx in enumerate(boxes)]
    per_size = float(np.median([w / s for w, s in zip(sw, sz)]))
    ref = body or float(np.median(sz))
    out = []
    for w, s in zip(sw, sz):
        expected = per_size * (s if s >= BOLD_BIG * ref else ref)
        out.append(expected > 0 and w >= BOLD_RATIO * expected)
    return out


GUTTER_EMS = 0.6  # a gap in a line's ink at least this many ems wide may be a column gutter
GUTTER_LINES = 3.0  # ... when the paper is clear that far above or below the line too
WIDE_GAP_EMS = 2.0  # a gap this wide is a gutter whatever is around it (no text sets spaces so wide)


def _ink_cols(mask: np.ndarray, box: PxBox) -> np.ndarray:
    """Which pixel columns of ``box``'s middle band hold ink (the band keeps neighbours' ascenders out)."""
    h, w = mask.shape
    t, b = box[1], box[3]
    t, b = int(t + 0.2 * (b - t)), int(np.ceil(b - 0.2 * (b - t)))
    x0, x1 = max(0, int(box[0])), min(w, int(np.ceil(box[2])))
    return (mask[max(0, t) : min(h, b), x0:x1] > 0).any(axis=0)


def gutters(mask: np.ndarray, box: PxBox, em: float) -> list[tuple[float, float]]:
    """Column gutters inside one detected line: (x0, x1) pixel gaps where the line is two (or more).

    A gap in the line's ink at least ``GUTTER_EMS`` wide is a gutter when the
    paper is clear in its middle for ``GUTTER_LINES`` line heights above or
    below the line as well: a white stripe between columns, not the space
    after a punctuation mark or between two words.  A gap of ``WIDE_GAP_EMS``
    or more is a gutter on its own.
    """
    cols = _ink_cols(mask, box)
    if cols.size == 0 or not cols.any():
        return []
    x0 = max(0, int(box[0]))
    inked = np.nonzero(cols)[0]
    first, last = inked[0], inked[-1]
    out = []
    height = box[3] - box[1]
    h = mask.shape[0]
    k = first
    while k < last:
        if cols[k]:
            k += 1
            continue
        j = k
        while j < last and not cols[j]:
            j += 1
        if j - k >= GUTTER_EMS * em:
            trim = int(min(0.15 * em, (j - k) / 4))
            m0, m1 = x0 + k + trim, x0 + j - trim
            if j - k >= WIDE_GAP_EMS * em:
                out.append((float(x0 + k), float(x0 + j)))
                k = j
                continue
            reach = int(GUTTER_LINES * height)
            side = int(3 * em)  # text within three ems of the gap on each side: ragged columns too
            for r0, r1 in ((int(box[1]) - reach, int(box[3])), (int(box[1]), int(box[3]) + reach)):
                r0, r1 = max(0, r0), min(h, r1)
                if m1 <= m0 or r1 <= r0 or m0 - side < 0 or m1 + side > mask.shape[1]:
                    continue
                # clear paper down the middle (a stray comma or hyphen tip allowed) ...
                clear = mask[r0:r1, m0:m1].any(axis=1).mean() <= 0.1
                # ... with text on both sides of it: columns, not the white space after a story
                left = mask[r0:r1, m0 - side : m0].any(axis=1).mean() >= 0.2
                right = mask[r0:r1, m1 : m1 + side].any(axis=1).mean() >= 0.2
                if clear and left and right:
                    out.append((float(x0 + k), float(x0 + j)))
                    break
        k = j
    return out


def x_band(mask: np.ndarray, box: PxBox) -> float:
    """Height (pixels) of the densest band of a line's ink: the x-height of Latin, most of the em of CJK.

    Unlike the detected box, it grows in proportion to the type size.
    """
    h, w = mask.shape
    x0, x1 = max(0, int(box[0])), min(w, int(np.ceil(box[2])))
    t, b = max(0, int(box[1])), min(h, int(np.ceil(box[3])))
    sub = mask[t:b, x0:x1]
    if sub.size == 0:
        return 0.0
    prof = (sub > 0).mean(axis=1)
    if prof.max() == 0:
        return 0.0
    band = np.nonzero(prof >= 0.5 * prof.max())[0]
    return float(band[-1] - band[0] + 1)


def text_rows(mask: np.ndarray, box: PxBox, least: float) -> list[tuple[float, float]]:
    """The rows of print inside ``box``: (top, bottom) runs of inked pixel rows split by clear rows.

    Runs under ``least`` pixels tall (a stray dot, a rule) are left out.
    """
    h, w = mask.shape
    x0, x1 = max(0, int(box[0])), min(w, int(np.ceil(box[2])))
    t, b = max(0, int(box[1])), min(h, int(np.ceil(box[3])))
    sub = mask[t:b, x0:x1]
    if sub.size == 0:
        return []
    inked = (sub > 0).mean(axis=1) > 0.002
    out, k = [], 0
    while k < len(inked):
        if not inked[k]:
            k += 1
            continue
        j = k
        while j < len(inked) and inked[j]:
            j += 1
        if j - k >= least:
            out.append((float(t + k), float(t + j)))
        k = j
    return out
