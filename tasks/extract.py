"""Extract: a file → pages of chars (with boxes and fonts), rulings and boxes.

Two char sources give the same ``Page``:

- ``pdfium`` (default): pypdfium2's text page, about 5x faster than pdfminer.
  Boxes are rebuilt the way pdfminer builds them (x from the origin and the
  advance width the PDF's /Widths or /W and /DW give, never the outline of a
  font pdfium substituted; ``bottom = baseline - descent``, ``top = bottom - size``,
  the same box turned for glyphs set at quarter turns, the page's /Rotate
  applied) so the layout stage sees the same geometry from either source.
  Rulings, rectangles and images come from pdfium's page objects (forms
  opened), classified like pdfminer (2-point lines; axis-aligned 4-corner
  subpaths are rects; a rect thinner than 2 pt is a ruling).
- ``pdfplumber``: the reference reader (pdfminer underneath).

Known differences of the pdfium source (measured on the corpus, on a machine
with no CJK font: identical text, x0/top/bottom within 0.001 pt, x1 within
0.05 pt, sizes equal, same rulings and boxes):

- ``size`` of a sideways glyph is its font size (pdfminer gives its advance).
- Fill-and-stroke text (render mode 2, how CJK typesetters fake bold) is bold
  when it is the minority of the page; pdfplumber cannot see render modes.
- A lone glyph of a non-embedded font has no extent for pdfium when no
  installed font has its outline, and its text page leaves it out; such
  glyphs are read from the page's content stream (codes, pdfminer's font for
  their text and the PDF's width) and put back in stream order.
- A page whose text page leaves out other drawn text objects (vertical CMaps
  pdfium cannot map; identical lines it drops as overprints), or lone glyphs
  the stream reader cannot place, is read by pdfplumber.
- Glyphs pdfium reports as unmapped (font without a Unicode map) are dropped,
  and a page made mostly of them is ``garbled_text``; pdfminer turns codes
  65.. of such fonts into plausible letters.

Files that cannot be read raise ``UnreadableFile(status, reason)``; pages that
cannot be read (scans, fonts without a Unicode map, char floods) are returned
as ``Quarantined`` problems beside the good pages by ``extract_file``.
``extract_file_guarded`` bounds the time and memory of one file (PDF bombs).
"""

from __future__ import annotations

import bisect
import ctypes as C
import hashlib
import math
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pr

from tasks.model import Box, Char, Page, Quarantined, Ruling

ENGINES = ("pdfium", "pdfplumber")

_BOLD = re.compile(r"bold|heavy|black|demi|semibold|hei|\bbd\b", re.I)


# --------------------------------------------------------------------------
# public types
# --------------------------------------------------------------------------


class UnreadableFile(Exception):
    """A file no page of which can be read; ``status`` is the quarantine status.

    Statuses: empty, not_pdf, corrupt, encrypted, needs_ocr, garbled_text,
    too_many_chars, too_many_pages, timeout, memory.
    """

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason

    def __reduce__(self):  # keep status/reason across process boundaries
        return (UnreadableFile, (self.status, self.reason))


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may cost."""

    max_pages: int = 2000
    max_chars_per_page: int = 200_000


@dataclass(slots=True)
class ExtractResult:
    """The readable pages of a file and one ``Quarantined`` per unreadable page."""

    pages: list[Page]
    problems: list[Quarantined] = field(default_factory=list)


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dedupe_files(paths: Iterable[str | Path]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split files into first occurrences and ``(duplicate, original)`` pairs (same bytes)."""
    seen: dict[str, str] = {}
    unique: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for p in paths:
        sha = file_sha256(p)
        if sha in seen:
            duplicates.append((str(p), seen[sha]))
        else:
            seen[sha] = str(p)
            unique.append(str(p))
    return unique, duplicates


def is_bold_font(fontname: str) -> bool:
    """Bold weight as the font name says it (``Helvetica-Bold``, ``SimHei``)."""
    base = fontname.split("+", 1)[-1]
    return bool(_BOLD.search(base))


_GARBAGE = re.compile(
    "\\(cid:|[\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def is_garbage_text(text: str) -> bool:
    """Text that is a glyph id rather than a letter.

    Private-use code points, control chars, U+FFFD and pdfminer's ``(cid:N)``
    are what a font without a usable Unicode map yields.
    """
    return _GARBAGE.search(text) is not None


def read_text_page(path: str | Path) -> Page:
    text = Path(path).read_text(encoding="utf-8-sig")
    return Page(
        source_file=str(path),
        page_index=0,
        width=0.0,
        height=0.0,
        text_lines=text.splitlines(),
        sha256=file_sha256(path),
    )


# --------------------------------------------------------------------------
# what a file is before we open it
# --------------------------------------------------------------------------

_MAGIC: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"%!PS", "PostScript file"),
    (b"\xd0\xcf\x11\xe0", "old Microsoft Office document"),
]


