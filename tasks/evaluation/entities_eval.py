"""Score person, organisation and place tagging against annotated article texts.

The corpus is JSON lines in the format of ``../shared/corpora/rmrb1998_ne_dev.jsonl``
(PKU People's Daily annotation, see its README): each article's ``paragraphs``
(paragraph 1 usually the headline) and the unique surface strings of its
``persons``, ``places`` and ``organizations``, with four lists of special
cases per kind:

- ``nested`` (北京 inside 北京大学) and ``short`` (江 in 江主席) are neither a
  hit nor a miss: they leave the gold set and a prediction of one is not
  counted either way;
- ``credit_only`` (reporters, the agency of a dateline) and ``headline_only``
  count in the ``all`` view (the default, as the issue asks: datelines count)
  and are ignored like ``nested`` in the ``body`` view.

The NER runs on the article's text through ``tag_article`` (no PDFs): an
article is built with the first paragraph as its headline and the rest as its
body.  Predicted persons are the person tags plus every person the article
credits or mentions (``article.people``, agencies aside: a reporter is a
person in ``v_people``); organisations and places are their tags.  Matching is strict
string equality after NFKC; the text is first put through the clean
stage's ``normalize_text`` (full-width digits and letters as a page's text has them).  Figures are micro-averaged over articles.

The file is split deterministically by a hash of each article's id into a
``tune`` part and an ``unseen`` part (``--split``), so rules can be tuned on
one and checked on the other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

KINDS = ("persons", "organizations", "places")
_TAG_KIND = {"persons": "person", "organizations": "organization", "places": "place"}
DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "rmrb1998_ne_dev.jsonl"
UNSEEN_SHARE = 0.3  # the part of the file kept out of tuning


def split_of(article_id: str) -> str:
    """'tune' or 'unseen', from a hash of the id (stable across runs and machines)."""
    h = int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "unseen" if h < UNSEEN_SHARE else "tune"


def read_corpus(path: Path, split: str = "all") -> Iterator[dict]:
    """The corpus's records, only those of ``split`` ('tune', 'unseen' or 'all')."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if split == "all" or split_of(rec["id"]) == split:
                    yield rec


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip()


def predict(rec: dict) -> dict[str, set[str]]:
    """What the pipeline's tagger finds in one record's text, per kind."""
    from tasks.clean import normalize_text
    from tasks.model import Article
    from tasks.tag import tag_article

    paras = [p for p in rec.get("paragraphs", []) if p and p.strip()]
    try:
        date = dt.date.fromisoformat(rec.get("date", ""))
    except ValueError:
        date = dt.date(2000, 1, 1)
    paras = [normalize_text(p) for p in paras]  # as the clean stage leaves a page's text
    art = Article(publication="eval", edition_date=date, headline=paras[0] if paras else "", paragraphs=paras[1:])
    tag_article(art)
    out: dict[str, set[str]] = {k: set() for k in KINDS}
    for t in art.tags:
        for kind, tag_kind in _TAG_KIND.items():
            if t.kind == tag_kind:
                out[kind].add(_norm(t.value))
    out["persons"] |= {_norm(p.name) for p in art.people if p.name and p.role != "agency"}  # 新华社 is no person
    return out


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EntityReport:
    articles: int = 0
    split: str = "all"
    view: str = "all"
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    false_pos: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    false_neg: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})

    def as_dict(self) -> dict:
        return {
            "articles": self.articles, "split": self.split, "view": self.view,
            "kinds": {
                k: {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4), "f1": round(c.f1, 4)}
                for k, c in self.counts.items()
            },
        }


def _special(rec: dict, field_name: str, kind: str) -> set[str]:
    value = rec.get(field_name) or {}
    return {_norm(x) for x in value.get(kind, [])} if isinstance(value, dict) else set()


def score_record(rec: dict, predicted: dict[str, set[str]], report: EntityReport) -> None:
    """Add one article's hits, false positives and misses to ``report``."""
    report.articles += 1
    for kind in KINDS:
        ignored = _special(rec, "nested", kind) | _special(rec, "short", kind)
        if report.view == "body":
            ignored |= _special(rec, "credit_only", kind) | _special(rec, "headline_only", kind)
        gold = {_norm(x) for x in rec.get(kind, [])} - ignored
        pred = predicted.get(kind, set()) - ignored
        c = report.counts[kind]
        c.tp += len(gold & pred)
        c.fp += len(pred - gold)
        c.fn += len(gold - pred)
        report.false_pos[kind].update(pred - gold)
        report.false_neg[kind].update(gold - pred)


def evaluate_records(records: Iterable[dict], split: str = "all") -> dict[str, EntityReport]:
    """Both views ('all' and 'body') over ``records``, the NER run once per article."""
    reports = {v: EntityReport(split=split, view=v) for v in ("all", "body")}
    for rec in records:
        predicted = predict(rec)
        for report in reports.values():
            score_record(rec, predicted, report)
    return reports


def run_entity_eval(path: Path = DEFAULT_CORPUS, split: str = "all", out_json: Path | None = None,
                    people_list: bool = True) -> dict[str, EntityReport]:
    """Score ``path``; ``people_list=False`` tags without tasks/data/zh_people.txt (the rules alone)."""
    from tasks.entities import use_people_list

    if not path.exists():
        raise FileNotFoundError(f"no entity corpus at {path} (it ships beside the repo in ../shared/corpora)")
    use_people_list(people_list)
    try:
        reports = evaluate_records(read_corpus(path, split), split)
    finally:
        use_people_list(True)
    if out_json:
        out_json.write_text(json.dumps({v: r.as_dict() for v, r in reports.items()}, ensure_ascii=False, indent=2),
                            encoding="utf-8")
    return reports


def format_entity_report(reports: dict[str, EntityReport], errors: int = 0) -> str:
    lines = []
    for view, report in reports.items():
        what = "credits and headlines count" if view == "all" else "credit-only and headline-only entities ignored"
        lines.append(f"entities: {report.articles} articles, split {report.split}, view {view} ({what})")
        lines.append(f"  {'kind':<14}{'precision':>10}{'recall':>8}{'F1':>8}{'tp':>7}{'fp':>7}{'fn':>7}")
        for kind, c in report.counts.items():
            lines.append(f"  {kind:<14}{c.precision:>10.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.tp:>7}{c.fp:>7}{c.fn:>7}")
        if errors:
            for kind in KINDS:
                fp = ", ".join(f"{w}×{n}" for w, n in report.false_pos[kind].most_common(errors))
                fn = ", ".join(f"{w}×{n}" for w, n in report.false_neg[kind].most_common(errors))
                lines.append(f"  {kind} false positives: {fp}")
                lines.append(f"  {kind} misses: {fn}")
    return "\n".join(lines)
