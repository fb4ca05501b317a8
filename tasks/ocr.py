"""OCR for scanned pages: a page image in, the same ``Page`` of chars out.

The engine is RapidOCR (``rapidocr_onnxruntime``): PaddleOCR's PP-OCRv4
detection and recognition models (Chinese + English in one dictionary) and
the mobile v2 direction classifier, run by onnxruntime on the CPU.  The three
``.onnx`` files ship inside the wheel (``rapidocr_onnxruntime/models``) and
are loaded from there; the package makes no network call (its only URL is in
an error message of the unused visualiser), and nothing here downloads
anything at run time.

What happens to one page:

1. render it with PDFium at ``dpi`` (default 300);
2. detect text line quadrilaterals, crop each upright, classify its
   direction (0/180), recognise it;
3. orientation: a page whose lines are mostly taller than wide is read again
   turned a quarter; the reading with more confident text wins.  When most
   lines were classified upside down the page is upside down, and the boxes
   are turned a half;
4. skew: the median angle of the long lines is measured and every box is
   turned back by it about the page centre (recognition already reads each
   skewed crop straight), so lines come out level;
5. the raster is read for what a text layer's page would tell the layout
   engine (``page_marks``, ``tasks/raster.py``): a detected line that runs
   across a column gutter is cut there and a box holding two rows of print
   is cut into rows (the pieces recognised again), each line's box is
   trimmed to its ink, its size measured (CJK: width over advances; Latin:
   the x-height band; lines near the body size are the body size) and its
   weight from stroke width; rules become ``Page.rulings`` and pictures
   image ``Page.boxes``;
6. each line's text is normalised as a CJK text layer has it (full-width
   punctuation next to CJK, dash rules read as 一一一) and its box split into
   one box per char, by advance: full-width (CJK, full-width punctuation)
   one em, Latin, digits and half-width punctuation about half, a space a
   third.

With ``$BROADSHEET_OCR_CACHE`` set, each page image's reading (and each
re-recognised piece) is kept on disk, keyed by the image bytes, the engine
versions and the detection settings.

Coordinates are PDF points, origin top-left, in the upright reading frame
(a sideways scan comes out as the page a reader holds, width and height
swapped).  ``ocr_page`` returns the ``Page`` plus an ``OcrInfo`` with the
engine, its version and the page's mean line confidence.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import metadata

import numpy as np

from tasks.model import Box, Char, OcrInfo, Page, Ruling

ENGINE = "rapidocr"
DEFAULT_DPI = 300
MODES = ("auto", "off", "force")
MIN_LINE_SCORE = 0.5  # RapidOCR's own text_score: lines below it are noise

_LOCK = threading.Lock()
_ENGINE = None


def engine_version() -> str:
    """``rapidocr_onnxruntime <v> / onnxruntime <v>``: part of the parse cache key."""
    try:
        rv = metadata.version("rapidocr_onnxruntime")
    except metadata.PackageNotFoundError:
        rv = "missing"
    try:
        ov = metadata.version("onnxruntime")
    except metadata.PackageNotFoundError:
        ov = "missing"
    return f"rapidocr_onnxruntime {rv} / onnxruntime {ov}"


def _engine():
    """One RapidOCR per process (its sessions hold the models, ~60 MB)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            # the page image is sized here, not by the engine's 2000 px cap
            _ENGINE = RapidOCR(max_side_len=100_000, print_verbose=False)
        return _ENGINE


# --------------------------------------------------------------------------
# one image -> lines
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    quad: np.ndarray  # 4x2 pixel corners, clockwise from top-left
    text: str
    score: float


@dataclass(slots=True)
class _Reading:
    lines: list[_Line]
    flipped: int  # lines the direction classifier turned 180
    tall: int  # detected boxes taller than wide
    boxes: int = 0

    @property
    def weight(self) -> float:
        """Confident text read: the measure two orientations are compared by."""
        return sum(len(ln.text) * ln.score for ln in self.lines)


# detection runs on the page scaled to at most this many pixels on its long side
# (about 145 dpi on an A3 page: body type is still ~18 px tall); recognition crops the full image
DET_MAX_SIDE = 2400


# --------------------------------------------------------------------------
# the OCR cache: one reading per page image, on disk, when asked for
# --------------------------------------------------------------------------

