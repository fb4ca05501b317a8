"""Layout: a page of chars → blocks in reading order, grouped into articles.

The page is read the way it was made:

1. chars → lines (``tasks.lines``: rows split at gutters and vertical rules);
2. the body size is the size most text is set in; headlines are clearly
   larger, kickers/subheads sit in a headline's title group, captions are
   smaller text against a photo, furniture is the header/footer band
   (``tasks.furniture``);
3. body lines stacked in one column at normal leading form a block; a rule,
   a photo edge, a size change or a big gap ends it;
4. a headline (with its kicker/subhead) or a brief title owns the blocks
   below it inside its horizontal span up to the next separator; the nearest
   owner above wins;
5. reading order is a recursive XY-cut over blocks and rules; articles are
   ordered by their first block, blocks inside an article by that order too.

Besides: ruled tables become TABLE blocks (``tasks.tables``); run-in brief
titles (【title】text) start brief items; jump lines (下转第3版 / Continued
on A5) and bylines are blocks of their own; a brief column's label (简讯)
and advertisements (panels with a phone number or address, no running
text) belong to no article (``article=None``).

Every threshold is relative to the body font size, the line's own size or the
measured leading, never to one typesetter's points.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from tasks.furniture import find_furniture, is_page_number_text, page_number_from
from tasks.lines import CharLine, build_lines, join_row
from tasks.model import Box, BlockKind, Column, Line, Page, PageLayout, Ruling, TextBlock
from tasks.tables import find_tables
from tasks.xycut import xy_order

# size ratios to the body size
TITLE_RATIO = 1.18  # a title line (headline, kicker, subhead) is at least this large
EMPHASIS_RATIO = 1.05  # slightly larger than body: a brief title or a kicker
SMALL_RATIO = 0.94  # smaller than body: captions, credits
VERTICAL_SHARE = 0.3  # vertical text below this share of a page's text is captions and labels
HEADLINE_SHARE = 0.8  # lines within this share of a title group's largest size are the headline

_JUMP = re.compile(
    r"[（(]\s*(?:下转|上接|转|接|续|紧接)\s*(?:第\s*)?[A-Z]?\s*[0-9０-９一二三四五六七八九十]+\s*版?[^）)]{0,12}[）)]"
    r"|(?:Continued|Continues|Cont'd|CONTINUED)\s+(?:on|from)\s+(?:Page|page|PAGE|P\.)?\s*[A-Z]?\d+"
    r"|^\s*(?:Continued|CONTINUED)\s+(?:from|FROM)\s+(?:the\s+)?(?:cover|front page|front|COVER|FRONT PAGE)\s*$"
    r"|\b(?:See|SEE)\s+[A-Z][A-Za-z' -]{0,30},?\s+(?:Page|page|PAGE)\s+[A-Z]?\d+"
    # a jump line of its own: "» See the Candidates Page 5", "See farming 2010 Page 3"
    r"|^[\s»›>►▶→]*(?:See|SEE)\s+[^.;:!?]{1,40}?,?\s+(?:Page|page|PAGE)\s+[A-Z]?\d+\s*$"
    r"|\b[A-Z][A-Z' -]{2,30},\s+(?:from\s+)?(?:Page|page|PAGE)\s+[A-Z]?\d+"
)
_NAME = r"[\u4e00-\u9fff·]{2,4}"
_BYLINE_ZH = re.compile(
    rf"^[（(]?\s*(?:(?:本报|本刊|新华社|中新社)?(?:特约|见习|实习|首席)?(?:记者|通讯员|实习生|摄影|撰稿|编译|撰文)"
    rf"\s*{_NAME}(?:\s*[、，,]\s*{_NAME}|\s+{_NAME}(?=\s|$|[）)]))*\s*)+(?:\s*(?:文/图|文\s*图|摄|报道|/文|/图))?\s*[）)]?$"
    rf"|^(?:[\u4e00-\u9fff]{{2,8}}\s+)?(?:{_NAME}\s+)+(?:文/图|文／图|/文|/图|摄|文|图)$"
    # 文/图 X, 图 X, 摄影：X (never 图片新闻: the role word stands apart from the name)
    rf"|^(?:文|图|文/图|文／图|摄影|图/文)(?:\s*[/／:：]\s*|\s+){_NAME}(?:\s+{_NAME})*$"
)
# an author line without "By": names joined by & / and, or one name with an
# initial (ERIN SCHUETZ & STEPHEN STROM, GARY S. FIRESTEIN)
_AUTHOR = r"[A-Z][A-Za-z'’-]+(?:\s+[A-Z]\.)*\s+[A-Z][A-Za-z'’-]+"
_BYLINE_EN = re.compile(
    r"^(?:By|BY)\s+[A-Z][A-Za-z.'-]+(?:\s+(?:[A-Z][A-Za-z.'-]+|and|de|van|von|da))*(?:\s*(?:,|and)\s+[A-Z][A-Za-z.' -]+)*$"
    rf"|^{_AUTHOR}(?:\s*(?:,|&|and)\s*{_AUTHOR})+$"
    r"|^[A-Z][A-Za-z'’-]+\s+(?:[A-Z]\.\s+)+[A-Z][A-Za-z'’-]+$"
    r"|^(?:Reuters|REUTERS|Associated Press|The Associated Press|AP|AFP|Agence France-Presse|Bloomberg|Xinhua|Xinhua News Agency"
    r"|Staff Reports?|Wire Reports?)$"
)
# a credit's second line under a byline: "Staff Writer", "City Desk", 特约记者
_CREDIT_TITLE = re.compile(
    r"^(?:[A-Z][A-Za-z.&'-]*\s?){1,4}$"
    r"|^(?:特约|见习|实习|首席)?(?:记者|通讯员|摄影记者)$"
)


_SUBHEAD_DASH = re.compile(r"^\s*(?:——|──|—|--|－－)")
# titles of brief columns: 简讯 / 短讯 / 快讯 / 要闻速览 / In Brief / News in Brief
_LABEL = re.compile(r"^(?:简讯|短讯|快讯|简讯速递|动态|资讯|速览|要闻速览|新闻速览|信息速递|InBrief|NewsinBrief|Briefs?|BRIEFS?|Digest)$", re.I)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_byline_text(text: str) -> bool:
    """A whole line that is a byline: 记者 X 通讯员 Y / X 文/图 / By Jane Doe."""
    t = text.strip()
    if not t or len(t) > 60:
        return False
    if t.endswith(("。", "，", "；", "！", "？")) or t.startswith(("本报讯", "本报")) and "记者" not in t[:6]:
        return False
    return bool(_BYLINE_ZH.match(t) or _BYLINE_EN.match(t))


def is_jump_text(text: str) -> bool:
    return bool(_JUMP.search(text))


@dataclass(slots=True)
class _Blk:
    kind: BlockKind
    lines: list[Line]
    owner: bool = False  # starts an article group (title group or brief title)
    group: int | None = None
    column: int | None = None
    photo: int | None = None  # for a caption: the photo block it belongs to
    span: tuple[float, float] = (0.0, 0.0)  # an owner's horizontal reach
    emphasis: bool = False
    runin: bool = False  # a run-in title (【title】 text): owns the text to its right
    reach_limit: float | None = None  # a flush title: the text or rule its reach stops at
    rank: int = 0

    @property
    def x0(self) -> float:
        return min([ln.x0 for ln in self.lines])  # a list: faster than a generator here

    @property
    def x1(self) -> float:
        return max([ln.x1 for ln in self.lines])  # a list: faster than a generator here

    @property
    def top(self) -> float:
        return min([ln.top for ln in self.lines])  # a list: faster than a generator here

    @property
    def bottom(self) -> float:
        return max([ln.bottom for ln in self.lines])  # a list: faster than a generator here

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


# --------------------------------------------------------------------------
# plain-text pages
# --------------------------------------------------------------------------


def layout_text_page(page: Page) -> PageLayout:
    """A page with text lines only: one BODY block per blank-line-separated chunk."""
    blocks: list[TextBlock] = []
    chunk: list[Line] = []

    def flush() -> None:
        if chunk:
            blocks.append(TextBlock(BlockKind.BODY, list(chunk), page.page_index, 0, 0))
            chunk.clear()

    for raw in page.text_lines or []:
        if not raw.strip():
            flush()
            continue
        chunk.append(Line(raw.rstrip("\r\n"), 0.0, 0.0, 0.0, 0.0, 0.0))
    flush()
    return PageLayout(
        source_file=page.source_file,
        page_index=page.page_index,
        width=page.width,
        height=page.height,
        blocks=blocks,
        sha256=page.sha256,
        has_geometry=False,
    )


# --------------------------------------------------------------------------
# lines
# --------------------------------------------------------------------------


def _split_jumps(lines: list[CharLine]) -> tuple[list[CharLine], list[bool]]:
    """Cut a jump reference off the line it is printed on; flag jump lines."""
    out: list[CharLine] = []
    flags: list[bool] = []
    for cl in lines:
        m = _JUMP.search(cl.text)
        if not m:
            out.append(cl)
            flags.append(False)
            continue
        pieces: list[tuple[CharLine, bool]] = []
        rest = cl
        if m.start() > 0 and cl.text[: m.start()].strip():
            cut = cl.split_at(m.start())
            if cut:
                pieces.append((cut[0], False))
                rest = cut[1]
        m2 = _JUMP.search(rest.text)
        if m2 and m2.end() < len(rest.text) and rest.text[m2.end() :].strip():
            cut = rest.split_at(m2.end())
            if cut:
                pieces.append((cut[0], True))
                pieces.append((cut[1], False))
                rest = None  # type: ignore[assignment]
        if rest is not None:
            pieces.append((rest, True))
        for p, f in pieces:
            out.append(p)
            flags.append(f)
    return out, flags


# a run-in title's text goes on to its right on the same row, after at most this
# many ems: a justified line may set a wide space after the title's stop
RUNIN_GAP_EM = 2.5

# a bold run-in title ends in a stop or colon before the text goes on in the body face
_RUNIN_STOP = re.compile(r"[.:：。．]$")


def _bold_runin_end(cl: CharLine) -> int | None:
    """Where a bold run-in title that opens the line ends (``Title. Text...``).

    The line starts in a bold face and goes on, after a title ending in a
    stop or colon, in a regular face to its end.  Bold inside a line of
    text (a name, an emphasised word) has no stop before regular text, or
    is not at the line start.
    """
    if cl.vertical or not cl.char_at:
        return None
    faces = [None if k is None or not cl.chars[k].text.strip() else cl.chars[k].bold for k in cl.char_at]
    first = next((f for f in faces if f is not None), None)
    if not first:
        return None
    p = next((k for k, f in enumerate(faces) if f is False), None)
    if p is None or any(faces[p:]):
        return None
    head = cl.text[:p].strip()
    if len(head) < 2 or not _RUNIN_STOP.search(head) or not cl.text[p:].strip():
        return None
    return p


def _all_bold(cl: CharLine) -> bool:
    return not cl.vertical and bool(cl.chars) and all(c.bold for c in cl.chars if c.text.strip())


def _split_runin_titles(lines: list[CharLine], jump: list[bool]) -> tuple[list[CharLine], list[bool], list[bool]]:
    """Cut a run-in brief title (【title】 text..., or a bold ``Title.`` before
    text in the body face) off its text; flag title pieces.

    The title may wrap onto the next line of its column.
    """
    order = sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0))
    cut_at: dict[int, int] = {}  # line index -> text position after 】
    whole: set[int] = set()  # lines that are title from end to end
    gone: set[int] = set()  # pieces joined into another line
    lines = list(lines)
    for pos, i in enumerate(order):
        cl = lines[i]
        t = cl.text.lstrip()
        bold_end = None if t.startswith("【") else _bold_runin_end(cl)
        if bold_end is not None:
            cut_at[i] = bold_end
            # the title wrapped: whole bold lines right above it, in its column
            size = statistics.median(c.size for c in cl.chars)
            cur, wrapped = cl, 0
            for j in reversed(order[max(0, pos - 40) : pos]):
                up = lines[j]
                if j in gone or up.bottom > cur.top + 0.5 * size or up.x1 < cl.x0 or up.x0 > cl.x1:
                    continue
                if cur.top - up.bottom > 1.0 * size or not _all_bold(up) or _RUNIN_STOP.search(up.text.strip()):
                    break
                # a justified title line of few words may have come apart at a wide space
                row = [k for k in order[max(0, pos - 40) : pos] if k != j and k not in gone
                       and abs(lines[k].top - up.top) < 0.5 * size and lines[k].x0 >= cl.x0 - size
                       and lines[k].x1 <= cl.x1 + size and _all_bold(lines[k])]
                if row:
                    lines[j] = up = join_row([up] + [lines[k] for k in row])
                    gone.update(row)
                whole.add(j)
                cur, wrapped = up, wrapped + 1
                if wrapped >= 3:
                    break
            continue
        if not t.startswith("【"):
            continue
        lead = len(cl.text) - len(t)
        end = t.find("】")
        if 1 < end <= 40:
            cut_at[i] = lead + end + 1
            continue
        if end >= 0:
            continue
        # wrapped: a line below in the same column closes it
        size = statistics.median(c.size for c in cl.chars)
        chain = [i]
        cur = cl
        for j in order[pos + 1 :]:
            nxt = lines[j]
            if nxt.top - cur.bottom > 1.0 * size or len(chain) > 4:
                break
            if _overlap(cur.x0, cur.x1, nxt.x0, nxt.x1) > 0.5 * (cur.x1 - cur.x0) and nxt.top > cur.top + 0.5 * size:
                k = nxt.text.find("】")
                if "【" in nxt.text[: max(k, 0) + 1]:
                    break
                if 0 <= k <= 30:
                    whole.update(chain)
                    cut_at[j] = k + 1
                    break
                chain.append(j)
                cur = nxt
    out: list[CharLine] = []
    out_jump: list[bool] = []
    titles: list[bool] = []
    for i, cl in enumerate(lines):
        if i in gone:
            continue
        if i in whole:
            out.append(cl)
            out_jump.append(False)
            titles.append(True)
            continue
        if i in cut_at:
            if cut_at[i] >= len(cl.text.rstrip()):
                out.append(cl)
                out_jump.append(False)
                titles.append(True)
                continue
            pieces = cl.split_at(cut_at[i])
            if pieces:
                out += [pieces[0], pieces[1]]
                out_jump += [False, jump[i]]
                titles += [True, False]
                continue
        out.append(cl)
        out_jump.append(jump[i])
        titles.append(False)
    return out, out_jump, titles


def body_size_of(lines: list[Line]) -> float:
    """The size most text is set in (weighted by characters)."""
    counts: Counter[float] = Counter()
    for ln in lines:
        counts[round(ln.size * 4) / 4] += len(ln.text)
    if not counts:
        return 10.0
    return counts.most_common(1)[0][0]


# --------------------------------------------------------------------------
# separators and boxes
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Seps:
    """Horizontal separators sorted by y, for "is there a rule between?"."""

    ys: list[float] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def of(cls, segs: list[tuple[float, float, float]]) -> "_Seps":
        segs = sorted(segs)
        return cls([s[0] for s in segs], [(s[1], s[2]) for s in segs])

    def between(
        self, y0: float, y1: float, x0: float, x1: float, need: float,
        ornament: tuple[float, float, float] | None = None,
    ) -> bool:
        """A separator with y in (y0, y1) covering ``need`` of [x0, x1].

        ``ornament`` (y, x0, x1): a rule below y that lies within [x0, x1]
        is an ornament of what is under it (a short rule over a byline), no
        separator."""
        lo = bisect.bisect_right(self.ys, y0)
        hi = bisect.bisect_left(self.ys, y1)
        for k in range(lo, hi):
            a, b = self.spans[k]
            if ornament is not None and self.ys[k] >= ornament[0] and a >= ornament[1] and b <= ornament[2]:
                continue
            if _overlap(a, b, x0, x1) >= need:
                return True
        return False


def _thin_boxes_as_rulings(boxes: list[Box], body: float) -> tuple[list[Box], list[Ruling]]:
    keep: list[Box] = []
    rules: list[Ruling] = []
    for b in boxes:
        w, h = b.x1 - b.x0, b.bottom - b.top
        if min(w, h) <= max(0.4 * body, 2.5) and max(w, h) >= 8 * min(w, h):
            rules.append(Ruling(b.x0, b.top, b.x1, b.bottom))
        else:
            keep.append(b)
    return keep, rules


def _dedupe_boxes(boxes: list[Box]) -> list[Box]:
    out: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b.top, b.x0)):
        if any(abs(b.x0 - o.x0) < 2 and abs(b.x1 - o.x1) < 2 and abs(b.top - o.top) < 2 and abs(b.bottom - o.bottom) < 2 for o in out[-4:]):
            continue
        out.append(b)
    return out


def _split_frames(boxes: list[Box], lines: list[Line], body: float, page_w: float, page_h: float) -> tuple[list[Box], list[Box]]:
    """Photos (no text inside but a caption) and frames (panels holding text)."""
    photos: list[Box] = []
    frames: list[Box] = []
    if not boxes:
        return photos, frames
    centres = sorted(((ln.top + ln.bottom) / 2, i) for i, ln in enumerate(lines))
    ys = [c[0] for c in centres]
    for b in boxes:
        area = max((b.x1 - b.x0) * (b.bottom - b.top), 1.0)
        if area > 0.6 * page_w * page_h:
            continue  # a page background
        ink = 0.0
        has_title = False
        lo, hi = bisect.bisect_left(ys, b.top), bisect.bisect_right(ys, b.bottom)
        for k in range(lo, hi):
            ln = lines[centres[k][1]]
            cx = (ln.x0 + ln.x1) / 2
            if b.x0 <= cx <= b.x1:
                ink += (ln.x1 - ln.x0) * (ln.bottom - ln.top)
                if ln.size >= TITLE_RATIO * body:
                    has_title = True
        if has_title or ink > 0.25 * area:
            shown = _shown_part(b, lines, body) if b.kind == "image" else None
            if shown is not None:
                photos.append(shown)
            else:
                frames.append(b)
        else:
            photos.append(b)
    return photos, frames


def _shown_part(image: Box, lines: list[Line], body: float) -> Box | None:
    """The part of an image that shows, when text is set across its box.

    Layout programs fill a photo frame by scaling the picture to cover it and
    clipping the rest; the image's own box then runs under the headline above
    the frame and the caption and text below.  What shows is the tallest band
    of the box that no line crosses, when it is at least two lines high.  The
    lines across it are the page's columns running on: most start where lines
    outside the box start too; text set inside a picture (an advert's slogan)
    starts where nothing else does and keeps the box a frame.
    """
    crossing = [ln for ln in lines if ln.bottom > image.top and ln.top < image.bottom
                and _overlap(ln.x0, ln.x1, image.x0, image.x1) > 0.5 * (ln.x1 - ln.x0)]
    outside = sorted(ln.x0 for ln in lines if ln.bottom <= image.top or ln.top >= image.bottom)

    def column_left(x: float) -> bool:
        lo, hi = bisect.bisect_left(outside, x - 0.3 * body), bisect.bisect_right(outside, x + 0.3 * body)
        return hi - lo >= 3

    if 2 * sum(1 for ln in crossing if column_left(ln.x0)) <= len(crossing):
        return None
    taken = sorted((max(ln.top, image.top), min(ln.bottom, image.bottom)) for ln in crossing)
    best, y = (0.0, image.top, image.top), image.top
    for top, bottom in taken + [(image.bottom, image.bottom)]:
        if top - y > best[0]:
            best = (top - y, y, top)
        y = max(y, bottom)
    if best[0] < 2.0 * body:
        return None
    return Box(image.x0, best[1], image.x1, best[2], image.kind)


# --------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------


def _title_groups(idx: list[int], lines: list[Line]) -> list[list[int]]:
    """Title lines that belong together: stacked closely, overlapping sideways."""
    parent = {i: i for i in idx}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(idx, key=lambda i: lines[i].top)
    for a_pos, i in enumerate(order):
        a = lines[i]
        for j in order[a_pos + 1 :]:
            b = lines[j]
            big = max(a.size, b.size)
            if b.top - a.bottom > 0.9 * big:
                break
            vgap = b.top - max(a.bottom, a.top)
            same_row = _overlap(a.top, a.bottom, b.top, b.bottom) > 0.5 * min(a.size, b.size)
            # lines on one row were split at a gutter or a rule: two titles
            if not same_row and vgap <= 0.9 * big and _overlap(a.x0, a.x1, b.x0, b.x1) > 0:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in idx:
        groups.setdefault(find(i), []).append(i)
    return [sorted(g, key=lambda i: (lines[i].top, lines[i].x0)) for g in groups.values()]


def _stack(idx: list[int], lines: list[Line], seps: _Seps, gap_em: float) -> tuple[list[list[int]], list[float]]:
    """Lines stacked in one column at normal leading → blocks (and the gaps seen, in em)."""
    order = sorted(idx, key=lambda i: (lines[i].top, lines[i].x0))
    open_blocks: list[list[int]] = []
    ext: list[tuple[float, float]] = []
    done: list[list[int]] = []
    gaps: list[float] = []
    for i in order:
        ln = lines[i]
        em = ln.size
        best = -1
        best_key = (0.0, 0.0)
        keep: list[int] = []
        for k, blk in enumerate(open_blocks):
            last = lines[blk[-1]]
            gap = ln.top - last.bottom
            if gap > (gap_em + 1.0) * max(em, last.size):
                done.append(blk)
                continue
            keep.append(k)
            if gap < -0.3 * em or gap > gap_em * max(em, last.size):
                continue
            if abs(ln.size - last.size) > 0.06 * max(ln.size, last.size) or ln.bold != last.bold:
                continue
            bx0, bx1 = ext[k]
            ov = _overlap(ln.x0, ln.x1, bx0, bx1)
            if ov < 0.5 * min(ln.x1 - ln.x0, bx1 - bx0):
                continue
            # flush left, flush right, or centred on the block (a centred standfirst)
            if not (abs(ln.x0 - bx0) <= 2.6 * em or abs(ln.x1 - bx1) <= 1.0 * em
                    or abs(ln.x0 + ln.x1 - bx0 - bx1) <= 2.0 * em):
                continue
            if seps.between(last.bottom - 1.0, ln.top + 1.0, ln.x0, ln.x1, 0.3 * (ln.x1 - ln.x0)):
                continue
            key = (gap, -ov)
            if best < 0 or key < best_key:
                best, best_key = k, key
        if best >= 0:
            blk = open_blocks[best]
            gaps.append((ln.top - lines[blk[-1]].bottom) / em)
            blk.append(i)
            bx0, bx1 = ext[best]
            ext[best] = (min(bx0, ln.x0), max(bx1, ln.x1))
        open_blocks = [open_blocks[k] for k in keep] + ([] if best >= 0 else [[i]])
        ext = [ext[k] for k in keep] + ([] if best >= 0 else [(ln.x0, ln.x1)])
    done.extend(open_blocks)
    return done, gaps


_CONTACT = re.compile(
    r"\d{3,4}[-－]\d{4,8}|热线|电话|地址|咨询|www\.|\.com|\b(?:Call|Tel|Phone|Visit)\b", re.I
)


def _centre_in(ln: Line, box: Box) -> bool:
    return box.x0 <= (ln.x0 + ln.x1) / 2 <= box.x1 and box.top <= (ln.top + ln.bottom) / 2 <= box.bottom


def _is_advert(inside: list[Line], frame: Box, body: float) -> bool:
    """A panel holding a few display lines and a contact line, no running text."""
    if len(inside) > 10 or not any(_CONTACT.search(ln.text) for ln in inside):
        return False
    body_lines = [ln for ln in inside if abs(ln.size - body) <= 0.06 * body and (ln.x1 - ln.x0) > 0.6 * (frame.x1 - frame.x0)]
    return len(body_lines) < 3


def _take_tables(
    lines: list[Line], content: list[int], boxes: list[Box], rulings: list[Ruling], body: float
) -> tuple[list[_Blk], list[int], list[Box], list[Ruling]]:
    """Ruled tables: their text becomes one TABLE block each; their rules and
    cells stop being separators.  Returns the blocks and what is left."""
    tables: list[_Blk] = []
    for tx0, ttop, tx1, tbottom in find_tables(rulings, boxes):

        def inside(x0: float, top: float, x1: float, bottom: float) -> bool:
            return tx0 - 1 <= (x0 + x1) / 2 <= tx1 + 1 and ttop - 1 <= (top + bottom) / 2 <= tbottom + 1

        cells = sorted(
            (i for i in content if inside(lines[i].x0, lines[i].top, lines[i].x1, lines[i].bottom)),
            key=lambda i: (round(lines[i].top / max(body * 0.5, 1.0)), lines[i].x0),
        )
        if len(cells) < 2:
            continue
        tables.append(_Blk(BlockKind.TABLE, [lines[i] for i in cells]))
        taken = set(cells)
        content = [i for i in content if i not in taken]
        boxes = [b for b in boxes if not inside(b.x0, b.top, b.x1, b.bottom)]
        rulings = [r for r in rulings if not inside(r.x0, r.top, r.x1, r.bottom)]
    return tables, content, boxes, rulings


# what an advert asks the reader to do: call, visit, apply, buy
_AD_CALL = re.compile(
    r"\d{3}[-‐.\s]\d{4}\b|@|www\.|\.(?:com|org|edu|net)\b|[$€£]\s?\d|\b(?:Call|Tel|Phone|Visit|Apply|apply|hiring|posting|Tickets)\b"
    r"|热线|电话|地址|咨询|报名|招聘|价格|优惠"
)
# a framed panel whose lines are mostly set centred, one under the other
AD_CENTRED_SHARE = 0.5


def _is_display_panel(inside: list[Line], body: float) -> bool:
    """A framed panel set like an advert, however long: most lines centred
    under the line above (not flush left or justified as running text is)
    and at least two lines asking the reader to call, visit or apply."""
    calls = sum(1 for ln in inside if _AD_CALL.search(ln.text))
    if calls < 2:
        return False
    ordered = sorted(inside, key=lambda ln: (ln.top, ln.x0))
    pairs = centred = 0
    for k, a in enumerate(ordered):
        below = [
            b for b in ordered[k + 1 :]
            if 0 < b.top - a.bottom <= 1.5 * max(a.size, b.size) and _overlap(a.x0, a.x1, b.x0, b.x1) > 0
        ]
        if not below:
            continue
        b = min(below, key=lambda b: b.top)
        pairs += 1
        same_centre = abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2 <= 0.3 * body
        if same_centre and abs(a.x0 - b.x0) >= 0.3 * body:
            centred += 1
    return pairs >= 3 and centred >= AD_CENTRED_SHARE * pairs


def _take_adverts(lines: list[Line], content: list[int], frames: list[Box], body: float) -> tuple[list[Line], list[int]]:
    """Advertisements: panels of display type with a phone number or an
    address and no running text, or set centred line under line with
    calls to apply or visit (job adverts).  Their lines are no article's."""
    ads: list[Line] = []
    for f in sorted(frames, key=lambda f: (f.x1 - f.x0) * (f.bottom - f.top)):
        inside = [i for i in content if _centre_in(lines[i], f)]
        panel = [lines[i] for i in inside]
        if inside and (_is_advert(panel, f, body) or _is_display_panel(panel, body)):
            ads += [lines[i] for i in inside]
            taken = set(inside)
            content = [i for i in content if i not in taken]
    return ads, content


def _widen_to_module(
    o: _Blk,
    group: list[_Blk],
    group_bottom: dict[int, float],
    owners: list[_Blk],
    members: dict[int, list[_Blk]],
    blocks: list[_Blk],
    body: float,
) -> None:
    """Widen an owner's reach over the columns that start right under it."""
    gb = group_bottom[id(o)]
    tx0, tx1 = min(b.x0 for b in group), max(b.x1 for b in group)
    under = [
        b for b in blocks if -0.5 * body <= b.top - gb <= 2.5 * body and _overlap(b.x0, b.x1, tx0, tx1) > 0
    ]
    # a byline set at the head of the module's first column pushes every
    # column's text a line lower: the title's columns start further down,
    # the byline's column a line earlier
    headed = [b for b in blocks if -0.5 * body <= b.top - gb <= 1.5 * body and b.kind is not BlockKind.PHOTO]
    if not under and headed:
        under = [
            b for b in blocks if 0 < b.top - min(h.top for h in headed) <= 2.5 * body and _overlap(b.x0, b.x1, tx0, tx1) > 0
        ]
    if not under:
        return
    first = min(b.top for b in under)
    row = sorted(
        (
            b
            for b in blocks
            if (abs(b.top - first) <= 0.3 * body or (b in headed and b.top < first and _starts_with_byline(b)))
            and b.kind is not BlockKind.PHOTO
        ),
        key=lambda b: b.x0,
    )
    others = [p for p in owners if p is not o and -0.5 * body <= first - group_bottom[id(p)] <= 2.5 * body]

    def claimed(b: _Blk) -> bool:
        """Right under another title's own text: that title's column."""
        return any(
            _overlap(b.x0, b.x1, min(m.x0 for m in members[id(p)]), max(m.x1 for m in members[id(p)])) > 0
            and _overlap(b.x0, b.x1, tx0, tx1) <= 0
            for p in others
        )

    rights: dict[int, float] = {}

    def right(b: _Blk) -> float:
        """Its column's right edge (a short first line may come alone)."""
        if id(b) not in rights:
            rights[id(b)] = max(
                [b.x1] + [c.x1 for c in blocks if abs(c.x0 - b.x0) <= 1.0 and 0 <= c.top - b.top <= 3.0 * body]
            )
        return rights[id(b)]

    seed = [b for b in row if _overlap(b.x0, right(b), tx0, tx1) > 0]
    if not seed:
        return
    lo, hi = min(b.x0 for b in seed), max(right(b) for b in seed)
    # a title set flush with its first column's left edge starts its module
    # there: the columns to its left belong to the story beside it
    # (one that also ends flush with a column's right edge may be centred)
    flush_left = abs(tx0 - lo) <= 1.0 and not any(abs(tx1 - right(b)) <= 1.0 for b in seed)
    for b in sorted((b for b in row if right(b) <= lo + 1.0), key=lambda b: -right(b)):
        if flush_left or lo - right(b) > 2.0 * body or claimed(b):
            break
        lo = b.x0
    for b in (b for b in row if b.x0 >= hi - 1.0):
        if b.x0 - hi > 2.0 * body or claimed(b):
            break
        hi = right(b)
    # only a title centred over those columns heads them all
    if abs((lo + hi) / 2 - (tx0 + tx1) / 2) <= 1.5 * body:
        o.span = (min(o.span[0], lo), max(o.span[1], hi))


def _starts_with_byline(b: _Blk) -> bool:
    return bool(b.lines) and is_byline_text(b.lines[0].text)


def _at_edge(x: float, edges: list[float]) -> bool:
    k = bisect.bisect_left(edges, x - 1.0)
    return k < len(edges) and edges[k] <= x + 1.0


def _owner_span(
    blk: _Blk, others: list[_Blk], vrules: list[Ruling], left: float, right: float, edges: list[float],
    frames: list[Box],
) -> tuple[float, float]:
    """How far an owner reaches sideways.

    A title set flush with a column's left edge starts its module there and
    reaches right to the next text or rule on its rows (up to it if that
    starts a column, else halfway).  A centred title is centred over its
    module: it reaches as far left as right, up to the nearer neighbour.
    """
    x0, x1, t, b = blk.x0, blk.x1, blk.top, blk.bottom
    hard_lo, hard_hi = left, right
    for f in frames:  # a panel beside the title bounds it like a rule
        if _overlap(t, b, f.top, f.bottom) > 0.5 and not (f.x0 <= x0 and f.x1 >= x1):
            if f.x1 <= x0 + 1.0:
                hard_lo = max(hard_lo, f.x1)
            elif f.x0 >= x1 - 1.0:
                hard_hi = min(hard_hi, f.x0)
    for r in vrules:
        if _overlap(t, b, r.top, r.bottom) > 0.5:
            x = (r.x0 + r.x1) / 2
            if x <= x0 + 1.0:
                hard_lo = max(hard_lo, x)
            elif x >= x1 - 1.0:
                hard_hi = min(hard_hi, x)
    # text beyond a rule or panel is not a neighbour of this title
    lo_edge, hi_edge = hard_lo, hard_hi
    for o in others:
        if o is blk or _overlap(t, b, o.top, o.bottom) <= 0.5:
            continue
        if hard_lo - 1.0 <= o.x1 <= x0 + 1.0:
            lo_edge = max(lo_edge, o.x1)
        elif x1 - 1.0 <= o.x0 <= hard_hi + 1.0:
            hi_edge = min(hi_edge, o.x0)
    if _at_edge(x0, edges):
        hi = hi_edge if hi_edge >= hard_hi - 1.0 or _at_edge(hi_edge, edges) else (hi_edge + x1) / 2
        blk.reach_limit = hi_edge  # a centred neighbour may leave it more room
        return x0, hi
    # set centred over its module: it reaches as far each way
    centre = (x0 + x1) / 2
    half = min(centre - lo_edge, hi_edge - centre)
    return centre - half, centre + half


# --------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------


def _big_byline(ln: Line, body: float) -> bool:
    """A byline set a little larger than the text ("By Jake Magoon" in 12 pt
    over 10 pt) is the story's byline, not a headline of its own."""
    return ln.size < 1.5 * body and is_byline_text(ln.text)


def _title_blocks(content: list[int], lines: list[Line], body: float) -> tuple[list[list[_Blk]], set[int]]:
    """Title groups: the largest lines are the headline, smaller ones above it
    the kicker, below it the subhead (also a body-size line opening with a
    dash right under the title).  Returns the groups and the dash lines used."""
    title_idx = [i for i in content if lines[i].size >= TITLE_RATIO * body and not _big_byline(lines[i], body)]
    title_blocks: list[list[_Blk]] = []
    for g in _title_groups(title_idx, lines):
        big = max(lines[i].size for i in g)
        head = [i for i in g if lines[i].size >= HEADLINE_SHARE * big]
        first_head = min(lines[i].top for i in head)
        merged: list[_Blk] = []
        for i in g:
            if i in head:
                kind = BlockKind.HEADLINE
            elif lines[i].top < first_head:
                kind = BlockKind.KICKER
            else:
                kind = BlockKind.SUBHEADLINE
            if merged and merged[-1].kind is kind:
                merged[-1].lines.append(lines[i])
            else:
                merged.append(_Blk(kind, [lines[i]]))
        title_blocks.append(merged)

    # a body-size line opening with a dash right under a title is its subhead
    dash_sub: set[int] = set()
    for g in title_blocks:
        gx0, gx1 = min(b.x0 for b in g), max(b.x1 for b in g)
        gb = max(b.bottom for b in g)
        for i in content:
            ln = lines[i]
            if (
                ln.size < TITLE_RATIO * body
                and -1.0 <= ln.top - gb <= 1.5 * body
                and _overlap(ln.x0, ln.x1, gx0, gx1) > 0.5 * (ln.x1 - ln.x0)
                and _SUBHEAD_DASH.match(ln.text)
            ):
                g.append(_Blk(BlockKind.SUBHEADLINE, [ln]))
                dash_sub.add(i)

    return title_blocks, dash_sub


def _text_blocks(
    text_idx: list[int], lines: list[Line], block_seps: _Seps, jump_flags: list[bool], runin_flags: list[bool], body: float
) -> tuple[list[_Blk], float]:
    """Body-size lines stacked in columns at the page's leading → blocks; jump
    lines, bylines and run-in titles become blocks of their own.  Returns the
    blocks and the largest gap (in em) that still joins two lines."""
    _, gaps = _stack(text_idx, lines, block_seps, 1.2)
    gap_em = (statistics.median(gaps) if gaps else 0.4) + 0.8
    stacks, _ = _stack(text_idx, lines, block_seps, gap_em)
    text_blocks: list[_Blk] = []
    # the text set on after a run-in title opens that title's item: its block starts there
    titles = [lines[i] for i in text_idx if runin_flags[i]]
    opens_item = {
        i for i in text_idx if not runin_flags[i] and any(
            abs(t.top - lines[i].top) < 0.5 * body and -2.0 <= lines[i].x0 - t.x1 <= RUNIN_GAP_EM * body for t in titles)
    }
    for s in stacks:
        s.sort(key=lambda i: lines[i].top)
        # jump lines and bylines become their own blocks
        run: list[int] = []
        pieces: list[tuple[BlockKind, list[int]]] = []
        wrapped = _wrapped_byline(s, lines)
        for pos, i in enumerate(s):
            edge = pos == 0 or pos == len(s) - 1 or len(s) <= 3
            if i in opens_item and run:
                pieces.append((BlockKind.BODY, run))
                run = []
            if i in wrapped:
                if i == wrapped[0]:
                    if run:
                        pieces.append((BlockKind.BODY, run))
                        run = []
                    pieces.append((BlockKind.BYLINE, wrapped))
                continue
            if jump_flags[i]:
                kind = BlockKind.JUMP
            elif edge and is_byline_text(lines[i].text):
                kind = BlockKind.BYLINE
            else:
                run.append(i)
                continue
            if run:
                pieces.append((BlockKind.BODY, run))
                run = []
            pieces.append((kind, [i]))
        if run:
            pieces.append((BlockKind.BODY, run))
        for kind, ids in pieces:
            ls = [lines[i] for i in ids]
            emph = kind is BlockKind.BODY and (
                sum(1 for ln in ls if ln.bold or ln.size >= EMPHASIS_RATIO * body) * 2 > len(ls)
            )
            blk = _Blk(kind, ls, emphasis=emph)
            if kind is BlockKind.BODY and any(runin_flags[i] for i in ids):
                blk.kind, blk.runin, blk.emphasis = BlockKind.BRIEF_TITLE, True, False
            text_blocks.append(blk)

    # a run-in title wrapped onto a second line is one title
    runins = sorted((b for b in text_blocks if b.runin), key=lambda b: b.top)
    for a in runins:
        if not a.runin:
            continue
        for c in runins:
            if c is a or not c.runin or c.top <= a.top:
                continue
            if "】" in a.lines[-1].text:
                break  # already closed
            same_column = a.x0 - 2.6 * body <= c.x0 <= a.x1 and c.x1 <= a.x1 + body
            if 0 <= c.top - a.bottom <= 0.8 * body and same_column:
                a.lines += c.lines
                c.runin = False
                c.lines = []  # taken into ``a``
                break
    text_blocks = [b for b in text_blocks if b.lines]

    # a credit's title line under a byline (By Jane Doe / Staff Writer)
    bylines = [b for b in text_blocks if b.kind is BlockKind.BYLINE]
    for b in text_blocks:
        if b.kind is BlockKind.BODY and len(b.lines) == 1 and _CREDIT_TITLE.match(b.lines[0].text.strip()):
            if any(0 <= b.top - y.bottom <= body and _overlap(b.x0, b.x1, y.x0, y.x1) > 0 for y in bylines):
                b.kind = BlockKind.BYLINE

    return text_blocks, gap_em


def _wrapped_byline(stack: list[int], lines: list[Line]) -> list[int]:
    """The first or last two lines of a column when they are one byline
    wrapped in a narrow column (本报记者 / 张三、李四); else []."""
    if len(stack) < 3:
        return []
    for pair in (stack[:2], stack[-2:]):
        first, second = (lines[i].text.strip() for i in pair)
        if not is_byline_text(first) and not is_byline_text(second) and is_byline_text(f"{first} {second}"):
            return list(pair)
    return []


def _mark_captions(text_blocks: list[_Blk], photos: list[Box], body: float, body_fontname: str) -> list[_Blk]:
    """Captions: small (or differently set) text against a photo, or inside
    it, or text set vertically beside it.  Returns a PHOTO block per photo
    (captions point at theirs)."""
    photo_blocks = [
        _Blk(BlockKind.PHOTO, [Line("", p.x0, p.top, p.x1, p.bottom, 0.0)]) for p in photos
    ]
    for b in text_blocks:
        if b.kind is not BlockKind.BODY and not (b.kind is BlockKind.CAPTION and b.lines[0].vertical):
            continue
        small = statistics.median(ln.size for ln in b.lines) < SMALL_RATIO * body
        other_font = b.lines[0].fontname != body_fontname
        for pi, p in enumerate(photos):
            if b.lines[0].vertical and (
                _overlap(b.top, b.bottom, p.top, p.bottom) >= 0.5 * (b.bottom - b.top)
                and (0 <= b.x0 - p.x1 <= 2.0 * body or 0 <= p.x0 - b.x1 <= 2.0 * body)
            ):
                b.kind = BlockKind.CAPTION  # set vertically beside the photo
                b.photo = pi
                break
            if _overlap(b.x0, b.x1, p.x0, p.x1) < 0.5 * b.width:
                continue
            inside = b.top >= p.top - 1 and b.bottom <= p.bottom + 1
            below = p.bottom - 2.0 <= b.top <= p.bottom + 2.0 * body
            above = p.top - 2.0 * body <= b.bottom <= p.top + 2.0
            if inside or ((below or above) and (small or other_font)):
                b.kind = BlockKind.CAPTION
                b.photo = pi
                break

    return photo_blocks


def _classify_emphasis(
    text_blocks: list[_Blk], title_blocks: list[list[_Blk]], rule_seps: _Seps, body: float, gap_em: float
) -> list[_Blk]:
    """Short emphasised blocks: a kicker or subhead next to a title group
    (moved into it), else a brief title when text follows.  Returns the text
    blocks left."""
    group_boxes = [
        (min(b.x0 for b in g), min(b.top for b in g), max(b.x1 for b in g), max(b.bottom for b in g)) for g in title_blocks
    ]
    # a kicker sits a line of the headline's own type above it
    group_sizes = [max(ln.size for b in g for ln in b.lines) for g in title_blocks]
    for b in text_blocks:
        if b.kind is not BlockKind.BODY:
            continue
        dash = _SUBHEAD_DASH.match(b.lines[0].text) is not None
        if not (b.emphasis or dash) or len(b.lines) > 3:
            continue
        attached = False
        # a bold lead paragraph under a headline is text, not a subhead: bold
        # alone makes a title line only when it is a single short line
        larger = statistics.median(ln.size for ln in b.lines) >= EMPHASIS_RATIO * body
        title_like = dash or larger or len(b.lines) == 1
        for gi, (gx0, gt, gx1, gb) in enumerate(group_boxes):
            if not title_like or _overlap(b.x0, b.x1, gx0, gx1) < 0.5 * min(b.width, gx1 - gx0):
                continue
            if b.emphasis and 0 <= gt - b.bottom <= max(1.5 * body, 0.6 * group_sizes[gi]):
                # a rule across the headline's width parts them; a short rule
                # under the kicker alone is its underline (GIUSTIZIA over its title)
                if rule_seps.between(b.bottom - 0.5, gt + 0.5, b.x0, b.x1, 0.3 * b.width) and rule_seps.between(
                    b.bottom - 0.5, gt + 0.5, gx0, gx1, 0.5 * (gx1 - gx0)
                ):
                    continue
                b.kind = BlockKind.KICKER
            elif -1.0 <= b.top - gb <= 1.5 * body:
                if rule_seps.between(gb - 0.5, b.top + 0.5, b.x0, b.x1, 0.3 * b.width):
                    continue
                b.kind = BlockKind.SUBHEADLINE
            else:
                continue
            title_blocks[gi].append(b)
            attached = True
            break
        if attached or not b.emphasis:
            continue
        if len(b.lines) <= 2 and _heads_columns(b, text_blocks, body):
            # body text never crosses a gutter: an emphasised line over two
            # columns is a headline the setter kept at body size
            b.kind = BlockKind.HEADLINE
            title_blocks.append([b])
            continue
        below = [
            o
            for o in text_blocks
            if o is not b
            and o.kind is BlockKind.BODY
            and not o.emphasis
            and 0 <= o.top - b.bottom <= gap_em * body + 0.5 * body
            and _overlap(o.x0, o.x1, b.x0, b.x1) > 0.5 * b.width
        ]
        if below:
            b.kind = BlockKind.BRIEF_TITLE
    text_blocks = [b for b in text_blocks if b.kind not in (BlockKind.KICKER, BlockKind.SUBHEADLINE, BlockKind.HEADLINE)]

    return text_blocks


def _heads_columns(b: _Blk, text_blocks: list[_Blk], body: float) -> bool:
    """``b`` reaches over two or more side-by-side columns of plain text
    starting within three body lines below it."""
    under = sorted(
        (
            o
            for o in text_blocks
            if o is not b
            and o.kind is BlockKind.BODY
            and not o.emphasis
            and len(o.lines) >= 2
            and 0 <= o.top - b.bottom <= 3.0 * body
            and _overlap(o.x0, o.x1, b.x0, b.x1) > 0.25 * o.width
        ),
        key=lambda o: o.x0,
    )
    side_by_side = [o for k, o in enumerate(under) if k == 0 or o.x0 >= under[k - 1].x1 - 1.0]
    return len(side_by_side) >= 2


def _rank_reading_order(order_blocks: list[_Blk], rulings: list[Ruling], frames: list[Box]) -> None:
    """Set each block's rank: XY-cut over the blocks, the rules and the panel edges."""
    boxes_xy = [(b.x0, b.top, b.x1, b.bottom) for b in order_blocks]
    for r in rulings:
        if r.horizontal:
            boxes_xy.append((r.x0 + 1.5, r.top, r.x1 - 1.5, max(r.bottom, r.top + 0.1)))
        else:
            boxes_xy.append((r.x0, r.top + 1.5, max(r.x1, r.x0 + 0.1), r.bottom - 1.5))
    for f in frames:
        boxes_xy += [(f.x0 + 1.5, f.top, f.x1 - 1.5, f.top + 0.1), (f.x0 + 1.5, f.bottom, f.x1 - 1.5, f.bottom + 0.1)]
        boxes_xy += [(f.x0, f.top + 1.5, f.x0 + 0.1, f.bottom - 1.5), (f.x1, f.top + 1.5, f.x1 + 0.1, f.bottom - 1.5)]
    rank = {}
    for pos, i in enumerate(i for i in xy_order(boxes_xy) if i < len(order_blocks)):
        rank[id(order_blocks[i])] = pos
    for b in order_blocks:
        b.rank = rank[id(b)]


def _assign_articles(
    title_blocks: list[list[_Blk]],
    text_blocks: list[_Blk],
    photo_blocks: list[_Blk],
    vrules: list[Ruling],
    frames: list[Box],
    rule_seps: _Seps,
    body: float,
    page_width: float,
) -> tuple[dict[int, int], set[int], dict[int, list[_Blk]]]:
    """Article groups: every block's group key (the id of its owner, or of the
    first block of a headless run), the owners that are brief-column labels,
    and each owner's title blocks."""
    # 5. owners and their reach
    owners: list[_Blk] = []
    members: dict[int, list[_Blk]] = {}
    for g in title_blocks:
        g.sort(key=lambda b: b.top)
        lead = next((b for b in g if b.kind is BlockKind.HEADLINE), g[0])
        lead.owner = True
        owners.append(lead)
        members[id(lead)] = g
    brief_titles = [b for b in text_blocks if b.kind is BlockKind.BRIEF_TITLE]
    all_blocks: list[_Blk] = [b for g in title_blocks for b in g] + text_blocks + photo_blocks
    left = min(b.x0 for b in all_blocks) if all_blocks else 0.0
    right = max(b.x1 for b in all_blocks) if all_blocks else page_width
    # column left edges: where blocks of body text start
    col_edges = sorted(
        statistics.median(ln.x0 for ln in b.lines)
        for b in text_blocks
        if b.kind is BlockKind.BODY and len(b.lines) >= 3
    )
    for o in owners:
        g = members[id(o)]
        gb = _Blk(o.kind, [ln for b in g for ln in b.lines])
        o.span = _owner_span(gb, [b for b in all_blocks if b not in g], vrules, left, right, col_edges, frames)
        o.reach_limit = gb.reach_limit
    # a flush title reaches up to where its centred neighbour's module begins
    for o in owners:
        if o.reach_limit is None or o.span[1] >= o.reach_limit:
            continue
        rows = [p for p in owners if p is not o and _overlap(o.top, o.bottom, p.top, p.bottom) > 0.5 and p.x0 >= o.x1 - 1.0]
        if rows:
            nxt = min(rows, key=lambda p: p.x0)
            o.span = (o.span[0], max(o.span[1], min(nxt.span[0], o.reach_limit)))
    group_bottom = {id(o): max(b.bottom for b in members[id(o)]) for o in owners}
    group_top = {id(o): min(b.top for b in members[id(o)]) for o in owners}
    # the module under a title: its columns' text starts on one line, right
    # under the title; the title reaches over all of them
    for o in owners:
        _widen_to_module(o, members[id(o)], group_bottom, owners, members, text_blocks + photo_blocks, body)

    group_x = {id(o): (min(m.x0 for m in members[id(o)]), max(m.x1 for m in members[id(o)])) for o in owners}

    def ornament(b: _Blk) -> tuple[float, float, float] | None:
        """An author line set under a short rule of its own column's width
        (Nature's news pieces, many magazines): that rule is the byline's
        ornament, not the end of the story above."""
        if b.kind is not BlockKind.BYLINE:
            return None
        return (b.top - 1.5 * body, b.x0 - 1.5 * body, b.x1 + 1.5 * body)

    def find_owner(b: _Blk, candidates: list[_Blk]) -> _Blk | None:
        """The nearest owner above ``b`` whose reach covers it, no rule between.

        Owners ending within two body lines of each other tie; the one whose
        own text is nearest sideways wins (two headlines side by side).
        """
        found: list[tuple[float, float, _Blk]] = []
        for o in candidates:
            if o is b:
                continue
            ob = group_bottom.get(id(o), o.bottom)
            first = b.lines[0]
            if o.runin and -2.0 <= first.x0 - o.lines[-1].x1 <= RUNIN_GAP_EM * body and abs(o.lines[-1].top - first.top) < 0.5 * body:
                found.append((b.top, 0.0, o))  # its text runs on to the right
                continue
            if ob > b.top + 0.5 * body:
                continue
            s0, s1 = o.span
            ov = _overlap(s0, s1, b.x0, b.x1)
            if ov < 0.5 * min(b.width, s1 - s0) or ov <= 0:
                continue
            # a rule across the block parts it from the owner above; a short
            # centred rule under a headline is its ornament (Tv, pasticcio ... / —— / di X)
            if rule_seps.between(ob + 1.2 * body, b.top - 0.5, b.x0, b.x1, 0.8 * b.width, ornament(b)):
                continue
            tx0, tx1 = group_x.get(id(o), (o.x0, o.x1))
            found.append((ob, -max(0.0, -_overlap(tx0, tx1, b.x0, b.x1)), o))
        if not found:
            return None
        return max(found, key=lambda f: (f[0], f[1]))[2]

    # brief titles under a real headline are run-in subheads of that article;
    # under a column label (简讯: a title followed straight by a brief title)
    # or under no title at all they start brief items
    for bt in brief_titles:
        # a brief item stays in its column: the title reaches over its text
        under = [
            b
            for b in text_blocks
            if b is not bt and b.kind is BlockKind.BODY and _overlap(b.x0, b.x1, bt.x0, bt.x1) > 0
            and -0.5 * body <= b.top - bt.bottom <= 1.5 * body
        ]
        bt.span = (min([bt.x0] + [b.x0 for b in under]), max([bt.x1] + [b.x1 for b in under]))
    def is_label(o: _Blk) -> bool:
        """A brief column's label: 简讯 / Briefs, or a short title with a brief title right under it."""
        words = " ".join(ln.text for b in members[id(o)] for ln in b.lines).split()
        squeezed = "".join(words)
        if _LABEL.match(squeezed):
            return True
        short = len(words) <= 3 if squeezed.isascii() else len(squeezed) <= 6
        return short and any(
            -1.0 <= bt.top - group_bottom[id(o)] <= 2.5 * body and _overlap(bt.x0, bt.x1, o.span[0], o.span[1]) > 0
            for bt in brief_titles
        )

    labels = {id(o) for o in owners if is_label(o)}
    for bt in brief_titles:
        o = find_owner(bt, owners)
        if o is not None and id(o) not in labels:
            bt.kind = BlockKind.BODY
            bt.emphasis = False
    brief_titles = [b for b in brief_titles if b.kind is BlockKind.BRIEF_TITLE]
    for bt in brief_titles:
        bt.owner = True
        owners.append(bt)
        members[id(bt)] = [bt]
        group_bottom[id(bt)] = bt.bottom
        group_top[id(bt)] = bt.top

    # 6. ownership: a block belongs to the nearest thing above it in its
    #    column -- an owner (whose reach covers it) or a block already placed
    #    -- unless a rule separates them; nothing above: a headless group
    key_of: dict[int, int] = {}
    for o in owners:
        for m in members[id(o)]:
            key_of[id(m)] = id(o)
    placed: list[_Blk] = []
    for b in sorted((b for b in text_blocks + photo_blocks if id(b) not in key_of), key=lambda b: (b.top, b.x0)):
        best_key: int | None = None
        best_bottom = float("-inf")
        o = find_owner(b, owners)
        if o is not None:
            best_key, best_bottom = id(o), group_bottom[id(o)]
        for p in placed:
            if p.bottom > b.top + 0.5 * body or p.bottom <= best_bottom:
                continue
            if _overlap(p.x0, p.x1, b.x0, b.x1) < 0.5 * min(p.width, b.width):
                continue
            if rule_seps.between(p.bottom - 0.5, b.top + 0.5, b.x0, b.x1, 0.5 * b.width, ornament(b)):
                continue
            best_key, best_bottom = key_of[id(p)], p.bottom
        if best_key is None and b.kind is BlockKind.PHOTO:
            # a photo heading its story: the headline right under it (and its caption)
            caps = [c for c in text_blocks if c.photo is not None and photo_blocks[c.photo] is b]
            low = max([b.bottom] + [c.bottom for c in caps])
            for o in owners:
                if -1.0 <= group_top[id(o)] - low <= 3.0 * body and _overlap(b.x0, b.x1, o.span[0], o.span[1]) > 0.5 * b.width:
                    best_key = id(o)
                    break
        if best_key is None and b.kind is BlockKind.CAPTION and b.photo is not None:
            best_key = key_of.get(id(photo_blocks[b.photo]))
        key_of[id(b)] = best_key if best_key is not None else id(b)
        placed.append(b)

    return key_of, labels, members


_TEASER_LABEL = re.compile(
    r"^(?:今日|本期|本版|本报)?(?:导读|要目|提要|导航)$|^(?:INSIDE|Inside|IN THIS ISSUE|In this issue|INDEX|Index|TODAY|Today)\s*[:：]?$"
)
# a pointer to another page: 第二版 / （第3版） / 见第5版 / ", A3" / Page 5 / a pagina 9
_POINTER = re.compile(
    r"第\s*[0-9０-９一二三四五六七八九十]+\s*版|[,，]\s*[A-H]\d{1,2}\b|\b(?:Page|PAGE|page)\s+[A-Z]?\d{1,3}\b|\bpagin[ae]\s+\d+"
)


def _is_teaser(group: list[_Blk]) -> bool:
    """A teaser or index box: a 导读 / INSIDE label, or short items that each
    point to another page (at least two pointers, a few dozen characters per item)."""
    texts = [ln.text for b in group if b.kind is not BlockKind.PHOTO for ln in b.lines]
    if not texts:
        return False
    titles = [b for b in group if b.kind in (BlockKind.HEADLINE, BlockKind.KICKER, BlockKind.BRIEF_TITLE)]
    if titles and _TEASER_LABEL.match(_squeeze(titles[0].lines[0].text)):
        return True
    if re.match(r"^\s*(?:INSIDE|Inside|导读)\s*[:：]", texts[0]):
        return True
    joined = "".join(_squeeze(t) for t in texts)
    pointers = len(_POINTER.findall(joined))
    return pointers >= 2 and len(joined) <= 60 * pointers


def _outside_bands(boxes: list[Box], head: list[Line], foot: list[Line], content: list[Line], body: float) -> list[Box]:
    """Boxes of the nameplate and folio bar (tints, logos inside the header or
    footer band, holding no text but the band's) are no photos: text under
    them is no caption."""
    if not head and not foot:
        return boxes
    hb = max((ln.bottom for ln in head), default=float("-inf")) + 0.5 * body
    ft = min((ln.top for ln in foot), default=float("inf")) - 0.5 * body

    def holds_text(b: Box) -> bool:
        return any(b.x0 <= (ln.x0 + ln.x1) / 2 <= b.x1 and b.top <= (ln.top + ln.bottom) / 2 <= b.bottom for ln in content)

    return [
        b for b in boxes
        if not (((b.top + b.bottom) / 2 <= hb or (b.top + b.bottom) / 2 >= ft) and not holds_text(b))
    ]


def _join_drop_caps(lines: list[Line], body: float) -> set[int]:
    """A drop cap (one big initial set two or more body lines deep) starts the
    body line beside it: "L" + "a madre delle riforme" is one line, and the cap
    is never a headline of its own. Returns the cap lines joined (to drop)."""
    joined: set[int] = set()
    for i, cap in enumerate(lines):
        t = cap.text.strip()
        if cap.vertical or not (1 <= len(t) <= 2 and t[-1].isalpha() and t[-1].isupper()):
            continue
        if cap.size < 1.8 * body or cap.bottom - cap.top < 1.8 * body:
            continue
        best = None
        for j, ln in enumerate(lines):
            if j == i or j in joined or ln.vertical or not (0.75 * body <= ln.size <= 1.3 * body):
                continue
            if not (cap.x1 - 0.5 * body <= ln.x0 <= cap.x1 + 1.5 * body):
                continue
            if not (cap.top - 0.6 * body <= ln.top <= cap.top + 0.8 * body):
                continue
            first = ln.text.lstrip()[:1]
            if not (first.isalpha() and first.islower()):
                continue
            if best is None or ln.top < lines[best].top:
                best = j
        if best is None:
            continue
        ln = lines[best]
        lines[best] = Line(t + ln.text.lstrip(), cap.x0, ln.top, ln.x1, ln.bottom, ln.size, ln.bold, ln.fontname)
        joined.add(i)
    return joined


_SECTION_HEAD = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[章节部分]"
    r"|\d{1,2}(?:\.\d{1,2}){0,2}\.?\s|[IVX]{1,5}\.\s)"
)
# a section heading is set at most this share of the page's largest title
SECTION_HEAD_SHARE = 0.6


