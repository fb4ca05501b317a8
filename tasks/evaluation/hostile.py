"""Bad inputs, generated (never downloaded), for tests and benchmarks.

Each ``write_*`` function writes one file into a directory and returns its
path.  ``write_dense_pdf`` writes the good load: dense multi-column CJK pages.
``write_all`` writes the whole zoo and says what status each should get.
"""

from __future__ import annotations

import random
import shutil
import zlib
from pathlib import Path

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

ZH_FONT = "STSong-Light"
_POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应"
    "开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
    "此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求"
)
_PUNCT = "，。、；：“”（）"


def _register() -> None:
    if ZH_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(ZH_FONT))


def _out(directory: str | Path, name: str) -> Path:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    return d / name


# --------------------------------------------------------------------------
# good pages
# --------------------------------------------------------------------------


def _random_lines(rng: random.Random, per_line: int):
    """Endless lines of random common characters (no words: a worst case for word segmenters)."""
    while True:
        if rng.random() < 0.025:
            yield "headline", f"Headline {rng.randint(1, 999)}"
        yield "body", "".join(rng.choice(_POOL) if rng.random() > 0.06 else rng.choice(_PUNCT)
                              for _ in range(per_line))


def _news_lines(rng: random.Random, per_line: int):
    """Endless lines of generated Chinese news (headline, indented paragraphs, byline)."""
    import datetime as dt

    from tasks.evaluation.texts import zh_article

    edition = dt.date(2022, 4, 6)
    while True:
        art = zh_article(rng, edition, target_chars=rng.randint(300, 1500))
        yield "headline", art.headline[: per_line * 2 // 3]
        for para in art.paragraphs:
            text = "\u3000\u3000" + para
            for k in range(0, len(text), per_line):
                yield "body", text[k:k + per_line]
        if art.byline:
            yield "body", art.byline[:per_line]


def _dense_page(c: canvas.Canvas, lines, page_no: int, columns: int, size: float,
                width: float, height: float) -> int:
    """One page of CJK body text in ``columns`` columns; returns its char count."""
    margin, gutter = 30.0, 9.0
    col_w = (width - 2 * margin - gutter * (columns - 1)) / columns
    lead = size * 1.25
    n = 0
    c.setFont(ZH_FONT, 22)
    header = f"高新时报 2022年4月6日 星期三 第{page_no}版 要闻"
    c.drawString(margin, height - 48, header)
    n += len(header)
    c.setLineWidth(0.8)
    c.line(margin, height - 58, width - margin, height - 58)
    for k in range(columns):
        x = margin + k * (col_w + gutter)
        if k:
            c.setLineWidth(0.4)
            c.line(x - gutter / 2, height - 66, x - gutter / 2, 36)
        y = height - 80
        while y > 44:
            kind, text = next(lines)
            if kind == "headline":
                if y < 120:
                    continue
                latin = text.isascii()
                c.setFont("Helvetica-Bold" if latin else ZH_FONT, size * 1.8)
                c.drawString(x, y - size, text)
                n += len(text)
                y -= size * 3.2
                continue
            c.setFont(ZH_FONT, size)
            c.drawString(x, y, text)
            n += len(text)
            y -= lead
    c.showPage()
    return n


def write_dense_pdf(path: str | Path, pages: int = 1, columns: int = 7, size: float = 7.0,
                    seed: int = 0, page_size: tuple[float, float] = (842.0, 1191.0), first_page: int = 1,
                    text: str = "random") -> Path:
    """Dense CJK newspaper pages: 7 columns of 7 pt text give ~11k chars a page.

    ``text="random"``: random common characters; ``text="news"``: generated
    news articles (``tasks.evaluation.texts``), what segmenters and taggers expect.
    The header of page k says 第{first_page + k}版.
    """
    _register()
    rng = random.Random(seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=page_size, invariant=1, pageCompression=1)
    margin, gutter = 30.0, 9.0
    per_line = int(((page_size[0] - 2 * margin - gutter * (columns - 1)) / columns) // size)
    lines = _news_lines(rng, per_line) if text == "news" else _random_lines(rng, per_line)
    for i in range(pages):
        _dense_page(c, lines, first_page + i, columns, size, *page_size)
    c.save()
    return path


def write_good_pdf(directory: str | Path, name: str = "good.pdf") -> Path:
    """A small readable two-page edition file."""
    return write_dense_pdf(_out(directory, name), pages=2, columns=5, size=9.0, seed=7)


# --------------------------------------------------------------------------
# files that are not (whole) PDFs
# --------------------------------------------------------------------------


def write_zero_byte(directory: str | Path, name: str = "zero.pdf") -> Path:
    p = _out(directory, name)
    p.write_bytes(b"")
    return p


def write_html_as_pdf(directory: str | Path, name: str = "error_page.pdf") -> Path:
    """What an e-paper site sends instead of the PDF: an HTML error page."""
    p = _out(directory, name)
    p.write_text(
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
        "<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n",
        encoding="utf-8",
    )
    return p


def write_truncated_pdf(directory: str | Path, name: str = "truncated.pdf", keep_bytes: int = 400) -> Path:
    """A download cut off after the first few hundred bytes: header and a piece of an object."""
    src = write_dense_pdf(_out(directory, f".{name}.src.pdf"), pages=1, columns=4, seed=3)
    p = _out(directory, name)
    p.write_bytes(src.read_bytes()[:keep_bytes])
    src.unlink()
    return p


def write_half_truncated_pdf(directory: str | Path, name: str = "half.pdf") -> Path:
    """A multi-page download cut off at 60 %: the xref and trailer are gone."""
    src = write_dense_pdf(_out(directory, f".{name}.src.pdf"), pages=3, columns=4, seed=4)
    data = src.read_bytes()
    p = _out(directory, name)
    p.write_bytes(data[: int(len(data) * 0.6)])
    src.unlink()
    return p


def write_broken_xref(directory: str | Path, name: str = "broken_xref.pdf") -> Path:
    """Every xref offset wrong (repairable: the objects are all there)."""
    src = write_dense_pdf(_out(directory, f".{name}.src.pdf"), pages=1, columns=4, seed=5)
    data = bytearray(src.read_bytes())
    src.unlink()
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    block = data[start:end].replace(b"0000", b"9999")
    data[start:end] = block
    p = _out(directory, name)
    p.write_bytes(bytes(data))
    return p


def write_garbage_pdf(directory: str | Path, name: str = "garbage.pdf") -> Path:
    """A PDF header followed by noise: nothing to repair."""
    rng = random.Random(11)
    p = _out(directory, name)
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.getrandbits(8) for _ in range(4000)))
    return p


