"""clean: normalisation, line joining, de-hyphenation and paragraph rebuilding.

The geometric paragraph test draws a real two-column CJK article with
reportlab and reads it back with ``tasks.extract.extract_pages``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.clean import (
    dehyphenate,
    ends_sentence,
    is_cjk,
    join_lines,
    normalize_text,
    paragraphs_from_blocks,
    text_script,
)
from tasks.model import BlockKind, Char, Line, TextBlock

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def plain_block(lines: list[str]) -> TextBlock:
    return TextBlock(BlockKind.BODY, [Line(t, 0, 0, 0, 0, 0) for t in lines])


def seed_articles(path: Path) -> list[list[str]]:
    """The seed page's lines, cut into stories at each 本报讯 lead."""
    articles: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip().startswith("本报讯") or not articles:
            articles.append([])
        articles[-1].append(line)
    return articles


def blocks_split_at_blanks(lines: list[str]) -> list[TextBlock]:
    blocks: list[list[str]] = [[]]
    for t in lines:
        if t.strip():
            blocks[-1].append(t)
        elif blocks[-1]:
            blocks.append([])
    return [plain_block(b) for b in blocks if b]


# --------------------------------------------------------------------------
# helpers for others
# --------------------------------------------------------------------------


def test_is_cjk_and_script():
    assert is_cjk("中") and is_cjk("。") and is_cjk("（") and is_cjk("あ") and is_cjk("𠀀")
    assert not is_cjk("a") and not is_cjk("1") and not is_cjk("") and not is_cjk(" ")
    assert not is_cjk("\u3000")  # the ideographic space is a space
    assert not is_cjk("한")  # Korean is word-spaced: it joins like Latin
    assert text_script("高新区党工委") == "cjk"
    assert text_script("The city council met on Monday") == "latin"
    assert text_script("COVID-19 疫情") == "mixed"
    assert text_script("123 ...") == ""


def test_ends_sentence():
    for s in ["召开。", "会见！", "吗？", "地”", "a.", "said.”", "done?)", "（完。）", "end…"]:
        assert ends_sentence(s), s
    for s in ["郑州高", "如下：", "the", "召开，", ""]:
        assert not ends_sentence(s), s


# --------------------------------------------------------------------------
# normalize_text
# --------------------------------------------------------------------------


def test_odd_spaces_and_invisible_chars():
    assert normalize_text("a\u00a0b\u2009c\u3000d\u202fe") == "a b c d e"
    assert normalize_text("ab\u200bc\u200cd\ufeffe\u2060f") == "abcdef"
    assert normalize_text("\ufeff中文") == "中文"
    assert normalize_text("co\u00adoperate") == "cooperate"  # soft hyphen is invisible
    assert normalize_text("a\u200e\u200fb") == "ab"  # bidi marks
    assert normalize_text("a    b \t c") == "a b c"
    assert normalize_text("  lead and trail  ") == "lead and trail"
    assert normalize_text("one \n two\r\nthree") == "one\ntwo\nthree"


def test_zwj_kept_only_inside_emoji():
    family = "👨\u200d👩\u200d👧"
    assert normalize_text(family) == family
    assert normalize_text("a\u200db") == "ab"
    assert normalize_text("中\u200d文") == "中文"


def test_compatibility_forms():
    assert normalize_text("ﬁnance ﬂow oﬀice") == "finance flow office"
    assert normalize_text("\uf900") == "豈"  # CJK compatibility ideograph
    assert normalize_text("⽇本") == "日本"  # Kangxi radical as PDFs emit it
    assert normalize_text("ＡＢＣ１２３ｘｙｚ") == "ABC123xyz"
    assert normalize_text("３．５") == "3.5"


def test_full_width_dates_parse_after_normalisation():
    from tasks.datelines import parse_dateline
    import datetime as dt

    text = normalize_text("本报讯 １２月３１日，高新区召开会议。")
    assert text == "本报讯 12月31日，高新区召开会议。"
    d = parse_dateline(text, dt.date(2023, 1, 1))
    assert d.date == dt.date(2022, 12, 31)


def test_full_width_punctuation_kept_as_printed():
    s = "（扩大），会议。要求、强调；指出：“两区四高地”！吗？"
    assert normalize_text(s) == s
    # and what NFKC would rewrite but a reader reads as printed
    for s in ["……", "①②", "50㎡", "25℃", "50％", "～", "Ⅱ"]:
        assert normalize_text(s) == s


