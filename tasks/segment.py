"""Segment: page layouts → articles.

Layout has already grouped each page's blocks into article groups in reading
order.  This stage turns a group into an ``Article`` (headline, kicker,
subheadline, paragraphs, byline, jump references), splits groups that hold
several stories (plain-text pages, headline-less runs of 本报讯 items, brief
columns) and stitches articles that jump pages (下转第3版 / Continued on A5)
into one.

The rules, each from how a page is made up:

- a story reads down a column and on at the top of the next; inside a group
  body blocks are ordered columns first (a photo over the first columns with
  text beside it no longer puts the beside-text first);
- a title-less group that starts level with a story's column one gutter to
  its right, or sits right under it, is that story running on (a story set
  wider than its headline, a credit under its last column), unless it opens
  with a dateline lead;
- a (下转第N版) / Continued on line is where a story leaves the page: what
  the group reads after it is another story, whose short unpunctuated lines
  above its dateline lead are its title;
- a credit ends a story and a dateline lead opens one: a body block opening
  with a lead after the group's text has had an end credit starts a second
  story (two headlines side by side that the layout read as one);
- the headline is the story's largest type: smaller lines left in a headline
  block are kicker (above) or subheadline (below);
- a brief column gives one item per run-in title (also one set in the body
  face: a paragraph opening with 【title】); an item owns the text below its
  title in its column; 【】 around a title are decoration;
- credits read in print order: under the headline, at the end of the text
  (also when wrapped over short lines, set as the text's first line, or in
  the closing bracket: （峤聿） （新华社）), then set below it; a bare name
  alone under the headline or after the text is its author's; failing all,
  the credit inside the lead (本报讯（记者 X）) is the byline, and the body
  keeps it too;
- an article keeps copies of its photos' captions (``Article.captions``),
  where photo credits are printed;
- jumps: a part that says where it goes takes the part there that says where
  it comes from, or repeats its headline; a continuation nobody sent the
  reader to joins the story on its source page whose headline it repeats.

``segment_edition_with_leftovers`` also returns the text no field holds
(jump lines, captions, repeated continuation titles...), so that no text is
lost or read twice (checked on random pages in ``tests/test_segment.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tasks.bylines import EN_TITLE_WORDS, bare_name_credit, split_byline
from tasks.clean import ends_sentence, join_lines, normalize_text, paragraphs_from_blocks
from tasks.datelines import parse_dateline
from tasks.furniture import zh_number
from tasks.model import (
    FURNITURE_KINDS,
    Article,
    BBox,
    BlockKind,
    Line,
    PageLayout,
    TextBlock,
    bbox_union,
)

# A story's lead: 本报讯 / 本报北京12月31日电 / 新华社北京1月1日电 / 本报记者...
_LEAD = re.compile(r"^\s*(本报讯|本报[^，。\s]{0,12}电|新华社[^，。\s]{0,12}电|【[^】]{1,20}】)")
# 下转第3版 / 转3版 / 下转A2版 / 下转第二版 / Continued on Page A5 / See BUDGET, Page A4
_PAGE_NO = r"[A-Za-zＡ-Ｚ]?\s*[0-9０-９一二三四五六七八九十]+"
_JUMP_TO = re.compile(
    rf"[（(]?\s*(?:下转|转)\s*第?\s*({_PAGE_NO})\s*版\s*[)）]?"
    r"|continued\s+on\s+(?:page\s+)?([A-Z]?\d+)"
    r"|see\s+.{1,40}?,?\s+page\s+([A-Z]?\d+)",
    re.I,
)
# 上接第1版 / 接1版 / 紧接第一版 / Continued from Page A1 / From Page A1
_JUMP_FROM = re.compile(
    rf"[（(]?\s*(?:上接|紧接|接)\s*第?\s*({_PAGE_NO})\s*版\s*[)）]?"
    r"|continued\s+from\s+(?:page\s+)?([A-Z]?\d+)"
    r"|from\s+page\s+([A-Z]?\d+)"
    r"|continued\s+from\s+(?:the\s+)?(cover|front\s+page|front)\b",
    re.I,
)
_FINAL = "。！？!?.”」』\"'…"


def _page_ref(text: str) -> int | None:
    """'3', '３', 'A5', '十二' → page number."""
    return zh_number(normalize_text(text).strip().upper().lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").strip())


def _match_ref(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    if not m:
        return None
    ref = next(g for g in m.groups() if g)
    if ref.lower().startswith(("cover", "front")):
        return 1  # "Continued from cover": the front page
    return _page_ref(ref)


def jump_target(text: str) -> int | None:
    """The page a jump line sends the reader to (下转第3版 → 3)."""
    return _match_ref(_JUMP_TO, text)


def jump_source(text: str) -> int | None:
    """The page a continuation comes from (上接第1版 → 1)."""
    return _match_ref(_JUMP_FROM, text)


def _strip_jump_lines(paragraphs: list[str]) -> tuple[list[str], int | None, int | None, list[str]]:
    """Remove jump references from the last/first paragraph.

    Returns (paragraphs, page jumped to, page jumped from, the removed text).
    A reference counts only at the very end of the last paragraph (two
    characters of trailing punctuation allowed) or at the very start of the
    first: a page number mentioned mid-sentence stays.
    """
    to = frm = None
    removed: list[str] = []
    out = list(paragraphs)
    if out:
        m = _JUMP_TO.search(out[-1])
        if m and len(out[-1]) - m.end() <= 2:
            to = _page_ref(next(g for g in m.groups() if g))
            removed.append(out[-1][m.start() :])
            out[-1] = out[-1][: m.start()].rstrip()
    if out:
        m = _JUMP_FROM.search(out[0])
        if m and m.start() <= 2:
            frm = _page_ref(next(g for g in m.groups() if g))
            removed.append(out[0][: m.end()])
            out[0] = out[0][m.end() :].lstrip()
    return [p for p in out if p], to, frm, removed


# kinds that name a story: a group with none of them has no title of its own
_TITLE_KINDS = frozenset({BlockKind.HEADLINE, BlockKind.KICKER, BlockKind.SUBHEADLINE, BlockKind.BRIEF_TITLE})
# kinds whose text is not part of an Article field (captions, tables, photos)
_ASIDE_KINDS = frozenset({BlockKind.CAPTION, BlockKind.TABLE, BlockKind.PHOTO})
# a column that continues another starts within this many em of its top
TOP_ALIGN_EM = 1.0
# and at most this many em to the right of it (a gutter is one or two em)
GUTTER_EM = 3.0
# the decoration around a run-in brief title: 【title】 / [title]
_TITLE_BRACKETS = re.compile(r"^\s*[【\[〔［]\s*(.*?)\s*[】\]〕］]\s*$", re.S)


@dataclass(slots=True)
class _Part:
    """One article group on one page, before stitching."""

    page_number: int
    source_file: str
    blocks: list[TextBlock]
    sequence: int
    headline: str = ""
    kicker: str = ""
    subheadline: str = ""
    bylines: list[str] = field(default_factory=list)  # credits set above the text (under the headline)
    end_bylines: list[str] = field(default_factory=list)  # credits set after the text begins
    paragraphs: list[str] = field(default_factory=list)
    jump_to: int | None = None
    jump_from: int | None = None
    brief: bool = False
    dropped: list[str] = field(default_factory=list)  # text read but put in no field
    captions: list[str] = field(default_factory=list)  # copies of its caption text (also in dropped)


@dataclass(slots=True)
class Segmented:
    """An edition's articles and the text that went into none of their fields.

    ``dropped`` holds jump references (（下转第3版）, Continued on Page A5),
    the repeated titles of continuations, captions and table text, the
    brackets of run-in brief titles, English byline title lines (Staff
    Writer), and the text of groups that made no article.  Every non-space
    character of the grouped blocks' lines ends up exactly once in an
    article field or in ``dropped``, except a byline read from the lead's
    credit (``lead_credit``), which the body keeps too (``tests/test_segment``
    states the invariant and checks it on random pages).
    """

    articles: list[Article]
    dropped: list[str] = field(default_factory=list)
    # per article: the byline is a copy of the credit in its lead (本报讯（记者 X）), kept in the body too
    lead_credit: list[bool] = field(default_factory=list)


def _text_of(blocks: list[TextBlock]) -> str:
    return normalize_text(join_lines([ln.text for b in blocks for ln in b.lines])).strip()


def _is_byline_line(text: str) -> bool:
    body, byline = split_byline(normalize_text(text).strip())
    return bool(byline) and not body.strip()


def _em_of(block: TextBlock) -> float:
    sizes = sorted(ln.size for ln in block.lines if ln.size > 0)
    if sizes:
        return sizes[len(sizes) // 2]
    heights = sorted(ln.bottom - ln.top for ln in block.lines if ln.bottom > ln.top)
    return heights[len(heights) // 2] if heights else 10.0


def _has_geometry(block: TextBlock) -> bool:
    return any(ln.x1 > ln.x0 for ln in block.lines)


# --------------------------------------------------------------------------
# reading one group: columns first
# --------------------------------------------------------------------------


def _columns_first(boxes: list[BBox], tol: float = 1.0, text: list[bool] | None = None) -> list[int]:
    """Reading order of one story's boxes: cut between columns before rows.

    A story's text runs down a column and on at the top of the next one, so
    inside a story a vertical gutter is cut first; a row cut is taken only
    where something spans the columns (the headline, a photo across the
    whole story), which then reads before what lies below it.
    """

    def cut(idx: list[int]) -> list[int]:
        if len(idx) <= 1:
            return idx
        for lo, hi in ((0, 2), (1, 3)):  # x: between columns; y: between rows
            ordered = sorted(idx, key=lambda i: (boxes[i][lo], boxes[i][hi]))
            pieces = [[ordered[0]]]
            reach = boxes[ordered[0]][hi]
            for i in ordered[1:]:
                if boxes[i][lo] >= reach - tol:
                    pieces.append([])
                pieces[-1].append(i)
                reach = max(reach, boxes[i][hi])
            if len(pieces) > 1:
                return [j for piece in pieces for j in cut(piece)]
        if text is not None:
            # a figure reaching into the next column (the text wraps round
            # it) hides every gutter: cut the text alone
            words = [i for i in idx if text[i]]
            if 2 <= len(words) < len(idx):
                return cut(words) + sorted((i for i in idx if not text[i]), key=lambda i: (boxes[i][1], boxes[i][0]))
        return sorted(idx, key=lambda i: (boxes[i][1], boxes[i][0]))

    return cut(list(range(len(boxes))))


def _in_reading_order(blocks: list[TextBlock]) -> list[TextBlock]:
    """The group's body blocks re-ordered columns first; other blocks stay put.

    The page-level order cuts rows first, which is right between stories
    but reads a story set around a photo (photo over the first columns, text
    beside it) beside-text first.  Every block of the group, photos and
    captions included, is an obstacle for the cuts; the story's head, which
    ends above its text, is left out (a headline over only some columns
    would otherwise hide the gutter beside it).
    """
    geo = [i for i, b in enumerate(blocks) if b.lines and _has_geometry(b)]
    body = [i for i in geo if blocks[i].kind is BlockKind.BODY]
    if len(body) < 2:
        return blocks
    # the story's head (kicker, headline, a byline under it) ends above the text: it reads first
    text_top = min(blocks[i].bbox[1] for i in body)
    geo = [i for i in geo if blocks[i].kind is BlockKind.BODY or blocks[i].bbox[3] > text_top + 1.0]
    order = _columns_first([blocks[i].bbox for i in geo], text=[blocks[i].kind is BlockKind.BODY for i in geo])
    rank = {geo[k]: pos for pos, k in enumerate(order)}
    sorted_body = iter(sorted(body, key=lambda i: rank[i]))
    return [blocks[next(sorted_body)] if i in rank and blocks[i].kind is BlockKind.BODY else b
            for i, b in enumerate(blocks)]


def _starts_story(block: TextBlock, edition_date: dt.date) -> bool:
    head = normalize_text(join_lines([ln.text for ln in block.lines[:3]]))
    return bool(_LEAD.match(head)) or bool(parse_dateline(head, edition_date).text)


def _runs_on(b: TextBlock, nxt: TextBlock) -> bool:
    """``b``'s last line breaks off mid-sentence and ``nxt`` goes on in lower case."""
    last = b.lines[-1].text.rstrip()
    head = nxt.lines[0].text.lstrip()[:1]
    return bool(last) and not _is_final(last) and head.isalpha() and head.islower()


