"""A small newspaper typesetter over reportlab's canvas.

Pages are planned as plain draw items (text lines, rectangles, rules) with
top-left coordinates, then rendered.  Planning is pure so the corpus can ask
"what fits here?" before anything is drawn, and the ground truth is written
from the very lines that are set.

Chinese body text is set on a character grid (two-character first-line
indent, justified lines, a short last line, closing punctuation squeezed
onto the line instead of starting the next one).  English text is word
wrapped and justified with real hyphenation of long words at line ends.
Fonts are reportlab built-ins (STSong-Light, the 14 standard fonts); a
DejaVu TrueType font is used for English variety, and WenQuanYi Zen Hei
(Debian fonts-wqy-zenhei) is drawn for Chinese headlines, when the machine has
them and ``BROADSHEET_SYSTEM_FONTS=1`` is set.  Off by default: DejaVu's
metrics set other English line breaks, so the default corpus is the same on
every machine (Zen Hei is measured as STSong and changes no text).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

ZH_FONT = "STSong-Light"
ZH_HEI_FACE = "WenQuanYiZenHei"  # drawn for Chinese display type when installed; measured as STSong
NO_LINE_START = set("，。、；：？！）》」』”’…—·%．,.;:?!)")
NO_LINE_END = set("（《「『“‘(")
VOWELS = set("aeiouy")

_registered = False
_optional_fonts: dict[str, str] = {}

OPTIONAL_TTF = {
    "DejaVuSerif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "DejaVuSans-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ZH_HEI_FACE: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian fonts-wqy-zenhei
}


def register_fonts() -> None:
    """Register STSong-Light and any optional TrueType fonts found on disk."""
    global _registered
    if _registered:
        return
    pdfmetrics.registerFont(UnicodeCIDFont(ZH_FONT))
    if os.environ.get("BROADSHEET_SYSTEM_FONTS"):  # opt-in: metrics change what fits on a page
        from reportlab.pdfbase.ttfonts import TTFont

        for name, path in OPTIONAL_TTF.items():
            if Path(path).exists():
                try:
                    if path.endswith(".ttc"):
                        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
                    else:
                        pdfmetrics.registerFont(TTFont(name, path))
                    _optional_fonts[name] = path
                except Exception:  # a broken font file: fall back to built-ins
                    pass
    _registered = True


def font_or(name: str, fallback: str) -> str:
    """``name`` when that optional font is registered, else ``fallback``."""
    register_fonts()
    return name if name in _optional_fonts else fallback


# --------------------------------------------------------------------------
# draw items
# --------------------------------------------------------------------------


@dataclass(slots=True)
class TextItem:
    """One printed line. ``top`` is the top of the em box; the baseline sits at 0.88 em."""

    text: str
    x: float
    top: float
    font: str
    size: float
    char_space: float = 0.0
    word_space: float = 0.0
    fake_bold: bool = False  # fill+stroke: a heavier look from a regular face
    # a face drawn instead of ``font`` when installed (and opted in); lines are always
    # measured with ``font``, so the text and its line breaks never depend on the machine
    face: str = ""
    role: str = ""  # what the line is (headline, kicker, subheadline, body ...): for checks, never drawn
    owner: str = ""  # the article key whose part this line is set in (empty: furniture, ads)

    @property
    def width(self) -> float:
        n = len(self.text)
        return text_width(self.text, self.font, self.size) + self.char_space * max(n - 1, 0) + \
            self.word_space * self.text.count(" ")

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        # padded: fonts place the em box differently around the baseline
        return (self.x, self.top - 0.12 * self.size, self.x + self.width, self.top + 1.12 * self.size)


@dataclass(slots=True)
class RectItem:
    x0: float
    top: float
    x1: float
    bottom: float
    fill_gray: float | None = None  # 0 black .. 1 white; None: not filled
    stroke: bool = True
    line_width: float = 0.8

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(slots=True)
class RuleItem:
    x0: float
    top: float
    x1: float
    bottom: float
    line_width: float = 0.6

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(slots=True)
class ImageItem:
    """A placed raster: a small grey gradient standing in for a news photo."""

    x0: float
    top: float
    x1: float
    bottom: float
    shade: int = 0  # varies the gradient

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


DrawItem = TextItem | RectItem | RuleItem | ImageItem


def _photo_raster(shade: int):
    from PIL import Image

    w, h = 24, 16
    img = Image.new("L", (w, h))
    img.putdata([(40 + (x * 7 + y * 11 + shade * 13) % 180) for y in range(h) for x in range(w)])
    return img


# STSong-Light drops U+00B7 on extraction; its U+30FB glyph reads back as U+00B7.
_CID_SUBSTITUTES = {"\u00b7": "\u30fb"}


def printable(text: str, font: str) -> str:
    """The string to draw so that extraction gives back ``text``."""
    if font == ZH_FONT and any(ch in text for ch in _CID_SUBSTITUTES):
        return "".join(_CID_SUBSTITUTES.get(ch, ch) for ch in text)
    return text


def text_width(text: str, font: str, size: float) -> float:
    return stringWidth(printable(text, font), font, size)


def render_page(c: rl_canvas.Canvas, width: float, height: float, items: list[DrawItem]) -> None:
    """Draw ``items`` on the current page of ``c`` and end the page."""
    register_fonts()
    c.setPageSize((width, height))
    for it in items:
        if isinstance(it, TextItem):
            # the render mode is graphics state that reportlab never resets: a fake-bold
            # headline is drawn inside save/restore so the text after it is filled only
            c.saveState()
            t = c.beginText()
            t.setFont(it.face if it.face in _optional_fonts else it.font, it.size)
            t.setCharSpace(it.char_space)
            t.setWordSpace(it.word_space)
            if it.fake_bold:
                t.setTextRenderMode(2)
                c.setLineWidth(it.size * 0.03)
            t.setTextOrigin(it.x, height - (it.top + 0.88 * it.size))
            t.textOut(printable(it.text, it.font))
            c.drawText(t)
            c.restoreState()
        elif isinstance(it, ImageItem):
            from reportlab.lib.utils import ImageReader

            c.drawImage(ImageReader(_photo_raster(it.shade)), it.x0, height - it.bottom, it.x1 - it.x0,
                        it.bottom - it.top)
            c.setLineWidth(0.5)
            c.rect(it.x0, height - it.bottom, it.x1 - it.x0, it.bottom - it.top, stroke=1, fill=0)
        elif isinstance(it, RectItem):
            c.setLineWidth(it.line_width)
            if it.fill_gray is not None:
                c.setFillGray(it.fill_gray)
            c.rect(it.x0, height - it.bottom, it.x1 - it.x0, it.bottom - it.top,
                   stroke=1 if it.stroke else 0, fill=1 if it.fill_gray is not None else 0)
            c.setFillGray(0)
        else:
            c.setLineWidth(it.line_width)
            c.line(it.x0, height - it.top, it.x1, height - it.bottom)
    c.showPage()


def write_pdf(path: str | Path, pages: list[tuple[float, float, list[DrawItem]]]) -> None:
    """One PDF holding ``pages``; invariant so the same input gives the same bytes."""
    register_fonts()
    c = rl_canvas.Canvas(str(path), pagesize=(pages[0][0], pages[0][1]), invariant=1, pageCompression=1)
    c.setAuthor("broadsheet corpus")
    c.setTitle(Path(path).stem)
    for w, h, items in pages:
        render_page(c, w, h, items)
    c.save()


# --------------------------------------------------------------------------
# line breaking
# --------------------------------------------------------------------------


@dataclass(slots=True)
class LineSpan:
    """A line of a paragraph: chars [start, end) of it, printed as ``text``."""

    start: int
    end: int
    text: str
    indent: float  # points
    last: bool  # last line of the paragraph: set ragged, not justified


def wrap_zh(text: str, width: float, font: str, size: float, indent_chars: float = 2.0,
            first_indent: bool = True) -> list[LineSpan]:
    """Break Chinese text into lines of ``width`` points, char by char."""
    spans: list[LineSpan] = []
    i, n = 0, len(text)
    first = True
    while i < n:
        indent = indent_chars * size if (first and first_indent) else 0.0
        avail = width - indent
        w, j = 0.0, i
        while j < n:
            cw = text_width(text[j], font, size)
            if w + cw > avail + 0.01:
                break
            w += cw
            j += 1
        if j == i:
            j = i + 1
        if j < n and text[j] in NO_LINE_START:  # squeeze closing punctuation onto this line
            j += 1
            if j < n and text[j] in NO_LINE_START and text[j - 1] in "。？！，":
                j += 1
        elif j < n and j - i > 2 and text[j - 1] in NO_LINE_END:
            j -= 1  # an opening bracket goes to the next line
        spans.append(LineSpan(i, j, text[i:j], indent, j >= n))
        i = j
        first = False
    return spans


def hyphen_points(word: str) -> list[int]:
    """Where a plain lowercase word may be hyphenated: between two consonants
    before a vowel (inter-national, govern-ment), keeping 3+ letters each side."""
    if len(word) < 7 or not word.isalpha() or not word.islower():
        return []
    pts = []
    for k in range(3, len(word) - 2):
        a, b, nxt = word[k - 1], word[k], word[k + 1]
        if a in VOWELS or b in VOWELS or nxt not in VOWELS or not VOWELS & set(word[: k - 1]):
            continue
        if a + b in _KEEP_TOGETHER or a == "w" or word[k + 1:].rstrip("s") in ("e", "ed", "es", "le", "er", "y"):
            continue
        pts.append(k)
    return pts


# consonant pairs that are one sound or one onset: never split between them
_KEEP_TOGETHER = frozenset({"ch", "ph", "sh", "th", "wh", "gh", "ck", "qu", "ng", "bl", "br", "cl", "cr", "dr",
                            "fl", "fr", "gl", "gr", "pl", "pr", "tr", "sc", "sk", "sp", "st", "wr"})


def _split_word(word: str) -> tuple[str, str]:
    """Leading punctuation-free core and trailing punctuation of a token."""
    core = word.rstrip(".,;:!?\"”’)")
    return core, word[len(core):]


def wrap_en(text: str, width: float, font: str, size: float, indent: float = 0.0,
            first_indent: bool = True) -> list[LineSpan]:
    """Word-wrap English text, hyphenating long words (and breaking after a
    hard hyphen: long-/term) when that fills a line better."""
    space = text_width(" ", font, size)
    spans: list[LineSpan] = []
    pos = 0
    n = len(text)
    first = True
    while pos < n:
        ind = indent if (first and first_indent) else 0.0
        avail = width - ind
        start = pos
        printed = ""
        w = 0.0
        while pos < n:
            nxt = text.find(" ", pos)
            nxt = n if nxt < 0 else nxt
            word = text[pos:nxt]
            ww = text_width(word, font, size)
            add = ww + (space if printed else 0.0)
            if w + add <= avail + 0.01:
                printed += (" " if printed else "") + word
                w += add
                pos = nxt + 1 if nxt < n else n
                continue
            # try to break the word
            left = avail - w - (space if printed else 0.0)
            best: tuple[str, int] | None = None
            core, _ = _split_word(word)
            cands: list[tuple[str, int]] = []
            for k in hyphen_points(core):
                cands.append((core[:k] + "-", k))
            for k, ch in enumerate(core):
                if ch == "-" and 2 <= k < len(core) - 2:
                    cands.append((core[:k + 1], k + 1))
            for piece, k in cands:
                if text_width(piece, font, size) <= left + 0.01 and (best is None or k > best[1]):
                    best = (piece, k)
            if best is not None and (printed == "" or left > avail * 0.18):
                printed += (" " if printed else "") + best[0]
                pos = pos + best[1]
            elif printed == "":  # a word longer than the line: put it alone
                printed = word
                pos = nxt + 1 if nxt < n else n
            break
        end = pos if pos >= n or text[pos - 1] != " " else pos - 1
        spans.append(LineSpan(start, end, printed, ind, pos >= n))
        first = False
    return spans


def justified(span: LineSpan, x: float, top: float, width: float, font: str, size: float,
              lang: str, align: str = "justify") -> TextItem:
    """A TextItem for one line; justified unless it is the last of its paragraph."""
    natural = text_width(span.text, font, size)
    avail = width - span.indent
    item = TextItem(span.text, x + span.indent, top, font, size)
    if align == "right":
        item.x = x + width - natural
        return item
    extra = avail - natural
    if (span.last or align != "justify") and extra >= 0:
        return item
    if lang == "zh":
        if len(span.text) > 1:
            item.char_space = extra / (len(span.text) - 1)
    else:
        gaps = span.text.count(" ")
        if gaps and extra < avail * 0.3:
            item.word_space = extra / gaps
    return item


# --------------------------------------------------------------------------
# page specification
# --------------------------------------------------------------------------


@dataclass(slots=True)
class PageStyle:
    """The typographic look of one page."""

    language: str  # zh | en
    body_font: str
    body_size: float
    leading: float  # baseline to baseline
    headline_font: str
    headline_fake_bold: bool
    caption_font: str
    caption_size: float
    brief_title_font: str
    header_font: str
    headline_align: str = "left"  # left | center
    header_variant: int = 0  # 0 name left; 1 name centred; 2 name right (inside pages)


@dataclass(slots=True)
class Header:
    paper_name: str
    date_text: str  # 2022年4月6日 星期三
    page_label: str  # 第1版 / A1
    section: str

    @property
    def text(self) -> str:
        return " ".join(s for s in (self.paper_name, self.date_text, self.page_label, self.section) if s)


@dataclass(slots=True)
class Photo:
    ncols: int  # how many body columns the photo spans (from the left of the module)
    height: float
    fill_gray: float | None  # grey-filled or just a stroked frame
    caption: str
    image: bool = False  # a placed raster instead of a drawn rectangle


@dataclass(slots=True)
class Jump:
    """A jump line: ``out`` at the end of a part, ``into`` at the start of a continuation."""

    text: str  # （下转第3版） / Continued on Page A5 / （上接第1版）
    page: int


@dataclass(slots=True)
class Placement:
    """One article part given a module (rectangle) of the page."""

    key: str  # article id in the truth
    kind: str  # article | continuation | briefs
    x0: float
    top: float
    x1: float
    bottom: float
    columns: list[tuple[float, float]]  # body column x ranges, left to right
    column_bottoms: list[float] | None = None  # per-column bottoms (an L-shaped body)
    kicker: str = ""
    headline: str = ""
    headline_size: float = 24.0
    subheadline: str = ""
    byline: str = ""
    byline_extra: str = ""
    byline_position: str = "end_line"
    byline_printed: str = ""  # the credit as set when it differs from ``byline`` (（峤聿） for 峤聿)
    paragraphs: list[str] = field(default_factory=list)
    first_continues: bool = False  # first paragraph is the rest of one begun on another page
    photo: Photo | None = None
    jump_out: Jump | None = None
    jump_in: Jump | None = None
    briefs: list[tuple[str, str, str]] = field(default_factory=list)  # (key, title, text)
    brief_heading: str = ""
    brief_runin: bool = False  # Chinese 【title】 run into the text instead of a title line


@dataclass(slots=True)
class SetPart:
    """What of one article was actually set in one placement."""

    key: str
    paragraphs: list[str]  # text set here, per paragraph piece
    first_continues: bool
    last_complete: bool  # the last piece ends its paragraph
    remaining: list[str]  # paragraphs (first maybe partial) that did not fit
    bbox: tuple[float, float, float, float]
    items: list[DrawItem]
    byline_set: bool
    caption_set: str = ""
    regions: list[tuple[float, float, float, float]] = field(default_factory=list)  # tight pieces of bbox
    spare_lines: int = 0  # body line positions of the module left empty


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


HEADLINE_MIN_RATIO = 1.3  # a headline is never set smaller than this many times the body size
HEADLINE_MAX_SQUEEZE = 0.9  # a one-line headline may be set this much smaller to stay on one line


def _display_break(text: str, width: float, font: str, size: float, lang: str) -> list[str]:
    """Lines of display type no wider than ``width`` (where that is possible):
    Chinese broken at its spaces, then evenly between characters; English
    between words, the lines balanced.  Never hyphenated."""
    if text_width(text, font, size) <= width + 0.01:
        return [text]
    if lang == "zh":
        lines: list[str] = []
        for part in text.split(" "):
            lines += _balanced_zh(part, width, font, size)
        return lines
    words = text.split(" ")
    greedy = _greedy_words(words, width, font, size)
    # balance: the narrowest width that still gives as many lines
    lo, hi = max(text_width(w, font, size) for w in words), width
    for _ in range(12):
        mid = (lo + hi) / 2
        if len(_greedy_words(words, mid, font, size)) <= len(greedy):
            hi = mid
        else:
            lo = mid
    return _greedy_words(words, hi, font, size)


def _greedy_words(words: list[str], width: float, font: str, size: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for w in words:
        cand = f"{cur} {w}" if cur else w
        if cur and text_width(cand, font, size) > width + 0.01:
            lines.append(cur)
            cur = w
        else:
            cur = cand
    lines.append(cur)
    return lines


def _balanced_zh(text: str, width: float, font: str, size: float) -> list[str]:
    """Chinese display text in as few lines as fit ``width``, their lengths even
    (closing punctuation kept on the line before)."""
    if text_width(text, font, size) <= width + 0.01:
        return [text]
    n_lines = len(wrap_zh(text, width, font, size, 0.0, False))
    per = -(-len(text) // n_lines)
    for target in range(per, len(text) + 1):
        spans = wrap_zh(text, min(width, text_width(text[:target], font, size)), font, size, 0.0, False)
        if len(spans) <= n_lines:
            return [sp.text for sp in spans]
    return [sp.text for sp in wrap_zh(text, width, font, size, 0.0, False)]


def _two_line_size(text: str, width: float, font: str, lang: str) -> float:
    """The largest size at which ``text`` could fill at most two lines of ``width``:
    a narrow module gets a smaller headline (which may still wrap further)."""
    if lang == "zh":
        parts = text.split(" ")  # a two-part headline sets a part a line
        chars = max(len(pt) for pt in parts) if len(parts) > 1 else -(-len(text) // 2)
        return width / max(chars, 6)
    return 2 * width / (text_width(text, font, 1.0) * 1.15)


def _headline_lines(text: str, width: float, font: str, size: float, lang: str,
                    min_size: float = 0.0) -> tuple[list[str], float]:
    """Lines and size of a headline (or kicker, subheadline) in ``width``.

    A line a little too long is set slightly smaller (down to
    HEADLINE_MAX_SQUEEZE, never under ``min_size``); a longer one is wrapped
    over as many lines as it needs at its size.  Only a single word wider
    than the module makes the type smaller, and never under ``min_size``."""
    w = text_width(text, font, size)
    if w <= width:
        return [text], size
    squeezed = size * width / w * 0.99
    if squeezed >= max(size * HEADLINE_MAX_SQUEEZE, min_size):
        return [text], squeezed
    lines = _display_break(text, width, font, size, lang)
    longest = max(text_width(ln, font, size) for ln in lines)
    if longest > width:
        size = max(min_size, size * width / longest * 0.99)
    return lines, size


def _wrap(lang: str, text: str, width: float, style: PageStyle, first_indent: bool) -> list[LineSpan]:
    if lang == "zh":
        return wrap_zh(text, width, style.body_font, style.body_size, 2.0, first_indent)
    return wrap_en(text, width, style.body_font, style.body_size, style.body_size * 1.0, first_indent)


def balanced_slots(col_slots: list[list[tuple[float, float]]], need: int, size: float) -> list[tuple[float, float]]:
    """Line positions in flow order, columns balanced: the lowest common depth
    that holds ``need`` lines (every slot when they do not all fit)."""
    flat = [s for col in col_slots for s in col]
    if need >= len(flat) or not flat:
        return flat
    tops = sorted({round(t + size, 3) for _, t in flat})
    for depth in tops:
        chosen = [s for col in col_slots for s in col if s[1] + size <= depth + 0.001]
        if len(chosen) >= need:
            return chosen
    return flat


def _aligned(text: str, x0: float, width: float, font: str, size: float, align: str) -> float:
    if align == "center":
        return x0 + max(0.0, (width - text_width(text, font, size)) / 2)
    return x0


def plan_top_matter(p: Placement, style: PageStyle) -> tuple[list[DrawItem], float]:
    """Kicker, headline, subheadline (and English byline) at the top of a module.
    Returns the items and the y where the body starts."""
    lang = style.language
    items: list[DrawItem] = []
    y = p.top
    width = p.x1 - p.x0
    floor = style.body_size * HEADLINE_MIN_RATIO
    if p.kind == "continuation":
        size = max(style.body_size * 1.6, p.headline_size * 0.55)
        lines, size = _headline_lines(p.headline, width, style.headline_font, size, lang, floor)
        for ln in lines:
            items.append(TextItem(ln, p.x0, y, style.headline_font, size, fake_bold=style.headline_fake_bold,
                                  role="headline"))
            y += size * 1.15
        y += style.body_size * 0.4
        if p.jump_in is not None:
            items.append(TextItem(p.jump_in.text, p.x0, y, style.body_font, style.body_size, role="jump"))
            y += style.leading
        return items, y
    # display sizes rank: body < kicker, subheadline < headline (a headline wraps rather than shrinks)
    hsize = max(min(p.headline_size, _two_line_size(p.headline, width, style.headline_font, lang)), floor)
    minor = (style.body_size * 1.12, hsize * 0.5)  # a kicker or subheadline: half the headline, above body
    if p.kicker:
        ks = max(minor)
        lines, ks = _headline_lines(p.kicker, width, style.body_font, ks, lang, ks)
        for ln in lines:
            items.append(TextItem(ln, _aligned(ln, p.x0, width, style.body_font, ks, style.headline_align), y,
                                  style.body_font, ks, role="kicker"))
            y += ks * 1.25
    lines, hs = _headline_lines(p.headline, width, style.headline_font, hsize, lang, max(floor, hsize * 0.85))
    for ln in lines:
        items.append(TextItem(ln, _aligned(ln, p.x0, width, style.headline_font, hs, style.headline_align), y,
                              style.headline_font, hs, fake_bold=style.headline_fake_bold,
                              face=ZH_HEI_FACE if lang == "zh" else "", role="headline"))
        y += hs * 1.15
    if p.subheadline:
        sfont = style.body_font if lang == "zh" else "Times-Italic"
        ss = max(minor)
        lines, ss = _headline_lines(p.subheadline, width, sfont, ss, lang, ss)
        y += ss * 0.15
        for ln in lines:
            items.append(TextItem(ln, _aligned(ln, p.x0, width, sfont, ss, style.headline_align), y, sfont, ss,
                                  role="subheadline"))
            y += ss * 1.25
    y += style.body_size * 0.6
    if p.byline and p.byline_position == "under_headline":
        bfont = "Helvetica-Bold" if lang == "en" else style.body_font
        bstyle = replace(style, body_font=bfont, body_size=style.body_size * 0.95)
        for ln in _byline_lines(p.byline, p.columns[0][1] - p.columns[0][0] if len(p.columns) == 1 else width, bstyle):
            items.append(TextItem(ln, p.x0, y, bfont, bstyle.body_size, role="byline"))
            y += style.leading
        if p.byline_extra:
            items.append(TextItem(p.byline_extra, p.x0, y, "Helvetica" if lang == "en" else style.body_font,
                                  style.body_size * 0.85))
            y += style.leading
        y += style.body_size * 0.3
    return items, y


def plan_placement(p: Placement, style: PageStyle) -> SetPart:
    """Plan one module: top matter, photo and caption, then the body flowing
    column by column (and around the photo); whatever does not fit is returned
    as ``remaining``."""
    if p.kind == "briefs":
        raise ValueError("brief columns are planned by plan_brief_items")
    lang = style.language
    items, body_top = plan_top_matter(p, style)
    n_top = len(items)
    col_w = p.columns[0][1] - p.columns[0][0]
    photo_items, col_tops, caption_set = _plan_photo(p, style, body_top)
    items += photo_items
    n_photo = len(items)
    col_slots = _column_slots(p, style, col_tops)
    # tail lines reserved at the end: byline, jump
    tail: list[tuple[str, str]] = []
    printed = p.byline_printed or p.byline
    if p.byline and p.byline_position == "end_line":
        tail += [("byline", ln) for ln in _byline_lines(printed, col_w, style)]
    if p.jump_out is not None:  # broken at spaces when wider than the column (See INTERNATIONAL, / Page A3)
        tail += [("jump", ln) for ln in _jump_lines(p.jump_out.text, col_w, style)]
    # wrap paragraphs
    wrapped: list[list[LineSpan]] = []
    for i, para in enumerate(p.paragraphs):
        wrapped.append(_wrap(lang, para, col_w, style, first_indent=not (i == 0 and p.first_continues)))
    appended = p.byline and p.byline_position == "end_appended"
    total = sum(len(w) for w in wrapped)
    slots = balanced_slots(col_slots, total + len(tail) + (1 if appended else 0), style.body_size)
    capacity = len(slots) - len(tail) - (1 if appended else 0)
    set_pars, remaining, last_complete, wrapped = _fit_lines(p.paragraphs, wrapped, capacity)
    # place lines
    k = 0
    byline_set = False
    boxes: list[tuple[float, float, float, float]] = [it.bbox for it in items]
    for i, spans in enumerate(wrapped):
        for j, sp in enumerate(spans):
            x, top = slots[k]
            k += 1
            is_last_piece = (i == len(wrapped) - 1 and j == len(spans) - 1)
            if is_last_piece and not last_complete:
                sp = LineSpan(sp.start, sp.end, sp.text, sp.indent, False)  # cut mid-paragraph: justify
            it = justified(sp, x, top, col_w, style.body_font, style.body_size, lang)
            it.role = "body"
            items.append(it)
            boxes.append(it.bbox)
            if is_last_piece and appended and last_complete and not remaining:
                room = col_w - (it.x - x) - it.width
                bw = text_width(printed, style.body_font, style.body_size)
                if room >= bw + style.body_size * 1.5:
                    bi = TextItem(printed, x + col_w - bw, top, style.body_font, style.body_size, role="byline")
                    items.append(bi)
                    boxes.append(bi.bbox)
                    byline_set = True
    if appended and not byline_set and not remaining and k < len(slots):
        x, top = slots[k]
        k += 1
        bw = text_width(printed, style.body_font, style.body_size)
        if bw <= col_w:  # too long for a line of its own: left out, and the truth says so
            bi = TextItem(printed, x + col_w - bw, top, style.body_font, style.body_size, role="byline")
            items.append(bi)
            boxes.append(bi.bbox)
            byline_set = True
    for kind, text in tail:
        if kind == "byline" and remaining:
            continue
        if k >= len(slots):
            break
        x, top = slots[k]
        k += 1
        tw = text_width(text, style.body_font, style.body_size)
        if kind == "byline":
            xx = x + (col_w - tw if lang == "zh" and tw < col_w * 0.7 else
                      min(style.body_size * 2, col_w - tw) if lang == "zh" else 0)
            byline_set = True
        else:
            xx = x + col_w - tw
        ti = TextItem(text, xx, top, style.body_font, style.body_size, role=kind)
        items.append(ti)
        boxes.append(ti.bbox)
    if p.byline_position in ("under_headline", "in_dateline") and p.byline:
        byline_set = True
    for it in items:
        if isinstance(it, TextItem):
            it.owner = p.key
    spare = sum(len(c) for c in col_slots) - k
    return SetPart(p.key, set_pars, p.first_continues, last_complete, remaining, _union(boxes), items,
                   byline_set, caption_set, _regions(items, n_top, n_photo, p.columns), spare)


def _plan_photo(p: Placement, style: PageStyle, body_top: float) -> tuple[list[DrawItem], list[float], str]:
    """Photo and caption over the module's first columns; returns them, where each
    column's body now starts, and the caption set."""
    col_tops = [body_top] * len(p.columns)
    if p.photo is None or p.photo.ncols > len(p.columns):
        return [], col_tops, ""
    lang = style.language
    items: list[DrawItem] = []
    px0, px1 = p.columns[0][0], p.columns[p.photo.ncols - 1][1]
    cap_lines = wrap_zh(p.photo.caption, px1 - px0, style.caption_font, style.caption_size, 0, False) \
        if lang == "zh" else wrap_en(p.photo.caption, px1 - px0, style.caption_font, style.caption_size, 0, False)
    # photo and caption stay inside the module, with room for two body lines under them
    bottom = min(p.column_bottoms[:p.photo.ncols]) if p.column_bottoms else p.bottom
    room = bottom - body_top - style.caption_size * (0.5 + 1.3 * len(cap_lines)) - style.leading * 2.6
    height = min(p.photo.height, room)
    if height < 30:
        return [], col_tops, ""
    if p.photo.image:
        items.append(ImageItem(px0, body_top, px1, body_top + height, len(p.photo.caption)))
    else:
        items.append(RectItem(px0, body_top, px1, body_top + height, p.photo.fill_gray))
    cy = body_top + height + style.caption_size * 0.5
    for sp in cap_lines:
        sp.last = True
        cap = justified(sp, px0, cy, px1 - px0, style.caption_font, style.caption_size, lang, "left")
        cap.role = "caption"
        items.append(cap)
        cy += style.caption_size * 1.3
    for k in range(p.photo.ncols):
        col_tops[k] = cy + style.leading * 0.6
    return items, col_tops, p.photo.caption


