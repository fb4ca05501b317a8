"""Lines from chars: rows by vertical centre, split at gutters, spaces restored.

Everything is relative to the font size of the chars involved, so it works
for 9 pt body type and 40 pt headlines alike.  Cost is a sort plus linear
sweeps: O(n log n) in chars.
"""

from __future__ import annotations

import bisect
import operator
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from tasks.model import Char, Line, Ruling

# A row holds chars whose vertical centres are within this fraction of the
# font size of the row's first char, or of their own when smaller (lines in
# one column are >= 1 em apart).
ROW_TOLERANCE = 0.35
# A horizontal gap wider than this (in em of the smaller neighbour) splits a
# line: CJK text has no word spaces, so anything this wide is a gutter.
SPLIT_GAP_CJK = 0.7
# ... except next to a Latin word, digits or a space char, where justification
# stretches gaps: there only wider than SPLIT_GAP_CJK_ALWAYS is always a gutter
SPLIT_GAP_CJK_ALWAYS = 3.0
# Narrower CJK gaps that stand out from the row's letter spacing by this much
# (em) are tentative gutters, kept only where whitespace runs down the page:
# narrow modules are set with gutters of half an em or less.
SPLIT_GAP_CJK_RIVER = 0.3
# Between title-size chars (TITLE_SIZE x body and up) a gap counts from this
# (em): two headlines on one baseline, each over its own module, are set a
# body gutter apart, a small fraction of the title's em.
SPLIT_GAP_TITLE = 0.15
TITLE_SIZE = 1.2
# Latin text has word spaces, and justified narrow columns stretch them: a
# gap wider than SPLIT_GAP_LATIN is a gutter only if whitespace runs through
# the lines above and below too; wider than SPLIT_GAP_LATIN_ALWAYS it always is.
SPLIT_GAP_LATIN = 0.6
SPLIT_GAP_LATIN_ALWAYS = 4.0
RIVER_WINDOW = 8.0  # em above and below searched for the gutter's whitespace
RIVER_ROWS = 4  # rows (the gap's own included) that must share the whitespace's right edge
PAGE_EDGE_SUPPORT = 6  # line starts that make an x a column edge of the page
GUTTER_EM = 1.0  # a gap this wide (em) containing a column edge is a gutter
RIVER_MIN = 0.25  # em: narrowest whitespace that still counts
GRID_ROWS = 3  # rows anywhere on the page sharing one CJK gap: a gutter of the page's grid
# A gap wider than this (em) between Latin chars is a word space even when
# the PDF has no space char; between CJK chars it must be wider to count.
SPACE_GAP_LATIN = 0.15
SPACE_GAP_CJK = 0.6
# Same-size chars whose boxes are shifted by more than this (em) sit on two
# baselines: neighbouring columns set at different line positions.
BASELINE_TOLERANCE = 0.2
# A gap of at least this (em) inside a line is split when at least
# EDGE_SUPPORT other lines within EDGE_WINDOW em above or below start (or
# break) at the same x: that x is a column edge.
MIN_GUTTER_GAP = 0.15
# closing punctuation a CJK setter may hang past the column edge, into (or
# over) the gutter
HANGING = set("，。、；：？！）》」』”’…,.;:?!)")
# opening punctuation, its ink in the right half of its cell
OPENING = set("“‘《（「『〔【〈")
EDGE_SUPPORT = 3
EDGE_WINDOW = 12.0
# letter-spaced titles: TRACK_MIN_GAPS equal gaps (within TRACK_TOLERANCE em)
# up to TRACK_MAX em wide between same-size title chars make one line
TRACK_MIN_GAPS = 3
TRACK_TOLERANCE = 0.12
TRACK_MAX = 3.0
# vertical text (see _take_vertical), in em of the chars' size
VERTICAL_SIDE_GAP = 0.2  # whitespace beside a char in its row
VERTICAL_OVER = -0.1  # a neighbour's box reaching over a char by more than this (em) is another column's
VERTICAL_ALIGN = 0.15  # x centres of two chars one under the other
VERTICAL_GAP = 0.5  # widest gap between two chars of one column
VERTICAL_MARGIN = 0.1  # the column's gap is this much narrower than the gaps beside
VERTICAL_RATIO = 0.5  # and at most this share of them
VERTICAL_MIN_CHARS = 3  # ideographs (punctuation comes on top)
VERTICAL_PUNCT_OVERLAP = 0.3  # punctuation in a corner of its cell overlaps the column this much
VERTICAL_COLUMN_GAP = 1.5  # columns of one block at most this far apart
# the same glyph again within this fraction of its width (and of its size
# vertically) is an overprint (fake bold), not a second char
OVERPRINT_SHIFT = 0.2
# rotated text (glyphs not upright: a copyright or DOI line up the margin, a
# credit set up a photo's edge): runs of at least ROTATED_MIN_CHARS glyphs,
# each within ROTATED_GAP em of the one before it along the run
ROTATED_MIN_CHARS = 4
ROTATED_GAP = 1.0
# superscripts: a short run set at most SUPERSCRIPT_RATIO of the size of the
# line it rides on, its foot at least SUPERSCRIPT_RAISE em of that line above
# the line's foot (a raised baseline), set within SUPERSCRIPT_GAP em of
# the line's chars sideways
SUPERSCRIPT_RATIO = 0.75
SUPERSCRIPT_RAISE = 0.15
SUPERSCRIPT_MAX_CHARS = 6
SUPERSCRIPT_GAP = 0.25


def is_cjk(ch: str) -> bool:
    """True for Han, kana, hangul and full-width punctuation."""
    if not ch:
        return False
    o = ord(ch[0])
    if o < 0x2E80:  # below every range: Latin, digits, spaces end here in one test
        return False
    return (
        o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2FA1F
        or 0x3000 <= o <= 0x303F
    )


def _center(c: Char) -> float:
    return (c.top + c.bottom) / 2.0


