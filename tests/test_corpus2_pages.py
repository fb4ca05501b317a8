"""Front-page furniture and stacked briefs on pages of the second generator
(tests/fixtures/corpus2/dev, set by Typst): nameplate ears and teaser boxes are
furniture, a column of short stories under a label splits per story, and the
front page stays page 1 whatever its teasers point to."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tasks.evaluation.probes import norm

DEV = Path(__file__).resolve().parent / "fixtures" / "corpus2" / "dev"
XWRB = DEV / "xwrb" / "1998-01-10"
RECORD = DEV / "capital-record" / "2005-10-30"


def _front(edition_dir: Path):
    from tasks.pipeline import build_edition, parse_file

    pdf = next(edition_dir.glob("*.pdf"))
    truth = json.loads((edition_dir / "truth.json").read_text(encoding="utf-8"))
    edition = build_edition([parse_file(pdf, guarded=False)], "dev", dt.date.fromisoformat(truth["edition_date"]))
    page1 = [a for a in edition.articles if a.page_numbers and a.page_numbers[0] == 1]
    return edition, page1, truth["pages"][0]


@pytest.fixture(scope="module")
def xwrb():
    return _front(XWRB)


@pytest.fixture(scope="module")
def record():
    return _front(RECORD)


def _text(a) -> str:
    return norm(a.kicker + a.headline + a.subheadline + a.byline + a.body)


def test_nameplate_ears_and_teaser_box_are_furniture(xwrb):
    edition, page1, truth = xwrb
    texts = [_text(a) for a in page1]
    for s in ["国内统一连续出版物号", "CN 11-0065", "代号1-1", "第11264期", "今日6版", "丁丑年腊月十二", "零售价",
              "导读", "『洋马』怎么变成了『海马』", "运城党组织为群众致富架金桥"]:
        assert not any(norm(s) in t for t in texts), s


def test_front_page_pointing_to_page_two_is_page_one(xwrb, record):
    for edition, _, _ in (xwrb, record):
        assert edition.pages[0].page_number == 1


def test_stacked_short_stories_under_a_label_split_per_story(xwrb):
    """国内短波: four stories under bold body-size titles; the label heads none of them."""
    _, page1, _ = xwrb
    heads = [a.headline for a in page1]
    for title in ["图片新闻", "天然物质催熟保鲜", "别让孩子“公务缠身”", "祈祷新年好运"]:
        assert title in heads, heads
    assert "国内短波" not in heads
    cut = next(a for a in page1 if a.headline == "天然物质催熟保鲜")
    assert cut.body.startswith("美国科学家最近发现") and cut.body.endswith("保鲜作用。")


def test_english_ears_and_inside_box_are_furniture(record):
    _, page1, _ = record
    texts = [_text(a) for a in page1]
    for s in ["VOL. CIII", "No. 54,107", "SUNDAY, OCTOBER 30, 2005", "$1.00", "INSIDE",
              "The Alternative Tax Regime Will Apply, A2"]:
        assert not any(norm(s) in t for t in texts), s
