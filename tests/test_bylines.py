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
        # a photo credit: photographer, never reporter of the text
        ("记者 张三 摄", [("张三", "photographer")]),
        ("记者 王敏 通讯员 李超 摄", [("王敏", "photographer"), ("李超", "photographer")]),
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


@pytest.mark.parametrize(
    "byline, expected",
    [
        # credits inside a lead (the dateline passes them on)
        ("记者冯歆然、曹嘉玥", [("冯歆然", "reporter", ""), ("曹嘉玥", "reporter", "")]),
        ("记者 张三 通讯员 李四", [("张三", "reporter", ""), ("李四", "correspondent", "")]),
        ("记者温宪，中国国际广播电台记者殷立青，新华社记者赵毅、尚绪谦",
         [("温宪", "reporter", ""), ("殷立青", "reporter", "中国国际广播电台"), ("赵毅", "reporter", "新华社"),
          ("尚绪谦", "reporter", "新华社")]),
        ("新华社记者陈毛弟本报记者吕网大", [("陈毛弟", "reporter", "新华社"), ("吕网大", "reporter", "")]),
        # posted and special reporters
        ("本报驻加拿大记者 邹德浩", [("邹德浩", "reporter", "驻加拿大")]),
        ("本报驻上海记者 谢卫群", [("谢卫群", "reporter", "驻上海")]),
        ("本报特约记者 王敏", [("王敏", "reporter", "")]),
        ("新华社记者 王敏", [("王敏", "reporter", "新华社")]),
        ("中新社记者 王敏", [("王敏", "reporter", "中新社")]),
        ("新华社特约记者 王敏", [("王敏", "reporter", "新华社")]),
        ("本报摄影记者 李响", [("李响", "photographer", "")]),
        # photo credits: photographers, never reporters
        ("（新华社记者陈建力摄）", [("陈建力", "photographer", "新华社")]),
        ("新华社记者 谢环驰摄", [("谢环驰", "photographer", "新华社")]),
        ("本报记者 王五摄", [("王五", "photographer", "")]),
        ("胥国成摄影报道", [("胥国成", "photographer", "")]),
        ("新华社记者 李响 摄", [("李响", "photographer", "新华社")]),
        ("新华社发 李响摄", [("新华社", "agency", ""), ("李响", "photographer", "")]),
        ("杨崇南绘", [("杨崇南", "illustrator", "")]),
        ("李滨声／画", [("李滨声", "illustrator", "")]),
        # names joined by 、，spaces and 和; compound surnames; dotted minority names
        ("记者 张三和李四", [("张三", "reporter", ""), ("李四", "reporter", "")]),
        ("记者 王敏，李超", [("王敏", "reporter", ""), ("李超", "reporter", "")]),
        ("记者 欧阳晓明 司马光", [("欧阳晓明", "reporter", ""), ("司马光", "reporter", "")]),
        ("记者 阿依古丽·吾斯曼 买买提", [("阿依古丽·吾斯曼", "reporter", ""), ("买买提", "reporter", "")]),
        ("新华社记者蔡晖贾永", [("蔡晖", "reporter", "新华社"), ("贾永", "reporter", "新华社")]),
        # pen names and glued names closing a story: the authors
        ("峤聿", [("峤聿", "author", "")]),
        ("雨田", [("雨田", "author", "")]),
        ("黄起和", [("黄起和", "author", "")]),
        ("杜中武孙传刚", [("杜中武", "author", ""), ("孙传刚", "author", "")]),
        ("张雄张占涛", [("张雄", "author", ""), ("张占涛", "author", "")]),
        ("赵玉平阎蒙立李华英", [("赵玉平", "author", ""), ("阎蒙立", "author", ""), ("李华英", "author", "")]),
        # sources: where the copy came from, no person
        ("新华社", [("新华社", "source", "")]),
        ("据《经济日报》", [("经济日报", "source", "")]),
        ("本报综合", [("本报", "source", "")]),
        ("本报专电", [("本报", "source", "")]),
        ("新华社北京１２月３１日电", [("新华社", "source", "")]),
        ("综合新华社、中新社电", [("新华社", "source", ""), ("中新社", "source", "")]),
        ("据新华社电", [("新华社", "source", "")]),
    ],
)
def test_parse_real_paper_credits(byline: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(p.name, p.role, p.title) for p in parse_byline(byline)] == expected