# --------------------------------------------------------------------------
# encryption
# --------------------------------------------------------------------------


def _encrypted(path: Path, user: str, owner: str) -> Path:
    _register()
    enc = StandardEncryption(user, owner, canPrint=1, canCopy=0, canModify=0)
    c = canvas.Canvas(str(path), pagesize=(595, 842), encrypt=enc)
    c.setFont(ZH_FONT, 12)
    c.drawString(72, 760, "本报讯 加密文件的正文。")
    c.setFont("Helvetica", 12)
    c.drawString(72, 740, "Encrypted body text.")
    c.showPage()
    c.save()
    return path


def write_encrypted_owner_only(directory: str | Path, name: str = "owner_only.pdf") -> Path:
    """Permissions restricted by an owner password; opens without one."""
    return _encrypted(_out(directory, name), "", "owner-secret")


def write_encrypted_user_password(directory: str | Path, name: str = "user_password.pdf") -> Path:
    """Cannot be opened without the user password."""
    return _encrypted(_out(directory, name), "reader-secret", "owner-secret")


# --------------------------------------------------------------------------
# pages without usable text
# --------------------------------------------------------------------------


def _scan_image(width: int = 200, height: int = 280):
    from PIL import Image, ImageDraw

    im = Image.new("L", (width, height), 235)
    d = ImageDraw.Draw(im)
    for y in range(20, height - 20, 9):  # dark strokes where printed lines were
        d.line([(15, y), (width - 15, y)], fill=60, width=3)
    return im


def write_image_only_pdf(directory: str | Path, name: str = "scan.pdf", pages: int = 2) -> Path:
    """A scanned edition: every page one image, no text layer."""
    from reportlab.lib.utils import ImageReader

    p = _out(directory, name)
    c = canvas.Canvas(str(p), pagesize=(595, 842))
    for _ in range(pages):
        c.drawImage(ImageReader(_scan_image()), 20, 20, 555, 802)
        c.showPage()
    c.save()
    return p


def write_mixed_scan_pdf(directory: str | Path, name: str = "mixed.pdf") -> Path:
    """Page 1 has text, page 2 is a scan: the text page must still come out."""
    from reportlab.lib.utils import ImageReader

    _register()
    p = _out(directory, name)
    c = canvas.Canvas(str(p), pagesize=(595, 842))
    c.setFont(ZH_FONT, 11)
    for k in range(30):
        c.drawString(60, 780 - 16 * k, f"本报讯 第{k + 1}行：这是一页有文字层的正常版面，第二页是扫描件。")
    c.showPage()
    c.drawImage(ImageReader(_scan_image()), 20, 20, 555, 802)
    c.showPage()
    c.save()
    return p