def describe_non_pdf(head: bytes) -> str:
    """What the first bytes of a file look like, in words."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text[:512]:
        title = re.search(rb"<title[^>]*>(.*?)</title>", head, re.I | re.S)
        shown = title.group(1).decode("utf-8", "replace").strip()[:80] if title else ""
        return "HTML document" + (f" titled {shown!r}" if shown else "")
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "XML/markup document"
    if text.startswith((b"{", b"[")):
        return "JSON document"
    try:
        head.decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data of unknown type"


def sniff_file(path: str | Path) -> None:
    """Raise ``empty`` / ``not_pdf`` before any PDF library sees the file."""
    size = os.path.getsize(path)
    if size == 0:
        raise UnreadableFile("empty", "the file has zero bytes")
    with open(path, "rb") as f:
        head = f.read(2048)
    if b"%PDF-" not in head[:1024]:
        raise UnreadableFile("not_pdf", f"{describe_non_pdf(head)}, not a PDF ({size} bytes)")


# --------------------------------------------------------------------------
# pdfium: fast ctypes prototypes (handles passed as plain addresses)
# --------------------------------------------------------------------------

_VP = C.c_void_p


def _fn(name: str, restype, *argtypes):
    """A prototype of a pdfium function taking handles as ``c_void_p``."""
    addr = C.cast(getattr(pr, name), _VP).value
    return C.CFUNCTYPE(restype, *argtypes)(addr)


_GetUnicode = _fn("FPDFText_GetUnicode", C.c_uint, _VP, C.c_int)
_IsGenerated = _fn("FPDFText_IsGenerated", C.c_int, _VP, C.c_int)
_IsHyphen = _fn("FPDFText_IsHyphen", C.c_int, _VP, C.c_int)
_HasUnicodeMapError = _fn("FPDFText_HasUnicodeMapError", C.c_int, _VP, C.c_int)
_GetLooseCharBox = _fn("FPDFText_GetLooseCharBox", C.c_int, _VP, C.c_int, C.POINTER(pr.FS_RECTF))
_GetCharOrigin = _fn(
    "FPDFText_GetCharOrigin", C.c_int, _VP, C.c_int, C.POINTER(C.c_double), C.POINTER(C.c_double)
)
_GetTextObject = _fn("FPDFText_GetTextObject", _VP, _VP, C.c_int)
_GetFontSize = _fn("FPDFText_GetFontSize", C.c_double, _VP, C.c_int)
_GetFontWeight = _fn("FPDFText_GetFontWeight", C.c_int, _VP, C.c_int)
_GetFontInfo = _fn("FPDFText_GetFontInfo", C.c_ulong, _VP, C.c_int, _VP, C.c_ulong, C.POINTER(C.c_int))
_GetMatrix = _fn("FPDFText_GetMatrix", C.c_int, _VP, C.c_int, C.POINTER(pr.FS_MATRIX))
_TextObjGetFont = _fn("FPDFTextObj_GetFont", _VP, _VP)
_TextObjGetRenderMode = _fn("FPDFTextObj_GetTextRenderMode", C.c_int, _VP)
_FontGetDescent = _fn("FPDFFont_GetDescent", C.c_int, _VP, C.c_float, C.POINTER(C.c_float))
_FontGetIsEmbedded = _fn("FPDFFont_GetIsEmbedded", C.c_int, _VP)
_FontGetFlags = _fn("FPDFFont_GetFlags", C.c_int, _VP)
_FontGetBaseFontName = _fn("FPDFFont_GetBaseFontName", C.c_ulong, _VP, C.c_char_p, C.c_ulong)
_FontGetWeight = _fn("FPDFFont_GetWeight", C.c_int, _VP)
_TextObjGetFontSize = _fn("FPDFTextObj_GetFontSize", C.c_int, _VP, C.POINTER(C.c_float))
_FontGetGlyphWidth = _fn("FPDFFont_GetGlyphWidth", C.c_int, _VP, C.c_uint, C.c_float, C.POINTER(C.c_float))
_PageCountObjects = _fn("FPDFPage_CountObjects", C.c_int, _VP)
_PageGetObject = _fn("FPDFPage_GetObject", _VP, _VP, C.c_int)
_FormCountObjects = _fn("FPDFFormObj_CountObjects", C.c_int, _VP)
_FormGetObject = _fn("FPDFFormObj_GetObject", _VP, _VP, C.c_ulong)
_ObjGetType = _fn("FPDFPageObj_GetType", C.c_int, _VP)
_ObjGetMatrix = _fn("FPDFPageObj_GetMatrix", C.c_int, _VP, C.POINTER(pr.FS_MATRIX))
_ObjGetBounds = _fn(
    "FPDFPageObj_GetBounds",
    C.c_int,
    _VP,
    C.POINTER(C.c_float),
    C.POINTER(C.c_float),
    C.POINTER(C.c_float),
    C.POINTER(C.c_float),
)
_PathGetDrawMode = _fn("FPDFPath_GetDrawMode", C.c_int, _VP, C.POINTER(C.c_int), C.POINTER(C.c_int))
_PathCountSegments = _fn("FPDFPath_CountSegments", C.c_int, _VP)
_PathGetSegment = _fn("FPDFPath_GetPathSegment", _VP, _VP, C.c_int)
_SegGetPoint = _fn("FPDFPathSegment_GetPoint", C.c_int, _VP, C.POINTER(C.c_float), C.POINTER(C.c_float))
_SegGetType = _fn("FPDFPathSegment_GetType", C.c_int, _VP)
_SegGetClose = _fn("FPDFPathSegment_GetClose", C.c_int, _VP)

_FONT_FORCE_BOLD = 1 << 18
_MAX_PATH_SEGMENTS_PER_PAGE = 200_000
_LINE_END_HYPHEN = 0x02  # pdfium reports a line-end hyphen as U+0002
# pdfium's Adobe-GB1 table gives the Chinese middle dot (GB 0xA1A4) as the
# katakana one; pdfminer and GB18030 give U+00B7
_CID_TABLE_FIXES = {0x30FB: "\u00b7"}


def _addr(handle) -> int:
    return C.cast(handle, _VP).value or 0


def _afm_descents() -> dict[str, float]:
    """Descent of the standard-14 fonts as pdfminer takes it (from the AFM files)."""
    try:
        from pdfminer.fontmetrics import FONT_METRICS
    except ImportError:  # pragma: no cover - pdfminer comes with pdfplumber
        return {}
    return {name: float(desc.get("Descent", 0.0)) for name, (desc, _w) in FONT_METRICS.items()}


_AFM_DESCENT: dict[str, float] | None = None


def _afm_descent(basename: str) -> float | None:
    global _AFM_DESCENT
    if _AFM_DESCENT is None:
        _AFM_DESCENT = _afm_descents()
    return _AFM_DESCENT.get(basename)


@dataclass(slots=True)
class _TextObjInfo:
    """Everything constant over one pdfium text object (one font, size, matrix)."""

    fontname: str
    bold: bool
    quarter: int | None  # text direction in quarter turns counter-clockwise; None: not a right angle
    size: float  # effective em size on the page (font size x scale across the baseline)
    descent: float  # below the baseline, points on the page (positive)
    stroked: bool = False  # drawn fill-and-stroke (text render mode 2)
    embedded: bool = True  # False: pdfium maps codes to Unicode through its own tables
    font: int = 0  # pdfium's font handle (0: none)
    em: float = 0.0  # one em of advance along the baseline, points on the page (Tz included)

    @property
    def upright(self) -> bool:
        return self.quarter == 0


def _quarter_turns(a: float, b: float, c: float, d: float) -> int | None:
    """0-3 when the matrix turns text by a multiple of 90 degrees without mirroring or skew."""
    if abs(b) < 1e-6 and abs(c) < 1e-6:
        if a > 0 and d > 0:
            return 0
        if a < 0 and d < 0:
            return 2
    elif abs(a) < 1e-6 and abs(d) < 1e-6:
        if b > 0 and c < 0:
            return 1
        if b < 0 and c > 0:
            return 3
    return None


def _text_obj_info(tp: int, i: int) -> _TextObjInfo:
    buf = C.create_string_buffer(256)
    flags = C.c_int(0)
    n = _GetFontInfo(tp, i, C.cast(buf, _VP), 256, C.byref(flags))
    fontname = buf.raw[: max(n - 1, 0)].decode("utf-8", "replace") if n else ""
    fs = _GetFontSize(tp, i)
    m = pr.FS_MATRIX()
    _GetMatrix(tp, i, C.byref(m))
    quarter = _quarter_turns(m.a, m.b, m.c, m.d)
    size = fs * math.hypot(m.c, m.d)
    obj = _GetTextObject(tp, i)
    font = _TextObjGetFont(obj) if obj else None
    weight = _GetFontWeight(tp, i)
    bold = weight >= 600 or is_bold_font(fontname)
    descent_em = 0.0
    embedded = True
    if font:
        embedded = bool(_FontGetIsEmbedded(font))
        bold = bold or bool(_FontGetFlags(font) & _FONT_FORCE_BOLD)
        base = fontname.split("+", 1)[-1]
        afm = _afm_descent(base) if not embedded else None
        if afm is not None:
            descent_em = afm / 1000.0
        else:
            d = C.c_float(0.0)
            if _FontGetDescent(font, C.c_float(1.0), C.byref(d)):
                descent_em = float(d.value)
    descent_em = sane_descent(descent_em)
    stroked = bool(obj) and _TextObjGetRenderMode(obj) == pr.FPDF_TEXTRENDERMODE_FILL_STROKE
    em = fs * math.hypot(m.a, m.b)
    return _TextObjInfo(fontname, bold, quarter, size, -descent_em * size, stroked, embedded, _addr(font), em)


# A glyph box sits a font's descent below the baseline.  A declared descent
# deeper than DESCENT_MAX em would put the box mostly under the baseline
# (a subset font with a bogus /Descent: its digits then fall out of the line
# they are set in); such a font gets TYPICAL_DESCENT instead, in both readers.
DESCENT_MAX = 0.5
TYPICAL_DESCENT = 0.2


def sane_descent(descent_em: float) -> float:
    """The font's descent (negative em, as fonts declare it), or a typical one when it cannot be right."""
    return -TYPICAL_DESCENT if descent_em < -DESCENT_MAX else descent_em


