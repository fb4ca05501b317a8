"""Page furniture: the header band, the footer band and the printed page number.

Headers sit above the first full-width rule near the top of the page (or, on
pages without one, in the top band and carry a date, 第N版 or a page label);
footers sit below the last full-width rule near the bottom (or carry
责任编辑 / a lone page number in the bottom band).
"""

from __future__ import annotations

import re

from tasks.model import Line, Ruling

_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}

_HEADER_HINT = re.compile(
    r"第\s*[0-9０-９一二三四五六七八九十]+\s*版|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|星期|周[一二三四五六日]"
    r"|(?:日报|晚报|时报|早报|商报|新闻)|\b(?:Page|PAGE)\s*\d+|(?<![A-Za-z0-9-])[A-H]\d{1,2}(?![A-Za-z0-9])"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d"
)
_FOOTER_HINT = re.compile(
    r"责任编辑|责编|编辑[:：\s]|美编|校对|版式|组版|审读|Editor|^[-–—·\s]*\d{1,3}[-–—·\s]*$|第\s*\S{1,3}\s*版|(?:Page|PAGE)\s*\d+"
    r"|(?<![A-Za-z0-9-])[A-H]\d{1,2}(?![A-Za-z0-9])"
)
_PAGE_ZH = re.compile(r"第\s*([0-9０-９]+|[一二三四五六七八九十]+)\s*版")
_PAGE_EN = re.compile(r"\b(?:Page|PAGE|P\.)\s*([A-Z]?)(\d{1,3})\b")
_PAGE_LABEL = re.compile(r"(?<![A-Za-z0-9-])([A-H])0?(\d{1,2})(?![A-Za-z0-9])")
_PAGE_LONE = re.compile(r"^[-–—·\s]*(\d{1,3})[-–—·\s]*$")
_PAGE_ONLY = re.compile(
    r"^[-–—·\s]*(?:第\s*(?:[0-9０-９]+|[一二三四五六七八九十]+)\s*版|(?:Page|PAGE|P\.)\s*[A-Z]?\d{1,3}|[A-H]0?\d{1,2}|\d{1,3})[-–—·\s]*$"
)


def zh_number(text: str) -> int | None:
    """'3', '３', '十二' → int."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if text and all(c in _ZH_DIGITS or c == "十" for c in text):
        if "十" in text:
            tens, _, ones = text.partition("十")
            return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
        return _ZH_DIGITS[text[0]]
    return None


def page_number_from(texts: list[str]) -> int | None:
    """The printed page number in furniture texts: 第3版 → 3, A5 / Page 5 → 5, '- 7 -' → 7."""
    for pattern in (_PAGE_ZH, _PAGE_EN, _PAGE_LABEL):
        for t in texts:
            m = pattern.search(t)
            if m:
                n = zh_number(m.groups()[-1])
                if n is not None:
                    return n
    for t in texts:
        m = _PAGE_LONE.match(t)
        if m:
            return int(m.group(1))
    return None


def is_page_number_text(text: str) -> bool:
    """A line that is nothing but a page label (第3版, A5, Page 5, 7)."""
    return bool(_PAGE_ONLY.match(text.strip()))


def full_width_rules(rulings: list[Ruling], x0: float, x1: float) -> list[Ruling]:
    """Horizontal rules spanning most of the text width."""
    width = max(x1 - x0, 1.0)
    return [r for r in rulings if r.horizontal and (r.x1 - r.x0) >= 0.6 * width]


def _band(lines: list[Line], seeds: list[int]) -> set[int]:
    """Seed lines plus every line sharing a row with one of them."""
    out = set(seeds)
    for i in seeds:
        a = lines[i]
        for j, b in enumerate(lines):
            if j not in out and min(a.bottom, b.bottom) - max(a.top, b.top) > 0.3 * min(a.size, b.size):
                out.add(j)
    return out


def find_furniture(
    lines: list[Line], rulings: list[Ruling], page_height: float, body_size: float
) -> tuple[set[int], set[int]]:
    """Indexes of header lines and of footer lines."""
    if not lines:
        return set(), set()
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    span = max(bottom - top, 1.0)
    rules = full_width_rules(rulings, x0, x1)
    header: set[int] = set()
    footer: set[int] = set()
    # header: lines above the first full-width rule in the top fifth
    # the bands sit at the page's edges: near the first and last text, and in
    # the outer fifth of the page
    top_rules = sorted((r for r in rules if r.top <= min(top + 0.2 * span, 0.2 * page_height)), key=lambda r: r.top)
    for r in top_rules:
        above = [i for i, ln in enumerate(lines) if ln.bottom <= r.top + 0.5]
        if above and any(_HEADER_HINT.search(lines[i].text) for i in above):
            header = set(above)
            break
        if above and len(above) <= 6:
            header = set(above)
            break
    if not header:
        band = min(top + min(0.08 * span, 6 * body_size), 0.2 * page_height)
        seeds = [
            i for i, ln in enumerate(lines) if ln.bottom <= band + ln.size and _HEADER_HINT.search(ln.text)
        ]
        if seeds:
            header = _band(lines, seeds)
    # footer: lines below the last full-width rule in the bottom tenth
    bottom_rules = sorted(
        (r for r in rules if r.bottom >= max(bottom - 0.1 * span, 0.8 * page_height)), key=lambda r: -r.bottom
    )
    for r in bottom_rules:
        below = [i for i, ln in enumerate(lines) if ln.top >= r.bottom - 0.5]
        if below and len(below) <= 6:
            footer = set(below)
            break
    if not footer:
        band = max(bottom - min(0.05 * span, 3 * body_size), 0.8 * page_height)
        seeds = [
            i for i, ln in enumerate(lines) if ln.top >= band - ln.size and _FOOTER_HINT.search(ln.text)
        ]
        if seeds:
            footer = _band(lines, seeds)
    footer -= header
    return header, footer
