"""OCR of scanned pages (tasks/ocr.py) through the real pipeline.

The scans are made here: small born-digital pages rendered to images
(tasks/evaluation/scan.py) and wrapped as image-only PDFs, then read back by
RapidOCR.  Pages are kept small: OCR on two shared cores is slow.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from flows.ingest import run_ingest
from flows.parse import parse_cache_key
from tasks.evaluation.scan import write_scan_pdf
from tasks.extract import UnreadableFile, extract_file
from tasks.ocr import engine_version, line_chars, ocr_pdf_page
from tasks.pipeline import process_files

ROOT = Path(__file__).resolve().parents[1]
ZH_PAGE = ROOT / "tests/fixtures/corpus2/dev/xwrb/1998-01-10/xwrb_1998-01-10.pdf"

HEADLINE = "Council Approves New Bridge Plan"
BODY = [
    "The city council voted on Tuesday to approve a new bridge across the",
    "river, ending a debate that lasted nearly three years. Officials said the",
    "work would begin in the spring and cost about 40 million dollars.",
]


def _english_page(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=(400, 200))
    c.setFont("Helvetica-Bold", 18)
    c.drawString(30, 160, HEADLINE)
    c.setFont("Times-Roman", 10)
    for k, line in enumerate(BODY):
        c.drawString(30, 130 - 13 * k, line)
    c.showPage()
    c.save()
    return path


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, "".join(a.split()), "".join(b.split())).ratio()


@pytest.fixture(scope="module")
def scan_inbox(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scans")
    src = _english_page(root / "born_digital.pdf")
    # slightly turned, blurred and noisy, as a flatbed scan is
    write_scan_pdf(src, root / "inbox" / "gazette" / "2024-03-05" / "page_01.pdf", dpi=300, rotate=1.0,
                   blur=0.6, noise=0.03)
    return root


def test_line_box_splits_by_advance():
    chars = line_chars("新闻ab", (0.0, 0.0, 30.0, 12.0))
    assert [c.text for c in chars] == ["新", "闻", "a", "b"]
    widths = [c.x1 - c.x0 for c in chars]
    assert widths[0] == pytest.approx(widths[1]) and widths[2] < 0.6 * widths[0]  # full width vs half
    assert chars[-1].x1 == pytest.approx(30.0) and all(c.size == pytest.approx(12.0 / 1.25) for c in chars)


def test_off_keeps_the_scan_quarantined(scan_inbox):
    scan = next((scan_inbox / "inbox").rglob("*.pdf"))
    ed = process_files([scan], publication="gazette", ocr="off")
    assert not ed.articles and [q.status for q in ed.quarantined] == ["needs_ocr"]


def test_scanned_edition_ingests_with_text_and_confidence(scan_inbox):
    db = scan_inbox / "warehouse.duckdb"
    summaries = run_ingest([str(scan_inbox / "inbox")], db=str(db))
    assert [s["status"] for s in summaries] == ["loaded"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        pages = con.execute("SELECT status, ocr_engine, ocr_version, ocr_confidence, reason FROM pages").fetchall()
        arts = con.execute("SELECT headline, body, ocr_confidence FROM v_articles").fetchall()
    finally:
        con.close()
    assert len(pages) == 1
    status, engine, version, conf, reason = pages[0]
    assert (status, engine, version) == ("ocr", "rapidocr", engine_version())
    assert 0.8 < conf <= 1.0 and "needs_ocr" in reason
    assert len(arts) == 1
    headline, body, art_conf = arts[0]
    assert _similar(headline, HEADLINE) > 0.9
    assert _similar(body, " ".join(BODY)) > 0.95
    assert 0.8 < art_conf <= 1.0


def test_a_quarter_turned_scan_reads_upright(tmp_path):
    src = _english_page(tmp_path / "src.pdf")
    scan = write_scan_pdf(src, tmp_path / "turned.pdf", dpi=200, rotate=90)  # sideways, counter-clockwise
    doc = pdfium.PdfDocument(str(scan))
    try:
        page = ocr_pdf_page(doc, 0, str(scan))
    finally:
        doc.close()
    assert page.ocr.rotation == 90
    assert page.width > page.height  # the page a reader holds: landscape again
    text = "".join(c.text for c in page.chars)
    assert _similar(text, HEADLINE + "".join(BODY)) > 0.9
    heads = [c for c in page.chars if c.text == "C"]
    assert heads and heads[0].top < min(c.top for c in page.chars if c.text == "y")  # headline above body (no y in it)


def _char_recall(got: str, truth: str) -> float:
    """Share of the truth's chars (as a multiset, whitespace ignored) that were read: order-free."""
    from collections import Counter

    want = Counter(ch for ch in truth if not ch.isspace())
    have = Counter(ch for ch in got if not ch.isspace())
    return sum(min(n, have[ch]) for ch, n in want.items()) / max(sum(want.values()), 1)


