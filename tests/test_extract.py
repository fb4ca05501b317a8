"""Extract: the pdfium char source is a faithful substitute for pdfplumber.

Pages are real PDFs drawn by the corpus typesetter and by reportlab directly;
both readers run on the same files and their Pages are compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tasks.extract import (
    ExtractResult,
    UnreadableFile,
    dedupe_files,
    describe_non_pdf,
    extract_file,
    extract_pages,
    file_sha256,
    is_bold_font,
    is_garbage_text,
    read_text_page,
)
from tasks.evaluation.hostile import write_dense_pdf
from tasks.model import Page

ZH = "STSong-Light"


def _register() -> None:
    if ZH not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(ZH))


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory) -> list[Path]:
    """A Chinese and an English edition from the ground-truth corpus generator."""
    from tasks.evaluation.corpus import generate_edition

    out = tmp_path_factory.mktemp("corpus")
    zh = generate_edition(out, seed=3, language="zh", n_pages=2)
    en = generate_edition(out, seed=4, language="en", n_pages=2)
    return sorted(zh.glob("*.pdf")) + sorted(en.glob("*.pdf"))


@pytest.fixture(scope="module")
def features_pdf(tmp_path_factory) -> Path:
    """Fonts, sizes, scaling, rise, rotation, rules, boxes, an image and a form XObject."""
    _register()
    path = tmp_path_factory.mktemp("features") / "features.pdf"
    c = canvas.Canvas(str(path), pagesize=(842, 1191))
    c.setFont(ZH, 24)
    c.drawString(50, 1100, "高新时报 2022年4月6日 第1版 要闻")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(50, 1060, "Headline Bold Text, jumps: just")
    c.setFont("Times-Roman", 9)
    c.drawString(50, 1040, "Body text, with spaces and 123. Quoted \u201cwords\u201d.")
    c.setFont(ZH, 9.5)
    c.drawString(50, 1020, "本报讯（记者 孙庆辉）3月28日，高新区召开会议。")
    t = c.beginText(50, 1000)
    t.setFont(ZH, 10)
    t.setHorizScale(80)
    t.setCharSpace(0.5)
    t.textOut("压缩排版的正文字距")
    t.setHorizScale(100)
    t.setCharSpace(0)
    t.setRise(3)
    t.textOut("上标")
    t.setRise(0)
    c.drawText(t)
    c.saveState()
    c.translate(50, 960)
    c.scale(2, 2)
    c.setFont("Helvetica", 10)
    c.drawString(0, 0, "Scaled 2x")
    c.restoreState()
    c.saveState()
    c.translate(700, 500)
    c.rotate(90)
    c.setFont("Helvetica", 12)
    c.drawString(0, 0, "Rotated")
    c.restoreState()
    c.setLineWidth(1)
    c.line(40, 940, 800, 940)
    c.setLineWidth(0.5)
    c.rect(40, 600, 300, 300)
    c.rect(400, 600, 1, 300, fill=1)
    c.drawImage(ImageReader(_tiny_image()), 100, 100, 50, 50)
    c.beginForm("ad")
    c.line(0, 0, 200, 0)
    c.rect(0, 10, 200, 80)
    c.setFont("Helvetica", 8)
    c.drawString(5, 20, "Advertisement in a form")
    c.endForm()
    c.saveState()
    c.translate(450, 200)
    c.doForm("ad")
    c.restoreState()
    c.showPage()
    # page 2: a landscape page turned by /Rotate 90, its text drawn running up
    # so it reads upright on screen, plus a line of text that reads sideways
    c.setPageRotation(90)
    c.setPageSize((600, 800))  # reportlab writes MediaBox 800 x 600 for a turned page
    c.saveState()
    c.translate(700, 100)
    c.rotate(90)
    c.setFont(ZH, 12)
    c.drawString(0, 0, "横排版面 Upright on screen")
    c.restoreState()
    c.setFont("Helvetica", 12)
    c.drawString(50, 300, "Sideways")
    c.line(650, 50, 650, 550)
    c.rect(100, 100, 200, 100)
    c.showPage()
    c.save()
    return path


def _tiny_image():
    from PIL import Image

    return Image.new("RGB", (20, 20), (200, 30, 30))


def _visible(page: Page):
    return [c for c in page.chars if c.text.strip()]


def _assert_same_pages(
    a_pages: list[Page], b_pages: list[Page], exact_bold: bool = True
) -> dict[str, float]:
    """pdfium pages ``a_pages`` against pdfplumber pages ``b_pages``; returns the worst deviations.

    ``exact_bold=False``: pdfium may also call fill-and-stroke (fake bold) text
    bold, which pdfplumber cannot see; it must never lose a bold.
    """
    assert len(a_pages) == len(b_pages)
    worst = {"x0": 0.0, "x1": 0.0, "top": 0.0, "bottom": 0.0, "size": 0.0}
    for a, b in zip(a_pages, b_pages):
        assert (a.width, a.height, a.page_index, a.sha256) == (b.width, b.height, b.page_index, b.sha256)
        ca, cb = _visible(a), _visible(b)
        assert [c.text for c in ca] == [c.text for c in cb]
        for x, y in zip(ca, cb):
            assert x.upright == y.upright, (x, y)
            assert abs(x.x0 - y.x0) < 1.0 and abs(x.top - y.top) < 2.0, (x, y)
            if not x.upright:  # pdfminer's size of a sideways glyph is its advance: not compared
                continue
            assert x.bold == y.bold if exact_bold else x.bold >= y.bold, (x, y)
            assert abs(x.size - y.size) < 0.1, (x, y)
            assert abs(x.top - y.top) < 2.0 and abs(x.bottom - y.bottom) < 2.0, (x, y)
            # both take the advance from the PDF's widths, never from a font on this machine
            assert abs((x.x1 - x.x0) - (y.x1 - y.x0)) < 0.05, (x, y)
            assert abs(x.x1 - y.x1) < 1.0, (x, y)
            for k in worst:
                worst[k] = max(worst[k], abs(getattr(x, k) - getattr(y, k)))
        key = lambda r: (round(r.x0, 1), round(r.top, 1), round(r.x1, 1), round(r.bottom, 1))  # noqa: E731
        assert sorted(map(key, a.rulings)) == sorted(map(key, b.rulings))
        assert sorted((key(x), x.kind) for x in a.boxes) == sorted((key(x), x.kind) for x in b.boxes)
    return worst


def test_pdfium_matches_pdfplumber_on_corpus_pages(corpus_files):
    n_chars = 0
    for f in corpus_files:
        a = extract_pages(f, engine="pdfium")
        b = extract_pages(f, engine="pdfplumber")
        worst = _assert_same_pages(a, b, exact_bold=False)  # the corpus fakes bold headlines by stroking
        assert worst["top"] < 0.05 and worst["bottom"] < 0.05 and worst["size"] < 0.01
        assert worst["x0"] < 0.01 and worst["x1"] < 0.05
        n_chars += sum(len(_visible(p)) for p in a)
    assert n_chars > 5000


def _cjk_font_installed() -> bool:
    import shutil
    import subprocess

    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


def test_non_embedded_cjk_font_reads_the_same_without_a_font_on_the_machine(tmp_path):
    """STSong-Light is named, not embedded: pdfium has no glyph outlines for it
    on a machine without a CJK font (this suite must pass on one), so boxes
    cannot come from outlines.  Every char keeps its text and gets the advance
    the PDF's /W and /DW give, with or without a font installed."""
    _register()
    path = tmp_path / "no_font.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 400))
    lines = [(ZH, 12, 100, "本报讯 2024年3月8日，高新区召开会议。"), ("Helvetica", 10, 100, "Latin beside it")]
    y = 360
    for font, size, scale, s in lines:
        t = c.beginText(20, y)
        t.setFont(font, size)
        t.setHorizScale(scale)
        t.textOut(s)
        c.drawText(t)
        y -= 20
    t = c.beginText(20, y)  # condensed, as newspapers set body text
    t.setFont(ZH, 9)
    t.setHorizScale(80)
    t.textOut("压缩排版的正文字距12%")
    t.setHorizScale(100)  # Tz outlives the text object
    c.drawText(t)
    # a letter-spaced title, one text object per glyph, and a full stop
    # wrapped onto a line of its own: objects pdfium measures as empty
    title = "聚焦民生实事"
    for k, ch in enumerate(title):
        c.setFont(ZH, 16)
        c.drawString(20 + k * 24, 280, ch)
    c.drawString(20, 250, "。")
    c.showPage()
    c.save()

    a = extract_pages(path, engine="pdfium")
    b = extract_pages(path, engine="pdfplumber")
    _assert_same_pages(a, b)
    chars = _visible(a[0])
    text = "".join(ch.text for ch in chars)
    assert title in text and text.endswith("。")
    for ch in chars:
        scale = 0.8 if abs(ch.size - 9) < 0.01 else 1.0
        font = ZH if ch.fontname.startswith("STSong") else ch.fontname
        expected = pdfmetrics.stringWidth(ch.text, font, ch.size) * scale  # what reportlab wrote to /W
        assert ch.x1 - ch.x0 > 0, ch
        assert abs((ch.x1 - ch.x0) - expected) < 0.01, (ch, expected)
    print("CJK system font installed:", _cjk_font_installed())  # the same assertions hold either way


