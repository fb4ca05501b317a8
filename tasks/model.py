"""Plain data passed between the stages.

Every stage takes and returns these dataclasses; nothing here knows about
PDF libraries, Prefect or DuckDB.  Coordinates are PDF points with the origin
at the top-left of the page (pdfplumber's ``top``/``bottom`` convention).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import Enum

# (x0, top, x1, bottom) in points, origin top-left.
BBox = tuple[float, float, float, float]


def bbox_union(boxes: list[BBox]) -> BBox:
    """Smallest box that holds every box in ``boxes``."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# --------------------------------------------------------------------------
# extract: what is printed on a page
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Char:
    """One glyph with its box and font."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    fontname: str = ""
    bold: bool = False
    upright: bool = True


@dataclass(frozen=True, slots=True)
class Ruling:
    """A drawn straight line (or the long edge of a thin rectangle).

    Newspapers draw these between articles and around boxes.
    """

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class Box:
    """A drawn rectangle or a placed image: photo frames, panels, tints."""

    x0: float
    top: float
    x1: float
    bottom: float
    kind: str = "rect"  # "rect" | "image"


@dataclass(slots=True)
class OcrInfo:
    """How an OCR engine read a page (tasks/ocr.py)."""

    engine: str  # rapidocr
    version: str  # engine and runtime versions
    confidence: float  # mean recognition score of the page's lines, 0..1
    mode: str = "auto"  # the --ocr mode that asked for it
    rotation: int = 0  # degrees the scan was turned clockwise to read it
    lines: list[tuple[BBox, float]] = field(default_factory=list)  # each line's box (points) and score
    reason: str = ""  # why the page was read by OCR


@dataclass(slots=True)
class Page:
    """One printed page as extracted from a file.

    A plain-text page (one line per printed column line, no geometry) has no
    chars and carries its lines in ``text_lines`` instead.
    """

    source_file: str
    page_index: int  # 0-based position inside source_file
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    rulings: list[Ruling] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    text_lines: list[str] | None = None
    sha256: str = ""  # of the source file
    ocr: OcrInfo | None = None  # set when the chars come from OCR, not a text layer


# --------------------------------------------------------------------------
# layout: what a reader sees
# --------------------------------------------------------------------------


class BlockKind(str, Enum):
    HEADLINE = "headline"
    KICKER = "kicker"  # 引题, above the headline
    SUBHEADLINE = "subheadline"  # 副题, below the headline
    BODY = "body"
    BYLINE = "byline"
    CAPTION = "caption"
    PHOTO = "photo"
    TABLE = "table"
    HEADER = "header"  # header band: paper name, date, 第N版, section
    FOOTER = "footer"  # 责任编辑, footer band
    PAGE_NUMBER = "page_number"
    JUMP = "jump"  # （下转第3版） / Continued on A5 / （上接第1版）
    BRIEF_TITLE = "brief_title"  # the title of one item in a brief column


FURNITURE_KINDS = frozenset({BlockKind.HEADER, BlockKind.FOOTER, BlockKind.PAGE_NUMBER})


@dataclass(slots=True)
class Line:
    """A run of chars on one baseline inside one column."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # median font size of its chars
    bold: bool = False
    fontname: str = ""
    # set vertically (char under char, columns right to left): the text is in
    # reading order and the box holds all of its columns
    vertical: bool = False

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(slots=True)
class Column:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(slots=True)
class TextBlock:
    """Lines that belong together: one headline, one body column segment..."""

    kind: BlockKind
    lines: list[Line]
    page_index: int = 0
    column: int | None = None
    article: int | None = None  # article group on this page; None for furniture

    @property
    def bbox(self) -> BBox:
        return bbox_union([ln.bbox for ln in self.lines])

    @property
    def text(self) -> str:
        """The original text, one printed line per line."""
        return "\n".join(ln.text for ln in self.lines)


@dataclass(slots=True)
class PageLayout:
    """A page read as a reader reads it: blocks in reading order."""

    source_file: str
    page_index: int
    width: float
    height: float
    blocks: list[TextBlock]
    columns: list[Column] = field(default_factory=list)
    page_number: int | None = None  # printed page number (第N版 / A5) when found
    header_text: str = ""  # the header band as printed, for dates and paper names
    sha256: str = ""
    has_geometry: bool = True  # False for plain-text pages
    ocr: OcrInfo | None = None  # the page was read by OCR (see Page.ocr)


# --------------------------------------------------------------------------
# segment and tag: what an analyst filters on
# --------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    name: str
    role: str  # reporter | correspondent | intern | photographer | illustrator | writer | agency | source | editor | author | mentioned
    # 文/图 (text and photo by one person) is two rows: writer and photographer
    title: str = ""  # 管委会主任, "Staff Writer"


@dataclass(slots=True)
class Tag:
    kind: str  # person | organization | place | topic | keyword
    value: str
    score: float = 1.0


@dataclass(slots=True)
class Article:
    publication: str
    edition_date: dt.date
    paragraphs: list[str]
    headline: str = ""
    subheadline: str = ""
    kicker: str = ""
    byline: str = ""
    dateline: str = ""  # the dateline lead as printed: 本报讯 3月28日 / BEIJING, Jan. 1 —
    dateline_date: dt.date | None = None
    dateline_place: str = ""
    page_numbers: list[int] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)
    boxes: list[tuple[int, BBox]] = field(default_factory=list)  # (page_number, bbox)
    raw_text: str = ""  # original block text, line breaks kept
    captions: list[str] = field(default_factory=list)  # its photos' captions as printed (photo credits in them)
    language: str = ""  # zh | en | mixed
    script: str = ""  # simplified | traditional | latin
    kind: str = "article"  # article | brief
    jump_to: int | None = None  # page the article continues on
    jump_from: int | None = None
    sequence: int = 0  # reading order of its first block within its first page
    people: list[Person] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    ocr_confidence: float | None = None  # mean score of the OCR lines inside its boxes; None: text layer

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def article_id(self) -> str:
        """Stable id: the same edition read again gives the same ids."""
        first_page = self.page_numbers[0] if self.page_numbers else 0
        key = f"{self.publication}|{self.edition_date.isoformat()}|{first_page}|{self.sequence}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Quarantined:
    """A file (or page) that could not be read, and why."""

    path: str
    sha256: str
    status: str  # quarantined | needs_ocr | ...
    reason: str
    page_index: int | None = None


@dataclass(slots=True)
class Edition:
    """Everything one run made of one edition, ready to load."""

    publication: str
    edition_date: dt.date
    pages: list[PageLayout]
    articles: list[Article]
    quarantined: list[Quarantined] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256) of every input file
    date_source: str = ""  # option | path | header
    date_warning: str = ""  # the page headers print another date than the edition's (see pipeline)