def _pdf_from_objects(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file with a correct xref from numbered object bodies (1-based)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def write_type3_no_tounicode(directory: str | Path, name: str = "type3_glyphs.pdf", first_code: int = 1) -> Path:
    """Text in a Type3 font whose glyphs are named /g1 /g2 ... with no ToUnicode.

    With ``first_code=1`` the codes are control chars; a font that codes its
    glyphs from 65 up looks like Latin letters to a naive reader.
    """
    glyph = b"0 0 0 0 600 700 d1 50 0 500 700 re f"
    names = b" ".join(b"/g%d" % k for k in range(1, 9))
    codes = bytes(range(first_code, first_code + 8))
    line = b"<" + (codes * 5).hex().encode() + b">"
    content = b"BT /F1 14 Tf 16 TL 60 780 Td " + b" ".join(line + b" Tj T*" for _ in range(30)) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs 6 0 R /Encoding << /Type /Encoding /Differences [%d %s] >> "
        b"/FirstChar %d /LastChar %d /Widths [%s] /Resources << >> >>"
        % (first_code, names, first_code, first_code + 7, b" ".join([b"600"] * 8)),
        b"<< " + b" ".join(b"/g%d %d 0 R" % (k, 6 + k) for k in range(1, 9)) + b" >>",
    ] + [_stream(glyph) for _ in range(8)]
    p = _out(directory, name)
    p.write_bytes(_pdf_from_objects(objects))
    return p


def write_pua_font_pdf(directory: str | Path, name: str = "pua_text.pdf") -> Path:
    """A font whose ToUnicode maps every glyph into the private-use area (U+E000...)."""
    glyph = b"0 0 0 0 600 700 d1 50 0 500 700 re f"
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PUA def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfrange <01> <08> <E001> endbfrange endcmap "
        b"CMapName currentdict /CMap defineresource pop end end"
    )
    line = b"<" + (bytes(range(1, 9)) * 5).hex().encode() + b">"
    content = b"BT /F1 14 Tf 16 TL 60 780 Td " + b" ".join(line + b" Tj T*" for _ in range(30)) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs 6 0 R /Encoding << /Type /Encoding /Differences [1 /g1 /g2 /g3 /g4 /g5 /g6 /g7 /g8] >> "
        b"/FirstChar 1 /LastChar 8 /Widths [600 600 600 600 600 600 600 600] /Resources << >> "
        b"/ToUnicode 15 0 R >>",
        b"<< " + b" ".join(b"/g%d %d 0 R" % (k, 6 + k) for k in range(1, 9)) + b" >>",
    ] + [_stream(glyph) for _ in range(8)] + [_stream(cmap)]
    p = _out(directory, name)
    p.write_bytes(_pdf_from_objects(objects))
    return p


# --------------------------------------------------------------------------
# too much of something
# --------------------------------------------------------------------------


