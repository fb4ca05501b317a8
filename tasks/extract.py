"""Extract: a file → pages of chars (with boxes and fonts), rulings and boxes.

This first version reads PDFs with pdfplumber and plain-text pages
(one line per printed column line) as they are.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pdfplumber

from tasks.model import Box, Char, Page, Ruling

_BOLD = re.compile(r"bold|heavy|black|demi|semibold|hei|\bbd\b", re.I)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_bold_font(fontname: str) -> bool:
    """Bold weight as the font name says it (``Helvetica-Bold``, ``SimHei``)."""
    base = fontname.split("+", 1)[-1]
    return bool(_BOLD.search(base))


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


def extract_pdf_pages(path: str | Path) -> list[Page]:
    """Every page of a PDF with its chars, rulings and boxes (pdfplumber)."""
    sha = file_sha256(path)
    pages: list[Page] = []
    with pdfplumber.open(path) as pdf:
        for i, p in enumerate(pdf.pages):
            chars = [
                Char(
                    text=c["text"],
                    x0=float(c["x0"]),
                    top=float(c["top"]),
                    x1=float(c["x1"]),
                    bottom=float(c["bottom"]),
                    size=float(c.get("size") or 0.0),
                    fontname=c.get("fontname") or "",
                    bold=is_bold_font(c.get("fontname") or ""),
                    upright=bool(c.get("upright", True)),
                )
                for c in p.chars
            ]
            rulings = [
                Ruling(float(ln["x0"]), float(ln["top"]), float(ln["x1"]), float(ln["bottom"]))
                for ln in p.lines
            ]
            boxes: list[Box] = []
            for r in p.rects:
                w, h = float(r["x1"] - r["x0"]), float(r["bottom"] - r["top"])
                if min(w, h) <= 2.0:  # a thin rect is drawn as a rule
                    rulings.append(Ruling(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])))
                else:
                    boxes.append(Box(float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]), "rect"))
            for im in p.images:
                boxes.append(Box(float(im["x0"]), float(im["top"]), float(im["x1"]), float(im["bottom"]), "image"))
            pages.append(
                Page(
                    source_file=str(path),
                    page_index=i,
                    width=float(p.width),
                    height=float(p.height),
                    chars=chars,
                    rulings=rulings,
                    boxes=boxes,
                    sha256=sha,
                )
            )
            p.close()
    return pages


def extract_pages(path: str | Path) -> list[Page]:
    """Pages of a PDF or a plain-text page file."""
    if str(path).lower().endswith(".txt"):
        return [read_text_page(path)]
    return extract_pdf_pages(path)