@dataclass(slots=True)
class CharLine:
    """A line with the chars it was built from (for splitting by text)."""

    chars: list[Char]
    text: str = ""
    # index into ``chars`` for every position of ``text`` (None: inserted space)
    char_at: list[int | None] = field(default_factory=list)
    vertical: bool = False  # chars in reading order: top to bottom, columns right to left

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars) if self.vertical else self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    def to_line(self) -> Line:
        ln = line_from_chars(self.chars, self.text)
        ln.vertical = self.vertical
        return ln

    def split_at(self, pos: int) -> tuple["CharLine", "CharLine"] | None:
        """Two lines: text[:pos] and text[pos:] (None if either side is empty)."""
        left = [i for i in self.char_at[:pos] if i is not None]
        right = [i for i in self.char_at[pos:] if i is not None]
        if not left or not right:
            return None
        cut = right[0]
        if self.vertical:
            return _vertical_line(self.chars[:cut]), _vertical_line(self.chars[cut:])
        a = CharLine(self.chars[:cut])
        b = CharLine(self.chars[cut:])
        _assemble_text(a, [])
        _assemble_text(b, [])
        return a, b


def join_row(pieces: list[CharLine]) -> CharLine:
    """Pieces of one printed row (horizontal) as one line, left to right."""
    line = CharLine(sorted((c for p in pieces for c in p.chars), key=lambda c: c.x0))
    _assemble_text(line, [])
    return line


def line_from_chars(chars: list[Char], text: str) -> Line:
    sizes = [c.size for c in chars]
    fonts = Counter(c.fontname for c in chars)
    bold = sum(1 for c in chars if c.bold) * 2 > len(chars)
    return Line(
        text=text,
        x0=min(c.x0 for c in chars),
        top=min(c.top for c in chars),
        x1=max(c.x1 for c in chars),
        bottom=max(c.bottom for c in chars),
        size=float(statistics.median(sizes)),
        bold=bold,
        fontname=fonts.most_common(1)[0][0],
    )


def _is_space(c: Char) -> bool:
    return not c.text or c.text.isspace() or unicodedata.category(c.text[0]) == "Zs"


def _assemble_text(line: CharLine, space_centres: list[float], glued: set[int] | frozenset[int] = frozenset()) -> None:
    """Text of ``line.chars`` with spaces where the PDF had them or gaps say so.

    The gaps of a letter-spaced title (chars in ``glued``) are tracking, not
    word spaces: only a space char of the PDF counts there.
    """
    parts: list[str] = []
    char_at: list[int | None] = []
    prev: Char | None = None
    for i, c in enumerate(line.chars):
        if prev is not None:
            gap = c.x0 - prev.x1
            em = min(prev.size, c.size) or 1.0
            lo, hi = prev.x1 - 0.1 * em, c.x0 + 0.1 * em
            k = bisect.bisect_left(space_centres, lo)
            has_space_char = k < len(space_centres) and space_centres[k] <= hi
            both_cjk = is_cjk(prev.text[-1]) and is_cjk(c.text[0])
            threshold = SPACE_GAP_CJK if both_cjk else SPACE_GAP_LATIN
            if has_space_char or (gap > threshold * em and id(c) not in glued):
                parts.append(" ")
                char_at.append(None)
        parts.append(c.text)
        char_at.extend([i] * len(c.text))
        prev = c
    line.text = "".join(parts)
    line.char_at = char_at


def _drop_overprints(chars: list[Char]) -> list[Char]:
    """Remove a glyph printed twice at (almost) the same place (fake bold).

    Only the same glyph shifted by less than OVERPRINT_SHIFT of its width is
    a duplicate: a run of one glyph set edge to edge ("———") is text.

    The kept glyph is marked bold: overprinting is how bold is faked.
    """
    out: list[Char] = []
    for c in chars:
        if out:
            p = out[-1]
            w = max(p.x1 - p.x0, 0.1)
            if (
                c.text == p.text
                and abs(c.x0 - p.x0) < OVERPRINT_SHIFT * w
                and abs(c.top - p.top) < OVERPRINT_SHIFT * c.size
                and abs(c.size - p.size) <= 0.05 * p.size
            ):
                if not p.bold:
                    out[-1] = Char(p.text, p.x0, p.top, p.x1, p.bottom, p.size, p.fontname, True, p.upright)
                continue
        out.append(c)
    return out


def _vertical_cuts(rulings: list[Ruling]) -> list[tuple[float, float, float]]:
    """(x, top, bottom) of vertical rulings, sorted by x."""
    cuts = [((r.x0 + r.x1) / 2.0, r.top, r.bottom) for r in rulings if not r.horizontal]
    cuts.sort()
    return cuts


def _ruling_between(cuts: list[tuple[float, float, float]], xs: list[float], a: Char, b: Char) -> bool:
    # from inside a (hanging punctuation may overprint a rule) to b's start
    lo = bisect.bisect_left(xs, min(a.x1 - 0.5, a.x0 + 0.2 * (a.x1 - a.x0)))
    hi = bisect.bisect_right(xs, b.x0 + 0.5)
    yc = (_center(a) + _center(b)) / 2.0
    return any(cuts[k][1] <= yc <= cuts[k][2] for k in range(lo, hi))


def _other_baseline(a: Char, b: Char) -> bool:
    """Two chars side by side but on different baselines (two columns).

    Box bottoms sit a font's descent below the baseline, which differs by a
    few hundredths of an em between fonts and sizes; more than
    BASELINE_TOLERANCE em means another line.
    """
    gap = b.x0 - a.x1
    if gap < -0.1 * a.size:
        return False
    if a.fontname != b.fontname and gap < 0.1 * min(a.size, b.size):
        return False  # a glyph of another font (γ from Symbol) set touching: its box has other metrics
    return abs(a.bottom - b.bottom) > BASELINE_TOLERANCE * min(a.size, b.size)


