"""Warehouse: migrations, idempotent and replacing loads, lineage, views, FTS,
exports, snapshots. Real DuckDB files; editions built by hand (no PDF stages)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tasks.model import Article, Edition, PageLayout, Person, Quarantined, Tag
from warehouse.demo import demo_edition
from warehouse.export import read_export
from warehouse.store import (
    FileRecord,
    Warehouse,
    edition_id_for,
    load_edition_atomic,
    migration_files,
    open_reader,
    open_writer,
    snapshot_path,
)

DAY = dt.date(2022, 4, 6)
EDITION_TABLES = ("editions", "pages", "articles", "article_people", "article_tags", "ingest_files", "article_search")


def table_rows(wh: Warehouse, table: str) -> list[tuple]:
    return sorted(wh.sql(f"SELECT * FROM {table}"), key=repr)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh.duckdb"


def test_migrations_are_numbered_and_recorded(db: Path) -> None:
    versions = [v for v, _, _ in migration_files()]
    assert versions == sorted(versions) and len(versions) >= 2 and versions[0] == 1
    with Warehouse.connect(db) as wh:
        applied = wh.sql("SELECT version, name FROM schema_migrations ORDER BY version")
        assert [v for v, _ in applied] == versions
        assert wh.migrate() == []  # applying again is a no-op
        views = {r[0] for r in wh.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal")}
        assert {"v_articles", "v_daily_volume", "v_people", "v_topics_daily"} <= views


def test_old_warehouse_file_is_upgraded_in_place(db: Path) -> None:
    with Warehouse.connect(db, migrate=False) as old:
        assert old.migrate(target=1) == [1]
        old.con.execute(
            "INSERT INTO editions (edition_id, publication, edition_date, page_count, article_count, run_id,"
            " code_version, loaded_at) VALUES ('gxsb-2022-04-06', 'gxsb', DATE '2022-04-06', 1, 1, 'old', 'v0',"
            " TIMESTAMP '2022-04-07 01:00:00')"
        )
        old.con.execute(
            "INSERT INTO articles (article_id, edition_id, publication, edition_date, page_numbers, source_files,"
            " headline, body, language) VALUES ('a1', 'gxsb-2022-04-06', 'gxsb', DATE '2022-04-06', [1],"
            " ['/inbox/p1.pdf'], '旧标题', '旧正文', 'zh')"
        )
        old.con.execute("INSERT INTO article_people VALUES ('a1', '孙庆辉', 'reporter', '')")
        cols = {r[0] for r in old.sql("SELECT column_name FROM duckdb_columns() WHERE table_name = 'articles'")}
        assert "content_hash" not in cols
    with Warehouse.connect(db) as wh:
        assert wh.schema_version() == max(v for v, _, _ in migration_files())
        assert wh.sql("SELECT article_id, headline, body, page_numbers FROM articles") == [
            ("a1", "旧标题", "旧正文", [1])
        ]
        assert wh.sql("SELECT name, role FROM article_people") == [("孙庆辉", "reporter")]
        assert wh.sql("SELECT loaded_at FROM editions") == [(dt.datetime(2022, 4, 7, 1, 0),)]
        cols = {r[0] for r in wh.sql("SELECT column_name FROM duckdb_columns() WHERE table_name = 'articles'")}
        assert {"content_hash", "dateline_place", "sequence"} <= cols
        assert wh.sql("SELECT headline, people_text FROM v_articles") == [("旧标题", "孙庆辉")]
        # the upgraded file takes new loads: the old rows are replaced, not duplicated
        result = wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1")
        assert result.status == "replaced"
        assert wh.sql("SELECT count(*) FROM articles WHERE article_id = 'a1'") == [(0,)]


def test_reload_of_identical_content_changes_nothing(db: Path) -> None:
    edition = demo_edition("gxsb", DAY, quarantine_one=True)
    with Warehouse.connect(db) as wh:
        first = wh.load_edition(edition, "run-1", "v1")
        assert first.status == "loaded" and first.articles == 4 and first.quarantined == 1
        before = {t: table_rows(wh, t) for t in EDITION_TABLES}
        summary = wh.summary()
    with Warehouse.connect(db) as wh:
        again = wh.load_edition(demo_edition("gxsb", DAY, quarantine_one=True), "run-2", "v1")
        assert again.status == "unchanged"
        assert again.content_hash == first.content_hash
        assert {t: table_rows(wh, t) for t in EDITION_TABLES} == before  # loaded_at and run_id included
        assert wh.summary() == summary
        assert wh.sql("SELECT DISTINCT run_id FROM articles") == [("run-1",)]


def test_same_content_from_new_code_version_is_remembered_not_reloaded(db: Path) -> None:
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "run-1", "v1")
        loaded_at = wh.sql("SELECT loaded_at, code_version FROM articles")
        assert wh.load_edition(demo_edition("gxsb", DAY), "run-2", "v2").status == "unchanged"
        assert wh.sql("SELECT loaded_at, code_version FROM articles") == loaded_at
        shas, version = wh.edition_fingerprint("gxsb", DAY)
        assert version == "v2" and shas == frozenset(s for _, s in demo_edition("gxsb", DAY).files)
        assert wh.is_unchanged("gxsb", DAY, sorted(shas), "v2")
        assert not wh.is_unchanged("gxsb", DAY, sorted(shas), "v3")
        assert wh.edition_fingerprint("gxsb", dt.date(2022, 4, 7)) is None


def test_corrected_edition_replaces_the_old_rows(db: Path) -> None:
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY, pages=2, articles_per_page=2), "run-1", "v1")
        wh.load_edition(demo_edition("sdt", DAY), "run-1", "v1")
        fixed = demo_edition("gxsb", DAY, variant=1, pages=1, articles_per_page=3)
        result = wh.load_edition(fixed, "run-2", "v1")
        assert result.status == "replaced" and result.previous_articles == 4 and result.articles == 3
        eid = edition_id_for("gxsb", DAY)
        heads = [h for (h,) in wh.sql("SELECT headline FROM articles WHERE edition_id = ? ORDER BY 1", [eid])]
        assert len(heads) == 3 and all("更正1" in h for h in heads)
        assert wh.sql("SELECT page_count, article_count, run_id FROM editions WHERE edition_id = ?", [eid]) == [
            (1, 3, "run-2")
        ]
        assert wh.sql("SELECT count(*) FROM pages WHERE edition_id = ?", [eid]) == [(1,)]
        # the other paper is untouched; nothing is left orphaned
        assert wh.sql("SELECT count(*) FROM articles WHERE publication = 'sdt'") == [(4,)]
        for table in ("article_people", "article_tags", "article_search"):
            assert wh.sql(f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT article_id FROM articles)") == [(0,)]
        statuses = dict(wh.sql("SELECT status, count(*) FROM ingest_files WHERE edition_id = ? GROUP BY 1", [eid]))
        assert statuses == {"superseded": 2, "loaded": 1}
        assert wh.edition_fingerprint("gxsb", DAY)[0] == frozenset(s for _, s in fixed.files)


def test_rows_carry_lineage_and_contract_columns(db: Path) -> None:
    with Warehouse.connect(db) as wh:
        wh.start_run("run-1", "flow-123", "v1", "gxsb", DAY)
        wh.load_edition(demo_edition("gxsb", DAY, quarantine_one=True), "run-1", "v1")
        wh.finish_run("run-1", "loaded", {"files": 3, "pages": 2, "articles": 4, "quarantined": 1})
        row = wh.sql(
            "SELECT edition_id, publication, edition_date, page_numbers, source_files, language, script, kind,"
            " char_count, boxes::VARCHAR, run_id, code_version, content_hash IS NOT NULL, dateline_date"
            " FROM articles ORDER BY page_numbers[1], sequence LIMIT 1"
        )[0]
        assert row[:8] == ("gxsb-2022-04-06", "gxsb", DAY, [1, 2], ["/inbox/gxsb/2022-04-06/page_01.pdf"],
                           "zh", "simplified", "article")
        assert row[8] > 50 and '"bbox"' in row[9] and row[10:] == ("run-1", "v1", True, dt.date(2022, 4, 5))
        assert wh.sql("SELECT p.name, p.role FROM article_people p JOIN articles a USING (article_id)"
                      " WHERE a.page_numbers = [1, 2] ORDER BY p.position") == [
            ("孙庆辉", "reporter"), ("冯志斌", "correspondent")]
        run = wh.sql("SELECT flow_run_id, status, files, pages, articles, quarantined, finished_at IS NOT NULL,"
                     " publication, edition_date FROM ingest_runs")
        assert run == [("flow-123", "loaded", 3, 2, 4, 1, True, "gxsb", DAY)]
        files = dict(wh.sql("SELECT status, count(*) FROM ingest_files GROUP BY 1"))
        assert files == {"loaded": 2, "needs_ocr": 1}
        assert wh.sql("SELECT reason FROM ingest_files WHERE status = 'needs_ocr'") == [("no text layer",)]


def test_record_files_keeps_every_file_ever_seen(db: Path) -> None:
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "run-1", "v1")
        path, sha = demo_edition("gxsb", DAY).files[0]
        n = wh.record_files(
            [(path, sha, "skipped_unchanged", "same files"),
             FileRecord("/inbox/misc/flyer.pdf", "f" * 64, "no_edition", "no date in path or header"),
             Quarantined("/inbox/gxsb/bad.pdf", "b" * 64, "quarantined", "not a PDF")],
            "run-2",
        )
        assert n == 3
        # skipped_unchanged does not overwrite what happened to that content
        assert wh.sql("SELECT status, run_id FROM ingest_files WHERE path = ?", [path]) == [("loaded", "run-1")]
        assert wh.sql("SELECT status FROM ingest_files WHERE path = '/inbox/misc/flyer.pdf'") == [("no_edition",)]
        wh.record_files([("/inbox/gxsb/bad.pdf", "b" * 64, "needs_ocr", "scanned")], "run-3")
        assert wh.sql("SELECT status, reason, run_id FROM ingest_files WHERE path = '/inbox/gxsb/bad.pdf'") == [
            ("needs_ocr", "scanned", "run-3")]


def test_record_quarantine_for_an_edition_without_content(db: Path) -> None:
    ed = Edition("gxsb", DAY, pages=[], articles=[],
                 quarantined=[Quarantined("/in/a.pdf", "a" * 64, "encrypted", "password")],
                 files=[("/in/a.pdf", "a" * 64), ("/in/b.pdf", "b" * 64)])
    with Warehouse.connect(db) as wh:
        assert wh.record_quarantine(ed, "run-1") == 2
        assert sorted(wh.sql("SELECT path, status, edition_id FROM ingest_files")) == [
            ("/in/a.pdf", "encrypted", "gxsb-2022-04-06"), ("/in/b.pdf", "no_content", "gxsb-2022-04-06")]


def test_duplicate_article_ids_are_kept_apart(db: Path) -> None:
    ed = demo_edition("gxsb", DAY, pages=1, articles_per_page=2)
    ed.articles[1].sequence = ed.articles[0].sequence
    with Warehouse.connect(db) as wh:
        result = wh.load_edition(ed, "r", "v")
        assert result.articles == 2 and len(result.warnings) == 1
        ids = [i for (i,) in wh.sql("SELECT article_id FROM articles ORDER BY 1")]
        assert ids[1] == ids[0] + "-2"


@pytest.fixture(scope="module")
def papers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two papers x two days, loaded once; the tests using it only read."""
    db = tmp_path_factory.mktemp("papers") / "wh.duckdb"
    with open_writer(db) as wh:
        for pub in ("gxsb", "sdt"):
            for i in range(2):
                wh.load_edition(demo_edition(pub, DAY + dt.timedelta(days=i)), f"run-{pub}-{i}", "v1")
    return db


