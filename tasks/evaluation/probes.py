"""Probe truth for real pages, and its scorer.

Real pages have no full ground truth. A probe file (``tests/probes/<stem>.json``)
says, for pages of one PDF that a person read: each article's headline (and
kicker) with a few short phrases from its start, middle and end in reading
order, the furniture strings that must not turn up in any article (nameplate,
ears, folio, legal lines, adverts), and the printed page number. Phrases come
from within one printed line, so they can be checked against the page's text.

``score_probes`` runs the pipeline on each PDF and reports per page:

- articles whole: one predicted article has the probe's headline and all its
  phrases, in order;
- fragments: other predicted articles holding some phrase or the headline of
  a probe article;
- extras: predicted articles holding nothing of any probe article (furniture,
  adverts or captions read as stories);
- furniture leaked: furniture strings found in any article of the page;
- page number right: the printed number the layout read;
- credits: for probe articles that list ``credits`` (the people their byline
  names, as printed: ``By Jane Doe``, ``di Michele Ainis``, an author line), how
  many of those names the matched article credits (any role but ``mentioned`` /
  ``editor``), how many with the probe's role, and credited names the probe does
  not list (``"credits": []`` says the article credits nobody).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["norm", "load_probes", "score_probes", "format_probe_report", "default_pdf_dir"]

_DROP = re.compile(r"[\s\-‐‑‒–­]+")


def norm(text: str) -> str:
    """Compare text as a reader does: NFKC, no whitespace, no hyphens (line-end
    hyphenation and spacing differ between the page and any reading of it)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or ""))


def default_pdf_dir(repo_root: Path | None = None) -> Path:
    root = repo_root or Path(__file__).resolve().parents[2]
    return root.parent / "shared" / "real_pdfs"


def load_probes(probe_dir: str | Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(probe_dir).glob("*.json"))]


@dataclass
class PageScore:
    file: str
    page_index: int
    articles: int = 0
    whole: int = 0
    fragments: int = 0
    extras: int = 0
    furniture: int = 0
    furniture_leaked: list[str] = field(default_factory=list)
    page_number: int | None = None
    page_number_read: int | None = None
    misses: list[str] = field(default_factory=list)  # probed articles not whole, one line each
    credit_misses: list[str] = field(default_factory=list)  # credited people missed or misread
    credits: int = 0  # credited people the probe lists
    credits_found: int = 0  # ... that the matched article credits
    credits_role_right: int = 0  # ... with the probe's role
    credits_extra: int = 0  # credited names on probed-credit articles that the probe does not list

    @property
    def page_number_right(self) -> bool:
        return self.page_number == self.page_number_read


def _article_text(a) -> str:
    return norm("".join([a.kicker, a.headline, a.subheadline, a.byline, a.dateline, *a.paragraphs]))


def _in_order(text: str, phrases: list[str]) -> tuple[int, bool]:
    """(phrases found anywhere, all found in order)."""
    found = sum(1 for p in phrases if norm(p) in text)
    pos = 0
    for p in phrases:
        i = text.find(norm(p), pos)
        if i < 0:
            return found, False
        pos = i + len(norm(p))
    return found, True


_NOT_CREDITS = frozenset({"mentioned", "editor"})