def _section_heads(
    title_blocks: list[list[_Blk]], content: list[int], lines: list[Line], body: float
) -> tuple[list[list[_Blk]], list[_Blk]]:
    """Title groups that are numbered section headings of the story above
    (one short line, numbered, far smaller than the page's headline, body
    text of that story within a few lines above it) become text blocks."""
    if len(title_blocks) < 2:
        return title_blocks, []
    biggest = max(ln.size for g in title_blocks for b in g for ln in b.lines)
    keep: list[list[_Blk]] = []
    heads: list[_Blk] = []
    for g in title_blocks:
        ls = [ln for b in g for ln in b.lines]
        ln = ls[0]
        text = ln.text.strip()
        short = len(text) <= 24 if not text.isascii() else len(text.split()) <= 8
        above = any(
            abs(o.size - body) <= 0.1 * body and 0 < ln.top - o.bottom <= 6.0 * body
            and _overlap(o.x0, o.x1, ln.x0, ln.x1) > 0
            for o in (lines[i] for i in content)
        )
        if len(ls) == 1 and short and ln.size <= SECTION_HEAD_SHARE * biggest and _SECTION_HEAD.match(text) and above:
            heads.append(_Blk(BlockKind.BODY, ls))
        else:
            keep.append(g)
    return keep, heads


