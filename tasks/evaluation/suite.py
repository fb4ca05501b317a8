"""Every corpus the engine is measured on, each reported on its own (``broadsheet eval``).

- ``reportlab``: the corpus of this project's own typesetter (``tasks.evaluation.corpus``),
  generated for a seed into a temporary folder (seed 0 is the development corpus), or read
  from a folder given;
- ``typst dev`` / ``typst held-out``: the committed Typst-set corpus (``tests/fixtures/corpus2``);
  the held-out figures count only while nothing is tuned on its pages;
- ``real-page probes``: probe truth for real pages (``tests/probes``, ``tasks.evaluation.probes``)
  on the PDFs of ``../shared/real_pdfs`` (skipped with a note when that folder is absent).

Pooling them would let the corpus the engine was written against hide the others, so
each gets its own block and a row in the summary.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tasks.evaluation.evaluate import BASELINE, SYSTEM, EvalReport, format_report, run_eval

REPO = Path(__file__).resolve().parents[2]
CORPUS2 = REPO / "tests" / "fixtures" / "corpus2"
PROBES = REPO / "tests" / "probes"


@dataclass(slots=True)
class Corpus:
    name: str
    path: Path | None = None  # a ground-truth tree; None: generate (reportlab seed)
    seed: int | None = None


def default_corpora(reportlab: Path | None = None, reportlab_seed: int | None = 0) -> list[Corpus]:
    out: list[Corpus] = []
    if reportlab is not None:
        out.append(Corpus(f"reportlab ({reportlab})", path=Path(reportlab)))
    elif reportlab_seed is not None:
        out.append(Corpus(f"reportlab seed {reportlab_seed}", seed=reportlab_seed))
    out.append(Corpus("typst dev", path=CORPUS2 / "dev"))
    out.append(Corpus("typst held-out", path=CORPUS2 / "heldout"))
    return out


def _score(c: Corpus, engine: str, baseline: bool) -> EvalReport:
    if c.path is not None:
        return run_eval(c.path, engine=engine, baseline=baseline)
    from tasks.evaluation.corpus import generate_corpus

    with tempfile.TemporaryDirectory(prefix="broadsheet-reportlab-") as tmp:
        generate_corpus(Path(tmp), seed=int(c.seed or 0))
        return run_eval(Path(tmp), engine=engine, baseline=baseline)


def run_suite(corpora: Sequence[Corpus], engine: str = "pdfium", *, baseline: bool = False,
              probes: Path | None = PROBES, pdf_dir: Path | None = None) -> dict:
    """Score every corpus (and the probes); returns {"corpora": {name: EvalReport}, "probes": report|None, ...}."""
    reports: dict[str, EvalReport] = {}
    for c in corpora:
        if c.path is not None and not any(c.path.rglob("truth.json")):
            continue
        reports[c.name] = _score(c, engine, baseline)
    probe_report, probe_note = None, ""
    if probes is not None and Path(probes).is_dir():
        from tasks.evaluation.probes import default_pdf_dir, score_probes

        pdfs = Path(pdf_dir) if pdf_dir else default_pdf_dir()
        if pdfs.is_dir():
            probe_report = score_probes(Path(probes), pdfs, engine=engine)
        else:
            probe_note = f"real-page probes: {pdfs} not found, skipped"
    return {"corpora": reports, "probes": probe_report, "probe_note": probe_note}


_SUMMARY = (
    ("truth", "truth_articles", "{}"),
    ("pred", "predicted_articles", "{}"),
    ("P", "article_precision", "{:.3f}"),
    ("R", "article_recall", "{:.3f}"),
    ("F1", "article_f1", "{:.3f}"),
    ("body", "body_char_accuracy", "{:.3f}"),
    ("head", "headline_exact", "{:.3f}"),
    ("date", "dateline_date_exact", "{:.3f}"),
    ("jumps", "jumps_stitched", "{:.3f}"),
    ("briefs", "briefs_split", "{:.3f}"),
    ("leak", "leakage_rate", "{:.1%}"),
)


def summary_rows(result: dict, system: str = SYSTEM) -> list[list[str]]:
    rows = []
    for name, report in result["corpora"].items():
        figs = report.overall.get(system, {})
        row = [name]
        for _, key, fmt in _SUMMARY:
            v = figs.get(key)
            row.append("-" if v is None else fmt.format(v))
        rows.append(row)
    return rows


def format_suite(result: dict, files: bool = False) -> str:
    """Each corpus's block (overall rows; every file too with ``files``), the probes, then a summary."""
    out: list[str] = []
    for name, report in result["corpora"].items():
        out.append(f"== {name} ==")
        text = format_report(report)
        if not files:
            lines = text.splitlines()
            keep = lines[:2] + [ln for ln in lines if ln.startswith(("OVERALL", "error:"))]
            text = "\n".join(keep)
        out.append(text)
        out.append("")
    if result.get("probes") is not None:
        from tasks.evaluation.probes import format_probe_report

        out.append("== real-page probes ==")
        out.append(format_probe_report(result["probes"]))
        out.append("")
    elif result.get("probe_note"):
        out.append(result["probe_note"])
        out.append("")
    header = ["corpus"] + [h for h, _, _ in _SUMMARY]
    rows = summary_rows(result)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    out.append("== summary (broadsheet, each corpus on its own) ==")
    out.append(line(header))
    out.append("-" * len(line(header)))
    out.extend(line(r) for r in rows)
    p = result.get("probes")
    if p is not None:
        t = p["totals"]
        out.append(f"real-page probes: {t['whole']} of {t['articles']} articles whole, {t['fragments']} fragments, "
                   f"{t['extras']} extras, {t['furniture_leaked']} of {t['furniture']} furniture strings leaked, "
                   f"page number right on {t['page_numbers_right']} of {t['pages']} pages")
    return "\n".join(out)


def suite_json(result: dict) -> dict:
    probes = result.get("probes")
    return {
        "corpora": {name: r.to_json() for name, r in result["corpora"].items()},
        "probes": None if probes is None else {"totals": probes["totals"], "missing": probes["missing"]},
        "probe_note": result.get("probe_note", ""),
        "baseline_name": BASELINE,
    }


def write_json(result: dict, path: Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(suite_json(result), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                          encoding="utf-8")