CACHE_ENV = "BROADSHEET_OCR_CACHE"  # a folder: readings of page images are kept there
CACHE_FORMAT = 1  # bump when what ``_read_raw`` returns changes


def _cache_settings() -> str:
    """Everything besides the image that decides a raw reading: part of the cache key."""
    return f"{CACHE_FORMAT}|{engine_version()}|det_max_side={DET_MAX_SIDE}"


def _cache_file(img: np.ndarray, kind: str = "page"):
    """Where the reading of ``img`` is kept (``$BROADSHEET_OCR_CACHE``), or None when no cache is set."""
    import hashlib
    import os
    from pathlib import Path

    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{kind}|{_cache_settings()}".encode())
    h.update(repr((img.shape, str(img.dtype))).encode())
    h.update(np.ascontiguousarray(img).data)
    return Path(folder) / (f"{h.hexdigest()}.json" if kind == "page" else f"{kind}-{h.hexdigest()}.json")


def _cache_load(path) -> tuple[list[tuple[np.ndarray, str, float]], int, int, int] | None:
    import json

    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ([(np.asarray(q, dtype=np.float64), t, float(sc)) for q, t, sc in d["lines"]],
            d["flipped"], d["tall"], d["boxes"])


def _cache_store(path, raw) -> None:
    import json
    import os

    lines, flipped, tall, boxes = raw
    d = {"settings": _cache_settings(), "flipped": flipped, "tall": tall, "boxes": boxes,
         "lines": [[q.tolist(), t, sc] for q, t, sc in lines]}
    _cache_write(path, json.dumps(d, ensure_ascii=False))


def _cache_write(path, text: str) -> None:
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # whole or not at all: parallel readers never see half a file


def _read_raw(img: np.ndarray) -> tuple[list[tuple[np.ndarray, str, float]], int, int, int]:
    """Every recognised line of ``img`` (quad, text, score), unfiltered, with the direction counts."""
    import cv2

    eng = _engine()
    f = min(1.0, DET_MAX_SIDE / max(img.shape[:2]))
    small = img if f == 1.0 else cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    boxes, _ = eng.text_det(small)
    if boxes is None or len(boxes) == 0:
        return [], 0, 0, 0
    if f != 1.0:
        boxes = (np.asarray(boxes, dtype=np.float32) / f).astype(np.float32)
    boxes = eng.sorted_boxes(boxes)
    tall = sum(
        1 for b in boxes if np.linalg.norm(b[0] - b[3]) > 1.5 * np.linalg.norm(b[0] - b[1])
    )
    crops = eng.get_crop_img_list(img, boxes)
    crops, cls_res, _ = eng.text_cls(crops)
    flipped = sum(1 for label, score in cls_res if "180" in label and score > eng.text_cls.cls_thresh)
    rec, _ = eng.text_rec(crops, False)
    lines = [(np.asarray(box, dtype=np.float64), text, float(score)) for box, (text, score) in zip(boxes, rec)]
    return lines, flipped, tall, len(boxes)


def _read(img: np.ndarray) -> _Reading:
    path = _cache_file(img)
    raw = _cache_load(path) if path is not None and path.exists() else None
    if raw is None:
        raw = _read_raw(img)
        if path is not None:
            _cache_store(path, raw)
    lines_raw, flipped, tall, n = raw
    lines = []
    for quad, text, score in lines_raw:
        text = text.strip()
        if text and score >= MIN_LINE_SCORE:
            lines.append(_Line(quad.copy(), text, score))
    return _Reading(lines, flipped, tall, n)


def read_image(img: np.ndarray) -> tuple[list[_Line], int, tuple[int, int]]:
    """Lines of an RGB image, upright: (lines, quarter turns clockwise applied, (width, height) read).

    One reading for an upright page, two or three for a turned one.
    """
    lines, turns, _, _ = read_upright(img)
    h, w = _turned_shape(img.shape, turns)
    return lines, turns, (w, h)


def _turned_shape(shape, turns: int) -> tuple[int, int]:
    return (shape[1], shape[0]) if turns % 2 else (shape[0], shape[1])


