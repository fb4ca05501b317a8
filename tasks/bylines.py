"""Bylines: find the credit line of an article and read who did what.

Chinese papers print the credit after the last paragraph (``记者 孙庆辉
通讯员 冯志斌``), run it in after the last sentence (``…发展支持。记者 孙庆辉``)
or set it under the headline (``本报记者 李超 王敏``).  English papers put
``By Jane Doe`` or an agency line under the headline.  ``split_byline`` and
``find_leading_byline`` cut the credit off the body; ``parse_byline`` turns it
into ``Person`` rows with roles.

Roles: reporter, correspondent, intern, photographer, writer, editor, agency,
author (English ``By``), source; ``文/图`` gives two rows, writer and
photographer (see WRITER_PHOTOGRAPHER_ROLES and EN_BY_ROLE to change those
two).  A photo credit (``记者 张三 摄``, ``（新华社记者陈建力摄）``, ``(AP
Photo/Jane Doe)``) makes photographers only, never reporters.  Reporters named
with their outlet or post (``本报驻加拿大记者 邹德浩``, ``新华社记者 王敏``)
keep it as the title.  A name alone in the closing bracket (``（峤聿）``,
``（杜中武孙传刚）``) or alone on a line under the headline is the author.  A
closing bracket that names where the copy came from (``（新华社）``,
``（据《经济日报》）``, ``（本报综合）``, English ``From wire reports``) gives
``source`` rows: the outlet, not a person (本报 for the paper itself).  An agency
printed as the byline (``Associated Press``, ``— Reuters``, ``新华社电``) is
``agency``.  Editors are page-level credits, not article authors (``is_author``
tells them apart).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from tasks.model import Person

# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------

# Role conventions, one line to change each.  文/图 gives the person two rows, writer and
# photographer, so "every photographer" and "every writer" are one filter each (model.Person,
# the corpus truth and the views agree).  An English "By Jane Doe" credit is an author.
WRITER_PHOTOGRAPHER_ROLES: tuple[str, ...] = ("writer", "photographer")
EN_BY_ROLE = "author"

# Role words printed before the names they apply to.
ZH_PREFIX_ROLES: dict[str, str] = {
    "本报记者": "reporter",
    "本报特约记者": "reporter",
    "本报见习记者": "reporter",
    "特约记者": "reporter",
    "首席记者": "reporter",
    "见习记者": "reporter",
    "实习记者": "reporter",
    "融媒体记者": "reporter",
    "全媒体记者": "reporter",
    "摄影记者": "photographer",
    "记者": "reporter",
    "本报通讯员": "correspondent",
    "特约通讯员": "correspondent",
    "通讯员": "correspondent",
    "实习生": "intern",
    "摄影": "photographer",
    "责任编辑": "editor",
    "本版编辑": "editor",
    "责编": "editor",
    "编辑": "editor",
    "美编": "editor",
    "校对": "editor",
    "文": "writer",
    "图": "photographer",
}
# Role words printed after the names they apply to.
ZH_SUFFIX_ROLES: dict[str, tuple[str, ...]] = {
    "摄影报道": ("photographer",),
    "绘": ("illustrator",),
    "绘图": ("illustrator",),
    "/画": ("illustrator",),
    "文/图": WRITER_PHOTOGRAPHER_ROLES,
    "图/文": WRITER_PHOTOGRAPHER_ROLES,
    "文图": WRITER_PHOTOGRAPHER_ROLES,
    "图文": WRITER_PHOTOGRAPHER_ROLES,
    "摄影": ("photographer",),
    "摄": ("photographer",),
    "供图": ("photographer",),
    "图": ("photographer",),
    "文": ("writer",),
    "报道": ("reporter",),
    "摘": ("author",),  # （木易摘）: excerpted by
    "摘编": ("author",),
    "整理": ("author",),
    "/文": ("writer",),
    "/图": ("photographer",),
    "/摄": ("photographer",),
}
# a closing photo credit: every name of its credit line took the picture
ZH_PHOTO_CREDITS = frozenset({"摄", "摄影", "攝", "攝影", "摄影报道"})
# Traditional-script papers print the same words in their own forms.
_TRADITIONAL = str.maketrans("记报见习约实摄编辑责讯图通讯员闻华社电", "記報見習約實攝編輯責訊圖通訊員聞華社電")
ZH_PREFIX_ROLES |= {k.translate(_TRADITIONAL): v for k, v in ZH_PREFIX_ROLES.items()}
ZH_SUFFIX_ROLES |= {k.translate(_TRADITIONAL): v for k, v in ZH_SUFFIX_ROLES.items()}

# News agencies: 新华社记者 X (reporter of the agency), 新华社电 (agency copy).
ZH_AGENCIES = ("新华社", "中新社", "中国新闻社", "人民网", "新华网", "央视新闻", "中新网", "新華社", "中央社", "中通社")
EN_AGENCIES: dict[str, str] = {
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "ap": "Associated Press",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "xinhua": "Xinhua",
    "xinhua news agency": "Xinhua",
    "dpa": "dpa",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
}
# Words that make a comma part of an English byline a title, not a name.
EN_TITLE_WORDS = frozenset(
    "staff writer reporter correspondent editor desk bureau chief columnist contributor special "
    "press news times herald post journal tribune daily senior business city sports political "
    "science health for the writers reporters".split()
)
NON_AUTHOR_ROLES = frozenset({"editor", "mentioned"})

_CJK = r"\u3400-\u9fff"
_SENTENCE_END = "。！？!?；…”」』"
_PUBLICATION_END = re.compile(r"(报|報|周刊|週刊|杂志|雜誌|网|網|台|社)$")
_ZH_ROLE_WORDS = sorted(
    set(ZH_PREFIX_ROLES) | set(ZH_SUFFIX_ROLES) | {a + w for a in ZH_AGENCIES for w in ("记者", "記者")}, key=len, reverse=True
)
# a reporter named with the outlet or post before 记者: 本报驻加拿大记者, 中国国际广播电台记者,
# 新华社特约记者, 本报驻上海记者; the outlet and post become the person's title
_ZH_OUTLET_REPORTER = re.compile(
    rf"^(?P<outlet>本报|本報|[{_CJK}]{{2,10}}?(?:社|报|報|台|网|網|刊))?(?P<post>驻[{_CJK}]{{1,8}}?)?"
    r"(?P<kind>特约|特派|首席|见习|实习|摄影|文字|常驻|驻站)?(?P<w>记者|記者)"
)
# an outlet that opens the next credit glued to a name: 陈毛弟本报记者吕网大
_GLUED_OUTLETS = ("本报记者", "本報記者", "新华社记者", "新華社記者", "中新社记者", "新华社通讯员", "本报通讯员")
_SEPARATORS = re.compile(r"[\s、,，;；]+")
# the dot between the parts of a transcribed (often ethnic-minority) name: 买买提·艾力
_NAME_DOTS = "·•・‧"
_DOTTED_NAME = re.compile(rf"^[{_CJK}]{{1,8}}(?:[{_NAME_DOTS}][{_CJK}]{{1,8}}){{1,3}}$")


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames) from tasks/data/surnames.txt."""
    text = resources.files("tasks").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