def build_lines(chars: list[Char], rulings: list[Ruling] | None = None) -> list[CharLine]:
    """Lines of a page: chars in one row, never across a gutter or a vertical rule.

    Returned sorted by top, then x0.
    """
    cuts = _vertical_cuts(rulings or [])
    cut_xs = [c[0] for c in cuts]
    # runs of rotated Latin glyphs become lines of their own, read in the
    # order the PDF draws them; a lone rotated glyph (a digit turned inside
    # vertical CJK text) stays with the upright chars
    chars = [c for c in chars if c.text and c.size > 0]
    rotated, chars = _take_rotated(chars)
    upright = chars
    upright.sort(key=_center)
    # 1. rows by vertical centre
    rows: list[list[Char]] = []
    anchor = 0.0
    anchor_size = 0.0
    for c in upright:
        cc = _center(c)
        # within the tolerance of the smaller of the row's first char and this
        # one: a nameplate's 60 pt chars do not gather the small lines of the
        # ears beside them into one row
        if rows and cc - anchor <= ROW_TOLERANCE * (c.size if c.size < anchor_size else anchor_size):
            rows[-1].append(c)
        else:
            rows.append([c])
            anchor = cc
            anchor_size = c.size
    sizes = Counter(round(c.size * 4) / 4 for c in upright)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    # vertical text (char under char) is read down its columns, not across them
    rows, vertical = _take_vertical(rows)
    # 2. split each row into runs at gutters and vertical rules; a wide gap
    #    between Latin words is only a gutter if whitespace runs down the page
    row_frags: list[list[list[Char]]] = []
    row_hard: list[list[bool]] = []
    glued: set[int] = set()  # ids of chars tracked to the char before them
    row_spaces: list[list[float]] = []
    for row in rows:
        ink = sorted((c for c in row if not _is_space(c)), key=lambda c: c.x0)
        if not ink:
            continue
        row_spaces.append(sorted((c.x0 + c.x1) / 2.0 for c in row if _is_space(c)))
        ink = _drop_overprints(ink)
        spacing = _letter_spacing(ink)
        tracked = _tracked(ink, body)
        frags = [[ink[0]]]
        hard: list[bool] = []
        for k in range(1, len(ink)):
            c = ink[k]
            cur = frags[-1]
            p = cur[-1]
            right = max(x.x1 for x in cur[-3:])
            gap = c.x0 - right
            em = min(p.size, c.size)
            # digits or Latin words inside Chinese text follow the CJK rule
            latin = not is_cjk(p.text[-1]) and not is_cjk(c.text[0]) and not any(is_cjk(x.text[0]) for x in cur[-6:])
            if (cuts and _ruling_between(cuts, cut_xs, p, c)) or _other_baseline(p, c):
                hard.append(True)
            elif tracked[k]:
                glued.add(id(c))  # letter-spaced title: one line across the gutters under it
                cur.append(c)
                continue
            elif (gap + (0.5 * c.size if c.text[0] in OPENING else 0.0)) > 0.3 * em and abs(p.size - c.size) > 0.2 * max(
                p.size, c.size
            ):  # (an opening bracket's ink is in the right half of its cell)
                hard.append(True)  # type size changes across a gap: two things side by side
            elif latin and gap > SPLIT_GAP_LATIN_ALWAYS * em:
                hard.append(True)
            elif (
                not latin
                and SPLIT_GAP_CJK * em < gap <= SPLIT_GAP_CJK_ALWAYS * em
                and (not is_cjk(p.text[-1]) or not is_cjk(c.text[0]) or _space_between(row_spaces[-1], right, c.x0))
            ):
                # as wide as a gutter, but next to a Latin word, digits or a
                # space a justified line stretches its gaps that wide too: a
                # gutter only where whitespace runs down the rows around it,
                # or at the page's column edges
                hard.append(False)
            elif not latin and gap > SPLIT_GAP_CJK * em:
                hard.append(True)
            elif latin and gap > SPLIT_GAP_LATIN * em:
                hard.append(False)
            elif not latin and gap - spacing * em > SPLIT_GAP_CJK_RIVER * em:
                hard.append(False)  # a narrow gutter, if whitespace runs through the rows around
            elif (
                not latin
                and em > TITLE_SIZE * body
                and gap - spacing * em > SPLIT_GAP_TITLE * em
                and not _space_between(row_spaces[-1], right, c.x0)
            ):
                hard.append(False)  # two titles side by side, if the second starts a column
            else:
                cur.append(c)
                continue
            frags.append([c])
        row_frags.append(frags)
        row_hard.append(hard)
    runs, run_rows = _join_word_gaps(row_frags, row_hard, row_spaces, body)
    # 3. merge runs of one printed line that fell into two rows (mixed fonts
    #    have different ascent/descent, so their centres differ a little)
    runs = _merge_split_rows(runs, run_rows, cuts, cut_xs)
    runs = _split_at_column_edges(runs, glued)
    runs = _attach_superscripts(runs, glued)
    out: list[CharLine] = vertical + rotated
    for run, spaces in runs:
        ln = CharLine(sorted(run, key=lambda c: c.x0))
        _assemble_text(ln, spaces, glued)
        out.append(ln)
    out.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return out