def _column_slots(p: Placement, style: PageStyle, col_tops: list[float]) -> list[list[tuple[float, float]]]:
    """Every line position (x, top) of each body column, top to bottom."""
    bottoms = list(p.column_bottoms) if p.column_bottoms else [p.bottom] * len(p.columns)
    col_slots: list[list[tuple[float, float]]] = []
    for k, (cx0, _cx1) in enumerate(p.columns):
        y = col_tops[k]
        col_slots.append([])
        while y + style.body_size <= bottoms[k] + 0.01:
            col_slots[-1].append((cx0, y))
            y += style.leading
    return col_slots


def _fit_lines(paragraphs: list[str], wrapped: list[list[LineSpan]],
               capacity: int) -> tuple[list[str], list[str], bool, list[list[LineSpan]]]:
    """The paragraphs (pieces) whose lines fit in ``capacity`` lines.

    Returns (set paragraphs, remaining paragraphs with the cut one's rest first,
    whether the last set piece ends its paragraph, the set lines)."""
    if sum(len(w) for w in wrapped) <= capacity:
        return list(paragraphs), [], True, wrapped
    set_pars: list[str] = []
    used = 0
    for i, spans in enumerate(wrapped):
        if used + len(spans) <= capacity:
            set_pars.append(paragraphs[i])
            used += len(spans)
            continue
        fit = capacity - used
        if fit <= 0:
            return set_pars, list(paragraphs[i:]), True, wrapped[:i]
        cut = spans[fit - 1].end
        set_pars.append(paragraphs[i][:cut])
        rest = paragraphs[i][cut:].lstrip(" ")
        return set_pars, [rest] + list(paragraphs[i + 1:]), False, wrapped[:i] + [spans[:fit]]
    return set_pars, [], True, wrapped


