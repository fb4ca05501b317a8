"""The naive baseline broadsheet is measured against.

What a script would do with a stock extractor: pdfplumber ``extract_text()``
per page, cut into articles at blank lines and, for Chinese, before every
``本报讯`` / ``本报记者`` / ``据新华社`` dateline lead; the first line of each
piece is its headline.  No bylines, no jumps, no layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

_BLANK = re.compile(r"\n[ \t\u3000]*\n")
# a dateline lead starts a new article (Chinese papers)
_ZH_LEAD = re.compile(r"(?=本报讯|本报记者|据新华社|新华社[\u4e00-\u9fff]{2,3}\d{1,2}月\d{1,2}日电)")


@dataclass(frozen=True, slots=True)
class BaselineArticle:
    headline: str
    body: str


def split_naive(text: str, language: str = "zh") -> list[BaselineArticle]:
    """Cut a page's text into pieces; the first line of each is its headline."""
    chunks = [c for c in _BLANK.split(text) if c.strip()]
    if language.split("-")[0].lower() in {"zh", "ja", "ko"}:
        chunks = [piece for c in chunks for piece in _ZH_LEAD.split(c) if piece.strip()]
        # a lone line just before a lead is that article's headline
        merged: list[str] = []
        for piece in chunks:
            if merged and len(merged[-1].strip().splitlines()) == 1 and _ZH_LEAD.match(piece) is not None:
                merged[-1] = merged[-1].rstrip() + "\n" + piece
            else:
                merged.append(piece)
        chunks = merged
    out = []
    for chunk in chunks:
        lines = [ln for ln in chunk.strip().splitlines() if ln.strip()]
        if len(lines) == 1:
            out.append(BaselineArticle(headline="", body=lines[0].strip()))
        else:
            out.append(BaselineArticle(headline=lines[0].strip(), body="\n".join(lines[1:])))
    return out


def page_texts(path: str | Path) -> list[str]:
    """pdfplumber's ``extract_text()`` of every page."""
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def baseline_articles(path: str | Path, language: str = "zh") -> list[BaselineArticle]:
    """The baseline's articles for one page file (every page of it)."""
    return [a for text in page_texts(path) for a in split_naive(text, language)]