def _take_rotated(chars: list[Char]) -> tuple[list[CharLine], list[Char]]:
    """Lines of rotated glyphs (upright False), and the chars left.

    A rotated run is read in the PDF's drawing order: its glyphs stack along
    the run's axis, so rows by vertical centre would read each on a line of
    its own ("m | o | c" for ".com" set up the margin).  A run holds the
    glyphs drawn one after another, each within ROTATED_GAP em of the one
    before it; runs with CJK, or shorter than ROTATED_MIN_CHARS, stay.
    """
    if all(c.upright for c in chars):
        return [], chars
    runs: list[list[Char]] = []
    for c in chars:
        if c.upright:
            continue
        if runs:
            p = runs[-1][-1]
            em = max(p.size, c.size)
            gap = max(c.x0 - p.x1, p.x0 - c.x1, c.top - p.bottom, p.top - c.bottom)
            if gap <= ROTATED_GAP * em:
                runs[-1].append(c)
                continue
        runs.append([c])
    taken: set[int] = set()
    out: list[CharLine] = []
    for run in runs:
        ink = [c for c in run if not _is_space(c)]
        if len(ink) < ROTATED_MIN_CHARS or any(is_cjk(c.text[0]) for c in ink):
            continue
        parts: list[str] = []
        char_at: list[int | None] = []
        for i, c in enumerate(run):
            if i and not _is_space(c) and not _is_space(run[i - 1]):
                p = run[i - 1]
                gap = max(c.x0 - p.x1, p.x0 - c.x1, c.top - p.bottom, p.top - c.bottom)
                if gap > SPACE_GAP_LATIN * 2 * min(p.size, c.size):
                    parts.append(" ")
                    char_at.append(None)
            text = " " if _is_space(c) else c.text
            parts.append(text)
            char_at.extend([i] * len(text))
        out.append(CharLine(run, "".join(parts), char_at, vertical=True))
        taken.update(id(c) for c in run)
    return out, [c for c in chars if id(c) not in taken]


_REFERENCE_MARK = re.compile(r"^[\d,\-–—*†‡§¶\u2460-\u2473\[\]()]+$")


def _attach_superscripts(
    runs: list[tuple[list[Char], list[float]]], glued: set[int]
) -> list[tuple[list[Char], list[float]]]:
    """Superscripts are part of the line they ride on, never lines of their own.

    A superscript is a short run set smaller (SUPERSCRIPT_RATIO) than a line
    it touches sideways, its foot raised above that line's foot.  Reference
    marks (digits, daggers, ①) are dropped: "drugs²." reads "drugs."; letters
    (21ˢᵗ, Mˡˡᵉ) join the line, glued to the char before them.
    """
    if len(runs) < 2:
        return runs
    info = []
    for k, (run, _) in enumerate(runs):
        ink = [c for c in run if not _is_space(c)]
        if not ink:
            info.append(None)
            continue
        info.append((
            statistics.median(c.size for c in ink), min(c.x0 for c in ink), max(c.x1 for c in ink),
            min(c.top for c in ink), max(c.bottom for c in ink), len(ink),
        ))
    order = sorted((k for k in range(len(runs)) if info[k]), key=lambda k: info[k][3])
    tops = [info[k][3] for k in order]
    hosts: dict[int, int] = {}
    for s_k, inf in enumerate(info):
        if inf is None or inf[5] > SUPERSCRIPT_MAX_CHARS:
            continue
        text = "".join(c.text for c in runs[s_k][0] if not _is_space(c))
        if not _REFERENCE_MARK.match(text) and not (text.isalpha() and text.islower()):
            continue  # a capital beside a line (a drop cap by a headline) is no superscript
        size, x0, x1, top, bottom, _ = inf
        best = None
        lo = bisect.bisect_left(tops, top - 3.0 * size / SUPERSCRIPT_RATIO)
        hi = bisect.bisect_right(tops, bottom)
        for h_k in order[lo:hi]:
            if h_k == s_k:
                continue
            hsize, hx0, hx1, htop, hbottom, hn = info[h_k]
            if size > SUPERSCRIPT_RATIO * hsize or hn <= inf[5]:
                continue
            if not (htop - 0.3 * hsize <= top and bottom <= hbottom - SUPERSCRIPT_RAISE * hsize):
                continue
            if (top + bottom) / 2 >= (htop + hbottom) / 2:
                continue
            if x1 < hx0 - SUPERSCRIPT_GAP * hsize or x0 > hx1 + SUPERSCRIPT_GAP * hsize:
                continue
            if best is None or abs(hbottom - bottom) < abs(info[best][4] - bottom):
                best = h_k
        if best is not None:
            hosts[s_k] = best
    if not hosts:
        return runs
    # a superscript's host is no superscript itself
    hosts = {s_k: h_k for s_k, h_k in hosts.items() if h_k not in hosts}
    extra: dict[int, list[Char]] = {}
    for s_k, h_k in hosts.items():
        run = [c for c in runs[s_k][0] if not _is_space(c)]
        text = "".join(c.text for c in sorted(run, key=_x0))
        host = runs[h_k][0]
        hsize = info[h_k][0]
        end = max(c.x1 for c in run)
        # the char right after the mark follows on without a gap-made space
        # (the mark filled the gap); one a word space away keeps its space
        after = [c for c in host if c.x0 >= end - 0.5]
        nxt = min(after, key=_x0) if after else None
        if nxt is not None and nxt.x0 - end <= SPACE_GAP_LATIN * hsize:
            glued.add(id(nxt))
        if _REFERENCE_MARK.match(text):
            continue
        run.sort(key=_x0)
        before = [c for c in host if c.x1 <= run[0].x0 + 0.5]
        if before and run[0].x0 - max(c.x1 for c in before) <= SPACE_GAP_LATIN * hsize:
            glued.add(id(run[0]))
        extra.setdefault(h_k, []).extend(run)
    out = []
    for k, (run, spaces) in enumerate(runs):
        if k in hosts:
            continue
        if k in extra:
            run = run + extra[k]
        out.append((run, spaces))
    return out


def _vertical_line(chars: list[Char]) -> CharLine:
    ln = CharLine(chars, "".join(c.text for c in chars), vertical=True)
    ln.char_at = [i for i, c in enumerate(chars) for _ in c.text]
    return ln


_x0 = operator.attrgetter("x0")
_size = operator.attrgetter("size")


_PUNCT: dict[str, bool] = {}


def _is_punct(c: Char) -> bool:
    ch = c.text[0]
    p = _PUNCT.get(ch)
    if p is None:
        p = _PUNCT[ch] = unicodedata.category(ch)[0] == "P"
    return p


