"""The DuckLake backend: a real lake (local catalog file; PostgreSQL when the
suite can start one), the real ingest flow on the bundled sample edition,
idempotent re-runs, a kill -9 mid-load, views, search, time travel, and
several loader processes committing to one PostgreSQL catalog at once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import warehouse
from flows.ingest import run_ingest
from warehouse import extensions
from warehouse.demo import demo_edition
from warehouse.lake import LakeWarehouse, is_conflict, lake_migration_files, parse_spec, search_sql
from warehouse.store import PAUSE_AT_ENV, PAUSE_ENV, Warehouse, edition_id_for

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2022, 4, 6)
EDITION_TABLES = ("editions", "pages", "articles", "article_people", "article_tags", "ingest_files",
                  "article_search", "article_terms")
VIEWS = ("v_articles", "v_daily_volume", "v_people", "v_topics_daily", "v_ingest_files", "v_editions",
         "v_no_edition")


def _state(db: str) -> dict[str, list[tuple]]:
    with warehouse.connect(db, read_only=True) as wh:
        return {t: sorted(wh.sql(f"SELECT * FROM {t}"), key=repr) for t in EDITION_TABLES}


def _bi_attach(db: str) -> duckdb.DuckDBPyConnection:
    """What a BI tool does: a plain DuckDB, the wheels' extensions, ATTACH ... READ_ONLY."""
    spec = parse_spec(db)
    con = extensions.offline_connection()
    extensions.load_ducklake(con, postgres=spec.kind == "postgres")
    con.execute(f"ATTACH '{spec.attach_target}' AS news (READ_ONLY)")
    return con


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict]]:
    """The bundled gxsb sample edition ingested into a local lake by the real flow."""
    folder = tmp_path_factory.mktemp("lake")
    db = f"ducklake:{folder / 'news.ducklake'} DATA_PATH={folder / 'data'}/"
    summaries = run_ingest([str(REPO / "samples" / "gxsb")], db=db)
    return db, summaries


def test_the_flow_loads_the_sample_edition_into_a_lake(sample_lake) -> None:
    db, summaries = sample_lake
    assert [s["status"] for s in summaries] == ["loaded"]
    with warehouse.connect(db, read_only=True) as wh:
        assert isinstance(wh, LakeWarehouse)
        counts = wh.summary()
        assert counts["editions"] == 1 and counts["articles"] == summaries[0]["articles"] > 10
        assert counts["pages"] == summaries[0]["pages"]
        # lineage: the run, its files, the code version on every row
        run = wh.sql("SELECT status, code_version, files, articles FROM ingest_runs")
        assert run and run[0][0] == "loaded" and run[0][1] and run[0][3] == counts["articles"]
        assert wh.sql("SELECT DISTINCT run_id FROM articles") == wh.sql("SELECT run_id FROM editions")
        assert wh.sql("SELECT count(*) FROM ingest_files WHERE status = 'loaded'") == [(run[0][2],)]
        assert wh.sql("SELECT max(version) FROM schema_migrations") == [(len(lake_migration_files()),)]
    # the Parquet is under the data path
    data = Path(parse_spec(db).data_path or "")
    assert list(data.rglob("*.parquet"))


def test_views_answer_on_the_lake(sample_lake) -> None:
    db, summaries = sample_lake
    with warehouse.connect(db, read_only=True) as wh:
        names = {r[0] for r in wh.sql("SELECT view_name FROM duckdb_views() WHERE database_name = 'lake'")}
        assert set(VIEWS) <= names
        rows = wh.sql("SELECT headline, people, topics, pages_text FROM v_articles")
        assert len(rows) == summaries[0]["articles"] and any(r[1] for r in rows)
        assert wh.sql("SELECT articles, pages FROM v_daily_volume") == [(summaries[0]["articles"], 4)]
        assert wh.sql("SELECT count(*) FROM v_people")[0][0] > 5
        assert wh.sql("SELECT count(*) FROM v_editions") == [(1,)]
        assert wh.sql("SELECT count(*) FROM v_ingest_files WHERE flow_run_id IS NOT NULL")[0][0] > 0
        assert wh.sample_articles(3)


def test_search_answers_on_the_lake(sample_lake) -> None:
    db, _ = sample_lake
    with warehouse.open_reader(db) as wh:
        hits = wh.search("安置房")
        assert hits and all("安置房" in (h["headline"] + h["body"]) for h in hits)
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
        assert wh.search("长颈鹿") == []
        assert wh.search("安置房", publication="other") == []


