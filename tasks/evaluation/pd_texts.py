"""Public-domain English paragraphs for the second corpus (``corpus2``).

The paragraphs come from two US government works (17 U.S.C. 105: not
subject to copyright), read once from the PDFs in ``../shared/real_pdfs``
and kept in ``data/en_public_domain.jsonl`` so the corpus can be
regenerated without them:

- Federal Register Vol. 85 No. 152 (6 August 2020), FAA proposed rule
  2020-17221 (Boeing 737 MAX airworthiness directive), 3 columns;
- IRS Instructions for Form 1040NR (2007), 2 columns.

Each record: ``source``, ``heading`` (the bold section heading the paragraph
sat under, or ""), ``text`` (lines joined, end-of-line hyphens of split
words removed, superscript footnote marks dropped).

    python -m tasks.evaluation.pd_texts ../shared/real_pdfs   # rewrite the jsonl
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data" / "en_public_domain.jsonl"
SOURCES = {
    "en_gazette_federal-register-2020-17221_3col.pdf": "Federal Register 85 FR 47698 (2020-17221), US government work",
    "en_bulletin_irs-i1040nr-2007_2col.pdf": "IRS Instructions for Form 1040NR (2007), US government work",
}


def _columns(words: list[dict], width: float) -> list[tuple[float, float]]:
    """Column x-ranges: the most common left edges of lines, at least a third of the page apart."""
    starts = Counter(round(w["x0"]) for w in words)
    picked: list[int] = []
    for x, n in starts.most_common(12):
        if n >= 15 and all(abs(x - p) > width / 4 for p in picked):
            picked.append(x)
    picked.sort()
    return [(x - 3, (picked[i + 1] - 3) if i + 1 < len(picked) else width) for i, x in enumerate(picked)]


def _paragraphs_of_pdf(path: Path) -> list[tuple[str, str]]:
    import pdfplumber

    out: list[tuple[str, str]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            if not chars:
                continue
            body = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
            words = page.extract_words(extra_attrs=["size", "fontname"])
            cols = _columns(words, page.width)
            top0, bottom0 = page.height * 0.06, page.height * 0.94
            for a, b in cols:
                col = page.filter(lambda o, a=a, b=b: "x0" not in o or (a <= o["x0"] < b and top0 < o["top"] < bottom0))
                col = col.filter(lambda o: "size" not in o or o["size"] >= body - 0.6)  # no footnote marks
                for line in col.extract_text_lines(return_chars=True):
                    text = line["text"].strip()
                    if not text:
                        continue
                    bold = all("Bold" in c["fontname"] for c in line["chars"] if c["text"].strip())
                    indent = line["x0"] - a > 6
                    out.append(("H" if bold else ("P" if indent else "L"), text))
    # lines -> paragraphs
    paras: list[tuple[str, str]] = []
    heading, cur = "", ""
    for kind, text in out:
        if kind == "H":
            if cur:
                paras.append((heading, cur))
                cur = ""
            heading = text if len(text) < 60 else ""
            continue
        if kind == "P" and cur:
            paras.append((heading, cur))
            cur = ""
        if not cur:
            cur = text
        elif re.search(r"[a-z]-$", cur) and re.match(r"[a-z]", text):
            cur = cur[:-1] + text
        elif cur.endswith(("-", "–", "/")):
            cur += text
        else:
            cur += " " + text
    if cur:
        paras.append((heading, cur))
    return paras


def _good(text: str) -> bool:
    words = text.split()
    if len(words) < 25 or not text[0].isupper() or not text.rstrip().endswith((".", ".”")):
        return False
    if sum(ch.isdigit() for ch in text) > len(text) * 0.08 or "http" in text or "www." in text:
        return False
    if re.search(r"Fileid|Page \d+ of \d+|\bof \d{2}\b|Instructions for Form", text):
        return False
    return not re.search(r"\.{3,}|_{3,}", text)


def extract(real_pdfs: Path) -> list[dict]:
    records = []
    for name, source in SOURCES.items():
        path = Path(real_pdfs) / name
        if not path.exists():
            continue
        for heading, text in _paragraphs_of_pdf(path):
            text = re.sub(r"\s+", " ", text).strip()
            if _good(text):
                records.append({"source": source, "heading": heading, "text": text})
    return records


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":  # pragma: no cover
    recs = extract(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/real_pdfs"))
    DATA.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    print(f"{len(recs)} paragraphs -> {DATA}")