def _take_vertical(rows: list[list[Char]]) -> tuple[list[list[Char]], list[CharLine]]:
    """Take text set vertically out of the rows: one CharLine per block of columns.

    In horizontal text a char's neighbours in its line are closer than the
    chars above and below it (letter spacing < leading); in vertical text it
    is the other way round.  A char is a candidate when the chars beside it
    in its row are at least VERTICAL_SIDE_GAP em away (or there are none); a
    candidate links to the candidate right under it (same size, x centres
    within VERTICAL_ALIGN em) when the gap between them is at most
    VERTICAL_GAP em and clearly narrower than the gaps beside either
    (VERTICAL_MARGIN em less, at most VERTICAL_RATIO of them).  Chains
    of VERTICAL_MIN_CHARS CJK chars are columns; columns of one size side by
    side (at most VERTICAL_COLUMN_GAP em apart, overlapping in height) are
    one block, read top to bottom, columns right to left.  Body text never
    qualifies: its chars have neighbours almost touching them in the row.
    """
    side: dict[int, float] = {}  # id(char) -> gap to its nearest neighbour in the row, em
    cands: list[Char] = []
    inf = float("inf")
    for row in rows:
        row.sort(key=_x0)  # (in place: the rows are read in x order after this too)
        ink = [c for c in row if not c.text.isspace()]
        n = len(ink)
        over, near = VERTICAL_OVER, VERTICAL_SIDE_GAP
        for k, c in enumerate(ink):
            em = c.size
            # a neighbour (almost) touching it: a char of a line (most chars
            # of a page leave here, so this comes first and stays cheap)
            if k > 0 and over * em <= c.x0 - ink[k - 1].x1 < near * em:
                continue
            if k + 1 < n and over * em <= ink[k + 1].x0 - c.x1 < near * em:
                continue
            if not c.upright or not is_cjk(c.text[0]):
                continue
            if _is_punct(c):
                # set in a corner of its cell, its box may reach over the next
                # column's char; the ideographs settle the column
                side[id(c)] = inf
                cands.append(c)
                continue
            # punctuation of the next column, set in a corner of its cell, may
            # reach over this char: it is not a neighbour in a line
            j = k - 1
            while j >= 0 and ink[j].x1 - c.x0 > -VERTICAL_OVER * em and _is_punct(ink[j]):
                j -= 1
            left = (c.x0 - ink[j].x1) / em if j >= 0 else inf
            j = k + 1
            while j < n and c.x1 - ink[j].x0 > -VERTICAL_OVER * em and _is_punct(ink[j]):
                j += 1
            right = (ink[j].x0 - c.x1) / em if j < n else inf
            gap = min(left, right)
            if gap >= VERTICAL_SIDE_GAP:
                side[id(c)] = gap
                cands.append(c)
    if len(cands) < VERTICAL_MIN_CHARS:
        return rows, []
    cands.sort(key=lambda c: (c.x0 + c.x1) / 2.0)
    xs = [(c.x0 + c.x1) / 2.0 for c in cands]
    below: dict[int, Char] = {}
    has_above: set[int] = set()
    for c in cands:
        xc, em = (c.x0 + c.x1) / 2.0, c.size
        lo = bisect.bisect_left(xs, xc - em)
        hi = bisect.bisect_right(xs, xc + em)
        best: Char | None = None
        best_key = (inf, inf)
        for d in cands[lo:hi]:
            if d is c or abs(d.size - em) > 0.1 * em:
                continue
            dx = abs((d.x0 + d.x1) / 2.0 - xc)
            if _is_punct(c) or _is_punct(d):
                if min(c.x1, d.x1) - max(c.x0, d.x0) < VERTICAL_PUNCT_OVERLAP * em:
                    continue
            elif dx > VERTICAL_ALIGN * em:
                continue
            v = (d.top - c.bottom) / em
            if -0.1 <= v <= VERTICAL_GAP and (round(d.top, 1), dx) < best_key:
                best, best_key = d, (round(d.top, 1), dx)
        if best is not None:
            v = (best.top - c.bottom) / em
            beside = min(side[id(c)], side[id(best)])
            if v + VERTICAL_MARGIN < beside and v <= VERTICAL_RATIO * beside and id(best) not in has_above:
                below[id(c)] = best
                has_above.add(id(best))
    chains: list[list[Char]] = []
    short: list[list[Char]] = []  # too short to be a column alone: perhaps a block's last column
    for c in cands:
        if id(c) in has_above:
            continue
        chain = [c]
        while id(chain[-1]) in below:
            chain.append(below[id(chain[-1])])
        n_ideo = sum(1 for x in chain if not _is_punct(x))
        if n_ideo >= VERTICAL_MIN_CHARS:
            chains.append(chain)
        else:  # a few chars, or only the closing 。 of a caption
            short.append(chain)
    if not chains:
        return rows, []
    # columns side by side: one block, read right to left
    def centre(ch: list[Char]) -> float:  # of the column's ideographs (punctuation sits off centre)
        ideo = [c for c in ch if not _is_punct(c)] or ch
        return statistics.median((c.x0 + c.x1) / 2.0 for c in ideo)

    chains.sort(key=lambda ch: -centre(ch))
    blocks: list[list[list[Char]]] = []
    for ch in chains:
        xc = centre(ch)
        top, bottom, em = ch[0].top, ch[-1].bottom, ch[0].size
        for blk in blocks:
            prev = blk[-1]
            if (
                abs(prev[0].size - em) <= 0.1 * em
                and 0.5 * em <= centre(prev) - xc <= (1.0 + VERTICAL_COLUMN_GAP) * em
                and min(bottom, prev[-1].bottom) - max(top, prev[0].top) > 0
            ):
                blk.append(ch)
                break
        else:
            blocks.append([ch])
    # a short last column (摄）。) follows its block when it starts at the block's top
    short.sort(key=lambda ch: -centre(ch))
    for ch in short:
        xc, em = centre(ch), ch[0].size
        for blk in blocks:
            prev = blk[-1]
            if (
                abs(prev[0].size - em) <= 0.1 * em
                and 0.5 * em <= centre(prev) - xc <= (1.0 + VERTICAL_COLUMN_GAP) * em
                and abs(ch[0].top - blk[0][0].top) <= 0.5 * em
                and ch[-1].bottom <= prev[-1].bottom + 0.5 * em
            ):
                blk.append(ch)
                chains.append(ch)
                break
    taken = {id(c) for ch in chains for c in ch}
    rows = [r for r in ([c for c in row if id(c) not in taken] for row in rows) if r]
    return rows, [_vertical_line([c for ch in blk for c in ch]) for blk in blocks]