def test_a_rerun_of_the_unchanged_edition_changes_no_edition_row(sample_lake) -> None:
    db, _ = sample_lake
    before = _state(db)
    with warehouse.connect(db, read_only=True) as wh:
        snap = wh.snapshot_id()
    again = run_ingest([str(REPO / "samples" / "gxsb")], db=db)
    assert [s["status"] for s in again] == ["skipped_unchanged"]
    assert _state(db) == before
    with warehouse.connect(db, read_only=True) as wh:
        # the only new snapshots are the run's own lineage rows
        changed = wh.sql(f"SELECT changes FROM lake.snapshots() WHERE snapshot_id > {snap}")
        tables = {r[0] for r in wh.sql(
            "SELECT table_id FROM __ducklake_metadata_lake.ducklake_table WHERE table_name = 'ingest_run_events'")}
        for (changes,) in changed:
            for kind, ids in changes.items():
                assert kind.startswith("inlined_") or kind == "tables_inserted_into", changes
                assert {int(i) for i in ids} <= tables, changes


def test_time_travel_reads_an_older_snapshot(sample_lake) -> None:
    db, summaries = sample_lake
    con = _bi_attach(db)
    try:
        n = summaries[0]["articles"]
        assert con.execute("SELECT count(*) FROM news.articles").fetchall() == [(n,)]
        # the README's query: the articles as of a snapshot (the one that loaded them, and the one before)
        snaps = [r[0] for r in con.execute("SELECT snapshot_id FROM news.snapshots() ORDER BY 1").fetchall()]
        counts = {v: con.execute(f"SELECT count(*) FROM news.articles AT (VERSION => {v})").fetchall()[0][0]
                  for v in snaps[2:]}  # 0: schema created, 1: tables created
        loaded = min(v for v, c in counts.items() if c)
        assert counts[loaded] == n and counts.get(loaded - 1, 0) == 0
        assert all(c in (0, n) for c in counts.values())  # never part of an edition
        # a BI reader sees the views too
        assert con.execute("SELECT count(*) FROM news.v_articles").fetchall() == [(n,)]
    finally:
        con.close()


# -- loads without the flow: hand-built editions ----------------------------


@pytest.fixture()
def lake(tmp_path: Path) -> str:
    return f"ducklake:{tmp_path / 'wh.ducklake'}"


def test_unchanged_load_makes_no_snapshot_and_a_correction_replaces(lake: str) -> None:
    with warehouse.open_writer(lake) as wh:
        assert wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1").status == "loaded"
        snap = wh.snapshot_id()
        assert wh.load_edition(demo_edition("gxsb", DAY), "r2", "v1").status == "unchanged"
        assert wh.snapshot_id() == snap
        assert wh.load_edition(demo_edition("gxsb", DAY, variant=1), "r3", "v1").status == "replaced"
        assert wh.snapshot_id() == snap + 1  # one transaction, one snapshot
        eid = edition_id_for("gxsb", DAY)
        assert wh.sql("SELECT count(*), min(run_id) FROM editions WHERE edition_id = ?", [eid]) == [(1, "r3")]
        assert {r[0] for r in wh.sql("SELECT DISTINCT run_id FROM articles")} == {"r3"}
        assert {r[0] for r in wh.sql("SELECT DISTINCT run_id FROM article_terms")} == {"r3"}
        hits = wh.search("暴雨")
        assert len(hits) == 1 and "更正1" in hits[0]["headline"]
        # the old version is still there by snapshot
        old = wh.search("暴雨", version=snap)
        assert len(old) == 1 and "更正" not in old[0]["headline"]