@lru_cache(maxsize=1)
def _to_simplified() -> dict[str, str]:
    text = resources.files("tasks").joinpath("data/zh_variants.txt").read_text(encoding="utf-8")
    pairs = [ln.split("\t")[:2] for ln in text.splitlines() if "\t" in ln and not ln.startswith("#")]
    return {t: s for s, t in pairs}


def surname_length(name: str) -> int:
    """Length of the known surname ``name`` starts with (2 compound, 1 single, 0 none).

    Traditional forms count as their simplified surname (陳 → 陈)."""
    single, compound = surnames()
    simp = _to_simplified()
    name = "".join(simp.get(c, c) for c in name[:2])
    if name[:2] in compound:
        return 2
    if name[:1] in single:
        return 1
    return 0


def is_cjk(text: str) -> bool:
    return bool(text) and all("\u3400" <= c <= "\u9fff" for c in text)


def looks_like_zh_name(token: str, *, need_surname: bool = True) -> bool:
    """A Chinese personal name: 2–4 CJK characters (surname first when asked),
    or a transcribed name whose parts a middle dot joins (阿依古丽·吾斯曼)."""
    if _DOTTED_NAME.match(token):
        return len(token) <= 16
    if not (2 <= len(token) <= 4 and is_cjk(token)):
        return False
    if token in ZH_PREFIX_ROLES or token in ZH_SUFFIX_ROLES or token in ZH_AGENCIES:
        return False
    if _PUBLICATION_END.search(token) and len(token) >= 3:
        return False
    if not need_surname:
        return True
    n = surname_length(token)
    return n > 0 and 1 <= len(token) - n <= 2


def _normalise(text: str) -> str:
    text = text.replace("\u3000", " ").replace("／", "/").replace("\u00a0", " ")
    return re.sub(r"\s*/\s*", "/", text).strip()


# --------------------------------------------------------------------------
# Chinese tokens
# --------------------------------------------------------------------------

# ("prefix" | "suffix" | "role", role word) | ("name", name) | ("pub", name) | ("agency", name);
# "role" is a standalone word that may be either (摄影, 文, 图): its place decides.
Token = tuple[str, str]


def _name_tokens(text: str) -> list[Token] | None:
    """A run of names, perhaps with a role word glued after (孙庆辉摄) or a publication."""
    if not text:
        return []
    for suffix in sorted(ZH_SUFFIX_ROLES, key=len, reverse=True):
        stem = text[: -len(suffix)]
        if text.endswith(suffix) and len(stem) >= 2 and (looks_like_zh_name(stem, need_surname=False) or _split_glued_names(stem)):
            # a glued 文/图 ends many names (何梅文): peel it only off a 4+ character run
            if "/" in suffix or len(suffix) >= 2 or suffix in ("摄", "摘") or len(text) >= 4 and looks_like_zh_name(stem):
                names = [stem] if looks_like_zh_name(stem, need_surname=False) else _split_glued_names(stem) or []
                return [("name", n) for n in names] + [("suffix", suffix)]
    if _PUBLICATION_END.search(text) and 3 <= len(text) <= 8 and is_cjk(text):
        return [("pub", text)]
    if len(text) == 4 and surname_length(text) == 1 and _split_glued_names(text, shortest=4):
        return [("name", n) for n in _split_glued_names(text, shortest=4) or []]  # 蔡晖贾永: two names
    if looks_like_zh_name(text, need_surname=False):
        return [("name", text)]
    split = _split_glued_names(text)
    return [("name", n) for n in split] if split else None