@pytest.mark.skipif(not ZH_PAGE.exists(), reason="corpus2 fixture page missing")
def test_chinese_scan_matches_the_text_layer(tmp_path):
    """The left middle of a Typst page (fonts embedded), scanned, read back through the pipeline."""
    from reportlab.lib.utils import ImageReader

    doc = pdfium.PdfDocument(str(ZH_PAGE))
    try:
        width, height = doc[0].get_size()
        box = (0.0, height / 3, width / 2, 2 * height / 3)  # points from the top-left: the left middle
        im = doc[0].render(scale=300 / 72).to_pil().convert("L")
        layer = doc[0].get_textpage().get_text_bounded(box[0], height - box[3], box[2], height - box[1])
    finally:
        doc.close()
    s = 300 / 72
    crop = im.crop(tuple(int(v * s) for v in box))
    w, h = box[2] - box[0], box[3] - box[1]
    path = tmp_path / "zh_scan.pdf"
    c = canvas.Canvas(str(path), pagesize=(w, h))
    c.drawImage(ImageReader(crop), 0, 0, w, h)
    c.showPage()
    c.save()
    with pytest.raises(UnreadableFile, match="needs_ocr"):  # image only
        extract_file(path)
    ed = process_files([path], publication="xwrb", guarded=True)
    assert ed.articles and all(a.ocr_confidence and a.ocr_confidence > 0.8 for a in ed.articles)
    read = "".join(b.text for lay in ed.pages for b in lay.blocks)
    assert sum(1 for ch in layer if "\u4e00" <= ch <= "\u9fff") > 100  # the box holds Chinese text
    assert _char_recall(read, layer) > 0.9


def test_cache_key_names_the_ocr_engine_version():
    params = {"path": "x.pdf", "sha256": "ab", "engine": "pdfium"}
    auto = parse_cache_key(None, params | {"ocr": "auto"})
    assert engine_version().replace(" ", "") in auto
    assert parse_cache_key(None, params | {"ocr": "off"}) != auto != parse_cache_key(None, params | {"ocr": "force"})


def test_word_rate_prefers_the_reading_with_real_words():
    from tasks.ocr import word_rate

    good = "To solicit orders for Paints Roofing Cements, and Specialties. Direct from Manufacturer. " * 3
    split = "S a n k O f S T . O h a r le s in g Cem ents ttid SpeciaU ^. I»* rect from Manufactur er. " * 5
    assert word_rate(good) > word_rate(split)
    assert word_rate("too short") is None


def test_a_scan_with_a_poor_ocr_layer_keeps_the_better_reading(tmp_path):
    """A scan whose own (old) OCR layer splits and garbles words, as the 1921 pages' does."""
    from reportlab.lib.utils import ImageReader

    from tasks.evaluation.scan import scan_image

    src = _english_page(tmp_path / "src.pdf")
    doc = pdfium.PdfDocument(str(src))
    try:
        im = scan_image(doc[0], dpi=300)
    finally:
        doc.close()
    path = tmp_path / "scan_with_layer.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 200))
    c.setFont("Times-Roman", 10)
    for k, line in enumerate(BODY):  # the old layer: letters spaced apart, some misread, under the image
        c.drawString(30, 130 - 13 * k, " ".join(line.replace("e", "c").replace("o", "0")))
    c.drawImage(ImageReader(im), 0, 0, 400, 200)
    c.showPage()
    c.save()
    kept = extract_file(path, ocr="off").pages[0]
    assert kept.ocr is None and len(kept.chars) > 100  # the layer is there
    page = extract_file(path, ocr="auto").pages[0]
    assert page.ocr is not None and "dictionary words" in page.ocr.reason
    assert _similar("".join(c.text for c in page.chars), HEADLINE + "".join(BODY)) > 0.9


