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
    # a date in any Latin-script language (21 ottobre 2024, 9. Oktober 2005)
    r"|\b\d{1,2}\.?\s+[^\W\d_]{3,12}\s+\d{4}\b"
    # nameplate ears: volume and issue numbers, the cover price
    r"|\b(?:VOL|Vol|Anno|ANNO|Año|Jahrgang)\.?\s+[0-9IVXLCDM]+\b|\b(?:No|NO|N°|Nº|Nr)\.?\s*\d[\d,.]*"
    r"|[€$£¥]\s?\d{1,3}[.,]\d{2}\b|\d{1,3}[.,]\d{2}\s?(?:€|元)"
    r"|\bDOI\s*[:：]|\bdoi\.org/|\bISSN\s*\d"
    r"|第\s*\d+\s*期|今日\s*\d+\s*版|统一连续出版物号|\bCN\s?\d{2}\s?-\s?\d{4}|邮发代号|代号|农历|定价"
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


# a folio that prints the page number beside the section name: "02 LOCAL NEWS", "LOCAL NEWS 03"
_PAGE_SECTION = re.compile(r"^\s*(\d{1,3})\s+[^\W\d_][^\d]{1,30}$|^[^\W\d_][^\d]{1,30}?\s+(\d{1,3})\s*$")
_ISSUE = re.compile(r"\b(?:VOL|Vol|Volume|VOLUME|No|NO|Nr|Issue|ISSUE|Anno|ANNO|Chapter|Section)\b|N°|Nº")
# pointers to other pages, never the page's own number: 见第五版 / 下转第3版 / See X, Page 5 / a pagina 9
_POINTER = re.compile(
    r"[见详转接]\s*第?\s*[0-9０-９一二三四五六七八九十]+\s*版|导读|\b(?:See|SEE|see|Continued|continued)\b"
    r"|\b(?:a|alle|da)\s+pagin[ae]\b|\bsiehe\s+Seite\b|\bvoir\s+page\b"
)


def page_number_from(texts: list[str]) -> int | None:
    """The printed page number in furniture texts: 第3版 → 3, A5 / Page 5 → 5, '- 7 -' → 7,
    02 LOCAL NEWS → 2. Pointers to other pages (见第五版, See ..., Page 5) are no folio."""
    texts = [t for t in texts if not _POINTER.search(t)]
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
    for t in texts:
        m = _PAGE_SECTION.match(t)
        if m and len(t.split()) <= 5 and not _ISSUE.search(t):
            return int(m.group(1) or m.group(2))
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


def _rows(lines: list[Line], idx: list[int]) -> int:
    """How many printed rows the lines fill (lines side by side share one)."""
    tops = sorted((lines[i].top, lines[i].size) for i in idx)
    rows, last = 0, None
    for top, size in tops:
        if last is None or top - last > 0.5 * size:
            rows += 1
            last = top
    return rows


def _stands_apart(lines: list[Line], i: int) -> bool:
    """No line of text runs down onto ``lines[i]``: a footer is set off from the
    column above it (a running line that mentions "Page 4" is not)."""
    ln = lines[i]
    for j, o in enumerate(lines):
        if j == i or o.top >= ln.top or min(o.x1, ln.x1) - max(o.x0, ln.x0) <= 0:
            continue
        if 0 <= ln.top - o.bottom < 0.6 * ln.size:
            return False
    return True


def _above(ln: Line, y: float) -> bool:
    """Above a rule: a line the rule runs under or cuts through its descenders."""
    return ln.bottom <= y + 0.5 or (ln.top + ln.bottom) / 2 <= y


def _below(ln: Line, y: float) -> bool:
    return ln.top >= y - 0.5 or (ln.top + ln.bottom) / 2 >= y


def find_furniture(
    lines: list[Line], rulings: list[Ruling], page_height: float, body_size: float,
    not_seeds: set[int] | None = None,
) -> tuple[set[int], set[int]]:
    """Indexes of header lines and of footer lines.

    ``not_seeds``: lines that never start a band by themselves (jump lines at
    the foot of a column: their "Page 5" is a pointer, not a folio).
    """
    if not lines:
        return set(), set()
    not_seeds = not_seeds or set()
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
    for k, r in enumerate(top_rules):
        above = [i for i, ln in enumerate(lines) if _above(ln, r.top)]
        if above and (any(_HEADER_HINT.search(lines[i].text) for i in above) or len(above) <= 6):
            header = set(above)
            # a folio bar or ear strip between this rule and the next one
            # (date, issue number, price) belongs to the nameplate too
            for r2 in top_rules[k + 1 :]:
                if r2.top - r.bottom > 4 * body_size:
                    break
                strip = [i for i, ln in enumerate(lines) if i not in header and _above(ln, r2.top) and _below(ln, r.bottom)]
                if not strip or not any(_HEADER_HINT.search(lines[i].text) for i in strip):
                    break
                if any(lines[i].size > 2 * body_size for i in strip):
                    break
                header |= set(strip)
                r = r2
            break
    if not header:
        band = min(top + min(0.08 * span, 6 * body_size), 0.2 * page_height)
        seeds = [
            i for i, ln in enumerate(lines)
            if ln.bottom <= band + ln.size and _HEADER_HINT.search(ln.text) and i not in not_seeds
        ]
        if seeds:
            header = _band(lines, seeds)
            # and the running head above a seed (a journal's title strip over its DOI line)
            low = max(lines[i].top for i in seeds)
            if all(lines[i].size <= 1.5 * body_size for i in seeds):
                header |= {
                    i for i, ln in enumerate(lines) if ln.bottom <= low + 0.5 * ln.size and ln.size <= 1.5 * body_size
                }
    # footer: lines below the last full-width rule in the bottom tenth
    bottom_rules = sorted(
        (r for r in rules if r.bottom >= max(bottom - 0.1 * span, 0.8 * page_height)), key=lambda r: -r.bottom
    )
    for r in bottom_rules:
        below = [i for i, ln in enumerate(lines) if _below(ln, r.bottom) and i not in header]
        # fine print set in several columns (legal lines, addresses) is still a few rows
        if below and _rows(lines, below) <= 6:
            footer = set(below)
            break
    if not footer:
        band = max(bottom - min(0.05 * span, 3 * body_size), 0.8 * page_height)
        seeds = [
            i for i, ln in enumerate(lines)
            if ln.top >= band - ln.size and _FOOTER_HINT.search(ln.text) and i not in not_seeds
            and (is_page_number_text(ln.text) or _stands_apart(lines, i))
        ]
        if seeds:
            # and whatever is printed under the seed (an address bar below "Page 2 of 2")
            under = min(lines[i].top for i in seeds)
            footer = (_band(lines, seeds) | {
                i for i, ln in enumerate(lines) if ln.top >= under + 0.5 * ln.size and ln.top >= band - ln.size
            }) - not_seeds
    footer -= header
    return header, footer