def _tracked(ink: list[Char], body: float) -> list[bool]:
    """For each char of a row (sorted by x0): is it letter-spaced to the one before?

    A headline set with wide tracking ("全 国 宣 传 部 长 会 议") across
    several columns has gaps wider than a gutter, and some of its chars
    start where the columns below start.  What makes it one line is that
    the gaps are all the same: at least TRACK_MIN_GAPS consecutive gaps
    between same-size title chars (TITLE_SIZE x body and up) that differ by
    no more than TRACK_TOLERANCE em, none wider than TRACK_MAX em.  Two
    titles side by side are each set solid or tracked, with a gutter between
    them that stands out from both.
    """
    n = len(ink)
    out = [False] * n
    if n <= TRACK_MIN_GAPS or max(ink, key=_size).size < TITLE_SIZE * body:
        return out
    gaps = [0.0] + [ink[k].x0 - ink[k - 1].x1 for k in range(1, n)]
    i = 1
    while i < n:
        a = ink[i - 1]
        size = a.size
        if size < TITLE_SIZE * body:
            i += 1
            continue
        ref = gaps[i]
        tol = TRACK_TOLERANCE * size
        j = i
        while (
            j < n
            and abs(ink[j].size - size) <= 0.05 * size
            and abs(gaps[j] - ref) <= tol
            and -tol <= gaps[j] <= TRACK_MAX * size
        ):
            j += 1
        if j - i >= TRACK_MIN_GAPS:
            for k in range(i, j):
                out[k] = True
            i = j
        else:
            i += 1
    return out


def _space_between(space_centres: list[float], x0: float, x1: float) -> bool:
    """The PDF has a space char between x0 and x1: a word space of one line."""
    k = bisect.bisect_left(space_centres, x0)
    return k < len(space_centres) and space_centres[k] <= x1


def _letter_spacing(ink: list[Char]) -> float:
    """The row's usual gap between neighbouring chars, in em (median).

    Gutters are a few gaps among many, so the median is the letter spacing
    the setter used; a gutter must stand out from it.
    """
    gaps = [max(0.0, (b.x0 - a.x1) / (min(a.size, b.size) or 1.0)) for a, b in zip(ink, ink[1:])]
    return statistics.median(gaps) if gaps else 0.0


def _join_word_gaps(
    row_frags: list[list[list[Char]]], row_hard: list[list[bool]], row_spaces: list[list[float]], body: float
) -> tuple[list[tuple[list[Char], list[float]]], list[int]]:
    """Runs of each row (and the row each came from): tentative splits are kept only where a gutter runs.

    First by the whitespace river around each gap; then, for gutter-wide
    gaps (a body em at least) in short columns or between titles (too few
    rows for a river), by the page's column edges: x positions where many
    lines start.
    """
    centres = [statistics.median(_center(f[0]) for f in frags) for frags in row_frags]
    spans = [[(min(c.x0 for c in f), max(c.x1 for c in f)) for f in frags] for frags in row_frags]
    starts = [[sp[0] for sp in row] for row in spans]
    split: list[list[bool]] = []
    for r, frags in enumerate(row_frags):
        split.append(
            [
                hard
                or _is_river(
                    r, spans[r][k][1], spans[r][k + 1][0], frags[k + 1][0].size, centres, spans, starts,
                    enclosed_ends=not _cjk_gap(frags[k][-1], frags[k + 1][0]),
                )
                for k, hard in enumerate(row_hard[r])
            ]
        )
    # column edges: where lines start after the first pass
    edge_count: Counter[int] = Counter()
    for r, frags in enumerate(row_frags):
        edge_count[int(round(spans[r][0][0] * 2))] += 1
        for k, cut in enumerate(split[r]):
            if cut:
                edge_count[int(round(spans[r][k + 1][0] * 2))] += 1
    edges = sorted(key / 2 for key, n in edge_count.items() if n >= PAGE_EDGE_SUPPORT)
    # CJK text has no word spaces: the same stand-out gap (both edges within
    # a point) on several rows anywhere on the page is the page's column
    # grid, even in modules too short for a river
    # and where some line of the page starts (a column's left edge, not the
    # space after a dateline's 本报讯 repeated down a brief column)
    grid: Counter[tuple[int, int]] = Counter()
    line_starts: set[int] = set()
    for r, frags in enumerate(row_frags):
        line_starts.add(round(spans[r][0][0]))
        for k, cut in enumerate(split[r]):
            if cut:
                line_starts.add(round(spans[r][k + 1][0]))
            elif _cjk_gap(frags[k][-1], frags[k + 1][0]):
                grid[(round(spans[r][k][1]), round(spans[r][k + 1][0]))] += 1

    def on_grid(g0: float, g1: float) -> bool:
        a, b = round(g0), round(g1)
        if not any(b + j in line_starts for j in (-1, 0, 1)):
            return False
        return sum(grid[(a + i, b + j)] for i in (-1, 0, 1) for j in (-1, 0, 1)) >= GRID_ROWS

    for r, frags in enumerate(row_frags):
        for k, cut in enumerate(split[r]):
            if cut:
                continue
            g0, g1 = spans[r][k][1], spans[r][k + 1][0]
            em = frags[k + 1][0].size
            if _cjk_gap(frags[k][-1], frags[k + 1][0]) and on_grid(g0, g1):
                split[r][k] = True
                continue
            # the next word starts right at a column edge: a (narrow) gutter
            i = bisect.bisect_left(edges, g1 - 1.0)
            if i < len(edges) and edges[i] <= g1 + 1.0 and not _indent_at(edges, edges[i], em):
                split[r][k] = True
                continue
            if g1 - g0 < GUTTER_EM * min(em, body):  # gutters are set in body ems
                continue
            # a column edge inside a gutter-wide gap, the next line indented (or set flush
            # right, as jump and credit lines are: it may start far inside the column)
            i = bisect.bisect_left(edges, g0 + 0.3 * em)
            if i < len(edges) and edges[i] <= g1 + 0.6 and g1 - edges[i] <= SPLIT_GAP_LATIN_ALWAYS * em:
                # lines starting 0.5-3 em left of it: a paragraph indent
                j = bisect.bisect_left(edges, edges[i] - 3.0 * em)
                if not (j < len(edges) and edges[j] <= edges[i] - 0.5 * em):
                    split[r][k] = True
    runs: list[tuple[list[Char], list[float]]] = []
    run_rows: list[int] = []
    for r, frags in enumerate(row_frags):
        cur = list(frags[0])
        for k, cut in enumerate(split[r]):
            if cut:
                runs.append((cur, row_spaces[r]))
                run_rows.append(r)
                cur = list(frags[k + 1])
            else:
                cur.extend(frags[k + 1])
        runs.append((cur, row_spaces[r]))
        run_rows.append(r)
    return runs, run_rows