def _peel(chunk: str) -> list[Token] | None:
    """Read one space-free chunk: role words glued to names (记者孙庆辉, 孙庆辉摄)."""
    out: list[Token] = []
    rest = chunk.strip("/:：")
    while rest:
        agency = next((a for a in ZH_AGENCIES if rest.startswith(a)), None)
        if agency and rest[len(agency) : len(agency) + 1] in ("电", "发", "電", "發"):
            out.append(("agency", agency))
            rest = rest[len(agency) + 1 :].strip("/:：")
            continue
        if agency and rest[len(agency) :].startswith(("记者", "記者")):
            out.append(("prefix", agency + "记者"))
            rest = rest[len(agency) + 2 :].strip("/:：")
            continue
        posted = _ZH_OUTLET_REPORTER.match(rest)
        outlet_name = (posted.group("outlet") or "") if posted else ""
        if any(o in outlet_name[1:] for o in ("本报", "本報", *ZH_AGENCIES)):
            posted = None  # 陈毛弟本报记者: a name glued before the next credit, not an outlet
        if posted and (posted.group("post") or posted.group("kind") or posted.group("outlet") not in (None, "本报", "本報")):
            outlet = "" if posted.group("outlet") in (None, "本报", "本報") else posted.group("outlet")
            role = "photographer" if posted.group("kind") == "摄影" else "reporter"
            out.append(("posted", f"{role}|{outlet}{posted.group('post') or ''}"))
            rest = rest[posted.end() :].strip("/:：")
            continue
        word = next((w for w in _ZH_ROLE_WORDS if rest.startswith(w)), None)
        if word is not None:
            after = rest[len(word) :].strip("/:：")
            if not after:
                out.append(("role" if word in ZH_PREFIX_ROLES and word in ZH_SUFFIX_ROLES else
                            "prefix" if word in ZH_PREFIX_ROLES else "suffix", word))
                return out
            if len(word) >= 2 or rest[len(word)] in "/:：" or _peel(after) is not None:
                if word in ZH_PREFIX_ROLES:
                    out.append(("prefix", word))
                    rest = after
                    continue
        # names up to the next glued prefix role word (孙庆辉通讯员冯志斌)
        cut = min(
            (i for i in range(2, len(rest))
             for w in ("记者", "通讯员", "实习生", "摄影", "编辑", "記者", "通訊員", "實習生", "攝影", "編輯", *_GLUED_OUTLETS)
             if rest.startswith(w, i)),
            default=len(rest),
        )
        names = _name_tokens(rest[:cut])
        if names is None:
            return None
        out.extend(names)
        rest = rest[cut:]
    return out


def _split_glued_names(text: str, *, shortest: int = 5) -> list[str] | None:
    """李超王敏 → [李超, 王敏], 赵玉平阎蒙立李华英 → three names: every piece starts
    with a surname; 张三和李四 → [张三, 李四].  Runs shorter than ``shortest`` stay whole."""
    if "和" in text[2:-2]:
        i = text.index("和", 2)
        a, b = text[:i], text[i + 1 :]
        if looks_like_zh_name(a) and looks_like_zh_name(b):
            return [a, b]
    if not (shortest <= len(text) <= 12 and is_cjk(text)):
        return None
    return _glued(text)


def _glued(text: str) -> list[str] | None:
    """The most likely cut of a glued run into names: each piece starts with a
    surname, and the cut whose surnames are the most common wins (张雄张占涛 →
    张雄, 张占涛 rather than 张雄张, 占涛)."""
    best: tuple[int, int] | None = None
    best_cut: list[str] | None = None
    for cut in _cuts(text):
        score = (sum(_surname_rank(n) for n in cut), -sum(len(n) == 3 for n in cut))
        if best is None or score < best:
            best, best_cut = score, cut
    return best_cut


def _cuts(text: str) -> list[list[str]]:
    if not text:
        return [[]]
    out = []
    for n in (3, 2, 4):
        head = text[:n]
        if len(head) == n and looks_like_zh_name(head) and (n < 4 or surname_length(head) == 2):
            out += [[head, *rest] for rest in _cuts(text[n:])]
    return out


@lru_cache(maxsize=1)
def _surname_ranks() -> dict[str, int]:
    text = resources.files("tasks").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return {w: i for i, w in enumerate(w for w in words if len(w) == 1)}


def _surname_rank(name: str) -> int:
    """0 for the commonest surname (the order of surnames.txt); compound surnames rank first."""
    if surname_length(name) == 2:
        return 0
    return _surname_ranks().get(_to_simplified().get(name[0], name[0]), 400)


def zh_byline_tokens(text: str) -> list[Token] | None:
    """Tokens of a Chinese credit line, or None when it is not one."""
    # bullets and rules papers set before a credit (■ ◎ ●), and brackets around it
    text = re.sub(r"^[^\w]+|[^\w]+$", "", _normalise(text))
    if not text or len(text) > 60:
        return None
    tokens: list[Token] = []
    for chunk in _SEPARATORS.split(text):
        if not chunk:
            continue
        got = _peel(chunk)
        if got is None:
            return None
        tokens.extend(got)
    return tokens


def is_zh_byline(text: str) -> bool:
    """True when the whole of ``text`` reads as a Chinese credit line."""
    tokens = zh_byline_tokens(text)
    if not tokens:
        return False
    names = [v for k, v in tokens if k == "name"]
    roles = [v for k, v in tokens if k in ("prefix", "suffix", "role", "agency", "posted")]
    if not names and not any(k == "agency" for k, _ in tokens):
        return False
    if not roles:
        return False
    # a lone 文/图 word must sit next to a name: 方宝岭 文/图, 文/方宝岭
    loose = [v for k, v in tokens if k in ("prefix", "suffix", "role") and v in ("文", "图")]
    if loose and len(tokens) < 2:
        return False
    return all(looks_like_zh_name(v) or _framed_name(tokens, i) for i, (k, v) in enumerate(tokens) if k == "name")