def _give_back_run_ons(groups: list[list[TextBlock]]) -> list[list[TextBlock]]:
    """A column the layout gave to the story on its right goes back to the story it continues.

    A story set wider than its headline has a column no title stands over;
    beside it, another story's headline may claim it.  A body block that lies
    left of all its group's headlines (none stands over it), opens in lower
    case and goes on the sentence that another story's column, one gutter to
    its left and level with it, breaks off is that story's.
    """
    for g in groups:
        heads = [b for b in g if b.kind is BlockKind.HEADLINE and _has_geometry(b)]
        bodies = [b for b in g if b.kind is BlockKind.BODY and _has_geometry(b)]
        if not heads or len(bodies) < 2:
            continue
        left_edge = min(h.bbox[0] for h in heads)
        for b in bodies:
            em = _em_of(b)
            if b.bbox[2] > left_edge:
                continue
            for other in groups:
                if other is g:
                    continue
                hit = next((c for c in other if c.kind is BlockKind.BODY and _has_geometry(c)
                            and -0.5 * em <= b.bbox[0] - c.bbox[2] <= GUTTER_EM * em
                            and abs(c.lines[0].top - b.lines[0].top) <= TOP_ALIGN_EM * em and _runs_on(c, b)), None)
                if hit is not None:
                    g.remove(b)
                    other.append(b)
                    break
    return groups


