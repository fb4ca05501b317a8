"""Full-text search: word segmentation, the offline fts extension, BM25 index.

Chinese has no spaces between words, so the fts extension's whitespace
tokenizer cannot index it directly.  Each article gets a ``search_text``:
jieba ``cut_for_search`` words (fine and coarse: 高新 新区 高新区), English
words lowercased and NFKC-normalised, all joined by single spaces.  The index
is built over that column with a tokenizer that only splits on whitespace
(``ignore='\\s+'``) and the Porter stemmer (a no-op on CJK words, folds
English plurals).  Queries must be segmented the same way: ``segment(q)``.

SQL users: ``SELECT * FROM search_articles(q, n := 10, pub := NULL)`` where
``q`` is ALREADY segmented text (words separated by spaces, e.g. '防汛 预警'
or 'flood warning'); the macro ranks by BM25 and needs ``LOAD fts`` (see
``fts_extension_path``) in the reading session.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from pathlib import Path
from typing import Any

import duckdb

FTS_SCHEMA = "fts_main_article_search"

CREATE_INDEX_SQL = (
    "PRAGMA create_fts_index('article_search', 'article_id', 'search_text', "
    "stemmer='porter', stopwords='none', ignore='\\s+', strip_accents=1, lower=1, overwrite=1)"
)

SEARCH_MACRO_SQL = f"""
CREATE OR REPLACE MACRO search_articles(q, n := 10, pub := NULL) AS TABLE
SELECT a.article_id, a.publication, a.edition_date, a.page_numbers, a.headline,
       left(a.body, 160) AS snippet, a.body, s.score
FROM (
    SELECT article_id, {FTS_SCHEMA}.match_bm25(article_id, q) AS score
    FROM article_search
) s
JOIN articles a USING (article_id)
WHERE s.score IS NOT NULL AND (pub IS NULL OR a.publication = pub)
ORDER BY s.score DESC, a.article_id
LIMIT n
"""


def fts_extension_path() -> Path:
    """The fts extension shipped by the ``duckdb-extension-fts`` wheel."""
    import duckdb_extension_fts

    base = Path(duckdb_extension_fts.__file__).parent / "extensions"
    wanted = base / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if wanted.exists():
        return wanted
    found = sorted(base.glob("v*/fts.duckdb_extension"))
    if not found:
        raise FileNotFoundError(f"no fts.duckdb_extension under {base}")
    return found[-1]


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD the fts extension from the wheel, offline."""
    path = str(fts_extension_path()).replace("'", "''")
    con.execute(f"LOAD '{path}'")


@functools.cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> str:
    """Words of ``text`` joined by single spaces: jieba for CJK, lowercased."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text.strip():
        return ""
    words = []
    for word in _jieba().cut_for_search(text):
        word = word.strip().lower()
        if word and any(ch.isalnum() for ch in word):
            words.append(word)
    return " ".join(words)


def article_search_text(fields: list[str]) -> str:
    """The indexed text of one article: its text fields segmented."""
    return segment("\n".join(f for f in fields if f))


def build_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the BM25 index and the search_articles macro (caller's transaction)."""
    con.execute(CREATE_INDEX_SQL)
    con.execute(SEARCH_MACRO_SQL)


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'search_articles'"
    ).fetchone()
    return bool(row and row[0])


def run_search(
    con: duckdb.DuckDBPyConnection, query: str, limit: int = 10, publication: str | None = None
) -> list[dict[str, Any]]:
    """Segment ``query`` and rank articles by BM25; [] when nothing matches."""
    q = segment(query)
    if not q or not has_index(con):
        return []
    cur = con.execute(
        "SELECT * FROM search_articles(?, n := ?, pub := ?)", [q, int(limit), publication]
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]