def test_stray_spaces_between_cjk_and_digits():
    assert normalize_text("3月 28日") == "3月28日"
    assert normalize_text("3 月 28 日") == "3月28日"
    assert normalize_text("2022年 城市") == "2022年城市"
    assert normalize_text("2022 年 城市") == "2022年城市"
    assert normalize_text("全辖合计 114 家营业机构") == "全辖合计114家营业机构"
    assert normalize_text("成立于 2008年") == "成立于2008年"
    assert normalize_text("张红军 ， 高新区") == "张红军，高新区"
    assert normalize_text("“ 两区 ”") == "“两区”"


def test_printed_spaces_kept():
    assert normalize_text("COVID 19") == "COVID 19"
    assert normalize_text("Page 3") == "Page 3"
    assert normalize_text("New York Times") == "New York Times"
    assert normalize_text("记者 孙庆辉 通讯员 冯志斌") == "记者 孙庆辉 通讯员 冯志斌"
    assert normalize_text("本报讯 3月 28日，郑州") == "本报讯 3月28日，郑州"
    assert normalize_text("高新时报 2022年4月6日 星期三 第1版 要闻") == "高新时报 2022年4月6日 星期三 第1版 要闻"
    assert normalize_text("使用 5G 网络") == "使用 5G 网络"


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_normalize_any_text_is_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


_ZH = "中文高新区党工委年月日家讯电报。，、（）“”！？"
_MIXED = st.text(alphabet=st.sampled_from(list(_ZH + "abcXYZ0123456789 -\u00ad\u00a0\u200b\u200d\u3000ﬁ１Ａ．\n")))


@given(_MIXED)
@settings(max_examples=300, deadline=None)
def test_normalize_mixed_text_is_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


# --------------------------------------------------------------------------
# join_lines
# --------------------------------------------------------------------------


def test_join_cjk_lines_without_space():
    assert join_lines(["本报讯 3月 28日，郑州高", "新区党工委副书记"]) == "本报讯 3月 28日，郑州高新区党工委副书记"
    assert join_lines(["认真贯彻落实中央、省市疫情防", "", "控工作会议精神"]) == "认真贯彻落实中央、省市疫情防控工作会议精神"
    assert join_lines(["为高新区“", "两区四高地”建"]) == "为高新区“两区四高地”建"
    assert join_lines(["召开 2022", "年城市"]) == "召开 2022年城市"
    assert join_lines(["新冠 COVID", "病毒"]) == "新冠 COVID病毒"
    assert join_lines(["　　会议先后学习了", "中央和河南"]) == "会议先后学习了中央和河南"


def test_join_latin_lines_with_one_space():
    assert join_lines(["The city council met  ", "  on Monday to"]) == "The city council met on Monday to"
    assert join_lines(["He said “", "Hello” and"]) == "He said “Hello” and"
    assert join_lines(["rates rose 3.5", "% in March"]) == "rates rose 3.5% in March"
    assert join_lines(["使用 New", "York 的数据"]) == "使用 New York 的数据"
    assert join_lines([]) == ""
    assert join_lines(["", "  "]) == ""


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["an inter-", "national deal"], "an international deal"),
        (["infor-", "mation."], "information."),
        (["Washing-", "ton"], "Washington"),
        (["well-", "ness"], "wellness"),
        (["news-", "paper"], "newspaper"),
        (["pro-", "cessed"], "processed"),
        (["co\u00ad", "operate"], "cooperate"),  # a soft hyphen at a break is discretionary
    ],
)
def test_dehyphenation_joins_broken_words(lines, joined):
    assert join_lines(lines) == joined


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["COVID-", "19 cases"], "COVID-19 cases"),
        (["a long-", "term plan"], "a long-term plan"),
        (["by e-", "mail"], "by e-mail"),
        (["a well-", "known fact"], "a well-known fact"),
        (["self-", "evident"], "self-evident"),
        (["state-", "owned firms"], "state-owned firms"),
        (["decision-", "making"], "decision-making"),
        (["a 10-", "year-old"], "a 10-year-old"),
        (["anti-", "American"], "anti-American"),
        (["state-of-the-", "art"], "state-of-the-art"),
        (["pages 10-", "20"], "pages 10-20"),
        (["ex-", "wife"], "ex-wife"),
        (["COVID-", "related"], "COVID-related"),
        (["新冠-", "病毒"], "新冠-病毒"),
    ],
)
def test_dehyphenation_keeps_compounds(lines, joined):
    assert join_lines(lines) == joined


