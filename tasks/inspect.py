"""Inspect: pictures of what the engine saw.

``render_page`` draws one page (pdfplumber's ``to_image``) with the detected
columns, the blocks coloured by kind, and each article outlined and numbered
in reading order.  ``edition_report`` writes one self-contained HTML file
with every page picture next to the articles extracted from it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from PIL import ImageDraw

from tasks.model import Article, BBox, BlockKind, Edition, PageLayout

KIND_COLOURS: dict[BlockKind, tuple[int, int, int]] = {
    BlockKind.HEADLINE: (220, 40, 40),
    BlockKind.KICKER: (240, 120, 40),
    BlockKind.SUBHEADLINE: (240, 160, 40),
    BlockKind.BODY: (40, 110, 220),
    BlockKind.BYLINE: (140, 60, 200),
    BlockKind.CAPTION: (30, 160, 160),
    BlockKind.PHOTO: (120, 120, 120),
    BlockKind.TABLE: (100, 100, 40),
    BlockKind.HEADER: (150, 150, 150),
    BlockKind.FOOTER: (150, 150, 150),
    BlockKind.PAGE_NUMBER: (150, 150, 150),
    BlockKind.JUMP: (200, 0, 150),
    BlockKind.BRIEF_TITLE: (220, 80, 80),
}
ARTICLE_COLOUR = (0, 150, 60)


class PageNotFound(LookupError):
    """``--page N`` names no page of the file; the message lists the pages there are."""


@dataclass(slots=True)
class PagePicture:
    """A rendered page and what was drawn on it."""

    page_number: int  # the number articles refer to (printed when read, else edition order)
    png: bytes
    article_boxes: list[tuple[int, BBox]] = field(default_factory=list)  # (article index, bbox)
    block_boxes: list[tuple[str, BBox]] = field(default_factory=list)  # (kind, bbox)
    position: int = 0  # 1-based position in the files inspected, in order
    printed: int | None = None  # the page number printed on the page, when the layout read one

    @property
    def label(self) -> str:
        """``page 2 (printed 5)``: position first, the printed number beside it."""
        shown = f"page {self.position}"
        if self.printed is not None:
            shown += f" (printed {self.printed})"
        return shown


def _rgba(rgb: tuple[int, int, int], alpha: int) -> tuple[int, int, int, int]:
    return (*rgb, alpha)


def render_page(
    pdf_page: pdfplumber.page.Page,
    layout: PageLayout,
    articles: list[tuple[int, Article]],
    page_number: int,
    resolution: int = 100,
) -> PagePicture:
    """Draw columns, blocks by kind and numbered articles over the page image."""
    img = pdf_page.to_image(resolution=resolution)
    picture = PagePicture(page_number=page_number, png=b"")
    for col in layout.columns:
        img.draw_rect((col.x0, col.top, col.x1, col.bottom), fill=(255, 255, 0, 25), stroke=(200, 200, 0, 120),
                      stroke_width=1)
    for block in layout.blocks:
        colour = KIND_COLOURS.get(block.kind, (0, 0, 0))
        bbox = block.bbox
        if bbox[2] <= bbox[0]:
            continue
        img.draw_rect(bbox, fill=_rgba(colour, 30), stroke=_rgba(colour, 200), stroke_width=1)
        picture.block_boxes.append((block.kind.value, bbox))
    scale = resolution / 72.0
    draw = ImageDraw.Draw(img.annotated)
    for number, article in articles:
        for page_no, bbox in article.boxes:
            if page_no != page_number:
                continue
            img.draw_rect(bbox, fill=(0, 0, 0, 0), stroke=_rgba(ARTICLE_COLOUR, 255), stroke_width=3)
            picture.article_boxes.append((number, bbox))
            x, y = bbox[0] * scale + 4, bbox[1] * scale + 4
            label = str(number)
            draw.rectangle((x - 2, y - 2, x + 9 * len(label) + 4, y + 14), fill=_rgba(ARTICLE_COLOUR, 255))
            draw.text((x, y), label, fill=(255, 255, 255, 255))
    buf = io.BytesIO()
    img.annotated.save(buf, format="PNG")
    picture.png = buf.getvalue()
    return picture


def _page_articles(articles: list[Article], page_number: int) -> list[tuple[int, Article]]:
    return [(i, a) for i, a in enumerate(articles, start=1) if page_number in a.page_numbers]


def pictures_for_files(
    files: list[Path], engine: str = "pdfium", resolution: int = 100
) -> tuple[list[PagePicture], list[Article]]:
    """Run the pipeline on the files of one edition and draw every page."""
    from tasks.pipeline import parse_file, resolve_edition
    from tasks.segment import page_numbers_for, segment_edition

    parsed = [parse_file(f, engine=engine) for f in files if f.suffix.lower() == ".pdf"]
    pub, date, _ = resolve_edition(files, parsed, None, None)
    layouts = [lay for pf in parsed for lay in pf.layouts]
    articles = segment_edition(layouts, pub, date)
    pictures: list[PagePicture] = []
    for position, (layout, number) in enumerate(zip(layouts, page_numbers_for(layouts)), start=1):
        with pdfplumber.open(layout.source_file) as pdf:
            pic = render_page(pdf.pages[layout.page_index], layout, _page_articles(articles, number), number,
                              resolution)
        pic.position, pic.printed = position, layout.page_number
        pictures.append(pic)
    return pictures, articles


def edition_report_html(title: str, pictures: list[PagePicture], articles: list[Article]) -> str:
    """One self-contained HTML page: each page picture next to its articles."""
    parts = [
        "<!doctype html><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:1em} .page{display:flex;gap:1.5em;margin-bottom:2em}"
        " .page img{max-width:55vw;border:1px solid #ccc} .arts{flex:1;min-width:20em}"
        " .art{border-left:4px solid #00963c;padding-left:.6em;margin-bottom:1em}"
        " .meta{color:#666;font-size:.85em} p{margin:.3em 0}</style>",
        f"<h1>{html.escape(title)}</h1>",
        "<p class='meta'>Blocks: red headline, orange kicker/subhead, blue body, purple byline, teal caption,"
        " grey furniture, magenta jump lines; green outlines are articles, numbered in reading order.</p>",
    ]
    for pic in pictures:
        data = base64.b64encode(pic.png).decode()
        heading = pic.label.capitalize() if pic.position else f"Page {pic.page_number}"
        parts.append(f"<div class='page'><div><h2>{html.escape(heading)}</h2>"
                     f"<img alt='page {pic.page_number}' src='data:image/png;base64,{data}'></div><div class='arts'>")
        for number, article in _page_articles(articles, pic.page_number):
            people = ", ".join(f"{p.name} ({p.role})" for p in article.people)
            parts.append(
                f"<div class='art'><h3>{number}. {html.escape(article.headline or '(no headline)')}</h3>"
                f"<div class='meta'>pages {article.page_numbers} · {html.escape(article.byline)}"
                f"{' · ' + html.escape(people) if people else ''}</div>"
                + "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
                + "</div>"
            )
        parts.append("</div></div>")
    return "\n".join(parts)


def edition_report(edition: Edition, out: Path, resolution: int = 72) -> Path:
    """The HTML report of an edition already read (no second parse): each PDF
    page's picture next to the articles the run extracted from it."""
    from tasks.segment import page_numbers_for

    pictures: list[PagePicture] = []
    for layout, number in zip(edition.pages, page_numbers_for(edition.pages)):
        if not layout.has_geometry or not layout.source_file.lower().endswith(".pdf"):
            continue
        with pdfplumber.open(layout.source_file) as pdf:
            pictures.append(render_page(pdf.pages[layout.page_index], layout,
                                        _page_articles(edition.articles, number), number, resolution))
    out.parent.mkdir(parents=True, exist_ok=True)
    title = f"{edition.publication} {edition.edition_date.isoformat()}"
    out.write_text(edition_report_html(title, pictures, edition.articles), encoding="utf-8")
    return out


