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
5. each line's box is split into one box per char, by advance: full-width
   (CJK, full-width punctuation) one em, Latin, digits and half-width
   punctuation about half, a space a third; the size is the line's height.

Coordinates are PDF points, origin top-left, in the upright reading frame
(a sideways scan comes out as the page a reader holds, width and height
swapped).  ``ocr_page`` returns the ``Page`` plus an ``OcrInfo`` with the
engine, its version and the page's mean line confidence.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from dataclasses import dataclass
from importlib import metadata

import numpy as np

from tasks.model import Char, OcrInfo, Page

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
    _deskew(best.lines, w, h)
    return best.lines, turns, (w, h)


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


def line_chars(text: str, box: tuple[float, float, float, float], bold: bool = False) -> list[Char]:
    """One ``Char`` per char of ``text``, the box split by advance (points)."""
    x0, top, x1, bottom = box
    adv = [advance(ch) for ch in text]
    total = sum(adv) or 1.0
    height = bottom - top
    # det boxes are grown (unclip) beyond the ink: the type size is a little under the box height
    size = height / 1.25
    out: list[Char] = []
    x = x0
    for ch, a in zip(text, adv):
        nx = x + (x1 - x0) * a / total
        out.append(Char(ch, x, top, nx, bottom, size, "OCR", bold, True))
        x = nx
    return out


def lines_to_chars(lines: list[_Line], scale: float) -> list[Char]:
    """Chars of the upright lines, pixel boxes scaled to points (``scale`` px per pt)."""
    chars: list[Char] = []
    for ln in lines:
        xs, ys = ln.quad[:, 0] / scale, ln.quad[:, 1] / scale
        text = " ".join(ln.text.split())
        chars.extend(line_chars(text, (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))))
    return chars


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
    """A page image (``scale`` pixels per point) read into a ``Page``."""
    lines, turns, (w, h) = read_image(img)
    chars = lines_to_chars(lines, scale)
    conf = float(np.mean([ln.score for ln in lines])) if lines else 0.0
    info = OcrInfo(ENGINE, engine_version(), round(conf, 4), mode, turns * 90,
                   [(tuple(float(v) for v in _bbox(ln, scale)), round(ln.score, 4)) for ln in lines])
    page = Page(source_file, page_index, w / scale, h / scale, chars, [], [], None, sha256)
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
