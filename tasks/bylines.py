"""Bylines: find the credit line of an article and read who did what.

Chinese papers print the credit after the last paragraph (``记者 孙庆辉
通讯员 冯志斌``), run it in after the last sentence (``…发展支持。记者 孙庆辉``)
or set it under the headline (``本报记者 李超 王敏``).  English papers put
``By Jane Doe`` or an agency line under the headline.  ``split_byline`` and
``find_leading_byline`` cut the credit off the body; ``parse_byline`` turns it
into ``Person`` rows with roles.

Roles: reporter, correspondent, intern, photographer, writer, editor, agency,
author (English ``By``); ``文/图`` gives two rows, writer and photographer
(see WRITER_PHOTOGRAPHER_ROLES and EN_BY_ROLE to change those two);
``记者 张三 摄`` is a photo credit (photographer).  Editors are page-level
credits, not article authors (``is_author`` tells them apart).
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
    "/文": ("writer",),
    "/图": ("photographer",),
    "/摄": ("photographer",),
}
# a closing photo credit: every name of its credit line took the picture
ZH_PHOTO_CREDITS = frozenset({"摄", "摄影", "攝", "攝影"})
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
_SEPARATORS = re.compile(r"[\s、,，;；·]+")


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
    """A Chinese personal name: 2–4 CJK characters (surname first when asked)."""
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
            if "/" in suffix or len(suffix) >= 2 or suffix == "摄" or len(text) >= 4 and looks_like_zh_name(stem):
                names = [stem] if looks_like_zh_name(stem, need_surname=False) else _split_glued_names(stem) or []
                return [("name", n) for n in names] + [("suffix", suffix)]
    if _PUBLICATION_END.search(text) and 3 <= len(text) <= 8 and is_cjk(text):
        return [("pub", text)]
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
            (i for i in range(2, len(rest)) for w in ("记者", "通讯员", "实习生", "摄影", "编辑", "記者", "通訊員", "實習生", "攝影", "編輯")
             if rest.startswith(w, i)),
            default=len(rest),
        )
        names = _name_tokens(rest[:cut])
        if names is None:
            return None
        out.extend(names)
        rest = rest[cut:]
    return out


def _split_glued_names(text: str) -> list[str] | None:
    """李超王敏 → [李超, 王敏] when both halves start with a surname."""
    if not (5 <= len(text) <= 8 and is_cjk(text)):
        return None
    for cut in (3, 2, 4):
        a, b = text[:cut], text[cut:]
        if looks_like_zh_name(a) and looks_like_zh_name(b):
            return [a, b]
    return None


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
    roles = [v for k, v in tokens if k in ("prefix", "suffix", "role", "agency")]
    if not names and not any(k == "agency" for k, _ in tokens):
        return False
    if not roles:
        return False
    # a lone 文/图 word must sit next to a name: 方宝岭 文/图, 文/方宝岭
    loose = [v for k, v in tokens if k in ("prefix", "suffix", "role") and v in ("文", "图")]
    if loose and len(tokens) < 2:
        return False
    return all(looks_like_zh_name(n) for n in names)


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
        if as_suffix and pending and value in ZH_PHOTO_CREDITS and prefix_roles:
            # 记者 王敏 通讯员 李超 摄: the photo is by every name of the credit, each
            # keeping the role word printed before it (王敏 reporter + photographer)
            flush(None)
            credited = list(dict.fromkeys(p.name for p in people[credit_start:] if p.role != "agency"))
            people.extend(Person(name, "photographer") for name in credited
                          if not any(p.name == name and p.role == "photographer" for p in people))
        elif as_suffix and pending:
            flush(ZH_SUFFIX_ROLES[value])
        elif kind in ("prefix", "role", "suffix"):
            flush(None)
            if value.endswith(("记者", "記者")) and value[:-2] in ZH_AGENCIES:
                prefix_roles, prefix_title = ("reporter",), value[:-2]
            else:  # 记者 / 通讯员 / 文/图 方宝岭 (a suffix word printed first)
                prefix_roles = (ZH_PREFIX_ROLES[value],) if value in ZH_PREFIX_ROLES else ZH_SUFFIX_ROLES[value]
                prefix_title = ""
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

_EN_BY = re.compile(r"^(?:by|written by|story by)\s+(.+)$", re.I)
_EN_PHOTO = re.compile(r"^(?:photos?|photograph(?:s|y)?|pictures?)\s*(?:by|:)\s*(.+)$", re.I)
_EN_CREDIT_SLASH = re.compile(r"^([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\s*/\s*([A-Za-z][\w .&-]{1,40})$")
_EN_REPORTING = re.compile(r"(reporting|writing|editing|additional reporting)\s+by\s+([^;()]+)", re.I)
_EN_NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|da|del|der|la|le|bin|al-\w+))*$")


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


_EN_STRONG_TITLE = frozenset("staff writer reporter correspondent editor desk columnist contributor bureau".split())


def _peel_en_title(part: str) -> tuple[str, str]:
    """'Jane Doe Staff Writer' → ('Jane Doe', 'Staff Writer'); names without a title stay."""
    words = part.split()
    cut = len(words)
    while cut > 2 and words[cut - 1].lower().strip(".,") in EN_TITLE_WORDS:
        cut -= 1
    trailing = words[cut:]
    if not any(w.lower().strip(".,") in _EN_STRONG_TITLE for w in trailing):
        return part, ""
    return " ".join(words[:cut]), " ".join(trailing)


def _parse_en(text: str) -> list[Person]:
    text = " ".join(text.split())
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
        return [Person(_name_case(n), "photographer") for n in names if _EN_NAME.match(n)]
    slash = _EN_CREDIT_SLASH.match(text)
    if slash and not _EN_BY.match(text):
        return [Person(_name_case(slash.group(1)), "photographer", _en_agency(slash.group(2)) or slash.group(2).strip())]
    m = _EN_BY.match(text)
    body = m.group(1) if m else text
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
        for n in re.split(r"\s+and\s+|\s*&\s*", part):
            n, trailing = _peel_en_title(n.strip())
            if trailing:  # "By JANE DOE Staff Writer": the title line joined onto the name
                title = (title + ", " if title else "") + trailing
            if n and _EN_NAME.match(n):
                names.append(_name_case(n))
    people = [Person(n, EN_BY_ROLE, title) for n in names]
    if extra_agency:
        people.append(Person(extra_agency, "agency"))
    return people


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
        return not re.search(r"[。！？!?；，：“”]", line) and is_zh_byline(line)
    return _is_en_byline_line(line)


def _appended_byline(line: str) -> int | None:
    """Where a run-in credit starts on the last line (…发展支持。记者 孙庆辉), or None."""
    for m in reversed(list(re.finditer(f"[{_SENTENCE_END}]", line))):
        tail = line[m.end() :].strip()
        if not tail:
            continue
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
        credits.insert(0, lines.pop().strip())
    if lines:
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
