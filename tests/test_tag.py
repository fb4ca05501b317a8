"""Tagging: the real seed page's people, organisations and topics; English; topics.yaml."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tasks.bylines import EN_BY_ROLE, WRITER_PHOTOGRAPHER_ROLES, split_byline
from tasks.entities import extract_entities, extract_people
from tasks.model import Article, Person
from tasks.tag import (
    TopicsError,
    detect_language,
    detect_script,
    keywords,
    learn_idf,
    load_topics,
    parse_topics,
    score_topics,
    tag_article,
)

EDITION = dt.date(2022, 4, 6)
_CREDIT_LINE = re.compile(r"^(记者|高新时报)")


def seed_articles(path: Path) -> list[str]:
    """The seed page split at its 本报讯 leads, lines joined naively.

    Lines are joined without a separator and the stray spaces between digits
    and CJK removed; a credit line (记者 … / 高新时报 …) keeps its own line.
    The real segmenter is another stage's; this is just enough to feed tagging.
    """
    articles: list[str] = []
    current = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("本报讯") and current:
            articles.append(current)
            current = ""
        if _CREDIT_LINE.match(line):
            current += "\n" + line
        else:
            current += re.sub(r"(?<=[0-9])\s+(?=\D)|(?<=\D)\s+(?=[0-9])", "", line)
    articles.append(current)
    return articles


@pytest.fixture(scope="module")
def seed_tagged(seed_page: Path) -> list[Article]:
    out = []
    for text in seed_articles(seed_page):
        body, byline = split_byline(text)
        out.append(tag_article(Article("gxsb", EDITION, body.split("\n"), byline=byline)))
    return out


def _values(article: Article, kind: str) -> list[str]:
    return [t.value for t in article.tags if t.kind == kind]


def test_seed_has_seven_articles(seed_page: Path) -> None:
    texts = seed_articles(seed_page)
    assert len(texts) == 7
    assert all(t.startswith("本报讯") for t in texts)


def test_seed_byline_credits(seed_tagged: list[Article]) -> None:
    credits = [{(p.name, p.role) for p in a.people if p.role != "mentioned"} for a in seed_tagged]
    assert credits == [
        {("孙庆辉", "reporter"), *(("方宝岭", r) for r in WRITER_PHOTOGRAPHER_ROLES)},
        {("孙庆辉", "reporter")},
        {("孙庆辉", "reporter"), ("寄静媛", "correspondent")},
        {("孙庆辉", "reporter"), ("冯志斌", "correspondent")},
        {("孙庆辉", "reporter"), ("李超", "correspondent")},
        {("孙庆辉", "reporter"), ("丁彦丁", "correspondent")},
        {("孙庆辉", "reporter"), ("帖姣", "correspondent")},
    ]


def test_seed_datelines(seed_tagged: list[Article]) -> None:
    assert [a.dateline_date for a in seed_tagged] == [
        dt.date(2022, 3, 28), dt.date(2022, 3, 29), dt.date(2022, 3, 29), dt.date(2022, 4, 2),
        dt.date(2022, 4, 2), dt.date(2022, 3, 31), dt.date(2022, 4, 1),
    ]
    assert seed_tagged[0].dateline == "本报讯3月28日"


def test_seed_officials_are_people(seed_tagged: list[Article]) -> None:
    mentioned = [{p.name for p in a.people if p.role == "mentioned"} for a in seed_tagged]
    tagged = [set(_values(a, "person")) for a in seed_tagged]
    assert mentioned == tagged
    assert mentioned == [
        {"张红军"},
        {"张红军", "程曦", "吴岩", "周伟", "梁爽", "张杰"},
        {"张红军", "肖鹏"},
        {"张红军", "郑彦松", "李可"},
        {"张红军", "韩超", "郑彦松"},
        {"赵毅"},
        {"杜怀锋"},
    ]


def test_seed_titles(seed_tagged: list[Article]) -> None:
    titles = {p.name: p.title for a in seed_tagged for p in a.people if p.role == "mentioned"}
    assert titles["张红军"].endswith("党工委副书记、管委会主任")
    assert titles["程曦"] == "党委书记、行长"
    assert titles["吴岩"] == "副行长"
    assert titles["肖鹏"] == "党委书记、行长"
    assert titles["李可"] == "董事长兼总裁"
    assert titles["郑彦松"] == "开放创新工作领导小组副组长兼办公室主任"
    assert titles["赵毅"] == "高新区党工委委员、管委会副主任"
    assert titles["杜怀锋"] == "党工委委员、管委会副主任"


def test_seed_organisations(seed_tagged: list[Article]) -> None:
    orgs = [set(_values(a, "organization")) for a in seed_tagged]
    assert "渤海银行郑州分行" in orgs[1]
    assert "中国民生银行郑州分行" in orgs[2]
    assert "天集产城集团" in orgs[3]
    assert "中电光谷集团" in orgs[4]
    everything = set().union(*orgs)
    # generic words and cut-off spans are not organisations
    # (民生银行 is printed on its own too, 高新区与民生银行…: a mention of its own)
    for wrong in ("商业银行", "公司", "银行", "郑州分行", "高新区支行", "高新区支行筹备组", "支行筹备组",
                  "布局", "管委会", "党工委", "发展局"):
        assert wrong not in everything, wrong


def test_seed_no_false_people(seed_tagged: list[Article]) -> None:
    people = {p.name for a in seed_tagged for p in a.people} | {v for a in seed_tagged for v in _values(a, "person")}
    for wrong in ("高新区", "管委会", "党工委", "智能化", "智慧", "普惠", "关庄村", "张红", "红军", "郑彦", "赵毅带"):
        assert wrong not in people, wrong


def test_seed_places(seed_tagged: list[Article]) -> None:
    places = [set(_values(a, "place")) for a in seed_tagged]
    assert {"郑州高新区", "河南省", "郑州市"} <= places[0]  # as printed (strict match), not 河南, 郑州
    assert "关庄村" in places[5]
    assert "高新区" not in set().union(*places)  # every city has one: not a place on its own


def test_seed_topics(seed_tagged: list[Article]) -> None:
    topics = [_values(a, "topic") for a in seed_tagged]
    assert topics[0][0] == "epidemic" and "party_building" in topics[0]
    assert topics[1][0] == "finance"
    assert {"finance", "investment"} <= set(topics[2])
    assert {"investment", "technology"} <= set(topics[3])
    assert topics[4][0] == "investment" and "urban_construction" in topics[4]
    assert topics[5][:2] == ["urban_construction", "livelihood"]
    assert topics[6] == ["flood_control"]
    assert all(len(t) <= 3 for t in topics)


def test_seed_keywords_and_language(seed_tagged: list[Article]) -> None:
    for a in seed_tagged:
        kws = _values(a, "keyword")
        assert 1 <= len(kws) <= 8
        assert all(len(k) >= 2 for k in kws)
        assert "红军" not in kws  # a piece of 张红军
        assert a.language == "zh" and a.script == "simplified"
    assert "防汛" in _values(seed_tagged[6], "keyword")


# --------------------------------------------------------------------------
# entities: precision on made-up sentences
# --------------------------------------------------------------------------


def test_people_need_a_name_after_the_title() -> None:
    text = "区委书记高度重视此项工作。局长会议研究了布局。主任委员会议召开。市民王女士表示满意。王某表示不知情。张总介绍，很好。"
    assert extract_people(text) == []


def test_people_before_speech_verbs() -> None:
    people = extract_people("会上，王建国表示，将加快项目建设。李晓明指出，要保障安全。")
    assert {p.name for p in people} == {"王建国", "李晓明"}


def test_people_name_length() -> None:
    text = "副市长李强一行调研。李强指出，要抓好落实。总经理欧阳晓明等参加。"
    assert {p.name: p.title for p in extract_people(text)} == {"李强": "副市长", "欧阳晓明": "总经理"}


def test_orgs_branch_needs_its_bank() -> None:
    tags = extract_entities("兴业银行郑州分行与郑州分行营业部、高新区支行筹备组召开会议，并与商业银行座谈。", "zh")
    assert [t.value for t in tags if t.kind == "organization"] == ["兴业银行郑州分行"]


def test_orgs_various_suffixes() -> None:
    text = "郑州大学第一附属医院、河南省人民医院和汉威科技集团股份有限公司的代表参加了会议。"
    orgs = {t.value for t in extract_entities(text, "zh") if t.kind == "organization"}
    assert {"郑州大学第一附属医院", "河南省人民医院", "汉威科技集团股份有限公司"} <= orgs


def test_english_entities() -> None:
    text = (
        "Mayor John Roe said the City Council would vote. Police Chief Omar Patel told reporters that "
        "Harbor Bank and the International Monetary Fund agreed. \"It works,\" said Maria Garcia. "
        "The Ministry of Finance in Tokyo declined to comment."
    )
    tags = extract_entities(text, "en")
    people = {p.name: p.title for p in extract_people(text, "en")}
    assert people == {"John Roe": "Mayor", "Omar Patel": "Police Chief", "Maria Garcia": ""}
    orgs = {t.value for t in tags if t.kind == "organization"}
    assert {"City Council", "Harbor Bank", "International Monetary Fund", "Ministry of Finance"} <= orgs
    assert {t.value for t in tags if t.kind == "place"} == {"Tokyo"}
    assert not {"Mayor John Roe", "Police", "The"} & {t.value for t in tags if t.kind == "person"}


def test_english_article_end_to_end() -> None:
    art = Article(
        "herald", dt.date(2023, 1, 2),
        ["BEIJING, Jan. 1 — Finance Minister Wei Chen said the central bank would cut interest rates, "
         "and banks expect lending to grow.", "Stocks rose after the announcement, investors said."],
        byline="By JANE DOE, Staff Writer",
    )
    tag_article(art)
    assert art.dateline == "BEIJING, Jan. 1 —" and art.dateline_date == dt.date(2023, 1, 1)
    assert art.dateline_place == "Beijing"
    assert art.language == "en" and art.script == "latin"
    assert Person("Jane Doe", EN_BY_ROLE, "Staff Writer") in art.people
    assert Person("Wei Chen", "mentioned", "Finance Minister") in art.people
    assert _values(art, "topic")[0] == "finance"
    assert "Beijing" in _values(art, "place")


def test_tag_article_is_repeatable_and_keeps_segmenter_fields() -> None:
    art = Article("gxsb", EDITION, ["本报讯 3月28日，会议召开。张红军表示，要抓好防汛工作。"],
                  byline="记者 孙庆辉", dateline="本报讯 3月28日")
    first = tag_article(art)
    assert first is art
    snapshot = (list(art.people), list(art.tags))
    tag_article(art)
    assert (art.people, art.tags) == snapshot
    assert art.dateline == "本报讯 3月28日" and art.dateline_date == dt.date(2022, 3, 28)


def test_byline_inside_dateline_and_agency() -> None:
    art = Article("zzrb", dt.date(2023, 1, 1), ["新华社北京12月31日电（记者 王敏）国务院召开常务会议。"])
    tag_article(art)
    assert art.dateline_date == dt.date(2022, 12, 31) and art.dateline_place == "北京"
    assert Person("王敏", "reporter") in art.people
    assert "新华社" not in _values(art, "person")
    art2 = Article("zzrb", dt.date(2023, 1, 1), ["国务院召开常务会议。"], byline="新华社记者 李超")
    tag_article(art2)
    assert "新华社" in _values(art2, "organization")


def test_credited_reporter_is_not_mentioned() -> None:
    art = Article("gxsb", EDITION, ["本报讯 3月28日，记者孙庆辉表示，会议很成功。"], byline="记者 孙庆辉")
    tag_article(art)
    assert [p.role for p in art.people if p.name == "孙庆辉"] == ["reporter"]
    assert "孙庆辉" not in _values(art, "person")


# --------------------------------------------------------------------------
# language and script
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, script",
    [
        ("郑州高新区召开会议，研究部署疫情防控工作。", "zh", "simplified"),
        ("鄭州高新區召開會議，研究部署疫情防控工作。", "zh", "traditional"),
        ("The council voted on Monday to raise fares.", "en", "latin"),
        ("高新区与 Harbor Bank 签署 cooperation agreement on investment today", "mixed", "simplified"),
        ("", "en", "latin"),
    ],
)
def test_language_and_script(text: str, language: str, script: str) -> None:
    assert detect_language(text) == language
    assert detect_script(text) == script


# --------------------------------------------------------------------------
# topics.yaml
# --------------------------------------------------------------------------


def test_shipped_topics_load() -> None:
    topics = load_topics()
    ids = [t.id for t in topics.topics]
    assert len(ids) == len(set(ids)) >= 16
    for needed in ("epidemic", "finance", "investment", "urban_construction", "flood_control", "work_safety",
                   "education", "healthcare", "transport", "environment", "technology", "party_building",
                   "livelihood", "economy", "culture", "sports"):
        assert needed in ids
    assert all(t.zh and t.en and t.keywords_zh and t.keywords_en for t in topics.topics)


@pytest.mark.parametrize(
    "doc, message",
    [
        ({}, "topics"),
        ({"topics": [{"id": "Bad Id", "keywords": {"zh": ["a"]}}]}, "id"),
        ({"topics": [{"id": "a", "keywords": {"zh": ["x"]}}, {"id": "a", "keywords": {"zh": ["y"]}}]}, "duplicate"),
        ({"topics": [{"id": "a", "keywords": {"zh": {"x": -1}}}]}, "positive"),
        ({"topics": [{"id": "a", "keywords": {"fr": ["x"]}}]}, "zh and/or en"),
        ({"topics": [{"id": "a", "keywords": {}}]}, "no keywords"),
        ({"threshold": 2, "topics": [{"id": "a", "keywords": {"en": ["x"]}}]}, "threshold"),
    ],
)
def test_topics_validation(doc: object, message: str) -> None:
    with pytest.raises(TopicsError, match=message):
        parse_topics(doc)


def test_custom_topics_file(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "threshold: 0.1\nmax_topics: 1\ntopics:\n"
        "  - {id: trains, zh: 铁路, en: Railways, keywords: {zh: [高铁, 铁路], en: {rail*: 2, train*: 1}}}\n"
        "  - {id: boats, zh: 航运, en: Shipping, keywords: {zh: [港口], en: [ship, port]}}\n",
        encoding="utf-8",
    )
    topics = load_topics(path)
    tags = score_topics("The railway line and new trains reached the port.", topics)
    assert [t.value for t in tags] == ["trains"]
    assert 0 < tags[0].score <= 1
    assert score_topics("郑州至北京高铁开通。", topics)[0].value == "trains"
    assert score_topics("Nothing here matches.", topics) == []


def test_topics_not_on_unrelated_text() -> None:
    assert score_topics("今天天气晴朗，微风。", load_topics()) == []


# --------------------------------------------------------------------------
# keywords
# --------------------------------------------------------------------------


def test_keywords_with_bundled_idf() -> None:
    text = "城市内涝预警系统建设推进会召开。防汛预案编制、防汛物资储备和防汛应急演练是重点。"
    tags = keywords(text, "zh", k=5)
    assert len(tags) == 5 and tags[0].value == "防汛" and tags[0].score == 1.0
    assert all(t.kind == "keyword" and 0 < t.score <= 1 for t in tags)


def test_learned_idf_changes_the_ranking() -> None:
    corpus = ["高新区召开会议，部署防汛工作。", "高新区召开会议，部署安全生产。", "高新区召开会议，研究招商引资。"]
    idf = learn_idf(corpus, "zh")
    assert idf["高新区"] < idf["防汛"]
    assert "" in idf  # unseen words
    top = keywords("高新区防汛防汛", "zh", idf=idf, k=2)
    assert top[0].value == "防汛"


def test_english_keywords_drop_stopwords() -> None:
    idf = learn_idf(["the city council voted", "the city budget", "flood waters rose in the city"], "en")
    tags = keywords("The flood waters rose and the city council met about the flood.", "en", idf=idf, k=3)
    assert tags[0].value == "flood"
    assert not {"the", "and", "about"} & {t.value for t in tags}


def test_orgs_need_a_distinctive_name() -> None:
    text = ("今年以来石佛办事处新增配套建设幼儿园3所，社区服务中心全部投用。"
            "区教育文化体育局局长王建国表示，五龙口办事处和中铁装备集团将合作。")
    orgs = {t.value for t in extract_entities(text, "zh") if t.kind == "organization"}
    assert orgs == {"石佛办事处", "区教育文化体育局", "五龙口办事处", "中铁装备集团"}


def test_english_entities_in_agency_copy() -> None:
    text = (
        "WASHINGTON (AP) — President Joe Biden met with Senate Majority Leader Chuck Schumer on Tuesday. "
        "\"We are not there yet,\" said Fed Chair Jerome Powell. Microsoft Corp. and Apple Inc. shares rose. "
        "Dr. Anthony Fauci, the former director of the National Institute of Allergy and Infectious Diseases, "
        "told reporters he agreed. The European Union and the United Nations welcomed the deal."
    )
    people = {p.name: p.title for p in extract_people(text, "en")}
    assert people == {"Joe Biden": "President", "Chuck Schumer": "Senate Majority Leader",
                      "Jerome Powell": "Fed Chair", "Anthony Fauci": "Dr."}
    orgs = {t.value for t in extract_entities(text, "en") if t.kind == "organization"}
    assert {"Microsoft Corp", "Apple Inc", "National Institute of Allergy and Infectious Diseases",
            "European Union", "United Nations"} <= orgs


def test_traditional_script_people() -> None:
    people = {p.name: p.title for p in extract_people("財政司司長陳茂波指出，經濟向好。行政長官李家超表示支持。")}
    assert people == {"陳茂波": "財政司司長", "李家超": "行政長官"}


def test_english_topics() -> None:
    topics = load_topics()
    court = "The judge gave both sides 10 days. Prosecutors said the fraud cost taxpayers; the jury trial begins Monday."
    assert score_topics(court, topics)[0].value == "justice"
    sport = "The win secured a playoff berth; fans lined up for season tickets as the coach signed an extension."
    assert score_topics(sport, topics)[0].value == "sports"


def test_credit_above_the_lead() -> None:
    art = Article("zzrb", dt.date(2022, 4, 6), ["本报记者 何东 张毅岭", "本报南京4月5日电 江苏省召开会议。"])
    tag_article(art)
    assert art.dateline == "本报南京4月5日电" and art.dateline_date == dt.date(2022, 4, 5)
    assert art.dateline_place == "南京"
    assert {(p.name, p.role) for p in art.people if p.role != "mentioned"} == {("何东", "reporter"), ("张毅岭", "reporter")}


# --------------------------------------------------------------------------
# robustness: any text goes through without an exception
# --------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tasks.bylines import find_leading_byline, parse_byline  # noqa: E402
from tasks.datelines import parse_dateline  # noqa: E402

_NEWSY = st.text(
    alphabet=st.sampled_from(list("本报讯记者通讯员摄文/图（）()，。、张王李红军高新区银行集团 \n0123456789月日电ByJaneDoe,—-AP")),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(_NEWSY | st.text(max_size=60))
def test_any_text_is_tagged_without_error(text: str) -> None:
    body, byline = split_byline(text)
    assert text.startswith(body.rstrip()) or not byline
    rest, lead = find_leading_byline(text)
    assert lead == "" or rest in text
    parse_byline(byline)
    parse_byline(text)
    d = parse_dateline(text, EDITION)
    assert d.text == "" or d.text in text
    art = tag_article(Article("x", EDITION, text.split("\n")))
    assert art.language in ("zh", "en", "mixed") and art.script in ("simplified", "traditional", "latin")
    assert all(0 <= t.score <= 1 for t in art.tags)


def _seed_text() -> str:
    path = Path(__file__).resolve().parents[1].parent / "shared/seed/000_06b13655bc677e00.txt"
    return path.read_text(encoding="utf-8") if path.exists() else ""  # a clone without ../shared


def test_fast_pos_cut_is_jiebas() -> None:
    """The entity rules' own POS cut gives jieba.posseg's words and tags, unknown runs included."""
    import random

    import jieba.posseg

    from tasks.entities import _POSSEG_BLOCK, _jieba, _posseg_block

    _jieba()
    text = _seed_text()
    text += "据李晓明介绍，郑州高新区管委会主任张红军表示，中电光谷2024年投资3.5亿元。陳大文說，A股上市。"
    blocks = [b for i, b in enumerate(_POSSEG_BLOCK.split(text)) if i % 2 and b]
    rng = random.Random(0)
    chars = sorted(c for c in set(text) if _POSSEG_BLOCK.fullmatch(c))
    blocks += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 24))) for _ in range(300)]
    for block in blocks:
        assert _posseg_block(block) == [(p.word, p.flag) for p in jieba.posseg.cut(block)], block


def test_rule_tokens_are_jiebas_pos_cut() -> None:
    """Every block is POS-tagged now (names are read everywhere), with jieba's own words and tags."""
    from tasks.entities import _pos_tokens, _rule_tokens

    text = "今天天气很好，我们一起去公园散步。张红军表示，郑州高新区管委会将在关庄村建设学校。"
    fast = _rule_tokens(text)
    assert "".join(w for w, _f, _s in fast) == text
    assert all(text[s : s + len(w)] == w for w, _f, s in fast)
    words = [(w, f) for w, f, _s in _pos_tokens(text) if f != "x"]
    assert [(w, f) for w, f, _s in fast if f != "x"] == words


