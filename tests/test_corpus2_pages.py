"""Front-page furniture and stacked briefs on pages of the second generator
(tests/fixtures/corpus2/dev, set by Typst): nameplate ears (date, weekday, lunar
date, 今日N版, 国内统一连续出版物号, CN 11-0065, 代号, 第N期, price; VOL. ... No. ...,
$1.00) and teaser boxes (导读 / INSIDE with page pointers) are furniture, a column
of short stories under bold titles splits per story, and the front page stays
page 1 whatever its teasers point to. Checked against each page's own truth."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tasks.evaluation.probes import norm

DEV = Path(__file__).resolve().parent / "fixtures" / "corpus2" / "dev"
EDITIONS = ["xwrb/1998-01-10", "xwrb/1998-01-15", "xwrb/1998-01-19", "capital-record/2005-10-30"]


@pytest.fixture(scope="module", params=EDITIONS)
def front(request):
    from tasks.pipeline import build_edition, parse_file

    d = DEV / request.param
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    edition = build_edition([parse_file(next(d.glob("*.pdf")), guarded=False)], "dev",
                            dt.date.fromisoformat(truth["edition_date"]))
    page1 = [a for a in edition.articles if a.page_numbers and a.page_numbers[0] == 1]
    return edition, page1, truth


def test_nameplate_ears_and_teaser_boxes_are_furniture(front):
    _, page1, truth = front
    texts = [norm(a.kicker + a.headline + a.subheadline + a.byline + a.body) for a in page1]
    furniture = truth["pages"][0]["furniture"]
    assert len(furniture) >= 5
    assert [f for f in furniture if any(norm(f) in t for t in texts)] == []


def test_front_page_pointing_to_later_pages_is_page_one(front):
    edition, _, _ = front
    assert edition.pages[0].page_number == 1


def test_stacked_short_stories_split_per_story(front):
    _, page1, truth = front
    briefs = [a["headline"] for a in truth["articles"] if a["kind"] == "brief" and a["pages"][0] == 1]
    heads = [a.headline for a in page1]
    assert [b for b in briefs if b not in heads] == []