def test_pdfium_matches_pdfplumber_on_features(features_pdf):
    a = extract_pages(features_pdf)
    b = extract_pages(features_pdf, engine="pdfplumber")
    _assert_same_pages(a, b)
    page = a[0]
    rotated = [c for c in page.chars if not c.upright]
    assert "".join(c.text for c in rotated) == "Rotated"
    assert all(c.bold for c in page.chars if c.fontname.startswith("Helvetica-Bold"))
    scaled = [c for c in page.chars if c.text == "S"][0]
    assert abs(scaled.size - 20.0) < 0.01
    kinds = sorted(b.kind for b in page.boxes)
    assert kinds == ["image", "rect", "rect"]  # the frame, the form's box, the image
    assert any(abs(r.top - (1191 - 200)) < 0.5 and abs(r.x0 - 450) < 0.5 for r in page.rulings)  # inside the form
    turned = a[1]
    assert (turned.width, turned.height) == (600.0, 800.0)
    upright = "".join(c.text for c in turned.chars if c.upright)
    assert upright == "横排版面 Upright on screen"
    assert "".join(c.text for c in turned.chars if not c.upright) == "Sideways"


def test_dense_page_matches_and_has_no_generated_chars(tmp_path):
    path = write_dense_pdf(tmp_path / "dense.pdf", pages=1, columns=7, size=7.0, seed=1)
    a = extract_pages(path)
    b = extract_pages(path, engine="pdfplumber")
    _assert_same_pages(a, b)
    assert len(a[0].chars) > 10_000
    assert not any(c.text in "\r\n" for c in a[0].chars)
    # real spaces (in the header line) are kept, pdfium's made-up ones are not
    assert sum(1 for c in a[0].chars if c.text == " ") == sum(1 for c in b[0].chars if c.text == " ")
    assert len(a[0].rulings) == 7  # the header rule and six column rules


