"""Chars → lines on pages from other typesetters than the project's own.

Two kinds of pages: the smallest page that shows one convention, drawn here
with reportlab through the helpers of ``test_layout`` (non-embedded CID
font), and pages Typst set with embedded subset Noto CJK fonts and its own
justification (``tests/fixtures/lines``, made by ``make.py`` there).  Issue
15's failure classes 1-4 each have a test on both kinds where they can be
drawn, and on the real justified journal page where it shows them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from tasks.extract import extract_pages
from tasks.layout import is_jump_text, layout_page
from tasks.lines import build_lines, is_cjk
from tasks.model import BlockKind
from tasks.segment import segment_edition
from tests.test_layout import A_TEXT, B_TEXT, BODY, COL_W, COL_X, H, W, ZH, column, draw, group_of, text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lines"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real_pdfs"
ENGINES = ("pdfium", "pdfplumber")


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def fixture_lines(name: str, engine: str = "pdfium") -> list[str]:
    page = extract_pages(FIXTURES / f"{name}.pdf", engine=engine)[0]
    return [squeeze(cl.text) for cl in build_lines(page.chars, page.rulings)]


# --------------------------------------------------------------------------
# 1. a justified CJK line stays one line
# --------------------------------------------------------------------------


def _justified(c, height: float, x: float, top: float, parts: list[str], width: float = COL_W, size: float = BODY) -> None:
    """``parts`` set solid, the gaps between them stretched to fill ``width``:
    justified at word spaces only, as some engines set CJK text with Latin runs."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [stringWidth(p, ZH, size) for p in parts]
    gap = (width - sum(widths)) / max(len(parts) - 1, 1)
    for p, w in zip(parts, widths):
        c.setFont(ZH, size)
        c.drawString(x, height - (top + 0.86 * size), p)
        x += w + gap


JUSTIFIED = [
    ["美国国务卿奥尔布赖特"],
    ["在华盛顿说", "WTO", "谈判"],  # gaps of 1.2 em around a Latin run
    ["据统计", "1997", "年中"],  # 1.5 em around digits
    ["美贸易额达到四百九十"],
    ["奥尔布赖特于", "5", "日说"],
    ["说，", "IBM", "和", "GE", "公司"],
    ["纷纷扩大在华投资规模"],
    ["奥尔布赖特表示，两国"],
]


@pytest.mark.parametrize("engine", ENGINES)
def test_gaps_of_a_justified_line_around_latin_and_digits_are_no_gutter(tmp_path: Path, engine: str) -> None:
    # three columns a 1.1 em gutter apart; the stretched gaps inside the lines
    # are wider than the gutter, but no whitespace runs down the rows there
    def fn(c, height):
        for col in range(3):
            for k, parts in enumerate(JUSTIFIED * 2):
                _justified(c, height, COL_X[col], 80 + k * 13, parts)

    page = _canvas_page(tmp_path / "justified.pdf", fn, engine=engine)
    lines = build_lines(page.chars, page.rulings)
    want = sorted(squeeze("".join(parts)) for parts in JUSTIFIED * 6)
    assert sorted(squeeze(cl.text) for cl in lines) == want
    assert sorted({round(cl.x0) for cl in lines}) == [round(x) for x in COL_X[:3]]


