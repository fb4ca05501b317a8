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


# --------------------------------------------------------------------------
# broadsheet eval --scan: the same truth, read from scans
# --------------------------------------------------------------------------

DEFAULT_SCAN_TRUTH = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "corpus2" / "dev"


def scan_settings(dpi: int) -> dict[str, float]:
    """How a scan at ``dpi`` is degraded: a little turned, blurred and noisy (worse at lower dpi)."""
    worse = 300.0 / dpi
    return {"dpi": dpi, "rotate": 0.6 * worse, "blur": 0.5 * worse, "noise": 0.02 * worse}


def scan_extractor(workdir: Path, dpi: int, stats: dict[str, float]):
    """The pipeline reading scans (made at ``dpi``) of an edition's files, by OCR."""
    import time

    from tasks.evaluation.evaluate import edition_files, from_model_article
    from tasks.pipeline import process_files

    def run(edition):
        files = []
        for k, f in enumerate(edition_files(edition)):
            dst = workdir / f"{dpi}dpi" / edition.publication / edition.edition_date.isoformat() / f.name
            files.append(write_scan_pdf(f, dst, seed=k, **scan_settings(dpi)))
        t0 = time.perf_counter()
        result = process_files(files, edition.publication, edition.edition_date, ocr="auto")
        stats["seconds"] = stats.get("seconds", 0.0) + time.perf_counter() - t0
        stats["pages"] = stats.get("pages", 0) + sum(1 for lay in result.pages if lay.ocr is not None)
        confs = [lay.ocr.confidence for lay in result.pages if lay.ocr is not None]
        stats["confidence_sum"] = stats.get("confidence_sum", 0.0) + sum(confs)
        for q in result.quarantined:  # a scan that was not read is a figure too
            stats[f"quarantined_{q.status}"] = stats.get(f"quarantined_{q.status}", 0) + 1
        return [from_model_article(a, edition) for a in result.articles]

    return run


def plumber_pages_per_second(editions) -> float:
    """pdfplumber ``extract_text()`` on the born-digital originals, pages per second."""
    import time

    import pdfplumber

    from tasks.evaluation.evaluate import edition_files

    pages, t0 = 0, time.perf_counter()
    for e in editions:
        for f in edition_files(e):
            with pdfplumber.open(str(f)) as pdf:
                for p in pdf.pages:
                    p.extract_text()
                    pages += 1
    return pages / max(time.perf_counter() - t0, 1e-9)


def run_scan_eval(truth_dirs: list[Path] | None = None, dpis: tuple[int, ...] = (300, 200),
                  max_editions: int | None = None, workdir: Path | None = None):
    """Score born-digital reading and scans at each dpi against the same truth (an ``EvalReport``).

    OCR readings are cached by page image under ``workdir/ocr-cache`` (see
    ``tasks.ocr.CACHE_ENV``): with a kept ``workdir`` a second run re-scores
    layout changes without reading the scans again.
    """
    import os
    import tempfile

    from tasks.ocr import CACHE_ENV

    from tasks.evaluation.evaluate import build_report, load_truth, pipeline_extractor

    editions = [e for d in (truth_dirs or [DEFAULT_SCAN_TRUTH]) for e in load_truth(Path(d))]
    if max_editions:
        # spread over the publications: one edition of each in turn
        by_pub: dict[str, list] = {}
        for e in editions:
            by_pub.setdefault(e.publication, []).append(e)
        spread = [e for group in zip(*by_pub.values()) for e in group]
        editions = (spread + [e for e in editions if e not in spread])[:max_editions]
    if not editions:
        raise FileNotFoundError(f"no truth.json under {truth_dirs}")
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="broadsheet-scan-")
        workdir = Path(tmp.name)
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(Path(workdir) / "ocr-cache")  # the guarded child inherits it
    try:
        stats: dict[int, dict[str, float]] = {d: {} for d in dpis}
        systems = {"born-digital": pipeline_extractor()}
        for d in dpis:
            systems[f"scan-{d}dpi"] = scan_extractor(Path(workdir), d, stats[d])
        report = build_report(editions, systems, {"system": "scan", "settings": {d: scan_settings(d) for d in dpis}})
        speed = {"pdfplumber_extract_text_pages_per_s": round(plumber_pages_per_second(editions), 3)}
        for d, s in stats.items():
            if s.get("pages"):
                speed[f"ocr_{d}dpi_pages_per_s"] = round(s["pages"] / s["seconds"], 4)
                speed[f"ocr_{d}dpi_mean_confidence"] = round(s["confidence_sum"] / s["pages"], 4)
            for k, v in s.items():
                if k.startswith("quarantined_"):
                    speed[f"scan_{d}dpi_{k}"] = v
        report.meta["speed"] = speed
        return report
    finally:
        if before is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = before
        if tmp is not None:
            tmp.cleanup()


def format_scan_report(report) -> str:
    from tasks.evaluation.evaluate import format_report

    speed = report.meta.get("speed", {})
    lines = [format_report(report), ""]
    lines += [f"{k}: {v}" for k, v in speed.items()]
    return "\n".join(lines)
