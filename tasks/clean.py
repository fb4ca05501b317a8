"""Clean: printed lines -> paragraphs of normalised text.

Three jobs, each a pure function over strings or layout blocks:

``normalize_text``
    Normalises only what a reader cannot see.  Odd spaces become a space and
    runs collapse; invisible format chars go (ZWSP, ZWNJ, BOM, soft hyphen,
    bidi marks, and ZWJ except between emoji).  Compatibility forms a reader
    reads as the plain letter are folded with NFKC, but only in a whitelist of
    blocks: Latin ligatures (ﬁ → fi), CJK compatibility ideographs, Kangxi and
    supplementary radicals that CJK PDFs emit for ordinary ideographs (⽇ → 日),
    and full-width ASCII letters and digits (ＡＢＣ１２３ → ABC123, so that
    １２月３１日 reads 12月31日 for the dateline parser).  Full-width CJK
    punctuation （），。、；：“”！？ and full-width symbols (％ ～ ／) stay as
    printed, as do …, ①, ㎡, ℃, which NFKC would rewrite.  Stray spaces that
    extractors put at font changes are dropped: between a digit and a CJK
    character either way (``3月 28日`` → ``3月28日``, ``114 家`` → ``114家``),
    after a year or month (``2022年 城市`` → ``2022年城市``) and next to
    full-width punctuation.  Spaces between CJK words (``记者 孙庆辉``), between
    Latin words and Latin and digits (``COVID 19``, ``Page 3``) stay, and so
    does the space after a lead that ends in 讯/电/报 (``本报讯 3月28日``,
    ``高新时报 2022年``), which is printed.

``join_lines``
    Joins the wrapped lines of one paragraph: nothing across a break that
    touches CJK, one space between Latin words, and de-hyphenation that keeps
    real compounds (``dehyphenate`` has the rule and its order).

``paragraphs_from_blocks``
    Rebuilds paragraphs from body blocks in reading order, by first-line
    indents and short last lines when there is geometry, and by
    sentence-final punctuation on short lines when there is not.

Everything is linear in the text; regexes are compiled once at import.
"""

from __future__ import annotations

import gzip
import re
import statistics
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from tasks.model import Line, TextBlock

_DATA = Path(__file__).parent / "data"

# --------------------------------------------------------------------------
# character classes
# --------------------------------------------------------------------------

# Code point ranges of scripts set without word spaces (Han, kana, bopomofo)
# plus CJK punctuation and full-width forms.  Hangul is not here: Korean is
# written with spaces between words, so it joins like Latin.
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x2FF0, 0x2FFF),  # ideographic description characters
    (0x3001, 0x303F),  # CJK symbols and punctuation (not U+3000, a space)
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),  # kanbun, bopomofo extended, strokes, katakana ext
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # compatibility forms, small form variants
    (0xFF01, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x3134F),  # extensions B-G, compatibility supplement
)
# Ideographs and kana only (no punctuation): the letters of CJK text.
_HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
# Full-width punctuation carries its own white space: a space next to it is
# never printed.
_CJK_PUNCT_RANGES: tuple[tuple[int, int], ...] = (
    (0x3001, 0x3003),
    (0x3008, 0x3011),
    (0x3014, 0x301F),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),
    (0xFF01, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


_CJK = _char_class(_CJK_RANGES)
_HAN = _char_class(_HAN_RANGES)
_CJK_PUNCT = _char_class(_CJK_PUNCT_RANGES)
_CJK_FROZEN = frozenset(
    o for a, b in _CJK_RANGES if b < 0x10000 for o in range(a, b + 1)
)


def is_cjk(ch: str) -> bool:
    """True for Han, kana, bopomofo, CJK punctuation and full-width forms.

    Only the first character of ``ch`` is looked at; '' is not CJK.
    """
    if not ch:
        return False
    o = ord(ch[0])
    if o < 0x2E80:
        return False
    if o < 0x10000:
        return o in _CJK_FROZEN
    return 0x20000 <= o <= 0x3134F


_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")


def text_script(s: str) -> str:
    """'cjk', 'latin', 'mixed' or '' by the letters of ``s``.

    'mixed' when the minority script has at least a fifth of the letters.
    """
    cjk = len(_CJK_RE.findall(s))
    latin = len(_LATIN_RE.findall(s))
    if not cjk and not latin:
        return ""
    # a Latin letter is about half a CJK character wide: weigh by width
    if cjk >= 4 * latin / 2:
        return "cjk" if latin == 0 or cjk >= 4 * latin else "mixed"
    if latin / 2 >= 4 * cjk:
        return "latin"
    return "mixed"


# --------------------------------------------------------------------------
# normalize_text
# --------------------------------------------------------------------------

_ODD_SPACES = "\t\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c"  # zero-width space, non-joiner
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi marks
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\ufeff"  # BOM / zero-width no-break space
)
# Blocks whose NFKC form is what a reader reads.
_NFKC_RANGES: tuple[tuple[int, int], ...] = (
    (0xFB00, 0xFB06),  # Latin ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
    (0xFB13, 0xFB17),  # Armenian ligatures
    (0x2E80, 0x2EF3),  # CJK radicals supplement (the two with NFKC forms)
    (0x2F00, 0x2FD5),  # Kangxi radicals -> ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
    (0xFF10, 0xFF19),  # full-width digits
    (0xFF21, 0xFF3A),  # full-width A-Z
    (0xFF41, 0xFF5A),  # full-width a-z
)


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): " " for c in _ODD_SPACES}
    table.update({ord(c): "" for c in _INVISIBLE})
    table.update({ord(c): "\n" for c in "\r\x85\u2028\u2029"})
    for a, b in _NFKC_RANGES:
        for o in range(a, b + 1):
            n = unicodedata.normalize("NFKC", chr(o))
            if n != chr(o):
                table[o] = n
    return table