def read_upright(img: np.ndarray) -> tuple[list[_Line], int, np.ndarray, float]:
    """(lines, quarter turns clockwise applied, the image as read, skew in degrees taken out of the lines)."""
    best = _read(img)
    turns = 0
    if best.boxes and best.tall * 2 > best.boxes:
        # mostly tall boxes: a sideways scan (the engine reads tall crops turned, so the text
        # may score well either way; the turned page gives level lines) or vertically set CJK
        k = 1
        turned_img = np.ascontiguousarray(np.rot90(img, k=-1))  # a quarter clockwise
        turned = _read(turned_img)
        if turned.lines and turned.flipped * 2 > len(turned.lines):  # it was the other quarter
            k = 3
            turned_img = np.ascontiguousarray(np.rot90(img, k=1))
            turned = _read(turned_img)
        if turned.weight >= 0.8 * best.weight:
            best, turns, img = turned, k, turned_img
    elif best.lines and best.flipped * 2 > len(best.lines):
        # the classifier turned most crops: the page itself is upside down; read it turned a half
        half_img = np.ascontiguousarray(np.rot90(img, k=2))
        half = _read(half_img)
        if half.weight >= best.weight:
            best, turns, img = half, 2, half_img
    h, w = img.shape[:2]
    skew = _deskew(best.lines, w, h)
    return best.lines, turns, img, skew


def _deskew(lines: list[_Line], w: int, h: int) -> float:
    """Turn every box back by the page's median line angle (degrees returned)."""
    angles = []
    for ln in lines:
        dx, dy = ln.quad[1] - ln.quad[0]
        height = np.linalg.norm(ln.quad[3] - ln.quad[0])
        if dx > 3 * max(height, 1.0):  # long horizontal lines say the skew best
            angles.append(math.atan2(dy, dx))
    if not angles:
        return 0.0
    a = float(np.median(angles))
    if abs(a) < math.radians(0.2):
        return 0.0
    c, s = math.cos(-a), math.sin(-a)
    cx, cy = w / 2, h / 2
    for ln in lines:
        x, y = ln.quad[:, 0] - cx, ln.quad[:, 1] - cy
        ln.quad = np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=1)
    return math.degrees(a)


# --------------------------------------------------------------------------
# lines -> chars
# --------------------------------------------------------------------------


def advance(ch: str) -> float:
    """Relative advance of a char in em: full-width 1, Latin about half, space a third."""
    if ch.isspace():
        return 0.33
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "il.,:;'!|":
        return 0.3
    if ch in "mwMW":
        return 0.8
    return 0.55


def line_chars(text: str, box: tuple[float, float, float, float], bold: bool = False,
               size: float | None = None) -> list[Char]:
    """One ``Char`` per char of ``text``, the box split by advance (points).

    Without ``size`` the type size is taken a little under the box height
    (det boxes are grown beyond the ink); the chars are ``size`` tall about
    the box's middle, as a text layer's are about their baseline.
    """
    x0, top, x1, bottom = box
    adv = [advance(ch) for ch in text]
    total = sum(adv) or 1.0
    if size is None:
        size = (bottom - top) / BOX_PER_SIZE
    mid = (top + bottom) / 2
    top, bottom = mid - size / 2, mid + size / 2
    out: list[Char] = []
    x = x0
    for ch, a in zip(text, adv):
        nx = x + (x1 - x0) * a / total
        out.append(Char(ch, x, top, nx, bottom, size, "OCR", bold, True))
        x = nx
    return out


BOX_PER_SIZE = 1.25  # a det box is about this many times the type size tall (body text, 300 dpi)
SAME_SIZE = 0.15  # line heights within this share of the body line's are body size
BAND_DOUBT = 1.3  # a band this much over the body size overrules a body-sized box on a bold line
BAND_DOUBT_LIGHT = 1.8  # and this much on a light one (capitals and figures raise the band)