def select_page(pictures: list[PagePicture], page: int, where: str) -> PagePicture:
    """The picture at 1-based ``page`` (position in the files, not the printed number)."""
    if 1 <= page <= len(pictures):
        return pictures[page - 1]
    listed = ", ".join(p.label.removeprefix("page ") for p in pictures) or "none"
    raise PageNotFound(f"{where} has no page {page} (--page counts pages in the file from 1); pages there: {listed}")


def inspect_file(
    path: Path, page: int | None = None, out: Path | None = None, engine: str = "pdfium"
) -> tuple[Path, list[PagePicture]]:
    """``broadsheet inspect``: a PNG of one page (``--out x.png``) or an HTML report.

    ``path`` may be one PDF or an edition folder (all its PDFs, jumps stitched).
    ``page`` is a position (1 = the first page of the first file), whatever
    number is printed on it.  Returns what was written and the pages it shows.
    """
    files = sorted(path.glob("*.pdf")) if path.is_dir() else [path]
    pictures, articles = pictures_for_files(files, engine=engine)
    if out is None:
        out = path.with_suffix(".png" if page is not None else ".html") if path.is_file() else path / "report.html"
    if page is not None:
        pictures = [select_page(pictures, page, str(path))]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".png":
        pictures = pictures[:1]
        if not pictures:
            raise PageNotFound(f"{path} has no page to draw")
        out.write_bytes(pictures[0].png)
    else:
        out.write_text(edition_report_html(f"{path.name} · {dt.date.today()}", pictures, articles), encoding="utf-8")
    return out, pictures