def test_readings_are_cached_by_page_image(tmp_path, monkeypatch):
    """With BROADSHEET_OCR_CACHE set, a page image is read once: the second reading comes from the file."""
    import json

    import numpy as np

    from tasks import ocr
    from tasks.evaluation.scan import scan_image

    src = _english_page(tmp_path / "src.pdf")
    doc = pdfium.PdfDocument(str(src))
    try:
        img = np.asarray(scan_image(doc[0], dpi=150).convert("RGB"))
    finally:
        doc.close()
    cache = tmp_path / "cache"
    monkeypatch.setenv(ocr.CACHE_ENV, str(cache))
    first, _, _ = ocr.read_image(img)
    files = list(cache.glob("*.json"))
    assert len(files) == 1 and _similar(" ".join(ln.text for ln in first), HEADLINE + "".join(BODY)) > 0.9
    # the file is what is read next time: change it and the reading follows
    d = json.loads(files[0].read_text(encoding="utf-8"))
    d["lines"][0][1] = "CACHED " + d["lines"][0][1]
    files[0].write_text(json.dumps(d), encoding="utf-8")
    again, _, _ = ocr.read_image(img)
    assert again[0].text.startswith("CACHED")
    # another image (or other settings) is another key
    other = img.copy()
    other[0, 0] = 0
    assert ocr._cache_file(other) != files[0]
    monkeypatch.delenv(ocr.CACHE_ENV)
    assert ocr._cache_file(img) is None


# --------------------------------------------------------------------------
# what the raster shows besides text (tasks/raster.py), on small rendered pages
# --------------------------------------------------------------------------

LEFT = ["The council met on Tuesday", "to approve the new bridge", "across the river at last."]
RIGHT = ["Work begins in the spring", "and the cost is about forty", "million dollars in all now."]


def _layout_page(path: Path, gutter: float = 10.0) -> Path:
    """A headline, a rule under it, two columns of body (``gutter`` pt apart), a grey photo, a bold line."""
    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.setFont("Helvetica-Bold", 20)
    c.drawString(20, 260, "Bridge Plan Approved")
    c.setLineWidth(1)
    c.line(20, 250, 380, 250)  # a rule across the page
    c.line(250, 40, 250, 240)  # a rule down the page
    c.setFont("Times-Roman", 10)
    for k, (a, b) in enumerate(zip(LEFT, RIGHT)):
        c.drawString(20, 230 - 13 * k, a)
        c.drawString(20 + 110 + gutter, 230 - 13 * k, b)
    c.setFont("Times-Bold", 10)
    c.drawString(20, 180, "Bold Brief Title Here")
    c.setFont("Times-Roman", 10)
    c.drawString(20, 167, "and a plain line under it")
    c.setFillGray(0.55)
    c.rect(270, 60, 100, 80, stroke=0, fill=1)  # the photo
    c.showPage()
    c.save()
    return path


def _gray(path: Path, dpi: int = 150):
    import numpy as np

    doc = pdfium.PdfDocument(str(path))
    try:
        return np.asarray(doc[0].render(scale=dpi / 72).to_pil().convert("L"))
    finally:
        doc.close()


def test_rules_and_pictures_are_found_in_the_raster(tmp_path):
    from tasks import raster

    gray = _gray(_layout_page(tmp_path / "p.pdf"))
    s = 150 / 72
    paper, ink = raster.levels(gray)
    mask = raster.ink_mask(gray, paper, ink)
    body_px = 12.5 * s  # a 10 pt line's box
    rules = [tuple(v / s for v in r) for r in raster.find_rules(mask, body_px)]
    horizontal = [r for r in rules if r[2] - r[0] > r[3] - r[1]]
    vertical = [r for r in rules if r[3] - r[1] > r[2] - r[0]]
    assert len(horizontal) == 1 and abs(horizontal[0][1] - 50) < 2 and horizontal[0][2] - horizontal[0][0] > 350
    assert len(vertical) == 1 and abs(vertical[0][0] - 250) < 2 and vertical[0][3] - vertical[0][1] > 190
    pics = [tuple(v / s for v in p) for p in raster.find_pictures(gray, paper, ink, body_px)]
    assert len(pics) == 1
    x0, top, x1, bottom = pics[0]
    assert abs(x0 - 270) < 3 and abs(x1 - 370) < 3 and abs(top - 160) < 3 and abs(bottom - 240) < 3
    # text alone makes neither
    assert not [r for r in rules if r[1] > 60 and r[0] < 240 and r[2] - r[0] > r[3] - r[1]]


def test_bold_lines_by_stroke_width(tmp_path):
    from tasks import raster

    gray = _gray(_layout_page(tmp_path / "p.pdf"), dpi=300)
    s = 300 / 72
    paper, ink = raster.levels(gray)
    mask = raster.ink_mask(gray, paper, ink)

    def box(y, x1=125):  # the line drawn at baseline y (points from the foot of the page)
        return (18 * s, (300 - y - 10) * s, x1 * s, (300 - y + 3) * s)

    boxes = [box(230), box(217), box(204), box(180), box(167)]
    assert raster.bold_lines(mask, boxes) == [False, False, False, True, False]


