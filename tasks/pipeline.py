"""The whole path without Prefect: files → Edition.

The Prefect flow (`flows/ingest.py`) runs the same functions as tasks; the
evaluation harness and the benchmarks call these directly.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tasks import PARSER_VERSION
from tasks.extract import UnreadableFile, extract_file, extract_file_guarded, file_sha256
from tasks.furniture import fill_page_numbers, mark_running_heads
from tasks.layout import layout_page
from tasks.model import Article, Edition, PageLayout, Quarantined
from tasks.segment import segment_edition
from tasks.tag import tag_article

__all__ = [
    "PARSER_VERSION",
    "ParsedFile",
    "parse_file",
    "build_edition",
    "process_files",
    "expand_paths",
    "edition_from_path",
    "edition_date_from_text",
]

SUFFIXES = (".pdf", ".txt")


@dataclass(slots=True)
class ParsedFile:
    """One input file read through extract and layout."""

    path: str
    sha256: str
    layouts: list[PageLayout] = field(default_factory=list)
    problems: list[Quarantined] = field(default_factory=list)


def file_limits() -> tuple[float, int]:
    """(seconds, MB) one PDF may cost to extract: ``BROADSHEET_FILE_TIMEOUT`` and
    ``BROADSHEET_FILE_MEMORY_MB`` (defaults 300 s and 2048 MB)."""
    return (
        float(os.environ.get("BROADSHEET_FILE_TIMEOUT", "300")),
        int(os.environ.get("BROADSHEET_FILE_MEMORY_MB", "2048")),
    )


def parse_file(path: str | Path, engine: str = "pdfium", guarded: bool = True, ocr: str = "auto",
               reader=None) -> ParsedFile:
    """Extract and lay out every page of one file; bad files become problems.

    ``ocr`` (auto | off | force): which pages are read by OCR (tasks/ocr.py),
    inside the same guarded child.

    PDFs are extracted in a child process with a time and memory ceiling
    (``file_limits``), so a PDF bomb costs its file, not the run;
    ``guarded=False`` extracts in this process (tests, benchmarks).  A
    ``tasks.guard.GuardedReader`` as ``reader`` reuses one such child for
    many files (same ceilings, no interpreter start per file).
    """
    path = str(path)
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return ParsedFile(path, "", problems=[Quarantined(path, "", "unreadable", f"cannot read file: {exc}")])
    try:
        if guarded and not path.lower().endswith(".txt"):
            timeout_s, memory_mb = file_limits()
            if ocr != "off":  # onnxruntime's buffers for a 300-dpi page need more address space, and time
                memory_mb = max(memory_mb, int(os.environ.get("BROADSHEET_OCR_MEMORY_MB", "4096")))
                timeout_s = max(timeout_s, float(os.environ.get("BROADSHEET_OCR_TIMEOUT", "1800")))
            if reader is not None:
                result = reader.extract(path, engine=engine, timeout_s=timeout_s, max_memory_mb=memory_mb, ocr=ocr)
            else:
                result = extract_file_guarded(path, engine=engine, timeout_s=timeout_s, max_memory_mb=memory_mb,
                                              ocr=ocr)
        else:
            result = extract_file(path, engine=engine, ocr=ocr)
    except UnreadableFile as exc:
        return ParsedFile(path, sha, problems=[Quarantined(path, sha, exc.status, exc.reason)])
    except Exception as exc:  # a parser bug must not sink the edition
        return ParsedFile(path, sha, problems=[Quarantined(path, sha, "error", f"{type(exc).__name__}: {exc}")])
    parsed = ParsedFile(path, sha, problems=list(result.problems))
    for page in result.pages:
        try:
            layout = layout_page(page)
            layout.ocr = page.ocr
            parsed.layouts.append(layout)
        except Exception as exc:
            parsed.problems.append(
                Quarantined(path, sha, "error", f"layout failed: {type(exc).__name__}: {exc}", page.page_index)
            )
    return parsed


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files under the given files and folders, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    seen: set[Path] = set()
    return [f for f in out if not (f.resolve() in seen or seen.add(f.resolve()))]


_PATH_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def edition_from_path(path: str | Path) -> tuple[str | None, dt.date | None]:
    """``<paper>/<YYYY-MM-DD>/page.pdf`` → (paper, date)."""
    parts = Path(path).parts
    for i in range(len(parts) - 2, -1, -1):
        m = _PATH_DATE.match(parts[i])
        if m:
            try:
                date = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
            paper = parts[i - 1] if i > 0 else None
            return paper, date
    return None, None


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_DATE = re.compile(r"\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b")
_EN_DATE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_EN_DATE_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def edition_date_from_text(text: str) -> dt.date | None:
    """The edition date printed in a header band (2022年4月6日, March 15, 2024)."""
    from tasks.clean import normalize_text

    text = normalize_text(text)
    candidates: list[tuple[int, int, int]] = []
    for m in _ZH_DATE.finditer(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    for m in _ISO_DATE.finditer(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    for m in _EN_DATE.finditer(text):
        if m[1].lower() in _MONTHS:
            candidates.append((int(m[3]), _MONTHS[m[1].lower()], int(m[2])))
    for m in _EN_DATE_DMY.finditer(text):
        if m[2].lower() in _MONTHS:
            candidates.append((int(m[3]), _MONTHS[m[2].lower()], int(m[1])))
    for y, mo, d in candidates:
        try:
            return dt.date(y, mo, d)
        except ValueError:
            continue
    return None


def _page_sort_key(layout: PageLayout) -> tuple[int, str, int]:
    return (layout.page_number if layout.page_number is not None else 10_000, layout.source_file, layout.page_index)


def build_edition(
    parsed: list[ParsedFile],
    publication: str,
    edition_date: dt.date,
    idf: dict[str, float] | None = None,
    date_source: str = "",
) -> Edition:
    """Segment and tag the parsed files of one edition."""
    layouts: list[PageLayout] = [lay for pf in parsed for lay in pf.layouts]
    fill_page_numbers(layouts)
    mark_running_heads(layouts)
    if all(lay.page_number is not None for lay in layouts):
        layouts.sort(key=_page_sort_key)
    articles: list[Article] = segment_edition(layouts, publication, edition_date)
    articles = [tag_article(a, idf=idf) for a in articles]
    set_ocr_confidence(layouts, articles)
    return Edition(
        publication=publication,
        edition_date=edition_date,
        pages=layouts,
        articles=articles,
        quarantined=[q for pf in parsed for q in pf.problems],
        files=[(pf.path, pf.sha256) for pf in parsed],
        date_source=date_source,
        date_warning=header_date_warning(layouts, edition_date, date_source),
    )


def set_ocr_confidence(layouts: list[PageLayout], articles: list[Article]) -> None:
    """``Article.ocr_confidence``: the mean score of the OCR lines inside its
    boxes (the page's mean when none falls inside); None for text-layer articles."""
    from tasks.segment import page_numbers_for

    by_number = {n: lay for lay, n in zip(layouts, page_numbers_for(layouts)) if lay.ocr is not None}
    if not by_number:
        return
    for art in articles:
        scores: list[float] = []
        pages_hit = []
        for page_no, (x0, top, x1, bottom) in art.boxes:
            lay = by_number.get(page_no)
            if lay is None:
                continue
            pages_hit.append(lay)
            for (lx0, ltop, lx1, lbottom), score in lay.ocr.lines:
                cx, cy = (lx0 + lx1) / 2, (ltop + lbottom) / 2
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    scores.append(score)
        if not scores:
            scores = [lay.ocr.confidence for lay in pages_hit]
        if scores:
            art.ocr_confidence = round(sum(scores) / len(scores), 4)


def header_date_warning(layouts: list[PageLayout], edition_date: dt.date, date_source: str = "") -> str:
    """A warning when page headers print a date other than the edition's, else "".

    The edition date may come from an option or the path; the header is what
    the paper printed, so a disagreement is worth a look (a file dropped in
    the wrong day's folder, a wrong ``--date``)."""
    printed: dict[dt.date, list[str]] = {}
    for lay in layouts:
        date = edition_date_from_text(lay.header_text)
        if date is not None and date != edition_date:
            where = f"p{lay.page_number}" if lay.page_number is not None else Path(lay.source_file).name
            printed.setdefault(date, []).append(where)
    if not printed:
        return ""
    said = "; ".join(f"{d.isoformat()} on {', '.join(pages[:5])}{' ...' if len(pages) > 5 else ''}"
                     for d, pages in sorted(printed.items()))
    origin = date_source.split("date from ")[-1] if "date from " in date_source else "the edition"
    return f"page headers print {said}, but the edition is dated {edition_date.isoformat()} (date from {origin})"


def resolve_edition(
    files: list[str | Path],
    parsed: list[ParsedFile],
    publication: str | None,
    edition_date: dt.date | None,
) -> tuple[str, dt.date, str]:
    """Publication and date: from the options, else the path, else the header.

    The third value says where each came from, for the run log
    (``publication from path, date from header``).
    """
    pub_src = "option" if publication else ""
    date_src = "option" if edition_date else ""
    for f in files:
        if publication and edition_date:
            break
        paper, date = edition_from_path(f)
        if publication is None and paper:
            publication, pub_src = paper, "path"
        if edition_date is None and date:
            edition_date, date_src = date, "path"
    if edition_date is None:
        for lay in (lay for pf in parsed for lay in pf.layouts):
            date = edition_date_from_text(lay.header_text)
            if date:
                edition_date, date_src = date, "header"
                break
    if edition_date is None:
        edition_date, date_src = dt.date.today(), "today (none in options, path or header)"
    if not publication:
        publication, pub_src = "unknown", "default (none in options or path)"
    return publication, edition_date, f"publication from {pub_src}, date from {date_src}"


def process_files(
    files: list[str | Path],
    publication: str | None = None,
    edition_date: dt.date | None = None,
    engine: str = "pdfium",
    idf: dict[str, float] | None = None,
    guarded: bool = True,
    ocr: str = "auto",
) -> Edition:
    """Files of one edition → an Edition ready to load (no Prefect, no DuckDB)."""
    paths = expand_paths(files)
    parsed = [parse_file(p, engine=engine, guarded=guarded, ocr=ocr) for p in paths]
    pub, date, source = resolve_edition(paths, parsed, publication, edition_date)
    return build_edition(parsed, pub, date, idf=idf, date_source=source)