def test_search_chinese_and_english(papers_db: Path) -> None:
    db = papers_db
    with Warehouse.connect(db) as wh:
        hits = wh.search("防汛 预警")
        assert hits and "暴雨" in hits[0]["headline"] and hits[0]["publication"] == "gxsb"
        assert wh.search("防汛预警")[0]["article_id"] == hits[0]["article_id"]  # unsegmented query too
        assert "高新区" in wh.search("高新区 招商")[0]["headline"]
        en = wh.search("flood warning", limit=3)
        assert en and en[0]["headline"].startswith("Flood warnings") and len(en) <= 3
        assert all(h["publication"] == "sdt" for h in wh.search("metro", publication="sdt"))
        assert wh.search("metro", publication="gxsb") == []
        assert wh.search("长颈鹿") == []
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    # the SQL macro takes segmented text and works from a read-only snapshot with fts loaded
    with open_reader(db) as reader:
        assert reader.path == snapshot_path(db)
        reader.load_fts()
        rows = reader.sql("SELECT headline FROM search_articles('防汛 预警', n := 2)")
        assert rows and "暴雨" in rows[0][0]
        assert reader.search("Flood")[0]["publication"] == "sdt"


def test_search_index_follows_replacements(db: Path) -> None:
    load_edition_atomic(db, demo_edition("gxsb", DAY), "r1", "v1")
    load_edition_atomic(db, demo_edition("gxsb", DAY, variant=1), "r2", "v1")
    with Warehouse.connect(db) as wh:
        hits = wh.search("暴雨")
        assert len(hits) == 1 and "更正1" in hits[0]["headline"]


