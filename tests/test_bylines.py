"""Bylines: every printed credit form, and body text that must not be cut."""

from __future__ import annotations

import pytest

from tasks.bylines import EN_BY_ROLE, WRITER_PHOTOGRAPHER_ROLES, find_leading_byline, is_author, parse_byline, split_byline
from tasks.model import Person


BY = EN_BY_ROLE  # the role of an English "By" credit


def roles(byline: str) -> list[tuple[str, str]]:
    return [(p.name, p.role) for p in parse_byline(byline)]


def wp(name: str) -> list[tuple[str, str]]:
    """The rows a 文/图 (text and photo) credit gives."""
    return [(name, role) for role in WRITER_PHOTOGRAPHER_ROLES]


# --------------------------------------------------------------------------
# parse_byline: Chinese
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("记者 孙庆辉", [("孙庆辉", "reporter")]),
        ("记者 孙庆辉 通讯员 冯志斌", [("孙庆辉", "reporter"), ("冯志斌", "correspondent")]),
        ("记者孙庆辉 通讯员冯志斌", [("孙庆辉", "reporter"), ("冯志斌", "correspondent")]),
        ("记者孙庆辉通讯员冯志斌", [("孙庆辉", "reporter"), ("冯志斌", "correspondent")]),
        ("本报记者 李超 王敏", [("李超", "reporter"), ("王敏", "reporter")]),
        ("本报记者 李超、王敏", [("李超", "reporter"), ("王敏", "reporter")]),
        ("见习记者 王敏", [("王敏", "reporter")]),
        ("记者 孙庆辉 李超", [("孙庆辉", "reporter"), ("李超", "reporter")]),
        ("记者 孙庆辉 实习生 王磊", [("孙庆辉", "reporter"), ("王磊", "intern")]),
        ("高新时报 方宝岭 文/图", wp("方宝岭")),
        ("方宝岭 文/图", wp("方宝岭")),
        ("文/图 方宝岭", wp("方宝岭")),
        ("记者 张三 摄", [("张三", "reporter"), ("张三", "photographer")]),
        ("记者 王敏 通讯员 李超 摄", [("王敏", "reporter"), ("李超", "correspondent"),
                                      ("王敏", "photographer"), ("李超", "photographer")]),
        ("孙庆辉摄", [("孙庆辉", "photographer")]),
        ("摄影 王敏", [("王敏", "photographer")]),
        ("文 王敏", [("王敏", "writer")]),
        ("王敏 文", [("王敏", "writer")]),
        ("新华社记者 王敏 李超", [("王敏", "reporter"), ("李超", "reporter")]),
        ("新华社电", [("新华社", "agency")]),
        ("责任编辑 王磊", [("王磊", "editor")]),
        ("（记者 孙庆辉）", [("孙庆辉", "reporter")]),
        # credit lines joined onto one line by the segmenter
        ("记者 孙庆辉 高新时报 方宝岭 文/图", [("孙庆辉", "reporter"), *wp("方宝岭")]),
        # a glued 文 is part of a three-character name, not a writer credit
        ("记者 何梅文 通讯员 程斌辉", [("何梅文", "reporter"), ("程斌辉", "correspondent")]),
        ("方宝岭文", [("方宝岭", "writer")]),
        # slash credits and the bullets papers set before a credit
        ("孙庆辉/文 方宝岭/图", [("孙庆辉", "writer"), ("方宝岭", "photographer")]),
        ("文/孙庆辉 图/方宝岭", [("孙庆辉", "writer"), ("方宝岭", "photographer")]),
        ("■记者 孙庆辉", [("孙庆辉", "reporter")]),
        ("◎本报记者 李超", [("李超", "reporter")]),
        ("【记者 孙庆辉】", [("孙庆辉", "reporter")]),
        ("记者　欧阳晓明", [("欧阳晓明", "reporter")]),
    ],
)
def test_parse_zh_byline(byline: str, expected: list[tuple[str, str]]) -> None:
    assert roles(byline) == expected


def test_agency_reporter_keeps_agency_as_title() -> None:
    assert parse_byline("新华社记者 王敏") == [Person("王敏", "reporter", "新华社")]


def test_editor_is_not_an_author() -> None:
    people = parse_byline("记者 孙庆辉\n责任编辑 王磊")
    assert [p.name for p in people if is_author(p)] == ["孙庆辉"]


# --------------------------------------------------------------------------
# parse_byline: English
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("By Jane Doe", [Person("Jane Doe", BY)]),
        ("By Jane Doe and John Roe", [Person("Jane Doe", BY), Person("John Roe", BY)]),
        ("BY JANE DOE, Staff Writer", [Person("Jane Doe", BY, "Staff Writer")]),
        ("By JANE DOE\nStaff Writer", [Person("Jane Doe", BY, "Staff Writer")]),
        ("By JANE DOE Staff Writer", [Person("Jane Doe", BY, "Staff Writer")]),
        ("By Jane Doe Herald Staff", [Person("Jane Doe", BY, "Herald Staff")]),
        ("By John Post", [Person("John Post", BY)]),
        ("BY JANE DOE | Staff Writer", [Person("Jane Doe", BY, "Staff Writer")]),
        ("By Jane Doe, John Roe and Maria Garcia",
         [Person("Jane Doe", BY), Person("John Roe", BY), Person("Maria Garcia", BY)]),
        ("Associated Press", [Person("Associated Press", "agency")]),
        ("The Associated Press", [Person("Associated Press", "agency")]),
        ("Reuters", [Person("Reuters", "agency")]),
        ("By Jane Doe, The Associated Press",
         [Person("Jane Doe", BY, "The Associated Press"), Person("Associated Press", "agency")]),
        ("Photo by Jane Doe", [Person("Jane Doe", "photographer")]),
        ("Jane Doe/Reuters", [Person("Jane Doe", "photographer", "Reuters")]),
        ("(Reporting by Jane Doe; Editing by John Roe)", [Person("Jane Doe", BY), Person("John Roe", "editor")]),
    ],
)
def test_parse_en_byline(byline: str, expected: list[Person]) -> None:
    assert parse_byline(byline) == expected