def _pdf_width(font: int, u: int) -> float:
    """Advance of the glyph for code point ``u`` in ems, as the PDF's font dictionary gives it.

    pdfium reads /Widths (simple fonts) or /W and /DW (CID fonts) from the
    file; the installed fonts do not enter.  0.0 when pdfium cannot say.
    """
    w = C.c_float(0.0)
    if not font or not _FontGetGlyphWidth(font, u, C.c_float(1.0), C.byref(w)):
        return 0.0
    v = float(w.value)
    return v if 0.0 < v < 4.0 else 0.0  # beyond 4 em: a broken /W entry, not a glyph


@dataclass(frozen=True, slots=True)
class _PageFrame:
    """User space → pdfplumber's top-left display space of one page."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0  # the page's /Rotate, clockwise degrees

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def box(self, x0: float, t0: float, x1: float, t1: float) -> tuple[float, float, float, float]:
        """A box given in unrotated top-left coords (x from left, t down from top), as displayed."""
        if self.rotation == 0:
            return (x0, t0, x1, t1)
        w, h = self.right - self.left, self.top - self.bottom
        if self.rotation == 90:
            return (h - t1, x0, h - t0, x1)
        if self.rotation == 180:
            return (w - x1, h - t1, w - x0, h - t0)
        return (t0, w - x1, t1, w - x0)  # 270


def _turned_box(q: int, ox: float, oy: float, adv: float, info: _TextObjInfo, f: _PageFrame):
    """pdfminer's em box of a glyph whose baseline runs ``q`` quarter turns from the x axis.

    ``ox, oy``: origin in user space; returns unrotated top-left coords.
    """
    X, T, size, desc = ox - f.left, f.top - oy, info.size, info.descent
    if q == 1:  # running up
        return (X + desc - size, T - adv, X + desc, T)
    if q == 2:  # upside down
        return (X - adv, T - desc, X, T - desc + size)
    return (X - desc, T, X - desc + size, T + adv)  # 3: running down


def _pdfium_chars(textpage, frame: _PageFrame) -> tuple[list[Char], int, set[int], list[int]]:
    """Chars of a pdfium text page in pdfplumber's top-left geometry, how
    many glyphs the font could not map to Unicode (those are left out), the
    text objects the chars came from, and the text object of each char.

    x0 is the glyph origin and x1 the end of its advance (pdfium's loose box).
    top/bottom are rebuilt from the baseline like pdfminer: ``bottom =
    baseline + descent``, ``top = bottom - size``; glyphs turned by quarter
    turns get the same em box turned.  ``upright`` is as displayed (after the
    page's /Rotate), like pdfplumber.
    """
    tp = _addr(textpage.raw)
    n = pr.FPDFText_CountChars(textpage.raw)
    rect = pr.FS_RECTF()
    prect = C.pointer(rect)
    ox, oy = C.c_double(), C.c_double()
    pox, poy = C.pointer(ox), C.pointer(oy)
    infos: dict[int, _TextObjInfo] = {}
    widths: dict[tuple[int, int], float] = {}  # (font, code point) -> PDF advance in ems
    chars: list[Char] = []
    char_objs: list[int] = []  # the text object of each char
    stroked: list[int] = []  # positions in ``chars`` of fill-and-stroke glyphs
    run: list[list] = []  # upright glyphs of the current text object: [text, x0, x1, bottom]
    run_obj = -1
    unmapped = 0
    seen: set[int] = set()  # text objects of unmapped glyphs
    last_glyph: tuple | None = None  # text object, origin and box of the previous glyph
    page_top, page_left = frame.top, frame.left
    turn = frame.rotation // 90  # a glyph reads upright on screen when its quarter turns equal this

    def flush() -> None:
        if not run:
            return
        info = infos[run_obj]
        _fix_advances(run)
        if info.stroked:
            stroked.extend(range(len(chars), len(chars) + len(run)))
        up = turn == 0
        for text, x0, x1, bottom in run:
            b = frame.box(x0, bottom - info.size, x1, bottom)
            chars.append(Char(text, b[0], b[1], b[2], b[3], info.size, info.fontname, info.bold, up))
        char_objs.extend([run_obj] * len(run))
        run.clear()

    for i in range(n):
        u = _GetUnicode(tp, i)
        if u in (0x20, 0x0D, 0x0A, 0xA0, 0) and _IsGenerated(tp, i):
            continue  # spaces and line breaks pdfium makes up
        if u == 0x0D or u == 0x0A or u == 0:
            continue
        obj = _GetTextObject(tp, i) or 0
        if _HasUnicodeMapError(tp, i):
            unmapped += 1  # a glyph id passed off as a code point
            seen.add(obj)
            continue
        info = infos.get(obj)
        if info is None:
            info = infos[obj] = _text_obj_info(tp, i)
        if obj != run_obj:
            flush()
            run_obj = obj
        _GetLooseCharBox(tp, i, prect)
        _GetCharOrigin(tp, i, pox, poy)
        text = "-" if u == _LINE_END_HYPHEN and _IsHyphen(tp, i) else chr(u)
        if u in _CID_TABLE_FIXES and not info.embedded:
            text = _CID_TABLE_FIXES[u]
        glyph = (obj, ox.value, oy.value, rect.left, rect.right, rect.top, rect.bottom)
        if glyph == last_glyph:
            # one glyph that maps to several code points (a 3-em dash glyph for
            # "———", a ligature): pdfium repeats the glyph's box for each; it is
            # one char with that text, as pdfminer reads it (pdfium's text page
            # has already dropped real overprints within an object); the
            # glyph's advance is its box, not the width of its first code point
            if info.quarter == 0 and run:
                run[-1][0] += text
                run[-1][2] = max(run[-1][2], max(rect.left, rect.right) - page_left)
            elif chars:
                c = chars[-1]
                chars[-1] = Char(c.text + text, c.x0, c.top, c.x1, c.bottom, c.size, c.fontname, c.bold, c.upright)
            continue
        last_glyph = glyph
        if info.stroked:
            stroked.append(len(chars) + len(run))
        # the advance the PDF's own widths give (pdfium's loose box follows
        # the glyph outline of whatever font it substituted, or is empty)
        key = (info.font, u)
        w = widths.get(key)
        if w is None:
            w = widths[key] = _pdf_width(info.font, ord(text) if len(text) == 1 else u)
        adv = w * info.em
        q = info.quarter
        if q == 0:
            x0 = ox.value - page_left
            run.append([text, x0, x0 + adv if adv > 0 else max(rect.left, rect.right) - page_left,
                        page_top - oy.value + info.descent])
            continue
        flush()
        if q is None:  # slanted or mirrored: pdfium's loose box as it is
            b = (min(rect.left, rect.right) - page_left, page_top - max(rect.top, rect.bottom),
                 max(rect.left, rect.right) - page_left, page_top - min(rect.top, rect.bottom))
        else:
            if adv <= 0:
                adv = abs(rect.right - rect.left) if q == 2 else abs(rect.top - rect.bottom)
            b = _turned_box(q, ox.value, oy.value, adv, info, frame)
        b = frame.box(*b)
        up = q is not None and (q - turn) % 4 == 0
        chars.append(Char(text, b[0], b[1], b[2], b[3], info.size, info.fontname, info.bold, up))
        char_objs.append(obj)
    flush()
    return _stroke_bold(chars, sorted(set(stroked))), unmapped, seen | set(infos), char_objs


def _fix_advances(run: list[list]) -> None:
    """Cap x1 of glyphs whose advance overruns the next glyph's origin.

    Within one text object the gap between a glyph's end and the next
    origin is the char spacing (Tc), the same for every glyph.  A glyph the
    PDF gives no width for keeps pdfium's loose box, which follows the
    outline of a substituted font and can be too wide; that shows as a gap
    smaller than the typical one.  Such glyphs end where the next origin
    minus the typical gap says.
    """
    if len(run) < 3:
        return
    gaps = sorted(run[k + 1][1] - run[k][2] for k in range(len(run) - 1))
    tc = gaps[len(gaps) // 2]
    for k in range(len(run) - 1):
        end = run[k + 1][1] - tc
        if run[k][1] < end < run[k][2] - 0.05:
            run[k][2] = end


def _stroke_bold(chars: list[Char], stroked: list[int]) -> list[Char]:
    """Mark fill-and-stroke glyphs bold when they are the minority of the page.

    Stroking the outline is how many CJK typesetters fake a bold weight; a
    page that strokes most of its text (a style, or a render mode left on by
    the producer) says nothing about emphasis.
    """
    if not stroked or len(stroked) * 2 >= len(chars):
        return chars
    for k in stroked:
        c = chars[k]
        if not c.bold:
            chars[k] = Char(c.text, c.x0, c.top, c.x1, c.bottom, c.size, c.fontname, True, c.upright)
    return chars


# --------------------------------------------------------------------------
# pdfium: drawn lines, rectangles and images
# --------------------------------------------------------------------------

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, Cc, D, E, F = outer
    return (a * A + b * Cc, a * B + b * D, c * A + d * Cc, c * B + d * D, e * A + f * Cc + E, e * B + f * D + F)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _obj_matrix(obj: int) -> _Matrix:
    m = pr.FS_MATRIX()
    if not _ObjGetMatrix(obj, C.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _walk_objects(page_handle: int, depth_limit: int = 16) -> Iterator[tuple[int, int, _Matrix, int]]:
    """Every page object as ``(handle, type, matrix of its container, depth)``, forms opened."""
    stack: list[tuple[int, int, _Matrix, int]] = []
    n = _PageCountObjects(page_handle)
    for i in range(n - 1, -1, -1):
        stack.append((_PageGetObject(page_handle, i) or 0, 0, _IDENTITY, 0))
    while stack:
        obj, _unused, parent, depth = stack.pop()
        if not obj:
            continue
        kind = _ObjGetType(obj)
        yield obj, kind, parent, depth
        if kind == pr.FPDF_PAGEOBJ_FORM and depth < depth_limit:
            inner = _compose(_obj_matrix(obj), parent)
            k = _FormCountObjects(obj)
            for j in range(k - 1, -1, -1):
                stack.append((_FormGetObject(obj, j) or 0, 0, inner, depth + 1))


def _bounds_on_page(obj: int, parent: _Matrix) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in page space."""
    l, b, r, t = C.c_float(), C.c_float(), C.c_float(), C.c_float()
    _ObjGetBounds(obj, C.byref(l), C.byref(b), C.byref(r), C.byref(t))
    pts = [_apply(parent, x, y) for x, y in ((l.value, b.value), (r.value, t.value), (l.value, t.value), (r.value, b.value))]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _subpaths(obj: int, m: _Matrix, budget: list[int]) -> list[list[tuple[float, float]]] | None:
    """Straight-line subpaths of a path object on the page; curves are dropped."""
    n = _PathCountSegments(obj)
    if n <= 0 or n > budget[0]:
        return None
    budget[0] -= n
    x, y = C.c_float(), C.c_float()
    px, py = C.byref(x), C.byref(y)
    out: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    curved = False
    for k in range(n):
        seg = _PathGetSegment(obj, k)
        if not seg:
            continue
        kind = _SegGetType(seg)
        _SegGetPoint(seg, px, py)
        pt = _apply(m, x.value, y.value)
        if kind == pr.FPDF_SEGMENT_MOVETO:
            if cur and not curved:
                out.append(cur)
            cur, curved = [pt], False
            continue
        if kind == pr.FPDF_SEGMENT_BEZIERTO:
            curved = True
        cur.append(pt)
        if _SegGetClose(seg) and cur and cur[0] != pt:
            cur.append(cur[0])
    if cur and not curved:
        out.append(cur)
    return out


_NO_BOX = (0.0, 0.0, 0.0, 0.0)


def _classify_subpath(pts: list[tuple[float, float]], frame: _PageFrame):
    """A subpath as pdfminer sees it: a line, an axis-aligned rect, or neither."""

    def to_box(xs, ys):
        return frame.box(min(xs) - frame.left, frame.top - max(ys), max(xs) - frame.left, frame.top - min(ys))

    if len(pts) == 2:
        return "line", to_box([p[0] for p in pts], [p[1] for p in pts])
    if len(pts) in (4, 5):
        if len(pts) == 5 and pts[4] != pts[0]:
            return None, _NO_BOX
        corners = pts[:4]
        axis = all(
            (abs(corners[k][0] - corners[(k + 1) % 4][0]) < 1e-3) != (abs(corners[k][1] - corners[(k + 1) % 4][1]) < 1e-3)
            or corners[k] == corners[(k + 1) % 4]
            for k in range(4)
        )
        if axis:
            return "rect", to_box([p[0] for p in corners], [p[1] for p in corners])
    return None, _NO_BOX


@dataclass(slots=True)
class _Drawings:
    rulings: list[Ruling]
    boxes: list[Box]
    n_images: int
    image_area: float
    n_paths: int
    text_objects: list[int] = field(default_factory=list)  # text objects that draw something
    top_text: int = 0  # text objects in the page's own content stream (not in forms)
    lost: list[tuple[int, int]] = field(default_factory=list)  # (ordinal among those or -1, handle)
    ordinals: dict[int, int] = field(default_factory=dict)  # handle -> ordinal of those text objects


def _lost_glyph(obj: int) -> bool:
    """A text object without extent that may still hold a visible glyph.

    pdfium measures a text object by the outlines of its glyphs and leaves
    objects of no width out of the text page.  A lone space in any font
    has no outline; so has a lone glyph of a font the file does not embed
    when the machine has no font to stand in for it (a CJK font on a server
    without one).  Only the second loses text, and only a non-embedded font
    can cause it.
    """
    font = _TextObjGetFont(obj)
    return bool(font) and not _FontGetIsEmbedded(font)


def _pdfium_drawings(page, frame: _PageFrame) -> _Drawings:
    rulings: list[Ruling] = []
    boxes: list[Box] = []
    n_images = 0
    image_area = 0.0
    n_paths = 0
    budget = [_MAX_PATH_SEGMENTS_PER_PAGE]
    fill, stroke = C.c_int(), C.c_int()
    text_objects: list[int] = []
    lost: list[tuple[int, int]] = []
    ordinals: dict[int, int] = {}
    top_text = 0
    for obj, kind, parent, depth in _walk_objects(_addr(page.raw)):
        if kind == pr.FPDF_PAGEOBJ_TEXT:
            ordinal = top_text if depth == 0 else -1
            if depth == 0:
                ordinals[obj] = top_text
                top_text += 1
            l, b, r, t = _bounds_on_page(obj, parent)
            if max(r - l, t - b) > 0.01:
                text_objects.append(obj)
            elif _lost_glyph(obj):
                lost.append((ordinal, obj))
        elif kind == pr.FPDF_PAGEOBJ_IMAGE:
            l, b, r, t = _bounds_on_page(obj, parent)
            boxes.append(Box(*frame.box(l - frame.left, frame.top - t, r - frame.left, frame.top - b), "image"))
            n_images += 1
            image_area += max(r - l, 0.0) * max(t - b, 0.0)
        elif kind == pr.FPDF_PAGEOBJ_PATH:
            n_paths += 1
            _PathGetDrawMode(obj, C.byref(fill), C.byref(stroke))
            if fill.value == pr.FPDF_FILLMODE_NONE and not stroke.value:
                continue  # neither filled nor stroked: draws nothing
            subs = _subpaths(obj, _compose(_obj_matrix(obj), parent), budget)
            for pts in subs or []:
                what, (x0, top, x1, bottom) = _classify_subpath(pts, frame)
                if what == "line":
                    rulings.append(Ruling(x0, top, x1, bottom))
                elif what == "rect":
                    if min(x1 - x0, bottom - top) <= 2.0:  # a thin rect is drawn as a rule
                        rulings.append(Ruling(x0, top, x1, bottom))
                    else:
                        boxes.append(Box(x0, top, x1, bottom, "rect"))
    return _Drawings(rulings, boxes, n_images, image_area, n_paths, text_objects, top_text, lost, ordinals)


# --------------------------------------------------------------------------
# pdfium: lone glyphs its text page leaves out
# --------------------------------------------------------------------------
#
# A text object of one glyph of a non-embedded font has no extent when the
# machine has no font with that glyph's outline, and pdfium's text page skips
# it (a full stop wrapped onto a line of its own, a title set one glyph per
# object).  pdfium keeps the object (position, size, font) but offers no way
# to read its codes, so they are read from the page's content stream: the
# k-th text-showing operator of the stream is the k-th text object pdfium
# parsed from it.  pdfminer's font objects turn the codes into text and give
# the width the PDF says.  When the stream and pdfium's objects do not line
# up the page is read by pdfplumber instead.

_PS_TOKEN = re.compile(
    rb"\((?:[^()\\]|\\.)*\)"  # literal string without unescaped nested parentheses
    rb"|<<|>>|<[0-9A-Fa-f\s]*>"  # dict delimiters, hex string
    rb"|[\[\]{}]"
    rb"|/[^\s()<>\[\]{}/%]*"  # name
    rb"|%[^\r\n]*"  # comment
    rb"|[^\s()<>\[\]{}/%]+"  # number, keyword or operator
    rb"|\S",
    re.S,
)
_PS_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_SHOW_OPS = (b"Tj", b"'", b'"', b"TJ")


def _ps_string(tok: bytes) -> bytes:
    """The bytes of a PDF literal ``(...)`` or hex ``<...>`` string token."""
    if tok[:1] == b"<":
        h = re.sub(rb"\s", b"", tok[1:-1])
        return bytes.fromhex((h + b"0" * (len(h) % 2)).decode())
    body = tok[1:-1]
    if b"\\" not in body:
        return body
    out = bytearray()
    k = 0
    while k < len(body):
        ch = body[k : k + 1]
        if ch != b"\\":
            out += ch
            k += 1
            continue
        nxt = body[k + 1 : k + 2]
        if nxt in _PS_ESCAPES:
            out += _PS_ESCAPES[nxt]
            k += 2
        elif nxt.isdigit():
            m = re.match(rb"[0-7]{1,3}", body[k + 1 : k + 4])
            out.append(int(m.group(0), 8) & 0xFF if m else 0)
            k += 1 + (len(m.group(0)) if m else 1)
        elif nxt in (b"\r", b"\n"):  # a line continuation
            k += 2 + (body[k + 1 : k + 3] == b"\r\n")
        else:
            out += nxt
            k += 2
    return bytes(out)


def _shown_strings(data: bytes, wanted: set[int]) -> tuple[int, dict[int, tuple[bytes, bytes]]] | None:
    """How many text objects the content stream shows, and for the ordinals in
    ``wanted`` (font resource name, shown bytes); None when the stream holds
    what this reader does not follow (nested parentheses in a string)."""
    found: dict[int, tuple[bytes, bytes]] = {}
    strings: list[bytes] = []  # string operands since the last operator
    last_name = b""
    font = b""
    count = 0
    pos = 0
    n = len(data)
    while pos < n:
        restart = -1
        for m in _PS_TOKEN.finditer(data, pos):
            tok = m.group(0)
            c = tok[0]
            if c == 0x28 or (c == 0x3C and tok != b"<<"):  # ( or <: a string
                if tok == b"(":
                    return None
                strings.append(tok)
            elif c == 0x2F:  # /name
                last_name = tok
            elif c in b"+-.0123456789[]{}%>" or tok == b"<<":
                pass
            elif tok in _SHOW_OPS:
                if any(t[1:-1].strip() for t in strings):
                    if count in wanted:
                        found[count] = (font, b"".join(_ps_string(t) for t in strings))
                    count += 1
                strings.clear()
            elif tok == b"Tf":
                font = last_name[1:]
                strings.clear()
            elif tok == b"BI":  # inline image: skip its binary data
                start = data.find(b"ID", m.end())
                end = data.find(b"EI", start + 2) if start >= 0 else -1
                while end >= 0 and not (end + 2 >= n or data[end + 2 : end + 3].isspace()):
                    end = data.find(b"EI", end + 2)
                if end < 0:
                    return None
                restart = end + 2
                strings.clear()
                break
            elif tok not in (b"true", b"false", b"null"):
                strings.clear()  # any other operator
        if restart < 0:
            break
        pos = restart
    return count, found


class _MinerFile:
    """pdfminer's view of one file, opened on first need: page streams and fonts."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._pages: list | None = None
        self._fonts: dict[tuple[int, str], object] = {}
        self._fp = None

    def _load(self) -> list:
        if self._pages is None:
            from pdfminer.pdfdocument import PDFDocument
            from pdfminer.pdfinterp import PDFResourceManager
            from pdfminer.pdfpage import PDFPage
            from pdfminer.pdfparser import PDFParser

            self._fp = open(self.path, "rb")
            self._rm = PDFResourceManager(caching=True)
            self._pages = list(PDFPage.create_pages(PDFDocument(PDFParser(self._fp))))
        return self._pages

    def close(self) -> None:
        if self._fp is not None:
            self._fp.close()

    def page_stream(self, i: int) -> bytes:
        from pdfminer.pdftypes import resolve1

        page = self._load()[i]
        return b"\n".join(resolve1(s).get_data() for s in page.contents)

    def font(self, i: int, name: str):
        from pdfminer.pdftypes import PDFObjRef, resolve1

        key = (i, name)
        if key not in self._fonts:
            page = self._load()[i]
            fonts = resolve1(resolve1(page.resources or {}).get("Font")) or {}
            ref = fonts.get(name)
            spec = resolve1(ref)
            objid = ref.objid if isinstance(ref, PDFObjRef) else None
            self._fonts[key] = self._rm.get_font(objid, spec) if isinstance(spec, dict) else None
        return self._fonts[key]


def _obj_info(obj: int) -> tuple[_TextObjInfo, tuple[float, float]] | None:
    """What ``_text_obj_info`` says of a text object, read from the object
    itself, and the object's origin on the page."""
    font = _TextObjGetFont(obj)
    fs = C.c_float(0.0)
    if not font or not _TextObjGetFontSize(obj, C.byref(fs)):
        return None
    buf = C.create_string_buffer(256)
    n = _FontGetBaseFontName(font, buf, 256)
    fontname = buf.raw[: max(n - 1, 0)].decode("utf-8", "replace") if n else ""
    m = pr.FS_MATRIX()
    _ObjGetMatrix(obj, C.byref(m))
    quarter = _quarter_turns(m.a, m.b, m.c, m.d)
    size = fs.value * math.hypot(m.c, m.d)
    bold = _FontGetWeight(font) >= 600 or is_bold_font(fontname) or bool(_FontGetFlags(font) & _FONT_FORCE_BOLD)
    afm = _afm_descent(fontname.split("+", 1)[-1])
    if afm is not None:
        descent_em = afm / 1000.0
    else:
        d = C.c_float(0.0)
        descent_em = float(d.value) if _FontGetDescent(font, C.c_float(1.0), C.byref(d)) else 0.0
    descent_em = sane_descent(descent_em)
    stroked = _TextObjGetRenderMode(obj) == pr.FPDF_TEXTRENDERMODE_FILL_STROKE
    info = _TextObjInfo(fontname, bold, quarter, size, -descent_em * size, stroked,
                        bool(_FontGetIsEmbedded(font)), _addr(font), fs.value * math.hypot(m.a, m.b))
    return info, (m.e, m.f)


def _lost_chars(miner: _MinerFile, i: int, drawn: _Drawings, frame: _PageFrame) -> list[Char] | None:
    """The chars of the text objects pdfium's text page left out for want of an
    outline, or None when they cannot be read without pdfminer's full parse."""
    if any(ordinal < 0 for ordinal, _ in drawn.lost):
        return None  # inside a form XObject: another stream
    try:
        shown = _shown_strings(miner.page_stream(i), {ordinal for ordinal, _ in drawn.lost})
    except Exception:  # noqa: BLE001 - any surprise in the stream: pdfplumber reads the page
        return None
    if shown is None or shown[0] != drawn.top_text:
        return None  # the stream and pdfium's objects do not line up
    found = shown[1]
    turn = frame.rotation // 90
    out: list[Char] = []
    for ordinal, obj in drawn.lost:
        got = _obj_info(obj)
        if got is None or ordinal not in found or got[0].quarter is None:
            return None
        info, (ox, oy) = got
        name, raw = found[ordinal]
        font = miner.font(i, _ps_name(name))
        if font is None:
            return None
        try:
            cids = list(font.decode(raw))
            if len(cids) != 1:
                return None  # several glyphs at one spot: not this reader's case
            text = font.to_unichr(cids[0])
            width = float(font.char_width(cids[0]))
        except Exception:  # noqa: BLE001 - no Unicode for the code: pdfplumber decides
            return None
        if not text or is_garbage_text(text):
            return None
        adv = width * info.em
        if info.quarter == 0:
            X, bottom = ox - frame.left, frame.top - oy + info.descent
            b = frame.box(X, bottom - info.size, X + adv, bottom)
        else:
            b = frame.box(*_turned_box(info.quarter, ox, oy, adv, info, frame))
        up = (info.quarter - turn) % 4 == 0
        out.append(Char(text, b[0], b[1], b[2], b[3], info.size, info.fontname, info.bold, up))
    return out


def _insert_in_stream_order(chars: list[Char], char_objs: list[int], extra: list[Char], drawn: _Drawings) -> list[Char]:
    """``chars`` with the recovered ``extra`` (one per lost object) where the content stream has them."""
    order = drawn.ordinals
    ords = [order.get(o, -1) for o in char_objs]
    if ords and min(ords) < 0:
        return chars + extra  # chars of a form XObject have no place in the page's stream: extras last
    if any(ords[k] > ords[k + 1] for k in range(len(ords) - 1)):  # pdfium reordered objects: stream order
        keyed = sorted([(o, k, c) for k, (o, c) in enumerate(zip(ords, chars))]
                       + [(ordinal, -1, c) for (ordinal, _), c in zip(drawn.lost, extra)], key=lambda t: t[:2])
        return [c for _, _, c in keyed]
    out = list(chars)
    for (ordinal, _), c in sorted(zip(drawn.lost, extra), key=lambda t: t[0][0], reverse=True):
        out.insert(bisect.bisect_left(ords, ordinal), c)
    return out


def _ps_name(raw: bytes) -> str:
    """A PDF name token's text (``#xx`` escapes decoded)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


# --------------------------------------------------------------------------
# page checks shared by both engines
# --------------------------------------------------------------------------


def page_problem(
    chars: list[Char], n_images: int, image_area: float, page_area: float, n_paths: int, unmapped: int = 0
) -> tuple[str, str] | None:
    """Why a page has no usable text, or None when it has.

    ``unmapped`` counts glyphs already left out of ``chars`` because their
    font has no Unicode for them.
    """
    visible = [c for c in chars if c.text.strip()]
    if unmapped and unmapped >= len(visible):
        return (
            "garbled_text",
            f"{unmapped} of {unmapped + len(visible)} characters are glyph ids the font maps to no Unicode "
            "(no ToUnicode map, non-standard glyph names)",
        )
    if not visible:
        if n_images:
            cover = image_area / page_area if page_area > 0 else 0.0
            return (
                "needs_ocr",
                f"no text layer: {n_images} image(s) covering {cover:.0%} of the page and no characters; "
                "looks like a scanned page",
            )
        if n_paths >= 200:
            return ("needs_ocr", f"no text layer: {n_paths} vector paths and no characters; text drawn as outlines")
        return None  # a blank page
    bad = sum(1 for c in visible if is_garbage_text(c.text)) if _GARBAGE.search("".join(c.text for c in visible)) else 0
    if bad * 2 > len(visible):
        sample = "".join(c.text for c in visible[:12])
        return (
            "garbled_text",
            f"{bad} of {len(visible)} characters have no Unicode meaning (private-use, control or cid codes, "
            f"e.g. {sample!r}); the font has no usable ToUnicode map",
        )
    return None


def _too_many_chars(n: int, limits: Limits) -> tuple[str, str] | None:
    if n > limits.max_chars_per_page:
        return ("too_many_chars", f"{n} characters on the page, more than the limit of {limits.max_chars_per_page}")
    return None


def _clean_chars(chars: list[Char]) -> list[Char]:
    """Drop the few glyph-id chars of a page that is otherwise readable."""
    if not _GARBAGE.search("".join(c.text for c in chars)):
        return chars
    return [c for c in chars if not is_garbage_text(c.text)]


# --------------------------------------------------------------------------
# the two readers
# --------------------------------------------------------------------------


def _open_pdfium(path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pr.FPDF_ERR_PASSWORD:
            raise UnreadableFile("encrypted", "the PDF needs a user password to open") from None
        if code == pr.FPDF_ERR_SECURITY:
            raise UnreadableFile("encrypted", "the PDF uses an unsupported security handler") from None
        size = os.path.getsize(path)
        raise UnreadableFile(
            "corrupt", f"the PDF structure is broken beyond repair ({e}; {size} bytes, truncated or bad xref?)"
        ) from None


def _check_page_count(n: int, limits: Limits) -> None:
    if n > limits.max_pages:
        raise UnreadableFile("too_many_pages", f"{n} pages, more than the limit of {limits.max_pages}")
    if n == 0:
        raise UnreadableFile("corrupt", "the PDF has no pages")


# PDFium is not thread-safe: one document at a time per process (threads
# gain little here anyway; parallelism comes from worker processes)
_PDFIUM_LOCK = threading.RLock()


def _extract_pdfium(path: str, sha: str, limits: Limits) -> ExtractResult:
    with _PDFIUM_LOCK:
        return _extract_pdfium_locked(path, sha, limits)


def _extract_pdfium_locked(path: str, sha: str, limits: Limits) -> ExtractResult:
    doc = _open_pdfium(path)
    fallback: dict[int, Page | Quarantined] = {}  # pages to read with pdfplumber, and pdfium's reading
    miner = _MinerFile(path)  # opened only for a page with glyphs pdfium's text page left out
    try:
        _check_page_count(len(doc), limits)
        result = ExtractResult(pages=[])
        for i in range(len(doc)):
            try:
                page = doc[i]
            except pdfium.PdfiumError as e:
                result.problems.append(Quarantined(path, sha, "corrupt", f"page cannot be loaded: {e}", i))
                continue
            try:
                left, bottom, right, top = page.get_mediabox()
                frame = _PageFrame(left, bottom, right, top, page.get_rotation() % 360)
                textpage = page.get_textpage()
                try:
                    n = pr.FPDFText_CountChars(textpage.raw)
                    flood = _too_many_chars(n, limits)
                    if flood:
                        result.problems.append(Quarantined(path, sha, flood[0], flood[1], i))
                        continue
                    chars, unmapped, seen, char_objs = _pdfium_chars(textpage, frame)
                finally:
                    textpage.close()
                drawn = _pdfium_drawings(page, frame)
                lost_unread = False
                if drawn.lost:
                    extra = _lost_chars(miner, i, drawn, frame)
                    if extra is None:
                        lost_unread = True
                    else:
                        chars = _insert_in_stream_order(chars, char_objs, extra, drawn)
            finally:
                page.close()
            width, height = frame.size
            problem = page_problem(
                chars, drawn.n_images, drawn.image_area, width * height, drawn.n_paths, unmapped
            )
            got: Page | Quarantined = (
                Quarantined(path, sha, problem[0], problem[1], i)
                if problem
                else Page(path, i, width, height, _clean_chars(chars), drawn.rulings, drawn.boxes, None, sha)
            )
            if lost_unread or any(o not in seen for o in drawn.text_objects):
                # text objects pdfium's text page left out (vertical CMaps it
                # cannot map, text it took for a fake-bold duplicate): pdfminer reads them
                fallback[i] = got
                continue
            (result.pages if isinstance(got, Page) else result.problems).append(got)
    finally:
        doc.close()
        miner.close()
    if fallback:
        try:
            rest = _extract_pdfplumber(path, sha, limits, only=sorted(fallback))
        except UnreadableFile:  # pdfminer cannot open what pdfium repaired: keep pdfium's reading
            rest = ExtractResult(
                [g for g in fallback.values() if isinstance(g, Page)],
                [g for g in fallback.values() if isinstance(g, Quarantined)],
            )
        result.pages = sorted(result.pages + rest.pages, key=lambda p: p.page_index)
        result.problems = sorted(result.problems + rest.problems, key=lambda q: q.page_index or 0)
    return result


def _plumber_char(c: dict) -> Char:
    fontname = c.get("fontname") or ""
    top, bottom = float(c["top"]), float(c["bottom"])
    size = float(c.get("size") or 0.0)
    m = c.get("matrix")
    if m and size > 0 and m[1] == 0 and m[2] == 0 and m[0] > 0 and m[3] > 0:
        # pdfminer sets the box by the font's declared descent; one beyond
        # sane_descent's bound is moved like pdfium's reading moves it
        declared = (float(c["y0"]) - m[5]) / size
        fixed = sane_descent(declared)
        if fixed != declared:
            shift = (declared - fixed) * size  # user space is bottom-up
            top, bottom = top + shift, bottom + shift
    return Char(
        text=c["text"],
        x0=float(c["x0"]),
        top=top,
        x1=float(c["x1"]),
        bottom=bottom,
        size=float(c.get("size") or 0.0),
        fontname=fontname,
        bold=is_bold_font(fontname),
        upright=bool(c.get("upright", True)),
    )


def _open_pdfplumber(path: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        return pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many kinds for broken files
        inner = e.args[0] if e.args and isinstance(e.args[0], Exception) else e.__context__
        if isinstance(e, PDFPasswordIncorrect) or isinstance(inner, PDFPasswordIncorrect):
            raise UnreadableFile("encrypted", "the PDF needs a user password to open") from None
        raise UnreadableFile("corrupt", f"the PDF structure is broken ({type(e).__name__}: {inner or e})") from None


def _plumber_page(pdf, i: int, path: str, sha: str, limits: Limits) -> Page | Quarantined:
    """Page ``i`` of an open pdfplumber document, or why it cannot be read."""
    p = pdf.pages[i]
    try:
        raw_chars = p.chars
        flood = _too_many_chars(len(raw_chars), limits)
        if flood:
            return Quarantined(path, sha, flood[0], flood[1], i)
        chars = [_plumber_char(c) for c in raw_chars]
        rulings = [Ruling(float(ln["x0"]), float(ln["top"]), float(ln["x1"]), float(ln["bottom"])) for ln in p.lines]
        boxes: list[Box] = []
        for r in p.rects:
            x0, top, x1, bottom = float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])
            if min(x1 - x0, bottom - top) <= 2.0:  # a thin rect is drawn as a rule
                rulings.append(Ruling(x0, top, x1, bottom))
            else:
                boxes.append(Box(x0, top, x1, bottom, "rect"))
        image_area = 0.0
        for im in p.images:
            b = Box(float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"]), "image")
            boxes.append(b)
            image_area += (b.x1 - b.x0) * (b.bottom - b.top)
        n_images = len(p.images)
        n_paths = len(p.lines) + len(p.rects) + len(p.curves)
        width, height = float(p.width), float(p.height)
    except Exception as e:
        status = "memory" if isinstance(e, MemoryError) or "allocate" in str(e) else "corrupt"
        return Quarantined(path, sha, status, f"page cannot be parsed: {e}", i)
    finally:
        p.close()
    problem = page_problem(chars, n_images, image_area, width * height, n_paths)
    if problem:
        return Quarantined(path, sha, problem[0], problem[1], i)
    return Page(path, i, width, height, _clean_chars(chars), rulings, boxes, None, sha)


def _extract_pdfplumber(path: str, sha: str, limits: Limits, only: list[int] | None = None) -> ExtractResult:
    """Pages of a PDF read by pdfplumber (all, or the indexes in ``only``)."""
    result = ExtractResult(pages=[])
    with _open_pdfplumber(path) as pdf:
        _check_page_count(len(pdf.pages), limits)
        for i in range(len(pdf.pages)) if only is None else only:
            got = _plumber_page(pdf, i, path, sha, limits)
            (result.pages if isinstance(got, Page) else result.problems).append(got)
    return result


# --------------------------------------------------------------------------
# public entry points
# --------------------------------------------------------------------------


def extract_file(
    path: str | Path, engine: str = "pdfium", limits: Limits = Limits(), ocr: str = "off"
) -> ExtractResult:
    """Readable pages of a file plus its unreadable pages as problems.

    ``ocr`` (auto | off | force) says which pages tasks/ocr.py reads from
    their image instead (``ocr_result``).

    Raises ``UnreadableFile`` when the file as a whole cannot be read, and
    when no page can (the status of the most common page problem).
    """
    path = str(path)
    if path.lower().endswith(".txt"):
        return ExtractResult([read_text_page(path)])
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {ENGINES}")
    sniff_file(path)
    sha = file_sha256(path)
    reader = _extract_pdfium if engine == "pdfium" else _extract_pdfplumber
    result = reader(path, sha, limits)
    if ocr != "off":
        from tasks.ocr import ocr_result

        with _PDFIUM_LOCK:
            result = ocr_result(path, sha, result, ocr)
    if not result.pages and result.problems:
        statuses = [q.status for q in result.problems]
        top = max(set(statuses), key=statuses.count)
        first = next(q for q in result.problems if q.status == top)
        pages = len(result.problems)
        raise UnreadableFile(top, f"no readable page ({statuses.count(top)} of {pages}: {first.reason})")
    return result


def extract_pages(path: str | Path, engine: str = "pdfium", limits: Limits = Limits()) -> list[Page]:
    """Readable pages of a PDF or a plain-text page file; raises ``UnreadableFile``.

    Pages that cannot be read are left out; use ``extract_file`` to see them.
    """
    return extract_file(path, engine, limits).pages


def extract_pdf_pages(path: str | Path) -> list[Page]:
    """Every readable page of a PDF read by pdfplumber (the reference reader)."""
    return extract_pages(path, engine="pdfplumber")


# --------------------------------------------------------------------------
# bounded extraction in a child process
# --------------------------------------------------------------------------


def _pack_page(page: Page) -> tuple:
    """A page as flat columns: pickles ~10x faster than a list of ``Char``."""
    fonts: dict[str, int] = {}
    chars = page.chars
    geo = array("d")
    for c in chars:
        geo.extend((c.x0, c.top, c.x1, c.bottom, c.size))
    font_ix = array("i", (fonts.setdefault(c.fontname, len(fonts)) for c in chars))
    flags = bytes((c.bold << 1) | c.upright for c in chars)
    head = (page.source_file, page.page_index, page.width, page.height, page.rulings, page.boxes,
            page.text_lines, page.sha256, page.ocr)
    return head, [c.text for c in chars], geo.tobytes(), font_ix.tobytes(), list(fonts), flags


def _unpack_page(packed: tuple) -> Page:
    head, texts, geo_b, font_b, fonts, flags = packed
    geo = array("d")
    geo.frombytes(geo_b)
    font_ix = array("i")
    font_ix.frombytes(font_b)
    chars = [
        Char(t, geo[5 * k], geo[5 * k + 1], geo[5 * k + 2], geo[5 * k + 3], geo[5 * k + 4],
             fonts[font_ix[k]], bool(flags[k] & 2), bool(flags[k] & 1))
        for k, t in enumerate(texts)
    ]
    source_file, page_index, width, height, rulings, boxes, text_lines, sha, ocr = head
    return Page(source_file, page_index, width, height, chars, rulings, boxes, text_lines, sha, ocr)


def child_answer(path: str, engine: str, limits: Limits, ocr: str, max_memory_mb: int | None) -> bytes:
    """Read one file inside a guarded child and pickle what the parent gets back:
    ``("ok", packed pages, problems)`` or ``("error", status, reason)``.  Shared by
    the one-shot child (``_child_main``) and the reused reader (``tasks.guard``)."""
    try:
        result = extract_file(path, engine, limits, ocr)
        answer = ("ok", [_pack_page(p) for p in result.pages], result.problems)
    except UnreadableFile as e:
        answer = ("error", e.status, e.reason)
    except MemoryError:
        answer = ("error", "memory", f"reading it needs more than {max_memory_mb} MB of memory")
    except RecursionError:
        answer = ("error", "corrupt", "the PDF nests objects too deeply to read")
    except Exception as e:  # noqa: BLE001 - any reader failure is a quarantine reason
        if "bad_alloc" in str(e):  # a C++ allocation (onnxruntime, OCR) failed under the ceiling
            answer = ("error", "memory", f"reading it needs more than {max_memory_mb} MB of memory")
        else:
            answer = ("error", "corrupt", f"the PDF reader failed: {type(e).__name__}: {e}")
    try:
        return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(("error", "memory", f"the result needs more than {max_memory_mb} MB of memory"))


def _child_main() -> None:
    """Child side of ``extract_file_guarded``: args and answer are pickles on stdin/stdout."""
    import resource

    path, engine, limits, max_memory_mb, ocr = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the answer pipe
    if max_memory_mb:
        cap = int(max_memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    out.write(child_answer(path, engine, limits, ocr, max_memory_mb))
    out.flush()


# how a reader dies when an allocation fails: C++ abort, allocator trap, OOM killer
_OUT_OF_MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGKILL, signal.SIGTRAP, signal.SIGILL}


def _child_failure(returncode: int, stderr: str, max_memory_mb: int) -> UnreadableFile:
    """Why a guarded child ended without an answer."""
    tail = (stderr.strip().splitlines() or [""])[-1][:200]
    if returncode < 0:
        sig = signal.Signals(-returncode)
        if sig in _OUT_OF_MEMORY_SIGNALS:
            return UnreadableFile(
                "memory", f"the reader was killed by {sig.name} under the {max_memory_mb} MB memory limit"
            )
        return UnreadableFile("corrupt", f"the PDF library crashed reading it ({sig.name})")
    if "MemoryError" in tail:
        return UnreadableFile("memory", f"reading it needs more than {max_memory_mb} MB of memory")
    return UnreadableFile("corrupt", f"the reader failed (exit {returncode}): {tail}".rstrip(": "))


def extract_file_guarded(
    path: str | Path,
    engine: str = "pdfium",
    limits: Limits = Limits(),
    timeout_s: float = 60.0,
    max_memory_mb: int = 1024,
    ocr: str = "off",
) -> ExtractResult:
    """``extract_file`` in a child process with bounded time and address space.

    A child that runs out of time is killed (``timeout``); one that runs out
    of memory or dies in the PDF library gives ``memory`` or ``corrupt``.
    Works from daemonic workers too (plain subprocess, not multiprocessing).
    """
    path = str(path)
    sniff_file(path)  # cheap answers need no child
    args = pickle.dumps((path, engine, limits, max_memory_mb, ocr))
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])  # so the child finds ``tasks`` like we did
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from tasks.extract import _child_main; _child_main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        out, err = proc.communicate(args, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise UnreadableFile("timeout", f"reading it took longer than {timeout_s:g} s (killed)") from None
    if proc.returncode != 0 or not out:
        raise _child_failure(proc.returncode, err.decode("utf-8", "replace"), max_memory_mb)
    answer = pickle.loads(out)
    if answer[0] == "ok":
        return ExtractResult([_unpack_page(p) for p in answer[1]], answer[2])
    raise UnreadableFile(answer[1], answer[2])
