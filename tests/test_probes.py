"""Real-page probes (tests/probes/*.json) over ../shared/real_pdfs.

The probe truth was written by reading the rendered pages; these tests check
it against each PDF's own text, run the scorer, and check that the
non-newspaper controls come through without crashing or scrambling lines.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tasks.evaluation.probes import default_pdf_dir, load_probes, norm, score_probes

ROOT = Path(__file__).resolve().parents[1]
PROBES = ROOT / "tests" / "probes"
PDFS = default_pdf_dir(ROOT)
CONTROLS = ["en_bulletin_irs-i1040nr-2007_2col.pdf", "en_paper_dpr_2col_2p.pdf",
            "en_gazette_federal-register-2020-17221_3col.pdf"]

needs_pdfs = pytest.mark.skipif(not PDFS.is_dir(), reason=f"real pages not available: {PDFS} is absent")


def test_probe_files_are_well_formed():
    probes = load_probes(PROBES)
    assert len(probes) >= 5
    for probe in probes:
        assert probe["file"].endswith(".pdf")
        for pg in probe["pages"]:
            assert isinstance(pg["page_index"], int) and isinstance(pg["page_number"], int)
            assert pg["furniture"] is not None
            for art in pg["articles"]:
                assert art["headline"] and art["phrases"]
                assert pg["page_index"] in art.get("pages", [pg["page_index"]])
                # phrases, not the page's text
                assert all(len(p) <= 60 for p in art["phrases"]), art["headline"]


@needs_pdfs
def test_probe_truth_is_on_the_page():
    """Every headline, kicker, phrase and furniture string is in its page's chars."""
    import pdfplumber

    for probe in load_probes(PROBES):
        with pdfplumber.open(PDFS / probe["file"]) as pdf:
            for pg in probe["pages"]:
                pages = {pg["page_index"]} | {i for a in pg["articles"] for i in a.get("pages", [])}
                texts = []
                for i in sorted(pages):
                    p = pdf.pages[i]
                    texts += [norm(p.extract_text()), norm("".join(c["text"] for c in p.chars))]
                wanted = [s for a in pg["articles"] for s in [a["headline"], a.get("kicker", ""), *a["phrases"]] if s]
                for s in wanted + pg["furniture"]:
                    assert any(norm(s) in t for t in texts), (probe["file"], pg["page_index"], s)


@pytest.fixture(scope="module")
def probe_report():
    if not PDFS.is_dir():
        pytest.skip(f"real pages not available: {PDFS} is absent")
    return score_probes(PROBES, PDFS)


def test_scorer_reports_every_probed_page(probe_report):
    n_pages = sum(len(p["pages"]) for p in load_probes(PROBES))
    n_articles = sum(len(pg["articles"]) for p in load_probes(PROBES) for pg in p["pages"])
    t = probe_report["totals"]
    assert not probe_report["missing"]
    assert t["pages"] == n_pages and t["articles"] == n_articles
    assert 0 <= t["whole"] <= t["articles"]
    assert 0 <= t["furniture_leaked"] <= t["furniture"]
    for p in probe_report["pages"]:
        assert p.whole + len(p.misses) == p.articles


def test_scorer_counts_a_known_page(probe_report):
    """Figures the engine is held to on real pages (see README, real-page probes)."""
    t = probe_report["totals"]
    assert t["page_numbers_right"] >= 5
    assert t["whole"] >= 4