def _attach_orphans(
    groups: list[list[TextBlock]], edition_date: dt.date, movable: set[int] | None = None
) -> list[list[TextBlock]]:
    """Join title-less groups that are the rest of another story.

    A group with no title of its own (no headline, kicker, subheadline or
    brief title) goes on another story when its first text block (body, or
    a credit standing alone) either starts level with a body column of that
    story one gutter to its right (the story runs on into the next column:
    set wider than its headline) or sits right under such a column (the
    column's last lines, a credit under them).  A group that opens with a
    dateline lead (本报讯, LONDON, Aug. 26 —) is a story of its own and stays.
    """

    def orphan(g: list[TextBlock]) -> TextBlock | None:
        if any(b.kind in _TITLE_KINDS for b in g):
            return None
        text = [b for b in g if b.kind in (BlockKind.BODY, BlockKind.BYLINE) and _has_geometry(b)]
        if not text:
            return None
        # the top of its leftmost column (x0 within an em: one column)
        left = min(b.bbox[0] for b in text)
        first = min((b for b in text if b.bbox[0] <= left + _em_of(b)), key=lambda b: b.bbox[1])
        if first.kind is BlockKind.BODY and _starts_story(first, edition_date):
            return None
        return first

    def follows(first: TextBlock, b: TextBlock, story_top: float) -> float | None:
        """How far ``first`` is from going on after body block ``b`` (None: it does not)."""
        em = _em_of(first)
        x0, top, x1, _ = first.bbox
        bx0, btop, bx1, bbottom = b.bbox
        gap = x0 - bx1
        if -0.5 * em <= gap <= GUTTER_EM * em and abs(b.lines[0].top - first.lines[0].top) <= TOP_ALIGN_EM * em:
            return gap
        below = top - bbottom
        if min(x1, bx1) > max(x0, bx0) and x0 >= bx0 - em and -0.5 * em <= below <= 2 * em:
            return below
        # the sentence runs on: ``b`` stops mid-sentence at the foot of its
        # column and ``first`` opens in lower case in the next column, level
        # with ``b`` or its headline (a story set beside its own headline or photo)
        if -0.5 * em <= gap <= GUTTER_EM * em and min(btop, story_top) - em <= top <= bbottom and _runs_on(b, first):
            return gap + 0.5 * em
        return None

    firsts = {i: orphan(g) if movable is None or i in movable else None for i, g in enumerate(groups)}
    merged_into: dict[int, int] = {}
    tops = [min((x.bbox[1] for x in g if _has_geometry(x)), default=0.0) for g in groups]
    pending = sorted((i for i, f in firsts.items() if f is not None),
                     key=lambda i: (firsts[i].bbox[0], firsts[i].bbox[1]))
    for i in pending:
        first = firsts[i]
        assert first is not None
        best: tuple[float, int] | None = None
        for j, g in enumerate(groups):
            if j == i or j in merged_into:
                continue
            for b in g:
                if b.kind is not BlockKind.BODY or b is first or not _has_geometry(b):
                    continue
                d = follows(first, b, tops[j])
                if d is not None and (best is None or d < best[0]):
                    best = (d, j)
        if best is not None:
            groups[best[1]] = groups[best[1]] + groups[i]
            tops[best[1]] = min(tops[best[1]], tops[i])
            merged_into[i] = best[1]
    return [g for i, g in enumerate(groups) if i not in merged_into]


# --------------------------------------------------------------------------
# splitting groups that hold several stories
# --------------------------------------------------------------------------