def test_cut_words_are_jiebas() -> None:
    """cut_words gives jieba.cut's words, punctuation and whitespace between blocks left out."""
    import random

    import jieba

    from tasks.entities import _jieba, cut_words

    _jieba()
    text = _seed_text()
    text += "据李晓明介绍，郑州高新区管委会主任张红军表示，中电光谷2024年投资3.5亿元。陳大文說，A股上市，增长12.5%-15%。"
    rng = random.Random(0)
    chars = sorted(set(text))
    texts = [text] + ["".join(rng.choice(chars) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    block = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]")
    for t in texts:
        expected = [w for w in jieba.cut(t) if len(w) > 1 or block.fullmatch(w)]
        assert cut_words(t) == [w for w in expected if w.strip()], t


def test_a_lead_credit_copied_into_the_byline_is_the_reporter():
    import datetime as dt

    from tasks.model import Article
    from tasks.tag import tag_article

    art = Article(publication="gxsb", edition_date=dt.date(2022, 4, 6),
                  paragraphs=["本报讯（方宝岭）4月5日，高新区召开安全生产工作会议。"], byline="方宝岭")
    tag_article(art)
    assert ("方宝岭", "reporter") in {(p.name, p.role) for p in art.people}


def test_real_paper_credits_give_people_with_roles() -> None:
    lead = "新华社北京1月5日电（记者冯歆然、曹嘉玥）1月5日下午，国务院召开常务会议。"
    a = tag_article(Article("rmrb", dt.date(1998, 1, 6), [lead, "会议强调要抓好落实。（新华社记者陈建力摄）"]))
    assert a.paragraphs[0] == lead  # the lead keeps its credit as printed
    credits = {(p.name, p.role) for p in a.people if p.role != "mentioned"}
    assert credits == {("冯歆然", "reporter"), ("曹嘉玥", "reporter"), ("陈建力", "photographer")}
    assert (a.dateline_place, a.dateline_date) == ("北京", dt.date(1998, 1, 5))
    src = tag_article(Article("rmrb", dt.date(1998, 1, 6), ["本报讯 会议召开，部署全年工作。（据《经济日报》）"]))
    assert [(p.name, p.role) for p in src.people if p.role != "mentioned"] == [("经济日报", "source")]
    pen = tag_article(Article("rmrb", dt.date(1998, 1, 6), ["会议召开，部署全年工作。", "市民纷纷点赞。（峤聿）"]))
    assert [(p.name, p.role) for p in pen.people if p.role != "mentioned"] == [("峤聿", "author")]