def test_fill_and_stroke_text_reads_as_bold_only_when_it_is_the_exception(tmp_path):
    _register()
    path = tmp_path / "stroke.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.saveState()  # the render mode is graphics state: keep it to the headline
    t = c.beginText(60, 780)
    t.setFont(ZH, 20)
    t.setTextRenderMode(2)
    t.textOut("加粗标题")
    c.drawText(t)
    c.restoreState()
    t = c.beginText(60, 740)
    t.setFont(ZH, 10)
    t.textOut("正文" * 40)
    c.drawText(t)
    c.showPage()
    t = c.beginText(60, 780)  # page 2: everything stroked, nothing stands out
    t.setFont(ZH, 10)
    t.setTextRenderMode(2)
    t.textOut("全部描边" * 20)
    c.drawText(t)
    c.showPage()
    c.save()
    p1, p2 = extract_pages(path)
    assert all(ch.bold for ch in p1.chars[:4]) and not any(ch.bold for ch in p1.chars[4:])
    assert not any(ch.bold for ch in p2.chars)


def test_extract_file_returns_result_and_text_pages_still_work(tmp_path):
    txt = tmp_path / "page.txt"
    txt.write_text("第一行\n第二行\n", encoding="utf-8")
    res = extract_file(txt)
    assert isinstance(res, ExtractResult) and res.problems == []
    assert res.pages[0].text_lines == ["第一行", "第二行"]
    assert read_text_page(txt).sha256 == file_sha256(txt)
    with pytest.raises(ValueError):
        extract_pages(write_dense_pdf(tmp_path / "d.pdf", columns=3, size=12), engine="ocr")


