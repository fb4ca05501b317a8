"""Score an extractor against ground truth (``broadsheet eval``).

Ground truth is a tree of editions, ``<publication>/<YYYY-MM-DD>/`` each with
page files and a ``truth.json`` (format in ARCHITECTURE.md).  The system under
test is the pipeline (``tasks.pipeline.process_files``) or a JSONL file of
predictions; the naive baseline (``tasks.evaluation.baseline``) is scored the same way.

Matching: a predicted article matches a truth article when the similarity of
their bodies, all whitespace removed, is >= 0.9 (similarity = 1 - Levenshtein
distance / length of the longer body).  Pairs are assigned one-to-one, greedily
by best similarity, per edition.

Text comparisons and their normalisation:

- body character accuracy (over matched pairs): Chinese/Japanese editions drop
  all whitespace (line joins put none there), English editions collapse runs
  of whitespace to one space (spaces are content).  Aggregated as
  ``1 - sum(distance) / sum(longer length)``, so long articles weigh more.
- headline, byline: exact after the same whitespace normalisation.
- byline people: the set of (name, role) over byline roles (``mentioned``
  people are tags, not credits, and are left out on both sides).
- reporters, photographers: the set of names credited for the text (roles in
  ``REPORTER_ROLES``, the ``reporters`` of ``v_articles``) or for the photos
  (``photographer``) equals the truth's; counted on every matched article
  (an article with none on both sides is right), when the extractor gives people.
- leakage: a page-furniture string (paper name, header date, 第N版, Page N,
  责任编辑 X, the whole header or footer line) counted in a predicted body
  more often than in the truth body it should be (the matched one, else the
  truth bodies of its pages).

Every rate is a ratio of counts; overall figures pool the counts of every
file (micro average), and a rate with nothing to count is ``None``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

try:  # C++ edit distance; the pure-Python fallback below gives the same numbers
    from rapidfuzz.distance import Levenshtein as _rf_levenshtein
except ImportError:  # pragma: no cover - exercised only without rapidfuzz
    _rf_levenshtein = None

from tasks.model import Article, Edition

MATCH_THRESHOLD = 0.9
BYLINE_EXCLUDED_ROLES = frozenset({"mentioned"})
# who wrote the text, as v_articles.reporters counts them; photographers are role "photographer"
REPORTER_ROLES = frozenset({"reporter", "correspondent", "writer", "author"})
SYSTEM = "broadsheet"
BASELINE = "baseline"

_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# --------------------------------------------------------------------------
# the normalised form both truth and predictions are scored in
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvalArticle:
    """One article reduced to what is scored."""

    body: str
    headline: str = ""
    byline: str = ""
    people: frozenset[tuple[str, str]] | None = None  # None: the extractor gives none
    dateline_date: dt.date | None = None
    pages: tuple[int, ...] = ()  # printed page numbers (truth numbering)
    units: tuple[str, ...] = ()  # the page units it sits on (see TruthPage.unit)
    kind: str = "article"
    id: str = ""


@dataclass(frozen=True, slots=True)
class TruthPage:
    file: str
    page_number: int
    header: str = ""
    footer: str = ""
    columns: int = 0
    furniture: tuple[str, ...] = ()
    unit: str = ""  # per-file key: the file name, or ``file#N`` when a file holds several pages
    index_in_file: int = 0  # 0-based page index inside ``file``


@dataclass(frozen=True, slots=True)
class TruthEdition:
    directory: Path
    publication: str
    edition_date: dt.date
    language: str
    pages: tuple[TruthPage, ...]
    articles: tuple[EvalArticle, ...]

    @property
    def key(self) -> str:
        return f"{self.publication}/{self.edition_date.isoformat()}"

    def unit_key(self, unit: str) -> str:
        return f"{self.key}/{unit}"

    def units_of_pages(self, pages: Iterable[int]) -> tuple[str, ...]:
        wanted = set(pages)
        return tuple(p.unit for p in self.pages if p.page_number in wanted)


# --------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------


def is_cjk_language(language: str) -> bool:
    return language.split("-")[0].lower() in {"zh", "ja", "ko"}


# Full-width letters and digits (ＡＢＣ１２３) are compatibility forms the
# cleaner folds to ASCII, as the layout issue asks; score both sides folded so
# a reader-invisible width choice is not counted as an error either way.
_FOLD_WIDTH = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
               for cp in range(r[0], r[1] + 1)}


def squeeze(text: str) -> str:
    """The text with all whitespace removed and widths folded (the matching form)."""
    return _WS.sub("", text.translate(_FOLD_WIDTH))


def normalize_ws(text: str, language: str) -> str:
    """Whitespace-normalised text: removed for CJK, collapsed for others."""
    if is_cjk_language(language):
        return squeeze(text)
    return _WS.sub(" ", text.translate(_FOLD_WIDTH)).strip()


def guess_language(texts: Iterable[str]) -> str:
    sample = "".join(texts)[:20000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "en"
    cjk = sum(1 for c in letters if _CJK.match(c))
    return "zh" if cjk / len(letters) > 0.3 else "en"


def _levenshtein_python(a: str, b: str) -> int:
    """Levenshtein distance, bit-parallel (Myers/Hyyrö) over Python ints."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def levenshtein(a: str, b: str) -> int:
    """Levenshtein distance (unit costs)."""
    if _rf_levenshtein is not None:
        return int(_rf_levenshtein.distance(a, b))
    return _levenshtein_python(a, b)