def _framed_name(tokens: list[Token], i: int) -> bool:
    """A name with no surname of the list (a Tibetan or transcribed name: 索朗罗布, 扎西次仁) that a
    role word on each side frames: 新华社记者索朗罗布摄."""
    name = tokens[i][1]
    before = tokens[i - 1] if i > 0 else ("", "")
    after = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
    return (2 <= len(name) <= 4 and is_cjk(name) and before[0] in ("prefix", "posted")
            and after[0] in ("suffix", "role") and after[1] in ZH_PHOTO_CREDITS)


def _parse_zh(text: str, default_role: str = "author") -> list[Person]:
    tokens = zh_byline_tokens(text) or []
    people: list[Person] = []
    prefix_roles: tuple[str, ...] = ()
    prefix_title = ""
    pending: list[str] = []

    credit_start = 0  # where the current credit (up to a paper's name) began in ``people``

    def flush(roles: tuple[str, ...] | None) -> None:
        for name in pending:
            for role in roles or prefix_roles or (default_role,):
                people.append(Person(name, role, prefix_title if roles is None else ""))
        pending.clear()

    for kind, value in tokens:
        as_suffix = kind == "suffix" or (kind == "role" and bool(pending))
        if as_suffix and pending and value in ZH_PHOTO_CREDITS:
            # 新华社记者 谢环驰摄 / 记者 王敏 通讯员 李超 摄: a photo credit; every name of
            # the credit took the picture and is its photographer, not a reporter of the text
            flush(None)
            photo = [p for p in people[credit_start:] if p.role != "agency"]
            people[credit_start:] = [p for p in people[credit_start:] if p.role == "agency"]
            for p in photo:
                if not any(q.name == p.name and q.role == "photographer" for q in people):
                    people.append(Person(p.name, "photographer", p.title))
        elif as_suffix and pending:
            flush(ZH_SUFFIX_ROLES[value])
        elif kind in ("prefix", "role", "suffix"):
            flush(None)
            if value.endswith(("记者", "記者")) and value[:-2] in ZH_AGENCIES:
                prefix_roles, prefix_title = ("reporter",), value[:-2]
            else:  # 记者 / 通讯员 / 文/图 方宝岭 (a suffix word printed first)
                prefix_roles = (ZH_PREFIX_ROLES[value],) if value in ZH_PREFIX_ROLES else ZH_SUFFIX_ROLES[value]
                prefix_title = ""
        elif kind == "posted":  # 本报驻加拿大记者 / 新华社特约记者
            flush(None)
            role, _, prefix_title = value.partition("|")
            prefix_roles = (role,)
        elif kind == "agency":
            flush(None)
            people.append(Person(value, "agency"))
        elif kind == "name":
            pending.append(value)
        elif kind == "pub":  # 记者 孙庆辉 高新时报 方宝岭 文/图: a paper's name starts a new credit
            flush(None)
            prefix_roles, prefix_title = (), ""
            credit_start = len(people)
    flush(None)
    return people


# --------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------

# By (and the words Italian, French and Spanish papers print for it, lower case: di Michele Ainis)
_EN_BY = re.compile(r"^(?:(?i:by|written by|story by)|di|par|por)\s+(.+)$")
# a pointer to the page the story is on, run on after a front-page credit: ● alle pagine 20 e 21
_PAGE_POINTER = re.compile(r"\s*[●■▶►]\s*.*$")
_EN_PHOTO = re.compile(r"^(?:photos?|photograph(?:s|y)?|pictures?)\s*(?:by|:)\s*(.+)$", re.I)
_EN_CREDIT_SLASH = re.compile(r"^([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\s*/\s*([A-Za-z][\w .&-]{1,40})$")
_EN_REPORTING = re.compile(r"(reporting|writing|editing|additional reporting)\s+by\s+([^;()]+)", re.I)
# (AP Photo/Jane Doe), Reuters Photo/John Roe, AP Photo: the photographer, with the agency as title
_EN_AGENCY_PHOTO = re.compile(r"^(?P<agency>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)?)?\s*Photos?\s*/\s*(?P<names>.+)$")
# From wire reports / Staff and wire reports / Compiled from wire reports
_EN_WIRE = re.compile(r"^(?:(?:compiled\s+)?from\s+)?(?:(?:staff|local)\s+and\s+)?(?:wire|news\s+service|news\s+agency)\s+reports?\.?$", re.I)
# — Reuters / — JANE DOE: a credit line set after the body, led by a dash
_EN_DASH_CREDIT = re.compile(r"^[—–-]{1,2}\s*(?P<credit>[^—–]+)$")
_EN_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|da|del|der|la|le|bin|al-\w+))*$")


def _is_en_name(name: str) -> bool:
    """A personal name as printed in a credit: capitalised words, the last a whole word (not a lone
    initial: "Photo: Item P." is a caption's label, not a photographer)."""
    name = name.strip()
    return bool(_EN_NAME.match(name)) and not re.search(r"(?:^|\s)[A-Z]\.?$", name)


def _name_case(name: str) -> str:
    """JANE DOE → Jane Doe; Jane Doe stays."""
    name = " ".join(name.split())
    if name.isupper():
        return " ".join(w.capitalize() if len(w) > 2 or not w.endswith(".") else w for w in name.split())
    return name


def _is_en_title(part: str) -> bool:
    words = re.findall(r"[A-Za-z]+", part.lower())
    return bool(words) and (any(w in EN_TITLE_WORDS for w in words) or part.lower().strip() in EN_AGENCIES)


def _en_agency(text: str) -> str | None:
    key = re.sub(r"[\s.]+", " ", text.strip().strip("()—–-").lower()).strip()
    return EN_AGENCIES.get(key)


# the last word of a newspaper's name (The Washington Post, Mat-Su Monitor)
_EN_PAPER_WORDS = frozenset("times herald post journal tribune monitor gazette observer chronicle courier register "
                            "telegraph guardian independent examiner inquirer bulletin dispatch".split())