def test_views_give_bi_friendly_rows(papers_db: Path) -> None:
    db = papers_db
    with Warehouse.connect(db) as wh:
        art = wh.sql(
            "SELECT people, people_text, topics, keywords, pages_text, first_page FROM v_articles"
            " WHERE headline = '市气象台发布暴雨橙色预警' AND edition_date = ?", [DAY])
        assert art == [(["孙庆辉", "冯志斌"], "孙庆辉, 冯志斌", ["气象", "防汛"], ["暴雨", "防汛", "预警"], "1, 2", 1)]
        assert wh.sql("SELECT count(*) FROM v_articles") == wh.sql("SELECT count(*) FROM articles")
        volume = wh.sql("SELECT publication, edition_date, articles, characters, pages FROM v_daily_volume"
                        " ORDER BY 1, 2")
        assert [(p, d, n, pg) for p, d, n, _, pg in volume] == [
            ("gxsb", DAY, 4, 2), ("gxsb", DAY + dt.timedelta(days=1), 4, 2),
            ("sdt", DAY, 4, 2), ("sdt", DAY + dt.timedelta(days=1), 4, 2)]
        assert all(chars > 200 for *_, chars, _ in volume)
        person = wh.sql("SELECT role, article_count, first_seen, last_seen, publications FROM v_people"
                        " WHERE name = '孙庆辉'")
        assert person == [("reporter", 2, DAY, DAY + dt.timedelta(days=1), ["gxsb"])]
        topics = wh.sql("SELECT day, publication, article_count FROM v_topics_daily WHERE topic = 'weather'"
                        " ORDER BY day")
        assert topics == [(DAY, "sdt", 2), (DAY + dt.timedelta(days=1), "sdt", 2)]
        sample = wh.sample_articles(limit=3)
        assert len(sample) == 3 and sample[0]["edition_date"] == DAY + dt.timedelta(days=1)