def line_sizes(heights: list[float], weights: list[float] | None = None) -> tuple[list[float], float]:
    """Type sizes of lines from a measured height per line (pixels), and the body size.

    Any measure of a line varies by some percent with what the line holds,
    a text layer's size not at all: lines within ``SAME_SIZE`` of the body
    size (the size most text, weighted by ``weights``, is in) are all given
    the body size, so body text stacks as one size; other lines keep their own.
    """
    if not heights:
        return [], 0.0
    w = weights or [1.0] * len(heights)
    order = sorted(range(len(heights)), key=lambda i: heights[i])
    half, acc, body = sum(w) / 2, 0.0, heights[order[-1]]
    for i in order:  # weighted median: the size most text is in
        acc += w[i]
        if acc >= half:
            body = heights[i]
            break
    near = [heights[i] for i in order if abs(heights[i] - body) <= SAME_SIZE * body]
    body = float(np.median(near)) if near else body
    return [body if abs(h - body) <= SAME_SIZE * body else h for h in heights], body


# the densest band of a line's ink (raster.x_band) as a share of its type size
BAND_CJK = 0.83  # CJK: most of the em
BAND_LOWER = 0.46  # Latin with lowercase: the x-height
BAND_CAPS = 0.68  # capitals and figures only: the cap height


def band_share(text: str) -> float:
    """What share of the type size ``raster.x_band`` measures on a line of ``text``."""
    chars = [ch for ch in text if not ch.isspace()]
    wide = sum(1 for ch in chars if unicodedata.east_asian_width(ch) in ("W", "F"))
    if chars and wide * 2 >= len(chars):
        return BAND_CJK
    if any(ch.islower() for ch in chars):
        return BAND_LOWER
    return BAND_CAPS


def measured_sizes(lines: list[_Line], mask: np.ndarray) -> list[float]:
    """Each line's type size in pixels: its ink band over the band's share of the size.

    The detected box is no measure of size: it is grown by more for small type
    than for large.  The band grows with the type.  A line without a band
    (no ink found) falls back on its box height.
    """
    from tasks import raster

    out = []
    for ln in lines:
        box = _pxbox(ln)
        text = ln.text.replace(" ", "")
        if band_share(text) == BAND_CJK and len(text) >= 4:
            # CJK is set on a grid of ems: the width over the advances is the size, whatever the
            # neighbouring rows' ink does to the band in a box grown over them
            out.append((box[2] - box[0]) / sum(advance(ch) for ch in text))
            continue
        band = raster.x_band(mask, box)
        out.append(band / band_share(ln.text) if band > 0 else (box[3] - box[1]) / BOX_PER_SIZE)
    return out


# half-width punctuation the recogniser gives for the full-width forms CJK text is set in
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_DASHES = re.compile(r"[一－—―-]{2,}")


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def normalize_text(text: str) -> str:
    """A recognised line as a CJK text layer has it.

    * half-width punctuation next to CJK (``，`` read as ``,``) is full width;
      between Latin letters or figures it stays as read;
    * no space between two CJK chars (the recogniser puts one where a
      full-width punctuation mark leaves white);
    * a dash rule read as ``一一一`` or ``－一－`` (three or more, or any mix with a
      dash) is the dash it is: ``———``; ``一一`` alone is a word (一一对应) and stays.
    """
    if not any(_cjk(ch) for ch in text):
        return text
    chars = list(text)
    out: list[str] = []
    for i, ch in enumerate(chars):
        prev = next((c for c in reversed(chars[:i]) if c != " "), "")
        nxt = next((c for c in chars[i + 1:] if c != " "), "")
        if ch in _FULL and ((prev and _cjk(prev)) or (nxt and _cjk(nxt))) and not (
                prev[:1].isascii() and prev[:1].isalnum() and nxt[:1].isascii() and nxt[:1].isalnum()):
            out.append(_FULL[ch])
        elif ch == " " and prev and nxt and _cjk(prev) and _cjk(nxt):
            continue
        else:
            out.append(ch)
    text = "".join(out)

    def dash(m: re.Match) -> str:
        run = m.group(0)
        if len(run) >= 3 or any(c != "一" for c in run):
            return "—" * len(run)
        return run

    return _DASHES.sub(dash, text)


def lines_to_chars(lines: list[_Line], scale: float, sizes: list[float] | None = None,
                   bold: list[bool] | None = None) -> list[Char]:
    """Chars of the upright lines, pixel boxes scaled to points (``scale`` px per pt)."""
    chars: list[Char] = []
    for k, ln in enumerate(lines):
        xs, ys = ln.quad[:, 0] / scale, ln.quad[:, 1] / scale
        text = normalize_text(" ".join(ln.text.split()))
        chars.extend(line_chars(text, (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())),
                                bold[k] if bold else False, sizes[k] / scale if sizes else None))
    return chars