_TABLE = _build_table()
_TABLE_RUN = re.compile(
    "["
    + re.escape(_ODD_SPACES + _INVISIBLE + "\r\x85\u2028\u2029")
    + _char_class(_NFKC_RANGES)
    + "]+"
)


def _translate_run(m: re.Match[str]) -> str:
    return m.group().translate(_TABLE)


_PICT = "\u2600-\u27bf\U0001f000-\U0001faff"
# ZWJ is kept only inside an emoji sequence (👨‍👩‍👧): pictograph (or VS16) before, pictograph after.
_ZWJ_STRAY = re.compile(f"(?<![{_PICT}\ufe0f])\u200d|\u200d(?![{_PICT}])")
_FW_DECIMAL = re.compile(r"(?<=[0-9])．(?=[0-9])")
_SPACE_RUN = re.compile(r" {2,}")
_SPACE_NL = re.compile(r" ?\n ?")
# digit|CJK boundaries: spaces put there by extractors at a font change.
# Kept after 讯/电/报, which end a printed lead (本报讯 3月28日, XX日报 2022年).
# Every pattern below starts with the literal space (its lookbehinds come
# after it) so the regex engine skips from space to space.
# Only around a bare number (3, 2008, 3.5): 5G, COVID-19 are Latin tokens and keep their spaces.
_STRAY_BEFORE_NUMBER = re.compile(
    f" (?<=[{_HAN}] )(?<![讯电报] )(?=[0-9][0-9.,]*(?![0-9.,A-Za-z_\\-]))"
)
_STRAY_AFTER_NUMBER = re.compile(f"([0-9])(?<![A-Za-z0-9_.,\\-][0-9])([0-9.,]*) (?=[{_HAN}])")
_STRAY_DATE = re.compile(f" (?<=[0-9][年月] )(?=[{_HAN}])")
_STRAY_PUNCT = re.compile(
    f" (?:(?<=[{_CJK_PUNCT}] )|(?=[{_CJK_PUNCT}])"
    f"|(?<=[“‘] )(?=[{_HAN}])|(?<=[{_HAN}] )(?=[”’]))"  # inside curly quotes around CJK
)


