"""Segment: page layouts → articles.

Layout has already grouped each page's blocks into article groups in reading
order.  This stage turns a group into an ``Article`` (headline, kicker,
subheadline, paragraphs, byline, jump references), splits groups that hold
several stories (plain-text pages, headline-less runs of 本报讯 items, brief
columns) and stitches articles that jump pages (下转第3版 / Continued on A5)
into one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tasks.bylines import split_byline
from tasks.clean import join_lines, normalize_text, paragraphs_from_blocks
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
_JUMP_TO = re.compile(
    r"[（(]?\s*(?:下转|转|接)第\s*([0-9０-９一二三四五六七八九十]+)\s*版\s*[)）]?"
    r"|continued\s+on\s+(?:page\s+)?([A-Z]?\d+)"
    r"|see\s+.{1,40}?,?\s+page\s+([A-Z]?\d+)",
    re.I,
)
_JUMP_FROM = re.compile(
    r"[（(]?\s*(?:上接|紧接|接)第\s*([0-9０-９一二三四五六七八九十]+)\s*版\s*[)）]?"
    r"|continued\s+from\s+(?:page\s+)?([A-Z]?\d+)"
    r"|from\s+page\s+([A-Z]?\d+)",
    re.I,
)
_ZH_NUM = {c: i for i, c in enumerate("零一二三四五六七八九")}
_FINAL = "。！？!?.”」』\"'…"


def _page_ref(text: str) -> int | None:
    """'3', '３', 'A5', '十二' → page number."""
    text = normalize_text(text).strip().upper().lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if text.isdigit():
        return int(text)
    if text and all(c in _ZH_NUM or c == "十" for c in text):
        if "十" in text:
            tens, _, ones = text.partition("十")
            return (_ZH_NUM.get(tens, 1) if tens else 1) * 10 + (_ZH_NUM.get(ones, 0) if ones else 0)
        return _ZH_NUM[text[0]]
    return None


def _match_ref(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    if not m:
        return None
    return _page_ref(next(g for g in m.groups() if g))


def jump_target(text: str) -> int | None:
    """The page a jump line sends the reader to (下转第3版 → 3)."""
    return _match_ref(_JUMP_TO, text)


def jump_source(text: str) -> int | None:
    """The page a continuation comes from (上接第1版 → 1)."""
    return _match_ref(_JUMP_FROM, text)


def _strip_jump_lines(paragraphs: list[str]) -> tuple[list[str], int | None, int | None]:
    """Remove jump references from the first/last paragraph; return them."""
    to = frm = None
    out = list(paragraphs)
    if out:
        m = _JUMP_TO.search(out[-1])
        if m and len(out[-1]) - m.end() <= 2:
            to = _page_ref(next(g for g in m.groups() if g))
            out[-1] = out[-1][: m.start()].rstrip()
    if out:
        m = _JUMP_FROM.search(out[0])
        if m and m.start() <= 2:
            frm = _page_ref(next(g for g in m.groups() if g))
            out[0] = out[0][m.end() :].lstrip()
    return [p for p in out if p], to, frm


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
    bylines: list[str] = field(default_factory=list)
    jump_to: int | None = None
    jump_from: int | None = None


def _text_of(blocks: list[TextBlock]) -> str:
    return normalize_text(join_lines([ln.text for b in blocks for ln in b.lines])).strip()


def _is_byline_line(text: str) -> bool:
    body, byline = split_byline(normalize_text(text).strip())
    return bool(byline) and not body.strip()


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
    leads = sum(1 for b in blocks for ln in b.lines if _LEAD.match(normalize_text(ln.text.strip())))
    return leads > 1


def _split_briefs(blocks: list[TextBlock]) -> list[list[TextBlock]]:
    """A brief column: each BRIEF_TITLE starts an item."""
    items: list[list[TextBlock]] = []
    for b in blocks:
        if b.kind is BlockKind.BRIEF_TITLE or not items:
            items.append([])
        items[-1].append(b)
    return items


def _groups(layout: PageLayout) -> list[list[TextBlock]]:
    """Article groups of one page, in reading order of their first block."""
    order: dict[int, list[TextBlock]] = {}
    for b in layout.blocks:
        if b.article is None or b.kind in FURNITURE_KINDS:
            continue
        order.setdefault(b.article, []).append(b)
    out: list[list[TextBlock]] = []
    for blocks in order.values():
        has_head = any(b.kind is BlockKind.HEADLINE for b in blocks)
        if sum(1 for b in blocks if b.kind is BlockKind.BRIEF_TITLE) > 1:
            out.extend(_split_briefs(blocks))
        elif not has_head and (not layout.has_geometry or _has_several_leads(blocks)):
            out.extend(_split_plain_group(blocks))
        else:
            out.append(blocks)
    return out


def _part_from_blocks(blocks: list[TextBlock], page_number: int, source_file: str, seq: int) -> _Part:
    part = _Part(page_number, source_file, blocks, seq)
    by_kind: dict[BlockKind, list[TextBlock]] = {}
    for b in blocks:
        by_kind.setdefault(b.kind, []).append(b)
    part.headline = _text_of(by_kind.get(BlockKind.HEADLINE, []) + by_kind.get(BlockKind.BRIEF_TITLE, []))
    part.kicker = _text_of(by_kind.get(BlockKind.KICKER, []))
    part.subheadline = _text_of(by_kind.get(BlockKind.SUBHEADLINE, []))
    part.bylines = [_text_of([b]) for b in by_kind.get(BlockKind.BYLINE, [])]
    for b in by_kind.get(BlockKind.JUMP, []):
        t = _text_of([b])
        part.jump_to = part.jump_to or jump_target(t)
        part.jump_from = part.jump_from or jump_source(t)
    return part


def _is_final(paragraph: str) -> bool:
    return bool(paragraph) and paragraph.rstrip()[-1] in _FINAL


def _body_blocks(blocks: list[TextBlock]) -> list[TextBlock]:
    return [b for b in blocks if b.kind is BlockKind.BODY]


def _article_from_parts(parts: list[_Part], publication: str, edition_date: dt.date) -> Article:
    head = parts[0]
    paragraphs: list[str] = []
    bylines: list[str] = []
    boxes: list[tuple[int, BBox]] = []
    raw: list[str] = []
    jump_to = jump_from = None
    for i, part in enumerate(parts):
        paras = paragraphs_from_blocks(_body_blocks(part.blocks))
        paras, to, frm = _strip_jump_lines(paras)
        if i == 0:
            jump_from = part.jump_from or frm
        if i == len(parts) - 1:
            jump_to = part.jump_to or to if len(parts) == 1 else None
        if i > 0 and paragraphs and paras and not _is_final(paragraphs[-1]):
            # the jump cut a paragraph: it goes on where the reader lands
            paragraphs[-1] = join_lines([paragraphs[-1], paras[0]])
            paras = paras[1:]
        paragraphs.extend(paras)
        bylines.extend(part.bylines)
        geo = [b.bbox for b in part.blocks if any(ln.x1 > ln.x0 for ln in b.lines)]
        if geo:
            boxes.append((part.page_number, bbox_union(geo)))
        raw.append("\n".join(b.text for b in part.blocks))
    byline = " ".join(x for x in bylines if x)
    if paragraphs:
        body, tail = split_byline("\n".join(paragraphs))
        if tail:
            byline = f"{byline} {tail}".strip() if byline else tail
            paragraphs = [p for p in body.split("\n") if p.strip()]
    pages: list[int] = []
    files: list[str] = []
    for p in parts:
        if p.page_number not in pages:
            pages.append(p.page_number)
        if p.source_file not in files:
            files.append(p.source_file)
    return Article(
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
        kind="brief" if any(b.kind is BlockKind.BRIEF_TITLE for b in head.blocks) else "article",
        jump_to=jump_to,
        jump_from=jump_from,
        sequence=head.sequence,
    )


def _similar_headline(a: str, b: str) -> float:
    """How much of the shorter headline's characters the longer one holds."""
    a, b = re.sub(r"\W", "", a.lower()), re.sub(r"\W", "", b.lower())
    if not a or not b:
        return 0.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short in long:
        return 1.0
    return sum(1 for c in set(short) if c in long) / len(set(short))