_EN_STRONG_TITLE = frozenset("staff writer reporter correspondent editor desk columnist contributor bureau".split())


def _peel_en_title(part: str) -> tuple[str, str]:
    """'Jane Doe Staff Writer' → ('Jane Doe', 'Staff Writer'); names without a title stay."""
    words = part.split()
    cut = len(words)
    while cut > 2 and words[cut - 1].lower().strip(".,") in EN_TITLE_WORDS:
        cut -= 1
    trailing = words[cut:]
    if not any(w.lower().strip(".,") in _EN_STRONG_TITLE for w in trailing):
        # the paper's name run on after the writer's: 'Jake Magoon Mat-su Monitor', 'Jane Doe Washington Post'
        if len(words) >= 4 and words[-1].lower().strip(".,") in _EN_PAPER_WORDS:
            return " ".join(words[:-2]), " ".join(words[-2:])
        return part, ""
    return " ".join(words[:cut]), " ".join(trailing)


def _parse_en(text: str) -> list[Person]:
    text = " ".join(text.split())
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    dash = _EN_DASH_CREDIT.match(text)
    if dash:
        text = dash.group("credit").strip()
    if _EN_WIRE.match(text):
        return [Person("wire reports", "source")]
    ap_photo = _EN_AGENCY_PHOTO.match(text)
    if ap_photo:
        agency = _en_agency(ap_photo.group("agency") or "") or (ap_photo.group("agency") or "")
        names = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", ap_photo.group("names")) if n.strip()]
        return [Person(_name_case(n), "photographer", agency) for n in names if _is_en_name(n)]
    people: list[Person] = []
    agency = _en_agency(text)
    if agency:
        return [Person(agency, "agency")]
    reporting = _EN_REPORTING.findall(text)
    if reporting:
        for what, names in reporting:
            role = "editor" if what.lower() == "editing" else EN_BY_ROLE
            for n in re.split(r",\s*|\s+and\s+|\s*&\s*", names.strip()):
                if n and _EN_NAME.match(n.strip()):
                    people.append(Person(_name_case(n.strip()), role))
        return people
    m = _EN_PHOTO.match(text)
    if m:
        rest = m.group(1)
        slash = _EN_CREDIT_SLASH.match(rest)
        if slash:
            return [Person(_name_case(slash.group(1)), "photographer", slash.group(2).strip())]
        names = [n for n in re.split(r",\s*|\s+and\s+|\s*&\s*", rest) if n]
        return [Person(_name_case(n), "photographer") for n in names if _is_en_name(n)]
    slash = _EN_CREDIT_SLASH.match(text)
    if slash and not _EN_BY.match(text) and _is_en_title(slash.group(2)) and not _en_agency(slash.group(2)):
        # JANE DOE / Staff Writer: the writer, with a title
        return [Person(_name_case(slash.group(1)), EN_BY_ROLE, slash.group(2).strip())]
    if slash and not _EN_BY.match(text):
        return [Person(_name_case(slash.group(1)), "photographer", _en_agency(slash.group(2)) or slash.group(2).strip())]
    m = _EN_BY.match(text)
    body = _PAGE_POINTER.sub("", m.group(1) if m else text)
    parts = [p.strip() for p in re.split(r",|\s*\|\s*|\s+[—–]\s+|\s+-\s+", body) if p.strip()]
    names: list[str] = []
    title = ""
    extra_agency: str | None = None
    for i, part in enumerate(parts):
        if i > 0 and _is_en_title(part) or _en_agency(part):
            agency_here = _en_agency(part)
            if agency_here:
                extra_agency = agency_here
            title = (title + ", " if title else "") + part.strip()
            continue
        for n in re.split(r"\s+(?:and|e|et|y)\s+|\s*&\s*", part):
            n, trailing = _peel_en_title(n.strip())
            if trailing:  # "By JANE DOE Staff Writer": the title line joined onto the name
                title = (title + ", " if title else "") + trailing
            if n and _is_en_name(n):
                names.append(_name_case(n))
    people = [Person(n, EN_BY_ROLE, title) for n in names]
    if extra_agency:
        people.append(Person(extra_agency, "agency"))
    return people


# --------------------------------------------------------------------------
# closing brackets: pen names and sources; bare names; photo credits in text
# --------------------------------------------------------------------------

# what a closing bracket holds that credits nobody: (完) (待续) (图片) (附图片１张) (试行)
ZH_NOT_CREDIT = frozenset(
    "完 续完 待续 未完 未完待续 全文完 图片 照片 传真照片 附图 附表 图表 摘要 节选 摘编 上 中 下 续 注 编者按 "
    "试行 草案 征求意见稿 特稿 专稿 连载 插图 漫画 资料 资料图 题图 广告 本报 本刊 本版 声明 提示".split()
)
# words before a source: 据《经济日报》, 综合新华社电, 摘自《求是》
_SOURCE_LEAD = re.compile(r"^(?:据|综合|转自|摘自|选自|原载|来源[:：]?|稿源[:：]?|摘编自|编译自)")
_SOURCE_TAIL = re.compile(r"(?:综合报道|综合|专电|电讯|电|讯|消息|报道|供稿|稿|发)$")
_SOURCE_DATELINE = re.compile(rf"^(?P<outlet>本报|本報|[{_CJK}]{{2,10}}?(?:社|台|网|報|报))[{_CJK}]{{1,8}}?[0-9０-９一二三四五六七八九十]{{1,3}}月[0-9０-９一二三四五六七八九十]{{1,3}}日$")
_OUTLET_END = re.compile(r"(?:社|报|報|台|网|網|刊|杂志|雜誌|周刊|新闻|新聞|频道|电视|电台|在线|客户端)$")
# a bare name that is a place or a body, not a person: 高新区, 李家村
_NOT_NAME_END = re.compile(r"(?:区|市|县|省|镇|乡|村|路|街|州|港|湾|山|河|湖|局|厅|委|办|院|所|会|部|处|站|队|校|厂|店|馆|园|场)$")


