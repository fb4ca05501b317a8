"""Tag: what an analyst filters on.

``tag_article`` fills an article's dateline, people (byline credits and
people mentioned), entity tags (person, organization, place), topic tags from
the operator-edited ``tasks/topics.yaml`` and TF-IDF keyword tags, plus its
language and script.  Everything is offline: jieba's dictionary and IDF table,
the shipped lists in ``tasks/data/`` and rules.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from tasks.bylines import (
    ZH_AGENCIES,
    bare_name_credit,
    credit_paragraphs,
    find_leading_byline,
    is_author,
    parse_byline,
    photo_credits,
    split_byline,
)
from tasks.datelines import parse_dateline
from tasks.entities import _NOT_NAME_FINAL_CHARS, _jieba, _rule_tokens, people_and_entities
from tasks.model import Article, Person, Tag

# --------------------------------------------------------------------------
# language and script
# --------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> str:
    """'zh', 'en' or 'mixed' from the share of Han characters against Latin words."""
    han = len(_HAN.findall(text))
    latin = sum(len(w) for w in _LATIN_WORD.findall(text))
    # a Han character carries about as much as three Latin letters
    zh_weight, en_weight = han * 3, latin
    total = zh_weight + en_weight
    if total == 0:
        return "en" if not han else "zh"
    share = zh_weight / total
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


@lru_cache(maxsize=1)
def _variants() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("tasks").joinpath("data/zh_variants.txt").read_text(encoding="utf-8")
    simp, trad = set(), set()
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        s, t = line.split("\t")[:2]
        simp.add(s)
        trad.add(t)
    return frozenset(simp), frozenset(trad)


def detect_script(text: str) -> str:
    """'simplified', 'traditional' or 'latin' (no Han text)."""
    simp, trad = _variants()
    s = sum(1 for c in text if c in simp)
    t = sum(1 for c in text if c in trad)
    if s == 0 and t == 0:
        return "simplified" if _HAN.search(text) else "latin"
    return "traditional" if t > s else "simplified"


# --------------------------------------------------------------------------
# topics
# --------------------------------------------------------------------------


class TopicsError(ValueError):
    """topics.yaml is malformed."""


@dataclass(slots=True)
class Topic:
    id: str
    zh: str
    en: str
    keywords_zh: dict[str, float] = field(default_factory=dict)
    keywords_en: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Topics:
    topics: list[Topic]
    threshold: float = 0.3
    max_topics: int = 3
    relative: float = 0.4


def _keyword_map(value: object, where: str) -> dict[str, float]:
    if value is None:
        return {}
    if isinstance(value, list):
        value = {str(k): 1.0 for k in value}
    if not isinstance(value, dict):
        raise TopicsError(f"{where}: keywords must be a list or a mapping, got {type(value).__name__}")
    out: dict[str, float] = {}
    for k, w in value.items():
        if not isinstance(w, (int, float)) or isinstance(w, bool) or w <= 0:
            raise TopicsError(f"{where}: weight of {k!r} must be a positive number, got {w!r}")
        if not str(k).strip():
            raise TopicsError(f"{where}: empty keyword")
        out[str(k).strip()] = float(w)
    return out


def parse_topics(data: object) -> Topics:
    """Validate a loaded topics document."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TopicsError("topics file must be a mapping with a 'topics' list")
    seen: set[str] = set()
    topics: list[Topic] = []
    for i, entry in enumerate(data["topics"]):
        where = f"topics[{i}]"
        if not isinstance(entry, dict):
            raise TopicsError(f"{where}: must be a mapping")
        tid = entry.get("id")
        if not isinstance(tid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", tid):
            raise TopicsError(f"{where}: id must be lower-case ASCII (a-z, 0-9, _), got {tid!r}")
        if tid in seen:
            raise TopicsError(f"{where}: duplicate id {tid!r}")
        seen.add(tid)
        keywords = entry.get("keywords") or {}
        if not isinstance(keywords, dict) or not set(keywords) <= {"zh", "en"}:
            raise TopicsError(f"{where} ({tid}): keywords must be a mapping with zh and/or en")
        topic = Topic(
            tid, str(entry.get("zh", "")), str(entry.get("en", "")),
            _keyword_map(keywords.get("zh"), f"{where} ({tid}) zh"),
            _keyword_map(keywords.get("en"), f"{where} ({tid}) en"),
        )
        if not topic.keywords_zh and not topic.keywords_en:
            raise TopicsError(f"{where} ({tid}): no keywords")
        topics.append(topic)
    threshold = float(data.get("threshold", 0.3))
    max_topics = int(data.get("max_topics", 3))
    relative = float(data.get("relative", 0.4))
    if not (0 <= threshold <= 1 and 0 <= relative <= 1 and max_topics >= 1):
        raise TopicsError("threshold and relative must lie in 0..1, max_topics >= 1")
    return Topics(topics, threshold, max_topics, relative)


def load_topics(path: str | Path | None = None) -> Topics:
    """Load and validate a topics file (default: the shipped tasks/topics.yaml)."""
    if path is None:
        text = resources.files("tasks").joinpath("topics.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TopicsError(f"topics file is not valid YAML: {exc}") from exc
    return parse_topics(data)


@lru_cache(maxsize=1)
def _default_topics() -> Topics:
    return load_topics()


@lru_cache(maxsize=4096)
def _en_pattern(keyword: str) -> re.Pattern[str]:
    kw = keyword.lower()
    stem, star = (kw[:-1], True) if kw.endswith("*") else (kw, False)
    body = r"\s+".join(re.escape(p) for p in stem.split())
    return re.compile(rf"\b{body}{'[a-z]*' if star else ''}\b")


def score_topics(text: str, topics: Topics | None = None, language: str | None = None) -> list[Tag]:
    """Topic tags (value = topic id, score 0..1), best first, at most ``max_topics``."""
    topics = topics or _default_topics()
    language = language or detect_language(text)
    lower = text.lower()
    han = len(_HAN.findall(text))
    words = len(re.findall(r"[A-Za-z]+", text))
    scores: dict[str, float] = {}
    for topic in topics.topics:
        raw = 0.0
        if language in ("zh", "mixed"):
            raw += sum(w * text.count(k) for k, w in topic.keywords_zh.items()) / max(1.0, han / 100)
        if language in ("en", "mixed"):
            raw += sum(w * len(_en_pattern(k).findall(lower)) for k, w in topic.keywords_en.items()) / max(1.0, words / 60)
        if raw > 0:
            scores[topic.id] = raw / (raw + 2.0)
    if not scores:
        return []
    best = max(scores.values())
    kept = [
        Tag("topic", tid, round(s, 3))
        for tid, s in sorted(scores.items(), key=lambda kv: -kv[1])
        if s >= topics.threshold and s >= topics.relative * best
    ]
    return kept[: topics.max_topics]


# --------------------------------------------------------------------------
# keywords
# --------------------------------------------------------------------------

EN_STOPWORDS = frozenset(
    "a about above after again against all also am an and any are as at be because been before being below between "
    "both but by can could did do does doing down during each few for from further had has have having he her here "
    "hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of "
    "off on once only or other our ours ourselves out over own said same say says she should so some such than that "
    "the their theirs them themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with would you your yours yourself yourselves mr ms mrs dr "
    "new one two three year years last week month monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december jan feb aug sept oct "
    "nov dec percent told according since many much may might must per including like well get got make made".split()
)
ZH_STOPWORDS = frozenset(
    "我们 他们 你们 以及 进行 工作 相关 有关 开展 通过 一个 一些 这个 这些 那些 没有 已经 可以 需要 要求 表示 指出 "
    "强调 认为 其中 同时 目前 今年 去年 近日 日前 本报讯 记者 通讯员 方面 情况 问题 进一步 加强 推进 做好 确保 积极 "
    "全面 不断 主要 重要 各项 有效 提供 实现 发展 建设 坚持 落实 持续 充分 一步 一道 上午 下午 会议 会上 表示 就是 "
    "并且 但是 而且 因为 所以 如果 虽然 还是 或者 以及 对于 关于 根据 按照 为了 由于 这样 那样 怎么 什么 自己 大家 "
    "一行 双方 会见 部门 相关部门 主任 副主任 书记 负责人 工作人员 下一步 据悉 近年来 当天 此次 有关部门 "
    "党工委 管委会 一道 一是 二是 三是 同志 领导 人员 单位 各类 其他 多个".split()
)


def _jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's bundled IDF table and its median (for words it does not know)."""
    _jieba()
    import jieba.analyse

    idf, median = jieba.analyse.default_tfidf.idf_loader.get_idf()
    return idf, median


# parts of speech a keyword can have: nouns, verbal nouns, verbs, idioms, abbreviations, proper nouns;
# not pronouns, numbers, adverbs or particles
_KEYWORD_POS = ("n", "nz", "vn", "v", "an", "l", "i", "j", "eng")


def _words(text: str, language: str) -> list[str]:
    if language == "en":
        return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in EN_STOPWORDS and len(w) > 2]
    freq = _jieba().dt.FREQ
    out = []
    for w, flag, _start in _rule_tokens(text):  # jieba's words and tags (cached: the entity rules read them too)
        if len(w) < 2 or w in ZH_STOPWORDS or flag == "x":
            continue
        if _HAN.search(w):
            # a word jieba's dictionary knows, not one its model guessed from the characters: no
            # fragments (乡尹, 儿笑, 这秤); names, places and organisations tagged as entities are
            # dropped by ``keywords(exclude=...)``
            f = freq.get(w, 0)
            if not flag.startswith(_KEYWORD_POS):
                continue
            if f:  # a name tag on a frequent word or a place-like one is jieba's mistake (文明/nr, 高新区/nr)
                if not flag.startswith("nr") or f >= 500 or w.endswith(_NOT_NAME_FINAL_CHARS):
                    out.append(w)
            elif len(w) >= 3 and (not flag.startswith("nr") or w.endswith(_NOT_NAME_FINAL_CHARS)):
                out.append(w)  # a compound the model read (高新区); two-character guesses are fragments
        elif re.fullmatch(r"[A-Za-z][A-Za-z-]+", w) and w.lower() not in EN_STOPWORDS:
            out.append(w.lower())
    return out


def learn_idf(texts: list[str], language: str) -> dict[str, float]:
    """IDF over a corpus: log((N + 1) / (df + 1)) + 1 for every word seen.

    The key "" holds the IDF of an unseen word (df = 0), used by ``keywords``.
    """
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(_words(text, language)))
    n = len(texts)
    idf = {w: math.log((n + 1) / (c + 1)) + 1 for w, c in df.items()}
    idf[""] = math.log(n + 1) + 1
    return idf