def normalize_text(s: str) -> str:
    """Normalise what a reader cannot see (module docstring has the rules).

    Newlines are kept; spaces around them and at both ends are removed.
    Idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
    """
    if not s:
        return ""
    if "\r\n" in s:
        s = s.replace("\r\n", "\n")
    s = _TABLE_RUN.sub(_translate_run, s)
    if "\u200d" in s:
        s = _ZWJ_STRAY.sub("", s)
    if "  " in s:
        s = _SPACE_RUN.sub(" ", s)
    if "\n" in s:
        s = _SPACE_NL.sub("\n", s)
    if " " in s and _CJK_RE.search(s):
        # order matters: _STRAY_DATE looks two chars back, past a space
        # that _STRAY_AFTER_NUMBER may just have removed (2022 年 城市).
        s = _STRAY_BEFORE_NUMBER.sub("", s)
        s = _STRAY_AFTER_NUMBER.sub(r"\1\2", s)
        s = _STRAY_DATE.sub("", s)
        s = _STRAY_PUNCT.sub("", s)
    if "．" in s:  # last: the space rules above treat ． as CJK punctuation
        s = _FW_DECIMAL.sub(".", s)
    return s.strip()


# --------------------------------------------------------------------------
# join_lines
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lowercase English words (SCOWL size 50, US + UK), shipped in tasks/data."""
    with gzip.open(_DATA / "english_words.txt.gz", "rt", encoding="ascii") as f:
        return frozenset(w for w in f.read().split())


# A line-end hyphen after one of these is a compound (long-term, self-evident,
# well-known, ex-wife) unless the joined form is itself a word.
COMPOUND_PREFIXES = frozenset(
    """
    all anti best better co counter cross ex far first full half hard high ill
    late least less long low mid middle multi near neo non old one open over
    post pre pro quasi second self semi short so third three two vice well
    wide world worst four five six seven eight nine ten twenty thirty forty
    fifty hundred thousand million billion year day week month
    """.split()
)
# A fragment that is one of these after a line-end hyphen is the tail of one
# word (well-ness, long-ing): joined even when the list lacks the whole word.
WORD_TAILS = frozenset(
    """
    ing ings ed er ers est ly ness nesses ment ments tion tions sion sions ity
    ities able ably ible ibly ful fully less lessly ship ships ism isms ist ists
    ise ised ises ising ize ized izes izing ance ances ence ences ant ants ent
    ents ous ously ive ively al ally ial ian ians ary ory ate ated ates ating
    ure ures age ages dom hood ic ics ical ically ward wards
    """.split()
)
_HYPHENS = "-\u2010"  # hyphen-minus, hyphen; U+2011 is a non-breaking hyphen: never a break
_DASHES = "\u2013\u2014\u2015"  # en dash, em dash, horizontal bar
# Punctuation both scripts use: to decide CJK or not, look past it.
_NEUTRAL = frozenset("“”‘’\"'—–―…·•()[]«»-\u2010")
_OPENERS = frozenset("“‘([{«")
_ATTACH_LEFT = frozenset("”’)]}»,.;:!?%")
_TRAIL_WORD = re.compile(r"[^\W\d_]+$")
_LEAD_WORD = re.compile(r"^[^\W\d_]+")


def _effective_end(s: str) -> str:
    for i in range(len(s) - 1, max(-1, len(s) - 6), -1):
        if s[i] not in _NEUTRAL:
            return s[i]
    return s[-1]


def _effective_start(s: str) -> str:
    for i in range(min(len(s), 5)):
        if s[i] not in _NEUTRAL:
            return s[i]
    return s[0]


def _is_cjk_line(s: str) -> bool:
    """True when most of a printed line is CJK (by width, roughly).

    Counted from the UTF-8 length, which costs one C-level encode: a CJK
    character takes three bytes, an ASCII one a single byte.
    """
    n = len(s)
    extra = len(s.encode("utf-8", "surrogatepass")) - n
    if not extra:
        return False
    wide = extra / 2
    return wide >= (n - wide) / 2 and _CJK_RE.search(s) is not None


def _plausible_word(w: str, words: frozenset[str]) -> bool:
    if w in words:
        return True
    for tail, repl in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""),
                       ("ing", "e"), ("ly", ""), ("er", ""), ("ers", ""), ("est", "")):
        if w.endswith(tail) and len(w) - len(tail) >= 3 and w[: len(w) - len(tail)] + repl in words:
            return True
    return False


def dehyphenate(left: str, right: str) -> bool:
    """Should ``left-`` at a line end and ``right`` on the next line join as one word?

    ``left`` is the run of letters before the hyphen, ``right`` the run of
    letters that starts the next line (lowercase start already checked).
    The rule, in order:

    1. a one-letter or all-caps ``left`` is kept hyphenated (e-mail, x-ray,
       COVID-related): hyphenation never leaves one letter, nor breaks acronyms;
    2. joined, if the joined form (or it less an inflection) is an English
       word (inter-national → international);
    3. joined, if ``right`` is a word tail (well-ness → wellness);
    4. kept, if ``left`` is a compound-forming word (long-term, well-known,
       self-evident);
    5. kept, if both halves are words but the whole is not
       (state-owned, decision-making);
    6. otherwise joined: most line-end hyphens in justified text are breaks.
    """
    if len(left) < 2 or left.isupper():
        return False
    words = english_words()
    lw, rw = left.lower(), right.lower()
    if _plausible_word(lw + rw, words):
        return True
    if rw in WORD_TAILS:
        return True
    if lw in COMPOUND_PREFIXES:
        return False
    if not left[0].isupper() and len(lw) >= 3 and len(rw) >= 3 and lw in words and _plausible_word(rw, words):
        return False
    return True


def _hyphen_joint(prev: str, nxt: str) -> tuple[str, bool]:
    """(joiner, drop the hyphen) for ``prev`` ending in a hyphen."""
    body = prev[:-1]
    first = nxt[0]
    if not body or body[-1].isspace():  # a spaced hyphen is a dash
        return ("" if is_cjk(_effective_start(nxt)) else " "), False
    if is_cjk(body[-1]) or is_cjk(first):
        return "", False
    if not first.isalpha() or not first.islower():  # COVID-19, anti-American, "-("
        return "", False
    m = _TRAIL_WORD.search(body)
    if m is None:  # 3- / year 2020- : a number range or a digit compound
        return "", False
    left = m.group()
    start = m.start()
    if start > 0 and (body[start - 1] in _HYPHENS or body[start - 1].isdigit()):
        return "", False  # state-of-the-, mother-in-, 3D-: already a compound
    rm = _LEAD_WORD.match(nxt)
    right = rm.group() if rm else ""
    return "", dehyphenate(left, right)


def _joint(prev: str, nxt: str, prev_cjk: bool, next_cjk: bool) -> tuple[str, bool]:
    a = prev[-1]
    if a == "\u00ad":  # a soft hyphen printed at a break is discretionary
        return "", True
    if a in _HYPHENS:
        return _hyphen_joint(prev, nxt)
    left, right = _effective_end(prev), _effective_start(nxt)
    if is_cjk(left) or is_cjk(right):
        return "", False
    if a in _OPENERS or nxt[0] in _ATTACH_LEFT:  # “ + Hello, 3.5 + %, word + ,
        return "", False
    if a in _DASHES:  # mirror the spacing before the dash: "word —" or "word—"
        return (" " if len(prev) > 1 and prev[-2].isspace() else ""), False
    if prev_cjk or next_cjk:  # Latin inside CJK text: a space only between words (New York), not in 40|0
        return (" " if left.isalpha() and right.isalpha() else ""), False
    return " ", False


def join_lines(lines: list[str]) -> str:
    """Join the wrapped printed lines of one paragraph.

    No space across a break when either side is CJK (looking past quotes and
    dashes both scripts use), one space between Latin words, a line-end
    hyphen removed only when ``dehyphenate`` says the halves are one word,
    and a soft hyphen at a line end always removed.  An em/en dash at a line
    end is followed by a space only when one stands before it (open style).
    Blank lines are skipped (a column break inside a word).
    """
    parts: list[str] = []
    prev = ""
    prev_cjk = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        cjk = _is_cjk_line(line)
        if parts:
            joiner, drop = _joint(prev, line, prev_cjk, cjk)
            if drop:
                parts[-1] = parts[-1][:-1]
            if joiner:
                parts.append(joiner)
        parts.append(line)
        prev, prev_cjk = line, cjk
    return "".join(parts)


# --------------------------------------------------------------------------
# paragraphs_from_blocks
# --------------------------------------------------------------------------

SENTENCE_FINAL = frozenset("。！？!?.…．｡‼⁇⁈⁉")
# closing quotes end a sentence themselves (…“两区四高地”); brackets are looked past
_FINAL_QUOTES = frozenset("”’\"'」』﹂﹄｣")
_CLOSERS = frozenset("”’\"'」』﹂﹄｣）)】〕》〉]")
# fraction of an em a first-line indent must reach (CJK indents 2 em, Latin
# 1 em, some papers an en); justified lines start within a point of the edge
INDENT_EM = 0.6
# an indent beyond this (em) is a centred or right-set line, not a paragraph indent
MAX_INDENT_EM = 4.0
# a line this far in (em) but not at the paragraph indent (± twice this) is set off
SETOFF_EM = 0.25
# a last line ends at least this far (em) before the column's right edge
# (plain text: before the width of a full line, which varies by about an em
# with punctuation squeezing, hence the larger margin)
SHORT_EM = 1.0
SHORT_EM_PLAIN = 1.5
# a CJK line this much (em) shorter than a full line is no body line's middle
# nor an indented first line: a paragraph (or a credit line) ends there
VERY_SHORT_EM = 4.0
# vertical gap (em) beyond the block's usual line gap that separates paragraphs
PARA_GAP_EM = 0.8


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (past closers)."""
    t = text.rstrip()
    if not t:
        return False
    if t[-1] in _FINAL_QUOTES:
        return True
    i = len(t) - 1
    while i >= 0 and t[i] in _CLOSERS:
        i -= 1
    return i >= 0 and t[i] in SENTENCE_FINAL


