"""The second ground-truth corpus: real texts set by Typst, streams shuffled.

Shares no layout code with :mod:`tasks.evaluation.corpus` /
:mod:`tasks.evaluation.typeset`: page design here, line breaking, justification
and column flow by Typst (:mod:`tasks.evaluation.typeset_typst`).

Texts are real: Chinese stories of 人民日报 January 1998 (the PKU corpus in
``../shared/corpora/rmrb1998_ne_dev.jsonl``; headline = its first paragraph),
English paragraphs of two US government works (:mod:`tasks.evaluation.pd_texts`).
Only the nameplate, bylines of English stories and staff names are made up.

What a page may carry (each a failure class of issue 15): a letter-spaced
banner across columns, a photo with a vertical caption (one character per
line, columns right to left), a front-page nameplate with ears (date, weekday,
lunar date, 第N期, 今日N版, CN 11-0065, 代号, price / VOL. ... No. ..., date,
price), a teaser box (导读 / Inside) pointing to other pages, a column of
stacked short stories with bold or ■ titles near body size, English briefs,
stories set around photos, jumps (下转第3版 / Continued on A3), 4–8 column
grids, justified CJK with Latin and digit runs, runs of ——— dashes.  After
Typst has set a page, its content stream is shuffled: frames in random order,
and on some pages frames cut into chunks or every run moved on its own.

``truth.json`` follows ARCHITECTURE.md ("Ground truth format"), like the
reportlab corpus: pages carry ``page_index``, ``page_number`` (printed),
``header``/``footer`` (as printed), ``furniture`` (every furniture string:
nameplate, ears, teaser lines, folios), ``columns``, ``width``/``height``,
``body_size``, ``stream_mix``; articles carry ``id``, ``kind`` (article |
brief), ``headline``, ``byline``, ``dateline``/``dateline_date``,
``paragraphs``, ``pages``, ``boxes``, ``caption``, ``jump_to``/``jump_from``,
``layout``, ``source`` (where the text comes from) and ``people``: every credit
the page prints for the story (``zh_printed_credits`` / ``en_printed_credits``).

    python -m tasks.evaluation.corpus2 OUT_DIR [--split dev|heldout]
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from tasks.evaluation import pd_texts
from tasks.evaluation.typeset_typst import (
    NO_MERGE,
    TypstDoc,
    chunked_order,
    hyphens_as_printed,
    lit,
    marker,
    pt,
    shuffle_pdf,
)

RMRB = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "rmrb1998_ne_dev.jsonl"
DEV_SEEDS = (1, 2, 3, 4, 5, 6, 7, 9, 12)
HELDOUT_SEEDS = (101, 102, 103, 104, 105)  # seeds >= 100 draw on the other half of the texts
SPLIT_SEEDS = frozenset({12, 105})  # editions written as one PDF per page (the others: one multi-page PDF)
ZH_WEEKDAYS = "一二三四五六日"
ZH_NUM = "〇一二三四五六七八九十"
EN_PAPER = ("The Capital Record", "capital-record")
ZH_PAPER = ("新闻日报", "xwrb")
EN_NAMES = ["Margaret Hale", "Daniel Ortiz", "Susan Whitfield", "Robert Klein", "Laura Chen", "James Porter",
            "Ellen Byrne", "Thomas Reyes", "Karen Doyle", "Michael Grant"]
ZH_EDITORS = ["王磊", "刘晓燕", "陈志刚", "张丽", "李建华", "赵敏", "孙伟", "周静"]
ZH_SECTIONS = ["要闻", "国内新闻", "经济", "国际", "社会", "文化", "体育", "综合"]
EN_SECTIONS = ["NATION", "WORLD", "BUSINESS", "METRO", "POLICY", "TRAVEL"]

_FW = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(r[0], r[1] + 1)}


# --------------------------------------------------------------------------
# texts
# --------------------------------------------------------------------------


@dataclass(slots=True)
class Story:
    key: str
    kind: str
    headline: str
    paragraphs: list[str]
    byline: str = ""
    dateline: str = ""
    dateline_date: dt.date | None = None
    dateline_place: str = ""
    caption: str = ""
    source: str = ""
    pieces: list[tuple[int, list[str], tuple[float, float, float, float]]] = field(default_factory=list)
    layout: dict = field(default_factory=dict)
    persons: tuple[str, ...] = ()  # the PKU annotators' person names of the story (credits' name boundaries)

    @property
    def length(self) -> int:
        return sum(len(p) for p in self.paragraphs)


_DATELINE = re.compile(r"^(据)?(新华社|本报|中新社)([^0-9０-９，。：]{0,10}?)([0-9０-９]{1,2})月([0-9０-９]{1,2})日(电|讯)")
_ZH_NAME_LINE = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:[ 　、][\u4e00-\u9fff]{2,4})?$")


def _digits(s: str) -> int:
    return int(s.translate(_FW))


def text_part(key: str) -> int:
    """0 or 1: which half of the texts a story belongs to (dev seeds use 0, held-out seeds 1)."""
    return zlib.crc32(key.encode("utf-8")) % 2


def zh_stories(edition_date: dt.date, halfwidth: bool, part: int | None = None) -> list[Story]:
    """The 人民日报 stories of one day of January 1998, then of the days before it, latest first
    (a dateline is never after the edition)."""
    recs = [json.loads(line) for line in RMRB.read_text(encoding="utf-8").splitlines() if line.strip()]
    day = edition_date.isoformat()
    chosen = sorted((r for r in recs if r["date"] <= day), key=lambda r: r["date"], reverse=True)
    out = []
    for r in chosen:
        if part is not None and text_part(r["id"]) != part:
            continue
        paras = [p.strip() for p in r["paragraphs"] if p.strip()]
        if len(paras) < 2:
            continue
        if halfwidth:
            paras = [p.translate(_FW) for p in paras]
        headline = re.sub(r"（(?:附[^）]*|图片)）", "", paras[0]).strip()
        if not (4 <= len(headline) <= 26) or " " in headline:
            continue
        body = paras[1:]
        byline = ""
        if len(body) > 1 and _ZH_NAME_LINE.match(body[0]):
            byline, body = body[0], body[1:]
        body = [p for p in body if not re.fullmatch(r"[（(][^）)]*摄[）)]", p)]
        if not body:
            continue
        s = Story(key=r["id"], kind="article", headline=headline, paragraphs=body, byline=byline,
                  source=f"rmrb1998 {r['id']}",
                  persons=tuple(dict.fromkeys([*r.get("persons", []), *r.get("credit_only", {}).get("persons", [])])))
        m = _DATELINE.match(body[0])
        if m:
            month, mday = _digits(m.group(4)), _digits(m.group(5))
            year = edition_date.year - (1 if month > edition_date.month else 0)
            try:
                s.dateline_date = dt.date(year, month, mday)
                s.dateline = m.group(0)
                s.dateline_place = m.group(3)
            except ValueError:
                pass
            if s.dateline_date and s.dateline_date > edition_date:
                continue
        out.append(s)
    return out


_STOP = {"the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "by", "with", "that", "this", "is", "are",
         "be", "as", "at", "if", "you", "your", "it", "its", "from", "any", "which", "was", "were"}


def _title(words: list[str]) -> str:
    out = []
    for i, w in enumerate(words):
        out.append(w if (w.lower() in _STOP and i) else (w[:1].upper() + w[1:]))
    return " ".join(out)


def en_headline(heading: str, text: str, rng: random.Random) -> str:
    h = heading.strip().rstrip(".:")
    hw = h.split()
    while hw and hw[-1].lower() in _STOP:
        hw.pop()
    if len(hw) >= 2 and re.fullmatch(r"[A-Za-z ,'\-()]+", h) and not h.lower().startswith("line"):
        return _title(hw)
    words = re.sub(r"[^\w\s'\-]", "", text.split(". ")[0]).split()
    n = rng.randint(5, 8)
    words = words[:n]
    while words and words[-1].lower() in _STOP:
        words.pop()
    return _title(words)


def en_stories(rng: random.Random, part: int | None = None) -> list[Story]:
    """Stories of 1-5 consecutive public-domain paragraphs under one heading. With ``part``,
    only paragraphs of that half (alternate runs of ten), so dev and held-out seeds share none."""
    recs = [(i, r) for i, r in enumerate(pd_texts.load()) if part is None or (i // 10) % 2 == part]
    out: list[Story] = []
    k = 0
    while k < len(recs):
        n = rng.choice([1, 1, 2, 3, 4, 5])
        group = [recs[k]]
        while len(group) < n and k + len(group) < len(recs):
            i, r = recs[k + len(group)]
            if i != group[-1][0] + 1 or r["source"] != group[0][1]["source"]:
                break
            group.append((i, r))
        k += len(group)
        first = group[0][1]
        headline = en_headline(first["heading"], first["text"], rng)
        out.append(Story(key=f"en{group[0][0]}", kind="article", headline=headline,
                         paragraphs=[r["text"] for _, r in group], source=first["source"]))
    rng.shuffle(out)
    return out


def sentences(text: str, zh: bool) -> list[str]:
    if zh:
        parts = re.findall(r"[^。！？]*[。！？]+[”’」』）]*|[^。！？]+$", text)
    else:
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(“\"])", text)
    return [p for p in parts if p]


# --------------------------------------------------------------------------
# credits as printed (the truth's people)
# --------------------------------------------------------------------------

# The truth's credits are read from what the page prints (the byline set under the headline and
# the printed paragraphs), with the PKU annotators' person names for where a name begins and ends
# (张铁林黎世高, 湖南冷水江市李典强李巨平): so a credit the fitting trimmed away is not in the truth,
# and no name boundary comes from the engine under test.  Roles as the reportlab corpus gives them:
# 记者 reporter, 通讯员 correspondent, 实习生 intern, …摄 photographer, a name alone (under the
# headline or in a closing bracket) author, （据新华社电） / （本报…电） source, English "By X" author.
_ZH_CREDIT_ROLE = re.compile(
    r"(?:本报|新华社|中新社)?(?:驻[\u4e00-\u9fff]{1,6}?)?(?:特约|特派|见习|实习|首席|摄影)?记者"
    r"|(?:本报|特约)?通讯员|实习生")
_ZH_PHOTO_WORD = re.compile(r"摄影报道|摄影|摄")
_ZH_CREDIT_LEAD = re.compile(r"^(?:据)?(?:新华社|本报|中新社)[^，。：；（）“”]{0,16}?(?:电|讯)")
_ZH_CREDIT_SOURCE = re.compile(r"^据?(新华社|中新社|本报)[^，。：；（）]{0,16}?电$")
_ZH_TRAILING_BRACKETS = re.compile(r"(?:（[^（）]{1,40}）)+$")


def _credit_role(word: str) -> str:
    if "通讯员" in word:
        return "correspondent"
    if word == "实习生":
        return "intern"
    return "photographer" if "摄影" in word else "reporter"


def _name_at(text: str, i: int, persons: tuple[str, ...]) -> str:
    return max((p for p in persons if len(p) >= 2 and text.startswith(p, i)), key=len, default="")


def _read_credit_run(text: str, persons: tuple[str, ...], role: str | None) -> tuple[list[tuple[str, str]], int]:
    """Role words and annotated names from the start of ``text``: 本报记者王霞光摄 / 记者赵新兵、薛文献 /
    记者李舫报道.  Names before any role word take ``role`` (None: they are no credit).  Returns the
    credits and where the run stopped."""
    out: list[tuple[str, str]] = []
    group: list[str] = []
    i = 0
    while i < len(text):
        if text[i] in " \u3000、和":
            i += 1
            continue
        m = _ZH_CREDIT_ROLE.match(text, i)
        if m:
            out += [(n, role) for n in group if role]
            group, role, i = [], _credit_role(m.group()), m.end()
            continue
        name = _name_at(text, i, persons)
        if name:
            group.append(name)
            i += len(name)
            continue
        m = _ZH_PHOTO_WORD.match(text, i)
        if m and group:
            out += [(n, "photographer") for n in group]
            group, i = [], m.end()
            continue
        break
    out += [(n, role) for n in group if role]
    return out, i


def _bracket_credits(inner: str, persons: tuple[str, ...], closing: bool) -> list[tuple[str, str]]:
    """A bracket's credits: （张悦摄） （新华社记者张鲁成摄） anywhere; names, sources only when it closes the story."""
    photo = bool(re.search(r"(?:摄影报道|摄影|摄)$", inner))
    if not (photo or closing):
        return []
    if not photo:
        src = _ZH_CREDIT_SOURCE.match(inner)
        if src:  # （据新华社电） （本报布加勒斯特1月14日电）
            return [(src.group(1), "source")]
        if "照片" in inner:  # （新华社发美联社照片）: where a photo came from, nobody's credit
            return []
    got, end = _read_credit_run(inner, persons, "photographer" if photo else "author")
    if end == len(inner) and got:
        return got
    # a place or a verb around the names (湖南冷水江市李典强李巨平, 见图新华社记者安小虎摄, 木易摘)
    names = []
    i = 0
    while i < len(inner):
        n = _name_at(inner, i, persons)
        if n:
            names.append(n)
            i += len(n)
        else:
            i += 1
    role = "photographer" if photo else ("reporter" if "记者" in inner else "author")
    return [(n, role) for n in names]