def closing_sources(text: str) -> list[Person] | None:
    """Where a story's copy came from, from a closing bracket: （新华社） （据《经济日报》）
    （本报综合） （本报专电） （新华社北京１２月３１日电） （综合新华社、中新社电）.

    Each outlet is a ``Person(outlet, "source")`` (本报 for the paper itself);
    None when ``text`` names no source."""
    text = _normalise(text).strip("（）()[]【】 ")
    lead = _SOURCE_LEAD.match(text)
    rest = text[lead.end() :] if lead else text
    if not rest or len(rest) > 40:
        return None
    items = [x for x in re.split(r"[、，,和及]", rest) if x]
    out: list[Person] = []
    for item in items:
        item = item.strip()
        titled = bool(re.match(r"^[《〈「“\"].+[》〉」”\"]", item))
        item = re.sub(r"^[《〈「“\"]|[》〉」”\"]", "", item)
        dated = _SOURCE_DATELINE.match(_SOURCE_TAIL.sub("", item))
        if dated:
            item = dated.group("outlet")
        tail_stripped = _SOURCE_TAIL.sub("", item) if not titled else item
        if item.startswith(("本报", "本報", "本刊")) and tail_stripped[2:] in ("", "综合"):
            name = item[:2]
        elif tail_stripped in ZH_AGENCIES or (titled and 2 <= len(tail_stripped) <= 20) or (
            is_cjk(tail_stripped) and 2 <= len(tail_stripped) <= 12 and _OUTLET_END.search(tail_stripped)
        ):
            name = tail_stripped
        else:
            return None
        if not any(p.name == name for p in out):
            out.append(Person(name, "source"))
    if not out or (not lead and not titled and out == [Person("本报", "source")] and text in ("本报", "本報")):
        return None
    return out


# a closing credit's name, then what the writer did: （木易摘） （张三整理）
_COMPILED_BY = re.compile(r"(?:摘编|摘|整理)$")
# the last character of a unit the writers name before themselves: （湖南冷水江市李典强李巨平）
_UNIT_END = "市县区省局厂院校所站队部委办处镇乡村司"


def _pen_name_parts(text: str) -> list[str] | None:
    """The names of a closing bracket that holds only names (the author's), else None:
    （峤聿） （雨田） （杜中武孙传刚） （木易摘） （湖北麻城市交通局熊承元毕宗锐）."""
    text = _normalise(text).strip("（）() ")
    if not text or text in ZH_NOT_CREDIT:
        return None
    stem = _COMPILED_BY.sub("", text)
    if stem != text and len(stem) >= 2:
        return _pen_name_parts(stem)
    if _DOTTED_NAME.match(text):
        return [text]
    if not is_cjk(text):
        return None
    if not (_NOT_NAME_END.search(text) or _OUTLET_END.search(text)):
        if 2 <= len(text) <= 4 and not (len(text) == 4 and _split_glued_names(text, shortest=4)):
            return [text] if text not in ZH_PREFIX_ROLES and text not in ZH_SUFFIX_ROLES else None
        glued = _split_glued_names(text, shortest=4)
        if glued:
            return glued
    # the writers' unit, then their names: 湖南冷水江市 李典强 李巨平
    for i in range(2, len(text) - 1):
        if text[i - 1] not in _UNIT_END:
            continue
        rest = text[i:]
        names = _split_glued_names(rest, shortest=4) if len(rest) >= 4 else ([rest] if is_bare_name(rest) else None)
        if names and all(looks_like_zh_name(n) for n in names):
            return names
    return None


def is_pen_name(text: str) -> bool:
    """A name alone in a closing bracket: （峤聿） （雨田） （黄起和） （杜中武孙传刚）, perhaps
    with the writers' unit before (（湖南冷水江市李典强李巨平）) or 摘/整理 after (（木易摘）)."""
    return _pen_name_parts(text) is not None


def pen_names(text: str) -> list[str]:
    """The names of a pen-name credit (several when glued: 陈杰杨颖 → 陈杰, 杨颖)."""
    return _pen_name_parts(text) or [_normalise(text).strip("（）() ")]


# a post that signs an article with the name after it: 社科院农发所副所长韩俊, 林业部部长陈耀邦
_POST_END = re.compile(r"(?:长|主任|书记|主席|委员|教授|研究员|院士|经理|董事长|总裁|专家|博士|总编辑|主编|工程师|会长)$")


def post_and_name(text: str) -> tuple[str, str] | None:
    """(post, name) of a line that is a post and a name and nothing else, else None."""
    text = _normalise(text)
    if not (5 <= len(text) <= 24 and is_cjk(text)):
        return None
    for n in (3, 2):
        post, name = text[:-n], text[-n:]
        if len(post) >= 2 and _POST_END.search(post) and looks_like_zh_name(name) and is_bare_name(name):
            return post, name
    return None


def _unknown_word(text: str) -> bool:
    """Not in jieba's dictionary at all: a pen name (峭岩, 大农) rather than a word (欧盟, 综述)."""
    try:
        from tasks.entities import _dict_tag
    except ImportError:  # pragma: no cover
        return False
    return _dict_tag(text) is None