def _column_lines(page) -> list[str]:
    """The page's printed lines, one column at a time: words of one row split at gaps wider than the type."""
    words = sorted(page.extract_words(extra_attrs=["size"]), key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(rows[-1][-1]["top"] - w["top"]) < 0.4 * w["size"]:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        line = [row[0]]
        for a, b in zip(row, row[1:]):
            if b["x0"] - a["x1"] > 1.2 * max(a["size"], b["size"]):
                out.append(" ".join(w["text"] for w in line))
                line = []
            line.append(b)
        out.append(" ".join(w["text"] for w in line))
    return [ln for ln in out if len(ln.split()) >= 5]


@needs_pdfs
@pytest.mark.parametrize("name", CONTROLS)
def test_controls_do_not_crash_or_scramble(name, tmp_path):
    """Two- and three-column documents that are not newspapers: every page is laid
    out, and their printed lines come out whole in the articles' text."""
    import pdfplumber
    import pypdfium2 as pdfium

    from tasks.pipeline import build_edition, parse_file
    from tasks.segment import segment_edition_with_leftovers

    src = pdfium.PdfDocument(PDFS / name)
    part = pdfium.PdfDocument.new()
    part.import_pages(src, list(range(min(4, len(src)))))
    path = tmp_path / name
    part.save(path)
    parsed = parse_file(path, guarded=False)
    assert not [q for q in parsed.problems if q.status == "error"], parsed.problems
    assert len(parsed.layouts) == len(part)
    edition = build_edition([parsed], "control", dt.date(2020, 1, 1))
    assert edition.articles
    seg = segment_edition_with_leftovers(edition.pages, "control", dt.date(2020, 1, 1))
    out = norm("".join(a.kicker + a.headline + a.subheadline + a.byline + a.body for a in edition.articles))
    out += norm("".join(seg.dropped))
    with pdfplumber.open(path) as pdf:
        lines = [ln for p in pdf.pages for ln in _column_lines(p)]
    # letters and digits only: a bold run-in head's stop ("Capital gain tax rate
    # reduced. The ...") is the title's decoration, kept out of its headline
    words = lambda s: re.sub(r"[\W_]+", "", s)  # noqa: E731
    out = words(out)
    whole = sum(words(norm(ln)) in out for ln in lines)
    assert whole >= 0.9 * len(lines), (whole, len(lines))


def test_eval_probes_command(tmp_path):
    """`broadsheet eval --probes DIR` prints the probe table (or says the PDFs are absent)."""
    import io

    from flows.cli import main

    out = io.StringIO()
    probe_dir = tmp_path / "probes"
    probe_dir.mkdir()
    (probe_dir / "dpr.json").write_text(
        '{"file": "en_paper_dpr_2col_2p.pdf", "pages": [{"page_index": 0, "page_number": 1, "articles": [], "furniture": []}]}'
    )
    assert main(["eval", "--probes", str(probe_dir), "--pdf-dir", str(PDFS)], stdout=out) == 0
    text = out.getvalue()
    if PDFS.is_dir():
        assert "real-page probes" in text and "page number right on" in text
    else:
        assert "not found, skipped" in text


def test_probe_credits_are_well_formed():
    listed = 0
    for probe in load_probes(PROBES):
        for pg in probe["pages"]:
            for art in pg["articles"]:
                for c in art.get("credits", []):
                    assert c["name"].strip() and c["role"] in ("author", "reporter", "correspondent", "photographer", "agency")
                    listed += 1
    assert listed >= 20


@needs_pdfs
def test_probe_credits_are_printed_on_their_pages():
    """A credited name is in its article's pages (small capitals read case-blind)."""
    import pdfplumber

    for probe in load_probes(PROBES):
        with pdfplumber.open(PDFS / probe["file"]) as pdf:
            for pg in probe["pages"]:
                for art in pg["articles"]:
                    pages = art.get("pages", [pg["page_index"]])
                    text = "".join(norm("".join(c["text"] for c in pdf.pages[i].chars)).casefold() for i in pages)
                    for c in art.get("credits", []):
                        assert norm(c["name"]).casefold().replace(".", "") in text.replace(".", ""), (probe["file"], c)


def test_credit_score_counts_names_roles_and_extras():
    from tasks.evaluation.probes import PageScore, _score_credits
    from tasks.model import Article, Person

    s = PageScore("x.pdf", 0)
    art = {"headline": "H", "credits": [{"name": "Jane Doe", "role": "author"}, {"name": "John Roe", "role": "author"}]}
    a = Article(publication="p", edition_date=dt.date(2024, 1, 1), paragraphs=["text"], headline="H", people=[Person("JANE DOE", "reporter"), Person("Mat-Su Monitor", "author"),
                                                           Person("John Roe", "mentioned"), Person("Ann Lee", "editor")])
    _score_credits(s, art, a)
    assert (s.credits, s.credits_found, s.credits_role_right, s.credits_extra) == (2, 1, 0, 1)
    assert any("John Roe not found" in m for m in s.credit_misses) and any("Mat-Su Monitor" in m for m in s.credit_misses)