def _cjk_gap(a: Char, b: Char) -> bool:
    """A gap with CJK text on at least one side (no word spaces there)."""
    return is_cjk(a.text[-1]) or is_cjk(b.text[0])


def _indent_at(edges: list[float], x: float, em: float) -> bool:
    """Lines also start 0.5-3 em left of ``x``: ``x`` is a paragraph indent."""
    j = bisect.bisect_left(edges, x - 3.0 * em)
    return j < len(edges) and edges[j] <= x - 0.5 * em


def _is_river(
    r: int, g0: float, g1: float, em: float, centres: list[float], spans: list[list[tuple[float, float]]],
    starts: list[list[float]], enclosed_ends: bool = False,
) -> bool:
    """Whitespace [g0, g1] of row r is a gutter: the rows around it leave
    whitespace there too, and RIVER_ROWS of them (this one included) end it
    at the same x -- the next column's left edge.  Word spaces of
    neighbouring lines overlap by chance but almost never end together.

    Only right edges count: the left column's line ends vary (last lines of
    paragraphs) and so do the ends of first words.  An x where lines start
    just right of another shared start is a paragraph indent, not a column.

    With ``enclosed_ends`` (word-spaced text), whitespace closed above and
    below by lines running across it, each within two lines of the gap, is
    a river of loose justified lines inside one column: a gutter is never
    crossed by text on both sides.
    """
    ws: list[tuple[float, float]] = [(g0, g1)]
    closed = 0
    lone_right: list[float] = []
    seen_starts: list[float] = []
    for step in (-1, 1):
        k = r + step
        while 0 <= k < len(centres) and abs(centres[k] - centres[r]) <= RIVER_WINDOW * em:
            row = spans[k]
            i = bisect.bisect_left(starts[k], g1)
            near = [sp for sp in row[max(0, i - 3) : i + 2] if sp[1] > g0 - 3 * em and sp[0] < g1 + 3 * em]
            k += step
            if not near:
                continue
            seen_starts += [a for a, _ in near]
            best: tuple[float, float] | None = None
            best_ov = 0.0
            for (_, a1), (b0, _) in zip(near, near[1:]):
                ov = min(b0, g1) - max(a1, g0)
                if ov > best_ov:
                    best, best_ov = (a1, b0), ov
            if best is not None and best_ov >= RIVER_MIN * em:
                ws.append(best)
                continue
            covered = sum(max(0.0, min(b, g1) - max(a, g0)) for a, b in near)
            if covered > 0.5 * (g1 - g0):
                # ink across the gap: the whitespace ends here
                if any(a <= g0 and b >= g1 for a, b in near):
                    closed += 1
                break
            # ink on the right only (a neighbouring column set at other
            # baselines): its start still marks where a column starts
            if all(a >= g0 - 1.0 for a, _ in near):
                lone_right.append(near[0][0])
    if len(ws) + len(lone_right) < RIVER_ROWS:
        return False
    if enclosed_ends and closed == 2:
        return False
    edge = _shared_value(sorted(e for e in [w[1] for w in ws] + lone_right if g0 - 1.2 <= e <= g1 + 1.2))
    if edge is None:
        return False
    indent_base = _shared_value(sorted(x for x in seen_starts if edge - 3.0 * em <= x <= edge - 0.5 * em))
    return indent_base is None


def _shared_value(values: list[float]) -> float | None:
    """A value RIVER_ROWS of the sorted ``values`` share (within 1.2 pt)."""
    lo = 0
    for hi in range(len(values)):
        while values[hi] - values[lo] > 1.2:
            lo += 1
        if hi - lo + 1 >= RIVER_ROWS:
            return values[lo]
    return None