def test_search_scores_equal_the_duckdb_file_backend(lake: str, tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    editions = [demo_edition(pub, DAY + dt.timedelta(days=i)) for pub in ("gxsb", "sdt") for i in range(2)]
    for target in (lake, db):
        with warehouse.open_writer(target) as wh:
            for k, ed in enumerate(editions):
                wh.load_edition(ed, f"run-{k}", "v1")
    for q in ("防汛 预警", "flood warning", "高新区 招商", "metro"):
        with warehouse.open_reader(lake) as a, Warehouse.connect(db) as b:
            got = [(h["article_id"], round(h["score"], 9)) for h in a.search(q)]
            want = [(h["article_id"], round(h["score"], 9)) for h in b.search(q)]
            assert got == want and got, q


def test_lineage_of_files_and_runs_matches_the_file_backend(lake: str) -> None:
    with warehouse.open_writer(lake) as wh:
        wh.start_run("r1", "flow-1", "v1", "gxsb", DAY)
        wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1")
        wh.finish_run("r1", "loaded", {"files": 2, "pages": 2, "articles": 4, "quarantined": 0})
        wh.record_files([("a.pdf", "aaa", "skipped_unchanged", "same")], "r2")
        wh.record_files([("a.pdf", "aaa", "quarantined", "bad")], "r3", "gxsb", DAY)
        wh.record_files([("a.pdf", "aaa", "skipped_unchanged", "same again")], "r4")  # never overwrites
        wh.record_no_edition("r5", "flow-5", "v1", "gxsb", DAY + dt.timedelta(days=1), "inbox/x/*.pdf", "no files")
        assert wh.sql("SELECT status, flow_run_id, articles FROM ingest_runs WHERE run_id = 'r1'") == [
            ("loaded", "flow-1", 4)]
        assert wh.sql("SELECT status, reason, edition_id FROM ingest_files WHERE path = 'a.pdf'") == [
            ("quarantined", "bad", edition_id_for("gxsb", DAY))]
        assert wh.sql("SELECT edition_date, reason FROM v_no_edition") == [(DAY + dt.timedelta(days=1), "no files")]
        assert wh.sql("SELECT count(*) FROM ingest_runs") == [(2,)]


def test_migrations_are_recorded_once(lake: str) -> None:
    with warehouse.open_writer(lake) as wh:
        assert wh.schema_version() == len(lake_migration_files())
        assert wh.migrate() == []
    with warehouse.open_writer(lake) as wh:
        assert wh.sql("SELECT version, name FROM schema_migrations") == [
            (v, n) for v, n, _ in lake_migration_files()]


LOADER = """
import sys, datetime as dt
import warehouse
from warehouse.demo import demo_edition
db, day, variant = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
with warehouse.open_writer(db) as wh:
    r = wh.load_edition(demo_edition("gxsb", day, variant=variant, pages=3, articles_per_page=3), "run-killed", "v2")
print("finished", r.status, flush=True)
"""


def test_kill_9_mid_load_leaves_the_lake_as_it_was(lake: str) -> None:
    with warehouse.open_writer(lake) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "run-1", "v1")
        wh.load_edition(demo_edition("sdt", DAY), "run-1", "v1")
        snap = wh.snapshot_id()
    before = _state(lake)
    env = dict(os.environ, **{PAUSE_ENV: "60", PAUSE_AT_ENV: "articles"})
    proc = subprocess.Popen([sys.executable, "-c", LOADER, lake, DAY.isoformat(), "1"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line.strip())
        if line.strip() == "warehouse-pause articles":
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, seen
    assert _state(lake) == before
    with warehouse.connect(lake, read_only=True) as wh:
        assert wh.snapshot_id() == snap
    done = subprocess.run([sys.executable, "-c", LOADER, lake, DAY.isoformat(), "1"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "finished replaced" in done.stdout
    with warehouse.connect(lake, read_only=True) as wh:
        assert wh.sql("SELECT article_count, run_id FROM editions WHERE publication = 'gxsb'") == [(9, "run-killed")]
        assert wh.sql("SELECT count(*) FROM articles WHERE publication = 'sdt'") == [(4,)]


def test_spelling_and_config(tmp_path: Path) -> None:
    from flows.config import ConfigError, warehouse_db, warehouse_from_config

    assert parse_spec("ducklake:a.ducklake").kind == "file"
    pg = parse_spec("ducklake:postgres:dbname=lake host=db1 port=5432 DATA_PATH=/srv/lake/")
    assert (pg.kind, pg.catalog, pg.data_path) == ("postgres", "dbname=lake host=db1 port=5432", "/srv/lake/")
    with pytest.raises(ValueError):
        parse_spec("ducklake:")
    assert warehouse_db({"backend": "ducklake", "catalog": "lake.ducklake", "data_path": "d/"}) == \
        "ducklake:lake.ducklake DATA_PATH=d/"
    assert warehouse_db({}) == "warehouse.duckdb"
    with pytest.raises(ConfigError):
        warehouse_db({"backend": "ducklake"})
    (tmp_path / "broadsheet.toml").write_text('[warehouse]\nbackend = "ducklake"\ncatalog = "lake/news.ducklake"\n')
    assert warehouse_from_config(tmp_path / "broadsheet.toml") == f"ducklake:{tmp_path / 'lake' / 'news.ducklake'}"
    assert search_sql(3).count("AT (VERSION => 3)") == 4


# -- PostgreSQL catalog: several loader processes at once ---------------------

CONCURRENT_LOADER = """
import sys, datetime as dt, uuid, json
import warehouse
from warehouse.demo import demo_edition
db, start, n, wid = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
out = []
with warehouse.open_writer(db) as wh:
    for i in range(n):
        day = start + dt.timedelta(days=i)
        run = uuid.uuid4().hex
        wh.start_run(run, wid, "v1", "gxsb", day)
        r = wh.load_edition(demo_edition("gxsb", day), run, "v1")
        wh.finish_run(run, r.status, {"articles": r.articles})
        out.append(r.status)
    # one edition every loader loads: exactly one copy must remain
    r = wh.load_edition(demo_edition("shared", dt.date(2020, 1, 1)), uuid.uuid4().hex, "v1")
    out.append(r.status)
print(json.dumps({"statuses": out, "conflicts": wh.conflicts}), flush=True)
"""


def test_postgres_catalog_takes_several_loader_processes_at_once(postgres_db: str, tmp_path: Path) -> None:
    import json

    db = f"ducklake:postgres:{postgres_db} DATA_PATH={tmp_path / 'data'}/"
    loaders, per = 4, 3  # the loaders create and migrate the new catalog at the same moment
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_LOADER, db,
                               (DAY + dt.timedelta(days=per * k)).isoformat(), str(per), f"w{k}"],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for k in range(loaders)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["statuses"][:per] == ["loaded"] * per for r in results)
    with warehouse.open_reader(db) as wh:
        # no lost or duplicated edition, article or run
        assert wh.sql("SELECT count(*), count(DISTINCT edition_id) FROM editions WHERE publication = 'gxsb'") == [
            (loaders * per, loaders * per)]
        assert wh.sql("SELECT count(*), count(DISTINCT article_id) FROM articles WHERE publication = 'gxsb'") == [
            (loaders * per * 4, loaders * per * 4)]
        assert wh.sql("SELECT count(*) FROM editions WHERE publication = 'shared'") == [(1,)]
        assert wh.sql("SELECT count(*), count(DISTINCT article_id) FROM articles WHERE publication = 'shared'") == [
            (4, 4)]
        assert wh.sql("SELECT count(DISTINCT run_id) FROM articles WHERE publication = 'shared'") == [(1,)]
        assert wh.sql("SELECT count(*), count(DISTINCT run_id) FROM ingest_runs WHERE status = 'loaded'") == [
            (loaders * per, loaders * per)]
        assert wh.search("暴雨")
    # a BI reader attaches the PostgreSQL catalog read-only and sees the same
    con = _bi_attach(db)
    try:
        assert con.execute("SELECT count(*) FROM news.v_editions").fetchall() == [(loaders * per + 1,)]
    finally:
        con.close()


def test_postgres_catalog_through_the_flow(postgres_db: str, tmp_path: Path) -> None:
    db = f"ducklake:postgres:{postgres_db} DATA_PATH={tmp_path / 'data'}/"
    summaries = run_ingest([str(REPO / "samples" / "daily-herald")], db=db)
    assert [s["status"] for s in summaries] == ["loaded"]
    with warehouse.open_reader(db) as wh:
        assert wh.sql("SELECT count(*) FROM articles") == [(summaries[0]["articles"],)]
        assert wh.sql("SELECT status FROM ingest_runs") == [("loaded",)]


def test_conflicts_are_recognised() -> None:
    assert is_conflict(duckdb.TransactionException("Failed to commit DuckLake transaction: Transaction conflict"))
    assert not is_conflict(duckdb.CatalogException("Table with name x does not exist"))


def test_maintenance_keeps_every_row(lake: str) -> None:
    with warehouse.open_writer(lake) as wh:
        for i in range(3):
            run = f"r{i}"
            wh.start_run(run, "f", "v1", "gxsb", DAY + dt.timedelta(days=i))
            wh.load_edition(demo_edition("gxsb", DAY + dt.timedelta(days=i)), run, "v1")
            wh.finish_run(run, "loaded", {"articles": 4})
        wh.load_edition(demo_edition("gxsb", DAY, variant=1), "r9", "v1")
        before = {t: sorted(wh.sql(f"SELECT * FROM {t}"), key=repr) for t in (*EDITION_TABLES, "ingest_runs")}
        assert wh.sql("SELECT count(*) FROM ingest_run_events") == [(6,)]  # start + finish of each run
        wh.maintain(older_than="0 seconds")
        after = {t: sorted(wh.sql(f"SELECT * FROM {t}"), key=repr) for t in (*EDITION_TABLES, "ingest_runs")}
        assert after == before
        assert wh.sql("SELECT count(*) FROM ingest_run_events") == [(3,)]
        assert wh.search("暴雨")


# -- the CLI on a lake ---------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    import io

    from flows.cli import main

    out = io.StringIO()
    return main(list(args), stdout=out), out.getvalue()


def test_cli_reads_the_lake_named_by_broadsheet_toml(sample_lake, tmp_path: Path, monkeypatch, capsys) -> None:
    import json

    db, summaries = sample_lake
    catalog = parse_spec(db).catalog
    (tmp_path / "broadsheet.toml").write_text(f'[warehouse]\nbackend = "ducklake"\ncatalog = "{catalog}"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BROADSHEET_DB", raising=False)
    code, out = _cli("summary")
    assert code == 0 and f"articles {summaries[0]['articles']}" in out
    code, out = _cli("search", "安置房", "--json", "--limit", "2")
    assert code == 0 and 0 < len(json.loads(out)) <= 2
    code, out = _cli("sql", "-c", "SELECT count(*) AS n FROM lake.articles AT (VERSION => 1)", "--csv")
    assert code == 0 and out.splitlines() == ["n", "0"]
    code, _ = _cli("export", "--out", str(tmp_path / "out"))
    assert code == 0 and (tmp_path / "out" / "ingest_runs").is_dir()
    assert _cli("search", "x", "--db", "ducklake:")[0] == 2
    assert capsys.readouterr().err.strip() == "broadsheet: ducklake: needs a catalog, e.g. 'ducklake:warehouse/lake.ducklake'"
    assert _cli("summary", "--db", f"ducklake:{tmp_path / 'none.ducklake'}")[0] == 2
    assert "no warehouse at" in capsys.readouterr().err


RELOADER = """
import sys, datetime as dt, json
import warehouse
from warehouse.demo import demo_edition
db = sys.argv[1]
with warehouse.open_writer(db) as wh:
    r = wh.load_edition(demo_edition("gxsb", dt.date(2022, 4, 6), variant=1), "reload", "v1")
print(json.dumps({"status": r.status, "conflicts": wh.conflicts}), flush=True)
"""

NEW_LOADER = """
import sys, datetime as dt
import warehouse
from warehouse.demo import demo_edition
db = sys.argv[1]
with warehouse.open_writer(db) as wh:
    ed = demo_edition("gxsb", dt.date(2022, 4, 9))
    print("ready", flush=True)
    sys.stdin.readline()
    print(wh.load_edition(ed, "new", "v1").status, flush=True)
"""


def test_a_reload_that_conflicts_with_a_concurrent_load_is_retried(postgres_db: str, tmp_path: Path) -> None:
    """A correction deletes rows; DuckLake refuses its commit when another
    loader inserted into the same tables meanwhile: it is retried, and both land."""
    import json

    db = f"ducklake:postgres:{postgres_db} DATA_PATH={tmp_path / 'data'}/"
    with warehouse.open_writer(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "first", "v1")
    new = subprocess.Popen([sys.executable, "-c", NEW_LOADER, db], cwd=REPO, stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True)
    assert new.stdout is not None and new.stdin is not None
    assert new.stdout.readline().strip() == "ready"
    env = dict(os.environ, **{PAUSE_ENV: "8", PAUSE_AT_ENV: "before-commit"})
    reload = subprocess.Popen([sys.executable, "-c", RELOADER, db], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, text=True)
    assert reload.stdout is not None
    assert reload.stdout.readline().strip() == "warehouse-pause before-commit"  # its deletes are done
    new.stdin.write("go\n")
    new.stdin.flush()
    assert new.stdout.readline().strip() == "loaded"  # committed while the reload waits
    new.wait(timeout=60)
    lines = [line.strip() for line in reload.stdout]
    assert reload.wait(timeout=300) == 0
    result = json.loads(lines[-1])
    assert result["status"] == "replaced" and result["conflicts"] >= 1
    with warehouse.open_reader(db) as wh:
        assert wh.sql("SELECT edition_id, run_id FROM editions ORDER BY 1") == [
            (edition_id_for("gxsb", DAY), "reload"), (edition_id_for("gxsb", dt.date(2022, 4, 9)), "new")]
        assert wh.sql("SELECT count(*), count(DISTINCT article_id) FROM articles") == [(8, 8)]