@pytest.mark.parametrize(
    "text, body, byline",
    [
        ("有信心。（峤聿）", "有信心。", "峤聿"),
        ("第一段。\n有信心。（雨田）", "第一段。\n有信心。", "雨田"),
        ("有信心。（据《经济日报》）", "有信心。", "据《经济日报》"),
        ("有信心。（新华社）", "有信心。", "新华社"),
        ("第一段。\n（本报综合）", "第一段。", "本报综合"),
        ("图为会场。（新华社记者陈建力摄）", "图为会场。", "新华社记者陈建力摄"),
        ("第一段。\n新华社记者 谢环驰摄", "第一段。", "新华社记者 谢环驰摄"),
        ("第一段。\n本报记者 王五摄", "第一段。", "本报记者 王五摄"),
        ("增产一成。（杜中武孙传刚）", "增产一成。", "杜中武孙传刚"),
    ],
)
def test_split_closing_credits(text: str, body: str, byline: str) -> None:
    assert split_byline(text) == (body, byline)


@pytest.mark.parametrize(
    "text",
    ["有信心。（完）", "有信心。（待续）", "实施办法（试行）", "有信心。（附图片１张）", "会议在郑州召开。（高新区）",
     "他说：“好。”（笑）"],
)
def test_closing_brackets_that_credit_nobody(text: str) -> None:
    assert split_byline(text) == (text, "")


def test_bare_names_under_the_headline_or_after_the_text() -> None:
    from tasks.bylines import bare_name_credit

    assert bare_name_credit(["苏来兴", "报载，在安徽铜陵有色金属公司第一冶炼厂，领导干部开会时说两句。"]) == "苏来兴"
    assert bare_name_credit(["徐宝康王林昌", "韩国人自古以来就有惜金和藏金的风俗。"]) == "徐宝康王林昌"
    assert bare_name_credit(["第一段的文字很长很长。", "第二段说完了。", "欧阳晓明"]) == "欧阳晓明"
    # a kicker or a place is no name; a fragment needs its surname
    assert bare_name_credit(["欧盟", "本报布鲁塞尔１月２０日电 欧盟决定向地震灾区提供援助。"]) == ""
    assert bare_name_credit(["高新区", "高新区召开会议，部署今年的重点工作。"]) == ""
    assert roles("徐宝康王林昌") == [("徐宝康", "author"), ("王林昌", "author")]


def test_photo_credits_inside_the_text() -> None:
    from tasks.bylines import photo_credits

    text = "１月２２日，克林顿会见阿拉法特。（新华社记者刘宇摄）据报道，会谈将继续。（杨飞摄）"
    assert photo_credits(text) == ["新华社记者刘宇摄", "杨飞摄"]
    assert photo_credits("Crowds gather downtown (AP Photo/Jane Doe) on Monday.") == ["AP Photo/Jane Doe"]
    assert photo_credits("会议指出（试行）办法。") == []
    assert photo_credits("图为漓江上游河道。（压题照片：王永摄）") == ["王永摄"]


def test_credit_paragraphs_and_pen_names_under_the_headline() -> None:
    from tasks.bylines import bare_name_credit, credit_paragraphs

    assert credit_paragraphs(["保护环境，是可持续发展的基础。", "本报记者张帆", "年内抓紧建设环境教育基地。"]) == ["本报记者张帆"]
    assert bare_name_credit(["峭岩", "雪是晶莹的天使，雪是冬天的象征。孩提时代留下的雪的情愫至今牢牢印在心上。"]) == "峭岩"
    assert bare_name_credit(["综述", "雪是晶莹的天使，雪是冬天的象征。孩提时代留下的雪的情愫至今牢牢印在心上。"]) == ""


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
        ("By JANE DOE and JOHN ROE", [Person("Jane Doe", BY), Person("John Roe", BY)]),
        ("JANE DOE / Staff Writer", [Person("Jane Doe", BY, "Staff Writer")]),
        ("From wire reports", [Person("wire reports", "source")]),
        ("Staff and wire reports", [Person("wire reports", "source")]),
        ("— Reuters", [Person("Reuters", "agency")]),
        ("— JANE DOE", [Person("Jane Doe", BY)]),
        ("(AP Photo/Jane Doe)", [Person("Jane Doe", "photographer", "Associated Press")]),
        ("Reuters Photo/John Roe", [Person("John Roe", "photographer", "Reuters")]),
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


@pytest.mark.parametrize("line", ["— Reuters", "From wire reports", "— JANE DOE", "(AP Photo/Jane Doe)"])
def test_split_english_trailing_credit_lines(line: str) -> None:
    # a bracketed credit line is recorded without its brackets
    assert split_byline(f"The council voted 5-2 on Monday.\n{line}") == ("The council voted 5-2 on Monday.", line.strip("()"))


