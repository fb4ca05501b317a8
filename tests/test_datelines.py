"""Datelines: every printed lead form, the year boundary, English forms."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.datelines import Dateline, parse_dateline, resolve_month_day

APRIL = dt.date(2022, 4, 6)
NEW_YEAR = dt.date(2023, 1, 1)


@pytest.mark.parametrize(
    "body, edition, expected",
    [
        ("本报讯 3月28日，郑州高新区召开会议。", APRIL, Dateline("本报讯 3月28日", dt.date(2022, 3, 28))),
        ("本报讯3月28日，郑州高新区召开会议。", APRIL, Dateline("本报讯3月28日", dt.date(2022, 3, 28))),
        ("本报讯 3月 28日，郑州高新区召开会议。", APRIL, Dateline("本报讯 3月 28日", dt.date(2022, 3, 28))),
        ("本报讯 3月29日上午，高新区党工委副书记", APRIL, Dateline("本报讯 3月29日", dt.date(2022, 3, 29))),
        ("本报讯（记者 李超）3月28日，会议召开。", APRIL,
         Dateline("本报讯（记者 李超）3月28日", dt.date(2022, 3, 28), "", "记者 李超")),
        ("本报讯（记者 李超 通讯员 王敏）近日，会议召开。", APRIL,
         Dateline("本报讯（记者 李超 通讯员 王敏）", None, "", "记者 李超 通讯员 王敏")),
        ("本报北京12月31日电 国务院常务会议", NEW_YEAR, Dateline("本报北京12月31日电", dt.date(2022, 12, 31), "北京")),
        ("新华社北京1月1日电（记者 王敏）国家统计局", NEW_YEAR,
         Dateline("新华社北京1月1日电", dt.date(2023, 1, 1), "北京", "记者 王敏", "新华社")),
        ("中新社郑州3月5日电 河南省", APRIL, Dateline("中新社郑州3月5日电", dt.date(2022, 3, 5), "郑州", "", "中新社")),
        ("本报讯 １２月３１日，会议召开。", NEW_YEAR, Dateline("本报讯 １２月３１日", dt.date(2022, 12, 31))),
        ("本报讯 三月二十八日，会议召开。", APRIL, Dateline("本报讯 三月二十八日", dt.date(2022, 3, 28))),
        ("本报讯 十二月三十一日，会议召开。", NEW_YEAR, Dateline("本报讯 十二月三十一日", dt.date(2022, 12, 31))),
        ("本报讯 四月二日上午，会议召开。", APRIL, Dateline("本报讯 四月二日", dt.date(2022, 4, 2))),
        ("3月29日上午，高新区召开会议。", APRIL, Dateline("3月29日", dt.date(2022, 3, 29))),
        ("本报讯 近日，高新区召开会议。", APRIL, Dateline("本报讯")),
        ("本报郑州讯（记者 李超）3月28日，会议召开。", APRIL,
         Dateline("本报郑州讯（记者 李超）3月28日", dt.date(2022, 3, 28), "郑州", "记者 李超")),
        ("（记者 李超）3月28日，会议召开。", APRIL, Dateline("（记者 李超）3月28日", dt.date(2022, 3, 28), "", "记者 李超")),
    ],
)
def test_zh_datelines(body: str, edition: dt.date, expected: Dateline) -> None:
    assert parse_dateline(body, edition) == expected


def test_year_boundary() -> None:
    got = parse_dateline("本报讯 12月31日，全区召开会议。", NEW_YEAR)
    assert got.date == dt.date(2022, 12, 31)
    assert parse_dateline("本报讯 1月1日，会议召开。", NEW_YEAR).date == dt.date(2023, 1, 1)


def test_tolerance_for_dates_just_after_the_edition() -> None:
    # a story dated a day ahead (events announced for tomorrow) stays in this year
    assert parse_dateline("本报讯 4月7日，会议召开。", APRIL).date == dt.date(2022, 4, 7)
    # far ahead of the edition it must be last year's
    assert parse_dateline("本报讯 4月20日，会议召开。", APRIL).date == dt.date(2021, 4, 20)


def test_impossible_dates_give_no_date() -> None:
    assert parse_dateline("本报讯 2月30日，会议召开。", APRIL).date is None
    assert parse_dateline("本报讯 13月2日，会议召开。", APRIL).date is None
    assert resolve_month_day(2, 29, dt.date(2024, 3, 1)) == dt.date(2024, 2, 29)
    assert resolve_month_day(2, 29, dt.date(2023, 3, 1)) is None


@pytest.mark.parametrize(
    "body, edition, expected",
    [
        ("BEIJING, Jan. 1 — China said", NEW_YEAR, Dateline("BEIJING, Jan. 1 —", dt.date(2023, 1, 1), "Beijing")),
        ("BEIJING, Dec. 31 — China said", NEW_YEAR, Dateline("BEIJING, Dec. 31 —", dt.date(2022, 12, 31), "Beijing")),
        ("WASHINGTON (AP) — The Senate", APRIL, Dateline("WASHINGTON (AP) —", None, "Washington", "", "AP")),
        ("LONDON, March 3 (Reuters) - The Bank of England", APRIL,
         Dateline("LONDON, March 3 (Reuters) -", dt.date(2022, 3, 3), "London", "", "Reuters")),
        ("NEW YORK, Sept. 5 — Stocks fell", dt.date(2022, 9, 6), Dateline("NEW YORK, Sept. 5 —", dt.date(2022, 9, 5), "New York")),
        ("SPRINGFIELD, Ill., April 2 — The council", APRIL,
         Dateline("SPRINGFIELD, Ill., April 2 —", dt.date(2022, 4, 2), "Springfield")),
        ("CHICAGO — Officials said", APRIL, Dateline("CHICAGO —", None, "Chicago")),
    ],
)
def test_en_datelines(body: str, edition: dt.date, expected: Dateline) -> None:
    assert parse_dateline(body, edition) == expected


@pytest.mark.parametrize(
    "body",
    [
        "会议指出，3月28日以来全区开展了专项行动。",
        "郑州高新区召开会议。",
        "The mayor said - without notes - that",
        "A - B testing is common.",
        "（图为会议现场）3月28日，会议召开。",
        "（上接第1版）会议指出",
        "",
    ],
)
def test_no_dateline(body: str) -> None:
    got = parse_dateline(body, APRIL)
    assert got.text == "" and got.date is None


def test_traditional_script_leads() -> None:
    assert parse_dateline("本報訊 3月28日，會議召開。", APRIL) == Dateline("本報訊 3月28日", dt.date(2022, 3, 28))
    assert parse_dateline("中央社台北3月5日電 行政院", APRIL) == Dateline(
        "中央社台北3月5日電", dt.date(2022, 3, 5), "台北", "", "中央社")


JAN = dt.date(2026, 1, 6)


@pytest.mark.parametrize(
    "body, expected",
    [
        # every lead form: place, date (year from the edition; the day before is normal) and the credit
        ("新华社北京1月5日电（记者冯歆然、曹嘉玥）1月5日下午，", Dateline("新华社北京1月5日电", dt.date(2026, 1, 5), "北京", "记者冯歆然、曹嘉玥", "新华社")),
        ("本报北京1月5日电（记者赵兵）今天，", Dateline("本报北京1月5日电", dt.date(2026, 1, 5), "北京", "记者赵兵")),
        ("本报讯（记者 张三 通讯员 李四）近日，", Dateline("本报讯（记者 张三 通讯员 李四）", None, "", "记者 张三 通讯员 李四")),
        ("本报讯 记者李长云报道：近日，", Dateline("本报讯", None, "", "记者李长云")),
        ("本报牡丹江1月6日电 今天，", Dateline("本报牡丹江1月6日电", dt.date(2026, 1, 6), "牡丹江")),
        ("新华社广州1月5日电 今天，", Dateline("新华社广州1月5日电", dt.date(2026, 1, 5), "广州", "", "新华社")),
        ("据新华社北京１月５日电（记者罗玉文）中央", Dateline("据新华社北京１月５日电", dt.date(2026, 1, 5), "北京", "记者罗玉文", "新华社")),
        ("本报苏州１月５日电记者龚雯报道：今年，", Dateline("本报苏州１月５日电", dt.date(2026, 1, 5), "苏州", "记者龚雯")),
        ("本报北京１月５日讯新华社记者徐殿龙、本报记者刘国胜报道：今年，",
         Dateline("本报北京１月５日讯", dt.date(2026, 1, 5), "北京", "新华社记者徐殿龙、本报记者刘国胜")),
        ("本报北京１月５日讯记者陈陆军从广播电影电视部获悉：", Dateline("本报北京１月５日讯", dt.date(2026, 1, 5), "北京", "记者陈陆军")),
        ("本报比勒陀利亚１月４日电记者温宪，新华社记者赵毅报道：", Dateline("本报比勒陀利亚１月４日电", dt.date(2026, 1, 4), "比勒陀利亚", "记者温宪，新华社记者赵毅")),
        ("据新华社乌鲁木齐电（记者张先国、段芝璞）全球", Dateline("据新华社乌鲁木齐电", None, "乌鲁木齐", "记者张先国、段芝璞", "新华社")),
        ("本报讯 记者从市政府获悉，", Dateline("本报讯")),
        ("本报天津１月４日电记者肖荻、傲腾报道：作为", Dateline("本报天津１月４日电", dt.date(2026, 1, 4), "天津", "记者肖荻、傲腾")),
        ("LONDON — The Bank of England", Dateline("LONDON —", None, "London")),
        ("WASHINGTON (AP) — The Senate", Dateline("WASHINGTON (AP) —", None, "Washington", "", "AP")),
        ("BEIJING, Jan. 5 (Reuters) - China said", Dateline("BEIJING, Jan. 5 (Reuters) -", dt.date(2026, 1, 5), "Beijing", "", "Reuters")),
    ],
)
def test_real_paper_leads(body: str, expected: Dateline) -> None:
    assert parse_dateline(body, JAN) == expected
