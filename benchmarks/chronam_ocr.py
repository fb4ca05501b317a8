"""The two 1921 Chronicling America pages: RapidOCR against the page's own OCR layer.

A few passages were transcribed by hand from the page images (as printed,
spelling kept).  For each, the page's text layer inside the passage's box
(``get_text_bounded``) and RapidOCR's reading of the same box rendered at
300 dpi are scored by character accuracy against the transcription
(1 - edit distance / length, whitespace ignored)::

    python benchmarks/chronam_ocr.py [--pdf-dir ../shared/real_pdfs]

The PDFs are the publishers' and stay outside the repo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (file, box in points from the top-left, hand-checked lines)
PASSAGES = [
    ("en_newspaper_chronam_st-charles-herald_scan-ocr.pdf", (745.0, 118.0, 969.0, 200.0), [
        "To solicit orders for Paints Roof",
        "ing Cements, and Specialties. Di-",
        "rect from Manufacturer. Salary",
        "or Commission.",
        "Address - Builders Products Cor",
        "poration, Box 345 Clevland Ohio.",
    ]),
    ("en_newspaper_chronam_st-charles-herald_scan-ocr.pdf", (30.0, 110.0, 483.0, 483.0), [
        "Bank Of St. Charles.",
        "Capital and Surplus",
        "$18000.oo",
        "Not too small for BIG BUSINESS.",
        "No account too LARGE to handle.",
        "A bank for every body.",
        "And every body's bank.",
        "4 Per Cent ON CERTIFICATE",
        "OF DEPOSIT",
    ]),
    ("en_newspaper_chronam_great-falls-tribune_p2_scan-ocr.pdf", (620.0, 932.0, 960.0, 1000.0), [
        "Forget, for a moment, the delicious flavor of raisin bread",
        "and think of its value as a food.",
        "Raisins furnish 1560 units of energizing nutriment per",
        "pound, as well as natural iron which brings the rose tint",
    ]),
]


def accuracy(got: str, truth: str) -> float:
    from tasks.evaluation.evaluate import levenshtein

    a, b = "".join(got.split()), "".join(truth.split())
    return max(0.0, 1.0 - levenshtein(a, b) / max(len(b), 1))


def read_passage(pdf: Path, box: tuple[float, float, float, float], dpi: int = 300) -> tuple[str, str, float]:
    """(text layer, RapidOCR text, mean confidence) of ``box`` on page 1."""
    import pypdfium2 as pdfium

    from tasks.ocr import ocr_image, render

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        height = page.get_height()
        tp = page.get_textpage()
        layer = tp.get_text_bounded(box[0], height - box[3], box[2], height - box[1])
        tp.close()
        img = render(page, dpi)
        page.close()
    finally:
        doc.close()
    s = dpi / 72.0
    crop = img[int(box[1] * s):int(box[3] * s), int(box[0] * s):int(box[2] * s)].copy()
    got, info = ocr_image(crop, s)
    # OCR lines in reading order: rows of lines that overlap vertically, each row left to right
    runs: list[list] = []
    for c in got.chars:
        if runs and runs[-1][0].top == c.top and runs[-1][0].bottom == c.bottom:
            runs[-1].append(c)
        else:
            runs.append([c])
    runs.sort(key=lambda r: (r[0].top + r[0].bottom) / 2)
    rows: list[list] = []
    for r in runs:
        mid = (r[0].top + r[0].bottom) / 2
        if rows and rows[-1][0][0].top <= mid <= rows[-1][0][0].bottom:
            rows[-1].append(r)
        else:
            rows.append([r])
    text = "\n".join(" ".join("".join(c.text for c in r) for r in sorted(row, key=lambda r: r[0].x0)) for row in rows)
    return layer.replace("\ufffe", ""), text, info.confidence


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf-dir", default=str(ROOT.parent / "shared" / "real_pdfs"))
    args = ap.parse_args(argv)
    pdf_dir = Path(args.pdf_dir)
    if not pdf_dir.is_dir():
        print(f"{pdf_dir}: not found, nothing to compare")
        return 0
    tot = {"layer": [], "rapidocr": []}
    for name, box, truth_lines in PASSAGES:
        pdf = pdf_dir / name
        if not pdf.exists():
            print(f"{name}: missing, skipped")
            continue
        truth = "\n".join(truth_lines)
        layer, ocr, conf = read_passage(pdf, box)
        a_layer, a_ocr = accuracy(layer, truth), accuracy(ocr, truth)
        tot["layer"].append((a_layer, len(truth)))
        tot["rapidocr"].append((a_ocr, len(truth)))
        print(f"== {name} {box}: layer {a_layer:.3f}  rapidocr {a_ocr:.3f} (confidence {conf:.3f})")
        print("-- page's OCR layer:\n" + layer.strip())
        print("-- rapidocr:\n" + ocr.strip())
    for k, v in tot.items():
        if v:
            n = sum(w for _, w in v)
            print(f"{k}: char accuracy {sum(a * w for a, w in v) / n:.3f} over {n} hand-checked chars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
