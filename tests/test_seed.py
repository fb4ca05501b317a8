"""The real sample page (../shared/seed): 7 articles as a reader sees them."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.pipeline import process_files

REPORTER = "孙庆辉"
CORRESPONDENTS = ["寄静媛", "冯志斌", "李超", "丁彦丁", "帖姣"]


@pytest.fixture(scope="module")
def seed_edition(seed_page):
    return process_files([seed_page], publication="gxsb", edition_date=dt.date(2022, 4, 6))


def test_seven_articles_each_opening_with_its_dateline(seed_edition):
    arts = seed_edition.articles
    assert len(arts) == 7
    for a in arts:
        assert a.paragraphs[0].startswith("本报讯")
        assert a.dateline.startswith("本报讯")


def test_every_article_has_its_reporter_by_role(seed_edition):
    for a in seed_edition.articles:
        roles = {(p.name, p.role) for p in a.people}
        assert (REPORTER, "reporter") in roles, (a.byline, roles)


def test_correspondents_and_photographer(seed_edition):
    found = {p.name for a in seed_edition.articles for p in a.people if p.role == "correspondent"}
    assert found == set(CORRESPONDENTS)
    first = seed_edition.articles[0]
    assert ("方宝岭", "photographer") in {(p.name, p.role) for p in first.people}


def test_bylines_are_not_in_bodies(seed_edition):
    for a in seed_edition.articles:
        assert "记者 孙庆辉" not in a.body and "孙庆辉" not in a.body
        assert "文/图" not in a.body


def test_dates_resolve_to_the_edition_year(seed_edition):
    dates = [a.dateline_date for a in seed_edition.articles]
    assert dates == [
        dt.date(2022, 3, 28), dt.date(2022, 3, 29), dt.date(2022, 3, 29), dt.date(2022, 4, 2),
        dt.date(2022, 4, 2), dt.date(2022, 3, 31), dt.date(2022, 4, 1),
    ]


def test_no_line_break_artefacts(seed_edition):
    bodies = "\n".join(a.body for a in seed_edition.articles)
    assert "郑州高新区" in bodies
    assert "3月28日" in bodies and "3月 28日" not in bodies
    assert "疫情防控工作会议精神" in bodies
    assert "2022年城市内涝" in bodies
    assert "\n\n" not in bodies


def test_paragraphs_are_rebuilt(seed_edition):
    first = seed_edition.articles[0]
    assert first.paragraphs[0].endswith("迎接党的二十大胜利召开。")
    assert first.paragraphs[1].startswith("会议先后学习了")
    assert len(first.paragraphs) >= 6


OFFICIALS = {"张红军", "程曦", "吴岩", "周伟", "梁爽", "张杰", "肖鹏", "郑彦松", "李可", "韩超", "赵毅", "杜怀锋"}
COMPANIES = {"渤海银行郑州分行", "中国民生银行郑州分行", "中电光谷集团", "天集产城集团"}


def test_officials_companies_and_topics(seed_edition):
    arts = seed_edition.articles
    people = {t.value for a in arts for t in a.tags if t.kind == "person"}
    assert OFFICIALS <= people
    assert not {"高新区", "管委会", "孙庆辉"} & people  # places, bodies and bylines are not mentions
    titled = {p.name: p.title for a in arts for p in a.people if p.role == "mentioned"}
    assert "管委会主任" in titled["张红军"]
    orgs = {t.value for a in arts for t in a.tags if t.kind == "organization"}
    assert COMPANIES <= orgs
    topics = [[t.value for t in a.tags if t.kind == "topic"] for a in arts]
    expected = ["epidemic", "finance", "finance", "investment", "investment", "urban_construction", "flood_control"]
    for got, want in zip(topics, expected):
        assert want in got, (want, got)