def keywords(
    text: str, language: str, idf: dict[str, float] | None = None, k: int = 8, exclude: frozenset[str] | set[str] = frozenset()
) -> list[Tag]:
    """The ``k`` words with the highest TF-IDF (score normalised so the best is 1).

    ``exclude``: names already tagged as entities; a word inside one (红军 of 张红军) is no keyword.
    """
    words = _words(text, "en" if language == "en" else "zh")
    if exclude:
        words = [w for w in words if not any(w in name for name in exclude)]
    if not words:
        return []
    if idf is None:
        if language == "en":
            table, default = {}, 1.0  # no bundled English IDF: term frequency over stopword-free words
        else:
            table, default = _jieba_idf()
    else:
        table, default = idf, idf.get("", max(idf.values(), default=1.0))
    tf = Counter(words)
    if idf is None and language == "en":
        # no English IDF shipped: longer words are rarer, a crude but stable stand-in
        weights = {w: n * math.log(len(w)) for w, n in tf.items()}
    else:
        weights = {w: n * table.get(w, default) for w, n in tf.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    best = top[0][1] if top and top[0][1] > 0 else 1.0
    return [Tag("keyword", w, round(s / best, 3)) for w, s in top]


# --------------------------------------------------------------------------
# the article
# --------------------------------------------------------------------------

_AGENCY_NAMES = {"AP": "Associated Press", "AFP": "Agence France-Presse", "UPI": "United Press International"}


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def tag_article(article: Article, idf: dict[str, float] | None = None, topics: Topics | None = None) -> Article:
    """Fill dateline, people, tags, language and script; returns the same object, mutated.

    Fields already set by the segmenter (dateline, byline, language, script)
    are kept.  Byline credits come from ``article.byline`` (or a credit found
    at the end or start of the body, or inside the dateline when the byline is
    empty); people mentioned in the text become ``Person(role='mentioned')``
    and ``person`` tags, except those already credited in the byline.
    Existing people and tags are replaced (tagging the same article twice
    gives the same result).
    """
    body = article.body
    text = "\n".join(p for p in (article.kicker, article.headline, article.subheadline, body) if p)
    language = article.language or detect_language(text)
    article.language = language
    article.script = article.script or detect_script(text)

    after_credit, leading_credit = find_leading_byline(body)  # 本报记者 何东 set above the lead
    dl = parse_dateline(after_credit if leading_credit else body, article.edition_date)
    if not article.dateline and dl.text:
        article.dateline = dl.text
    if article.dateline_date is None and dl.date is not None:
        article.dateline_date = dl.date
    if not article.dateline_place and dl.place:
        article.dateline_place = dl.place

    byline = article.byline
    if not byline:  # credits above the text and after it, else a bare name under the headline or below the text
        _rest, trailing = split_byline(body)
        byline = "\n".join(x for x in (leading_credit, trailing) if x) or bare_name_credit(article.paragraphs)
    # a credit inside the dateline lead (本报讯（方宝岭）) is the reporter's, also when the
    # segmenter has already copied it into the byline
    lead_credit = bool(dl.byline) and normalize_space(byline) == normalize_space(dl.byline)
    found = [(byline, "reporter" if lead_credit else "author")]
    if dl.byline and dl.byline not in byline:  # 本报讯（记者 李超）: the dateline's credit is the reporter's
        found.append((dl.byline, "reporter"))
    for para in credit_paragraphs(article.paragraphs):  # 本报记者张帆 on its own under a standfirst
        if para not in byline:
            found.append((para, "author"))
    for para in article.paragraphs[1:]:  # a story of several filed items, each with its lead and credit
        more = parse_dateline(para, article.edition_date).byline if para[:1] in "据新本中（(" else ""
        if more and more not in byline:
            found.append((more, "reporter"))
    credits: list[Person] = []
    for credit_text, role in found:
        have = {(c.name, c.role) for c in credits}
        credits += [p for p in (parse_byline(credit_text, default_role=role) if credit_text else [])
                    if (p.name, p.role) not in have]
    # （新华社记者陈建力摄） printed in the text or a caption, (AP Photo/Jane Doe), a caption's closing
    # 本报记者 王五摄: the photo's credit, not the text's
    in_captions = [split_byline(c)[1] for c in article.captions]
    for credit in photo_credits("\n".join([body, *article.captions])) + [c for c in in_captions if c]:
        have = {(c.name, c.role) for c in credits}
        credits += [p for p in parse_byline(credit) if p.role == "photographer" and (p.name, p.role) not in have]
    credited = {p.name for p in credits}

    people, entity_tags = people_and_entities(text, language)
    # not a credited name, nor only ever a piece of one (康强 of the credit 康强丽)
    mentioned = [p for p in people if p.name not in credited
                 and not any(p.name in c and text.count(p.name) == text.count(c) for c in credited)]
    article.people = credits + mentioned
    kept = {p.name for p in mentioned}
    tags = [t for t in entity_tags if not (t.kind == "person" and (t.value in credited or t.value not in kept))]
    orgs = {t.value for t in tags if t.kind == "organization"}
    agencies = {p.title for p in credits if p.title in ZH_AGENCIES} | {
        p.name for p in credits if p.role in ("agency", "source") and p.name not in ("本报", "本報", "wire reports")}
    if dl.agency:  # 新华社北京1月1日电 / WASHINGTON (AP) —
        agencies.add(_AGENCY_NAMES.get(dl.agency, dl.agency))
    for agency in sorted(agencies):
        if agency not in orgs:
            tags.append(Tag("organization", agency, 1.0))
            orgs.add(agency)
    if article.dateline_place and not any(t.kind == "place" and t.value == article.dateline_place for t in tags):
        tags.append(Tag("place", article.dateline_place, 1.0))
    # names are tags already: people are masked for topics and keywords (张红军 gives no keyword 红军),
    # organisations for keywords only (郑州市第一人民医院 still says 医疗)
    people_names = {t.value for t in tags if t.kind == "person"} | credited
    org_names = {t.value for t in tags if t.kind == "organization"}
    no_people = _mask(text, people_names)
    tags += score_topics(no_people, topics, language)
    entity_names = {t.value for t in tags if t.kind in ("person", "organization", "place")} | credited
    if language == "en":
        tags += keywords(_mask(no_people, org_names), language, idf)
    else:  # the unmasked text's tokens are the ones the entity rules cut already
        tags += keywords(text, language, idf, exclude=entity_names)
    article.tags = tags
    return article


def _mask(text: str, names: set[str]) -> str:
    for name in sorted(names, key=lambda n: (-len(n), n)):
        text = text.replace(name, " ")
    return text


def credits_of(article: Article) -> list[Person]:
    """The article's own credits (no editors, no people mentioned)."""
    return [p for p in article.people if is_author(p)]