def deskew_image(img: np.ndarray, skew: float) -> np.ndarray:
    """``img`` turned back by ``skew`` degrees about its centre, as ``_deskew`` turns the boxes."""
    if not skew:
        return img
    import cv2

    a = math.radians(skew)
    h, w = img.shape[:2]
    cx, cy = w / 2, h / 2
    c, s = math.cos(a), math.sin(a)
    m = np.array([[c, s, cx - c * cx - s * cy], [-s, c, cy + s * cx - c * cy]], dtype=np.float64)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def split_line(ln: _Line, gaps: list[tuple[float, float]], ink: tuple[float, float], img: np.ndarray) -> list[_Line]:
    """``ln`` cut at column gutters ``gaps`` (pixels; ``ink`` is where its ink starts and ends).

    The detector sometimes reads a row across a narrow gutter as one line.
    Each piece keeps the box of its own ink and is recognised again from
    its crop of ``img`` (the deskewed page), so the text is cut where the
    print is, not where an estimate of the advances puts it.
    """
    x0, x1 = float(ln.quad[:, 0].min()), float(ln.quad[:, 0].max())
    t, b = float(ln.quad[:, 1].min()), float(ln.quad[:, 1].max())
    segs, start = [], ink[0]
    for g0, g1 in gaps:
        segs.append((start, g0))
        start = g1
    segs.append((start, ink[1]))
    pad = min(ink[0] - x0, x1 - ink[1], 0.5 * (b - t))
    pad = max(pad, 0.0)
    quads, crops = [], []
    h, w = img.shape[:2]
    for sx0, sx1 in segs:
        qx0, qx1 = max(0.0, sx0 - pad), min(float(w), sx1 + pad)  # the recogniser wants a margin
        quads.append(np.array([[sx0, t], [sx1, t], [sx1, b], [sx0, b]], dtype=np.float64))
        crops.append(np.ascontiguousarray(img[max(0, int(t)) : min(h, int(math.ceil(b))), int(qx0) : int(math.ceil(qx1))]))
    if any(c.size == 0 for c in crops):
        return [ln]
    out = []
    for quad, (text, score) in zip(quads, _recognise(crops)):
        text = text.strip()
        if text and score >= MIN_LINE_SCORE:
            out.append(_Line(quad, text, float(score)))
    return out or [ln]


def _recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """The recogniser's (text, score) of upright line crops, through the OCR cache when one is set."""
    import json

    path = _cache_file(np.concatenate([c.reshape(-1) for c in crops]), "rec")
    if path is not None and path.exists():
        try:
            return [(t, float(sc)) for t, sc in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError):
            pass
    rec, _ = _engine().text_rec(crops, False)
    got = [(str(t), float(sc)) for t, sc in rec]
    if path is not None:
        _cache_write(path, json.dumps(got, ensure_ascii=False))
    return got


STACKED = 1.4  # a detected box this many body line boxes tall may hold several rows of print


def split_rows(ln: _Line, mask: np.ndarray, em: float, img: np.ndarray) -> list[_Line]:
    """A detected box that holds two or more rows of print (clear paper between them) read row by row."""
    from tasks import raster

    box = _pxbox(ln)
    rows = raster.text_rows(mask, box, 0.6 * em)
    if len(rows) < 2:
        return [ln]
    pad = 0.25 * em
    h, w = img.shape[:2]
    x0, x1 = box[0], box[2]
    crops = [np.ascontiguousarray(img[max(0, int(t - pad)) : min(h, int(math.ceil(b + pad))),
                                      max(0, int(x0)) : min(w, int(math.ceil(x1)))]) for t, b in rows]
    out = []
    for (t, b), (text, score) in zip(rows, _recognise(crops)):
        text = text.strip()
        if text and score >= MIN_LINE_SCORE:
            t, b = t - pad, b + pad
            out.append(_Line(np.array([[x0, t], [x1, t], [x1, b], [x0, b]], dtype=np.float64), text, float(score)))
    return out or [ln]