def is_bare_name(text: str) -> bool:
    """A name printed alone on its line or paragraph, no role word: 秦秋, 苏来兴, 欧阳晓明.

    Needs a surname (a bare fragment like 高新区 must not pass), or a dotted
    transcribed name."""
    text = _normalise(text)
    if _DOTTED_NAME.match(text):
        return True
    if not looks_like_zh_name(text) or _NOT_NAME_END.search(text) or text in ZH_NOT_CREDIT:
        return False
    try:  # jieba's dictionary (tasks.entities): 欧盟 and 高度 are words, not names
        from tasks.entities import _is_common_word
    except ImportError:  # pragma: no cover - entities reorganised: a bare name needs its dictionary check
        return False
    return not _is_common_word(text)


# photo credits anywhere in a text or caption: （新华社记者陈建力摄） (AP Photo/Jane Doe)
_ZH_PHOTO_IN_TEXT = re.compile(rf"[（(]([^（）()]{{2,40}}?(?:摄|摄影|攝|攝影|供图|/图))[）)]")
_EN_PHOTO_IN_TEXT = re.compile(r"\(((?:[A-Z][\w.&'-]*\s+)?Photos?\s*(?:/|by|:)\s*[^()]{2,60})\)")


_PHOTO_LEAD = re.compile(r"^(?:压题照片|题图|本栏照片均为|本版照片均为|本版图片均为|照片|图片|图)[：:]?\s*")


def photo_credits(text: str) -> list[str]:
    """The photo credits printed inside a text or a caption, as printed without brackets
    (a lead phrase such as 压题照片： or 本栏照片均为 left out)."""
    out = [c for c in (_PHOTO_LEAD.sub("", m.group(1)) for m in _ZH_PHOTO_IN_TEXT.finditer(text)) if is_zh_byline(c)]
    out += [m.group(1) for m in _EN_PHOTO_IN_TEXT.finditer(text)]
    return out


def bare_name_credit(paragraphs: list[str]) -> str:
    """A column's author printed as a bare name: a paragraph that is only a name,
    under the headline (before the text) or after the last paragraph; "" when none."""
    paras = [p.strip() for p in paragraphs if p.strip()]
    if len(paras) >= 2 and is_bare_name(paras[-1]) and paras[-2][-1:] in _SENTENCE_END:
        return paras[-1]
    for i, p in enumerate(paras[:2]):
        if len(paras) > i + 1 and len(paras[i + 1]) > len(p) and (
            is_bare_name(p) or (is_cjk(p) and not _NOT_NAME_END.search(p) and _split_glued_names(p, shortest=4))
            or (i == 0 and post_and_name(p) is not None)
            or (2 <= len(p) <= 3 and len(paras[i + 1]) >= 20 and is_cjk(p) and p not in ZH_NOT_CREDIT
                and _unknown_word(p))
        ):  # 秦秋 / 徐宝康王林昌 / 邱廷和陈亭 / the pen name 峭岩 set under the headline
            return p
    return ""


def credit_paragraphs(paragraphs: list[str]) -> list[str]:
    """Paragraphs among the first three that are wholly a credit line (本报记者张帆 set
    under a standfirst), in order."""
    return [p.strip() for p in paragraphs[:3] if p.strip() and len(p.strip()) <= 40 and _is_byline_line(p.strip())]


def _bracketed_credit(text: str) -> bool:
    """A whole bracketed closing credit: （峤聿） （新华社） （据《经济日报》） （新华社记者周确摄）."""
    text = _normalise(text)
    if not re.fullmatch(r"[（(][^（）()]{1,40}[）)]", text):
        return False
    inner = text[1:-1].strip()
    return is_pen_name(inner) or closing_sources(inner) is not None or (
        is_zh_byline(inner) and not re.search(r"[。！？!?；，：“”]", inner))


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------


def parse_byline(byline: str, default_role: str = "author") -> list[Person]:
    """Credit text → people with roles (one row per person and role).

    ``default_role`` is given to Chinese names printed without a role word
    (``高新时报 范鹏``); a credit inside a dateline (本报讯（范鹏）) is the
    reporter's, so datelines pass "reporter".
    """
    byline = _normalise(byline)
    if not byline:
        return []
    people: list[Person] = []
    for line in byline.split("\n"):
        line = line.strip()
        if not line:
            continue
        if re.search(f"[{_CJK}]", line):
            head, _, last = line.rpartition(" ")
            if head and not is_zh_byline(line) and closing_sources(last.strip("（）()")) is not None:
                # 本报驻罗马尼亚记者梁晓华 本报布加勒斯特1月14日电: credits above and below the text, joined
                people.extend(parse_byline(head, default_role) + (closing_sources(last.strip("（）()")) or []))
                continue
            bare = line.strip("（）()")
            sources = None if is_zh_byline(bare) and not _SOURCE_LEAD.match(bare) else closing_sources(bare)
            if sources is not None:  # （新华社） （据《经济日报》）: where the copy came from
                people.extend(sources)
            elif not is_zh_byline(bare) and is_pen_name(bare):
                people.extend(Person(n, default_role) for n in pen_names(bare))
            elif not is_zh_byline(bare) and post_and_name(bare):  # 林业部部长陈耀邦 signing the article
                post, name = post_and_name(bare) or ("", "")
                people.append(Person(name, default_role, post))
            else:
                people.extend(_parse_zh(line, default_role))
        elif people and _is_en_title(line) and not _en_agency(line):
            for p in people:  # "Staff Writer" on its own line under "By Jane Doe"
                if p.role == EN_BY_ROLE and not p.title:
                    p.title = line
        else:
            people.extend(_parse_en(line))
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in people:
        if (p.name, p.role) not in seen:
            seen.add((p.name, p.role))
            unique.append(p)
    return unique