def _join_footnotes(text_blocks: list[_Blk], rulings: list[Ruling], body: float, page_h: float) -> list[_Blk]:
    """Footnotes: the small-type blocks under a short rule (at most half the
    text's width) in the lower part of the page, starting within two lines
    under it at its left end, become one block (their wrapped lines too)."""
    if not text_blocks:
        return text_blocks
    left = min(b.x0 for b in text_blocks)
    right = max(b.x1 for b in text_blocks)
    out = text_blocks
    for r in rulings:
        if not r.horizontal or r.top < 0.6 * page_h or (r.x1 - r.x0) > 0.5 * (right - left):
            continue
        notes = sorted(
            (b for b in out
             if b.kind is BlockKind.BODY and b.top >= r.top - 0.5 and b.x0 >= r.x0 - 1.5 * body
             and all(ln.size <= 0.92 * body for ln in b.lines)),
            key=lambda b: b.top,
        )
        if not notes or notes[0].top - r.top > 2.0 * body or abs(min(b.x0 for b in notes) - r.x0) > 1.5 * body:
            continue
        # the notes run down from the rule without a gap of more than a line
        chain = [notes[0]]
        for b in notes[1:]:
            if b.top - max(c.bottom for c in chain) > 1.5 * body:
                break
            chain.append(b)
        if len(chain) < 2:
            continue
        merged = _Blk(BlockKind.BODY, sorted((ln for b in chain for ln in b.lines), key=lambda ln: (ln.top, ln.x0)))
        ids = {id(b) for b in chain}
        out = [b for b in out if id(b) not in ids] + [merged]
    return out