def _split_plain_group(blocks: list[TextBlock]) -> list[list[TextBlock]]:
    """Split a headline-less run of stories at dateline leads and bylines.

    Works line by line so a byline line (记者 X) ends its story and a line
    opening with 本报讯 starts the next, whatever blank lines the source had.
    """
    stories: list[list[TextBlock]] = []
    current: list[TextBlock] = []
    ended = False  # the current story has had its byline

    def push(kind: BlockKind, lines: list[Line], template: TextBlock) -> None:
        current.append(TextBlock(kind, lines, template.page_index, template.column, template.article))

    for block in blocks:
        run: list[Line] = []
        for line in block.lines:
            text = line.text.strip()
            starts_story = bool(_LEAD.match(normalize_text(text)))
            if (starts_story or (ended and not _is_byline_line(text))) and (run or current):
                if run:
                    push(block.kind, run, block)
                    run = []
                if current:
                    stories.append(current)
                current = []
                ended = False
            if block.kind is BlockKind.BODY and _is_byline_line(text):
                if run:
                    push(BlockKind.BODY, run, block)
                    run = []
                push(BlockKind.BYLINE, [line], block)
                ended = True
                continue
            run.append(line)
        if run:
            push(block.kind, run, block)
    if current:
        stories.append(current)
    return stories


def _has_several_leads(blocks: list[TextBlock]) -> bool:
    leads = sum(
        1 for b in blocks if b.kind is BlockKind.BODY for ln in b.lines if _LEAD.match(normalize_text(ln.text.strip()))
    )
    return leads > 1