def _regions(items: list[DrawItem], n_top: int, n_photo: int,
             columns: list[tuple[float, float]]) -> list[tuple[float, float, float, float]]:
    """Tight boxes of a part: top matter, photo with caption, and each body column."""
    out = []
    if n_top:
        out.append(_union([it.bbox for it in items[:n_top]]))
    if n_photo > n_top:
        out.append(_union([it.bbox for it in items[n_top:n_photo]]))
    for cx0, cx1 in columns:
        col = [it.bbox for it in items[n_photo:] if isinstance(it, TextItem) and cx0 - 1 <= it.x <= cx1]
        if col:
            out.append(_union(col))
    return out


def _jump_lines(text: str, width: float, style: PageStyle) -> list[str]:
    """A jump line, broken before its page reference when wider than the column
    (See INTERNATIONAL, / Page A3), else at spaces."""
    if text_width(text, style.body_font, style.body_size) <= width:
        return [text]
    head, sep, page = text.rpartition(", ")
    if sep and page.startswith("Page") and all(text_width(t, style.body_font, style.body_size) <= width
                                               for t in (head + ",", page)):
        return [head + ",", page]
    return _byline_lines(text, width, style)


def _byline_lines(byline: str, width: float, style: PageStyle) -> list[str]:
    """A byline on one line, or broken at spaces when it is wider than the column
    (and always at a "\n" between credit lines)."""
    if "\n" in byline:
        return [ln for part in byline.split("\n") for ln in _byline_lines(part, width, style)]
    if text_width(byline, style.body_font, style.body_size) <= width:
        return [byline]
    lines: list[str] = []
    cur = ""
    for word in byline.split(" "):
        cand = f"{cur} {word}" if cur else word
        if cur and text_width(cand, style.body_font, style.body_size) > width:
            lines.append(cur)
            cur = word
        else:
            cur = cand
    lines.append(cur)
    return lines