def test_export_parquet_round_trip_equals_table(papers_db: Path, tmp_path: Path) -> None:
    db = papers_db
    out = tmp_path / "export"
    with Warehouse.connect(db) as wh:
        written = wh.export(out, fmt="parquet")
        assert set(written) == {"editions", "pages", "articles", "article_people", "article_tags",
                                "ingest_runs", "ingest_files"}
        parts = sorted(p.relative_to(out / "articles").parent.as_posix() for p in (out / "articles").rglob("*.parquet"))
        assert parts == ["gxsb/2022-04", "sdt/2022-04"]
        for table in written:
            cols = [r[0] for r in wh.sql(
                f"SELECT column_name FROM duckdb_columns() WHERE table_name = '{table}' ORDER BY column_index")]
            # exactly the table's columns: the folders add none (no year / month / publication=)
            assert list(pd.read_parquet(out / table).columns) == cols, table
            back = wh.sql(f"SELECT {', '.join(cols)} FROM read_parquet('{out / table}/**/*.parquet') ORDER BY ALL")
            assert back == wh.sql(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL"), table
        # filters
        wh.export(tmp_path / "one", fmt="parquet", publication="sdt", date_from=DAY, date_to=DAY)
        assert wh.sql(f"SELECT DISTINCT edition_id FROM read_parquet('{tmp_path}/one/articles/**/*.parquet')") == [
            ("sdt-2022-04-06",)]
        # an empty selection still writes the columns
        wh.export(tmp_path / "none", fmt="parquet", publication="nobody")
        assert list(pd.read_parquet(tmp_path / "none" / "articles").columns) == list(
            pd.read_parquet(out / "articles").columns)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_reads_back_into_pandas_with_the_contract_types(papers_db: Path, tmp_path: Path, fmt: str) -> None:
    """Nullable integers stay integers (Int32, not float64) in every format, lineage included."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(papers_db, db)  # papers_db is shared: change a copy
    with Warehouse.connect(db) as wh:
        wh.con.execute("UPDATE articles SET jump_to = 3 WHERE article_id = (SELECT min(article_id) FROM articles)")
        wh.start_run("run-x", "flow-x", "v1", "gxsb", DAY)
        wh.finish_run("run-x", "loaded", {"files": 2, "pages": 2, "articles": 4})  # quarantined stays NULL
        wh.start_run("run-y", "flow-y", "v1")  # a run still going: no counts yet
        wh.export(tmp_path / fmt, fmt=fmt)
        n_runs = wh.sql("SELECT count(*) FROM ingest_runs")[0][0]
    arts = read_export(tmp_path / fmt, "articles")
    for col in ("jump_to", "jump_from", "char_count", "sequence"):
        assert str(arts[col].dtype) == "Int32", (col, arts[col].dtype)
    assert arts["jump_to"].isna().sum() == len(arts) - 1 and arts["jump_to"].max() == 3
    assert isinstance(arts["edition_date"].iloc[0], dt.date)
    assert str(arts["loaded_at"].dtype).startswith("datetime64")
    runs = read_export(tmp_path / fmt, "ingest_runs")
    assert len(runs) == n_runs > 0
    assert {str(runs[c].dtype) for c in ("files", "pages", "articles", "quarantined")} == {"Int32"}
    files = read_export(tmp_path / fmt, "ingest_files")
    assert "status" in files and "reason" in files
    if fmt == "parquet":  # no helper needed: plain pandas gets the types from the files
        assert str(pd.read_parquet(tmp_path / fmt / "articles")["jump_from"].dtype) == "Int32"


def test_snapshot_is_published_and_readers_keep_their_view(db: Path) -> None:
    load_edition_atomic(db, demo_edition("gxsb", DAY), "r1", "v1")
    snap = snapshot_path(db)
    assert snap == db.with_name("wh.snapshot.duckdb") and snap.exists()
    assert not list(db.parent.glob("*.tmp"))
    reader = duckdb.connect(str(snap), read_only=True)  # a BI tool holding the snapshot open
    try:
        # the writer is not blocked by the reader, and the reader never sees a half state
        load_edition_atomic(db, demo_edition("gxsb", DAY + dt.timedelta(days=1)), "r2", "v1")
        assert reader.execute("SELECT count(*) FROM editions").fetchone() == (1,)
    finally:
        reader.close()
    with open_reader(db) as fresh:
        assert fresh.sql("SELECT count(*) FROM editions") == [(2,)]
        assert fresh.read_only
    with open_reader(db, prefer_snapshot=False) as live:
        assert live.path == db and live.sql("SELECT count(*) FROM editions") == [(2,)]


def test_writer_window_without_changes_keeps_the_snapshot(db: Path) -> None:
    load_edition_atomic(db, demo_edition("gxsb", DAY), "r1", "v1")
    before = snapshot_path(db).stat().st_mtime_ns
    with open_writer(db) as wh:
        assert wh.load_edition(demo_edition("gxsb", DAY), "r2", "v1").status == "unchanged"
    assert snapshot_path(db).stat().st_mtime_ns == before


def test_read_idf_is_a_frozen_model_learned_once_the_corpus_is_large(papers_db: Path, tmp_path: Path) -> None:
    assert Warehouse.read_idf(tmp_path / "missing.duckdb") is None
    db = tmp_path / "copy.duckdb"
    shutil.copy(papers_db, db)
    assert Warehouse.read_idf(db) is None  # too few articles: the tagger keeps jieba's IDF
    with Warehouse.connect(db) as wh:
        assert wh.maybe_learn_idf(min_articles=1)
        assert not wh.maybe_learn_idf(min_articles=1)  # relearned only once the corpus doubles
    Warehouse.publish_snapshot(db)
    idf = Warehouse.read_idf(db)
    assert idf is not None and idf["防汛"] > idf["本报讯"] > 0


def test_loads_do_not_move_the_frozen_idf(db: Path) -> None:
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1")
        assert wh.maybe_learn_idf(min_articles=1)
        frozen = wh.idf()
        wh.load_edition(demo_edition("sdt", DAY), "r2", "v1")
        assert wh.idf() == frozen
        assert wh.live_idf() != frozen


def test_hand_built_minimal_edition_loads(db: Path) -> None:
    page = PageLayout(source_file="/in/x.pdf", page_index=0, width=595, height=842, blocks=[], sha256="x" * 64)
    art = Article(publication="cd", edition_date=DAY, paragraphs=["Short item."], headline="Brief",
                  page_numbers=[], kind="brief", people=[Person("Ann Lee", "author", "Staff Writer")],
                  tags=[Tag("place", "Beijing", 0.7)])
    ed = Edition("cd", DAY, pages=[page], articles=[art], files=[("/in/x.pdf", "x" * 64)])
    with Warehouse.connect(db) as wh:
        assert wh.load_edition(ed, "r", "v").status == "loaded"
        assert wh.sql("SELECT page_number, status FROM pages") == [(None, "loaded")]
        assert wh.sql("SELECT title FROM article_people") == [("Staff Writer",)]
        assert wh.sql("SELECT places, first_page FROM v_articles") == [(["Beijing"], None)]


def test_fts_staleness_is_tracked_and_healed_by_writable_search(db: Path) -> None:
    load_edition_atomic(db, demo_edition("gxsb", DAY), "r1", "v1", refresh_fts=False)
    with open_reader(db) as reader:
        assert reader.search("暴雨") == []  # read-only: the index as last built (none yet)
    with Warehouse.connect(db) as wh:
        assert wh.fts_stale()
        assert wh.search("暴雨")  # writable: rebuilt on demand
        assert not wh.fts_stale()
        # once built, loads keep the index current in their own transaction
        wh.load_edition(demo_edition("gxsb", DAY, variant=1), "r2", "v1")
        assert not wh.fts_stale()
        hits = wh.search("暴雨")
        assert len(hits) == 1 and "更正1" in hits[0]["headline"]


def _scores(wh: Warehouse, queries: list[str]) -> dict[str, list[tuple[str, float]]]:
    from warehouse.search import segment

    out = {}
    for q in queries:
        rows = wh.sql(
            "SELECT article_id, fts_main_article_search.match_bm25(article_id, ?) AS s FROM article_search"
            " WHERE s IS NOT NULL ORDER BY article_id", [segment(q)])
        out[q] = [(a, round(sc, 9)) for a, sc in rows]
    return out


def test_incremental_index_scores_equal_a_full_rebuild(db: Path) -> None:
    queries = ["防汛 预警", "暴雨", "高新区 招商", "公交", "flood warning", "metro", "investment deals", "更正"]
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1")
        wh.refresh_fts()  # first build: full
        wh.load_edition(demo_edition("sdt", DAY), "r2", "v1")
        wh.load_edition(demo_edition("gxsb", DAY + dt.timedelta(days=1), pages=3), "r3", "v1")
        wh.load_edition(demo_edition("gxsb", DAY, variant=1, pages=1, articles_per_page=3), "r4", "v1")
        wh.load_edition(demo_edition("sdt", DAY, variant=2), "r5", "v1")
        assert not wh.fts_stale()
        incremental = _scores(wh, queries)
        stats = wh.sql("SELECT num_docs, round(avgdl, 9) FROM fts_main_article_search.stats")
        dict_size = wh.sql("SELECT count(*), sum(df) FROM fts_main_article_search.dict")
        wh.refresh_fts(force=True)
        assert _scores(wh, queries) == incremental
        assert wh.sql("SELECT num_docs, round(avgdl, 9) FROM fts_main_article_search.stats") == stats
        assert wh.sql("SELECT count(*), sum(df) FROM fts_main_article_search.dict") == dict_size
        assert sum(len(v) for v in incremental.values()) > 10


def test_an_idle_connection_does_not_block_checkpoints(db: Path) -> None:
    """Every read finishes its result: a half-read one keeps a transaction open
    and DuckDB then refuses CHECKPOINT on the other connections."""
    load_edition_atomic(db, demo_edition("gxsb", DAY), "r1", "v1")
    idle = Warehouse.connect(db)
    try:
        idle.edition_fingerprint("gxsb", DAY)
        idle.fts_stale()
        with Warehouse.connect(db) as writer:
            writer.load_edition(demo_edition("gxsb", DAY + dt.timedelta(days=1)), "r2", "v1")
            writer.checkpoint(timeout=0)
            assert writer.write_snapshot().exists()
    finally:
        idle.close()


def test_word_document_frequencies_follow_loads_and_replacements(db: Path) -> None:
    full_scan = """SELECT word, count(*) FROM (SELECT DISTINCT article_id, word FROM (
                       SELECT article_id, unnest(string_split(search_text, ' ')) AS word FROM article_search))
                   WHERE word <> '' GROUP BY word ORDER BY word"""
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1")
        wh.load_edition(demo_edition("sdt", DAY), "r1", "v1")
        wh.load_edition(demo_edition("gxsb", DAY, variant=1, pages=1, articles_per_page=3), "r2", "v1")
        assert wh.sql("SELECT word, df FROM word_df ORDER BY word") == wh.sql(full_scan)
        assert wh.sql("SELECT df FROM word_df WHERE word = '更正'") == [(3,)]
        assert wh.sql("SELECT count(*) FROM word_df WHERE word = 'flood'") == [(1,)]


def test_migration_4_fills_word_frequencies_from_existing_articles(db: Path) -> None:
    with Warehouse.connect(db, migrate=False) as old:
        old.migrate(target=3)
        old.con.execute("INSERT INTO article_search VALUES ('a1', 'e', 'gxsb', '防汛 预警 防汛'), ('a2', 'e', 'gxsb', '防汛')")
    with Warehouse.connect(db) as wh:
        assert wh.sql("SELECT word, df FROM word_df ORDER BY word") == [("防汛", 2), ("预警", 1)]
        idf = wh.live_idf()
        assert idf is not None and idf["预警"] > idf["防汛"]