def _credit_line(p: str, persons: tuple[str, ...], edge: bool, first: bool) -> list[tuple[str, str]]:
    """The credits of a paragraph that is wholly a credit line, else []: 本报记者刘工践; at the
    story's start or end (``edge``) names alone (聂长江孙茂盛); first, a post and a name (社科院农发所副所长韩俊)."""
    got, end = _read_credit_run(p, persons, None)
    if not got and edge:
        got, end = _read_credit_run(p, persons, "author")
    if got and end == len(p):
        return got
    name = max((n for n in persons if len(n) >= 2 and p.endswith(n)), key=len, default="")
    if first and name and len(p) <= 20 and not re.search(r"[，。：；！？、“”（）]", p):
        return [(name, "author")]
    return []


_ZH_CLOSING = re.compile(r"（([^（）]{1,40})）$")


def zh_credit_split(paragraphs: list[str], persons: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The story's text without the credits set apart from it (a credit line above or below the
    text, a closing bracket credit: （卫岩） （新华社记者陈瑞华摄） （据新华社电）), and those credits
    as printed (brackets off), in printed order.  Datelines keep their credits (they are the lead's)."""
    body = list(paragraphs)
    head: list[str] = []
    tail: list[str] = []
    if len(body) > 1 and len(body[0]) <= 30 and not _ZH_CREDIT_LEAD.match(body[0]) and _credit_line(body[0], persons, True, True):
        head.append(body.pop(0))
    if len(body) > 1 and len(body[-1]) <= 30 and not _ZH_CREDIT_LEAD.match(body[-1]) and _credit_line(body[-1], persons, True, False):
        tail.append(body.pop())
    m = _ZH_CLOSING.search(body[-1]) if body else None
    if not tail and m and _bracket_credits(m.group(1), persons, True):
        before = body[-1][: m.start()].rstrip()
        if not before or before[-1] in "。！？”’」』）…":
            tail.append(m.group(1))
            if before:
                body[-1] = before
            else:
                body.pop()
    return body, head + tail


def zh_printed_credits(byline: str, paragraphs: list[str], persons: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, role) of every credit the page prints for a Chinese story, in printed order."""
    out: list[tuple[str, str]] = []
    if byline:  # a name-only line under the headline: the author(s)
        for part in re.split(r"[ \u3000、]+", byline.strip()):
            got, end = _read_credit_run(part, persons, "author")
            out += got if got and end == len(part) else [(part, "author")]
    for k, p in enumerate(paragraphs):
        lead = _ZH_CREDIT_LEAD.match(p)
        if lead:  # 新华社北京1月4日电（记者周志方） / 本报讯记者施明慎报道： / 本报讯（范鹏）
            rest = p[lead.end():].lstrip(" \u3000")
            b = re.match(r"（([^（）]{2,40})）", rest)
            if b:
                got, end = _read_credit_run(b.group(1), persons, "reporter")
                out += got if end == len(b.group(1)) else []
            elif _ZH_CREDIT_ROLE.match(rest):
                out += _read_credit_run(rest, persons, None)[0]
        elif len(p) <= 30:  # a credit line of its own: 本报记者刘工践 / 本报驻罗马尼亚记者梁晓华
            out += _credit_line(p, persons, k in (0, len(paragraphs) - 1), k == 0)
        closing = _ZH_TRAILING_BRACKETS.search(p)
        for m in re.finditer(r"（([^（）]{1,40})）", p):
            if lead and m.start() < lead.end() + 3:
                continue  # the lead's own bracket, read above
            at_end = closing is not None and m.start() >= closing.start()
            if at_end and k < len(paragraphs) - 1:  # closing a paragraph, not the story: names only (（李建兴）)
                got, end = _read_credit_run(m.group(1), persons, "author")
                out += got if end == len(m.group(1)) else []
                continue
            out += _bracket_credits(m.group(1), persons, at_end)
    return list(dict.fromkeys(out))


def en_printed_credits(byline: str) -> list[tuple[str, str]]:
    """English stories print one credit, the "By X" line under the headline."""
    m = re.fullmatch(r"By (.+)", byline.strip())
    return [(n.strip(), "author") for n in re.split(r",? and |, ", m.group(1)) if n.strip()] if m else []


# --------------------------------------------------------------------------
# page furniture text
# --------------------------------------------------------------------------


def lunar_1998(d: dt.date) -> str:
    """The Chinese lunar date of a day of January 1998 (腊月 of 丁丑 began 30 Dec 1997, 正月 of 戊寅 on 28 Jan)."""
    names = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
             "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
             "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"]
    new_year = dt.date(1998, 1, 28)
    if d >= new_year:
        return f"戊寅年正月{names[(d - new_year).days]}"
    return f"丁丑年腊月{names[(d - dt.date(1997, 12, 30)).days]}"


def roman(n: int) -> str:
    vals = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


def zh_num(n: int) -> str:
    if n <= 10:
        return ZH_NUM[n]
    if n < 20:
        return "十" + ZH_NUM[n - 10]
    return ZH_NUM[n // 10] + "十" + (ZH_NUM[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------
# design
# --------------------------------------------------------------------------


@dataclass(slots=True)
class Style:
    zh: bool
    body_font: str
    sans_font: str
    head_font: str
    body_size: float
    leading: float  # gap between lines
    indent: str

    @property
    def pitch(self) -> float:
        return self.body_size + self.leading


@dataclass(slots=True)
class Frame:
    """One placed article piece (or stacked strip) on a page."""

    key: str  # marker / shuffle key
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    ncols: int
    gutter: float
    story: Story | None = None
    paragraphs: list[str] = field(default_factory=list)
    first_continues: bool = False
    headline: str = ""
    head_mode: str = "normal"  # normal | banner | short
    head_size: float = 14.0
    head_align: str = "left"
    photo: str = ""  # "" | top | inline | vertical
    photo_name: str = ""
    photo_share: float = 0.4  # photo height / frame width (top and vertical photos)
    inline_share: float = 0.75  # inline photo height / column width
    jump_out: str = ""
    jump_in: str = ""
    items: list[Story] = field(default_factory=list)  # stacked strip
    strip_heading: str = ""
    title_mode: str = "bold"  # bold | square | runin

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def col_w(self) -> float:
        return (self.width - (self.ncols - 1) * self.gutter) / self.ncols


@dataclass(slots=True)
class Furniture:
    x0: float
    top: float
    x1: float
    bottom: float
    markup: str
    strings: list[str]


@dataclass(slots=True)
class PagePlan:
    number: int
    width: float
    height: float
    style: Style
    ncols: int
    frames: list[Frame] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    header: str = ""
    footer: str = ""
    stream_mix: str = "frames"


def _photo_jpeg(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter

    w, h = 96, 72
    img = Image.new("RGB", (w, h), tuple(rng.randint(60, 200) for _ in range(3)))
    d = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randint(0, w), rng.randint(0, h)
        r = rng.randint(6, 30)
        d.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(2))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=55)
    return buf.getvalue()


class EditionBuilder:
    def __init__(self, seed: int, language: str, n_pages: int, edition_date: dt.date):
        self.seed = seed
        self.rng = random.Random(f"corpus2-{language}-{seed}")
        self.zh = language == "zh"
        self.language = language
        self.n_pages = n_pages
        self.date = edition_date
        rng = self.rng
        part = 1 if seed >= 100 else 0  # held-out seeds never print a dev seed's story
        if self.zh:
            self.pool = zh_stories(edition_date, halfwidth=rng.random() < 0.5, part=part)
            rng.shuffle(self.pool)
        else:
            self.pool = en_stories(rng, part=part)
        self.used: set[str] = set()
        self.headlines: set[str] = set()
        self.stories: list[Story] = []
        self.images: dict[str, bytes] = {}
        self.pages: list[PagePlan] = []
        self.width, self.height = rng.choice([(842.0, 1191.0), (935.0, 1332.0), (765.0, 1060.0)])
        self.jump_to = min(3, n_pages) if n_pages >= 2 else 0
        self.jumped: Story | None = None
        self.jump_rest: list[str] = []
        self.jump_first_continues = False
        self.teaser_box: tuple | None = None
        self.frame_no = 0  # frame keys are unique in the edition (markers, stream shuffling)
        self.issue_no = 10000 + (edition_date - dt.date(1970, 1, 1)).days % 9000 + seed * 7
        self.editor = rng.choice(ZH_EDITORS) if self.zh else rng.choice(EN_NAMES)
        # English editions are hyphenated more often than not (Chinese text never is)
        self.hyphenate = (not self.zh) and rng.random() < 0.6

    # -- text choice ----------------------------------------------------------
    def take(self, capacity: int, low: float = 0.45, max_len: int | None = None) -> Story | None:
        """An unused story near ``capacity`` characters, trimmed (whole sentences) to fit."""
        best, best_score = None, None
        for s in self.pool:
            if s.key in self.used or s.headline in self.headlines:
                continue
            if max_len and len(s.headline) > max_len:
                continue
            ratio = s.length / max(capacity, 1)
            score = abs(ratio - 0.85) if ratio >= low else 10 + (low - ratio)
            if best_score is None or score < best_score:
                best, best_score = s, score
        if best is None:
            return None
        self.used.add(best.key)
        self.headlines.add(best.headline)
        s = Story(key=best.key, kind=best.kind, headline=best.headline, paragraphs=list(best.paragraphs),
                  byline=best.byline, dateline=best.dateline, dateline_date=best.dateline_date,
                  dateline_place=best.dateline_place, source=best.source, persons=best.persons)
        trim_to(s, capacity, self.zh)
        if s.length < (20 if self.zh else 80):  # trimmed to nothing worth a headline
            return None
        if not self.zh and not s.byline and self.rng.random() < 0.5:
            s.byline = "By " + self.rng.choice(EN_NAMES)
        self.stories.append(s)
        return s

    def style(self, col_w: float) -> Style:
        rng = self.rng
        if self.zh:
            cpl = rng.choice([n for n in range(9, 22) if 8.0 <= col_w / n <= 11.0] or [max(8, int(col_w / 9.5))])
            size = round(col_w / cpl - 0.05, 2)
            serif = rng.random() < 0.7
            body = '"Noto Serif CJK SC"' if serif else '"Noto Sans CJK SC"'
            latin = '"Liberation Serif"' if serif else '"Liberation Sans"'
            body_font = f'((name: {latin}, covers: "latin-in-cjk"), {body})'
            head = rng.choice(['"Noto Sans CJK SC"', '"Noto Serif CJK SC"'])
            return Style(True, body_font, '"Noto Sans CJK SC"', head, size, size * rng.uniform(0.35, 0.6), "2em")
        size = rng.uniform(8.2, 9.6)
        body = rng.choice(['"Liberation Serif"', '"Liberation Serif"', '"Liberation Sans"', '"Libertinus Serif"'])
        head = rng.choice(['"Liberation Serif"', '"Liberation Sans"'])
        return Style(False, body, '"Liberation Sans"', head, size, size * rng.uniform(0.15, 0.3), "1em")

    # -- pages ----------------------------------------------------------------
    def build(self) -> None:
        for n in range(1, self.n_pages + 1):
            self.pages.append(self.plan_page(n))
        if self.teaser_box is not None:  # points to stories that really are on later pages
            self.teaser(*self.teaser_box)

    def plan_page(self, n: int) -> PagePlan:
        rng = self.rng
        W, H = self.width, self.height
        margin = rng.uniform(24, 38)
        ncols = rng.choice([4, 5, 6, 7, 8]) if self.zh else rng.choice([4, 5, 6, 6, 7, 8])
        gutter = rng.uniform(7, 14)
        col_w = (W - 2 * margin - (ncols - 1) * gutter) / ncols
        style = self.style(col_w)
        if style.zh:
            cpl = round(col_w / style.body_size)
            col_w = cpl * style.body_size + 0.01
        cols = [(margin + i * (col_w + gutter), margin + i * (col_w + gutter) + col_w) for i in range(ncols)]
        page = PagePlan(n, W, H, style, ncols)
        page.stream_mix = rng.choice(["frames", "frames", "chunks", "chunks", "runs"])
        top = self.furniture(page, margin, cols[-1][1])
        bottom = H - margin - (14 if page.footer else 0)
        # a strip of stacked short stories / briefs at one side
        strip = None
        main = list(range(ncols))
        if rng.random() < 0.7 and ncols >= 5:
            side = rng.choice([0, ncols - 1])
            strip = side
            main.remove(side)
        rows_top = top
        mcols = [cols[i] for i in main]
        gap = style.body_size * 1.4
        if n == 1:
            rows_top = self.lead_row(page, mcols, gutter, rows_top, bottom, cols, strip)
        elif n == self.jump_to and self.jumped is not None:
            rows_top = self.continuation_row(page, mcols, gutter, rows_top, bottom)
        self.rows(page, mcols, gutter, rows_top, bottom, gap)
        if strip is not None:
            x0, x1 = cols[strip]
            self.strip(page, x0, x1, top, bottom)
        return page

    # furniture -------------------------------------------------------------
    def furniture(self, page: PagePlan, x0: float, x1: float) -> float:
        """Place the nameplate (page 1) or the running head; returns where content starts."""
        rng, st, d = self.rng, page.style, self.date
        n = page.number
        y = x0 * 0.9
        if self.zh:
            date = f"{d.year}年{d.month}月{d.day}日"
            week = f"星期{ZH_WEEKDAYS[d.weekday()]}"
            if n == 1:
                return self.zh_nameplate(page, x0, x1, y, date, week)
            section = rng.choice(ZH_SECTIONS)
            folio = f"第{n}版" if rng.random() < 0.7 else f"第{zh_num(n)}版"
            left = [folio, section]
            right = [ZH_PAPER[0], f"{date}", week]
            if rng.random() < 0.5:
                left, right = right, left
            hs = st.body_size * 1.05
            page.header = " ".join(left + right)
            page.furniture.append(Furniture(x0, y, x1, y + hs * 1.6, self._header_markup(x0, y, x1, left, right, hs),
                                            [*left, *right]))
            page.rules.append((x0, y + hs * 1.7, x1, y + hs * 1.7, 0.8))
            if rng.random() < 0.6:
                page.footer = f"责任编辑：{self.editor}"
                fy = page.height - x0 * 0.9 - 8
                page.furniture.append(Furniture(x0, fy, x1, fy + 10, self._line_markup(x0, fy, x1 - x0, page.footer,
                                                                                      st.body_size * 0.85, "left"),
                                                [page.footer]))
            return y + hs * 1.7 + st.body_size
        date = d.strftime("%A, %B ").upper() + f"{d.day}, {d.year}"
        if n == 1:
            return self.en_nameplate(page, x0, x1, y, date)
        section = rng.choice(EN_SECTIONS)
        left = [f"A{n}", section]
        right = [EN_PAPER[0].upper(), date]
        if n % 2:
            left, right = right, left
        hs = st.body_size * 1.0
        page.header = " ".join(left + right)
        page.furniture.append(Furniture(x0, y, x1, y + hs * 1.6, self._header_markup(x0, y, x1, left, right, hs),
                                        [*left, *right]))
        page.rules.append((x0, y + hs * 1.7, x1, y + hs * 1.7, 1.2))
        return y + hs * 1.7 + st.body_size

    def _line_markup(self, x: float, y: float, w: float, text: str, size: float, align: str,
                     font: str | None = None, weight: str = "regular", tracking: float = 0.0) -> str:
        f = font or '"Noto Sans CJK SC"' if self.zh else (font or '"Liberation Sans"')
        return (f"#place(top + left, dx: {pt(x)}, dy: {pt(y)}, block(width: {pt(w)})[#set par(justify: false, "
                f"first-line-indent: 0pt); #align({align})[#text(font: {f}, size: {pt(size)}, weight: \"{weight}\", "
                f"tracking: {pt(tracking)})[#{lit(text)}]]])\n")

    def _header_markup(self, x0: float, y: float, x1: float, left: list[str], right: list[str], size: float) -> str:
        sp = "#h(1.5em)"
        lm = sp.join(f"#{lit(s)}" for s in left)
        rm = sp.join(f"#{lit(s)}" for s in right)
        f = '"Noto Sans CJK SC"' if self.zh else '"Liberation Sans"'
        return (f"#place(top + left, dx: {pt(x0)}, dy: {pt(y)}, block(width: {pt(x1 - x0)})[#set par(justify: false, "
                f"first-line-indent: 0pt); #text(font: {f}, size: {pt(size)}, weight: \"bold\")[{lm} #h(1fr) {rm}]])\n")

    def zh_nameplate(self, page: PagePlan, x0: float, x1: float, y: float, date: str, week: str) -> float:
        rng, st = self.rng, page.style
        name_size = rng.uniform(52, 72)
        w = x1 - x0
        ear_w = w * 0.24
        issue = f"第{self.issue_no}期"
        today = f"今日{self.n_pages * 2}版"
        lunar = lunar_1998(self.date) if self.date.year == 1998 and self.date.month == 1 else ""
        left = [date, week, *( [lunar] if lunar else []), today]
        right = ["国内统一连续出版物号", "CN 11-0065", "代号1-1", issue, "零售价 0.50元"]
        if rng.random() < 0.5:
            left, right = right, left
        es = st.body_size * 1.0
        h = name_size * 1.25
        name_markup = (f"#place(top + left, dx: {pt(x0 + ear_w)}, dy: {pt(y)}, block(width: {pt(w - 2 * ear_w)})"
                       f"[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); #align(center)[#text(font: \"Noto Serif CJK SC\", "
                       f"weight: \"bold\", size: {pt(name_size)}, tracking: {pt(name_size * 0.08)})[#{lit(ZH_PAPER[0])}]"
                       f"#linebreak()#text(font: \"Noto Sans CJK SC\", size: {pt(es)})[#\"新闻日报社出版\"]]])\n")
        page.furniture.append(Furniture(x0 + ear_w, y, x1 - ear_w, y + h, name_markup, [ZH_PAPER[0], "新闻日报社出版"]))
        for side, items in ((x0, left), (x1 - ear_w, right)):
            body = "#linebreak()".join(f"#{lit(s)}" for s in items)
            markup = (f"#place(top + left, dx: {pt(side)}, dy: {pt(y + 4)}, block(width: {pt(ear_w)}, stroke: 0.6pt, "
                      f"inset: 4pt)[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt, leading: 0.5em); "
                      f"#text(font: \"Noto Sans CJK SC\", size: {pt(es)})[{body}]])\n")
            page.furniture.append(Furniture(side, y + 4, side + ear_w, y + h, markup, list(items)))
        page.header = " ".join(left + [ZH_PAPER[0]] + right)
        if rng.random() < 0.5:  # a folio line under the nameplate
            folio = "第1版"
            fy = y + h + 2
            page.furniture.append(Furniture(x0, fy, x1, fy + es * 1.4, self._line_markup(x0, fy, w, f"{folio}  要闻",
                                                                                         es, "right"), [folio, "要闻"]))
            page.header += f" {folio} 要闻"
            y = fy + es * 0.6
        bottom = y + h + es
        page.rules.append((x0, bottom, x1, bottom, 2.0))
        page.rules.append((x0, bottom + 3, x1, bottom + 3, 0.5))
        return bottom + st.body_size

    def en_nameplate(self, page: PagePlan, x0: float, x1: float, y: float, date: str) -> float:
        rng, st = self.rng, page.style
        w = x1 - x0
        name_size = rng.uniform(44, 60)
        vol = f"VOL. {roman(100 + self.seed % 40)} . . . No. {40000 + self.issue_no:,}"
        price = "$1.00" if self.date.weekday() == 6 else "75 CENTS"
        markup = (f"#place(top + left, dx: {pt(x0)}, dy: {pt(y)}, block(width: {pt(w)})[#set par(justify: false, "
                  f"first-line-indent: 0pt); #align(center)[#text(font: \"Libertinus Serif\", weight: \"bold\", "
                  f"size: {pt(name_size)})[#{lit(EN_PAPER[0])}]]])\n")
        page.furniture.append(Furniture(x0, y, x1, y + name_size * 1.2, markup, [EN_PAPER[0]]))
        ly = y + name_size * 1.25
        page.rules.append((x0, ly, x1, ly, 0.8))
        es = st.body_size * 0.95
        ear = (f"#place(top + left, dx: {pt(x0)}, dy: {pt(ly + 3)}, block(width: {pt(w)})[#set par(justify: false, "
               f"first-line-indent: 0pt); #text(font: \"Liberation Sans\", size: {pt(es)}, weight: \"bold\")"
               f"[#{lit(vol)} #h(1fr) #{lit(date)} #h(1fr) #{lit(price)}]])\n")
        page.furniture.append(Furniture(x0, ly + 3, x1, ly + 3 + es * 1.3, ear, [vol, date, price]))
        page.header = f"{EN_PAPER[0]} {vol} {date} {price}"
        bottom = ly + 3 + es * 1.6
        page.rules.append((x0, bottom, x1, bottom, 0.8))
        return bottom + st.body_size

    # rows ------------------------------------------------------------------
    def capacity(self, f: Frame, style: Style, head_lines: int = 2) -> int:
        """Characters that fill about nine tenths of the frame."""
        head_h = f.head_size * 1.3 * head_lines + style.body_size * 2
        if f.photo in ("top", "vertical"):
            head_h += f.width * f.photo_share + style.pitch * 2
        lines = max(0, int((f.bottom - f.top - head_h) / style.pitch)) * f.ncols
        if f.photo == "inline":  # the photo and its caption take part of one column
            lines -= int(f.col_w * f.inline_share / style.pitch) + 3
        per_line = f.col_w / style.body_size if style.zh else f.col_w / (style.body_size * 0.46)
        return int(max(lines, 0) * per_line * 0.9)

    def lead_row(self, page: PagePlan, mcols, gutter, top, bottom, cols, strip) -> float:
        """Page 1: a lead story under a banner across the main columns; jumps to page 3; a teaser box."""
        rng, st = self.rng, page.style
        teaser_col = None
        if len(mcols) >= 4:
            teaser_col = mcols[-1] if rng.random() < 0.5 else mcols[0]
        lead_cols = [c for c in mcols if c is not teaser_col]
        h = (bottom - top) * rng.uniform(0.36, 0.48)
        f = Frame("lead", page.number, lead_cols[0][0], top, lead_cols[-1][1], top + h, len(lead_cols), gutter)
        f.head_mode = "banner"
        f.head_size = st.body_size * rng.uniform(2.2, 3.2)
        f.photo = rng.choice(["", "top", "inline"]) if len(lead_cols) >= 3 else ""
        cap = self.capacity(f, st, 1)
        max_chars = int(f.width / (f.head_size * 1.5)) if self.zh else int(f.width / (f.head_size * 0.7))
        s = self.take(int(cap * 2.2), low=0.2, max_len=max_chars)
        if s is None:
            return top
        if not self.zh and self.jump_to:  # an English lead long enough to jump: its document goes on
            for other in self.pool:
                if s.length >= cap * 1.6:
                    break
                if other.key in self.used or other.source != s.source:
                    continue
                self.used.add(other.key)
                s.paragraphs += other.paragraphs
        s.layout = {"span": len(lead_cols), "banner": True, "photo": f.photo, "jump": bool(self.jump_to)}
        self._attach(f, s, page)
        if self.jump_to:
            self.split_for_jump(f, s, cap)
        page.frames.append(f)
        if teaser_col is not None:
            self.teaser_box = (page, teaser_col[0], top, teaser_col[1], top + h)
        return top + h + st.body_size * 1.4

    def split_for_jump(self, f: Frame, s: Story, cap: int) -> None:
        """Cut the story at a sentence so that what does not fit goes on to the jump page."""
        flat: list[tuple[int, str]] = []
        for i, p in enumerate(s.paragraphs):
            for sent in sentences(p, self.zh):
                flat.append((i, sent))
        total = sum(len(x) for _, x in flat)
        if total < cap * 1.25:  # too short to jump: lengthen with the next story of the day? no: keep whole
            f.paragraphs = list(s.paragraphs)
            return
        acc, cut = 0, 0
        for k, (_, sent) in enumerate(flat):
            if acc + len(sent) > cap:
                break
            acc += len(sent)
            cut = k + 1
        cut = max(cut, 1)
        f.paragraphs = _join(flat[:cut], self.zh)
        self.jump_rest = _join(flat[cut:], self.zh)
        self.jump_first_continues = flat[cut][0] == flat[cut - 1][0]
        self.jumped = s
        f.jump_out = f"（下转第{self.jump_to}版）" if self.zh else f"Continued on A{self.jump_to}"

    def continuation_row(self, page: PagePlan, mcols, gutter, top, bottom) -> float:
        rng, st, s = self.rng, page.style, self.jumped
        span = min(len(mcols), rng.choice([2, 3, 3, 4]))
        start = rng.randint(0, len(mcols) - span)
        cs = mcols[start:start + span]
        rest_len = sum(len(p) for p in self.jump_rest)
        f = Frame("cont", page.number, cs[0][0], top, cs[-1][1], top + 100, span, gutter)
        f.head_mode = "short"
        f.head_size = st.body_size * 1.5
        per_line = f.col_w / st.body_size if self.zh else f.col_w / (st.body_size * 0.46)
        lines = rest_len / (per_line * span) / 0.85 + 5
        f.bottom = min(bottom, top + lines * st.pitch + f.head_size * 2)
        f.story = s
        f.headline = _short_head(s.headline, self.zh)
        f.paragraphs = list(self.jump_rest)
        f.first_continues = self.jump_first_continues
        f.jump_in = f"（上接第1版）" if self.zh else "Continued from A1"
        page.frames.append(f)
        # the columns beside the continuation start at the top too: fill them as their own row
        others = [c for c in mcols if c not in cs]
        if others:
            for block in _runs(mcols, cs):
                self.rows(page, block, gutter, top, f.bottom, st.body_size * 1.4, max_rows=1)
        return f.bottom + st.body_size * 1.4

    def rows(self, page: PagePlan, mcols, gutter, top, bottom, gap, max_rows: int | None = None) -> None:
        """Rows of article modules down to ``bottom``; a row is as tall as its longest story needs."""
        rng, st = self.rng, page.style
        y, n_rows = top, 0
        while bottom - y >= st.pitch * 8 and mcols and (max_rows is None or n_rows < max_rows):
            n_rows += 1
            room = bottom - y
            target = room if max_rows else min(room, (bottom - top) * rng.uniform(0.28, 0.55))
            if room - target < st.pitch * 10:
                target = room
            spans = _spans(rng, len(mcols))
            c = 0
            row: list[Frame] = []
            for span in spans:
                cs = mcols[c:c + span]
                c += span
                self.frame_no += 1
                f = Frame(f"m{page.number}-{self.frame_no}", page.number, cs[0][0], y, cs[-1][1],
                          y + target, span, gutter)
                f.head_size = st.body_size * rng.uniform(1.35, 2.0)
                f.head_align = "center" if rng.random() < 0.3 else "left"
                choices = ["", "", "", "top", "inline"] + (["vertical"] if self.zh else [])
                f.photo = rng.choice(choices) if span >= 2 and target > 200 else ""
                f.photo_share = rng.uniform(0.28, 0.42)
                f.inline_share = rng.uniform(0.6, 0.9)
                cap = self.capacity(f, st)
                if cap < 200 and f.photo:  # no room for a photo here
                    f.photo = ""
                    cap = self.capacity(f, st)
                if cap < 60:
                    continue
                s = self.take(cap)
                if s is None:
                    continue
                s.layout = {"span": span, "banner": False, "photo": f.photo, "jump": False}
                self._attach(f, s, page)
                row.append(f)
            if not row:
                if n_rows > 3:
                    break
                continue
            needs = [self.needed_height(f, st) for f in row]
            h = target if max_rows else min(target, max(needs))
            for f, need in zip(row, needs):
                f.bottom = y + h
                page.frames.append(f)
                if h - need > st.pitch * 10:  # a short story ends high: another row fills its columns below
                    f.bottom = y + need
                    fcols = [c for c in mcols if f.x0 - 1 <= c[0] and c[1] <= f.x1 + 1]
                    self.rows(page, fcols, gutter, f.bottom + gap, y + h, gap)
            y += h + gap

    def needed_height(self, f: Frame, st: Style) -> float:
        """About how tall the frame's story sets (a little more, so that fitting rarely trims)."""
        per_line = f.col_w / st.body_size if self.zh else f.col_w / (st.body_size * 0.43)
        lines = sum(int(len(p) / per_line) + 1 for p in f.paragraphs)
        per_col = lines / f.ncols + 1.5
        head_chars = len(f.headline) * (1.0 if self.zh else 0.5)
        head_lines = int(head_chars * f.head_size / f.width) + 1
        h = head_lines * f.head_size * 1.35 + st.body_size * 1.5 + per_col * st.pitch
        if f.story is not None and f.story.byline:
            h += st.pitch * 1.4
        if f.photo in ("top", "vertical"):
            h += f.width * f.photo_share + st.pitch * 2.5
        if f.photo == "inline":
            h += (f.col_w * f.inline_share + st.pitch * 3) / f.ncols
        return h * 1.05

    def _attach(self, f: Frame, s: Story, page: PagePlan) -> None:
        f.story = s
        f.headline = s.headline
        if not self.zh and s.headline:  # the longest word of an English headline fits the frame
            longest = max(len(w) for w in s.headline.split())
            f.head_size = min(f.head_size, f.width / (longest * 0.62))
        f.paragraphs = list(s.paragraphs)
        if f.photo:
            name = f"photo{len(self.images) + 1}.jpg"
            self.images[name] = _photo_jpeg(self.rng)
            f.photo_name = name
            s.caption = self._caption(s)

    def _caption(self, s: Story) -> str:
        if self.zh:
            first = sentences(s.paragraphs[0], True)[0]
            core = re.sub(r"^(据)?(新华社|本报|中新社)[^电讯]{0,16}[电讯]", "", first).strip("。")
            core = core[:26] if len(core) > 26 else core
            return f"图为{core}。" if core else "图为现场。"
        return "Photo: " + " ".join(s.headline.split()[:6]) + "."

    def teaser(self, page: PagePlan, x0: float, top: float, x1: float, bottom: float) -> None:
        """导读 / Inside box on page 1: pointers to stories on later pages (furniture)."""
        st = page.style
        later = [(pg.number, f.story.headline) for pg in self.pages[1:] for f in pg.frames
                 if f.story is not None and f.key != "cont" and (len(f.story.headline) <= 16 or not self.zh)]
        items = sorted(self.rng.sample(later, min(4, len(later))))
        if not items:
            return
        lines = []
        for i, (p, h) in enumerate(items):
            if self.zh:
                lines.append(f"{h} 第{zh_num(p)}版" if i % 2 == 0 else f"■{h}（第{p}版）")
            else:
                lines.append(f"{h}, A{p}")
        heading = "导读" if self.zh else "INSIDE"
        body = "#parbreak()".join(f"#{lit(x)}" for x in lines)
        f = st.sans_font if self.zh else '"Liberation Sans"'
        markup = (f"#place(top + left, dx: {pt(x0)}, dy: {pt(top)}, block(width: {pt(x1 - x0)}, stroke: 1pt, inset: 5pt)"
                  f"[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt, spacing: 0.8em); #align(center)[#text(font: {f}, "
                  f"weight: \"bold\", size: {pt(st.body_size * 1.6)})[#{lit(heading)}]] #text(font: {f}, "
                  f"size: {pt(st.body_size * 0.95)})[{body}]])\n")
        page.furniture.append(Furniture(x0, top, x1, bottom, markup, [heading, *lines]))

    def strip(self, page: PagePlan, x0: float, x1: float, top: float, bottom: float) -> None:
        """A column of stacked short stories (zh: bold or ■ titles near body size; en: briefs)."""
        rng, st = self.rng, page.style
        f = Frame(f"s{page.number}", page.number, x0, top, x1, bottom, 1, 0)
        f.title_mode = rng.choice(["bold", "square"]) if self.zh else rng.choice(["bold", "runin"])
        f.strip_heading = rng.choice(["", "简讯", "国内短波"]) if self.zh else rng.choice(["IN BRIEF", "BRIEFS", ""])
        f.head_size = st.body_size * rng.uniform(1.0, 1.15)
        per_line = f.col_w / st.body_size if self.zh else f.col_w / (st.body_size * 0.46)
        lines = (bottom - top) / st.pitch
        cap_total = lines * per_line * 0.8
        used = 0.0
        for _ in range(14):
            target = rng.uniform(60, 220) if self.zh else rng.uniform(250, 700)
            s = self.take(int(target), low=0.3, max_len=14 if self.zh else 40)
            if s is None:
                break
            s.kind = "brief"
            s.byline = ""
            s.paragraphs = s.paragraphs[:2]
            trim_to(s, int(target), self.zh)
            if not s.paragraphs:
                continue
            s.layout = {"span": 1, "stacked": True, "title": f.title_mode}
            cost = s.length + per_line * 2.5
            if used + cost > cap_total:
                self.stories.remove(s)
                break
            used += cost
            f.items.append(s)
        if f.items:
            page.frames.append(f)
            if f.strip_heading:  # a section label: never part of a story
                page.furniture.append(Furniture(x0, top, x1, top + st.body_size * 1.5, "", [f.strip_heading]))

    # markup -----------------------------------------------------------------
    def page_markup(self, page: PagePlan) -> str:
        st = page.style
        region = ', region: "cn"' if st.zh else ""
        out = [f"#set page(width: {pt(page.width)}, height: {pt(page.height)}, margin: 0pt)\n",
               f"#set text(font: {st.body_font}, size: {pt(st.body_size)}, lang: \"{'zh' if st.zh else 'en'}\", "
               f"top-edge: \"ascender\", bottom-edge: \"descender\", features: {NO_MERGE}"
               f"{region})\n",
               f"#set par(justify: true, leading: {pt(st.leading)}, spacing: {pt(st.leading)}, "
               f"first-line-indent: (amount: {st.indent}, all: true), linebreaks: \"optimized\")\n",
               f"#set text(hyphenate: {'true' if self.hyphenate else 'false'})\n"]
        for x0, y0, x1, y1, w in page.rules:
            out.append(f"#place(top + left, line(start: ({pt(x0)}, {pt(y0)}), end: ({pt(x1)}, {pt(y1)}), "
                       f"stroke: {pt(w)}))\n")
        for fu in page.furniture:
            out.append(fu.markup)
        for f in page.frames:
            out.append(self.strip_markup(f, st) if f.items else self.frame_markup(f, st))
        return "".join(out)

    def frame_markup(self, f: Frame, st: Style) -> str:
        s = f.story
        assert s is not None
        parts = []
        hf = st.head_font
        if f.head_mode == "banner":
            n = len(f.headline)
            if self.zh:
                natural = n * f.head_size
                tracking = max(0.0, min((f.width - natural) / max(n - 1, 1), f.head_size * 1.5))
            else:
                tracking = 0.0
            parts.append(f"#block(width: 100%)[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); #align(center)"
                         f"[#text(font: {hf}, weight: \"bold\", size: {pt(f.head_size)}, tracking: {pt(tracking)})"
                         f"[#{lit(f.headline)}]]]\n#v({pt(st.body_size * 0.6)})\n")
            s.layout["tracking"] = round(tracking, 2)
        elif f.headline:
            jump = ""
            if f.jump_in:
                jump = (f"#linebreak()#text(font: {st.sans_font}, weight: \"regular\", size: {pt(st.body_size * 0.9)})"
                        f"[#{lit(f.jump_in)}]")
            parts.append(f"#block(width: 100%)[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt, leading: 0.3em); "
                         f"#align({f.head_align})[#text(font: {hf}, weight: \"bold\", size: {pt(f.head_size)})"
                         f"[#{lit(f.headline)}]{jump}]]\n#v({pt(st.body_size * 0.5)})\n")
        if s.byline and f.head_mode != "short":
            parts.append(f"#block(width: 100%)[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); "
                         f"#text(font: {st.sans_font}, size: {pt(st.body_size * 0.92)})[#{lit(s.byline)}]]\n"
                         f"#v({pt(st.body_size * 0.3)})\n")
        if f.photo == "top":
            ph = f.width * f.photo_share
            parts.append(f"#image({lit(f.photo_name)}, width: 100%, height: {pt(ph)}, fit: \"cover\")\n"
                         f"#block(width: 100%)[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); "
                         f"#text(font: {st.sans_font}, size: {pt(st.body_size * 0.85)})[#{lit(s.caption)}]]\n"
                         f"#v({pt(st.body_size * 0.4)})\n")
        elif f.photo == "vertical":
            ph = f.width * f.photo_share
            parts.append(self.vertical_photo(f, st, ph))
        body = []
        paras = list(f.paragraphs)
        inline_at = len(paras) // 2 if f.photo == "inline" else -1
        for i, p in enumerate(paras):
            last = i == len(paras) - 1
            end = marker(f.key) if last and not f.jump_out else ""
            indent = "#set par(first-line-indent: 0pt)\n" if i == 0 and f.first_continues else ""
            if indent:
                body.append(f"#[{indent}#par[#{lit(p)}{end}]]\n")
            else:
                body.append(f"#par[#{lit(p)}{end}]\n")
            if i == inline_at and not last:
                ih = f.col_w * f.inline_share
                body.append(f"#block(width: 100%, above: {pt(st.body_size * 0.6)}, below: {pt(st.body_size * 0.6)})"
                            f"[#image({lit(f.photo_name)}, width: 100%, height: {pt(ih)}, fit: \"cover\")"
                            f"#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); "
                            f"#text(font: {st.sans_font}, size: {pt(st.body_size * 0.85)})[#{lit(s.caption)}]]\n")
        if f.photo == "inline" and inline_at == len(paras) - 1:
            s.layout["photo"] = ""
            s.caption = ""
        if f.jump_out:
            body.append(f"#block(width: 100%)[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); #align(right)"
                        f"[#text(font: {st.sans_font}, size: {pt(st.body_size * 0.9)})[#{lit(f.jump_out)}]"
                        f"{marker(f.key)}]]\n")
        parts.append(f"#columns({f.ncols}, gutter: {pt(f.gutter)})[\n{''.join(body)}]\n")
        return (f"#place(top + left, dx: {pt(f.x0)}, dy: {pt(f.top)}, block(width: {pt(f.width)}, "
                f"height: {pt(f.bottom - f.top)})[\n{''.join(parts)}])\n")

    def vertical_photo(self, f: Frame, st: Style, ph: float) -> str:
        """A photo with its caption set vertically at its right: one character a line, columns right to left."""
        s = f.story
        cs = st.body_size * 0.9
        per_col = max(4, int(ph / (cs * 1.08)))
        text = s.caption
        cols = [text[i:i + per_col] for i in range(0, len(text), per_col)]
        s.layout["vertical_caption"] = True
        vw = len(cols) * cs * 1.35
        colmarkup = ", ".join(
            "stack(dir: ttb, spacing: " + pt(cs * 0.08) + ", " + ", ".join(
                f"text(font: {st.sans_font}, size: {pt(cs)}, {lit(ch)})" for ch in col) + ")"
            for col in cols)
        return (f"#grid(columns: (1fr, {pt(vw)}), column-gutter: {pt(cs * 0.6)}, "
                f"image({lit(f.photo_name)}, width: 100%, height: {pt(ph)}, fit: \"cover\"), "
                f"align(right, stack(dir: rtl, spacing: {pt(cs * 0.35)}, {colmarkup})))\n#v({pt(st.body_size * 0.5)})\n")

    def strip_markup(self, f: Frame, st: Style) -> str:
        parts = []
        if f.strip_heading:
            parts.append(f"#block(width: 100%, fill: luma(225), inset: 3pt)[#set par(justify: false, "
                         f"first-line-indent: 0pt); #align(center)[#text(font: {st.sans_font}, weight: \"bold\", "
                         f"size: {pt(st.body_size * 1.25)})[#{lit(f.strip_heading)}]]]\n")
        for k, s in enumerate(f.items):
            key = f"{f.key}-{k}"
            paras = s.paragraphs
            title_font = st.head_font if self.zh else '"Liberation Sans"'
            if f.title_mode == "runin":
                head = (f"#text(font: {title_font}, weight: \"bold\", hyphenate: false)[#{lit(s.headline + '.')}] ")
                rest = "".join(
                    (f"#par[{head if i == 0 else ''}#{lit(p)}{marker(key) if i == len(paras) - 1 else ''}]\n")
                    for i, p in enumerate(paras))
                parts.append(f"#block(width: 100%, above: {pt(st.body_size * 0.8)})[{rest}]\n")
                continue
            title = ("■" if f.title_mode == "square" else "") + s.headline
            parts.append(f"#block(width: 100%, above: {pt(st.body_size * 0.9)}, below: {pt(st.body_size * 0.3)})"
                         f"[#set text(hyphenate: false); #set par(justify: false, first-line-indent: 0pt); #text(font: {title_font}, "
                         f"weight: \"bold\", size: {pt(f.head_size)})[#{lit(title)}]]\n")
            parts.append("".join(f"#par[#{lit(p)}{marker(key) if i == len(paras) - 1 else ''}]\n"
                                 for i, p in enumerate(paras)))
        return (f"#place(top + left, dx: {pt(f.x0)}, dy: {pt(f.top)}, block(width: {pt(f.width)}, "
                f"height: {pt(f.bottom - f.top)})[\n{''.join(parts)}])\n")

    def document(self) -> TypstDoc:
        return TypstDoc("#pagebreak()\n".join(self.page_markup(p) for p in self.pages), dict(self.images))

    # fitting ------------------------------------------------------------------
    def fit(self, max_rounds: int = 12) -> None:
        """Compile, find frames whose text runs past their bottom, shorten them; until none does."""
        for _ in range(max_rounds):
            marks = self.document().query_markers()
            over = []
            for page in self.pages:
                for f in page.frames:
                    keys = [f"{f.key}-{k}" for k in range(len(f.items))] if f.items else [f.key]
                    for key in keys:
                        m = marks.get(key)
                        if m is None or m.page != page.number or m.y > f.bottom - page.style.body_size * 0.2 \
                                or m.x > f.x1 + 1:
                            over.append((page, f, key))
            if not over:
                return
            for page, f, key in over:
                self.shorten(page, f, key)
        raise RuntimeError("frames still overflow after fitting")

    def shorten(self, page: PagePlan, f: Frame, key: str) -> None:
        zh = self.zh
        if f.items:  # stacked strip: drop the last item
            if len(f.items) > 1:
                s = f.items.pop()
                self.stories.remove(s)
            else:
                f.items[0].paragraphs = _drop_tail(f.items[0].paragraphs, zh, 0.2)
            return
        if f.key == "lead" and f.jump_out and self.jumped is not None:  # move sentences to the jump page
            flat = [(i, x) for i, p in enumerate(f.paragraphs) for x in sentences(p, zh)]
            n = max(1, len(flat) // 8)
            moved, keep = flat[-n:], flat[:-n]
            cont = next(fr for pg in self.pages for fr in pg.frames if fr.key == "cont") \
                if any(fr.key == "cont" for pg in self.pages for fr in pg.frames) else None
            cont_continues = f.paragraphs and cont is not None and cont.first_continues
            f.paragraphs = _join(keep, zh)
            moved_paras = _join(moved, zh)
            if cont is not None:
                if cont_continues:  # the last moved sentence belongs to the continued paragraph
                    sep = "" if zh else " "
                    moved_paras[-1] = moved_paras[-1] + sep + cont.paragraphs[0]
                    cont.paragraphs = moved_paras + cont.paragraphs[1:]
                else:
                    cont.paragraphs = moved_paras + cont.paragraphs
                cont.first_continues = keep[-1][0] == moved[0][0] if keep else False
            return
        f.paragraphs = _drop_tail(f.paragraphs, zh, 0.12)
        if sum(len(p) for p in f.paragraphs) < (30 if zh else 80) and f.key not in ("lead", "cont"):
            page.frames.remove(f)  # too small for a story: leave the space empty
            if f.story in self.stories:
                self.stories.remove(f.story)
        elif not f.paragraphs:
            f.paragraphs = [f.story.paragraphs[0][:20]]

    # output --------------------------------------------------------------------
    def truth(self, file_name: str) -> dict:
        pages = []
        for p in self.pages:
            furniture = [s for fu in p.furniture for s in fu.strings]
            pages.append({"file": file_name, "page_index": p.number - 1, "page_number": p.number,
                          "header": p.header, "footer": p.footer, "columns": p.ncols, "rulings": False,
                          "width": p.width, "height": p.height, "body_size": round(p.style.body_size, 2),
                          "furniture": furniture, "stream_mix": p.stream_mix, "hyphenated": self.hyphenate})
        arts = []
        for p in self.pages:
            for f in p.frames:
                stories = f.items or ([f.story] if f.story else [])
                for s in stories:
                    if f.items:
                        s.pieces.append((p.number, list(s.paragraphs), (f.x0, f.top, f.x1, f.bottom)))
                    else:
                        s.pieces.append((p.number, list(f.paragraphs), (f.x0, f.top, f.x1, f.bottom)))
                    if f.key == "cont":
                        s.layout["continues"] = f.first_continues
        n = 0
        for s in self.stories:
            if not s.pieces:
                continue
            n += 1
            paragraphs: list[str] = []
            for k, (_, paras, _) in enumerate(s.pieces):
                if k > 0 and s.layout.get("continues") and paras:
                    sep = "" if self.zh else " "
                    paragraphs[-1] = paragraphs[-1] + sep + paras[0]
                    paragraphs += paras[1:]
                else:
                    paragraphs += paras
            text = "".join(paragraphs)
            pg = sorted({pn for pn, _, _ in s.pieces})
            dl = s.dateline if s.dateline and text.startswith(s.dateline) else ""
            credits = zh_printed_credits(s.byline, paragraphs, s.persons) if self.zh else en_printed_credits(s.byline)
            people = [{"name": n, "role": r} for n, r in credits]
            byline = s.byline
            if self.zh:  # credit lines and closing credits are the byline, not the body (as in the reportlab corpus)
                paragraphs, credit_lines = zh_credit_split(paragraphs, s.persons)
                byline = "\n".join(x for x in (s.byline, *credit_lines) if x)
            arts.append({
                "id": f"p{s.pieces[0][0]}-a{n}", "kind": s.kind, "kicker": "", "headline": s.headline,
                "subheadline": "", "byline": byline, "people": people,
                "dateline": dl, "dateline_date": s.dateline_date.isoformat() if dl and s.dateline_date else None,
                "dateline_place": s.dateline_place if dl else "",
                "paragraphs": paragraphs, "pages": pg,
                "boxes": [{"page": pn, "bbox": [round(v, 2) for v in bb]} for pn, _, bb in s.pieces],
                "caption": s.caption if s.layout.get("photo") else "",
                "jump_to": pg[1] if len(pg) > 1 else None, "jump_from": pg[0] if len(pg) > 1 else None,
                "layout": s.layout, "source": s.source,
            })
        return {"publication": ZH_PAPER[1] if self.zh else EN_PAPER[1], "edition_date": self.date.isoformat(),
                "language": self.language, "generator": "typst", "pages": pages, "articles": arts}

    def stream_keys(self, page: PagePlan, groups) -> list[str]:
        """Each text group's frame: the frame or furniture box that holds its origin."""
        boxes = [(f.key, f.x0, f.top, f.x1, f.bottom) for f in page.frames]
        boxes += [(f"furn{i}", fu.x0, fu.top, fu.x1, fu.bottom) for i, fu in enumerate(page.furniture)]
        keys = []
        for g in groups:
            key = "other"
            for k, x0, t, x1, b in boxes:
                if x0 - 2 <= g.x <= x1 + 2 and t - 4 <= g.top <= b + 30:
                    key = k
                    break
            keys.append(key)
        return keys


def _join(flat: list[tuple[int, str]], zh: bool) -> list[str]:
    out: list[str] = []
    last = None
    for i, sent in flat:
        if i == last and out:
            out[-1] = out[-1] + ("" if zh else " ") + sent
        else:
            out.append(sent)
        last = i
    return out


def _drop_tail(paragraphs: list[str], zh: bool, share: float) -> list[str]:
    flat = [(i, x) for i, p in enumerate(paragraphs) for x in sentences(p, zh)]
    if len(flat) <= 1:  # one sentence left: end it at a comma (zh) or a word (en)
        text = paragraphs[0] if paragraphs else ""
        keep = text[: int(len(text) * (1 - share))]
        cut = keep.rfind("，") if zh else keep.rfind(" ")
        keep = keep[: cut + 1].rstrip() if cut > len(keep) // 3 else keep
        return [keep] if len(keep) > 10 else []
    n = max(1, int(len(flat) * share))
    return _join(flat[:-n], zh)


def trim_to(s: Story, capacity: int, zh: bool) -> None:
    """Whole sentences from the end until the story holds at most ``capacity`` characters."""
    while s.length > capacity and s.paragraphs:
        flat = [(i, x) for i, p in enumerate(s.paragraphs) for x in sentences(p, zh)]
        if len(flat) <= 1:
            s.paragraphs = []
            return
        s.paragraphs = _join(flat[:-1], zh)


def _short_head(headline: str, zh: bool) -> str:
    if zh:
        return headline[:8] if len(headline) > 10 else headline
    return " ".join(headline.split()[:3])


def _spans(rng: random.Random, m: int) -> list[int]:
    out = []
    left = m
    while left > 0:
        if left <= 3:
            part = left if left != 3 or rng.random() < 0.5 else rng.choice([1, 2])
        else:
            part = rng.randint(2, min(4, left - 1))
        out.append(part)
        left -= part
    return out


def _runs(mcols, taken):
    """Maximal runs of adjacent columns not in ``taken``."""
    runs, cur = [], []
    for c in mcols:
        if c in taken:
            if cur:
                runs.append(cur)
            cur = []
        else:
            cur.append(c)
    if cur:
        runs.append(cur)
    return runs


# --------------------------------------------------------------------------
# editions
# --------------------------------------------------------------------------


def edition_plan(seed: int) -> tuple[str, int, dt.date]:
    """(language, pages, date) of a seed: two Chinese editions for every English one."""
    rng = random.Random(f"corpus2-plan-{seed}")
    language = "en" if seed % 3 == 0 else "zh"
    n_pages = rng.choice([3, 3, 4])
    if language == "zh":
        date = dt.date(1998, 1, 9 + (seed * 5) % 19)  # one day per seed: dev and held-out differ
    else:
        date = dt.date(2005, 10, 9) + dt.timedelta(days=7 * (seed % 37))
    return language, n_pages, date


def write_edition(out_dir: Path, seed: int) -> Path:
    language, n_pages, date = edition_plan(seed)
    b = EditionBuilder(seed, language, n_pages, date)
    b.build()
    b.fit()
    pub = ZH_PAPER[1] if b.zh else EN_PAPER[1]
    d = Path(out_dir) / pub / date.isoformat()
    d.mkdir(parents=True, exist_ok=True)
    name = f"{pub}_{date.isoformat()}.pdf"
    pdf = d / name
    b.document().compile(pdf)
    rng = random.Random(f"corpus2-stream-{seed}")

    def order(i: int, groups) -> list[int]:
        page = b.pages[i]
        return chunked_order(rng, b.stream_keys(page, groups), page.stream_mix)

    shuffle_pdf(pdf, order)
    hyphens_as_printed(pdf)
    truth = b.truth(name)
    if seed in SPLIT_SEEDS:  # one file per page: the jump goes from one file to another
        import pikepdf

        with pikepdf.open(pdf) as whole:
            for i, page in enumerate(whole.pages):
                one = pikepdf.new()
                one.pages.append(page)
                one.save(d / f"page_{i + 1:02d}.pdf", deterministic_id=True)
        pdf.unlink()
        for p in truth["pages"]:
            p["file"], p["page_index"] = f"page_{p['page_number']:02d}.pdf", 0
    (d / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return d


def generate(out_dir: Path, seeds: tuple[int, ...]) -> list[Path]:
    return [write_edition(out_dir, s) for s in seeds]


def main() -> None:  # pragma: no cover
    import argparse

    ap = argparse.ArgumentParser(description="write the Typst corpus (dev or held-out seeds)")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--seeds", type=int, nargs="*", default=None)
    args = ap.parse_args()
    seeds = tuple(args.seeds) if args.seeds else (DEV_SEEDS if args.split == "dev" else HELDOUT_SEEDS)
    for p in generate(args.out_dir, seeds):
        print(p)


if __name__ == "__main__":  # pragma: no cover
    main()
