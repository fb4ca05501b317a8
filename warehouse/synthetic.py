"""Grow a warehouse to N editions fast, for benchmarks of the load path at scale.

``grow(db, n)`` clones the editions already in the warehouse, by SQL, under
new papers and dates (``synth-<k>``), with every table kept consistent:
editions, pages, articles, people, tags, search texts, runs and files (each
clone its own run, its own file paths), then recounts the word document
frequencies and rebuilds the BM25 index once.  Loading 10,000 editions one
by one to measure the 10,001st would take hours on a small machine; a clone
gives the same table sizes, index size and key distribution in minutes, and
the editions loaded after it take the real path.  Not for production data.
"""

from __future__ import annotations

from pathlib import Path

from warehouse.store import Warehouse, first_row

BATCH = 500


def grow(db_path: Path | str, editions: int, prefix: str = "synth") -> int:
    """Clone editions until the warehouse holds ``editions``; returns the count."""
    with Warehouse.connect(db_path) as wh:
        con = wh.con
        have = int(first_row(con.execute("SELECT count(*) FROM editions"))[0])
        if have == 0:
            raise ValueError("grow needs at least one loaded edition to clone")
        templates = [r[0] for r in con.execute("SELECT edition_id FROM editions ORDER BY edition_id").fetchall()]
        k = have
        while k < editions:
            n = min(BATCH, editions - k)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute("CREATE OR REPLACE TEMP TABLE _m (src VARCHAR, pub VARCHAR, d DATE, eid VARCHAR)")
                con.execute(
                    """INSERT INTO _m SELECT t.src, ? || '-c' || (i % 8), DATE '1900-01-01' + (i // 8)::INTEGER,
                              ? || '-c' || (i % 8) || '-' || CAST(DATE '1900-01-01' + (i // 8)::INTEGER AS VARCHAR)
                       FROM (SELECT unnest(range(?::BIGINT, ?::BIGINT)) AS i) r,
                            LATERAL (SELECT (?::VARCHAR[])[1 + (r.i % ?)] AS src) t""",
                    [prefix, prefix, k, k + n, templates, len(templates)],
                )
                con.execute("""CREATE OR REPLACE TEMP TABLE _a AS
                    SELECT a.article_id AS old, left(md5(m.eid || a.article_id), 16) AS new, m.eid, m.pub, m.d
                    FROM articles a JOIN _m m ON a.edition_id = m.src""")
                con.execute("""INSERT INTO editions SELECT e.* REPLACE (m.eid AS edition_id, m.pub AS publication,
                        m.d AS edition_date, left(md5(m.eid || e.run_id), 32) AS run_id)
                    FROM editions e JOIN _m m ON e.edition_id = m.src""")
                con.execute("""INSERT INTO pages SELECT p.* REPLACE (m.eid AS edition_id,
                        left(md5(m.eid || p.run_id), 32) AS run_id)
                    FROM pages p JOIN _m m ON p.edition_id = m.src""")
                con.execute("""INSERT INTO articles SELECT a.* REPLACE (x.new AS article_id, x.eid AS edition_id,
                        x.pub AS publication, x.d AS edition_date, left(md5(x.eid || a.run_id), 32) AS run_id)
                    FROM articles a JOIN _a x ON a.article_id = x.old
                    JOIN _m m ON m.eid = x.eid AND a.edition_id = m.src""")
                for table in ("article_people", "article_tags"):
                    con.execute(f"""INSERT INTO {table} SELECT t.* REPLACE (x.new AS article_id, x.eid AS edition_id)
                        FROM {table} t JOIN _a x ON t.article_id = x.old
                        JOIN _m m ON m.eid = x.eid AND t.edition_id = m.src""")
                con.execute("""INSERT INTO article_search SELECT s.* REPLACE (x.new AS article_id,
                        x.eid AS edition_id, x.pub AS publication)
                    FROM article_search s JOIN _a x ON s.article_id = x.old
                    JOIN _m m ON m.eid = x.eid AND s.edition_id = m.src""")
                con.execute("""INSERT INTO ingest_runs SELECT r.* REPLACE (left(md5(m.eid || r.run_id), 32) AS run_id,
                        m.pub AS publication, m.d AS edition_date)
                    FROM ingest_runs r JOIN editions e ON r.run_id = e.run_id JOIN _m m ON e.edition_id = m.src""")
                con.execute("""INSERT INTO ingest_files SELECT f.* REPLACE (m.eid || '/' || f.path AS path,
                        left(md5(m.eid || f.run_id), 32) AS run_id, m.eid AS edition_id, m.pub AS publication,
                        m.d AS edition_date)
                    FROM ingest_files f JOIN _m m ON f.edition_id = m.src""")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            k += n
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM word_df")
        con.execute("""INSERT INTO word_df SELECT word, count(*) FROM (
                           SELECT DISTINCT article_id, unnest(string_split(search_text, ' ')) AS word
                           FROM article_search) WHERE word <> '' GROUP BY word""")
        con.execute("COMMIT")
        wh.refresh_fts(force=True)
        wh.checkpoint()
        return int(first_row(con.execute("SELECT count(*) FROM editions"))[0])
