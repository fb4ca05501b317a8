"""Segment: layout groups → articles (stitching, briefs, bylines, jump lines).

Pages here are built as ``PageLayout``s directly (lines with positions), so
each rule is tested on its own; ``tests/test_seed.py`` and the evaluation
harness cover the whole path on real and generated PDFs.

The property test at the end states the text invariant of the stage: every
non-space character of the grouped blocks' lines comes out exactly once, in
an article field (kicker, headline, subheadline, paragraphs, byline) or in
``Segmented.dropped`` (jump references, captions, title brackets, credit
title lines, text of groups that made no article).  Two things are left out
of the count because other stages change them on purpose: line-end hyphens
(de-hyphenation in ``clean.join_lines``), and a byline copied from a credit
printed inside the lead (本报讯（记者 王敏）), which stays in the body too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.clean import normalize_text
from tasks.model import FURNITURE_KINDS, BlockKind, Line, PageLayout, TextBlock
from tasks.segment import (
    jump_source,
    jump_target,
    segment_edition,
    segment_edition_with_leftovers,
)

DATE = dt.date(2024, 3, 5)
SIZE = 10.0
LEADING = 13.0
COL_W = 120.0
GUTTER = 12.0


def _width(text: str) -> float:
    return sum(SIZE if ord(c) > 0x2E80 else SIZE * 0.5 for c in text)


def col_x(col: int) -> float:
    return 30.0 + col * (COL_W + GUTTER)


def line(text: str, x0: float, top: float, size: float = SIZE, full: bool = False) -> Line:
    x1 = x0 + (COL_W if full else min(_width(text), COL_W * 4))
    return Line(text, x0, top, x1, top + size, size)


def column_block(texts: list[str], col: int, top: float, article: int | None, kind: BlockKind = BlockKind.BODY,
                 first_indent: bool = True, size: float = SIZE) -> TextBlock:
    """Body lines set in one column: full lines justified, the last one short."""
    x = col_x(col)
    lines = []
    for i, t in enumerate(texts):
        indent = 2 * size if (i == 0 and first_indent and kind is BlockKind.BODY) else 0.0
        full = kind is BlockKind.BODY and i < len(texts) - 1
        ln = line(t, x + indent, top + i * LEADING * size / SIZE, size)
        if full:
            ln = Line(t, x + indent, ln.top, x + COL_W, ln.bottom, size)
        lines.append(ln)
    return TextBlock(kind, lines, 0, col, article)


def title(text: str, col: int, top: float, article: int, kind: BlockKind = BlockKind.HEADLINE,
          size: float = 18.0) -> TextBlock:
    return TextBlock(kind, [line(text, col_x(col), top, size)], 0, None, article)


def page(blocks: list[TextBlock], number: int | None, source: str = "p.pdf") -> PageLayout:
    return PageLayout(source, 0, 900.0, 1200.0, blocks, page_number=number)


def by_headline(articles, prefix: str):
    found = [a for a in articles if a.headline.startswith(prefix)]
    assert len(found) == 1, [a.headline for a in articles]
    return found[0]


# --------------------------------------------------------------------------
# jump references
# --------------------------------------------------------------------------


def test_jump_references_read_both_scripts() -> None:
    assert jump_target("（下转第3版）") == 3
    assert jump_target("(转第十二版)") == 12
    assert jump_target("Continued on Page A5") == 5
    assert jump_source("（上接第1版）") == 1
    assert jump_source("Continued from Page A1") == 1
    assert jump_target("正文没有转版") is None
    assert jump_target("（下转A2版）") == 2 and jump_target("（转3版）") == 3
    assert jump_target("（接第3版）") is None and jump_source("（接第3版）") == 3  # 接 alone: comes from
    assert jump_source("（紧接第一版）") == 1


def test_jump_line_in_body_is_removed_and_kept_as_dropped() -> None:
    body = column_block(["郑州高新区召开会议，部署", "重点任务。（下转第2版）"], 0, 100, 0)
    seg = segment_edition_with_leftovers([page([title("会议部署重点任务", 0, 70, 0), body], 1)], "t", DATE)
    (a,) = seg.articles
    assert a.paragraphs == ["郑州高新区召开会议，部署重点任务。"]
    assert a.jump_to == 2
    assert "（下转第2版）" in seg.dropped


# --------------------------------------------------------------------------
# stitching
# --------------------------------------------------------------------------


def _front_and_back(back_headline: str, jump_line: bool = True, from_line: bool = True):
    front = [
        title("郑州高新区部署环保重点任务", 0, 60, 0),
        column_block(["本报讯 3月1日，郑州高新区召开生态环境", "保护工作会议，部署大气污染防治"], 0, 90, 0),
    ]
    if jump_line:
        front.append(TextBlock(BlockKind.JUMP, [line("（下转第3版）", col_x(0) + 60, 120)], 0, 0, 0))
    front += [
        title("另一篇稿件的标题", 2, 60, 1),
        column_block(["本报讯 3月2日，另一篇稿件正文。"], 2, 90, 1),
    ]
    back = [title("其他稿件", 0, 60, 0), column_block(["本报讯 3月3日，其他稿件正文。"], 0, 90, 0)]
    if back_headline:
        back.append(title(back_headline, 2, 60, 1, size=14.0))
    if from_line:
        back.append(TextBlock(BlockKind.JUMP, [line("（上接第1版）", col_x(2), 78)], 0, None, 1))
    back.append(column_block(["重点任务。区创新发展局表示，要", "巩固治理成果。"], 2, 92, 1, first_indent=False))
    return page(front, 1, "edition/page_01.pdf"), page(back, 3, "edition/page_03.pdf")


def test_jump_stitched_across_two_files_into_one_article() -> None:
    p1, p3 = _front_and_back("环保重点任务")
    articles = segment_edition([p1, p3], "t", DATE)
    a = by_headline(articles, "郑州高新区部署环保重点任务")
    assert a.page_numbers == [1, 3]
    assert a.source_files == ["edition/page_01.pdf", "edition/page_03.pdf"]
    # the warehouse's jump_to / jump_from: where the jump line pointed, where the story came from
    assert (a.jump_to, a.jump_from) == (3, 1)
    # the paragraph cut by the jump goes on where the reader lands
    assert a.paragraphs == ["本报讯 3月1日，郑州高新区召开生态环境保护工作会议，部署大气污染防治重点任务。区创新发展局表示，要巩固治理成果。"]
    # the repeated short headline and 上接 line make no article of their own
    assert len(articles) == 3
    assert not any(a.headline == "环保重点任务" for a in articles)


def test_continuation_found_by_its_headline_when_the_jump_line_is_missing() -> None:
    p1, p3 = _front_and_back("环保重点任务", jump_line=False)
    articles = segment_edition([p1, p3], "t", DATE)
    a = by_headline(articles, "郑州高新区部署环保重点任务")
    assert a.page_numbers == [1, 3]
    assert (a.jump_to, a.jump_from) == (3, 1)  # no jump line: the pages it was stitched across
    assert len(articles) == 3


def test_continuation_without_headline_joins_the_story_that_stops_mid_sentence() -> None:
    p1, p3 = _front_and_back("", jump_line=False)
    articles = segment_edition([p1, p3], "t", DATE)
    assert by_headline(articles, "郑州高新区部署环保重点任务").page_numbers == [1, 3]


def test_continuation_headline_must_repeat_the_story() -> None:
    p1, p3 = _front_and_back("完全不同的稿件", jump_line=False, from_line=False)
    articles = segment_edition([p1, p3], "t", DATE)
    assert by_headline(articles, "郑州高新区部署环保重点任务").page_numbers == [1]
    assert by_headline(articles, "完全不同的稿件").page_numbers == [3]


def test_english_continued_lines() -> None:
    front = page([
        title("Council approves budget for schools", 0, 60, 0),
        column_block(["The council approved the budget on", "Monday after a long debate about the"], 0, 90, 0),
        TextBlock(BlockKind.JUMP, [line("Continued on Page A4", col_x(0), 120)], 0, 0, 0),
    ], 1, "a/page_01.pdf")
    back = page([
        title("Council budget", 0, 60, 0, size=14.0),
        TextBlock(BlockKind.JUMP, [line("Continued from Page A1", col_x(0), 78)], 0, None, 0),
        column_block(["costs of new classrooms.", "Officials said more details would follow."], 0, 92, 0,
                     first_indent=False),
    ], 4, "a/page_04.pdf")
    (a,) = segment_edition([front, back], "t", DATE)
    assert a.page_numbers == [1, 4]
    assert a.paragraphs[0].endswith("long debate about the costs of new classrooms.")


def test_english_continuation_is_matched_by_words_not_letters() -> None:
    front = page([
        title("Council approves budget for schools", 0, 60, 0),
        column_block(["The council approved the budget on", "Monday after a long debate about the"], 0, 90, 0),
        title("Storm damage estimates reach $589 million", 2, 60, 1),
        column_block(["Volunteers removed more than ten tons", "of debris from the"], 2, 90, 1),
    ], 1, "a/page_01.pdf")
    back = page([
        title("Storm damage", 0, 60, 0, size=14.0),
        TextBlock(BlockKind.JUMP, [line("Continued from Page A1", col_x(0), 78)], 0, None, 0),
        column_block(["riverbank over the weekend."], 0, 92, 0, first_indent=False),
    ], 4, "a/page_04.pdf")
    articles = segment_edition([front, back], "t", DATE)
    assert by_headline(articles, "Storm damage estimates").page_numbers == [1, 4]
    assert by_headline(articles, "Council approves").page_numbers == [1]


# --------------------------------------------------------------------------
# briefs
# --------------------------------------------------------------------------


def test_brief_column_gives_one_article_per_run_in_title() -> None:
    blocks: list[TextBlock] = []
    items = [("【开放日活动】", "本报讯 7月9日"), ("【交通管制】", "因施工需要，")]
    top = 100.0
    for k, (t, first) in enumerate(items):
        tl = line(t, col_x(0) + 2 * SIZE, top)
        blocks.append(TextBlock(BlockKind.BRIEF_TITLE, [tl], 0, 0, 0))
        rest = Line(first, tl.x1, top, col_x(0) + COL_W, top + SIZE, SIZE)
        more = Line("请过往车辆绕行。", col_x(0), top + LEADING, col_x(0) + 80, top + LEADING + SIZE, SIZE)
        # the layout reads the text beside a run-in title before the title
        blocks.insert(len(blocks) - 1, TextBlock(BlockKind.BODY, [rest, more], 0, 0, 0))
        top += 3 * LEADING
    seg = segment_edition_with_leftovers([page(blocks, 1)], "t", DATE)
    assert [a.headline for a in seg.articles] == ["开放日活动", "交通管制"]
    assert all(a.kind == "brief" for a in seg.articles)
    assert seg.articles[1].paragraphs == ["因施工需要，请过往车辆绕行。"]
    # the text beside the title opens the item (its line starts where the title does)
    assert seg.articles[0].paragraphs == ["本报讯 7月9日请过往车辆绕行。"]
    assert seg.dropped.count("【】") == 2


def test_brief_item_running_on_into_the_next_column() -> None:
    blocks = [
        TextBlock(BlockKind.BRIEF_TITLE, [line("Library extends hours", col_x(0), 100)], 0, 0, 0),
        column_block(["The library will stay open until", "nine on weekdays."], 0, 114, 0),
        TextBlock(BlockKind.BRIEF_TITLE, [line("Blood drive scheduled", col_x(0), 150)], 0, 0, 0),
        column_block(["The blood drive will be held at the", "community center on"], 0, 164, 0),
        column_block(["Saturday morning.", "Donors should book ahead."], 1, 100, 0, first_indent=False),
        TextBlock(BlockKind.BRIEF_TITLE, [line("Road closure", col_x(1), 140)], 0, 1, 0),
        column_block(["Main Street will close for repairs."], 1, 154, 0),
    ]
    articles = segment_edition([page(blocks, 1)], "t", DATE)
    assert [a.headline for a in articles] == ["Library extends hours", "Blood drive scheduled", "Road closure"]
    assert "community center on Saturday morning." in articles[1].body


def test_run_in_title_in_the_body_face_opens_an_item() -> None:
    x = col_x(0)
    tl = line("【开放日活动】", x + 20, 100)
    first = TextBlock(BlockKind.BODY, [Line("本报讯 7月9日，", tl.x1, 100, x + COL_W, 110, SIZE),
                                       Line("活动现场人很多。", x, 113, x + 80, 123, SIZE)], 0, 0, 0)
    # a title the layout left in the body: not bold, wrapped over two lines
    second = TextBlock(BlockKind.BODY, [
        Line("【河南投资集团获评", x + 20, 140, x + COL_W, 150, SIZE),
        Line("专精特新企业】本次活动", x, 153, x + COL_W, 163, SIZE),
        Line("共提供岗位。", x, 166, x + 60, 176, SIZE),
    ], 0, 0, 0)
    seg = segment_edition_with_leftovers([page([first, TextBlock(BlockKind.BRIEF_TITLE, [tl], 0, 0, 0), second], 1)],
                                         "t", DATE)
    assert [a.headline for a in seg.articles] == ["开放日活动", "河南投资集团获评专精特新企业"]
    assert seg.articles[1].paragraphs == ["本次活动共提供岗位。"]


def test_one_brief_title_with_a_lead_is_one_brief() -> None:
    tl = line("【专精特新企业】", col_x(0) + 20, 100)
    blocks = [
        TextBlock(BlockKind.BODY, [Line("本报讯 7月9", tl.x1, 100, col_x(0) + COL_W, 110, SIZE)], 0, 0, 0),
        TextBlock(BlockKind.BRIEF_TITLE, [tl], 0, 0, 0),
    ]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert a.kind == "brief" and a.headline == "专精特新企业"


# --------------------------------------------------------------------------
# bylines
# --------------------------------------------------------------------------


def test_byline_under_the_headline() -> None:
    blocks = [
        title("Council approves budget", 0, 60, 0),
        TextBlock(BlockKind.BYLINE, [line("By Jane Doe", col_x(0), 84)], 0, None, 0),
        TextBlock(BlockKind.BYLINE, [line("Staff Writer", col_x(0), 96)], 0, None, 0),
        column_block(["The council approved the budget.", "It passed six to three."], 0, 110, 0),
    ]
    seg = segment_edition_with_leftovers([page(blocks, 1)], "t", DATE)
    (a,) = seg.articles
    assert a.byline == "By Jane Doe"
    assert "Staff Writer" in seg.dropped and "Staff Writer" not in a.body


def test_byline_at_the_end_of_the_body() -> None:
    blocks = [
        title("安置房项目主体封顶", 0, 60, 0),
        column_block(["本报讯 3月1日，梧桐办事处安置房项目", "主体封顶。"], 0, 90, 0),
        column_block(["记者 王敏 通讯员 秦振桂"], 0, 130, 0, first_indent=False),
    ]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert a.byline == "记者 王敏 通讯员 秦振桂"
    assert "王敏" not in a.body


def test_credits_in_reading_order_text_credit_before_the_photo_credit_below_it() -> None:
    blocks = [
        title("环保督察反馈问题整改清零", 0, 60, 0),
        column_block(["本报讯 3月1日，梧桐办事处安置房项目", "主体封顶。"], 0, 90, 0),
        TextBlock(BlockKind.BODY, [line("记者 王磊", col_x(0) + 70, 117)], 0, 0, 0),
        TextBlock(BlockKind.BYLINE, [line("郑州日报 傅芳明 文/图", col_x(0) + 10, 132)], 0, 0, 0),
    ]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert a.byline == "记者 王磊 郑州日报 傅芳明 文/图"


def test_credit_set_as_the_first_line_of_the_text() -> None:
    blocks = [
        title("创新平台建设跑出加速度", 0, 60, 0),
        TextBlock(BlockKind.BODY, [line("本报记者 毛英凯 于飞杰", col_x(0), 90, 8.0)], 0, 0, 0),
        column_block(["本报讯 4月9日，郑州外国语中学与汉威", "科技集团共建联合实验室揭牌。"], 0, 104, 0),
    ]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert a.byline == "本报记者 毛英凯 于飞杰"
    assert a.paragraphs[0].startswith("本报讯 4月9日")


def test_credit_wrapped_in_a_narrow_column() -> None:
    blocks = [
        title("安置房项目主体封顶", 0, 60, 0),
        column_block(["本报讯 3月1日，梧桐办事处安置房项目", "主体封顶。"], 0, 90, 0),
        # set flush right, short lines: the credit wrapped at a space
        TextBlock(BlockKind.BODY, [Line("记者 王敏 通讯员", col_x(0) + 40, 130, col_x(0) + COL_W, 140, SIZE),
                                   Line("秦振桂", col_x(0) + 90, 143, col_x(0) + COL_W, 153, SIZE)], 0, 0, 0),
    ]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert a.byline == "记者 王敏 通讯员 秦振桂"
    assert a.paragraphs == ["本报讯 3月1日，梧桐办事处安置房项目主体封顶。"]


def test_credit_inside_the_lead_is_the_byline_and_stays_in_the_body() -> None:
    blocks = [
        title("安置房建设取得成效", 0, 60, 0),
        column_block(["本报讯（记者 孙庆辉）区财政金融局副局", "长带队督导安置房建设。"], 0, 90, 0),
    ]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert a.byline == "记者 孙庆辉"
    assert a.paragraphs[0].startswith("本报讯（记者 孙庆辉）")


def test_smaller_lines_in_a_headline_block_are_kicker_and_subheadline() -> None:
    head = TextBlock(BlockKind.HEADLINE, [
        line("持续改善生态环境", col_x(0), 40, 12.0),
        line("郑州高新区部署环保重点任务", col_x(0), 56, 20.0),
        line("——优良天数同比增加14天", col_x(0), 80, 12.0),
    ], 0, None, 0)
    blocks = [head, column_block(["本报讯 3月1日，郑州高新区召开会议。"], 0, 100, 0)]
    (a,) = segment_edition([page(blocks, 1)], "t", DATE)
    assert (a.kicker, a.headline, a.subheadline) == ("持续改善生态环境", "郑州高新区部署环保重点任务", "——优良天数同比增加14天")


# --------------------------------------------------------------------------
# reading a story: columns first, columns joined
# --------------------------------------------------------------------------


def test_text_beside_a_photo_reads_after_the_columns_under_it() -> None:
    blocks = [
        title("郑州高新区部署环保重点任务", 0, 40, 0),
        TextBlock(BlockKind.PHOTO, [Line("", col_x(0), 70, col_x(1) + COL_W, 250, 0.0)], 0, None, 0),
        TextBlock(BlockKind.CAPTION, [line("治理后的莲花街河道。", col_x(0), 255, 8.0)], 0, None, 0),
        # the page's row-first order puts the text beside the photo first
        column_block(["三栏的文字接着读，", "第四栏在后。"], 2, 70, 0, first_indent=False),
        column_block(["本报讯 3月1日，照片下第一栏", "先读，"], 0, 275, 0),
        column_block(["第二栏接着读，", "然后到照片旁边的"], 1, 275, 0, first_indent=False),
    ]
    seg = segment_edition_with_leftovers([page(blocks, 1)], "t", DATE)
    (a,) = seg.articles
    assert a.body.replace("\n", "") == "本报讯 3月1日，照片下第一栏先读，第二栏接着读，然后到照片旁边的三栏的文字接着读，第四栏在后。"
    assert "治理后的莲花街河道。" in seg.dropped


def test_title_less_next_column_joins_its_story() -> None:
    blocks = [
        title("Storm damage", 0, 60, 0),
        column_block(["Volunteers removed more than ten", "tons of debris from the"], 0, 90, 0),
        column_block(["riverbank over the weekend.", "Officials said more details would follow."], 1, 90, 1,
                     first_indent=False),
        title("Other story", 2, 60, 2),
        column_block(["LONDON, March 3 — Another story", "starts here."], 2, 90, 2),
    ]
    articles = segment_edition([page(blocks, 2)], "t", DATE)
    assert len(articles) == 2
    assert articles[0].body.startswith("Volunteers removed more than ten tons of debris from the riverbank")
    assert articles[1].headline == "Other story"


def test_title_less_group_with_a_lead_stays_a_story() -> None:
    blocks = [
        column_block(["本报讯 3月1日，第一篇。", "记者 王敏"], 0, 90, 0),
        column_block(["本报讯 3月2日，第二篇。", "记者 李超"], 1, 90, 1),
    ]
    articles = segment_edition([page(blocks, 2)], "t", DATE)
    assert [a.byline for a in articles] == ["记者 王敏", "记者 李超"]


def test_a_lead_after_an_end_credit_starts_a_second_story() -> None:
    # two headlines set side by side came out of the layout as one group
    blocks = [
        title("沟赵办事处开展城市防汛应急演练 沟赵办事处扎实推进安置房建设工作", 0, 60, 0),
        column_block(["中新社杭州1月25日电 记者从区城市管理局", "获悉，管网改造工程已顺利完工。"], 0, 90, 0),
        TextBlock(BlockKind.BYLINE, [line("记者 王敏", col_x(0) + 70, 120)], 0, 0, 0),
        column_block(["本报讯 1月24日，沟赵办事处安置房项目", "主体封顶。"], 1, 90, 0),
        TextBlock(BlockKind.BYLINE, [line("记者 李超", col_x(1) + 70, 120)], 0, 1, 0),
    ]
    first, second = segment_edition([page(blocks, 3)], "t", DATE)
    assert first.byline == "记者 王敏" and first.paragraphs[0].startswith("中新社杭州")
    assert second.byline == "记者 李超" and second.paragraphs[0].startswith("本报讯 1月24日")


def test_text_after_a_jump_line_is_another_story_titled_by_the_lines_above_its_lead() -> None:
    blocks = [
        title("杜娟敏调研医疗工作", 0, 40, 0),
        column_block(["本报讯 12月25日，河南省人民医院高新", "院区正式开诊，开放床位"], 0, 70, 0),
        TextBlock(BlockKind.JUMP, [line("（下转第4版）", col_x(0) + 50, 98)], 0, 0, 0),
        # a small story below, its title set in the body face: the layout read it on
        TextBlock(BlockKind.BODY, [
            line("双桥办事处多措并举", col_x(0), 130),
            line("抓好招商引资", col_x(0), 143),
            Line("本报讯 12月31日，双桥办事处举行", col_x(0) + 20, 160, col_x(0) + COL_W, 170, SIZE),
            line("签约仪式。", col_x(0), 173),
        ], 0, 0, 0),
    ]
    first, second = segment_edition([page(blocks, 2)], "t", DATE)
    assert first.headline == "杜娟敏调研医疗工作" and first.jump_to == 4
    assert second.headline == "双桥办事处多措并举抓好招商引资"
    assert second.paragraphs == ["本报讯 12月31日，双桥办事处举行签约仪式。"]


# --------------------------------------------------------------------------
# the text invariant, on random pages
# --------------------------------------------------------------------------

CJK_WORDS = ["郑州", "高新区", "召开", "会议", "部署", "重点", "任务", "群众", "工作", "推进", "项目", "建设"]
LATIN_WORDS = ["the", "council", "approved", "budget", "said", "residents", "Monday", "plan", "city", "new"]


@st.composite
def sentence(draw) -> str:
    if draw(st.booleans()):
        words = draw(st.lists(st.sampled_from(CJK_WORDS), min_size=1, max_size=8))
        return "".join(words) + draw(st.sampled_from(["。", "，", "", "！"]))
    words = draw(st.lists(st.sampled_from(LATIN_WORDS), min_size=1, max_size=7))
    return " ".join(words) + draw(st.sampled_from([".", ",", "", "?"]))


SPECIAL_LINES = [
    "本报讯 3月28日，",
    "本报郑州12月31日电 ",
    "记者 王敏",
    "记者 孙庆辉 通讯员 冯志斌",
    "By Jane Doe",
    "Staff Writer",
    "（下转第2版）",
    "（上接第1版）",
    "Continued on Page A3",
    "Continued from Page A1",
    "【简讯标题】",
]


@st.composite
def text_line(draw) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(SPECIAL_LINES))
    parts = draw(st.lists(sentence(), min_size=1, max_size=2))
    return "".join(parts)


KINDS = [BlockKind.BODY] * 6 + [BlockKind.HEADLINE, BlockKind.BYLINE, BlockKind.JUMP, BlockKind.BRIEF_TITLE,
                                BlockKind.KICKER, BlockKind.SUBHEADLINE, BlockKind.CAPTION, BlockKind.FOOTER]


@st.composite
def random_page(draw, number: int) -> PageLayout:
    geometry = draw(st.booleans())
    blocks: list[TextBlock] = []
    tops = [80.0] * 5
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(KINDS))
        col = draw(st.integers(0, 4))
        article = None if kind in FURNITURE_KINDS else draw(st.integers(0, 3))
        texts = draw(st.lists(text_line(), min_size=1, max_size=5))
        if geometry:
            b = column_block(texts, col, tops[col], article, kind, first_indent=draw(st.booleans()))
            tops[col] += LEADING * (len(texts) + 1)
        else:
            b = TextBlock(kind, [Line(t, 0, 0, 0, 0, 0) for t in texts], 0, None, article)
        blocks.append(b)
    layout = page(blocks, number, f"e/page_{number:02d}.pdf")
    layout.has_geometry = geometry
    return layout


def _chars(texts: list[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for t in texts:
        out.update(c for c in normalize_text(t) if not c.isspace() and c not in "-\u2010\u00ad")
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3, unique=True).flatmap(
    lambda numbers: st.tuples(*[random_page(n) for n in numbers])))
def test_no_text_lost_or_duplicated(pages: tuple[PageLayout, ...]) -> None:
    layouts = list(pages)
    seg = segment_edition_with_leftovers(layouts, "t", DATE)
    given_text = [ln.text for lay in layouts for b in lay.blocks
                  if b.article is not None and b.kind not in FURNITURE_KINDS for ln in b.lines]
    out: list[str] = list(seg.dropped)
    assert len(seg.lead_credit) == len(seg.articles)
    for a, copied in zip(seg.articles, seg.lead_credit):
        out += [a.kicker, a.headline, a.subheadline, *a.paragraphs]
        if not copied:  # a byline read from the lead's credit is in the body as well
            out.append(a.byline)
    assert _chars(out) == _chars(given_text)
    for a in seg.articles:
        assert a.page_numbers and a.source_files
        assert a.paragraphs or a.headline


# --------------------------------------------------------------------------
# credits as real papers print them
# --------------------------------------------------------------------------


def test_bare_name_under_the_headline_is_the_byline() -> None:
    blocks = [title("价值观念的变革", 0, 50, 0), column_block(["苏来兴"], 0, 80, 0, first_indent=False),
              column_block(["报载，在安徽铜陵有色金属公司第一冶", "炼厂，领导干部开会时少说两句。"], 0, 100, 0)]
    a = segment_edition([page(blocks, 1)], "t", DATE)[0]
    assert a.byline == "苏来兴"
    assert a.paragraphs == ["报载，在安徽铜陵有色金属公司第一冶炼厂，领导干部开会时少说两句。"]


def test_closing_pen_name_and_photo_credit_line_leave_the_body_whole() -> None:
    blocks = [title("冬夜的灯展", 0, 50, 0),
              column_block(["灯展为寒冷的冬夜增添了几分暖意，", "市民纷纷前来观赏。（峤聿）"], 0, 80, 0),
              title("冰雕童话世界", 1, 50, 1),
              column_block(["冰城儿童公园为孩子们准备了特殊的", "贺岁礼物。"], 1, 80, 1),
              column_block(["（新华社记者周确摄）"], 1, 110, 1, kind=BlockKind.BYLINE, first_indent=False),
              column_block(["图为孩子们在冰雕前合影。（新华社记者 谢环驰摄）"], 1, 140, 1, kind=BlockKind.CAPTION,
                           first_indent=False)]
    arts = segment_edition([page(blocks, 1)], "t", DATE)
    pen, photo = by_headline(arts, "冬夜"), by_headline(arts, "冰雕")
    assert pen.byline == "峤聿" and pen.paragraphs == ["灯展为寒冷的冬夜增添了几分暖意，市民纷纷前来观赏。"]
    assert photo.byline == "新华社记者周确摄" and photo.paragraphs == ["冰城儿童公园为孩子们准备了特殊的贺岁礼物。"]
    assert photo.captions == ["图为孩子们在冰雕前合影。（新华社记者 谢环驰摄）"]
    from tasks.tag import tag_article

    credits = {(p.name, p.role) for p in tag_article(photo).people if p.role != "mentioned"}
    assert credits == {("周确", "photographer"), ("谢环驰", "photographer")}
    assert {(p.name, p.role) for p in tag_article(pen).people if p.role != "mentioned"} == {("峤聿", "author")}


def test_a_credit_repeated_on_two_pages_is_no_running_head() -> None:
    from tasks.furniture import mark_running_heads

    def one(number: int) -> PageLayout:
        return page([title("Council approves budget", 0, 40, 0),
                     column_block(["Associated Press"], 0, 70, 0, kind=BlockKind.BYLINE, first_indent=False),
                     column_block(["WASHINGTON (AP) — The council voted.", "It passed 5-2."], 0, 90, 0)], number)

    layouts = [one(1), one(2)]
    mark_running_heads(layouts)
    assert all(b.kind is BlockKind.BYLINE and b.article == 0 for lay in layouts for b in lay.blocks
               if b.text == "Associated Press")