def _bogus_descent_font() -> str:
    """reportlab's bundled Vera, embedded with a /Descent of -0.911 em (as a
    real journal's digit font declares it): its glyph boxes sit 0.6 em low."""
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "VeraDeepDescent"
    if name not in pdfmetrics.getRegisteredFontNames():
        font = TTFont(name, os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf"))
        font.face.descent = -911
        pdfmetrics.registerFont(font)
    return name


@pytest.mark.parametrize("engine", ENGINES)
def test_digits_of_a_font_with_a_bogus_descent_stay_in_their_line(tmp_path: Path, engine: str) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    latin = _bogus_descent_font()
    rows = [("规划和", "2035", "年远景目"), ("计划（", "2022", "年）等指"), ("规模为", "120.8", "亿元，增")]

    def fn(c, height):
        for col in range(2):
            for k in range(12):
                a, digits, b = rows[k % 3]
                x, y = COL_X[col], height - (80 + k * 1.5 * BODY + 0.86 * BODY)
                for s, font in ((a, ZH), (digits, latin), (b, ZH)):
                    c.setFont(font, BODY)
                    c.drawString(x, y, s)
                    x += stringWidth(s, font, BODY)

    page = _canvas_page(tmp_path / "descent.pdf", fn, engine=engine)
    lines = build_lines(page.chars, page.rulings)
    assert sorted(squeeze(cl.text) for cl in lines) == sorted(["".join(rows[k % 3]) for k in range(12)] * 2)


REAL_JOURNAL = REAL / "zh_journal_guanli-shijie_2024_p1.pdf"


@pytest.mark.skipif(not REAL_JOURNAL.exists(), reason="../shared/real_pdfs is not beside the repository")
@pytest.mark.parametrize("engine", ENGINES)
def test_real_justified_journal_page_lines_are_whole(engine: str) -> None:
    # inter-character justification, and digits in a subset font whose
    # declared descent puts their boxes 0.6 em below the line they are set in
    page = extract_pages(REAL_JOURNAL, engine=engine)[0]
    lines = [squeeze(cl.text) for cl in build_lines(page.chars, page.rulings)]
    for phrase in (
        "《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》提出文化强国和网络强",
        "合发展行动计划（2022—2026年）》《元宇宙产业创新发展三年行动计划（2023—2025年）》等指导性文件，北京",
        "虚拟和现实的重要组成部分（金、乔，2022；侯文军等，2023），它既包含拟人产品的拟人特征，又兼具数字产品以",
        "一首单曲发行到成为哔哩哔哩（B站）当家花旦只用了9年时间，不仅登上央视春晚，还为北京冬奥会献唱。“洛天",
    ):
        assert phrase in lines
    for stray in ("2035", "20222026", "20232025", "2022", "2023", "120.8"):
        assert stray not in lines  # the digits the bogus descent set apart


# --------------------------------------------------------------------------
# 2. runs of one glyph are text, only overprints are duplicates
# --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_dash_runs_survive_on_a_typst_page(engine: str) -> None:
    # the CJK face joins "———" into one 3-em glyph that maps to three code
    # points (first column); the Latin face sets three glyphs edge to edge
    # (second column)
    lines = fixture_lines("dash", engine)
    assert sum("说———" in ln for ln in lines) == 2
    assert sum("问题———美国" in ln for ln in lines) == 2
    assert sum("时期——美方" in ln for ln in lines) == 2
    assert sum("进展……克林顿" in ln for ln in lines) == 2
    assert not any(re.search(r"[^—]—[^—]", ln) for ln in lines)


@pytest.mark.parametrize("engine", ENGINES)
def test_glyphs_edge_to_edge_are_kept_and_overprints_dropped(tmp_path: Path, engine: str) -> None:
    em = BODY
    items = [
        text(20, 40, "他说"),
        text(20 + 2 * em, 40, "—"),
        text(20 + 3 * em, 40, "—"),
        text(20 + 4 * em, 40, "—"),
        text(20 + 5 * em, 40, "这是真的。"),
        # fake bold: the same title drawn twice, 0.04 em apart
        text(20, 70, "重要新闻", 16),
        text(20 + 0.04 * 16, 70, "重要新闻", 16),
        text(20, 100, "Ha—ha —— said", font="Times-Roman"),
    ]
    lines = [squeeze(cl.text) for cl in build_lines(draw(tmp_path / "dash.pdf", items, engine=engine).chars)]
    assert "他说———这是真的。" in lines
    assert "重要新闻" in lines
    assert "Ha—ha——said" in lines


# --------------------------------------------------------------------------
# 3. a letter-spaced headline across column gutters is one line
# --------------------------------------------------------------------------


def _canvas_page(path: Path, draw_fn, size: tuple[float, float] = (W, H), engine: str = "pdfium"):
    c = canvas.Canvas(str(path), pagesize=size)
    draw_fn(c, size[1])
    c.showPage()
    c.save()
    return extract_pages(path, engine=engine)[0]


def _tracked(c, height: float, x: float, top: float, s: str, size: float, tracking: float, font: str = ZH) -> None:
    """One text object, the chars ``tracking`` (pt) apart (Tc), as layout programs letter-space."""
    t = c.beginText(x, height - (top + 0.86 * size))
    t.setFont(font, size)
    t.setCharSpace(tracking)
    t.textOut(s)
    t.setCharSpace(0)  # Tc is graphics state: it would outlive the text object
    c.drawText(t)


def _column_text(c, height: float, x: float, top: float, body: str, n_lines: int, per_line: int = 10) -> None:
    for item in column(x, top, body, n_lines, per_line):
        _, cx, ctop, s, sz, font = item
        c.setFont(font, sz)
        c.drawString(cx, height - (ctop + 0.86 * sz), s)


@pytest.mark.parametrize("engine", ENGINES)
def test_letter_spaced_headline_over_three_columns_is_one_line(tmp_path: Path, engine: str) -> None:
    # 12 chars of 14 pt tracked 0.8 em: gaps wider than a gutter, and the
    # 1st, 5th and 9th chars start where the three columns below start
    size, title = 14.0, "全国宣传部长会议在京召开"
    pitch = COL_W / 4 + 10.0 / 4  # four chars per column module

    def fn(c, height):
        _tracked(c, height, COL_X[0], 40, title, size, pitch - size)
        _tracked(c, height, COL_X[3] + 10.0, 40, "沟赵办事处", size, 0.0)  # a second story's title, set solid
        for k in range(4):
            _column_text(c, height, COL_X[k], 80, A_TEXT if k < 3 else B_TEXT, 14)

    page = _canvas_page(tmp_path / "banner.pdf", fn, engine=engine)
    heads = [cl.text for cl in build_lines(page.chars, page.rulings) if cl.top < 70]
    assert heads == [title, "沟赵办事处"]
    layout = layout_page(page)
    a = group_of(layout, title)
    assert sorted(round(b.bbox[0]) for b in a if b.kind is BlockKind.BODY) == [round(x) for x in COL_X[:3]]
    assert group_of(layout, "沟赵办事处") is not a


@pytest.mark.parametrize("engine", ENGINES)
def test_letter_spaced_headline_on_a_typst_page(engine: str) -> None:
    page = extract_pages(FIXTURES / "banner.pdf", engine=engine)[0]
    heads = [squeeze(cl.text) for cl in build_lines(page.chars, page.rulings) if cl.top < 40]
    assert heads[0] == "全国宣传部长会议在京召开"
    arts = segment_edition([layout_page(page)], "fx", dt.date(1998, 1, 6))
    assert [a.headline for a in arts] == ["全国宣传部长会议在京召开", "京津冀协同发展取得新进展"]
    assert "在京召开" not in "".join(arts[0].paragraphs[:1])[:4]


# --------------------------------------------------------------------------
# 4. text set vertically is read down its columns, right to left
# --------------------------------------------------------------------------

CAPTION = "韩国总统李在明五日下午在首尔举行记者会"


def _vertical(c, height: float, x_right: float, top: float, s: str, size: float, per_col: int, col_gap: float) -> None:
    """Columns of ``per_col`` chars, one text object each (Td down the column), the first at the right."""
    for k in range(0, len(s), per_col):
        x = x_right - (k // per_col) * (size + col_gap) - size
        t = c.beginText(x, height - (top + 0.86 * size))
        t.setFont(ZH, size)
        t.setLeading(1.05 * size)
        for ch in s[k : k + per_col]:
            t.textLine(ch)
        c.drawText(t)


@pytest.mark.parametrize("engine", ENGINES)
def test_vertical_caption_beside_a_photo_is_read_down_its_columns(tmp_path: Path, engine: str) -> None:
    def fn(c, height):
        c.setFont(ZH, 20)
        c.drawString(COL_X[0], height - (40 + 0.86 * 20), "韩美首脑会谈在首尔举行双方同意加强合作")
        c.setFillGray(0.8)
        c.rect(COL_X[0], height - 260, 150, 180, stroke=1, fill=1)  # the photo, top 80 to 260
        c.setFillGray(0)
        _vertical(c, height, COL_X[0] + 150 + 6 + 2 * 8 + 4, 80, CAPTION, 8.0, 10, 0.4 * 8)
        for k in range(2, 5):
            _column_text(c, height, COL_X[k], 80, A_TEXT, 16)

    page = _canvas_page(tmp_path / "vertical.pdf", fn, engine=engine)
    lines = build_lines(page.chars, page.rulings)
    vertical = [cl for cl in lines if cl.vertical]
    assert [cl.text for cl in vertical] == [CAPTION]
    assert all(len(squeeze(cl.text)) == 10 for cl in lines if not cl.vertical and cl.top > 70)
    layout = layout_page(page)
    caps = [b for b in layout.blocks if b.kind is BlockKind.CAPTION]
    assert [squeeze(b.text) for b in caps] == [CAPTION]
    assert not any(CAPTION[:4] in squeeze(b.text) for b in layout.blocks if b.kind is BlockKind.BODY)


@pytest.mark.parametrize("engine", ENGINES)
def test_vertical_caption_on_a_typst_page(engine: str) -> None:
    page = extract_pages(FIXTURES / "vertical.pdf", engine=engine)[0]
    layout = layout_page(page)
    caps = [squeeze(b.text) for b in layout.blocks if b.kind is BlockKind.CAPTION]
    assert caps == [CAPTION]
    arts = segment_edition([layout], "fx", dt.date(1998, 1, 6))
    assert len(arts) == 1
    assert arts[0].paragraphs[0].startswith("本报北京1月5日讯")
    assert not any(ch in "".join(arts[0].paragraphs) for ch in "韩统李")


def test_horizontal_text_is_never_vertical(tmp_path: Path) -> None:
    # a column one char wider than its lines' text, tight leading, single
    # chars at paragraph ends, a letter-spaced two-line title: all horizontal
    def fn(c, height):
        _tracked(c, height, COL_X[0], 20, "聚焦民生实事", 16, 8.0)
        _tracked(c, height, COL_X[0], 38, "办好惠民工程", 16, 8.0)
        for k in range(3):
            for j in range(12):
                s = A_TEXT[j : j + 10] if j % 4 != 3 else A_TEXT[j]
                c.setFont(ZH, BODY)
                c.drawString(COL_X[k], height - (70 + j * 1.15 * BODY + 0.86 * BODY), s)

    page = _canvas_page(tmp_path / "horizontal.pdf", fn)
    assert not any(cl.vertical for cl in build_lines(page.chars, page.rulings))


# --------------------------------------------------------------------------
# the second generator's pages (tests/fixtures/corpus2/dev, set by Typst)
# --------------------------------------------------------------------------

CORPUS2 = Path(__file__).resolve().parent / "fixtures" / "corpus2" / "dev"
CORPUS2_EDITIONS = sorted(p.parent for p in CORPUS2.glob("*/*/truth.json"))


def _edition(ed: Path) -> tuple[dict, list]:
    truth = json.loads((ed / "truth.json").read_text(encoding="utf-8"))
    pages = [p for f in sorted(ed.glob("*.pdf")) for p in extract_pages(f)]
    return truth, pages


def _truth_text(truth: dict) -> str:
    texts: list[str] = []
    for a in truth["articles"]:
        texts += [a.get("kicker", ""), a["headline"], a.get("subheadline", ""), a.get("byline", ""), a.get("caption", "")]
        texts += a["paragraphs"]
        # a closing credit is the byline's in the truth, printed in brackets after the last paragraph
        credits = [c for c in a.get("byline", "").split("\n") if c]
        texts += credits + [a["paragraphs"][-1] + f"（{c}）" for c in credits if a["paragraphs"]]
    for pg in truth["pages"]:
        texts += [pg.get("header", ""), pg.get("footer", "")] + pg.get("furniture", [])
    return "\n".join(squeeze(t) for t in texts)


@pytest.mark.skipif(not CORPUS2_EDITIONS, reason="tests/fixtures/corpus2/dev is not there")
@pytest.mark.parametrize("ed", CORPUS2_EDITIONS, ids=lambda p: f"{p.parent.name}-{p.name}")
def test_corpus2_lines_hold_one_printed_line_each(ed: Path) -> None:
    # classes 1 and 4: justified CJK columns a narrow gutter apart, opening
    # quotes set half an em out at line starts, nameplate ears beside 60 pt
    # type, vertical captions: every body-size CJK line is one printed line
    truth, pages = _edition(ed)
    src = _truth_text(truth)
    body = {pg["page_index"]: pg["body_size"] for pg in truth["pages"]}
    checked, wrong = 0, []
    for page in pages:
        for cl in build_lines(page.chars, page.rulings):
            t, ln = squeeze(cl.text), cl.to_line()
            size = body[page.page_index]
            if len(t) < 8 or not any(is_cjk(ch) for ch in t) or is_jump_text(cl.text) or abs(ln.size - size) > 0.05 * size:
                continue
            checked += 1
            if t not in src:
                wrong.append(cl.text)
    if truth["language"] == "zh":
        assert checked > 100
    assert wrong == []


@pytest.mark.skipif(not CORPUS2_EDITIONS, reason="tests/fixtures/corpus2/dev is not there")
def test_corpus2_banners_and_vertical_captions() -> None:
    banners = captions = 0
    for ed in CORPUS2_EDITIONS:
        truth, pages = _edition(ed)
        lines = {squeeze(cl.text) for p in pages for cl in build_lines(p.chars, p.rulings)}
        layouts = [layout_page(p) for p in pages]
        caps = {squeeze(b.text) for lay in layouts for b in lay.blocks if b.kind is BlockKind.CAPTION}
        body = "".join(
            squeeze(b.text) for lay in layouts for b in lay.blocks if b.kind is BlockKind.BODY and b.article is not None
        )
        for a in truth["articles"]:
            lay = a.get("layout", {})
            if lay.get("banner") and lay.get("tracking"):
                banners += 1
                assert squeeze(a["headline"]) in lines  # letter-spaced across the columns: one line
            if lay.get("vertical_caption"):
                captions += 1
                cap = squeeze(a["caption"])
                assert cap in caps  # read down its columns, right to left, as a caption
                assert cap[:6] not in body
    assert banners >= 3 and captions >= 3