def _units(text: str) -> float:
    """Printed width in em, roughly: ideographs and full-width forms 1, the rest ½."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.5 for c in text)


def _cut_line(ln: Line, at: int) -> tuple[Line, Line]:
    """A printed line cut into two at character ``at`` (x estimated from widths)."""
    left, right = ln.text[:at], ln.text[at:]
    total = _units(ln.text) or 1.0
    x = ln.x0 + (ln.x1 - ln.x0) * _units(left) / total
    return (Line(left, ln.x0, ln.top, x, ln.bottom, ln.size, ln.bold, ln.fontname),
            Line(right, x, ln.top, ln.x1, ln.bottom, ln.size, ln.bold, ln.fontname))


def _runin_titles_in_body(blocks: list[TextBlock]) -> list[TextBlock]:
    """In a brief column, a paragraph opening with 【title】 opens an item.

    The layout finds run-in titles by their bold face; one set in the body
    face (or wrapped over lines) stays in the body.  A line that starts with
    【 and whose 】 comes within three lines is cut into a BRIEF_TITLE block
    and the body that follows it.
    """
    out: list[TextBlock] = []
    for b in blocks:
        if b.kind is not BlockKind.BODY or not any(ln.text.lstrip().startswith("【") for ln in b.lines):
            out.append(b)
            continue
        pending: list[Line] = []
        lines = list(b.lines)
        i = 0
        while i < len(lines):
            text = lines[i].text.lstrip()
            close = next((j for j in range(i, min(i + 3, len(lines))) if "】" in lines[j].text), None)
            starts = not pending or ends_sentence(pending[-1].text)
            if text.startswith("【") and close is not None and starts:
                if pending:
                    out.append(TextBlock(BlockKind.BODY, pending, b.page_index, b.column, b.article))
                    pending = []
                at = lines[close].text.index("】") + 1
                head, rest = _cut_line(lines[close], at)
                out.append(TextBlock(BlockKind.BRIEF_TITLE, lines[i:close] + [head], b.page_index, b.column, b.article))
                if rest.text.strip():
                    pending.append(rest)
                i = close + 1
                continue
            pending.append(lines[i])
            i += 1
        if pending:
            out.append(TextBlock(BlockKind.BODY, pending, b.page_index, b.column, b.article))
    return out


def _split_briefs(blocks: list[TextBlock]) -> list[list[TextBlock]]:
    """A brief column: each BRIEF_TITLE starts an item.

    A run-in title is read after the text beside it on its line; it still
    opens the item that text belongs to, so items are cut by position: each
    body block goes with the last title that starts at or above its top in
    its column; text at the top of a column above its first title is the
    last item of the columns before running on.
    """
    titles = [b for b in blocks if b.kind is BlockKind.BRIEF_TITLE]
    if not all(_has_geometry(b) for b in titles):
        items: list[list[TextBlock]] = []
        for b in blocks:
            if b.kind is BlockKind.BRIEF_TITLE or not items:
                items.append([])
            items[-1].append(b)
        return items
    order = _columns_first([t.bbox for t in titles])
    titles = [titles[i] for i in order]
    items = [[t] for t in titles]
    lead: list[TextBlock] = []  # text above the first title
    for b in blocks:
        if b.kind is BlockKind.BRIEF_TITLE:
            continue
        owner = None
        if _has_geometry(b):
            x0, top = b.bbox[0], b.bbox[1]
            em = _em_of(b)
            for k, t in enumerate(titles):
                tx0, ttop, tx1, _tb = t.bbox
                same_column = tx0 - GUTTER_EM * em <= x0 <= tx1 + em
                if same_column and ttop <= top + 0.5 * em:
                    if owner is None or ttop >= titles[owner].bbox[1]:
                        owner = k
            if owner is None:  # the top of a column: the last item of the columns before runs on
                left = [k for k, t in enumerate(titles) if t.bbox[2] <= x0 + em]
                owner = max(left) if left else None
        if owner is None:
            lead.append(b)
        else:
            items[owner].append(b)
    if lead:
        if items:
            items[0] = lead + items[0]
        else:
            items = [lead]
    return items


def _split_after_jump(blocks: list[TextBlock]) -> list[list[TextBlock]]:
    """Text read after a story's (下转第N版) / Continued on line is another story.

    The jump line is printed where the story leaves the page: text, credits
    and pictures that come after it (columns first) are a story the layout
    joined on.  The titles stay: they head the text.
    """
    jumps = [b for b in blocks if b.kind is BlockKind.JUMP and _has_geometry(b)
             and jump_target(_text_of([b])) is not None]
    geo = [b for b in blocks if b.kind not in _TITLE_KINDS and b.kind is not BlockKind.JUMP and _has_geometry(b)]
    if not jumps or not any(b.kind is BlockKind.BODY for b in geo):
        return [blocks]
    boxes = [b.bbox for b in geo + jumps]
    order = _columns_first(boxes)
    position = {k: pos for pos, k in enumerate(order)}
    first_jump = min(position[len(geo) + j] for j in range(len(jumps)))
    after = {id(geo[k]) for k in range(len(geo)) if position[k] > first_jump}
    if not any(b.kind is BlockKind.BODY and id(b) in after for b in geo):
        return [blocks]
    return [[b for b in blocks if id(b) not in after], [b for b in blocks if id(b) in after]]


def _title_above_lead(blocks: list[TextBlock]) -> list[TextBlock]:
    """A title-less story whose first lines stand above its dateline lead: those lines are its headline.

    A story opens with its lead (本报讯 …); short lines above it that end no
    sentence are its title, set in the body face in a narrow column.
    """
    if any(b.kind in _TITLE_KINDS for b in blocks):
        return blocks
    body = [b for b in blocks if b.kind is BlockKind.BODY and b.lines]
    if not body:
        return blocks
    first = body[0]
    for i, ln in enumerate(first.lines[:4]):
        if _LEAD.match(normalize_text(ln.text.strip())):
            above = first.lines[:i]
            if not above or any(re.search(r"[。！？!?；，,]", a.text) for a in above):
                return blocks
            title = TextBlock(BlockKind.HEADLINE, above, first.page_index, first.column, first.article)
            rest = TextBlock(BlockKind.BODY, first.lines[i:], first.page_index, first.column, first.article)
            k = blocks.index(first)
            return blocks[:k] + [title, rest] + blocks[k + 1 :]
    return blocks


def _split_after_credits(blocks: list[TextBlock]) -> list[list[TextBlock]]:
    """Cut a group where a credit has ended one story and a lead opens another.

    A story ends with its credit and opens with its dateline lead (本报讯,
    本报郑州12月31日电); a body block that opens with a lead after the
    group's text has had an end credit is a second story the layout joined
    on (two headlines set side by side read as one).
    """
    out: list[list[TextBlock]] = [[]]
    seen_text = credited = False
    for b in blocks:
        if b.kind is BlockKind.BODY and b.lines:
            if seen_text and credited and _LEAD.match(normalize_text(b.lines[0].text.strip())):
                out.append([])
                credited = False
            seen_text = True
        elif b.kind is BlockKind.BYLINE and seen_text:
            credited = True
        out[-1].append(b)
    return [g for g in out if g]


def _groups(layout: PageLayout, edition_date: dt.date) -> list[list[TextBlock]]:
    """Article groups of one page, in reading order of their first block."""
    order: dict[int, list[TextBlock]] = {}
    for b in layout.blocks:
        if b.article is None or b.kind in FURNITURE_KINDS:
            continue
        order.setdefault(b.article, []).append(b)
    groups = list(order.values())
    if layout.has_geometry:
        groups = [_in_reading_order(g) for g in _attach_orphans(_give_back_run_ons(groups), edition_date)]
    out: list[list[TextBlock]] = []
    tails: set[int] = set()
    for blocks in groups:
        if layout.has_geometry and any(b.kind is BlockKind.BRIEF_TITLE for b in blocks):
            blocks = _runin_titles_in_body(blocks)
        has_title = any(b.kind in (BlockKind.HEADLINE, BlockKind.BRIEF_TITLE) for b in blocks)
        if sum(1 for b in blocks if b.kind is BlockKind.BRIEF_TITLE) > 1:
            out.extend(_split_briefs(blocks))
        elif not has_title and (not layout.has_geometry or _has_several_leads(blocks)):
            out.extend(_split_plain_group(blocks))
        elif layout.has_geometry:
            split = _split_after_jump(blocks)
            for k, part in enumerate(split):
                for g in _split_after_credits(part):
                    if k:
                        tails.add(len(out))
                    out.append(_title_above_lead(g))
        else:
            out.append(blocks)
    if tails:
        # text read on after a story's jump line is the rest of another story
        # (the column beside it runs on), or a story of its own
        unchanged = {id(g) for g in out}
        out = [g if id(g) in unchanged else _in_reading_order(g) for g in _attach_orphans(out, edition_date, movable=tails)]
    return out


# --------------------------------------------------------------------------
# one group on one page
# --------------------------------------------------------------------------


def _runin_body(blocks: list[TextBlock]) -> list[TextBlock]:
    """Body blocks, the first line of a run-in item moved to where its title starts.

    A run-in title (【title】text) shares its line with the item's first
    words; for paragraph rebuilding that line starts at the title, so it
    reads as the item's indented first line, not as a line set off.
    """
    titles = [ln for b in blocks if b.kind is BlockKind.BRIEF_TITLE for ln in b.lines if ln.x1 > ln.x0]
    out: list[TextBlock] = []
    for b in blocks:
        if b.kind is not BlockKind.BODY:
            continue
        if titles and b.lines and b.lines[0].x1 > b.lines[0].x0:
            first = b.lines[0]
            level = 0.5 * max(first.size, 1.0)
            beside = [t for t in titles if abs(t.top - first.top) <= level and t.x1 <= first.x0 + 1.0]
            if beside:
                start = min(t.x0 for t in beside)
                moved = Line(first.text, start, first.top, first.x1, first.bottom, first.size, first.bold,
                             first.fontname)
                b = TextBlock(b.kind, [moved, *b.lines[1:]], b.page_index, b.column, b.article)
        out.append(b)
    return out


# a marker papers set before a short story's title (■ ● ◆ ▲ ★ ▶ ...): decoration, not title
_TITLE_BULLET = re.compile(r"^\s*([\u25a0-\u25ff\u2605\u2606\u2022\u25cf\u27a4\u2b1b]+)\s*(?=\S)")


# the stop or colon that closes a Latin run-in title (not an abbreviation's last letter: U.S.)
_RUNIN_TITLE_STOP = re.compile(r"(?<=[A-Za-z0-9)\]])(?<!\.[A-Za-z])\s*[.:]\s*$")


def _brief_title(text: str) -> tuple[str, str]:
    """(title, decoration): 【title】 → ('title', '【】'), ■title → ('title', '■')."""
    bullet = _TITLE_BULLET.match(text)
    if bullet:
        title, decoration = _brief_title(text[bullet.end():])
        return title, bullet.group(1) + decoration
    stop = _RUNIN_TITLE_STOP.search(text)
    if stop:  # a run-in title's stop before its text (Item D. Enter ...)
        return text[: stop.start()].rstrip(), stop.group(0).strip()
    m = _TITLE_BRACKETS.match(text)
    if not m or not m.group(1):
        return text, ""
    inner = m.group(1)
    return inner, text.replace(inner, "", 1)


def _is_title_line(text: str) -> bool:
    """An English credit title printed under a By line: Staff Writer, City Desk."""
    words = re.findall(r"[A-Za-z]+", text)
    if not words or len(words) > 5 or re.search(r"[.!?]\s*$|[\u3400-\u9fff]", text):
        return False
    return words[0][0].isupper() and any(w.lower() in EN_TITLE_WORDS for w in words) and not re.match(r"(?i)by\s", text)


# a title line this much smaller than the headline's type is a kicker or subheadline
DECK_RATIO = 0.9


def _join(texts: list[str]) -> str:
    return normalize_text(join_lines(texts)).strip()


def _title_decks(blocks: list[TextBlock]) -> tuple[list[Line], list[Line], list[Line]]:
    """(kicker lines, headline lines, subheadline lines) of the HEADLINE blocks.

    The headline is set in the story's largest type; smaller lines the
    layout left in a headline block are the kicker (引题) when they stand
    above it and the subheadline (副题) when below.  Without sizes (plain
    text) every line is headline.
    """
    lines = [ln for b in blocks for ln in b.lines if ln.text.strip()]
    sized = [ln.size for ln in lines if ln.size > 0]
    if not sized or len(sized) < len(lines):
        return [], lines, []
    big = [i for i, ln in enumerate(lines) if ln.size >= DECK_RATIO * max(sized)]
    return lines[: big[0]], lines[big[0] : big[-1] + 1], lines[big[-1] + 1 :]


def _part_from_blocks(blocks: list[TextBlock], page_number: int, source_file: str, seq: int) -> _Part:
    part = _Part(page_number, source_file, blocks, seq)
    by_kind: dict[BlockKind, list[TextBlock]] = {}
    for b in blocks:
        by_kind.setdefault(b.kind, []).append(b)
    kicker_lines, head_lines, sub_lines = _title_decks(by_kind.get(BlockKind.HEADLINE, []))
    part.headline = _join([ln.text for ln in head_lines])
    bullet = _TITLE_BULLET.match(part.headline)
    if bullet:
        part.dropped.append(bullet.group(1))
        part.headline = part.headline[bullet.end():]
    briefs = by_kind.get(BlockKind.BRIEF_TITLE, [])
    if briefs:
        part.brief = True
        title, decoration = _brief_title(_text_of(briefs))
        if decoration:
            part.dropped.append(decoration)
        part.headline = f"{part.headline} {title}".strip() if part.headline else title
    kickers = [ln.text for b in by_kind.get(BlockKind.KICKER, []) for ln in b.lines]
    subheads = [ln.text for b in by_kind.get(BlockKind.SUBHEADLINE, []) for ln in b.lines]
    part.kicker = _join(kickers + [ln.text for ln in kicker_lines])
    part.subheadline = _join([ln.text for ln in sub_lines] + subheads)
    if part.subheadline and _is_byline_line(part.subheadline):  # JANE DOE / Staff Writer set bold under the headline
        part.bylines.append(part.subheadline)
        part.subheadline = ""
    text_top = min((b.bbox[1] for b in by_kind.get(BlockKind.BODY, []) if _has_geometry(b)), default=None)
    first_body = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.BODY), len(blocks))
    for i, b in enumerate(blocks):
        if b.kind is not BlockKind.BYLINE:
            continue
        text = _text_of([b])
        above = b.bbox[3] <= text_top + 1.0 if text_top is not None and _has_geometry(b) else i < first_body
        credits = part.bylines if above else part.end_bylines
        if credits and _is_title_line(text) and re.match(r"(?i)by\s", credits[-1]):
            part.dropped.append(text)  # a credit's title line (Staff Writer) is not the credit
        elif text:
            credits.append(text)
    for b in by_kind.get(BlockKind.JUMP, []):
        t = _text_of([b])
        part.dropped.append(t)
        part.jump_to = part.jump_to or jump_target(t)
        part.jump_from = part.jump_from or jump_source(t)
    for kind in _ASIDE_KINDS:
        part.dropped.extend(t for t in (_text_of([b]) for b in by_kind.get(kind, [])) if t)
    part.captions = [t for t in (_text_of([b]) for b in by_kind.get(BlockKind.CAPTION, [])) if t]
    paragraphs = paragraphs_from_blocks(_runin_body(blocks))
    paragraphs, to, frm, removed = _strip_jump_lines(paragraphs)
    if len(paragraphs) > 1 and _is_byline_line(paragraphs[0]):
        part.bylines.append(paragraphs.pop(0))  # a credit set as the first line of the text
    part.paragraphs = paragraphs
    part.dropped.extend(removed)
    part.jump_to = part.jump_to or to
    part.jump_from = part.jump_from or frm
    return part


# --------------------------------------------------------------------------
# stitching and articles
# --------------------------------------------------------------------------


def _is_final(paragraph: str) -> bool:
    return bool(paragraph) and paragraph.rstrip()[-1] in _FINAL


# a credit wrapped over lines in a narrow column: pieces this short, unpunctuated
_CREDIT_PIECE = re.compile(r"^[^。！？!?；;，,：:“”\"]{1,24}$")


def _wrapped_credit(paragraphs: list[str]) -> tuple[list[str], str]:
    """A credit that wrapped (记者 王敏 通讯员 / 秦振桂) read as trailing paragraphs.

    The last two or three paragraphs, each short and unpunctuated, that read
    as one credit line when joined with spaces.
    """
    for k in (3, 2):
        if len(paragraphs) <= k:
            continue
        tail = paragraphs[-k:]
        if all(_CREDIT_PIECE.match(p) for p in tail):
            joined = " ".join(p.strip() for p in tail)
            if _is_byline_line(joined):
                return paragraphs[:-k], joined
    return paragraphs, ""


def _article_from_parts(parts: list[_Part], publication: str, edition_date: dt.date) -> tuple[Article, bool]:
    """One story from its parts in reading order; True when the byline is the lead's credit."""
    head = parts[0]
    paragraphs: list[str] = []
    bylines: list[str] = []
    end_bylines: list[str] = []
    boxes: list[tuple[int, BBox]] = []
    raw: list[str] = []
    for i, part in enumerate(parts):
        paras = list(part.paragraphs)
        if i > 0 and paragraphs and paras and not _is_final(paragraphs[-1]):
            # the jump cut a paragraph: it goes on where the reader lands
            paragraphs[-1] = join_lines([paragraphs[-1], paras[0]])
            paras = paras[1:]
        paragraphs.extend(paras)
        bylines.extend(part.bylines)
        end_bylines.extend(part.end_bylines)
        geo = [b.bbox for b in part.blocks if _has_geometry(b)]
        if geo:
            boxes.append((part.page_number, bbox_union(geo)))
        raw.append("\n".join(b.text for b in part.blocks))
    # credits in reading order: under the headline, at the end of the text, set below it
    paragraphs, wrapped = _wrapped_credit(paragraphs)
    if paragraphs:
        body, tail = split_byline("\n".join(paragraphs))
        if tail:
            paragraphs = [p for p in body.split("\n") if p.strip()]
            bylines.append(tail)
    if not bylines and not wrapped and not end_bylines and paragraphs and not head.brief:
        # a column's author set as a bare name: alone under the headline or after the last paragraph
        bare = bare_name_credit(paragraphs)
        if bare and bare.strip() in (paragraphs[0].strip(), paragraphs[-1].strip()):
            paragraphs = paragraphs[1:] if paragraphs[0].strip() == bare.strip() else paragraphs[:-1]
            bylines.append(bare)
    bylines += [wrapped, *end_bylines]
    # a credit set in brackets on its own line (（新华社记者陈建力摄）) is recorded without them
    credits = [x.strip() for x in bylines if x]
    bare = [re.sub(r"^[（(]([^（）()]+)[）)]$", r"\1", x) for x in credits]
    byline = " ".join(bare)
    head.dropped.extend(x[0] + x[-1] for x, y in zip(credits, bare) if x != y)  # the brackets: printed, no field
    from_lead = False
    if not byline and paragraphs:
        # 本报讯（记者 孙庆辉）: a credit printed inside the lead is the byline
        # (the lead may have been cut into two paragraphs in a narrow column)
        byline = parse_dateline(join_lines(paragraphs[:2]), edition_date).byline
        from_lead = bool(byline)
    pages: list[int] = []
    files: list[str] = []
    for p in parts:
        if p.page_number not in pages:
            pages.append(p.page_number)
        if p.source_file not in files:
            files.append(p.source_file)
    article = Article(
        publication=publication,
        edition_date=edition_date,
        paragraphs=paragraphs,
        headline=head.headline,
        subheadline=head.subheadline,
        kicker=head.kicker,
        byline=byline,
        page_numbers=pages,
        source_files=files,
        boxes=boxes,
        raw_text="\n\n".join(raw),
        captions=[c for p in parts for c in p.captions],
        kind="brief" if head.brief else "article",
        # a stitched story keeps where it jumped: to the page of its second part
        # (its jump line's target when it had one), from the page it starts on
        jump_to=head.jump_to if len(parts) == 1 else head.jump_to or parts[1].page_number,
        jump_from=head.jump_from if len(parts) == 1 else parts[1].jump_from or head.page_number,
        sequence=head.sequence,
    )
    return article, from_lead