def test_split_english_dash_sentence_is_kept() -> None:
    text = "The council voted.\n- and then the mayor spoke at length about the budget."
    assert split_byline(text) == (text, "")


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
        ("JANE DOE / Staff Writer\nLONDON — Text.", "JANE DOE / Staff Writer", "LONDON — Text."),
        ("本报驻加拿大记者 邹德浩\n本报多伦多1月5日电 正文。", "本报驻加拿大记者 邹德浩", "本报多伦多1月5日电 正文。"),
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
    assert roles("本報記者 吳小明 攝") == [("吳小明", "photographer")]
    assert split_byline("天氣很好。\n記者 陳大文") == ("天氣很好。", "記者 陳大文")


# credit forms of the Typst corpus's 1998 stories (tests/fixtures/corpus2), as its pages print them
@pytest.mark.parametrize(
    "text,body,credit,people",
    [
        # the writers' unit before their names in the closing bracket
        ("……小冶炼厂。（湖南冷水江市李典强李巨平）", "……小冶炼厂。", "湖南冷水江市李典强李巨平",
         [("李典强", "author"), ("李巨平", "author")]),
        ("……输景象。（湖北麻城市交通局熊承元毕宗锐）", "……输景象。", "湖北麻城市交通局熊承元毕宗锐",
         [("熊承元", "author"), ("毕宗锐", "author")]),
        # excerpted by: the name without 摘
        ("……反馈意见。（木易摘）", "……反馈意见。", "木易摘", [("木易", "author")]),
        # a source dateline of the paper itself closing the story
        ("……努力补上”。（本报布加勒斯特1月14日电）", "……努力补上”。", "本报布加勒斯特1月14日电", [("本报", "source")]),
        # a Tibetan name has no surname of the list: the role words around it make it a name
        ("……与灾民们在一起。（新华社记者索朗罗布摄）", "……与灾民们在一起。", "新华社记者索朗罗布摄",
         [("索朗罗布", "photographer")]),
    ],
)
def test_closing_credits_of_1998_stories(text, body, credit, people) -> None:
    assert split_byline(text) == (body, credit)
    assert roles(credit) == people


def test_a_unit_in_brackets_without_names_is_no_credit() -> None:
    for text in ("……。（北京市朝阳区）", "……。（上海市张江镇）", "……。（图表由北京京求计算机软件公司制作）"):
        assert split_byline(text) == (text, "")


def test_a_post_and_name_under_the_headline_signs_the_article() -> None:
    from tasks.bylines import bare_name_credit

    paras = ["社科院农发所副所长韩俊", "1997年，我国农业和农村经济总体上保持了良好的发展势头，但是一些问题。"]
    assert bare_name_credit(paras) == "社科院农发所副所长韩俊"
    assert parse_byline("社科院农发所副所长韩俊") == [Person("韩俊", "author", "社科院农发所副所长")]
    assert roles("林业部部长陈耀邦") == [("陈耀邦", "author")]
    assert bare_name_credit(["国务院召开常务会议", "会议研究部署了今年的工作，强调要抓好落实。"]) == ""


def test_credits_above_and_below_the_text_joined_in_one_byline() -> None:
    assert roles("本报驻罗马尼亚记者梁晓华 本报布加勒斯特1月14日电") == [("梁晓华", "reporter"), ("本报", "source")]


def test_a_caption_label_ending_in_an_initial_is_no_photo_credit() -> None:
    assert split_byline("Photo: Item P.") == ("Photo: Item P.", "")
    assert roles("Photo: Jane Doe") == [("Jane Doe", "photographer")]


def test_italian_credits_and_a_page_pointer_after_them() -> None:
    assert roles("di Elena Dusi, Giovanni Egidio e Alessandro Puglia ● alle pagine 20 e 21") == [
        ("Elena Dusi", "author"), ("Giovanni Egidio", "author"), ("Alessandro Puglia", "author")]
    assert roles("di Fontanarosa e Pinci") == [("Fontanarosa", "author"), ("Pinci", "author")]
    assert find_leading_byline("di Michele Ainis\nLa madre delle riforme è sempre incinta,") == (
        "La madre delle riforme è sempre incinta,", "di Michele Ainis")
    # a sentence, or a surname that begins with Di, is no credit line
    for text in ("di Verona è: «Con tutto il rispetto, non\naltro.", "Di Maio\nha detto."):
        assert find_leading_byline(text) == (text, "")


def test_the_papers_name_run_on_after_the_writers() -> None:
    assert parse_byline("By Jake Magoon Mat-su Monitor") == [Person("Jake Magoon", "author", "Mat-su Monitor")]
    assert roles("By Mary Ann Smith") == [("Mary Ann Smith", "author")]