_FILE_PAGE = re.compile(r"(?:^|[_\-.\s])(?:p|pg|page|seite|pagina)[_\-]?0*(\d{1,3})$", re.I)


def fill_page_numbers(layouts: list) -> None:
    """Pages without a folio get their number from the pages around them.

    Within one file, pages whose folio was read fix the offset between a
    page's position in the file and its printed number (cover, 2, 3 → the
    cover is 1); a file with no folio at all takes its number from its name
    (``..._p1.pdf``, ``page_05.pdf``). Otherwise the number stays unknown.
    """
    by_file: dict[str, list] = {}
    for lay in layouts:
        by_file.setdefault(lay.source_file, []).append(lay)
    for file, pages in by_file.items():
        missing = [lay for lay in pages if lay.page_number is None and lay.has_geometry]
        if not missing:
            continue
        offsets = [lay.page_number - lay.page_index for lay in pages if lay.page_number is not None]
        offset = None
        if offsets:
            best = max(set(offsets), key=offsets.count)
            if offsets.count(best) * 2 > len(offsets):
                offset = best
        else:
            from pathlib import PurePath

            m = _FILE_PAGE.search(PurePath(file).stem)
            if m:
                offset = int(m.group(1)) - min(lay.page_index for lay in pages)
        if offset is None:
            continue
        taken = {lay.page_number for lay in pages}
        for lay in missing:
            n = lay.page_index + offset
            if n >= 1 and n not in taken:
                lay.page_number = n


def _masked(text: str) -> str:
    return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", text))


def mark_running_heads(layouts: list) -> None:
    """Lines repeated at the same height in the top or bottom band of two or
    more pages (a running head such as NEWS & VIEWS, a section strip, a
    copyright line; page numbers masked) are furniture, not stories.

    A block is taken out of its article only when it holds nothing else: a
    repeated headline over body text (a jump's continuation) stays.
    """
    from tasks.model import BlockKind

    if len(layouts) < 2:
        return
    seen: dict[tuple[str, int], set[int]] = {}
    cands: list[tuple[int, object, tuple[str, int]]] = []
    for k, lay in enumerate(layouts):
        if not lay.has_geometry or lay.height <= 0:
            continue
        for b in lay.blocks:
            band_line = b.article is None and b.kind in (BlockKind.HEADER, BlockKind.FOOTER)
            if (b.article is None and not band_line) or len(b.lines) > 2 or b.kind is BlockKind.BYLINE:
                continue  # a credit is its story's, also when stories on two pages share it (Associated Press)
            top = min(ln.top for ln in b.lines)
            bottom = max(ln.bottom for ln in b.lines)
            size = max(ln.size for ln in b.lines)
            band = 0.12 * lay.height
            if not (bottom <= band or top >= lay.height - band):
                continue
            text = _masked(" ".join(ln.text for ln in b.lines))
            if len(text) < 2:
                continue
            key = (text, round(top / max(size, 1.0)))
            seen.setdefault(key, set()).add(k)
            if not band_line:  # a band line already found on its page counts for the others
                cands.append((k, b, key))
    def pages_of(key: tuple[str, int]) -> set[int]:
        text, pos = key
        return seen.get((text, pos - 1), set()) | seen[key] | seen.get((text, pos + 1), set())

    repeated = [(k, b) for k, b, key in cands if len(pages_of(key)) >= 2]
    rep_ids = {id(b) for _, b in repeated}
    for k, b in repeated:
        lay = layouts[k]
        group = [x for x in lay.blocks if x.article == b.article]
        alone = all(id(x) in rep_ids for x in group if x.kind is not BlockKind.PHOTO)
        if not alone and b.kind in (BlockKind.HEADLINE, BlockKind.BODY):
            continue  # a continuation's repeated headline over its text stays
        top = min(ln.top for ln in b.lines)
        b.kind = BlockKind.HEADER if top < lay.height / 2 else BlockKind.FOOTER
        b.article = None
        b.column = None