def split_at_gutters(lines: list[_Line], mask: np.ndarray, em: float, img: np.ndarray) -> list[_Line]:
    """Every line cut at the column gutters its row runs across (``raster.gutters``), and a box
    holding several rows of print cut into rows (``split_rows``)."""
    from tasks import raster

    body_box = em * BOX_PER_SIZE
    rows: list[_Line] = []
    for ln in lines:
        box = _pxbox(ln)
        rows.extend(split_rows(ln, mask, em, img) if box[3] - box[1] >= STACKED * body_box else [ln])
    out = []
    for ln in rows:
        box = _pxbox(ln)
        cols = np.nonzero(raster._ink_cols(mask, box))[0]
        if cols.size == 0:
            out.append(ln)
            continue
        x0 = max(0, int(box[0]))
        ink = (float(x0 + cols[0]), float(x0 + cols[-1] + 1))
        gaps = raster.gutters(mask, box, max(em, (box[3] - box[1]) / BOX_PER_SIZE))
        if gaps:
            out.extend(split_line(ln, gaps, ink, img))
            continue
        # the det box is grown past the ink at both ends: the chars span the ink, as a text layer's do
        t, b = box[1], box[3]
        ln.quad = np.array([[ink[0], t], [ink[1], t], [ink[1], b], [ink[0], b]], dtype=np.float64)
        out.append(ln)
    return out


def _pxbox(ln: _Line) -> tuple[float, float, float, float]:
    return (float(ln.quad[:, 0].min()), float(ln.quad[:, 1].min()), float(ln.quad[:, 0].max()),
            float(ln.quad[:, 1].max()))


@dataclass(slots=True)
class Marks:
    """What the raster shows besides the text (pixels of the upright image): see tasks/raster.py."""

    sizes: list[float]  # per line, pixels
    bold: list[bool]  # per line
    rules: list[tuple[float, float, float, float]]
    pictures: list[tuple[float, float, float, float]]
    body_px: float


def page_marks(img: np.ndarray, lines: list[_Line], skew: float) -> tuple[list[_Line], Marks]:
    """Lines cut at gutters, and their sizes and weights, rules and pictures, of an upright page image."""
    from tasks import raster

    if not lines:
        return lines, Marks([], [], [], [], 0.0)
    gray = img if img.ndim == 2 else img.mean(axis=2).astype(np.uint8)
    gray = deskew_image(gray, skew)
    paper, ink = raster.levels(gray)
    mask = raster.ink_mask(gray, paper, ink)
    weights = [len(ln.text) for ln in lines]
    _, body = line_sizes(measured_sizes(lines, mask), weights)
    rgb = np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    lines = split_at_gutters(lines, mask, body, rgb)
    boxes = [_pxbox(ln) for ln in lines]
    sizes, body = line_sizes(measured_sizes(lines, mask), [len(ln.text) for ln in lines])
    # a large line's stroke is held to the smaller of its two sizes: the band of a Title Case
    # line is its cap height, which would make any weight look light
    bold = raster.bold_lines(mask, boxes, [min(sz, (b[3] - b[1]) / BOX_PER_SIZE) if sz >= raster.BOLD_BIG * body
                                           else sz for sz, b in zip(sizes, boxes)], body)
    # the box height says "body size" too: a line is body when either measure says so (the band
    # is thrown by capitals and figures, the box by a neighbour's ink); but a headline's box grows
    # by less than its type, so a band well over the body size on a bold line overrules the box
    by_box, body_h = line_sizes([b[3] - b[1] for b in boxes], [len(ln.text) for ln in lines])
    sizes = [body if bx == body_h and sz < (BAND_DOUBT if heavy else BAND_DOUBT_LIGHT) * body else sz
             for sz, bx, heavy in zip(sizes, by_box, bold)]
    pictures = raster.find_pictures(gray, paper, ink, body_h, boxes)
    rules = [r for r in raster.find_rules(mask, body_h, boxes)
             if not any(_inside(r, p, 0.5 * body_h) for p in pictures)]
    return lines, Marks(sizes, bold, rules, pictures, body_h)


def _inside(a, b, slack: float = 2.0) -> bool:
    return a[0] >= b[0] - slack and a[1] >= b[1] - slack and a[2] <= b[2] + slack and a[3] <= b[3] + slack


