"""Full-text search: word segmentation, the offline fts extension, BM25 index.

Chinese has no spaces between words, so the fts extension's whitespace
tokenizer cannot index it directly.  Each article gets a ``search_text``:
jieba ``cut_for_search`` words (fine and coarse: 高新 新区 高新区), English
words lowercased and NFKC-normalised, all joined by single spaces.  The index
is built over that column with a tokenizer that only splits on whitespace
(``ignore='\\s+'``) and the Porter stemmer (a no-op on CJK words, folds
English plurals).  Queries must be segmented the same way: ``segment(q)``.
The index is built once with the PRAGMA and then kept current edition by
edition inside each load's transaction (``update_index``).

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

STEMMER = "porter"
CREATE_INDEX_SQL = (
    "PRAGMA create_fts_index('article_search', 'article_id', 'search_text', "
    f"stemmer='{STEMMER}', stopwords='none', ignore='\\s+', strip_accents=1, lower=1, overwrite=1)"
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


def first_row(cursor: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of a result, reading it to the end.

    ``fetchone()`` leaves the result open, and with it the connection's
    transaction: an idle connection in the same process then blocks every
    CHECKPOINT ("other write transactions active").
    """
    rows = cursor.fetchall()
    return rows[0] if rows else None


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


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the BM25 index tables exist (built at least once)."""
    row = first_row(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs'", [FTS_SCHEMA]
    ))
    return bool(row and row[0])


def update_index(
    con: duckdb.DuckDBPyConnection,
    edition_id: str,
    old_article_ids: list[str],
    new_rows: list[dict[str, Any]] | None = None,
    reload: bool = True,
) -> None:
    """Apply one edition's reload to the BM25 index in place (caller's transaction).

    The fts extension only builds whole indexes, and a rebuild grows with the
    warehouse.  Its index is plain tables (docs, terms, dict, stats) that
    ``match_bm25`` reads, so one edition is swapped in here exactly as the
    PRAGMA would have indexed it: the extension's own ``tokenize`` macro and
    ``stem`` function, document frequencies recounted for the touched terms,
    stats recomputed.  A test checks the scores equal a full rebuild's.
    """
    s = FTS_SCHEMA
    if new_rows is not None:  # the rows the load just inserted: no scan of article_search
        import pyarrow as pa

        con.register("_fts_src", pa.table({
            "article_id": pa.array([r["article_id"] for r in new_rows], pa.string()),
            "search_text": pa.array([r["search_text"] for r in new_rows], pa.string()),
        }))
        src, params = "_fts_src", []
        new_ids = [r["article_id"] for r in new_rows]
    else:
        src, params = "article_search WHERE edition_id = ?", [edition_id]
        new_ids = [r[0] for r in con.execute(
            "SELECT article_id FROM article_search WHERE edition_id = ?", [edition_id]).fetchall()]
    gone = sorted(set(old_article_ids) | set(new_ids))
    # docids of the documents leaving the index (a reload's old ones); a new edition has none
    gone_ids = [r[0] for r in con.execute(
        f"SELECT docid FROM {s}.docs WHERE name IN (SELECT unnest(?::VARCHAR[]))", [gone]).fetchall()] \
        if reload or old_article_ids else []
    con.execute("CREATE OR REPLACE TEMP TABLE _fts_df (termid BIGINT, n BIGINT)")
    if gone_ids:
        # docids are dense and grow with each load: the range lets DuckDB skip the rest of terms
        lo, hi = min(gone_ids), max(gone_ids)
        con.execute(f"""INSERT INTO _fts_df
            SELECT termid, -count(DISTINCT docid) FROM {s}.terms
            WHERE docid BETWEEN ? AND ? AND docid IN (SELECT unnest(?::BIGINT[]))
            GROUP BY termid""", [lo, hi, gone_ids])
        con.execute(f"DELETE FROM {s}.terms WHERE docid BETWEEN ? AND ? AND docid IN (SELECT unnest(?::BIGINT[]))",
                    [lo, hi, gone_ids])
        con.execute(f"DELETE FROM {s}.docs WHERE docid IN (SELECT unnest(?::BIGINT[]))", [gone_ids])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_new AS
        SELECT (SELECT coalesce(max(docid) + 1, 0) FROM {s}.docs)
                   + row_number() OVER (ORDER BY article_id) - 1 AS docid,
               article_id AS name, search_text
        FROM {src}""", params)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_tokens AS
        SELECT docid, stem(w, '{STEMMER}') AS term
        FROM (SELECT docid, unnest({s}.tokenize(search_text)) AS w FROM _fts_new)
        WHERE w IS NOT NULL AND len(w) > 0 AND w NOT IN (SELECT sw FROM {s}.stopwords)""")
    con.execute(f"""INSERT INTO {s}.dict
        SELECT (SELECT coalesce(max(termid) + 1, 0) FROM {s}.dict) + row_number() OVER (ORDER BY term) - 1,
               term, 0
        FROM (SELECT DISTINCT term FROM _fts_tokens WHERE term NOT IN (SELECT term FROM {s}.dict))""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_termids AS
        SELECT t.docid, d.termid FROM _fts_tokens t JOIN {s}.dict d ON d.term = t.term""")
    con.execute(f"INSERT INTO {s}.terms SELECT docid, 0, termid FROM _fts_termids")
    con.execute(f"""INSERT INTO {s}.docs
        SELECT n.docid, n.name, count(t.term) FROM _fts_new n LEFT JOIN _fts_tokens t ON t.docid = n.docid
        GROUP BY n.docid, n.name""")
    # document frequencies: the new documents' terms added, the old documents' taken away
    # (the same counts the PRAGMA makes, without recounting the whole terms table)
    con.execute("INSERT INTO _fts_df SELECT termid, count(DISTINCT docid) FROM _fts_termids GROUP BY termid")
    con.execute(f"""UPDATE {s}.dict SET df = {s}.dict.df + c.n
        FROM (SELECT termid, sum(n) AS n FROM _fts_df GROUP BY termid) c
        WHERE {s}.dict.termid = c.termid""")
    con.execute(f"DELETE FROM {s}.dict WHERE df <= 0 AND termid IN (SELECT termid FROM _fts_df)")
    con.execute(f"DELETE FROM {s}.stats")
    con.execute(f"INSERT INTO {s}.stats SELECT count(docid), sum(len) / count(len) FROM {s}.docs")
    for t in ("_fts_df", "_fts_new", "_fts_tokens", "_fts_termids"):
        con.execute(f"DROP TABLE {t}")
    if new_rows is not None:
        con.unregister("_fts_src")


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = first_row(con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'search_articles'"
    ))
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