def similarity(a: str, b: str) -> float:
    """1 - distance / length of the longer string; 1.0 for two empty strings."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    return 1.0 - levenshtein(a, b) / longest


def _bigrams(s: str) -> Counter[str]:
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def similarity_at_least(a: str, b: str, threshold: float) -> float | None:
    """The similarity of ``a`` and ``b`` when it reaches ``threshold``, else None.

    Works in whole edits (no float edge cases) and tries cheap exact bounds
    first: the length difference is a lower bound on the distance, and every
    edit spoils at most two shared bigrams.
    """
    la, lb = len(a), len(b)
    longest = max(la, lb)
    if longest == 0:
        return 1.0
    max_edits = int((1.0 - threshold) * longest + 1e-9)
    if abs(la - lb) > max_edits:
        return None
    if _rf_levenshtein is not None:
        distance = int(_rf_levenshtein.distance(a, b, score_cutoff=max_edits))
    else:
        shared = sum((_bigrams(a) & _bigrams(b)).values())
        if shared < min(la, lb) - 1 - 2 * max_edits:
            return None
        distance = _levenshtein_python(a, b)
    if distance > max_edits:
        return None
    return 1.0 - distance / longest


# --------------------------------------------------------------------------
# reading ground truth
# --------------------------------------------------------------------------


def _parse_date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _people(items: Iterable[dict[str, str]]) -> frozenset[tuple[str, str]]:
    return frozenset(
        (str(p.get("name", "")), str(p.get("role", "")))
        for p in items
        if str(p.get("role", "")) not in BYLINE_EXCLUDED_ROLES
    )


def names_in_roles(people: frozenset[tuple[str, str]], roles: Iterable[str]) -> frozenset[str]:
    """The names credited in any of ``roles``."""
    wanted = set(roles)
    return frozenset(name for name, role in people if role in wanted)


def load_truth_edition(truth_json: Path) -> TruthEdition:
    """One edition's ``truth.json`` in the scored form."""
    raw = json.loads(truth_json.read_text(encoding="utf-8"))
    raw_pages = raw.get("pages", [])
    pages_in_file = Counter(str(p["file"]) for p in raw_pages)
    seen_in_file: Counter[str] = Counter()
    page_list = []
    for i, p in enumerate(raw_pages):
        file = str(p["file"])
        number = int(p.get("page_number") or i + 1)
        page_list.append(
            TruthPage(
                file=file,
                page_number=number,
                header=str(p.get("header") or ""),
                footer=str(p.get("footer") or ""),
                columns=int(p.get("columns") or 0),
                furniture=tuple(str(s) for s in p.get("furniture") or ()),
                unit=file if pages_in_file[file] == 1 else f"{file}#{number}",
                index_in_file=int(p.get("page_index", seen_in_file[file])),
            )
        )
        seen_in_file[file] += 1
    pages = tuple(page_list)
    units_of_page: dict[int, list[str]] = {}
    for p in pages:
        units_of_page.setdefault(p.page_number, []).append(p.unit)
    articles = []
    for i, a in enumerate(raw.get("articles", [])):
        page_numbers = tuple(int(n) for n in a.get("pages") or ())
        units = tuple(dict.fromkeys(u for n in page_numbers for u in units_of_page.get(n, [])))
        body = "\n".join(a.get("paragraphs") or []) or str(a.get("body") or "")
        articles.append(
            EvalArticle(
                body=body,
                headline=str(a.get("headline") or ""),
                byline=str(a.get("byline") or ""),
                people=_people(a.get("people") or []),
                dateline_date=_parse_date(a.get("dateline_date")),
                pages=page_numbers,
                units=units,
                kind=str(a.get("kind") or "article"),
                id=str(a.get("id") or f"a{i + 1}"),
            )
        )
    edition_date = _parse_date(raw.get("edition_date")) or dt.date.fromisoformat(truth_json.parent.name)
    language = str(raw.get("language") or guess_language(a.body for a in articles))
    return TruthEdition(
        directory=truth_json.parent,
        publication=str(raw.get("publication") or truth_json.parent.parent.name),
        edition_date=edition_date,
        language=language,
        pages=pages,
        articles=tuple(articles),
    )