def test_bold_names_and_garbage_text():
    assert is_bold_font("ABCDEF+Helvetica-Bold") and is_bold_font("SimHei") and is_bold_font("FZHei-B01")
    assert not is_bold_font("STSong-Light") and not is_bold_font("Times-Roman")
    for bad in ("(cid:123)", "\ue001", "\x01", "\ufffd", "\x9c"):
        assert is_garbage_text(bad)
    for good in ("中", "a", "，", "·", "\u00a0", "—"):
        assert not is_garbage_text(good)


def test_describe_non_pdf():
    assert describe_non_pdf(b"<!DOCTYPE html><html><head><title>Error 502</title>").startswith("HTML document")
    assert "Error 502" in describe_non_pdf(b"<html><title>Error 502</title></html>")
    assert describe_non_pdf(b"\x89PNG\r\n\x1a\n") == "PNG image"
    assert describe_non_pdf(b"PK\x03\x04rest").startswith("ZIP")
    assert describe_non_pdf(b"just some words") == "plain text"


def test_dedupe_files(tmp_path):
    a = tmp_path / "a.pdf"
    b = tmp_path / "b.pdf"
    c = tmp_path / "c.pdf"
    a.write_bytes(b"%PDF-1.4 one")
    b.write_bytes(b"%PDF-1.4 two")
    c.write_bytes(b"%PDF-1.4 one")
    unique, dups = dedupe_files([a, b, c])
    assert unique == [str(a), str(b)]
    assert dups == [(str(c), str(a))]


def test_unreadable_file_keeps_status_and_reason():
    e = UnreadableFile("not_pdf", "HTML document, not a PDF")
    assert (e.status, e.reason) == ("not_pdf", "HTML document, not a PDF")
    import pickle

    back = pickle.loads(pickle.dumps(e))
    assert (back.status, back.reason) == (e.status, e.reason)


def test_text_pdfium_leaves_out_is_read_by_pdfminer(tmp_path):
    """PDFium drops vertical-CMap text it cannot map and identical lines it
    takes for fake-bold overprints; those pages are read by pdfplumber instead."""
    _register()
    vertical = UnicodeCIDFont(ZH, isVertical=True)
    vertical.name = vertical.fontName = "STSong-Light-V"
    pdfmetrics.registerFont(vertical)
    path = tmp_path / "left_out.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("STSong-Light-V", 20)
    c.drawString(500, 800, "竖排标题文字")
    c.setFont(ZH, 10)
    c.drawString(60, 800, "横排正文第一行。")
    c.showPage()
    for k in range(5):  # page 2: the same 24-character line five times
        c.setFont(ZH, 11)
        c.drawString(60, 780 - 16 * k, "本报讯 这是一页有文字层的正常版面第二页是扫描件")
    c.showPage()
    c.save()
    a = extract_pages(path)
    b = extract_pages(path, engine="pdfplumber")
    # with a Chinese system font installed PDFium maps the vertical text itself (and reads
    # the page in its own order); without one it leaves it out and pdfplumber reads the page:
    # either way no character is lost
    assert sorted(ch.text for ch in a[0].chars) == sorted(ch.text for ch in b[0].chars)
    assert set("竖排标题文字横排正文第一行") <= {ch.text for ch in a[0].chars}
    assert [ch.text for ch in a[1].chars] == [ch.text for ch in b[1].chars]
    assert len(a[1].chars) == 5 * 24


def test_content_stream_reader_counts_shown_strings_like_pdfium():
    from tasks.extract import _shown_strings

    stream = (b"BT /F1 9 Tf (a\\(b\\)\\101) Tj () Tj [<4E2D> -20 (x)] TJ ET "
              b"q BI /W 1 /H 1 ID \x00Tj EI\x01 EI Q BT /F2 12 Tf 0 -14 Td (\\343) ' ET % (c) Tj\n")
    count, found = _shown_strings(stream, {0, 1, 2})
    assert count == 3  # the empty string shows nothing; the inline image and the comment are skipped
    assert found[0] == (b"F1", b"a(b)A")
    assert found[1] == (b"F1", b"\x4e\x2dx")
    assert found[2] == (b"F2", b"\xe3")
    assert _shown_strings(b"BT (nested (parens)) Tj ET", {0}) is None  # not followed: pdfplumber reads such a page
