"""A story set wider than its headline on a page of the second generator
(tests/fixtures/corpus2/dev, set by Typst): its third column has no title over it,
and the next story's headline beside it must not take it.  The column opens in
lower case and goes on the sentence the story's second column breaks off."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tasks.evaluation.evaluate import similarity, squeeze

DEV = Path(__file__).resolve().parent / "fixtures" / "corpus2" / "dev"


def test_a_column_beside_the_next_headline_stays_with_the_story_it_goes_on():
    from tasks.pipeline import build_edition, parse_file

    d = DEV / "capital-record" / "2006-01-01"
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    page = [parse_file(d / "page_03.pdf", guarded=False)]
    edition = build_edition(page, "dev", dt.date.fromisoformat(truth["edition_date"]))
    for head in ("Additional Information", "Paperwork Reduction Act Notice"):
        t = next(a for a in truth["articles"] if a["headline"] == head and a["pages"] == [3])
        a = next(a for a in edition.articles if a.headline == head)
        assert similarity(squeeze("".join(t["paragraphs"])), squeeze(a.body)) >= 0.98, head
    wide = next(a for a in truth["articles"] if a["headline"] == "Additional Information" and a["pages"] == [3])
    assert wide["layout"]["span"] == 3
