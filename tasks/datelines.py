"""Datelines: the lead that says where and when a story was filed.

Chinese: ``本报讯 3月28日``, ``本报讯（记者 李超）3月28日``,
``本报北京12月31日电``, ``新华社北京1月1日电（记者 X）``, with ASCII,
full-width (１２月３１日) or Chinese numerals (十二月三十一日).  English:
``BEIJING, Jan. 1 —``, ``WASHINGTON (AP) —``, ``LONDON, March 3 (Reuters) -``.

Papers print only month and day; the year is the one that puts the date on or
before the edition date (a couple of days' tolerance for stories dated ahead),
so 12月31日 in a 1 January 2023 edition is 2022-12-31.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tasks.bylines import is_zh_byline, looks_like_zh_name, zh_byline_tokens

# days a dateline may lie after the edition date and still be read as this year
FUTURE_TOLERANCE_DAYS = 2


@dataclass(slots=True)
class Dateline:
    text: str  # as printed: 本报讯 3月28日 / BEIJING, Jan. 1 —
    date: dt.date | None = None
    place: str = ""  # 北京 / Beijing
    byline: str = ""  # a credit printed inside the lead: 本报讯（记者 李超）→ 记者 李超; 记者X报道：→ 记者X
    agency: str = ""  # 新华社 / AP / Reuters when the lead names one


_ZH_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_NUM = r"[0-9０-９]{1,2}|[〇零一二两三四五六七八九十廿卅]{1,3}"
_DATE = rf"(?P<month>{_NUM})\s*月\s*(?P<day>{_NUM})\s*[日号]"
_CREDIT = r"[（(](?P<credit>[^）)]{1,40})[）)]"
_TIME_OF_DAY = r"(?:凌晨|清晨|早晨|上午|中午|下午|傍晚|晚上|晚间|晚|早|夜|讯)?"
_ZH_AGENCY = r"本报|本報|新华社|新華社|中新社|中国新闻社|人民网|新华网|中新网|央视网|本刊|中央社|中通社"

# a credit run in after the lead, no brackets: 记者李长云报道： / 记者温宪，新华社记者赵毅、尚绪谦报道：
_RUNIN_CREDIT = re.compile(
    r"^(?P<credit>(?:[\u4e00-\u9fff]{0,12}?(?:记者|記者|通讯员|通訊員)|特约撰稿人|实习生)[^。！？：:（）()“”]{2,70}?)"
    r"\s*(?:报道|報道|报导)\s*[：:，,]"
)
# 记者陈陆军从广播电影电视部获悉: a reporter's name run into the first sentence
_RUNIN_REPORTER = re.compile(r"^(?P<role>(?:本报|本報|新华社|新華社|中新社)?(?:记者|記者))\s*(?P<rest>[\u4e00-\u9fff]{2,4})")
_AFTER_NAME = ("从", "在", "获悉", "了解", "日前", "近日", "今天", "昨天", "今日", "昨日", "采访", "来到", "走访",
               "随", "跟随", "看到", "发现", "获知", "注意到", "深入", "赶到", "近期", "一行", "参加", "前往")
# 本报讯 / 本报讯（记者 李超）/ 本报讯 3月28日 / 本报讯（记者 李超）3月28日 / 本报郑州讯 / （记者 李超）3月28日
_ZH_XUN = re.compile(
    rf"^\s*(?P<lead>(?P<agency>{_ZH_AGENCY})(?P<place>[\u4e00-\u9fff]{{0,6}}?)[讯訊]|(?=[（(]))\s*(?:{_CREDIT})?\s*(?:{_DATE})?"
)
# 本报北京12月31日电 / 新华社北京1月1日电（记者 X）
_ZH_DIAN = re.compile(
    rf"^\s*(?:据|據)?\s*(?P<agency>{_ZH_AGENCY})\s*(?P<place>[\u4e00-\u9fff]{{1,8}}?)\s*{_DATE}\s*(?:电|讯|電|訊)\s*(?:{_CREDIT})?"
)
# a lead with place but no date: 据新华社乌鲁木齐电（记者 X） / 本报南昌电记者程曦报道：
_ZH_DIAN_NODATE = re.compile(
    rf"^\s*(?:据|據)?\s*(?P<agency>{_ZH_AGENCY})\s*(?P<place>[\u4e00-\u9fff]{{2,8}}?)\s*(?:电|電)(?=\s|[（(]|记者|記者)\s*(?:{_CREDIT})?"
)
# a bare date lead: 3月28日，… / 3月29日上午，…
_ZH_BARE = re.compile(rf"^\s*{_DATE}(?={_TIME_OF_DAY}\s*[，,])")

_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_EN_MONTH = r"(?P<emonth>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\.|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_EN_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’-]*(?:\s+[A-Z][A-Z.'’-]*){0,3})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2}))??"
    rf"(?:,\s*{_EN_MONTH}\s+(?P<eday>\d{{1,2}}))?"
    r"\s*(?:\((?P<agency>AP|Reuters|AFP|Xinhua|Bloomberg|dpa|UPI|CNN)\))?"
    r"\s*(?P<dash>—|–|--|-)\s*"
)


def _number(text: str) -> int | None:
    """'28', '２８', '二十八', '十二', '廿八' → int."""
    text = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in text)
    if text.isdigit():
        return int(text)
    text = text.replace("廿", "二十").replace("卅", "三十")
    if not text or any(c not in _ZH_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)
    if len(text) == 1:
        return _ZH_DIGITS[text]
    return None


def resolve_month_day(month: int, day: int, edition_date: dt.date) -> dt.date | None:
    """The most recent month/day on or before the edition date (with tolerance)."""
    latest = edition_date + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    for year in (latest.year, latest.year - 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue  # 2月29日 outside a leap year
        if d <= latest:
            return d
    return None


def _zh_date(m: re.Match[str], edition_date: dt.date) -> dt.date | None:
    if not m.group("month"):
        return None
    month, day = _number(m.group("month")), _number(m.group("day"))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return resolve_month_day(month, day, edition_date)


def _clean_credit(credit: str | None) -> str:
    return " ".join((credit or "").split())


def parse_dateline(body: str, edition_date: dt.date) -> Dateline:
    """The dateline at the start of ``body``; Dateline('') when there is none.

    ``text`` is the lead as printed (stray spaces kept, time of day such as
    上午 and the trailing punctuation left out).  English places are given in
    title case (BEIJING → Beijing).
    """
    head = body.lstrip()[:200]
    m = _ZH_DIAN.match(head)
    if m:
        agency = "" if m.group("agency") in ("本报", "本報") else m.group("agency")
        text = m.group(0)[: m.start("credit") - 1] if m.group("credit") else m.group(0)
        credit = _clean_credit(m.group("credit")) or _runin_credit(head[m.end():])
        return Dateline(text.strip(), _zh_date(m, edition_date), m.group("place"), credit, agency)
    m = _ZH_DIAN_NODATE.match(head)
    if m:
        agency = "" if m.group("agency") in ("本报", "本報") else m.group("agency")
        text = m.group(0)[: m.start("credit") - 1] if m.group("credit") else m.group(0)
        credit = _clean_credit(m.group("credit")) or _runin_credit(head[m.end():])
        return Dateline(text.strip(), None, m.group("place"), credit, agency)
    m = _ZH_XUN.match(head)
    if m and (m.group("agency") or (m.group("credit") and is_zh_byline(m.group("credit")))):
        agency = m.group("agency") or ""
        credit = _clean_credit(m.group("credit")) or _runin_credit(head[m.end():])
        return Dateline(m.group(0).strip(), _zh_date(m, edition_date), m.group("place") or "",
                        credit, "" if agency in ("本报", "本報") else agency)
    m = _ZH_BARE.match(head)
    if m:
        return Dateline(m.group(0).strip(), _zh_date(m, edition_date))
    m = _EN_DATELINE.match(head)
    if m and _plausible_en_place(m.group("place")) and (m.group("eday") or m.group("agency") or _caps_only(m.group("place"))):
        date = None
        if m.group("emonth"):
            month = _EN_MONTHS[m.group("emonth").lower()[:3]]
            date = resolve_month_day(month, int(m.group("eday")), edition_date)
        place = m.group("place").strip()
        return Dateline(m.group(0).strip(), date, place.title() if place.isupper() else place,
                        "", m.group("agency") or "")
    return Dateline("")


def _named_by_role(credit: str) -> bool:
    """记者肖荻、傲腾: role words and 2–4 character names, some without a known surname
    (报道： after them leaves no doubt that they are the credit)."""
    tokens = zh_byline_tokens(credit) or []
    names = [v for k, v in tokens if k == "name"]
    return bool(names) and any(k in ("prefix", "posted") for k, _ in tokens) and all(
        looks_like_zh_name(n, need_surname=False) for n in names)


def _runin_credit(text: str) -> str:
    """A credit run into the text right after a lead, without brackets:
    ``记者李长云报道：…`` / ``新华社记者徐殿龙、本报记者刘国胜报道：…`` /
    ``记者陈陆军从广播电影电视部获悉…`` → the credit ("" when there is none)."""
    text = text.lstrip(" \u3000")
    m = _RUNIN_CREDIT.match(text)
    if m and (is_zh_byline(m.group("credit")) or _named_by_role(m.group("credit"))):
        return _clean_credit(m.group("credit"))
    m = _RUNIN_REPORTER.match(text)
    if m:
        rest = text[m.start("rest"):]
        for n in (3, 2, 4):  # the name is the one the next words read on from
            name = rest[:n]
            if looks_like_zh_name(name) and rest[n:].startswith(_AFTER_NAME):
                return f"{m.group('role')}{name}"
    return ""


def _caps_only(place: str) -> bool:
    letters = [c for c in place if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _plausible_en_place(place: str) -> bool:
    """An all-caps place of one to four words; not a shouted sentence."""
    return _caps_only(place) and len(place.split()) <= 4 and place.split()[0] not in {"THE", "A", "AN", "BY"}