def load_truth(truth_dir: Path) -> list[TruthEdition]:
    """Every edition under ``truth_dir`` (any depth), in path order."""
    return [load_truth_edition(p) for p in sorted(Path(truth_dir).rglob("truth.json"))]


_ZH_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_EN_DATE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    + _MONTHS
    + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+"
    + _MONTHS
    + r"\s+\d{4}|\d{4}-\d{2}-\d{2}",
    re.I,
)
_PAGE_MARK = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]+\s*版|\bPage\s+[A-Z]?\d+\b", re.I)
_EDITOR = re.compile(
    r"(?:责任编辑|责编|编辑|美编|校对|版式)\s*[:：]?\s*[\u4e00-\u9fff·]{2,4}"
    r"|\b(?:Page\s+)?Editor\s*:?\s*[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2}"
)
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")


def furniture_strings(page: TruthPage) -> list[str]:
    """Strings printed as page furniture: never part of an article body.

    ``furniture`` given in truth.json wins; otherwise they are read off the
    header and footer lines.
    """
    if page.furniture:
        found = list(page.furniture)
    else:
        found = []
        for line in (page.header, page.footer):
            if not line.strip():
                continue
            found.append(line)
            found += [m.group(0) for m in _ZH_DATE.finditer(line)]
            found += [m.group(0) for m in _EN_DATE.finditer(line)]
            found += [m.group(0) for m in _PAGE_MARK.finditer(line)]
            found += [m.group(0) for m in _EDITOR.finditer(line)]
        # the paper name: what the header prints before its date
        date = _ZH_DATE.search(page.header) or _EN_DATE.search(page.header)
        if date:
            name = page.header[: date.start()].strip(" |·-—\u3000")
            if len(squeeze(name)) >= 3:
                found.append(name)
    seen: dict[str, None] = {}
    for s in found:
        key = squeeze(s)
        if len(key) >= 3 and not _WEEKDAY.fullmatch(key):
            seen.setdefault(key, None)
    return list(seen)


# --------------------------------------------------------------------------
# predictions
# --------------------------------------------------------------------------


