"""Deterministic ground-truth corpus: newspaper PDFs plus ``truth.json``.

Each edition is designed page by page from a seeded RNG (page size, columns,
gutters, fonts, rows of article modules, photos, L-shaped bodies, brief
columns, rulings, jumps to later pages), typeset with :mod:`tasks.evaluation.typeset`,
and its truth written from the lines that were actually set.

    generate_edition(out_dir, seed, language="zh", n_pages=4) -> Path
    generate_corpus(out_dir, seed=0) -> list[Path]      (edition directories)
    write_samples(out_dir) -> list[Path]                (the bundled samples)

``truth.json`` follows ARCHITECTURE.md, plus facts a scorer may use:
pages carry ``page_index`` (0-based inside ``file``; single-file editions
hold every page in one PDF), ``width``/``height``, ``body_size``,
``gutter``, ``fonts``, ``furniture`` (each furniture string as printed) and
``ads`` (advertisements: bbox and display lines; never articles);
articles carry ``regions`` (tight boxes: top matter, photo+caption, each
body column; ``boxes`` is their union per page), ``layout`` (span, l_shape,
boxed, photo), ``topic``, ``jump_to``/``jump_from``.  ``paragraphs`` are the
body as printed, dateline lead included, byline excluded; a paragraph cut by
a jump is one paragraph.  Brief items are articles of kind ``brief`` whose
headline is the item's title (printed as a title line or a 【run-in】).
``people`` holds the byline's people (only when the byline was printed),
a caption's photo credit (when the caption was printed) and officials named
in the printed text (role ``mentioned``, with title); ``credit_form`` names
the real-paper credit form a story carries (texts.REAL_CREDIT_FORMS, "" for
the project's own forms).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from tasks.evaluation import texts
from tasks.evaluation.texts import ArticleText, PersonRef
from tasks.evaluation.typeset import (
    ZH_FONT,
    DrawItem,
    Header,
    Jump,
    PageStyle,
    Photo,
    Placement,
    RectItem,
    RuleItem,
    SetPart,
    TextItem,
    font_or,
    plan_ad,
    plan_brief_items,
    plan_footer,
    plan_header,
    plan_placement,
    register_fonts,
    write_pdf,
)

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "broadsheet": (842.0, 1191.0),  # A3
    "large": (935.0, 1332.0),
    "tabloid": (765.0, 1060.0),
}
ZH_WEEKDAYS = "一二三四五六日"
ZH_SECTIONS = ["要闻", "综合新闻", "经济", "民生", "社会", "教育·卫生", "城建", "专版"]
EN_SECTIONS = ["News", "Local", "Business", "World", "Metro", "Health", "Education"]
EN_PAPERS = {"daily-herald": "The Daily Herald", "city-tribune": "City Tribune", "evening-post": "The Evening Post"}


@dataclass(slots=True)
class EditionConfig:
    """What an edition must contain; everything not fixed here comes from the seed."""

    publication: str
    edition_date: dt.date
    language: str = "zh"
    n_pages: int = 4
    seed: int = 0
    single_file: bool = False  # one multi-page PDF instead of page_NN.pdf files
    page_size: str | None = None
    columns: list[int] | None = None  # per page
    rulings: list[bool] | None = None  # per page
    jumps: list[tuple[int, int]] | None = None  # (from page, to page)
    brief_pages: list[int] | None = None
    photo_pages: list[int] | None = None
    year_boundary_article: bool = False
    header_variants: list[int] | None = None  # per page: see typeset.plan_header
    ads: bool | None = None  # None: some pages carry an advertisement
    # "real": half the stories carry credits as real papers print them (texts.REAL_CREDIT_FORMS);
    # "classic": only the project's own forms (the bundled samples)
    credits: str = "real"


@dataclass(slots=True)
class _TruthArticle:
    key: str
    kind: str
    text: ArticleText
    pieces: list[tuple[int, SetPart]] = field(default_factory=list)  # (page, part)
    layout: dict = field(default_factory=dict)  # span, l_shape, boxed, photo: how it was set


# --------------------------------------------------------------------------
# styles
# --------------------------------------------------------------------------


def _page_style(rng: random.Random, language: str, col_w: float) -> tuple[PageStyle, int]:
    """Body size chosen so a Chinese column holds a whole number of chars (12–16 when possible)."""
    if language == "zh":
        choices = [n for n in range(8, 30) if 7.6 <= col_w / n <= 11.5]
        pref = [n for n in choices if 12 <= n <= 16] or choices or [max(6, round(col_w / 9.0))]
        cpl = rng.choice(pref)
        size = col_w / cpl
        lead = size * rng.uniform(1.38, 1.65)
        style = PageStyle("zh", ZH_FONT, size, lead, ZH_FONT, True, ZH_FONT, size * 0.85, ZH_FONT, ZH_FONT)
        return style, cpl
    size = rng.uniform(8.0, 9.5)
    body = rng.choice(["Times-Roman", "Times-Roman", "Helvetica", font_or("DejaVuSerif", "Times-Roman")])
    head = rng.choice(["Times-Bold", "Helvetica-Bold", font_or("DejaVuSerif-Bold", "Times-Bold")])
    style = PageStyle("en", body, size, size * rng.uniform(1.18, 1.3), head, False, "Helvetica-Oblique",
                      size * 0.85, "Helvetica-Bold", "Times-Bold")
    return style, int(col_w / (size * 0.45))


def _date_text(d: dt.date, language: str) -> str:
    if language == "zh":
        return f"{d.year}年{d.month}月{d.day}日 星期{ZH_WEEKDAYS[d.weekday()]}"
    return d.strftime("%A, %B ") + f"{d.day}, {d.year}"


# --------------------------------------------------------------------------
# page design
# --------------------------------------------------------------------------


def _compose(rng: random.Random, m: int) -> list[int]:
    """Split m columns into module spans of 2..5 (a lone 1 only when m == 1)."""
    if m <= 5 and (m <= 3 or rng.random() < 0.3):
        return [m]
    for _ in range(50):
        parts: list[int] = []
        left = m
        while left > 0:
            hi = min(5, left)
            if left - hi == 1:
                hi -= 1
            part = rng.randint(2, hi) if hi >= 2 else left
            if left - part == 1:
                part = left if left <= 5 else part - 1
            parts.append(part)
            left -= part
        if all(2 <= p <= 5 for p in parts):
            return parts
    return [m]


def _row_heights(rng: random.Random, total: float, n: int, min_h: float, lead: float = 1.3) -> list[float]:
    """Row heights summing to ``total``; the first (lead) row ``lead`` times taller on average."""
    weights = [rng.uniform(0.7, 1.4) for _ in range(n)]
    weights[0] *= lead
    hs = [total * w / sum(weights) for w in weights]
    for _ in range(6):  # pull short rows towards the mean until all are tall enough
        if min(hs) >= min_h:
            break
        hs = [0.6 * h + 0.4 * total / n for h in hs]
    return hs


@dataclass(slots=True)
class _Module:
    x0: float
    top: float
    x1: float
    bottom: float
    cols: list[tuple[float, float]]
    column_bottoms: list[float] | None = None
    lead: bool = False


@dataclass(slots=True)
class _Grid:
    """One page's grid and type."""

    margin: float
    gutter: float
    col_w: float
    cols: list[tuple[float, float]]
    style: PageStyle
    cpl: int  # Chinese chars per line (English: a rough letters-per-line)
    rulings: bool
    rule_w: float

    @property
    def x1(self) -> float:
        return self.cols[-1][1]