def write_char_flood(directory: str | Path, name: str = "char_flood.pdf", chars: int = 210_000) -> Path:
    """One page carrying ``chars`` tiny glyphs (micro-text, a runaway generator)."""
    p = _out(directory, name)
    c = canvas.Canvas(str(p), pagesize=(842, 1191), pageCompression=1)
    per_line = 700
    lines = (chars + per_line - 1) // per_line
    t = c.beginText(5, 1185)
    t.setFont("Helvetica", 1.0)
    t.setLeading(1.05)
    row = ("abcdefghij" * (per_line // 10 + 1))[:per_line]
    for _ in range(lines):
        t.textLine(row)
    c.drawText(t)
    c.showPage()
    c.save()
    return p


def write_many_pages(directory: str | Path, name: str = "many_pages.pdf", pages: int = 300) -> Path:
    """A long but legitimate file: ``pages`` small pages of text."""
    _register()
    p = _out(directory, name)
    c = canvas.Canvas(str(p), pagesize=(420, 595), pageCompression=1)
    for i in range(pages):
        c.setFont(ZH_FONT, 10)
        c.drawString(40, 550, f"第{i + 1}版 本报讯 第{i + 1}页的正文。")
        c.setFont("Helvetica", 9)
        c.drawString(40, 530, f"Page {i + 1} of {pages}")
        c.showPage()
    c.save()
    return p


def _flate_bomb(out_mb: int, filler: bytes = b" ") -> bytes:
    """A zlib stream that inflates to ``out_mb`` MB while costing ~1/1000 of that on disk.

    Built from one full-flushed chunk repeated: after a full flush the
    compressor forgets its history, so the same bytes decode the same way
    again (the trailing Adler-32 does not match; decoders read on regardless).
    """
    mb = filler * (1 << 20)
    z = zlib.compressobj(9)
    head = z.compress(mb) + z.flush(zlib.Z_FULL_FLUSH)
    chunk = z.compress(mb) + z.flush(zlib.Z_FULL_FLUSH)
    return head + chunk * max(out_mb - 2, 0) + z.compress(mb) + z.flush()


def _one_page_flate_pdf(directory: str | Path, name: str, content: bytes) -> Path:
    """A one-page PDF whose content stream is ``content``, already Flate-compressed."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(content, b"/Filter /FlateDecode "),
    ]
    p = _out(directory, name)
    p.write_bytes(_pdf_from_objects(objects))
    return p


def write_flate_bomb(directory: str | Path, name: str = "flate_bomb.pdf", out_mb: int = 4096) -> Path:
    """A page whose content stream inflates to ``out_mb`` MB (4 GB by default, ~4 MB on disk)."""
    data = _flate_bomb(out_mb)
    return _one_page_flate_pdf(directory, name, data)


def write_operator_bomb(directory: str | Path, name: str = "operator_bomb.pdf", millions: int = 40) -> Path:
    """A page whose (small, compressed) content stream draws ``millions`` million tiny paths."""
    op = b"1 1 m 2 2 l S\n"
    reps = millions * 1_000_000
    z = zlib.compressobj(9)
    block = op * 50_000
    parts = [z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)]
    chunk = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    parts.append(chunk * max(reps // 50_000 - 2, 0))
    parts.append(z.compress(block) + z.flush())
    data = b"".join(parts)
    return _one_page_flate_pdf(directory, name, data)


def write_nesting_bomb(directory: str | Path, name: str = "nesting_bomb.pdf", depth: int = 200_000) -> Path:
    """An object of ``depth`` nested arrays in the page dictionary."""
    deep = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Deep " + deep + b" >>",
        _stream(b"BT /F1 12 Tf 72 700 Td (Deep) Tj ET"),
    ]
    p = _out(directory, name)
    p.write_bytes(_pdf_from_objects(objects))
    return p


# --------------------------------------------------------------------------
# the same file twice
# --------------------------------------------------------------------------


def write_duplicate(original: str | Path, directory: str | Path, name: str = "copy_of_page.pdf") -> Path:
    """The same bytes under another name (a re-sent page)."""
    p = _out(directory, name)
    shutil.copyfile(original, p)
    return p


# --------------------------------------------------------------------------
# the whole zoo
# --------------------------------------------------------------------------


def write_zoo(directory: str | Path, bombs: bool = True) -> dict[str, tuple[Path, str | None]]:
    """Every bad input plus a good file; name -> (path, expected status or None for readable).

    ``broken_xref`` and ``owner_only`` are expected to read (pdfium repairs
    the one and opens the other without a password); ``mixed_scan`` reads
    with its scanned page reported as ``needs_ocr``.
    """
    d = Path(directory)
    good = write_good_pdf(d)
    zoo: dict[str, tuple[Path, str | None]] = {
        "good": (good, None),
        "duplicate": (write_duplicate(good, d), None),
        "zero_byte": (write_zero_byte(d), "empty"),
        "html_as_pdf": (write_html_as_pdf(d), "not_pdf"),
        "truncated": (write_truncated_pdf(d), "corrupt"),
        "half_truncated": (write_half_truncated_pdf(d), "corrupt"),
        "garbage": (write_garbage_pdf(d), "corrupt"),
        "broken_xref": (write_broken_xref(d), None),
        "owner_only": (write_encrypted_owner_only(d), None),
        "user_password": (write_encrypted_user_password(d), "encrypted"),
        "scan": (write_image_only_pdf(d), "needs_ocr"),
        "mixed_scan": (write_mixed_scan_pdf(d), None),
        "type3_no_tounicode": (write_type3_no_tounicode(d), "garbled_text"),
        "type3_ascii_codes": (write_type3_no_tounicode(d, "type3_ascii.pdf", first_code=65), "garbled_text"),
        "pua_text": (write_pua_font_pdf(d), "garbled_text"),
        "char_flood": (write_char_flood(d), "too_many_chars"),
        "many_pages": (write_many_pages(d), None),
        "nesting": (write_nesting_bomb(d), None),
    }
    if bombs:
        zoo["flate_bomb"] = (write_flate_bomb(d), "memory")
        zoo["operator_bomb"] = (write_operator_bomb(d), "memory")
    return zoo