def _similar_headline(a: str, b: str) -> float:
    """How much of the shorter headline the longer one holds (0..1).

    1.0 when one holds the other whole.  Otherwise Latin headlines are
    compared by words (any English headline holds most letters) and CJK
    ones by characters (a continuation head keeps the key words:
    环保重点任务 for 郑州高新区部署环保重点任务).
    """
    a, b = a.lower(), b.lower()
    wa, wb = re.findall(r"[a-z0-9']+", a), re.findall(r"[a-z0-9']+", b)
    sa, sb = re.sub(r"\W", "", a), re.sub(r"\W", "", b)
    if not sa or not sb:
        return 0.0
    short, long = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if short in long:
        return 1.0
    if sum(len(w) for w in wa + wb) > (len(sa) + len(sb)) / 2:  # mostly Latin
        ws, wl = (set(wa), set(wb)) if len(wa) <= len(wb) else (set(wb), set(wa))
        return len(ws & wl) / len(ws) if ws else 0.0
    return sum(1 for c in set(short) if c in long) / len(set(short))


# a continuation headline repeats the story's (often shortened): this much alike
SAME_STORY = 0.8


def _stitch(parts: list[_Part]) -> list[list[_Part]]:
    """Chain parts that jump pages into one story each.

    Forward: a part that says where it goes (下转第3版 / Continued on Page
    A5) takes the part on that page that says it comes from here (上接第1版
    / Continued from Page A1), the one with the most similar headline first,
    or failing a from-reference one whose headline holds the other's.
    Backward: a continuation nobody sent the reader to (the jump line was
    not printed or not read) joins the story on its source page whose
    headline it repeats; one without a headline joins the only story on
    that page that stops mid-sentence.
    """
    chains: list[list[_Part]] = []
    taken: set[int] = set()
    for i, part in enumerate(parts):
        if i in taken:
            continue
        chain = [part]
        taken.add(i)
        while chain[-1].jump_to is not None:
            src = chain[-1]
            best, best_score = None, 0.0
            for j, cand in enumerate(parts):
                if j in taken or cand.page_number != src.jump_to:
                    continue
                if cand.jump_from not in (None, src.page_number):
                    continue
                if cand.jump_from is None and not cand.headline:
                    continue
                score = _similar_headline(chain[0].headline, cand.headline) + (1.0 if cand.jump_from else 0.0)
                if score > best_score:
                    best, best_score = j, score
            if best is None or best_score < 1.0:
                break
            taken.add(best)
            chain.append(parts[best])
        chains.append(chain)
    alive = [True] * len(chains)
    for k, chain in enumerate(chains):
        cont = chain[0]
        if cont.jump_from is None or cont.jump_from == cont.page_number:
            continue
        candidates = [
            s for s, src in enumerate(chains)
            if s != k and alive[s] and src[-1].page_number == cont.jump_from
            and src[-1].jump_to in (None, cont.page_number)
        ]
        source = None
        if cont.headline:
            scored = [(_similar_headline(chains[s][0].headline, cont.headline), s) for s in candidates]
            scored = [x for x in scored if x[0] >= SAME_STORY]
            if scored:
                source = max(scored)[1]
        else:
            open_ended = [s for s in candidates
                          if chains[s][-1].paragraphs and not _is_final(chains[s][-1].paragraphs[-1])]
            if len(open_ended) == 1:
                source = open_ended[0]
        if source is not None:
            chains[source] = chains[source] + chain
            alive[k] = False
    # a story turning the page: the next page opens, before anything else
    # on it, with a title-less part that goes on in mid-sentence (lower
    # case) where exactly one story on the page before breaks off open, or
    # that follows the only story of the page before (a reprint, a feature
    # running on over the pages)
    first_seq: dict[tuple[str, int], int] = {}
    for part in parts:
        if part.paragraphs:
            key = (part.source_file, part.page_number)
            first_seq[key] = min(first_seq.get(key, part.sequence), part.sequence)
    for k, chain in enumerate(chains):
        cont = chain[0]
        if not alive[k] or cont.headline or cont.kicker or cont.brief or cont.jump_from is not None or not cont.paragraphs:
            continue
        if first_seq.get((cont.source_file, cont.page_number)) != cont.sequence:
            continue
        lead = cont.paragraphs[0].lstrip()[:1]
        before = [
            s for s, src in enumerate(chains)
            if s != k and alive[s] and src[-1].page_number == cont.page_number - 1
            and src[-1].source_file == cont.source_file and src[-1].paragraphs
        ]
        ends_on = [s for s in before if chains[s][-1].jump_to is None]
        if lead.isalpha() and lead.islower():
            ends_on = [s for s in ends_on if not _is_final(chains[s][-1].paragraphs[-1])]
        elif len(before) != 1:
            continue
        if len(ends_on) == 1:
            chains[ends_on[0]] = chains[ends_on[0]] + chain
            alive[k] = False
    return [c for c, a in zip(chains, alive) if a]


