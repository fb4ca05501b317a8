"""Scans made from born-digital pages: render, degrade, wrap as an image-only PDF.

A page is rendered by PDFium at ``dpi`` in grey, optionally turned by a few
degrees (or a quarter), blurred and sprinkled with noise the way a flatbed or
microfilm scan is, and placed as the only content of a page of the same size
in points: no text layer is left, so the pipeline has to read it by OCR.
"""

from __future__ import annotations

import random
from pathlib import Path


def scan_image(pdf_page, dpi: int = 300, rotate: float = 0.0, blur: float = 0.0, noise: float = 0.0,
               seed: int = 0):
    """A PIL grey image of ``pdf_page`` as scanned (``rotate`` degrees counter-clockwise)."""
    from PIL import Image, ImageFilter

    im = pdf_page.render(scale=dpi / 72.0).to_pil().convert("L")
    if rotate:
        im = im.rotate(rotate, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        import numpy as np

        rng = np.random.default_rng(seed)
        a = np.asarray(im, dtype=np.float32) + rng.normal(0.0, 255 * noise, (im.height, im.width))
        im = Image.fromarray(np.clip(a, 0, 255).astype("uint8"))
    return im


def write_scan_pdf(src: str | Path, dst: str | Path, dpi: int = 300, rotate: float = 0.0, blur: float = 0.0,
                   noise: float = 0.0, seed: int = 0) -> Path:
    """Every page of ``src`` as an image-only page of ``dst`` (see ``scan_image``)."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(str(src))
    try:
        c = canvas.Canvas(str(dst))
        rng = random.Random(seed)
        for i in range(len(doc)):
            page = doc[i]
            try:
                im = scan_image(page, dpi, rotate, blur, noise, rng.randrange(1 << 30))
            finally:
                page.close()
            w, h = im.width * 72.0 / dpi, im.height * 72.0 / dpi
            c.setPageSize((w, h))
            c.drawImage(ImageReader(im), 0, 0, w, h)
            c.showPage()
        c.save()
    finally:
        doc.close()
    return dst