# --------------------------------------------------------------------------
# a PDF page
# --------------------------------------------------------------------------


def render(pdf_page, dpi: int = DEFAULT_DPI) -> np.ndarray:
    """The page as an RGB array at ``dpi`` (PDFium, /Rotate applied)."""
    bitmap = pdf_page.render(scale=dpi / 72.0, rev_byteorder=True)
    try:
        arr = bitmap.to_numpy()
    finally:
        bitmap.close()
    return np.ascontiguousarray(arr[:, :, :3])


def ocr_image(img: np.ndarray, scale: float, source_file: str = "", page_index: int = 0, sha256: str = "",
              mode: str = "auto") -> tuple[Page, OcrInfo]:
    """A page image (``scale`` pixels per point) read into a ``Page``.

    Besides the chars, the page gets what the raster shows of its layout
    (``page_marks``): rules as ``rulings``, pictures as image ``boxes``, and
    each line's size and weight on its chars.
    """
    lines, turns, upright, skew = read_upright(img)
    h, w = upright.shape[:2]
    lines, marks = page_marks(upright, lines, skew)
    chars = lines_to_chars(lines, scale, marks.sizes, marks.bold)
    conf = float(np.mean([ln.score for ln in lines])) if lines else 0.0
    info = OcrInfo(ENGINE, engine_version(), round(conf, 4), mode, turns * 90,
                   [(tuple(float(v) for v in _bbox(ln, scale)), round(ln.score, 4)) for ln in lines])
    rulings = [Ruling(x0 / scale, t / scale, x1 / scale, b / scale) for x0, t, x1, b in marks.rules]
    boxes = [Box(x0 / scale, t / scale, x1 / scale, b / scale, "image") for x0, t, x1, b in marks.pictures]
    page = Page(source_file, page_index, w / scale, h / scale, chars, rulings, boxes, None, sha256)
    page.ocr = info
    return page, info


def _bbox(ln: _Line, scale: float) -> tuple[float, float, float, float]:
    xs, ys = ln.quad[:, 0] / scale, ln.quad[:, 1] / scale
    return (xs.min(), ys.min(), xs.max(), ys.max())


def ocr_pdf_page(doc, index: int, source_file: str, sha256: str = "", mode: str = "auto",
                 dpi: int = DEFAULT_DPI) -> Page:
    """Page ``index`` of an open ``pypdfium2.PdfDocument``, rendered and read."""
    page = doc[index]
    try:
        img = render(page, dpi)
    finally:
        page.close()
    out, _ = ocr_image(img, dpi / 72.0, source_file, index, sha256, mode)
    return out


# --------------------------------------------------------------------------
# which pages of an extracted file to read (the hook in tasks/extract.py)
# --------------------------------------------------------------------------

# page problems OCR can answer: no text layer, or one without usable Unicode
OCR_STATUSES = frozenset({"needs_ocr", "garbled_text"})
PROBE_DPI = 36  # enough to see where the ink is


def _ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels, relative to the page's own paper and ink levels."""
    paper = float(np.percentile(gray, 90))
    ink = float(np.percentile(gray, 1))
    if paper - ink < 40:  # flat page: no ink worth the name
        return np.zeros(gray.shape, dtype=bool)
    return gray < (paper + ink) / 2


def text_layer_sparse(pdf_page, page: Page) -> str:
    """Why ``page``'s text layer is much sparser than its ink, or "".

    Only pages mostly covered by images (a scan, perhaps with a partial OCR
    layer) are measured: the page is rendered small and the ink outside
    every char box (grown by half a line) is compared with the ink inside.
    """
    if not _image_covered(page):
        return ""
    img = render(pdf_page, PROBE_DPI)
    gray = img.mean(axis=2)
    ink = _ink_mask(gray)
    total = int(ink.sum())
    if total == 0:
        return ""
    s = PROBE_DPI / 72.0
    covered = np.zeros(ink.shape, dtype=bool)
    for c in page.chars:
        pad = (c.bottom - c.top) / 2
        x0, x1 = int(max(0, (c.x0 - pad) * s)), int(math.ceil((c.x1 + pad) * s))
        t0, t1 = int(max(0, (c.top - pad) * s)), int(math.ceil((c.bottom + pad) * s))
        covered[t0:t1, x0:x1] = True
    inside = int((ink & covered).sum())
    if inside * 3 < total:  # under a third of the ink has text over it
        return (f"text layer covers {inside / total:.0%} of the ink on an image-covered page "
                f"({len(page.chars)} chars)")
    return ""