def test_dehyphenate_rule_directly():
    assert dehyphenate("inter", "national")
    assert not dehyphenate("long", "term")
    assert not dehyphenate("e", "mail")
    assert not dehyphenate("self", "evident")
    assert dehyphenate("exam", "ple")


def test_dashes_at_line_end():
    assert join_lines(["据新华社——", "记者报道"]) == "据新华社——记者报道"
    assert join_lines(["and then —", "suddenly"]) == "and then — suddenly"
    assert join_lines(["and then—", "suddenly"]) == "and then—suddenly"
    assert join_lines(["a spaced -", "dash"]) == "a spaced - dash"


_LINE = st.text(alphabet=st.sampled_from(list(_ZH + "abcdefXYZ019 -—\u00ad'\"“”.,")), max_size=20)


def _nonspace(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@given(st.lists(_LINE, max_size=8))
@settings(max_examples=400, deadline=None)
def test_join_lines_loses_nothing_but_line_end_hyphens(lines):
    out = join_lines(lines)
    assert "\n" not in out
    everything = _nonspace("".join(lines))
    # the input less any hyphen that ended a line must survive, in order
    must = "".join(_nonspace(ln).rstrip("-\u00ad") if _nonspace(ln) else "" for ln in lines)
    assert _is_subsequence(must, _nonspace(out))
    assert _is_subsequence(_nonspace(out), everything)


@given(st.lists(st.text(max_size=15), max_size=6))
@settings(max_examples=200, deadline=None)
def test_join_lines_any_text_no_crash(lines):
    assert isinstance(join_lines(lines), str)


# --------------------------------------------------------------------------
# paragraphs: plain text (the seed page)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_paragraphs(seed_page) -> list[list[str]]:
    return [paragraphs_from_blocks(blocks_split_at_blanks(a)) for a in seed_articles(seed_page)]


def test_seed_first_story_paragraphs(seed_paragraphs):
    first = seed_paragraphs[0]
    assert first[0].startswith("本报讯 3月28日，郑州高新区党工委副书记")
    assert first[0].endswith("迎接党的二十大胜利召开。")
    assert first[1].startswith("会议先后学习了")
    assert first[1].endswith("等内容。")
    assert [p[:6] for p in first] == ["本报讯 3月", "会议先后学习", "结合学习内容", "张红军要求，",
                                      "全区高质量发", "守住底线不破", "记者 孙庆辉", "高新时报 方"]
    assert "疫情防控工作会议精神" in first[2]
    assert first[6] == "记者 孙庆辉"
    assert first[7] == "高新时报 方宝岭 文/图"


def test_seed_line_break_artefacts_gone(seed_paragraphs, seed_page):
    text = "\n".join(p for story in seed_paragraphs for p in story)
    for joined in ["郑州高新区", "3月28日", "疫情防控工作", "114家营业机构", "2022年城市内涝",
                   "成立于2008年", "定的50条事项", "其他6个主要城市", "本报讯 4月2日上午"]:
        assert joined in text, joined
    assert "3月 " not in text and " 家" not in text
    # nothing lost: the page's characters, less white space, in order
    page = "".join(seed_page.read_text(encoding="utf-8").split())
    assert "".join(text.split()) == page


def test_seed_same_paragraphs_when_blank_lines_stay_in_one_block(seed_page, seed_paragraphs):
    one_block = [paragraphs_from_blocks([plain_block(a)]) for a in seed_articles(seed_page)]
    assert one_block == seed_paragraphs


def test_seed_story_counts(seed_paragraphs):
    assert len(seed_paragraphs) == 7
    assert all(story[0].startswith("本报讯") for story in seed_paragraphs)
    # every story but the second (whose byline runs on inline) ends with its credit line
    for story in seed_paragraphs[2:]:
        assert story[-1].startswith("记者 孙庆辉")


def test_plain_paragraph_needs_short_line_or_block_end():
    lines = [
        "一二三四五六七八九十一二三四",
        "一二三四五六七八九十一二三。",  # full line ending a sentence: goes on
        "一二三四五六七八九十一二三四",
        "一二三四五六七八九十一二三四",
        "一二三四五六七。",  # short + final: ends
        "一二三四五六七八九十一二",
        "一二三四五六七八九十一二三四",
        "一二三四五六七八九十一二三。",
    ]
    paras = paragraphs_from_blocks([plain_block(lines)])
    assert len(paras) == 2
    assert paras[0].endswith("一二三四五六七。")


def test_english_plain_paragraphs():
    lines = [
        "The city council met on Monday to discuss",
        "the new budget, which includes a long-",
        "term plan for schools and an inter-",
        "national exchange.",
        "Officials said the vote was close.",
        "Residents who spoke at the meeting said",
        "they were worried about rising rents.",
    ]
    paras = paragraphs_from_blocks([plain_block(lines)])
    assert paras[0] == (
        "The city council met on Monday to discuss the new budget, which includes a "
        "long-term plan for schools and an international exchange."
    )
    assert paras[1] == "Officials said the vote was close."
    assert paras[2].startswith("Residents")


def test_empty_input():
    assert paragraphs_from_blocks([]) == []
    assert paragraphs_from_blocks([plain_block(["", "  "])]) == []


# --------------------------------------------------------------------------
# paragraphs: geometry
# --------------------------------------------------------------------------


def geo_line(text: str, x0: float, top: float, size: float = 10.0, cjk: bool = True) -> Line:
    width = len(text) * size if cjk else len(text) * size * 0.5
    return Line(text, x0, top, x0 + width, top + size, size)


def _full(text: str, top: float, indent: float = 0.0) -> Line:
    """A justified Latin line of a 40..240 pt column, 10 pt type."""
    return Line(text, 40 + indent, top, 240, top + 10, 10)


def test_geometric_english_indents_mark_paragraphs():
    block = TextBlock(BlockKind.BODY, [
        _full("The council met on Monday to discuss the", 0, indent=10),
        _full("budget. It includes a plan for schools.", 12),  # ends a sentence, full width
        _full("Officials said the vote would be close and", 24),
        Line("that it would come soon.", 40, 36, 150, 46, 10),  # short + final, next not indented:
        _full("Residents who spoke said they were wor-", 48),  # ragged setting, the paragraph goes on
        _full("ried about rents. A spokesman said the", 60),
        Line("plan was fair.", 40, 72, 120, 82, 10),
        _full("The vote is next week, officials said.", 84, indent=10),  # indented: a new paragraph
    ])
    assert paragraphs_from_blocks([block]) == [
        "The council met on Monday to discuss the budget. It includes a plan for schools. "
        "Officials said the vote would be close and that it would come soon. Residents who "
        "spoke said they were worried about rents. A spokesman said the plan was fair.",
        "The vote is next week, officials said.",
    ]


def test_geometric_english_without_indents_short_line_ends_paragraph():
    block = TextBlock(BlockKind.BODY, [
        _full("The council met on Monday to discuss the", 0),
        _full("budget. It includes a plan for schools.", 12),  # full width: goes on
        Line("Officials said the vote is close.", 40, 24, 200, 34, 10),  # short + final: ends
        _full("Residents who spoke said they were wor-", 36),
        Line("ried about rents.", 40, 48, 120, 58, 10),
    ])
    assert paragraphs_from_blocks([block]) == [
        "The council met on Monday to discuss the budget. It includes a plan for schools. "
        "Officials said the vote is close.",
        "Residents who spoke said they were worried about rents.",
    ]


def test_geometric_vertical_gap_separates_block_paragraphs():
    lines = [Line(f"line {i} of text here", 40, top, 240, top + 10, 10) for i, top in
             enumerate([0, 12, 24, 36, 60, 72, 84])]
    paras = paragraphs_from_blocks([TextBlock(BlockKind.BODY, lines)])
    assert len(paras) == 2
    assert paras[1].startswith("line 4")


def test_one_line_block_knows_its_column():
    col = TextBlock(BlockKind.BODY, [geo_line("一二三四五六七八九十", 100, t * 12) for t in range(4)] +
                    [geo_line("一二三。", 100, 48)], column=0)
    lone = TextBlock(BlockKind.BODY, [geo_line("一二三四五六七八", 120, 300)], column=0)
    paras = paragraphs_from_blocks([col, lone])
    assert len(paras) == 2 and paras[1] == "一二三四五六七八"


# A real PDF: a two-column CJK story, two-character indents, a paragraph that
# runs from the bottom of the left column to the top of the right one, and a
# full-width sentence end at the bottom of a column that does not end its
# paragraph.
SIZE = 10.0
PER_LINE = 12
LINES_PER_COLUMN = 8
_FILLER = (
    "会议先后学习了中央和河南省主要领导的重要讲话精神和人民日报理论文章要点以及郑州市特大暴雨灾害追责"
    "全区上下要认真落实各项要求提高效能"
)
PARAGRAPHS = [
    # 10 + 12 + 12 + 5 = 39 chars: four lines, the last one short
    "郑州高新区召开党工委会议，深入学习党中央的系列部署和要求，全面贯彻新发展理念。",
    # 10 + 12 * 4 + 7: runs across the column break; its last left-column line
    # is full and ends with 。 while the paragraph goes on in the right column
    _FILLER[:45] + "。" + _FILLER[45:55] + "，提高效能。",
    # 10 + 12 + 3
    "张红军要求，要守好入市交通卡口的外防输入第一道防线，保持警惕。",
]


def _wrap_cjk(text: str) -> list[tuple[str, bool]]:
    """(line text, indented) with a two-character first-line indent."""
    out = [(text[: PER_LINE - 2], True)]
    rest = text[PER_LINE - 2:]
    while rest:
        out.append((rest[:PER_LINE], False))
        rest = rest[PER_LINE:]
    return out


@pytest.fixture(scope="module")
def two_column_pdf(tmp_path_factory) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path_factory.mktemp("clean") / "two_columns.pdf"
    width, height = 400.0, 300.0
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.setFont("STSong-Light", SIZE)
    lines = [ln for p in PARAGRAPHS for ln in _wrap_cjk(p)]
    assert lines[LINES_PER_COLUMN - 1][0].endswith("。")  # the trap is laid
    col_x = [40.0, 40.0 + PER_LINE * SIZE + 2 * SIZE]
    leading = SIZE * 1.5
    for i, (text, indented) in enumerate(lines):
        col, row = divmod(i, LINES_PER_COLUMN)
        x = col_x[col] + (2 * SIZE if indented else 0.0)
        baseline = height - 40.0 - row * leading  # reportlab's y grows upwards
        c.drawString(x, baseline, text)  # STSong-Light sets every character one em wide
    c.showPage()
    c.save()
    return path


def lines_from_chars(chars: list[Char], split_x: float) -> list[list[Line]]:
    """Columns of lines: chars split at ``split_x`` and grouped by their top."""
    columns: list[dict[float, list[Char]]] = [{}, {}]
    for ch in chars:
        if ch.text.isspace():
            continue
        rows = columns[0 if ch.x0 < split_x else 1]
        rows.setdefault(round(ch.top, 0), []).append(ch)
    out: list[list[Line]] = []
    for rows in columns:
        col: list[Line] = []
        for top in sorted(rows):
            cs = sorted(rows[top], key=lambda c: c.x0)
            col.append(Line("".join(c.text for c in cs), cs[0].x0, min(c.top for c in cs),
                            max(c.x1 for c in cs), max(c.bottom for c in cs), cs[0].size))
        out.append(col)
    return out


def test_geometric_paragraphs_from_a_real_two_column_pdf(two_column_pdf):
    from tasks.extract import extract_pages

    page = extract_pages(two_column_pdf)[0]
    assert page.chars, "the PDF must have extractable chars"
    split_x = 40.0 + PER_LINE * SIZE + SIZE
    columns = lines_from_chars(page.chars, split_x)
    assert len(columns[0]) == LINES_PER_COLUMN
    blocks = [TextBlock(BlockKind.BODY, col, column=i) for i, col in enumerate(columns)]
    assert paragraphs_from_blocks(blocks) == PARAGRAPHS


def test_column_continuation_without_indent_is_one_paragraph():
    left = TextBlock(BlockKind.BODY, [
        geo_line("一二三四五六七八九十", 120, 0),
        geo_line("一二三四五六七八九十一二", 100, 15),
        geo_line("一二三四五六七八九十一。", 100, 30),  # full, ends a sentence
    ], column=0)
    right = TextBlock(BlockKind.BODY, [
        geo_line("一二三四五六七八九十一二", 250, 0),  # not indented: goes on
        geo_line("一二三。", 250, 15),
        geo_line("一二三四五六七八九十", 270, 30),  # indented: new paragraph
        geo_line("一二三四五六。", 250, 45),
    ], column=1)
    paras = paragraphs_from_blocks([left, right])
    assert len(paras) == 2
    assert paras[0].endswith("一二三。") and len(paras[0]) == 10 + 12 + 12 + 12 + 4
    assert paras[1] == "一二三四五六七八九十一二三四五六。"


# --------------------------------------------------------------------------
# properties of paragraphs_from_blocks
# --------------------------------------------------------------------------


def _key(s: str) -> Counter:
    # hyphens may be removed at a break; ZWJ and the full-width decimal point
    # depend on their neighbours, which a paragraph break changes
    return Counter(ch for ch in normalize_text(s) if not ch.isspace() and ch not in "-\u00ad\u200d.．")


_PLINE = st.text(alphabet=st.sampled_from(list(_ZH + "abcXYZ019 -\u00ad\u3000.!?")), max_size=16)


@given(st.lists(st.lists(_PLINE, max_size=8), max_size=4))
@settings(max_examples=200, deadline=None)
def test_plain_paragraphs_lose_and_duplicate_nothing(blocks_lines):
    blocks = [plain_block(b) for b in blocks_lines]
    paras = paragraphs_from_blocks(blocks)
    source = "\n".join(t for b in blocks_lines for t in b)
    assert _key("\n".join(paras)) == _key(source)
    assert all(p and p == p.strip() for p in paras)


@given(st.lists(st.tuples(_PLINE, st.floats(0, 50), st.floats(0, 50), st.sampled_from([0.0, 9.0, 10.5])),
                max_size=12))
@settings(max_examples=200, deadline=None)
def test_geometric_paragraphs_lose_and_duplicate_nothing(rows):
    lines = [Line(t, 10 + dx, i * 12.0, 200 - dr, i * 12.0 + 10, size) for i, (t, dx, dr, size) in enumerate(rows)]
    half = len(lines) // 2
    blocks = [TextBlock(BlockKind.BODY, lines[:half], column=0), TextBlock(BlockKind.BODY, lines[half:], column=0)]
    paras = paragraphs_from_blocks(blocks)
    assert _key("\n".join(paras)) == _key("\n".join(t for t, *_ in rows))


@given(st.lists(st.text(max_size=20), max_size=10))
@settings(max_examples=200, deadline=None)
def test_paragraphs_any_text_no_crash(texts):
    assert isinstance(paragraphs_from_blocks([plain_block(texts)]), list)


def test_plain_leading_space_is_an_indent_only_beyond_the_usual():
    every_line_indented = [" 一二三四五六七八九十一二三四", " 一二三四五六七八九十一二三四", " 一二三四五六七八九十一二三四",
                           " 一二三四五六七八九十一二三四", " 一二三四五六七八九十一二三四"]
    assert len(paragraphs_from_blocks([plain_block(every_line_indented)])) == 1
    indented_first = ["　　一二三四五六七八九十一二", "一二三四五六七八九十一二三四", "一二三四五六七八九十一二三四",
                      "　　一二三四五六七八九十一二", "一二三四五六七八九十一二三四"]
    assert len(paragraphs_from_blocks([plain_block(indented_first)])) == 2


def test_numbers_split_across_cjk_lines_join_without_space():
    assert join_lines(["本次活动共提供就业岗位40", "0个，截至3月2", "8日"]) == "本次活动共提供就业岗位400个，截至3月28日"


def test_right_aligned_credit_lines_are_one_paragraph():
    # an 8 em column (10.8 pt type), 2 em paragraph indents, a credit set flush right on two lines
    em, left = 10.8, 327.7

    def ln(text: str, row: int, indent_em: float = 0.0, right: float = left + 8 * em) -> Line:
        x0 = left + indent_em * em
        return Line(text, x0, row * 15.0, min(right, x0 + len(text) * em), row * 15.0 + em, em)

    block = TextBlock(BlockKind.BODY, [
        ln("要把省市政府", 0, 2.0),
        ln("工作报告涉及高新", 1),
        ln("区的任务台账化。", 2),
        ln("各单位要加强宣传", 3),
        ln("引导。", 4),
        ln("本报记者", 5, 4.0),
        ln("刘燕、秦涛", 6, 3.0),
    ])
    assert paragraphs_from_blocks([block]) == [
        "要把省市政府工作报告涉及高新区的任务台账化。各单位要加强宣传引导。",
        "本报记者 刘燕、秦涛",
    ]