def _name_key(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


def _score_credits(s: PageScore, art: dict, a) -> None:
    """Count the probe article's credited people against the matched predicted article's."""
    want = {_name_key(c["name"]): c for c in art["credits"]}
    have: dict[str, set[str]] = {}
    for p in a.people:
        if p.role not in _NOT_CREDITS:
            have.setdefault(_name_key(p.name), set()).add(p.role)
    s.credits += len(want)
    for key, c in want.items():
        if key in have:
            s.credits_found += 1
            s.credits_role_right += c.get("role", "") in have[key]
        else:
            s.credit_misses.append(f"{art['headline']}: credit {c['name']} not found")
    extra = [k for k in have if k not in want]
    s.credits_extra += len(extra)
    if extra:
        names = [p.name for p in a.people if _name_key(p.name) in extra and p.role not in _NOT_CREDITS]
        s.credit_misses.append(f"{art['headline']}: credits {', '.join(dict.fromkeys(names))} not printed as its credits")


def _score_file(probe: dict, pdf: Path, engine: str) -> list[PageScore]:
    from tasks.pipeline import build_edition, parse_file
    from tasks.segment import page_numbers_for

    parsed = parse_file(pdf, engine=engine, guarded=False)
    edition = build_edition([parsed], "probe", dt.date(2000, 1, 1))
    layouts = edition.pages
    by_index = {lay.page_index: lay for lay in layouts}
    number_to_index = {n: lay.page_index for n, lay in zip(page_numbers_for(layouts), layouts)}
    probed = {pg["page_index"] for pg in probe["pages"]}

    def indexes(a) -> list[int]:
        return [number_to_index[n] for n in a.page_numbers if n in number_to_index]

    preds = [(a, indexes(a), _article_text(a)) for a in edition.articles]
    preds = [p for p in preds if set(p[1]) & probed]
    truth = [(pg["page_index"], art) for pg in probe["pages"] for art in pg["articles"]]

    scores = {pg["page_index"]: PageScore(probe["file"], pg["page_index"], page_number=pg.get("page_number"))
              for pg in probe["pages"]}
    claimed: dict[int, int] = {}  # predicted article -> truth article it is the best match of
    holds: dict[int, set[int]] = {k: set() for k in range(len(preds))}
    for t, (page_index, art) in enumerate(truth):
        s = scores[page_index]
        s.articles += 1
        phrases = art["phrases"]
        best, best_key = None, (-1, False)
        for k, (a, _, text) in enumerate(preds):
            found, _ok = _in_order(text, phrases)
            head = bool(art["headline"]) and norm(art["headline"]) in text
            if found or head:
                holds[k].add(t)
            key = (found + head, norm(a.headline) == norm(art["headline"]))
            if (found or head) and key > best_key:
                best, best_key = k, key
        if best is None:
            s.misses.append(f"{art['headline'] or art['phrases'][0]}: not found")
            s.credits += len(art.get("credits", []))
            continue
        claimed[best] = t
        a, _, text = preds[best]
        if "credits" in art:
            _score_credits(s, art, a)
        found, ordered = _in_order(text, phrases)
        headline_ok = norm(a.headline) == norm(art["headline"])
        if headline_ok and ordered and found == len(phrases):
            s.whole += 1
        else:
            why = []
            if not headline_ok:
                why.append(f"headline read as {a.headline!r}")
            if found < len(phrases):
                why.append(f"only {found} of {len(phrases)} phrases in it")
            elif not ordered:
                why.append("phrases out of order")
            s.misses.append(f"{art['headline']}: " + "; ".join(why))
    for k, (a, idx, text) in enumerate(preds):
        first = idx[0] if idx and idx[0] in scores else min(set(idx) & probed)
        if k in claimed and claimed[k] in holds[k]:
            continue
        if holds[k]:
            scores[first].fragments += 1
        else:
            scores[first].extras += 1
    for pg in probe["pages"]:
        s = scores[pg["page_index"]]
        lay = by_index.get(pg["page_index"])
        s.page_number_read = lay.page_number if lay else None
        texts = [text for _, idx, text in preds if pg["page_index"] in idx]
        s.furniture = len(pg["furniture"])
        s.furniture_leaked = [f for f in pg["furniture"] if any(norm(f) in t for t in texts)]
    return [scores[pg["page_index"]] for pg in probe["pages"]]


def score_probes(probe_dir: str | Path, pdf_dir: str | Path, engine: str = "pdfium") -> dict:
    """Run the pipeline on every probed PDF found in ``pdf_dir`` and score it.

    Returns {"pages": [PageScore...], "missing": [files not found], "totals": {...}}.
    """
    pages: list[PageScore] = []
    missing: list[str] = []
    for probe in load_probes(probe_dir):
        pdf = Path(pdf_dir) / probe["file"]
        if not pdf.exists():
            missing.append(probe["file"])
            continue
        pages.extend(_score_file(probe, pdf, engine))
    totals = {
        "pages": len(pages),
        "articles": sum(p.articles for p in pages),
        "whole": sum(p.whole for p in pages),
        "fragments": sum(p.fragments for p in pages),
        "extras": sum(p.extras for p in pages),
        "furniture": sum(p.furniture for p in pages),
        "furniture_leaked": sum(len(p.furniture_leaked) for p in pages),
        "page_numbers_right": sum(p.page_number_right for p in pages),
        "credits": sum(p.credits for p in pages),
        "credits_found": sum(p.credits_found for p in pages),
        "credits_role_right": sum(p.credits_role_right for p in pages),
        "credits_extra": sum(p.credits_extra for p in pages),
    }
    return {"pages": pages, "missing": missing, "totals": totals}


def format_probe_report(report: dict) -> str:
    out = ["real-page probes", "file                                                   page  whole  frag  extra  furn.leak  page no."]
    for p in report["pages"]:
        out.append(
            f"{p.file[:54]:54} {p.page_index + 1:4}  {p.whole:2}/{p.articles:<2}  {p.fragments:4}  {p.extras:5}  "
            f"{len(p.furniture_leaked):3}/{p.furniture:<3}   {p.page_number_read!s:>4} ({'ok' if p.page_number_right else 'want ' + str(p.page_number)})"
        )
        for m in p.misses:
            out.append(f"    miss: {m}")
        for m in p.credit_misses:
            out.append(f"    credit miss: {m}")
        if p.furniture_leaked:
            out.append(f"    leaked: {', '.join(p.furniture_leaked)}")
    t = report["totals"]
    out.append(
        f"total: {t['whole']} of {t['articles']} articles whole, {t['fragments']} fragments, {t['extras']} extra articles, "
        f"{t['furniture_leaked']} of {t['furniture']} furniture strings leaked, "
        f"page number right on {t['page_numbers_right']} of {t['pages']} pages"
    )
    if t.get("credits") or t.get("credits_extra"):
        out.append(
            f"credits: {t['credits_found']} of {t['credits']} credited people found "
            f"({t['credits_role_right']} with the role right), {t['credits_extra']} credited names not printed as credits"
        )
    if report["missing"]:
        out.append(f"not found (skipped): {', '.join(report['missing'])}")
    return "\n".join(out)