def _text_area(lines: list[Line], rotated: list[bool], body: float) -> tuple[float, float] | None:
    """Left and right edge of the page's running text (body-size upright lines)."""
    xs = [
        (ln.x0, ln.x1) for ln, rot in zip(lines, rotated)
        if not rot and not ln.vertical and abs(ln.size - body) <= 0.1 * body and len(ln.text.strip()) >= 10
    ]
    if len(xs) < 3:
        return None
    return min(x[0] for x in xs), max(x[1] for x in xs)


def _margin_lines(lines: list[Line], rotated: list[bool], body: float) -> set[int]:
    """Rotated lines set wholly outside the running text's left or right edge."""
    if not any(rotated):
        return set()
    area = _text_area(lines, rotated, body)
    if area is None:
        return set()
    left, right = area
    return {i for i, ln in enumerate(lines) if rotated[i] and (ln.x1 <= left + 1.0 or ln.x0 >= right - 1.0)}


def _without_margin_ornaments(photos: list[Box], lines: list[Line], rotated: list[bool], body: float) -> list[Box]:
    """A small picture in the margin beside the text (a publisher's logo by a
    rotated copyright line) illustrates no story."""
    area = _text_area(lines, rotated, body)
    if area is None:
        return photos
    left, right = area
    return [
        p for p in photos
        if not ((p.x1 <= left + 1.0 or p.x0 >= right - 1.0) and min(p.x1 - p.x0, p.bottom - p.top) <= 3.0 * body)
    ]