@dataclass(slots=True)
class _Layout:
    """One page cut into modules."""

    modules: list[_Module]
    main_cols: list[tuple[float, float]]
    brief_cols: list[tuple[float, float]]
    brief_left: bool
    gap: float  # vertical space between modules
    photo_wanted: bool


class _EditionBuilder:
    def __init__(self, cfg: EditionConfig):
        self.cfg = cfg
        self.rng = random.Random(f"broadsheet-{cfg.publication}-{cfg.edition_date}-{cfg.seed}")
        self.lang = cfg.language
        self.articles: dict[str, _TruthArticle] = {}
        self.pending: dict[int, list[tuple[str, list[str], bool, int]]] = {}  # page -> (key, paras, continues, from)
        self.pages_truth: list[dict] = []
        self.pages_draw: list[tuple[float, float, list[DrawItem]]] = []
        self.editor = texts.zh_name(self.rng) if self.lang == "zh" else texts.en_name(self.rng)
        self.year_boundary_done = not cfg.year_boundary_article
        self.headlines: set[str] = set()
        self.jump_word_style = self.lang == "en" and self.rng.random() < 0.5
        # some Chinese papers credit the page designer and proof-reader in the footer
        self.footer_staff = (texts.zh_name(self.rng), texts.zh_name(self.rng)) \
            if self.lang == "zh" and self.rng.random() < 0.4 else None
        size_name = cfg.page_size or self.rng.choice(["broadsheet", "broadsheet", "large", "tabloid"])
        self.width, self.height = PAGE_SIZES[size_name]
        self.size_name = size_name

    # -- text --------------------------------------------------------------
    def _new_article(self, chars: int, max_paragraphs: int = 6) -> ArticleText:
        """A fresh article whose headline is not used yet in this edition."""
        for _ in range(30):
            a = self._draw_article(chars, max_paragraphs)
            if _headline_key(a.headline) not in self.headlines:
                break
        self.headlines.add(_headline_key(a.headline))
        return a

    def _draw_article(self, chars: int, max_paragraphs: int, topic: str | None = None) -> ArticleText:
        yb = not self.year_boundary_done
        self.year_boundary_done = True
        if self.lang == "zh":
            return texts.zh_article(self.rng, self.cfg.edition_date, topic=topic, target_chars=chars, year_boundary=yb,
                                    paper=texts.ZH_PAPERS.get(self.cfg.publication, "高新时报"),
                                    max_paragraphs=max_paragraphs, credits=self.cfg.credits)
        return texts.en_article(self.rng, self.cfg.edition_date, topic=topic, target_words=max(80, chars // 6),
                                year_boundary=yb, max_paragraphs=max_paragraphs, credits=self.cfg.credits)

    def _capacity(self, m: _Module, style: PageStyle, cpl: int) -> int:
        lines = int((m.bottom - m.top - 60) / style.leading)
        chars = max(lines, 0) * len(m.cols) * cpl
        return chars

    # -- placing -----------------------------------------------------------
    def _placement(self, key: str, a: ArticleText, m: _Module, style: PageStyle, hsize: float,
                   photo: Photo | None) -> Placement:
        return Placement(
            key=key, kind="article", x0=m.x0, top=m.top, x1=m.x1, bottom=m.bottom, columns=m.cols,
            column_bottoms=m.column_bottoms, kicker=a.kicker, headline=a.headline, headline_size=hsize,
            subheadline=a.subheadline, byline=a.byline, byline_extra=a.byline_extra,
            byline_position=a.byline_position, byline_printed=a.byline_printed, paragraphs=list(a.paragraphs),
            photo=photo,
        )

    def _fit(self, p: Placement, style: PageStyle) -> SetPart:
        """Plan, dropping trailing paragraphs (or sentences) until the whole article fits."""
        part = plan_placement(p, style)
        while part.remaining and len(p.paragraphs) > 1:
            p.paragraphs = p.paragraphs[:-1]
            part = plan_placement(p, style)
        if part.remaining:
            sep = "。" if self.lang == "zh" else ". "
            para = p.paragraphs[0]
            while part.remaining:
                cut = para.rstrip(sep).rfind(sep)
                while cut > 0 and self.lang != "zh" and re.search(r"\b(?:[A-Z][a-z]{0,4}|[A-Z])$", para[:cut]):
                    cut = para[:cut].rfind(sep)  # "Aug. 26", "Mr. Doe", "J. Roe" end no sentence
                if cut <= 0:
                    break
                para = para[: cut + len(sep)].rstrip()
                p.paragraphs = [para]
                part = plan_placement(p, style)
        return part

    def _jump_text(self, out: bool, page: int, headline: str = "") -> str:
        if self.lang == "zh":
            return f"（下转第{page}版）" if out else f"（上接第{page}版）"
        if self.jump_word_style and headline:  # US style: See BUDGET, Page A5 / BUDGET, from Page A1
            word = _jump_word(headline)
            return f"See {word}, Page A{page}" if out else f"{word}, from Page A{page}"
        return f"Continued on Page A{page}" if out else f"Continued from Page A{page}"

    def _short_head(self, headline: str) -> str:
        if self.lang == "zh":
            head = headline.split(" ")[0]
            return head if len(head) <= 12 else head[:8]
        words = headline.split(" ")
        return " ".join(words[: min(3, len(words))])

    def build_page(self, page_no: int) -> None:
        """Design, fill and plan one page; its draw items and truth are kept on ``self``."""
        g = self._grid(page_no)
        header, footer, page_text = self._furniture(page_no)
        items, ctop = plan_header(header, g.margin, g.x1, g.margin, g.style, self.lang == "zh")
        items += plan_footer(footer, page_text, g.margin, g.x1, self.height - g.margin * 0.7, g.style)
        cbottom = self.height - g.margin * 0.7 - 8.0 - 4 - 10
        layout = self._modules(page_no, g, ctop, cbottom)
        if g.rulings:
            items += self._rulings(g, layout, ctop, cbottom)
        ads, ad_items = self._advertisement(layout, cbottom)
        items += ad_items
        items += self._fill_modules(page_no, g, layout)
        if layout.brief_cols:
            items += self._fill_briefs(page_no, g, layout, ctop, cbottom)
        self.pages_truth.append({
            "file": self._file_name(page_no), "page_index": (page_no - 1) if self.cfg.single_file else 0,
            "page_number": page_no, "header": header.text, "footer": " ".join(s for s in (footer, page_text) if s),
            "columns": len(g.cols), "rulings": g.rulings, "width": self.width, "height": self.height,
            "body_size": round(g.style.body_size, 2), "gutter": round(g.gutter, 2),
            "fonts": sorted({it.font for it in items if isinstance(it, TextItem)}),
            "ads": ads,
            "furniture": [s for s in (header.paper_name, header.date_text, header.page_label, header.section,
                                      footer, page_text) if s],
        })
        self.pages_draw.append((self.width, self.height, items))

    def _grid(self, page_no: int) -> _Grid:
        """Margins, columns, gutter and type for one page."""
        cfg, rng = self.cfg, self.rng
        margin = rng.uniform(26, 40)
        ncols = cfg.columns[page_no - 1] if cfg.columns else \
            rng.choice([4, 5, 6, 6, 7, 8] if self.lang == "zh" else [4, 5, 5, 6])
        if self.size_name == "tabloid":
            ncols = min(ncols, 7)
        gutter = rng.uniform(6, 16)
        col_w = (self.width - 2 * margin - (ncols - 1) * gutter) / ncols
        style, cpl = _page_style(rng, self.lang, col_w)
        style.headline_align = "center" if (self.lang == "zh" and rng.random() < 0.45) else "left"
        style.header_variant = (rng.choice([0, 1]) if page_no == 1 else rng.choice([0, 2, 2])) if \
            cfg.header_variants is None else cfg.header_variants[page_no - 1]
        if self.lang == "zh":  # snap columns to the char grid: any remainder widens the gutter
            col_w = cpl * style.body_size
        cols = [(margin + i * (col_w + gutter), margin + i * (col_w + gutter) + col_w) for i in range(ncols)]
        rulings = cfg.rulings[page_no - 1] if cfg.rulings else rng.random() < 0.6
        rule_w = rng.choice([0.3, 0.5, 0.5, 0.8, 1.2])
        return _Grid(margin, gutter, col_w, cols, style, cpl, rulings, rule_w)

    def _furniture(self, page_no: int) -> tuple[Header, str, str]:
        """Header band, footer text and the footer's page number (may be empty)."""
        cfg, rng = self.cfg, self.rng
        if self.lang == "zh":
            name = texts.ZH_PAPERS.get(cfg.publication, "高新时报")
            section = ZH_SECTIONS[0] if page_no == 1 else rng.choice(ZH_SECTIONS[1:])
            label = f"第{page_no}版"
            footer = f"责任编辑 {self.editor}"
            if self.footer_staff:
                footer += f" 版式设计 {self.footer_staff[0]} 校对 {self.footer_staff[1]}"
            page_text = "" if rng.random() < 0.5 else f"{page_no}"
        else:
            name = EN_PAPERS.get(cfg.publication, "The Daily Herald")
            section = EN_SECTIONS[0] if page_no == 1 else rng.choice(EN_SECTIONS[1:])
            label = f"A{page_no}"
            footer = f"Editor: {self.editor}"
            page_text = f"A{page_no}"
        return Header(name, _date_text(cfg.edition_date, self.lang), label, section), footer, page_text

    def _modules(self, page_no: int, g: _Grid, ctop: float, cbottom: float) -> _Layout:
        """Cut the page into modules: rows of column spans, stacked stories, L-shapes,
        and a brief column at one edge."""
        cfg, rng = self.cfg, self.rng
        style, cpl = g.style, g.cpl
        ncols = len(g.cols)
        want_briefs = (page_no in cfg.brief_pages) if cfg.brief_pages is not None else rng.random() < 0.4
        bcols = 0
        if want_briefs and ncols >= 4:
            bcols = 1 if ncols <= 6 else rng.choice([1, 2])
        brief_left = rng.random() < 0.4
        main_cols = g.cols[bcols:] if brief_left else g.cols[: ncols - bcols]
        modules: list[_Module] = []
        gap = style.leading * 1.2
        # as many rows as make an average module hold about one article
        per_line = cpl if self.lang == "zh" else g.col_w / (style.body_size * 0.45)
        page_cap = len(main_cols) * (cbottom - ctop) / style.leading * per_line
        want = rng.uniform(650, 900) if self.lang == "zh" else rng.uniform(1500, 2200)
        avg_modules_per_row = max(1.0, len(main_cols) / 2.8)
        n_rows = max(2, min(6, round(page_cap / (want * avg_modules_per_row))))
        photo_wanted = (page_no in cfg.photo_pages) if cfg.photo_pages is not None else rng.random() < 0.75
        heights = _row_heights(rng, cbottom - ctop, n_rows, 165, lead=1.9 if photo_wanted else 1.3)
        y = ctop
        for r, h in enumerate(heights):
            spans = _compose(rng, len(main_cols))
            if r == 0 and page_no == 1 and len(spans) > 1 and spans[0] < spans[-1]:
                spans.reverse()
            c = 0
            for s in spans:
                mc = main_cols[c: c + s]
                modules.append(_Module(mc[0][0], y, mc[-1][1], y + h - gap, list(mc), lead=(r == 0 and c == 0)))
                c += s
            y += h
        # stack two stories in a module that would hold far more than one
        stacked: list[_Module] = []
        for m in modules:
            too_big = self._capacity(m, style, cpl) > (2.1 if m.lead else 1.5) * want
            if too_big and m.bottom - m.top > 2 * 165:
                cut = m.top + (m.bottom - m.top) * rng.uniform(0.45, 0.6)
                stacked.append(_Module(m.x0, cut, m.x1, m.bottom, m.cols))
                m.bottom = cut - gap
        modules += stacked
        # L-shapes: carve a corner of a big module for a second article
        corners: list[_Module] = []
        for m in modules:
            if len(m.cols) >= 3 and m.bottom - m.top > 300 and rng.random() < 0.5:
                k = len(m.cols) // 2
                corner_top = m.top + (m.bottom - m.top) * rng.uniform(0.5, 0.6)
                m.column_bottoms = [m.bottom] * (len(m.cols) - k) + [corner_top - gap] * k
                corners.append(_Module(m.cols[-k][0], corner_top, m.x1, m.bottom, m.cols[-k:]))
        modules += corners
        brief_cols = (g.cols[:bcols] if brief_left else g.cols[ncols - bcols:]) if bcols else []
        return _Layout(modules, main_cols, brief_cols, brief_left, gap, photo_wanted)

    def _rulings(self, g: _Grid, layout: _Layout, ctop: float, cbottom: float) -> list[DrawItem]:
        """Rules under modules and in the gutters between them (and beside the brief column)."""
        items: list[DrawItem] = []
        gap, w = layout.gap, g.rule_w
        for m in layout.modules:
            if m.bottom < cbottom - gap * 1.5:
                items.append(RuleItem(m.x0, m.bottom + gap * 0.5, m.x1, m.bottom + gap * 0.5, w))
            if m.x1 < g.x1 - 1:
                xr = m.x1 + g.gutter / 2
                items.append(RuleItem(xr, m.top, xr, m.bottom, w))
        if layout.brief_cols:
            main = layout.main_cols
            xr = (main[0][0] - g.gutter / 2) if layout.brief_left else (main[-1][1] + g.gutter / 2)
            items.append(RuleItem(xr, ctop, xr, cbottom, w))
        return items

    def _advertisement(self, layout: _Layout, cbottom: float) -> tuple[list[dict], list[DrawItem]]:
        """Maybe turn one bottom-row module into an advertisement (never an article in the truth)."""
        rng = self.rng
        want_ad = self.cfg.ads if self.cfg.ads is not None else rng.random() < 0.3
        bottom_row = [m for m in layout.modules if not m.lead and m.column_bottoms is None and len(m.cols) >= 2
                      and abs(m.bottom - (cbottom - layout.gap)) < 1.0]
        if not (want_ad and bottom_row):
            return [], []
        m = rng.choice(bottom_row)
        layout.modules.remove(m)
        lines = texts.ad_lines(rng, self.lang)
        ad_font = ZH_FONT if self.lang == "zh" else "Helvetica"
        ad_bold = ZH_FONT if self.lang == "zh" else "Helvetica-Bold"
        items = plan_ad(lines, m.x0, m.top, m.x1, m.bottom, ad_font, ad_bold, self.lang == "zh",
                        rng.choice([None, 0.92]))
        ad = {"bbox": [round(v, 2) for v in (m.x0, m.top, m.x1, m.bottom)],
              "text": [it.text for it in items if isinstance(it, TextItem)]}
        return [ad], items

    def _fill_modules(self, page_no: int, g: _Grid, layout: _Layout) -> list[DrawItem]:
        """Continuations first, then the lead (which may jump), then the rest by area."""
        cfg, rng, style = self.cfg, self.rng, g.style
        modules = layout.modules
        items: list[DrawItem] = []
        pending = self.pending.pop(page_no, [])
        jump_targets = [t for (f, t) in (cfg.jumps or []) if f == page_no and t <= cfg.n_pages]
        order = sorted(range(len(modules)), key=lambda i: (not modules[i].lead,
                                                           -(modules[i].bottom - modules[i].top) * len(modules[i].cols)))
        photo_done = False
        for idx_rank, mi in enumerate(order):
            m = modules[mi]
            key = f"p{page_no}-a{len(self.articles) + 1}"
            hsize = style.body_size * (rng.uniform(2.4, 3.4) if idx_rank == 0 else rng.uniform(1.7, 2.5))
            if pending:
                items += self._continuation(page_no, m, style, hsize, *pending.pop(0))
                continue
            cap = self._capacity(m, style, g.cpl)
            jump_to = jump_targets.pop(0) if jump_targets else None
            target = int(cap * 1.8) if jump_to is not None else int(cap * rng.uniform(0.85, 1.2))
            if self.lang == "zh":
                target = max(150, min(target, 1800 if jump_to else 1000))
            else:
                target = max(500, min(target, 12000 if jump_to else 2400))
            a = self._new_article(target, 10 if jump_to else 6)
            photo = None
            if (layout.photo_wanted and not photo_done and len(m.cols) >= 2 and m.bottom - m.top > 170) or \
                    (cfg.photo_pages is None and len(m.cols) >= 2 and m.bottom - m.top > 260 and rng.random() < 0.25):
                photo = self._photo(m, a.caption)
                photo_done = True
            p = self._placement(key, a, m, style, hsize, photo)
            astyle = style
            if m.lead and rng.random() < 0.3:  # the lead story in a larger body size
                bigger = style.body_size * (g.cpl / (g.cpl - 1) if self.lang == "zh" else 1.12)
                astyle = replace(style, body_size=bigger, leading=style.leading * bigger / style.body_size)
            part = self._jumping(p, a, astyle, target, jump_to) if jump_to is not None else \
                self._filled(p, a, astyle, target)
            boxed = rng.random() < 0.08 and m.column_bottoms is None
            if not part.paragraphs:  # not even one line fits under the headline: leave the space empty
                continue
            if part.remaining and p.jump_out is not None:
                self.pending.setdefault(p.jump_out.page, []).append(
                    (key, part.remaining, not part.last_complete, page_no))
            self.articles[key] = _TruthArticle(
                key, "article", a, [(page_no, part)],
                {"span": len(m.cols), "l_shape": m.column_bottoms is not None, "boxed": boxed,
                 "photo": bool(part.caption_set)})
            if boxed:  # a framed (maybe tinted) story
                pad = min(g.gutter * 0.4, 5.0)
                items.append(RectItem(m.x0 - pad, m.top - pad, m.x1 + pad, m.bottom + pad,
                                      rng.choice([None, 0.94]), line_width=0.7))
            items += part.items
        return items

    def _photo(self, m: _Module, caption: str) -> Photo:
        """A photo over the first columns of a module (never over an L-shape's corner)."""
        rng = self.rng
        mh = m.bottom - m.top
        if len(m.cols) <= 2:
            pn = rng.choice([1, 2])
        else:
            pn = rng.choice([len(m.cols) - 1, max(1, len(m.cols) // 2), len(m.cols) - 1])
        if m.column_bottoms:
            pn = min(pn, sum(1 for b in m.column_bottoms if b >= m.bottom))
        ph = max(mh * rng.uniform(0.3, 0.5) * (1.3 if pn <= 2 else 1.0), 60.0)
        ph = min(ph, mh * 0.6)
        return Photo(pn, ph, rng.choice([None, 0.8, 0.9]), caption, image=rng.random() < 0.4)

    def _filled(self, p: Placement, a: ArticleText, style: PageStyle, target: int) -> SetPart:
        """Plan a story that fills its module as an editor would: while more than a
        fifth of the module's lines stay empty, the story runs longer (more
        paragraphs on its topic), then is cut back to whole paragraphs that fit."""
        part = self._fit(p, style)
        for _ in range(6):
            used = sum(1 for it in part.items if isinstance(it, TextItem) and it.role == "body")
            if part.remaining or part.spare_lines * 5 <= used + part.spare_lines or part.spare_lines < 4:
                break
            more = self._draw_article(target, 6, topic=a.topic)
            told = "".join(p.paragraphs)
            extra = [para for para in more.paragraphs[1:] if not any(
                sent.strip() and sent.strip() in told for sent in re.split(r"[。.!?？！]", para))]
            if not extra:
                continue
            before = list(p.paragraphs)
            p.paragraphs = before + extra
            a.people += [m for m in more.people if m.role == "mentioned"]  # kept if printed
            part = self._fit(p, style)
            dropped = (before + extra)[len(p.paragraphs):]
            if dropped and not part.remaining:
                part = self._with_sentences(p, style, part, dropped[0])
        a.paragraphs = list(p.paragraphs)
        return part

    def _with_sentences(self, p: Placement, style: PageStyle, part: SetPart, para: str) -> SetPart:
        """``part`` with as many leading sentences of ``para`` added as still fit
        (an editor trimming the last paragraph to the space)."""
        if self.lang == "zh":
            sents = re.findall(r"[^。！？]+[。！？]?", para)
            join = "".join
        else:
            sents = re.split(r"(?<=[.!?])\s+", para)
            join = " ".join
        base = list(p.paragraphs)
        for k in range(len(sents) - 1, 0, -1):
            p.paragraphs = base + [join(sents[:k]).strip()]
            trial = plan_placement(p, style)
            if not trial.remaining:
                return trial
        p.paragraphs = base
        return part

    def _jumping(self, p: Placement, a: ArticleText, style: PageStyle, target: int, jump_to: int) -> SetPart:
        """Plan a story that jumps: lengthen it until it overflows by enough to make a
        continuation worth its module (a third of ``target``); without overflow, no jump line."""
        p.jump_out = Jump(self._jump_text(True, jump_to, a.headline), jump_to)
        part = plan_placement(p, style)
        for _ in range(5):
            if sum(len(x) for x in part.remaining) >= target / 3:
                return part
            more = self._draw_article(target, 6)
            a.paragraphs += more.paragraphs[1:]
            a.people += [m for m in more.people if m.role == "mentioned"]  # kept if printed
            p.paragraphs = list(a.paragraphs)
            part = plan_placement(p, style)
        if part.remaining:
            return part
        p.jump_out = None
        return self._fit(p, style)

    def _continuation(self, page_no: int, m: _Module, style: PageStyle, hsize: float, akey: str,
                      paras: list[str], continues: bool, from_page: int) -> list[DrawItem]:
        """The rest of a story jumped from ``from_page``: short head, jump line, text."""
        ta = self.articles[akey]
        p = Placement(key=akey, kind="continuation", x0=m.x0, top=m.top, x1=m.x1, bottom=m.bottom,
                      columns=m.cols, column_bottoms=m.column_bottoms,
                      headline=self._short_head(ta.text.headline), headline_size=hsize,
                      byline=ta.text.byline, byline_position=ta.text.byline_position,
                      byline_printed=ta.text.byline_printed,
                      paragraphs=paras, first_continues=continues,
                      jump_in=Jump(self._jump_text(False, from_page, ta.text.headline), from_page))
        part = plan_placement(p, style)
        while part.remaining and len(p.paragraphs) > 1:  # too long: end at a whole paragraph
            p.paragraphs = p.paragraphs[:-1]
            part = plan_placement(p, style)
        part.remaining = []  # a paragraph cut here stays cut: the truth records what was set
        ta.pieces.append((page_no, part))
        return part.items

    def _fill_briefs(self, page_no: int, g: _Grid, layout: _Layout, ctop: float, cbottom: float) -> list[DrawItem]:
        """The brief column: items with distinct titles, as many as fit whole."""
        rng, bc = self.rng, layout.brief_cols
        bp = Placement(key="briefs", kind="briefs", x0=bc[0][0], top=ctop, x1=bc[-1][1], bottom=cbottom,
                       columns=bc, brief_heading="简讯" if self.lang == "zh" else "Briefs",
                       brief_runin=rng.random() < 0.4)
        for _ in range(40):
            if len(bp.briefs) >= 12:
                break
            b = texts.zh_brief(rng, self.cfg.edition_date) if self.lang == "zh" else \
                texts.en_brief(rng, self.cfg.edition_date)
            if _headline_key(b.headline) in self.headlines:
                continue
            self.headlines.add(_headline_key(b.headline))
            bkey = f"p{page_no}-b{len(bp.briefs) + 1}"
            bp.briefs.append((bkey, b.headline, b.paragraphs[0]))
            self.articles[bkey] = _TruthArticle(bkey, "brief", b, layout={"span": len(bc), "l_shape": False,
                                                                          "boxed": False, "photo": False})
        items, done = plan_brief_items(bp, g.style)
        set_items = {d.key: d for d in done}
        for bkey, _, _ in bp.briefs:
            d = set_items.get(bkey)
            if d is None:
                del self.articles[bkey]
            else:
                self.articles[bkey].pieces.append(
                    (page_no, SetPart(bkey, [d.text], False, True, [], d.bbox, [], False)))
        return items

    def _file_name(self, page_no: int) -> str:
        if self.cfg.single_file:
            return f"{self.cfg.publication}_{self.cfg.edition_date.isoformat()}.pdf"
        return f"page_{page_no:02d}.pdf"

    # -- truth -------------------------------------------------------------
    def truth(self) -> dict:
        out = []
        for key, ta in self.articles.items():
            if not ta.pieces:
                continue
            a = ta.text
            paragraphs: list[str] = []
            original = list(a.paragraphs)
            oi = 0
            for n_piece, (_, part) in enumerate(ta.pieces):
                for j, piece in enumerate(part.paragraphs):
                    if j == 0 and part.first_continues and paragraphs and n_piece > 0:
                        orig = original[oi - 1]
                        prev = paragraphs[-1]
                        rest = orig[len(prev):]
                        sep = rest[: len(rest) - len(rest.lstrip(" "))]
                        paragraphs[-1] = prev + sep + piece
                        continue
                    paragraphs.append(piece)
                    oi += 1
            text = "".join(paragraphs)
            byline_set = any(part.byline_set for _, part in ta.pieces)
            people: list[dict] = []
            for p in a.people:
                if ((p.role == "mentioned" and p.name in text) or (p.role != "mentioned" and byline_set)) and \
                        all((q["name"], q["role"]) != (p.name, p.role) for q in people):
                    people.append(_person(p))
            pages = sorted({pg for pg, _ in ta.pieces})
            caption = "".join(part.caption_set for _, part in ta.pieces)
            if caption:  # a photo credit printed in the caption credits the story's photographer
                people += [_person(p) for p in a.caption_people
                           if all((q["name"], q["role"]) != (p.name, p.role) for q in people)]
            out.append({
                "id": key, "kind": ta.kind, "kicker": a.kicker, "headline": a.headline,
                "subheadline": a.subheadline, "byline": a.byline.replace("\n", " ") if byline_set else "",
                "people": people, "dateline": a.dateline if text.startswith(a.dateline) and a.dateline else "",
                "dateline_date": a.dateline_date.isoformat() if a.dateline_date and a.dateline else None,
                "dateline_place": a.dateline_place if a.dateline else "",
                "paragraphs": paragraphs, "pages": pages,
                "boxes": [{"page": pg, "bbox": [round(v, 2) for v in part.bbox]} for pg, part in ta.pieces],
                "regions": [{"page": pg, "bbox": [round(v, 2) for v in r]}
                            for pg, part in ta.pieces for r in (part.regions or [part.bbox])],
                "caption": caption, "topic": a.topic, "credit_form": a.credit_form,
                "jump_to": _jump(ta, True), "jump_from": _jump(ta, False),
                "layout": ta.layout,
            })
        return {
            "publication": self.cfg.publication, "edition_date": self.cfg.edition_date.isoformat(),
            "language": self.lang, "pages": self.pages_truth, "articles": out,
        }


_JUMP_SKIP = {"the", "a", "an", "new", "city", "state", "officials", "council"}


def _jump_word(headline: str) -> str:
    """The jump word of a US-style jump line: the headline's longest plain word, in capitals."""
    words = [w.strip(".,'\"$") for w in headline.split()]
    words = [w for w in words if w.isalpha() and w.lower() not in _JUMP_SKIP] or ["STORY"]
    return max(words, key=len).upper()


def _headline_key(headline: str) -> str:
    """A headline without its numbers: two stories differing only in a figure read as one."""
    return "".join(ch for ch in headline if not ch.isdigit())


def _jump(ta: _TruthArticle, out: bool) -> int | None:
    pages = [pg for pg, _ in ta.pieces]
    if len(pages) < 2:
        return None
    return pages[1] if out else pages[0]


def _person(p: PersonRef) -> dict:
    return {"name": p.name, "role": p.role, "title": p.title}


def build_edition(cfg: EditionConfig) -> tuple[list[tuple[str, list[tuple[float, float, list[DrawItem]]]]], dict]:
    """Design and plan every page; returns (files with their pages, truth)."""
    register_fonts()
    b = _EditionBuilder(cfg)
    for page_no in range(1, cfg.n_pages + 1):
        b.build_page(page_no)
    truth = b.truth()
    files: list[tuple[str, list[tuple[float, float, list[DrawItem]]]]] = []
    if cfg.single_file:
        files.append((b._file_name(1), b.pages_draw))
    else:
        for i, pg in enumerate(b.pages_draw, start=1):
            files.append((b._file_name(i), [pg]))
    return files, truth


def write_edition(out_dir: str | Path, cfg: EditionConfig) -> Path:
    """Write an edition to ``out_dir/<publication>/<date>/`` and return that directory."""
    d = Path(out_dir) / cfg.publication / cfg.edition_date.isoformat()
    d.mkdir(parents=True, exist_ok=True)
    files, truth = build_edition(cfg)
    for name, pages in files:
        write_pdf(d / name, pages)
    (d / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return d


def generate_edition(out_dir: str | Path, seed: int, language: str = "zh", n_pages: int = 4,
                     publication: str | None = None, edition_date: dt.date | None = None,
                     single_file: bool = False, **overrides) -> Path:
    """One edition from ``seed``: jumps from page 1 to page 3 (or the last page) when it has 2+ pages."""
    rng = random.Random(f"edition-{seed}-{language}")
    publication = publication or (rng.choice(["gxsb", "zzrb", "zysb"]) if language == "zh"
                                  else rng.choice(sorted(EN_PAPERS)))
    if edition_date is None:
        edition_date = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1200))
    jumps = overrides.pop("jumps", [(1, min(3, n_pages))] if n_pages >= 2 else [])
    cfg = EditionConfig(publication=publication, edition_date=edition_date, language=language, n_pages=n_pages,
                        seed=seed, single_file=single_file, jumps=jumps, **overrides)
    return write_edition(out_dir, cfg)


def default_editions(seed: int = 0) -> list[EditionConfig]:
    """The corpus plan: a mix that covers every layout feature at least once."""
    rng = random.Random(f"corpus-{seed}")
    cycle = [4, 5, 6, 7, 8]
    plans: list[EditionConfig] = []
    specs = [
        ("gxsb", "zh", 4, False, "broadsheet", False),
        ("zzrb", "zh", 4, True, "large", False),
        ("zysb", "zh", 3, False, "tabloid", False),
        ("gxsb", "zh", 4, False, "broadsheet", True),  # 1 January: a 12月31日 article
        ("hnrb", "zh", 4, True, "broadsheet", False),
        ("zzrb", "zh", 3, False, "large", False),
        ("daily-herald", "en", 4, False, "broadsheet", False),
        ("city-tribune", "en", 3, True, "tabloid", False),
        ("evening-post", "en", 3, False, "large", True),
    ]
    for i, (pub, lang, n, single, size, jan1) in enumerate(specs):
        date = dt.date(2021 + i % 4, 1, 1) if jan1 else dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1300))
        if lang == "zh":
            cols = [cycle[(i + k) % 5] for k in range(n)]
        else:
            cols = [rng.choice([4, 5, 6]) for _ in range(n)]
        if size == "tabloid":
            cols = [min(c, 6) for c in cols]
        rulings = [(i + k) % 2 == 0 for k in range(n)]
        jumps = [(1, min(3, n))] + ([(2, n)] if n >= 4 else [])
        plans.append(EditionConfig(publication=pub, edition_date=date, language=lang, n_pages=n,
                                   seed=seed * 100 + i, single_file=single, page_size=size, columns=cols,
                                   rulings=rulings, jumps=jumps, brief_pages=[2] if i % 2 else [1, n],
                                   year_boundary_article=jan1))
    return plans


def generate_corpus(out_dir: str | Path, seed: int = 0, editions: list[EditionConfig] | None = None) -> list[Path]:
    """Write every edition of the corpus; returns the edition directories."""
    return [write_edition(out_dir, cfg) for cfg in (editions or default_editions(seed))]


def sample_editions() -> list[EditionConfig]:
    return [
        EditionConfig(publication="gxsb", edition_date=dt.date(2022, 4, 6), language="zh", n_pages=4, seed=6,
                      page_size="broadsheet", columns=[6, 6, 7, 5], rulings=[True, False, True, True],
                      jumps=[(1, 3)], brief_pages=[2], photo_pages=[1, 4], ads=False, credits="classic"),
        EditionConfig(publication="daily-herald", edition_date=dt.date(2024, 3, 15), language="en", n_pages=2,
                      seed=15, page_size="broadsheet", columns=[5, 4], rulings=[True, False], jumps=[(1, 2)],
                      brief_pages=[2], photo_pages=[1], ads=False, credits="classic"),
    ]


def write_samples(out_dir: str | Path = "samples") -> list[Path]:
    """The bundled sample editions (高新时报 2022-04-06, The Daily Herald 2024-03-15)."""
    return [write_edition(out_dir, cfg) for cfg in sample_editions()]


def main() -> None:  # pragma: no cover - a convenience entry point
    import argparse

    ap = argparse.ArgumentParser(description="write the ground-truth corpus or the samples")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--samples", action="store_true")
    args = ap.parse_args()
    paths = write_samples(args.out_dir) if args.samples else generate_corpus(args.out_dir, args.seed)
    for p in paths:
        print(p)


if __name__ == "__main__":  # pragma: no cover
    main()