def _has_geometry(block: TextBlock) -> bool:
    return any(ln.x1 > ln.x0 for ln in block.lines)


def _em(line: Line, fallback: float) -> float:
    if line.size > 0:
        return line.size
    h = line.bottom - line.top
    return h if h > 0 else fallback


# characters one em wide: ideographs, kana, full-width letters, the ideographic space
_WIDE_RE = re.compile(
    "["
    + _char_class(((0x2E80, 0x2FFF), (0x3000, 0x3000), (0x3040, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
                   (0xF900, 0xFAFF), (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0x20000, 0x3134F)))
    + "]"
)


def _print_width(text: str) -> float:
    """Width of a printed line in em, from its text alone.

    Ideographs, kana and full-width letters are 1 em; CJK punctuation is set
    half width inside justified lines; Latin letters and digits are about
    half an em; spaces (often stray in extracted CJK text) a quarter.  CJK
    punctuation at the end of the line counts a full em (it is not squeezed).
    """
    if not text:
        return 0.0
    wide = len(_WIDE_RE.findall(text))
    spaces = text.count(" ") + text.count("\t") + text.count("\u00a0")
    w = 0.5 * len(text) + 0.5 * wide - 0.25 * spaces
    last = text[-1]
    if "\u3001" <= last <= "\u303f" or last in "，；：！？":
        w += 0.5
    return w


def _full_width(widths: list[float]) -> float:
    """The width of a full line: the median line (most lines are full)."""
    return statistics.median(widths)


def _frames(blocks: list[TextBlock]) -> list[tuple[float, float]]:
    """(left, right) edge of the column each geometric block sits in.

    Taken over all blocks on the same page that overlap it horizontally by
    half the narrower width, so a one-line block still knows its column.
    A block most of whose lines would count as indented keeps its own edges
    (an inset narrower than the column).
    """
    spans: list[tuple[int, float, float] | None] = []
    for b in blocks:
        geo = [ln for ln in b.lines if ln.x1 > ln.x0]
        if geo:
            spans.append((b.page_index, min(ln.x0 for ln in geo), max(ln.x1 for ln in geo)))
        else:
            spans.append(None)
    frames: list[tuple[float, float]] = []
    for i, si in enumerate(spans):
        if si is None:
            frames.append((0.0, 0.0))
            continue
        left, right = si[1], si[2]
        for sj in spans:
            if sj is None or sj[0] != si[0]:
                continue
            overlap = min(si[2], sj[2]) - max(si[1], sj[1])
            if overlap >= 0.5 * min(si[2] - si[1], sj[2] - sj[1]):
                left, right = min(left, sj[1]), max(right, sj[2])
        geo = [ln for ln in blocks[i].lines if ln.x1 > ln.x0]
        if len(geo) >= 3:
            em = statistics.median(_em(ln, 10.0) for ln in geo)
            if sum(ln.x0 - left >= INDENT_EM * em for ln in geo) > len(geo) / 2:
                left = si[1]
            if sum(right - ln.x1 >= SHORT_EM * em for ln in geo) > len(geo) / 2:
                right = si[2]
        frames.append((left, right))
    return frames


def _paragraph_indent(blocks: list[TextBlock], frames: list[tuple[float, float]]) -> float | None:
    """The article's paragraph indent in em, or None when no line is indented like one.

    The median indent of first lines: lines indented ``INDENT_EM`` to
    ``MAX_INDENT_EM`` (a centred line is in further) and followed by a line
    at the left edge.  Failing those, the median of all such indents.
    """
    firsts: list[float] = []
    others: list[float] = []
    for block, (left, _right) in zip(blocks, frames):
        geo = [ln for ln in block.lines if ln.x1 > ln.x0 and ln.text.strip()]
        indents = [(ln.x0 - left) / _em(ln, 10.0) for ln in geo]
        for i, indent in enumerate(indents):
            if INDENT_EM <= indent <= MAX_INDENT_EM:
                if i + 1 < len(indents) and indents[i + 1] < INDENT_EM:
                    firsts.append(indent)
                else:
                    others.append(indent)
    if firsts:
        return statistics.median(firsts)
    return statistics.median(others) if others else None


def _geometric_breaks(
    block: TextBlock, frame: tuple[float, float], para_indent: float | None
) -> list[tuple[bool, bool, bool]]:
    """(starts a paragraph, ends a paragraph, set off) for each line of a geometric block.

    A line is set off when it starts at least ``SETOFF_EM`` in from the left
    edge but not at the article's paragraph indent: a right-aligned credit
    (本报记者 / 刘燕、秦涛), a centred subhead.

    Where the article marks paragraphs with indents, a short Latin line
    ending a sentence is not enough to end one: Latin type is sometimes left
    ragged when the next word will not fit, and the next line then shows no
    indent.  CJK type is set on a grid, so a short CJK line always ends
    something.
    """
    left, right = frame
    lines = block.lines
    ems = [_em(ln, 0.0) for ln in lines]
    known = [e for e in ems if e > 0]
    em_default = statistics.median(known) if known else 10.0
    ems = [e if e > 0 else em_default for e in ems]
    short_gaps = [right - ln.x1 for ln in lines if ln.text.strip()]
    ragged = statistics.median(short_gaps) if short_gaps else 0.0
    gaps = [lines[i].top - lines[i - 1].bottom for i in range(1, len(lines))]
    usual_gap = statistics.median(gaps) if len(gaps) >= 2 else None
    indents_in_use = para_indent is not None
    out: list[tuple[bool, bool, bool]] = []
    for i, ln in enumerate(lines):
        em = ems[i]
        text = ln.text
        indent = (ln.x0 - left) / em
        starts = indent >= INDENT_EM or text[:1].isspace()
        setoff = indent >= SETOFF_EM and (para_indent is None or abs(indent - para_indent) > SETOFF_EM * 2)
        if usual_gap is not None and i > 0 and gaps[i - 1] > usual_gap + PARA_GAP_EM * em:
            starts = True
        gap = right - ln.x1
        short = gap >= max(SHORT_EM * em, 1.5 * ragged)
        cjk = _is_cjk_line(text)
        ends = short and ends_sentence(text) and (cjk or not indents_in_use)
        if not ends and gap >= max(VERY_SHORT_EM * em, 2.0 * ragged) and cjk:
            ends = True
        out.append((starts, ends, setoff))
    return out


def _plain_breaks(
    block: TextBlock, widths: list[float], full_default: float, ended: bool
) -> list[tuple[bool, bool]]:
    """(starts, ends) for each line of a block without geometry.

    A line ends a paragraph when it ends a sentence and is at least
    ``SHORT_EM_PLAIN`` short of a full line, or ends a sentence just before a
    blank line or the block's end (an extractor's block break after a
    finished sentence), or when it is a CJK line too short to be a body line
    (a credit line; Latin: under half a full line).  A line starts one when it
    keeps leading white space (a printed indent).  ``widths`` are the
    ``_print_width`` of the stripped lines.
    """
    lines = block.lines
    texts = [ln.text.strip() for ln in lines]
    nonblank = [w for w, t in zip(widths, texts) if t]
    full = _full_width(nonblank) if len(nonblank) >= 5 else full_default
    # leading white space is an indent only beyond what most lines have
    leads = [len(ln.text) - len(ln.text.lstrip()) for ln, t in zip(lines, texts) if t]
    base = Counter(leads).most_common(1)[0][0] if len(leads) >= 3 else 0
    out: list[tuple[bool, bool]] = []
    ended_before = ended
    for i, ln in enumerate(lines):
        t = texts[i]
        if not t:
            out.append((False, False))
            continue
        starts = len(ln.text) - len(ln.text.lstrip()) > base
        final = ends_sentence(t)
        w = widths[i]
        at_break = i == len(lines) - 1 or not texts[i + 1]
        ends = final and (full - w >= SHORT_EM_PLAIN or at_break)
        cjk = _is_cjk_line(t)
        # a line that opens a paragraph is an indent (2 em) short already
        very_short = VERY_SHORT_EM + (2.0 if starts or ended_before else 0.0)
        if not ends and cjk and full - w >= very_short:
            ends = True
        if not ends and not cjk and w < 0.5 * full:
            ends = True
        out.append((starts, ends))
        ended_before = ends
    return out


def paragraphs_from_blocks(blocks: list[TextBlock]) -> list[str]:
    """The paragraphs of one article's body blocks, in reading order.

    With geometry a line starts a paragraph when it is indented from its
    column's left edge by ``INDENT_EM`` of its font size (or sits a clear
    vertical gap below the line before), and a paragraph ends after a line
    that stops ``SHORT_EM`` before the right edge and ends a sentence (for
    Latin lines only where the article does not use indents), or after a CJK
    line ``VERY_SHORT_EM`` short.  A line at the top of the next column that
    is not indented goes on with the paragraph.  Lines set off from the
    paragraph indent (flush-right credits, centred subheads) are their own
    paragraph, consecutive ones joined with spaces.  Without geometry see
    ``_plain_breaks``.  Blank lines never break a paragraph by themselves.
    Each paragraph is ``normalize_text(join_lines(lines))``; empty ones are
    dropped.
    """
    frames = _frames(blocks)
    para_indent = _paragraph_indent(blocks, frames)
    geometric = [_has_geometry(b) for b in blocks]
    widths = [[] if g else [_print_width(ln.text.strip()) for ln in b.lines] for b, g in zip(blocks, geometric)]
    plain_widths = [w for ws, b in zip(widths, blocks) for w, ln in zip(ws, b.lines) if ln.text.strip()]
    full_default = _full_width(plain_widths) if plain_widths else 0.0
    paragraphs: list[tuple[list[str], bool]] = []  # (lines, set-off group)
    current: list[str] = []
    in_setoff = False
    ended = True
    for block, frame, geo, ws in zip(blocks, frames, geometric, widths):
        if geo:
            marks = _geometric_breaks(block, frame, para_indent)
        else:
            marks = [(st, en, False) for st, en in _plain_breaks(block, ws, full_default, ended)]
        for ln, (starts, ends, setoff) in zip(block.lines, marks):
            if not ln.text.strip():
                continue
            if setoff and in_setoff:  # the next line of a set-off group
                current.append(ln.text)
                continue
            if (starts or ended or setoff or in_setoff) and current:
                paragraphs.append((current, in_setoff))
                current = []
            current.append(ln.text)
            ended, in_setoff = ends, setoff
    if current:
        paragraphs.append((current, in_setoff))
    # a set-off group (a credit wrapped at a space) joins with spaces
    out = [normalize_text(" ".join(p) if group else join_lines(p)) for p, group in paragraphs]
    return [p for p in out if p]