_LIST_LABEL = re.compile(r"^(?:\d{1,3}[.)]|[（(]\d{1,3}[）)]|[\u2460-\u2473])$")


def _join_list_labels(lines: list[Line], body: float) -> set[int]:
    """A list label set in a hanging indent ("9." before a reference, "①")
    starts the line beside it on its baseline: the gap after it
    reads like a gutter, but a label alone is never a line.  Returns the
    labels joined (to drop)."""
    joined: set[int] = set()
    rows = sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0))
    tops = [lines[i].top for i in rows]
    for i, lab in enumerate(lines):
        t = lab.text.strip()
        if lab.vertical or not _LIST_LABEL.match(t):
            continue
        em = max(lab.size, 1.0)
        best = None
        lo = bisect.bisect_left(tops, lab.top - 0.5 * em)
        hi = bisect.bisect_right(tops, lab.top + 0.5 * em)
        for j in rows[lo:hi]:
            ln = lines[j]
            if j == i or j in joined or ln.vertical or abs(ln.size - lab.size) > 0.15 * em:
                continue
            if abs(ln.bottom - lab.bottom) > 0.3 * em or not (0 <= ln.x0 - lab.x1 <= 2.5 * em):
                continue
            if _LIST_LABEL.match(ln.text.strip()):
                continue
            if best is None or ln.x0 < lines[best].x0:
                best = j
        if best is None:
            continue
        ln = lines[best]
        lines[best] = Line(t + " " + ln.text.lstrip(), lab.x0, min(ln.top, lab.top), ln.x1, max(ln.bottom, lab.bottom),
                           ln.size, ln.bold, ln.fontname)
        joined.add(i)
    return joined