# --------------------------------------------------------------------------
# split_byline
# --------------------------------------------------------------------------


def test_split_last_line() -> None:
    body, byline = split_byline("第一段。\n风清气正。\n记者 孙庆辉 通讯员 冯志斌")
    assert (body, byline) == ("第一段。\n风清气正。", "记者 孙庆辉 通讯员 冯志斌")


def test_split_two_credit_lines() -> None:
    body, byline = split_byline("问题要销号清零。\n记者 孙庆辉\n高新时报 方宝岭 文/图")
    assert body == "问题要销号清零。"
    assert byline == "记者 孙庆辉\n高新时报 方宝岭 文/图"
    assert roles(byline) == [("孙庆辉", "reporter"), *wp("方宝岭")]


def test_split_run_in_after_last_sentence() -> None:
    body, byline = split_byline("第一段。\n高新区管委会也将对渤海银行高新区支行提供政策优惠和发展支持。记者 孙庆辉")
    assert body == "第一段。\n高新区管委会也将对渤海银行高新区支行提供政策优惠和发展支持。"
    assert byline == "记者 孙庆辉"


def test_split_run_in_in_brackets() -> None:
    assert split_byline("天气很好。（记者 孙庆辉 通讯员 冯志斌）") == ("天气很好。", "记者 孙庆辉 通讯员 冯志斌")


def test_split_photo_credit_line() -> None:
    assert split_byline("第一段。\n记者 张三 摄") == ("第一段。", "记者 张三 摄")


@pytest.mark.parametrize(
    "text",
    [
        "他在接受记者采访时说，今年的目标一定能完成。",
        "他在接受记者采访时说：今年的目标一定能完成",
        "第一段。\n记者从高新区获悉，辖区内12个采样点已全部投入使用。",
        "第一段。\n记者了解到",  # a sentence fragment, not a credit
        "第一段。记者走访发现，多数商户已经复工。",
        "第一段。\n通讯员队伍不断壮大",
        "第一段。\n张红军主持会议",
    ],
)
def test_split_does_not_cut_body(text: str) -> None:
    assert split_byline(text) == (text, "")


@pytest.mark.parametrize("line", ["记者 孙庆辉", "高新时报 方宝岭 文/图", "By Jane Doe", "Associated Press"])
def test_split_a_credit_line_on_its_own(line: str) -> None:
    # the segmenter asks line by line whether a line is a credit
    assert split_byline(line) == ("", line)


def test_split_english_trailing_reporting_line() -> None:
    body, byline = split_byline("The bank said it would act.\n(Reporting by Jane Doe; Editing by John Roe)")
    assert body == "The bank said it would act."
    assert roles(byline) == [("Jane Doe", BY), ("John Roe", "editor")]


def test_split_english_body_sentence_starting_with_by_is_kept() -> None:
    text = "First paragraph.\nBy the end of the year, the council expects to finish the work."
    assert split_byline(text) == (text, "")


# --------------------------------------------------------------------------
# find_leading_byline
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, byline, rest",
    [
        ("By Jane Doe and John Roe\nBEIJING, Jan. 1 — Text.", "By Jane Doe and John Roe", "BEIJING, Jan. 1 — Text."),
        ("By JANE DOE, Staff Writer\nText here.", "By JANE DOE, Staff Writer", "Text here."),
        ("By JANE DOE\nStaff Writer\nText here.", "By JANE DOE\nStaff Writer", "Text here."),
        ("Associated Press\nWASHINGTON (AP) — Text.", "Associated Press", "WASHINGTON (AP) — Text."),
        ("本报记者 李超 王敏\n本报讯 3月28日，正文。", "本报记者 李超 王敏", "本报讯 3月28日，正文。"),
    ],
)
def test_find_leading_byline(text: str, byline: str, rest: str) -> None:
    assert find_leading_byline(text) == (rest, byline)


@pytest.mark.parametrize(
    "text",
    [
        "By the end of the year, the city will have spent $4 million.\nMore text.",
        "BEIJING, Jan. 1 — Text.\nMore.",
        "本报讯 3月28日，郑州高新区召开会议。\n第二段。",
    ],
)
def test_find_leading_byline_leaves_body(text: str) -> None:
    assert find_leading_byline(text) == (text, "")


def test_traditional_script_credits() -> None:
    assert roles("記者 陳大文 通訊員 李小明") == [("陳大文", "reporter"), ("李小明", "correspondent")]
    assert roles("本報記者 吳小明 攝") == [("吳小明", "reporter"), ("吳小明", "photographer")]
    assert split_byline("天氣很好。\n記者 陳大文") == ("天氣很好。", "記者 陳大文")