@dataclass(slots=True)
class BriefSet:
    key: str
    title: str
    text: str
    bbox: tuple[float, float, float, float]


def _bold_prefix(it: TextItem, n: int) -> list[TextItem]:
    """Split a set line so its first ``n`` chars print heavier (a run-in title)."""
    if n >= len(it.text):
        return [replace(it, fake_bold=True)]
    head = replace(it, text=it.text[:n], fake_bold=True)
    tail_x = it.x + text_width(head.text, it.font, it.size) + it.char_space * n
    return [head, replace(it, text=it.text[n:], x=tail_x)]


def plan_brief_items(p: Placement, style: PageStyle) -> tuple[list[DrawItem], list[BriefSet]]:
    """Lay out a brief column; items that do not fit whole are left out."""
    lang = style.language
    items: list[DrawItem] = []
    y = p.top
    hs = style.body_size * 1.6
    items.append(RectItem(p.x0, y, p.x1, y + hs * 1.5, 0.85, stroke=False))
    items.append(TextItem(p.brief_heading, p.x0 + hs * 0.4, y + hs * 0.25, style.headline_font, hs,
                          fake_bold=style.headline_fake_bold))
    y += hs * 1.5 + style.leading * 0.6
    col_w = p.columns[0][1] - p.columns[0][0]
    slots: list[tuple[float, float]] = []
    for cx0, _ in p.columns:
        yy = y
        while yy + style.body_size <= p.bottom + 0.01:
            slots.append((cx0, yy))
            yy += style.leading
    done: list[BriefSet] = []
    k = 0
    ts = style.body_size * 1.1
    runin = p.brief_runin and lang == "zh"
    for key, title, text in p.briefs:
        if runin:  # 【title】 in bold, run into the first line of the text
            tspans = []
            bold_n = len(title) + 2
            bspans = _wrap(lang, f"【{title}】{text}", col_w, style, True)
        else:
            bold_n = 0
            tspans = (wrap_zh(title, col_w, style.brief_title_font, ts, 0, False) if lang == "zh"
                      else wrap_en(title, col_w, style.brief_title_font, ts, 0, False))
            bspans = _wrap(lang, text, col_w, style, True)
        need = len(tspans) + len(bspans)
        # an item does not straddle columns in this simple setter
        col_of = [s[0] for s in slots]
        start = k
        while start < len(slots) and start + need <= len(slots) and col_of[start] != col_of[start + need - 1]:
            start += 1
        if start + need > len(slots) or col_of[start] != col_of[start + need - 1]:
            break
        boxes = []
        for sp in tspans:
            x, top = slots[start]
            start += 1
            sp.last = True
            it = TextItem(sp.text, x, top, style.brief_title_font, ts, fake_bold=(lang == "zh"), role="brief_title")
            items.append(it)
            boxes.append(it.bbox)
        for sp in bspans:
            x, top = slots[start]
            start += 1
            it = justified(sp, x, top, col_w, style.body_font, style.body_size, lang)
            for piece in _bold_prefix(it, bold_n - sp.start) if sp.start < bold_n else [it]:
                items.append(piece)
                boxes.append(piece.bbox)
        k = start + 1  # a blank line between items
        done.append(BriefSet(key, title, text, _union(boxes)))
    return items, done