def _split_at_column_edges(
    runs: list[tuple[list[Char], list[float]]], glued: set[int] | frozenset[int] = frozenset()
) -> list[tuple[list[Char], list[float]]]:
    """Split runs that bridge a narrow gutter (hanging punctuation, tight gutters).

    A gap inside a run (or hanging punctuation overprinting the gutter) is a
    gutter when the char after it starts where other lines nearby, set in
    about the same size, start: a column's left edge is shared by many
    lines, a word space almost never.  (Titles span columns: body lines
    starting under a title's word space say nothing about the title.)
    """
    runs = [(sorted(r, key=lambda c: c.x0), sp) for r, sp in runs]
    bins: dict[int, list[tuple[float, float]]] = {}
    cands: list[tuple[int, int, float, float, float]] = []  # run, char index, x, y, size

    def add(x: float, y: float, size: float) -> None:
        bins.setdefault(int(round(x * 2)), []).append((y, size))

    for ri, (run, _) in enumerate(runs):
        size = statistics.median(c.size for c in run)
        y = statistics.median(_center(c) for c in run)
        add(run[0].x0, y, size)
        for k in range(1, len(run)):
            a, b = run[k - 1].text, run[k].text
            if not is_cjk(a[-1]) and not is_cjk(b[0]):
                continue  # Latin gaps are settled by the whitespace-river test
            if id(run[k]) in glued:
                continue  # inside a letter-spaced title
            gap = run[k].x0 - run[k - 1].x1
            # hanging punctuation overprints the next column's first char
            hangs = run[k - 1].text in HANGING and -0.75 * size <= gap < MIN_GUTTER_GAP * size
            if gap >= MIN_GUTTER_GAP * size or hangs:
                cands.append((ri, k, run[k].x0, y, size))
                if run[k].text[0] in OPENING:
                    # opening punctuation starting a line is set half an em
                    # out, its ink (the right half of its cell) on the edge
                    cands.append((ri, k, run[k].x0 + 0.5 * size, y, size))
    if not cands:
        return runs
    for ys in bins.values():
        ys.sort()
    def support(x0: float, x1: float, y: float, size: float) -> int:
        n = 0
        for key in range(int(round(x0 * 2)), int(round(x1 * 2)) + 1):
            ys = bins.get(key)
            if not ys:
                continue
            lo = bisect.bisect_left(ys, (y - EDGE_WINDOW * size, 0.0))
            hi = bisect.bisect_right(ys, (y + EDGE_WINDOW * size, float("inf")))
            n += sum(1 for yy, ss in ys[lo:hi] if abs(ss - size) <= 0.2 * size and abs(yy - y) > 0.3 * size)
        return n

    # the page's column edges: where many lines start anywhere on the page
    page_starts: dict[int, list[float]] = {}
    for run, _ in runs:
        page_starts.setdefault(int(round(run[0].x0 * 2)), []).append(run[0].size)

    def page_support(x0: float, x1: float, size: float) -> int:
        return sum(
            1
            for key in range(int(round(x0 * 2)), int(round(x1 * 2)) + 1)
            for ss in page_starts.get(key, ())
            if abs(ss - size) <= 0.2 * size
        )

    cuts_of: dict[int, list[int]] = {}
    for ri, k, x, y, size in cands:
        here = support(x - 0.5, x + 0.5, y, size)
        # a paragraph indent is shared by many lines too, but lines nearby
        # start further left, at the column edge; a column edge has only the
        # gutter to its left
        if here >= EDGE_SUPPORT and support(x - 3.0 * size, x - 0.6 * size, y, size) < here:
            cuts_of.setdefault(ri, []).append(k)
            continue
        # a story set in larger type than the rest keeps the page's grid
        on_page = page_support(x - 0.5, x + 0.5, size)
        if on_page >= PAGE_EDGE_SUPPORT and page_support(x - 3.0 * size, x - 0.6 * size, size) < on_page:
            cuts_of.setdefault(ri, []).append(k)
    out: list[tuple[list[Char], list[float]]] = []
    for ri, (run, sp) in enumerate(runs):
        ks = cuts_of.get(ri)
        if not ks:
            out.append((run, sp))
            continue
        start = 0
        for k in sorted(set(ks)):
            out.append((run[start:k], sp))
            start = k
        out.append((run[start:], sp))
    return out


def _merge_split_rows(
    runs: list[tuple[list[Char], list[float]]],
    run_rows: list[int],
    cuts: list[tuple[float, float, float]],
    cut_xs: list[float],
) -> list[tuple[list[Char], list[float]]]:
    if len(runs) < 2:
        return runs
    info = []
    for i, (run, _) in enumerate(runs):
        size = statistics.median(c.size for c in run)
        cy = statistics.median(_center(c) for c in run)
        info.append((cy, min(c.x0 for c in run), max(c.x1 for c in run), size, i))
    info.sort()
    centres = [t[0] for t in info]
    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, (cy, x0, x1, size, i) in enumerate(info):
        hi = bisect.bisect_right(centres, cy + 0.5 * size)
        for m in range(k + 1, hi):
            cy2, y0, y1, size2, j = info[m]
            if run_rows[i] == run_rows[j]:
                continue  # split on purpose (gutter, rule) within one row
            if abs(cy2 - cy) > 0.5 * min(size, size2) or abs(size - size2) > 0.35 * max(size, size2):
                continue
            if abs(size - size2) <= 0.05 * max(size, size2) and abs(cy2 - cy) > BASELINE_TOLERANCE * size:
                continue  # same size, other baseline: a neighbouring column
            gap = max(y0 - x1, x0 - y1)
            # a gap that would be a tentative gutter inside one row is not a
            # font change along one line (neighbouring columns whose
            # baselines happen to sit a fifth of an em apart)
            if gap <= SPLIT_GAP_LATIN * min(size, size2):
                a, b = (runs[i][0], runs[j][0]) if x0 <= y0 else (runs[j][0], runs[i][0])
                if cuts and _ruling_between(cuts, cut_xs, max(a, key=lambda c: c.x0), min(b, key=lambda c: c.x0)):
                    continue
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(runs)):
        groups.setdefault(find(i), []).append(i)
    merged: list[tuple[list[Char], list[float]]] = []
    for members in groups.values():
        if len(members) == 1:
            merged.append(runs[members[0]])
            continue
        chars = [c for i in members for c in runs[i][0]]
        spaces = sorted(s for i in members for s in runs[i][1])
        merged.append((chars, spaces))
    return merged
