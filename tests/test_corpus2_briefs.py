"""Stacked short stories on pages of the second generator (tests/fixtures/corpus2/dev,
set by Typst): titles marked with ■ (the mark is decoration, not title), English
briefs with bold run-in titles (``Item D.`` then the text in the body face on the
same line, the title wrapped over lines, a justified title line that came apart at
a wide space), each checked against the page's own truth."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import pytest

from tasks.evaluation.evaluate import similarity, squeeze

DEV = Path(__file__).resolve().parent / "fixtures" / "corpus2" / "dev"


@functools.lru_cache(maxsize=None)
def _edition(name: str):
    from tasks.pipeline import build_edition, parse_file

    d = DEV / name
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    edition = build_edition([parse_file(next(d.glob("*.pdf")), guarded=False)], "dev",
                            dt.date.fromisoformat(truth["edition_date"]))
    return edition, truth


def _on_page(name: str, page: int):
    edition, truth = _edition(name)
    predicted = [a for a in edition.articles if page in a.page_numbers]
    briefs = [a for a in truth["articles"] if a["kind"] == "brief" and a["pages"] == [page]]
    assert briefs, "the page has a column of briefs"
    return predicted, briefs


@pytest.mark.parametrize("name,page", [("xwrb/1998-01-10", 3), ("xwrb/1998-01-14", 1)])
def test_square_marked_brief_titles_lose_the_mark(name, page):
    predicted, briefs = _on_page(name, page)
    heads = [a.headline for a in predicted]
    assert not [h for h in heads if h.startswith("■")]
    assert [b["headline"] for b in briefs if b["headline"] not in heads] == []


@pytest.mark.parametrize("name,page", [("capital-record/2005-10-30", 2), ("capital-record/2005-10-30", 3)])
def test_bold_run_in_titles_open_their_items(name, page):
    predicted, briefs = _on_page(name, page)
    assert any(b["layout"].get("title") == "runin" for b in briefs)
    by_head = {a.headline: a for a in predicted}
    for b in briefs:
        a = by_head.get(b["headline"])  # no stop after the title; the wrapped and split title lines joined
        assert a is not None, (b["headline"], sorted(by_head))
        assert similarity(squeeze("".join(b["paragraphs"])), squeeze(a.body)) >= 0.98, b["headline"]
    assert not [a.headline for a in predicted if not a.body.strip()]  # no title left without its text