def page_numbers_for(layouts: list[PageLayout]) -> list[int]:
    """Printed page numbers where the layout found them, else edition order."""
    numbers: list[int] = []
    for i, layout in enumerate(layouts, start=1):
        n = layout.page_number
        numbers.append(n if n is not None and n not in numbers else i)
    return numbers


def segment_edition_with_leftovers(layouts: list[PageLayout], publication: str, edition_date: dt.date) -> Segmented:
    """Articles of an edition (jumps stitched) and the text no article field holds."""
    parts: list[_Part] = []
    for layout, page_no in zip(layouts, page_numbers_for(layouts)):
        for seq, blocks in enumerate(_groups(layout, edition_date)):
            parts.append(_part_from_blocks(blocks, page_no, layout.source_file, seq))
    result = Segmented([])
    for chain in _stitch(parts):
        article, from_lead = _article_from_parts(chain, publication, edition_date)
        dropped = [t for p in chain for t in p.dropped]
        # a continuation's repeated (often shortened) title is no field of the story
        dropped += [t for p in chain[1:] for t in (p.kicker, p.headline, p.subheadline) if t]
        # a lone bullet or rule glyph left over from a pointer line is no story
        if (article.paragraphs or article.headline) and any(c.isalnum() for c in article.headline + article.body):
            result.articles.append(article)
            result.lead_credit.append(from_lead)
            result.dropped.extend(dropped)
        else:  # nothing a reader would call a story (a stray credit, a lone caption)
            result.dropped.extend(dropped + [t for t in (article.kicker, article.subheadline, article.byline) if t])
    return result


def segment_edition(layouts: list[PageLayout], publication: str, edition_date: dt.date) -> list[Article]:
    """Articles of an edition, in page and reading order, jumps stitched."""
    return segment_edition_with_leftovers(layouts, publication, edition_date).articles