def plan_ad(lines: list[tuple[str, float]], x0: float, top: float, x1: float, bottom: float,
            font: str, bold_font: str, fake_bold: bool, tint: float | None) -> list[DrawItem]:
    """An advertisement: a heavy frame, lines of display type centred in it.
    ``lines`` are (text, size); the first is set bold."""
    items: list[DrawItem] = [RectItem(x0, top, x1, bottom, tint, line_width=1.5)]
    width = x1 - x0 - 12
    fitted: list[tuple[str, float, str]] = []
    for i, (text, size) in enumerate(lines):
        f = bold_font if i == 0 else font
        w = text_width(text, f, size)
        if w > width:
            size = size * width / w
        fitted.append((text, size, f))
    total = sum(sz * 1.5 for _, sz, _ in fitted)
    y = top + max(6.0, (bottom - top - total) / 2)
    for i, (text, size, f) in enumerate(fitted):
        if y + size > bottom - 4:
            break
        x = x0 + (x1 - x0 - text_width(text, f, size)) / 2
        items.append(TextItem(text, x, y, f, size, fake_bold=fake_bold and i == 0))
        y += size * 1.5
    return items


def plan_header(h: Header, x0: float, x1: float, top: float, style: PageStyle, zh: bool) -> tuple[list[DrawItem], float]:
    """The header band (paper name large, date, page label, section) and a rule under it.

    Variant 0: name left, date after it, page/section right.  Variant 1: name
    centred, date left, page/section right.  Variant 2 (inside pages): page
    and section left, date centred, name right in smaller type."""
    items: list[DrawItem] = []
    name_font = style.header_font
    small = 10.0
    sf = style.body_font if zh else "Helvetica"
    right = " ".join(s for s in (h.page_label, h.section) if s)
    v = style.header_variant
    name_size = (30.0 if zh else 26.0) if v != 2 else 16.0
    base = top + name_size - small - 3  # small text sits on the name's lower part
    nw = text_width(h.paper_name, name_font, name_size)
    if v == 0:
        items.append(TextItem(h.paper_name, x0, top, name_font, name_size, fake_bold=zh))
        items.append(TextItem(h.date_text, x0 + nw + 24, base, sf, small))
        items.append(TextItem(right, x1 - text_width(right, sf, small + 2), base - 1, sf, small + 2))
    elif v == 1:
        items.append(TextItem(h.date_text, x0, base, sf, small))
        items.append(TextItem(h.paper_name, (x0 + x1 - nw) / 2, top, name_font, name_size, fake_bold=zh))
        items.append(TextItem(right, x1 - text_width(right, sf, small + 2), base - 1, sf, small + 2))
    else:
        items.append(TextItem(right, x0, base - 1, sf, small + 2))
        dw = text_width(h.date_text, sf, small)
        items.append(TextItem(h.date_text, (x0 + x1 - dw) / 2, base, sf, small))
        items.append(TextItem(h.paper_name, x1 - nw, top, name_font, name_size, fake_bold=zh))
    y = top + name_size + 6
    items.append(RuleItem(x0, y, x1, y, 1.5))
    if v == 1:
        items.append(RuleItem(x0, y + 2.5, x1, y + 2.5, 0.5))
    return items, y + 10


def plan_footer(text: str, page_text: str, x0: float, x1: float, bottom: float, style: PageStyle) -> list[DrawItem]:
    size = 8.0
    f = style.body_font if style.language == "zh" else "Helvetica"
    items: list[DrawItem] = [RuleItem(x0, bottom - size - 4, x1, bottom - size - 4, 0.5),
                             TextItem(text, x0, bottom - size, f, size)]
    if page_text:  # page numbers are set in a Latin face on Chinese pages too
        pf = "Helvetica-Bold" if page_text.isascii() else f
        items.append(TextItem(page_text, x1 - text_width(page_text, pf, size), bottom - size, pf, size))
    return items