def is_author(person: Person) -> bool:
    """True for credits of the article itself (not editors, not people mentioned)."""
    return person.role not in NON_AUTHOR_ROLES


def _is_en_byline_line(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 90:
        return False
    if _en_agency(line):
        return True
    if _EN_REPORTING.search(line) and line.startswith("("):
        return True
    bare = line.strip("()")
    if _EN_WIRE.match(bare):
        return True
    if _EN_AGENCY_PHOTO.match(bare) or (_EN_CREDIT_SLASH.match(bare) and _is_en_title(_EN_CREDIT_SLASH.match(bare).group(2))):
        return bool(_parse_en(bare))
    dash = _EN_DASH_CREDIT.match(line)
    if dash:  # — Reuters / — JANE DOE
        credit = dash.group("credit").strip()
        return bool(_en_agency(credit) or (_EN_NAME.match(credit) and 2 <= len(credit.split()) <= 4
                                           and not _is_en_title(credit)))
    m = _EN_BY.match(line) or _EN_PHOTO.match(line)
    if not m:
        return False
    if re.search(r"[.!?]\s*$", line.rstrip(")")) and not re.search(r"\b[A-Z]\.$", line):
        return False
    people = _parse_en(line)  # "By the end of the year" names nobody
    return bool(people) and all(p.role == "agency" or _EN_NAME.match(p.name) for p in people)


def _is_byline_line(line: str) -> bool:
    line = line.strip()
    if re.search(f"[{_CJK}]", line):
        return (not re.search(r"[。！？!?；，：“”]", line) and is_zh_byline(line)) or _bracketed_credit(line)
    return _is_en_byline_line(line)


def _appended_byline(line: str) -> int | None:
    """Where a run-in credit starts on the last line (…发展支持。记者 孙庆辉), or None."""
    for m in reversed(list(re.finditer(f"[{_SENTENCE_END}]", line))):
        tail = line[m.end() :].strip()
        if not tail:
            continue
        if _bracketed_credit(tail):  # …有信心。（峤聿） / …（据《经济日报》）
            return m.end()
        start = _normalise(tail).lstrip("（(【[")
        if not any(start.startswith(w) for w in ZH_PREFIX_ROLES if len(w) >= 2) and not any(
            start.startswith(a) for a in ZH_AGENCIES
        ):
            return None
        if is_zh_byline(tail) and not re.search(r"[。！？!?；，：“”]", tail):
            names = [v for k, v in zh_byline_tokens(tail) or [] if k == "name"]
            if names and all(looks_like_zh_name(n) for n in names):
                return m.end()
        return None
    return None


# an English credit run on after the last sentence: … the changes. From wire reports /
# … an appeal. (Reporting by Jane Doe; Editing by John Roe) / … the vote. — Reuters
_EN_APPENDED = re.compile(
    r"(?<=[.!?\"”’)])\s+(?P<credit>(?:(?:compiled\s+)?from\s+)?(?:staff\s+and\s+)?wire\s+reports\.?"
    r"|\((?:additional\s+)?reporting\s+by\s+[^()]{3,80}\)|[—–]\s*(?:the\s+)?(?:associated\s+press|reuters|ap|afp|bloomberg))$",
    re.I,
)


def split_byline(text: str) -> tuple[str, str]:
    """Body text → (body without the trailing credit, credit text).

    Takes whole trailing lines that read as credits (``记者 孙庆辉 通讯员
    冯志斌`` / ``高新时报 方宝岭 文/图`` / ``By Jane Doe``) and a credit run
    in after the last sentence (``…发展支持。记者 孙庆辉``).  Credit lines are
    joined with "\\n" in printed order.  Text without a credit is returned
    unchanged with an empty byline.
    """
    lines = text.rstrip().split("\n")
    credits: list[str] = []
    while lines and _is_byline_line(lines[-1]):
        line = lines.pop().strip()
        if re.fullmatch(r"[（(][^（）()]+[）)]", line):  # （峤聿） on a line of its own: the credit is inside
            line = line[1:-1].strip()
        credits.insert(0, line)
    if lines and not re.search(f"[{_CJK}]", lines[-1]):
        m = _EN_APPENDED.search(lines[-1].rstrip())
        if m and _parse_en(m.group("credit")):
            credits.insert(0, m.group("credit").strip().strip("()"))
            lines[-1] = lines[-1].rstrip()[: m.start()].rstrip()
    if lines and not credits:
        cut = _appended_byline(lines[-1].rstrip())
        if cut is not None:
            last = lines[-1].rstrip()
            credits.insert(0, last[cut:].strip().strip("（）()"))
            lines[-1] = last[:cut]
    if not credits:
        return text, ""
    return "\n".join(lines).rstrip(), "\n".join(credits)


def find_leading_byline(text: str) -> tuple[str, str]:
    """Text → (text without a credit line at its start, that credit line).

    English ``By Jane Doe and John Roe`` / ``By JANE DOE, Staff Writer`` /
    ``Associated Press`` lines, an English title line right after a ``By``
    line (``Staff Writer``), and Chinese credit lines set under the headline
    (``本报记者 李超 王敏``).
    """
    lines = text.lstrip().split("\n")
    if len(lines) < 2 or not _is_byline_line(lines[0]):
        return text, ""
    taken = [lines.pop(0).strip()]
    if (
        lines
        and len(lines) > 1
        and _EN_BY.match(taken[0])
        and len(lines[0]) <= 40
        and _is_en_title(lines[0])
        and not re.search(r"[.!?]$", lines[0].strip())
    ):
        taken.append(lines.pop(0).strip())
    return "\n".join(lines), "\n".join(taken)