def _stitch(parts: list[_Part], first_paras: dict[int, str]) -> list[list[_Part]]:
    """Chain parts that jump pages: (下转第N版) → (上接第M版) on page N."""
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
                score = _similar_headline(src.headline, cand.headline) + (1.0 if cand.jump_from else 0.0)
                if score > best_score:
                    best, best_score = j, score
            if best is None or best_score < 1.0:
                break
            taken.add(best)
            chain.append(parts[best])
        chains.append(chain)
    return chains


def _with_jump_refs(part: _Part) -> _Part:
    """Jump references that sit in body text rather than in JUMP blocks."""
    paras = paragraphs_from_blocks(_body_blocks(part.blocks))
    if paras:
        _, to, frm = _strip_jump_lines(paras)
        part.jump_to = part.jump_to or to
        part.jump_from = part.jump_from or frm
    return part


def page_numbers_for(layouts: list[PageLayout]) -> list[int]:
    """Printed page numbers where the layout found them, else edition order."""
    numbers: list[int] = []
    for i, layout in enumerate(layouts, start=1):
        n = layout.page_number
        numbers.append(n if n is not None and n not in numbers else i)
    return numbers


def segment_edition(layouts: list[PageLayout], publication: str, edition_date: dt.date) -> list[Article]:
    """Articles of an edition, in page and reading order, jumps stitched."""
    parts: list[_Part] = []
    for layout, page_no in zip(layouts, page_numbers_for(layouts)):
        for seq, blocks in enumerate(_groups(layout)):
            part = _part_from_blocks(blocks, page_no, layout.source_file, seq)
            parts.append(_with_jump_refs(part))
    chains = _stitch(parts, {})
    articles = [_article_from_parts(chain, publication, edition_date) for chain in chains]
    return [a for a in articles if a.paragraphs or a.headline]