def test_a_line_read_across_a_gutter_is_cut_there(tmp_path):
    from tasks import raster

    gray = _gray(_layout_page(tmp_path / "p.pdf", gutter=8.0), dpi=300)
    s = 300 / 72
    paper, ink = raster.levels(gray)
    mask = raster.ink_mask(gray, paper, ink)
    em = 10 * s
    row = (18 * s, (300 - 217 - 10) * s, 245 * s, (300 - 217 + 3) * s)  # both columns' second line
    gaps = raster.gutters(mask, row, em)
    assert len(gaps) == 1
    g0, g1 = (v / s for v in gaps[0])
    assert 110 < g0 < 131 < g1 < 140  # between the columns (the right one starts at 138)
    one = (18 * s, (300 - 217 - 10) * s, 130 * s, (300 - 217 + 3) * s)  # one column: word spaces only
    assert raster.gutters(mask, one, em) == []


def test_sizes_from_the_ink_band_and_body_snapping(tmp_path):
    from tasks import raster
    from tasks.ocr import band_share, line_sizes

    path = tmp_path / "sizes.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 200))
    c.setFont("Times-Roman", 10)
    c.drawString(20, 160, "small type on a line")
    c.setFont("Times-Roman", 20)
    c.drawString(20, 100, "larger type on a line")
    c.showPage()
    c.save()
    gray = _gray(path, dpi=300)
    s = 300 / 72
    paper, ink = raster.levels(gray)
    mask = raster.ink_mask(gray, paper, ink)
    small = raster.x_band(mask, (18 * s, 26 * s, 200 * s, 44 * s))
    large = raster.x_band(mask, (18 * s, 76 * s, 250 * s, 108 * s))
    assert 1.8 < large / small < 2.2  # the band grows with the type
    assert abs(small / s / band_share("small type") - 10) < 1.5
    assert band_share("新闻报道") > band_share("HEADLINE 2024") > band_share("body text")
    sizes, body = line_sizes([10.0, 10.6, 9.5, 10.2, 18.0], [30, 30, 30, 30, 10])
    assert body == pytest.approx(10.1) and sizes[:4] == [body] * 4 and sizes[4] == 18.0


def test_cjk_punctuation_and_dashes_as_a_text_layer_has_them():
    from tasks.ocr import normalize_text

    assert normalize_text("明珠一一一科威特,其富庶;在中东(诸国)") == "明珠———科威特，其富庶；在中东（诸国）"
    assert normalize_text("明珠－一－科威特") == "明珠———科威特"
    assert normalize_text("一一对应") == "一一对应"  # a word, not a dash
    assert normalize_text("共 3,000元") == "共 3,000元"  # between figures it stays
    assert normalize_text("Hello, world (again)") == "Hello, world (again)"  # no CJK: as read
    assert normalize_text("有的人。 我们") == "有的人。我们"


def test_an_ocr_page_carries_rules_pictures_sizes_and_weights(tmp_path):
    """The whole page: OCR plus the raster marks, as the layout engine gets them."""
    scan = write_scan_pdf(_layout_page(tmp_path / "p.pdf"), tmp_path / "scan.pdf", dpi=300, rotate=0.6, blur=0.5,
                          noise=0.02)
    doc = pdfium.PdfDocument(str(scan))
    try:
        page = ocr_pdf_page(doc, 0, str(scan))
    finally:
        doc.close()
    assert any(r.horizontal and r.x1 - r.x0 > 300 for r in page.rulings)
    assert any(not r.horizontal and r.bottom - r.top > 150 for r in page.rulings)
    assert [b.kind for b in page.boxes] == ["image"]
    text = {}
    for ch in page.chars:
        text.setdefault((round(ch.top), ch.size, ch.bold), []).append(ch.text)
    head = [k for k, v in text.items() if "Bridge" in "".join(v)]
    body = [k for k, v in text.items() if "council" in "".join(v)]
    assert head and body and head[0][1] > 1.5 * body[0][1] and head[0][2]
    lines = {"".join(v).strip(): k for k, v in text.items()}
    assert not any(k[2] for t, k in lines.items() if "council" in t)
    assert any(k[2] for t, k in lines.items() if "Bold Brief" in t)
    # the two columns came out as two lines each row, not one across the gutter (x 124-138)
    body_rows = [bx for bx, _ in page.ocr.lines if 60 < (bx[1] + bx[3]) / 2 < 110]
    assert len(body_rows) >= 6 and not any(bx[0] < 120 and bx[2] > 142 for bx in body_rows)