_WORD = __import__("re").compile(r"[A-Za-z]+")


def word_rate(text: str) -> float | None:
    """Share of the Latin letters of ``text`` that are in dictionary words, or None with too few letters.

    An OCR layer that splits words (``S a n k O f``) or garbles them
    (``SpeciaU ^``) scores low; the measure is the text's own, not a threshold.
    """
    from tasks.clean import english_words

    words = english_words()
    total = good = 0
    for w in _WORD.findall(text):
        total += len(w)
        if (len(w) > 1 or w in "aAI") and w.lower() in words:
            good += len(w)
    return good / total if total >= 40 else None  # too few letters to judge by


def _image_covered(page: Page) -> bool:
    area = page.width * page.height
    image_area = sum((b.x1 - b.x0) * (b.bottom - b.top) for b in page.boxes if b.kind == "image")
    return area > 0 and image_area >= 0.5 * area


def ocr_result(path: str, sha: str, result, mode: str, dpi: int = DEFAULT_DPI):
    """``result`` (an ``ExtractResult``) with the pages ``mode`` asks for read by OCR.

    auto: pages quarantined as needs_ocr or garbled_text; image-covered
    pages whose text layer is much sparser than their ink (kept only when
    OCR reads more text than the layer had); image-covered pages with a
    Latin text layer of their own (an old OCR layer): read again, and the
    reading with more of its letters in dictionary words is kept.
    force: every page.  A page OCR
    finds no text on keeps its problem, with that said.
    """
    import pypdfium2 as pdfium

    if mode not in MODES:
        raise ValueError(f"unknown OCR mode {mode!r}; use one of {MODES}")
    if mode == "off":
        return result
    todo = [q for q in result.problems if q.status in OCR_STATUSES and q.page_index is not None]
    if mode == "auto" and not todo and not any(
        b.kind == "image" for p in result.pages for b in p.boxes
    ):
        return result  # nothing to read, nothing to measure: no document opened
    doc = pdfium.PdfDocument(path)
    try:
        pages, problems = [], []
        for q in result.problems:
            if q not in todo:
                problems.append(q)
                continue
            got = ocr_pdf_page(doc, q.page_index, path, sha, mode, dpi)
            if got.chars:
                got.ocr.reason = f"{q.status}: {q.reason}"
                pages.append(got)
            else:
                problems.append(type(q)(q.path, q.sha256, q.status, q.reason + "; OCR found no text on it",
                                        q.page_index))
        for p in result.pages:
            if p.text_lines is not None:  # a plain-text page
                pages.append(p)
                continue
            if mode == "force":
                why = "ocr=force"
            else:
                pdf_page = doc[p.page_index]
                try:
                    why = text_layer_sparse(pdf_page, p)
                finally:
                    pdf_page.close()
            layer_rate = None
            if not why and _image_covered(p):
                # a scan with its own OCR layer: read it too when the layer is Latin text, keep the better
                layer_rate = word_rate("".join(c.text for c in p.chars))
            if not why and layer_rate is None:
                pages.append(p)
                continue
            got = ocr_pdf_page(doc, p.page_index, path, sha, mode, dpi)
            if layer_rate is not None:
                ocr_rate = word_rate("".join(c.text for c in got.chars)) or 0.0
                if ocr_rate > layer_rate:
                    got.ocr.reason = (f"the page's own OCR layer has {layer_rate:.0%} of its letters in dictionary "
                                      f"words, this reading {ocr_rate:.0%}")
                    pages.append(got)
                else:
                    pages.append(p)
                continue
            layer = sum(1 for c in p.chars if not c.text.isspace())
            read = sum(1 for c in got.chars if not c.text.isspace())
            if mode == "force" or read > 2 * layer:
                got.ocr.reason = why
                pages.append(got)
            else:
                pages.append(p)
    finally:
        doc.close()
    result.pages = sorted(pages, key=lambda p: p.page_index)
    result.problems = problems
    return result