def place_on_pages(
    edition: TruthEdition, source_files: Sequence[str], page_numbers: Sequence[int]
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The truth pages and page units a predicted article sits on.

    The printed page numbers are taken when they agree with the source files
    (each named file holds one of them; they may add the pages a jumped
    article continues on).  Otherwise the source files decide, since they
    cannot be misread; with no known source file the numbers decide alone.
    """
    pages_of_file: dict[str, set[int]] = {}
    for p in edition.pages:
        pages_of_file.setdefault(p.file, set()).add(p.page_number)
    known_numbers = {p.page_number for p in edition.pages}
    files = [n for n in dict.fromkeys(Path(s).name for s in source_files) if n in pages_of_file]
    numbers = {n for n in page_numbers if n in known_numbers}
    if not files or all(pages_of_file[f] & numbers for f in files):
        pages = numbers
    else:
        pages = set().union(*(pages_of_file[f] for f in files))
    if not pages:
        return tuple(sorted(set(page_numbers))), ()
    return tuple(sorted(pages)), edition.units_of_pages(pages)


def from_model_article(article: Article, edition: TruthEdition) -> EvalArticle:
    """A pipeline ``Article`` in the scored form."""
    pages, units = place_on_pages(edition, article.source_files, article.page_numbers)
    return EvalArticle(
        body=article.body,
        headline=article.headline,
        byline=article.byline,
        people=_people({"name": p.name, "role": p.role} for p in article.people),
        dateline_date=article.dateline_date,
        pages=pages,
        units=units,
        kind=article.kind,
    )


def _edition_of_source(source: str, editions: dict[tuple[str, str], TruthEdition]) -> TruthEdition | None:
    parts = Path(source).parts
    if len(parts) >= 3 and (parts[-3], parts[-2]) in editions:
        return editions[(parts[-3], parts[-2])]
    return None


def load_predictions(path: Path, editions: Sequence[TruthEdition]) -> dict[str, list[EvalArticle]]:
    """Predicted articles from JSONL, by edition key.

    One article per line: ``{"source_file", "headline", "body", "byline",
    "pages"}``; optional ``"people"`` ([{"name", "role"}]), ``"source_files"``,
    ``"dateline_date"``, ``"kind"``, ``"publication"``, ``"edition_date"``.
    ``source_file`` ends in ``<publication>/<YYYY-MM-DD>/<file>`` (absolute
    or relative to the truth directory), or the edition is named by
    ``publication`` and ``edition_date``.
    """
    by_key = {(e.publication, e.edition_date.isoformat()): e for e in editions}
    by_dir = {(e.directory.parent.name, e.directory.name): e for e in editions}
    out: dict[str, list[EvalArticle]] = {e.key: [] for e in editions}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        sources = [str(s) for s in rec.get("source_files") or ()]
        if rec.get("source_file"):
            sources.insert(0, str(rec["source_file"]))
        edition = None
        if rec.get("publication") and rec.get("edition_date"):
            edition = by_key.get((str(rec["publication"]), str(rec["edition_date"])))
        for s in sources:
            edition = edition or _edition_of_source(s, by_dir) or _edition_of_source(s, by_key)
        if edition is None:
            raise ValueError(f"{path}:{n}: no truth edition for source {sources!r}")
        pages, units = place_on_pages(edition, sources, [int(p) for p in rec.get("pages") or ()])
        body = rec.get("body")
        if body is None:
            body = "\n".join(rec.get("paragraphs") or [])
        out[edition.key].append(
            EvalArticle(
                body=str(body),
                headline=str(rec.get("headline") or ""),
                byline=str(rec.get("byline") or ""),
                people=_people(rec["people"]) if rec.get("people") is not None else None,
                dateline_date=_parse_date(rec.get("dateline_date")),
                pages=pages,
                units=units,
                kind=str(rec.get("kind") or "article"),
            )
        )
    return out


# --------------------------------------------------------------------------
# matching and counting
# --------------------------------------------------------------------------


def match_articles(
    truth: Sequence[EvalArticle], predicted: Sequence[EvalArticle], threshold: float = MATCH_THRESHOLD
) -> dict[int, tuple[int, float]]:
    """One-to-one matches ``{truth index: (predicted index, similarity)}``.

    Candidates are pairs whose whitespace-free bodies reach ``threshold``;
    they are taken greedily, best similarity first.
    """
    t_bodies = [squeeze(a.body) for a in truth]
    p_bodies = [squeeze(a.body) for a in predicted]
    candidates: list[tuple[float, int, int]] = []
    for ti, tb in enumerate(t_bodies):
        if not tb:
            continue
        for pi, pb in enumerate(p_bodies):
            sim = similarity_at_least(tb, pb, threshold)
            if sim is not None:
                candidates.append((sim, ti, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    matches: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for sim, ti, pi in candidates:
        if ti in matches or pi in used:
            continue
        matches[ti] = (pi, sim)
        used.add(pi)
    return matches


@dataclass(slots=True)
class Counts:
    """Numerators and denominators of every figure; they add up across files."""

    truth_articles: int = 0
    predicted_articles: int = 0
    matched_truth: int = 0
    matched_predicted: int = 0
    body_edits: int = 0
    body_chars: int = 0
    headline_exact: int = 0
    headline_total: int = 0
    byline_exact: int = 0
    byline_total: int = 0
    people_exact: int = 0
    people_total: int = 0
    reporters_exact: int = 0
    reporters_total: int = 0
    photographers_exact: int = 0
    photographers_total: int = 0
    dateline_exact: int = 0
    dateline_total: int = 0
    jumps_stitched: int = 0
    jumps_total: int = 0
    briefs_matched: int = 0
    briefs_total: int = 0
    leaked_articles: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


FIGURE_KEYS: tuple[str, ...] = (
    "truth_articles",
    "predicted_articles",
    "matched",
    "article_precision",
    "article_recall",
    "article_f1",
    "body_char_accuracy",
    "headline_exact",
    "headline_total",
    "byline_exact",
    "byline_total",
    "byline_people_exact",
    "byline_people_total",
    "reporters_exact",
    "reporters_total",
    "photographers_exact",
    "photographers_total",
    "dateline_date_exact",
    "dateline_total",
    "jumps_stitched",
    "jumps_total",
    "briefs_split",
    "briefs_total",
    "leakage_rate",
    "leaked_articles",
)


def figures(c: Counts) -> dict[str, float | int | None]:
    """The reported figures (stable keys) from counts."""
    precision = _rate(c.matched_predicted, c.predicted_articles)
    recall = _rate(c.matched_truth, c.truth_articles)
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "truth_articles": c.truth_articles,
        "predicted_articles": c.predicted_articles,
        "matched": c.matched_truth,
        "article_precision": precision,
        "article_recall": recall,
        "article_f1": f1,
        "body_char_accuracy": None if not c.body_chars else 1.0 - c.body_edits / c.body_chars,
        "headline_exact": _rate(c.headline_exact, c.headline_total),
        "headline_total": c.headline_total,
        "byline_exact": _rate(c.byline_exact, c.byline_total),
        "byline_total": c.byline_total,
        "byline_people_exact": _rate(c.people_exact, c.people_total),
        "byline_people_total": c.people_total,
        "reporters_exact": _rate(c.reporters_exact, c.reporters_total),
        "reporters_total": c.reporters_total,
        "photographers_exact": _rate(c.photographers_exact, c.photographers_total),
        "photographers_total": c.photographers_total,
        "dateline_date_exact": _rate(c.dateline_exact, c.dateline_total),
        "dateline_total": c.dateline_total,
        "jumps_stitched": _rate(c.jumps_stitched, c.jumps_total),
        "jumps_total": c.jumps_total,
        "briefs_split": _rate(c.briefs_matched, c.briefs_total),
        "briefs_total": c.briefs_total,
        "leakage_rate": _rate(c.leaked_articles, c.predicted_articles),
        "leaked_articles": c.leaked_articles,
    }


def _count_occurrences(haystack: str, needle: str) -> int:
    return haystack.count(needle) if needle else 0


def leaked(predicted_body: str, reference_body: str, furniture: Iterable[str]) -> bool:
    """True when a furniture string is in the predicted body more often than in the reference."""
    pb, rb = squeeze(predicted_body), squeeze(reference_body)
    return any(_count_occurrences(pb, s) > _count_occurrences(rb, s) for s in furniture)


@dataclass(slots=True)
class EditionScore:
    """Counts for one edition and for each of its page units."""

    edition: Counts
    units: dict[str, Counts] = field(default_factory=dict)
    misses: dict[str, list[dict[str, object]]] = field(default_factory=dict)


def score_edition(
    edition: TruthEdition, predicted: Sequence[EvalArticle], furniture: dict[str, list[str]] | None = None
) -> EditionScore:
    """Match and count one edition; per file, an article counts on each file of its pages."""
    truth = edition.articles
    lang = edition.language
    if furniture is None:
        furniture = {p.unit: furniture_strings(p) for p in edition.pages}
    all_furniture = list(dict.fromkeys(s for ss in furniture.values() for s in ss))
    matches = match_articles(truth, predicted)
    matched_pred = {pi: ti for ti, (pi, _) in matches.items()}
    leaked_ids: list[int] = []
    units = {p.unit: Counts() for p in edition.pages}
    total = Counts()

    def on(article_units: Sequence[str]) -> list[Counts]:
        return [total] + [units[u] for u in dict.fromkeys(article_units) if u in units]

    for ti, t in enumerate(truth):
        c = Counts(truth_articles=1)
        if t.kind == "brief":
            c.briefs_total = 1
        if len(set(t.pages)) > 1:
            c.jumps_total = 1
        m = matches.get(ti)
        if m is not None:
            p = predicted[m[0]]
            c.matched_truth = 1
            tb, pb = normalize_ws(t.body, lang), normalize_ws(p.body, lang)
            c.body_edits = levenshtein(tb, pb)
            c.body_chars = max(len(tb), len(pb))
            if t.headline.strip():
                c.headline_total = 1
                c.headline_exact = int(normalize_ws(t.headline, lang) == normalize_ws(p.headline, lang))
            if t.byline.strip():
                c.byline_total = 1
                c.byline_exact = int(normalize_ws(t.byline, lang) == normalize_ws(p.byline, lang))
            if t.people and p.people is not None:
                c.people_total = 1
                c.people_exact = int(t.people == p.people)
            if t.people is not None and p.people is not None:
                c.reporters_total = c.photographers_total = 1
                c.reporters_exact = int(names_in_roles(t.people, REPORTER_ROLES) == names_in_roles(p.people, REPORTER_ROLES))
                c.photographers_exact = int(names_in_roles(t.people, {"photographer"}) ==
                                            names_in_roles(p.people, {"photographer"}))
            if t.dateline_date is not None:
                c.dateline_total = 1
                c.dateline_exact = int(p.dateline_date == t.dateline_date)
            c.briefs_matched = c.briefs_total
            c.jumps_stitched = int(c.jumps_total == 1 and set(p.pages) == set(t.pages))
        for target in on(t.units):
            _add_into(target, c)

    for pi, p in enumerate(predicted):
        c = Counts(predicted_articles=1)
        ti = matched_pred.get(pi)
        if ti is not None:
            c.matched_predicted = 1
            reference = truth[ti].body
        else:
            pages = set(p.pages)
            reference = "\n".join(t.body for t in truth if not pages or pages & set(t.pages))
        page_furniture = (
            list(dict.fromkeys(s for u in p.units for s in furniture.get(u, []))) if p.units else all_furniture
        )
        c.leaked_articles = int(leaked(p.body, reference, page_furniture))
        for target in on(p.units):
            _add_into(target, c)
        if c.leaked_articles:
            leaked_ids.append(pi)
    return EditionScore(edition=total, units=units, misses=describe_misses(truth, predicted, matches, leaked_ids))


def _short(text: str, n: int = 40) -> str:
    flat = _WS.sub(" ", text).strip()
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def describe_misses(
    truth: Sequence[EvalArticle],
    predicted: Sequence[EvalArticle],
    matches: dict[int, tuple[int, float]],
    leaked_ids: Sequence[int] = (),
) -> dict[str, list[dict[str, object]]]:
    """What went wrong, for a reader: unmatched truth (with the closest
    prediction on its pages), unmatched predictions, leaking predictions."""
    matched_pred = {pi for pi, _ in matches.values()}
    squeezed = [squeeze(p.body) for p in predicted]
    unmatched_truth = []
    for ti, t in enumerate(truth):
        if ti in matches:
            continue
        near = [pi for pi, p in enumerate(predicted) if not t.pages or set(p.pages) & set(t.pages)]
        tb = squeeze(t.body)
        best = max(((similarity(tb, squeezed[pi]), pi) for pi in near), default=(0.0, -1))
        unmatched_truth.append(
            {
                "id": t.id,
                "kind": t.kind,
                "pages": list(t.pages),
                "headline": _short(t.headline),
                "best_similarity": round(best[0], 3),
                "best_headline": _short(predicted[best[1]].headline) if best[1] >= 0 else "",
                "best_pages": list(predicted[best[1]].pages) if best[1] >= 0 else [],
            }
        )
    def brief(pi: int) -> dict[str, object]:
        p = predicted[pi]
        return {"pages": list(p.pages), "headline": _short(p.headline), "body_start": _short(p.body)}

    return {
        "unmatched_truth": unmatched_truth,
        "unmatched_predicted": [brief(pi) for pi in range(len(predicted)) if pi not in matched_pred],
        "leaked": [brief(pi) for pi in leaked_ids],
    }


def _add_into(target: Counts, c: Counts) -> None:
    for f in fields(c):
        setattr(target, f.name, getattr(target, f.name) + getattr(c, f.name))


# --------------------------------------------------------------------------
# running extractors and the report
# --------------------------------------------------------------------------


@dataclass(slots=True)
class EvalReport:
    """Figures per system, overall and per file (``<publication>/<date>/<file>``)."""

    overall: dict[str, dict[str, float | int | None]]
    files: dict[str, dict[str, dict[str, float | int | None]]]
    meta: dict[str, object] = field(default_factory=dict)
    # per edition, per system: unmatched truth / predictions and leaks (for debugging)
    details: dict[str, dict[str, dict[str, list[dict[str, object]]]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


Extractor = Callable[[TruthEdition], list[EvalArticle]]


def edition_files(edition: TruthEdition) -> list[Path]:
    """The edition's files in page order, each once."""
    return [edition.directory / f for f in dict.fromkeys(p.file for p in edition.pages)]


def pipeline_extractor(engine: str = "pdfium") -> Extractor:
    """The broadsheet pipeline as an extractor (``tasks.pipeline.process_files``)."""
    from tasks.pipeline import process_files

    takes_engine = "engine" in inspect.signature(process_files).parameters

    def run(edition: TruthEdition) -> list[EvalArticle]:
        kwargs = {"engine": engine} if takes_engine else {}
        result: Edition = process_files(edition_files(edition), edition.publication, edition.edition_date, **kwargs)
        return [from_model_article(a, edition) for a in result.articles]

    return run


def baseline_extractor() -> Extractor:
    """The naive baseline (``tasks.evaluation.baseline``) as an extractor."""
    from tasks.evaluation.baseline import page_texts, split_naive

    def run(edition: TruthEdition) -> list[EvalArticle]:
        out = []
        page_of = {(p.file, p.index_in_file): p for p in edition.pages}
        for file in dict.fromkeys(p.file for p in edition.pages):
            for index, text in enumerate(page_texts(edition.directory / file)):
                page = page_of.get((file, index))
                if page is None:
                    continue
                for item in split_naive(text, edition.language):
                    out.append(
                        EvalArticle(
                            body=item.body,
                            headline=item.headline,
                            people=frozenset(),
                            pages=(page.page_number,),
                            units=(page.unit,),
                        )
                    )
        return out

    return run


@dataclass(slots=True)
class SystemScore:
    overall: Counts
    units: dict[str, Counts]  # by ``<publication>/<date>/<unit>``
    misses: dict[str, dict[str, list[dict[str, object]]]]  # by edition key
    errors: dict[str, str]  # by edition key
    seconds: float


def score_system(editions: Sequence[TruthEdition], extract: Extractor) -> SystemScore:
    """Run one extractor over every edition and count; a failing edition counts as no predictions."""
    result = SystemScore(Counts(), {}, {}, {}, 0.0)
    for edition in editions:
        start = time.perf_counter()
        try:
            predicted = extract(edition)
        except Exception as exc:  # one broken edition must not hide the others' figures
            result.errors[edition.key] = f"{type(exc).__name__}: {exc}"
            predicted = []
        result.seconds += time.perf_counter() - start
        score = score_edition(edition, predicted)
        result.overall = result.overall + score.edition
        result.misses[edition.key] = score.misses
        for unit, c in score.units.items():
            result.units[edition.unit_key(unit)] = c
    return result


def build_report(
    editions: Sequence[TruthEdition], systems: dict[str, Extractor], meta: dict[str, object] | None = None
) -> EvalReport:
    """Score every system on every edition."""
    report = EvalReport(overall={}, files={}, meta=dict(meta or {}))
    report.meta.setdefault("editions", [e.key for e in editions])
    errors: dict[str, dict[str, str]] = {}
    seconds: dict[str, float] = {}
    for name, extract in systems.items():
        scored = score_system(editions, extract)
        report.overall[name] = figures(scored.overall)
        for key, c in scored.units.items():
            report.files.setdefault(key, {})[name] = figures(c)
        for key, misses in scored.misses.items():
            report.details.setdefault(key, {})[name] = misses
        errors[name] = scored.errors
        seconds[name] = round(scored.seconds, 3)
    report.meta["errors"] = errors
    report.meta["seconds"] = seconds
    return report


def run_eval(
    truth_dir: Path,
    predictions: Path | None = None,
    engine: str = "pdfium",
    out_json: Path | None = None,
    *,
    baseline: bool = True,
) -> EvalReport:
    """Score the pipeline (or a JSONL predictions file) and the naive baseline.

    The scored system is reported under ``"broadsheet"`` either way;
    ``meta["system"]`` says which it was.
    """
    editions = load_truth(Path(truth_dir))
    if not editions:
        raise FileNotFoundError(f"no truth.json under {truth_dir}")
    systems: dict[str, Extractor] = {}
    if predictions is not None:
        predicted = load_predictions(Path(predictions), editions)
        systems[SYSTEM] = lambda e: predicted[e.key]
        system = f"predictions:{predictions}"
    else:
        systems[SYSTEM] = pipeline_extractor(engine)
        system = f"pipeline:{engine}"
    if baseline:
        systems[BASELINE] = baseline_extractor()
    report = build_report(
        editions, systems, {"system": system, "truth_dir": str(truth_dir), "match_threshold": MATCH_THRESHOLD}
    )
    if out_json is not None:
        Path(out_json).parent.mkdir(parents=True, exist_ok=True)
        Path(out_json).write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    return report


_COLUMNS: tuple[tuple[str, str], ...] = (
    ("truth", "truth_articles"),
    ("pred", "predicted_articles"),
    ("P", "article_precision"),
    ("R", "article_recall"),
    ("F1", "article_f1"),
    ("body", "body_char_accuracy"),
    ("head", "headline_exact"),
    ("byline", "byline_exact"),
    ("people", "byline_people_exact"),
    ("reptr", "reporters_exact"),
    ("photo", "photographers_exact"),
    ("date", "dateline_date_exact"),
    ("jumps", "jumps_stitched"),
    ("briefs", "briefs_split"),
    ("leak", "leaked_articles"),
)


def _cell(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_report(report: EvalReport) -> str:
    """A plain-text table: one row per file and system, then the overall rows."""
    header = ["file", "system"] + [c for c, _ in _COLUMNS]
    rows: list[list[str]] = []
    for key in sorted(report.files):
        for name, figs in report.files[key].items():
            rows.append([key, name] + [_cell(figs.get(k)) for _, k in _COLUMNS])
    overall_rows = [["OVERALL", name] + [_cell(figs.get(k)) for _, k in _COLUMNS] for name, figs in report.overall.items()]
    widths = [max(len(r[i]) for r in [header, *rows, *overall_rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    rule = "-" * len(line(header))
    out = [line(header), rule, *map(line, rows), rule, *map(line, overall_rows)]
    errors = report.meta.get("errors") or {}
    for name, errs in errors.items():  # type: ignore[union-attr]
        for key, msg in errs.items():
            out.append(f"error: {name} {key}: {msg}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tasks.evaluation.evaluate TRUTH_DIR [--predictions P] [--json OUT]``: print the table."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m tasks.evaluation.evaluate", description="Score an extractor against ground truth.")
    ap.add_argument("truth_dir", type=Path)
    ap.add_argument("--predictions", type=Path, default=None, help="JSONL predictions to score instead of the pipeline")
    ap.add_argument("--engine", default="pdfium")
    ap.add_argument("--json", dest="out_json", type=Path, default=None, help="write every figure here")
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive pdfplumber baseline")
    args = ap.parse_args(argv)
    report = run_eval(args.truth_dir, args.predictions, args.engine, args.out_json, baseline=not args.no_baseline)
    print(format_report(report))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