def layout_page(page: Page) -> PageLayout:
    """Blocks in reading order, each with a kind and an article group."""
    if page.text_lines is not None and not page.chars:
        return layout_text_page(page)
    char_lines, jump_flags = _split_jumps(build_lines(page.chars, page.rulings))
    char_lines, jump_flags, runin_flags = _split_runin_titles(char_lines, jump_flags)
    lines = [cl.to_line() for cl in char_lines]
    # rotated text (glyphs turned off the upright: a copyright or DOI line up
    # the margin, a credit up a photo's edge) is never running text
    rotated = [cl.vertical and not any(c.upright for c in cl.chars) for cl in char_lines]
    for i, flag in enumerate(runin_flags):
        if flag:
            lines[i].bold = True  # a run-in title is set bold: it never stacks with its text
    if not lines:
        return PageLayout(page.source_file, page.page_index, page.width, page.height, [], sha256=page.sha256)
    body = body_size_of(lines)
    caps = _join_drop_caps(lines, body) | _join_list_labels(lines, body)
    if caps:
        keep = [i for i in range(len(lines)) if i not in caps]
        lines = [lines[i] for i in keep]
        jump_flags = [jump_flags[i] for i in keep]
        runin_flags = [runin_flags[i] for i in keep]
        rotated = [rotated[i] for i in keep]
    body_font = Counter(ln.fontname for ln in lines if abs(ln.size - body) < 0.05 * body).most_common(1)
    body_fontname = body_font[0][0] if body_font else ""

    boxes, thin = _thin_boxes_as_rulings(_dedupe_boxes(page.boxes), body)
    rulings = list(page.rulings) + thin
    # the bands are read from the upright lines (a rotated line up the margin
    # runs past them)
    upright_idx = [i for i in range(len(lines)) if not rotated[i]]
    up_pos = {i: k for k, i in enumerate(upright_idx)}
    head_k, foot_k = find_furniture(
        [lines[i] for i in upright_idx], rulings, page.height, body,
        not_seeds={up_pos[i] for i, f in enumerate(jump_flags) if f and i in up_pos},
    )
    header_idx = {upright_idx[k] for k in head_k}
    footer_idx = {upright_idx[k] for k in foot_k}
    # a jump line at the foot of the last column is the story's, not the page's
    footer_idx = {i for i in footer_idx if not jump_flags[i]}
    # rotated lines in the page's margin (beside every column of text) are
    # page furniture; inside the text area they are captions or credits
    margin_idx = _margin_lines(lines, rotated, body) - header_idx - footer_idx
    furniture = header_idx | footer_idx | margin_idx
    content = [i for i in range(len(lines)) if i not in furniture]
    boxes = _outside_bands(
        boxes, [lines[i] for i in header_idx], [lines[i] for i in footer_idx], [lines[i] for i in content], body
    )
    table_blocks, content, boxes, rulings = _take_tables(lines, content, boxes, rulings, body)
    photos, frames = _split_frames(boxes, [lines[i] for i in content], body, page.width, page.height)
    photos = _without_margin_ornaments(photos, lines, rotated, body)
    ad_lines, content = _take_adverts(lines, content, frames, body)

    # separators: rules and frame edges (photo edges end a column block too)
    hsegs: list[tuple[float, float, float]] = []
    vrules: list[Ruling] = []
    for r in rulings:
        if r.horizontal:
            hsegs.append(((r.top + r.bottom) / 2, r.x0, r.x1))
        else:
            vrules.append(r)
    for f in frames:
        hsegs += [(f.top, f.x0, f.x1), (f.bottom, f.x0, f.x1)]
        vrules += [Ruling(f.x0, f.top, f.x0, f.bottom), Ruling(f.x1, f.top, f.x1, f.bottom)]
    rule_seps = _Seps.of(hsegs)
    block_seps = _Seps.of(hsegs + [(p.top, p.x0, p.x1) for p in photos] + [(p.bottom, p.x0, p.x1) for p in photos])

    # a lone big glyph that starts no text (a dingbat, an arrow) is an ornament, no headline
    content = [
        i for i in content
        if not (len(lines[i].text.strip()) == 1 and lines[i].size >= TITLE_RATIO * body and not lines[i].vertical
                and not ("\u4e00" <= lines[i].text.strip() <= "\u9fff"))
    ]

    # 1. title groups (headline, kicker, subhead)
    title_blocks, dash_sub = _title_blocks(content, lines, body)

    # a numbered section heading (一、引言 / 1. Introduction / II. Methods)
    # set well below the page's headlines, under text of the story above, is
    # a subhead inside that story: text of it, no new article
    title_blocks, section_heads = _section_heads(title_blocks, content, lines, body)

    # 2. text blocks by stacking
    text_idx = [
        i for i in content if (lines[i].size < TITLE_RATIO * body or _big_byline(lines[i], body)) and i not in dash_sub
    ]
    # text set vertically (a caption beside a photo) is a block of its own:
    # it never stacks with the horizontal lines around it
    vertical_idx = [i for i in text_idx if lines[i].vertical]
    text_idx = [i for i in text_idx if not lines[i].vertical]
    text_blocks, gap_em = _text_blocks(text_idx, lines, block_seps, jump_flags, runin_flags, body)
    text_blocks += section_heads
    # footnotes (small type under a short rule at the foot of the text) are
    # one block, read with the story above the rule
    text_blocks = _join_footnotes(text_blocks, rulings, body, page.height)
    # on a page set horizontally, vertical text is a caption or a label,
    # never running text (a page set mostly vertically keeps it as body)
    n_vertical = sum(len(lines[i].text) for i in vertical_idx)
    n_text = sum(len(lines[i].text) for i in text_idx) + n_vertical
    vertical_kind = BlockKind.CAPTION if n_vertical < VERTICAL_SHARE * n_text else BlockKind.BODY
    text_blocks += [_Blk(vertical_kind, [lines[i]]) for i in vertical_idx]

    # 3. captions: small (or differently set) text against a photo, or inside it
    photo_blocks = _mark_captions(text_blocks, photos, body, body_fontname)

    # 4. emphasis blocks: kicker/subhead next to a title group, else brief titles
    text_blocks = _classify_emphasis(text_blocks, title_blocks, rule_seps, body, gap_em)
    text_blocks += table_blocks

    # 5-6. owners (titles, brief titles) and what each owns
    key_of, labels, members = _assign_articles(
        title_blocks, text_blocks, photo_blocks, vrules, frames, rule_seps, body, page.width
    )

    # 7. reading order: XY-cut over blocks and rules
    order_blocks: list[_Blk] = [b for g in title_blocks for b in g] + text_blocks + photo_blocks
    _rank_reading_order(order_blocks, rulings, frames)

    # 8. groups, ordered by their first block in reading order
    by_group: dict[int, list[_Blk]] = {}
    for b in order_blocks:
        by_group.setdefault(key_of[id(b)], []).append(b)
    groups = sorted(by_group.values(), key=lambda g: min(b.rank for b in g))
    # a brief column's label (简讯) heads items, not a story: no group of its own
    label_only = [
        g for g in groups if key_of[id(g[0])] in labels and all(id(b) in {id(m) for m in members[key_of[id(g[0])]]} for b in g)
    ]
    groups = [g for g in groups if not any(g is x for x in label_only)]
    # a teaser box (导读, INSIDE: short items, each pointing to another page) is furniture
    teasers = [g for g in groups if _is_teaser(g)]
    groups = [g for g in groups if not any(g is x for x in teasers)]
    label_only += teasers

    # 9. columns
    columns = _columns([b for b in text_blocks if b.kind is BlockKind.BODY], body)
    out: list[TextBlock] = []
    head_lines = sorted((lines[i] for i in header_idx), key=lambda ln: (round(ln.top / max(body, 1.0)), ln.x0))
    foot_lines = sorted((lines[i] for i in footer_idx), key=lambda ln: (round(ln.top / max(body, 1.0)), ln.x0))
    for ln in head_lines:
        kind = BlockKind.PAGE_NUMBER if is_page_number_text(ln.text) else BlockKind.HEADER
        out.append(TextBlock(kind, [ln], page.page_index, None, None))
    for g in label_only:
        for b in g:
            out.append(TextBlock(b.kind, b.lines, page.page_index, None, None))
    for ln in sorted(ad_lines, key=lambda ln: (ln.top, ln.x0)):
        out.append(TextBlock(BlockKind.BODY, [ln], page.page_index, None, None))
    for gi, g in enumerate(groups):
        for b in sorted(g, key=lambda b: b.rank):
            col = _column_of(b, columns)
            out.append(TextBlock(b.kind, b.lines, page.page_index, col, gi))
    for ln in foot_lines:
        kind = BlockKind.PAGE_NUMBER if is_page_number_text(ln.text) else BlockKind.FOOTER
        out.append(TextBlock(kind, [ln], page.page_index, None, None))
    for i in sorted(margin_idx, key=lambda i: (lines[i].x0, lines[i].top)):
        out.append(TextBlock(BlockKind.FOOTER, [lines[i]], page.page_index, None, None))
    header_text = " ".join(ln.text.strip() for ln in head_lines)
    page_number = page_number_from([ln.text for ln in head_lines] + [ln.text for ln in foot_lines])
    return PageLayout(
        source_file=page.source_file,
        page_index=page.page_index,
        width=page.width,
        height=page.height,
        blocks=out,
        columns=columns,
        page_number=page_number,
        header_text=header_text,
        sha256=page.sha256,
        has_geometry=True,
    )


def _columns(body_blocks: list[_Blk], body: float) -> list[Column]:
    """Body column x-ranges: blocks sharing left and right edges."""
    clusters: list[list[_Blk]] = []
    for b in sorted(body_blocks, key=lambda b: b.x0):
        if len(b.lines) < 2:
            continue
        for c in clusters:
            ref = c[0]
            if abs(ref.x0 - b.x0) <= body and _overlap(ref.x0, ref.x1, b.x0, b.x1) >= 0.8 * min(ref.width, b.width):
                c.append(b)
                break
        else:
            clusters.append([b])
    cols = [
        Column(
            statistics.median(b.x0 for b in c),
            min(b.top for b in c),
            statistics.median(b.x1 for b in c),
            max(b.bottom for b in c),
        )
        for c in clusters
    ]
    cols.sort(key=lambda c: (c.x0, c.top))
    return cols


def _column_of(b: _Blk, columns: list[Column]) -> int | None:
    best, best_ov = None, 0.0
    for k, c in enumerate(columns):
        if b.bottom < c.top - 1 or b.top > c.bottom + 1:
            continue
        ov = _overlap(b.x0, b.x1, c.x0, c.x1)
        if ov > best_ov:
            best, best_ov = k, ov
    return best
