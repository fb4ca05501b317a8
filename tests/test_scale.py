"""Multi-edition ingest: parallel parse, writer windows, snapshot freshness, per-edition Prefect task runs.

Real PDFs (the bundled samples), a real DuckDB file, real Prefect flow runs.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.ingest import ingest_edition, run_ingest
from tests.conftest import read_rows
from warehouse.store import snapshot_path


def _rows(path: Path, sql: str) -> list[tuple]:
    return read_rows(path, sql)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory, sample_dir) -> Path:
    """Both sample editions, plus the Chinese one again under a second date (three editions)."""
    root = tmp_path_factory.mktemp("inbox")
    for ed in ("gxsb/2022-04-06", "daily-herald/2024-03-15"):
        shutil.copytree(sample_dir / ed, root / ed)
    shutil.copytree(sample_dir / "gxsb/2022-04-06", root / "gxsb/2022-04-07")
    return root


@pytest.fixture(scope="module")
def batch(inbox, tmp_path_factory):
    db = tmp_path_factory.mktemp("wh") / "w.duckdb"
    return db, run_ingest([str(inbox)], db=str(db), workers=2)


def test_every_edition_loads_with_its_own_run_row(batch):
    db, summaries = batch
    assert sorted((s["publication"], s["edition_date"], s["status"]) for s in summaries) == [
        ("daily-herald", "2024-03-15", "loaded"), ("gxsb", "2022-04-06", "loaded"), ("gxsb", "2022-04-07", "loaded")]
    runs = _rows(db, "SELECT run_id, publication, edition_date, status, flow_run_id, pages, articles "
                     "FROM ingest_runs ORDER BY publication, edition_date")
    assert len({r[0] for r in runs}) == 3 and all(r[3] == "loaded" and r[4] and r[5] and r[6] for r in runs)
    # lineage: every article points at its own edition's run
    bad = _rows(db, """SELECT count(*) FROM articles a JOIN ingest_runs r USING (run_id)
                       WHERE r.publication <> a.publication OR r.edition_date <> a.edition_date""")
    assert bad == [(0,)]


def test_snapshot_shows_final_runs_never_a_phantom_running(batch):
    db, _ = batch
    snap = snapshot_path(db)
    live = _rows(db, "SELECT run_id, status, pages, articles FROM ingest_runs ORDER BY run_id")
    assert _rows(snap, "SELECT run_id, status, pages, articles FROM ingest_runs ORDER BY run_id") == live
    assert _rows(snap, "SELECT count(*) FROM editions") == [(3,)]


def test_each_edition_is_a_findable_prefect_task_run(batch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    db, _ = batch
    flow_run_ids = {r[0] for r in _rows(db, "SELECT DISTINCT flow_run_id FROM ingest_runs")}
    assert len(flow_run_ids) == 1
    names = ["load gxsb 2022-04-06", "load gxsb 2022-04-07", "load daily-herald 2024-03-15"]
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(task_run_filter=TaskRunFilter(name=TaskRunFilterName(any_=names)),
                                     flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(flow_run_ids))))
    assert sorted(r.name for r in runs) == sorted(names)
    assert all(r.state.is_completed() for r in runs)


def test_a_second_run_skips_unchanged_editions_without_parsing(batch, inbox):
    db, _ = batch
    again = run_ingest([str(inbox)], db=str(db), workers=1)
    assert {s["status"] for s in again} == {"skipped_unchanged"}
    snap = snapshot_path(db)
    assert _rows(snap, "SELECT count(*) FROM ingest_runs WHERE status = 'running'") == [(0,)]
    assert _rows(snap, "SELECT count(*) FROM ingest_runs WHERE status = 'skipped_unchanged'") == [(3,)]


def test_single_edition_flow_publishes_after_its_run_row_is_final(tmp_path, sample_dir):
    db = tmp_path / "one.duckdb"
    summary = ingest_edition(files=[str(sample_dir / "daily-herald" / "2024-03-15")], db=str(db))
    assert summary["status"] == "loaded"
    rows = _rows(snapshot_path(db), "SELECT status, pages, articles, finished_at IS NOT NULL FROM ingest_runs")
    assert rows == [("loaded", summary["pages"], summary["articles"], True)]


def test_cli_keeps_prefect_lines_off_the_terminal_and_shows_progress(tmp_path, inbox, capfd):
    out = io.StringIO()
    code = main(["ingest", str(inbox), "--db", str(tmp_path / "cli.duckdb"), "--workers", "1"], stdout=out)
    assert code == 0
    err = capfd.readouterr().err
    assert "Finished in state" not in err and "Beginning flow run" not in err
    assert "editions 3/3" in err and "pages/s" in err and "ETA" in err
    assert out.getvalue().count("loaded ") == 3


def test_pooled_sqlalchemy_reader_sees_new_editions_during_a_load(tmp_path, inbox):
    import threading

    import sqlalchemy as sa

    from warehouse.bi import engine

    db = tmp_path / "bi.duckdb"
    run_ingest([str(inbox / "daily-herald")], db=str(db), workers=1)
    eng = engine(db, pool_size=2)
    assert isinstance(eng.pool, sa.pool.QueuePool)

    def editions() -> int:
        with eng.connect() as c:
            return c.execute(sa.text("SELECT count(*) FROM editions")).scalar_one()

    assert editions() == 1  # the pool now holds a connection on the first snapshot
    stale = duckdb.connect(str(snapshot_path(db)), read_only=True)  # what a plain pooled connection does
    seen: list[int] = []
    loader = threading.Thread(target=run_ingest, args=([str(inbox / "gxsb")],), kwargs={"db": str(db), "workers": 1})
    loader.start()
    while loader.is_alive():
        seen.append(editions())
        loader.join(timeout=0.5)
    seen.append(editions())
    assert seen[-1] == 3 and sorted(seen) == seen  # never backwards, and fresh once published
    assert stale.execute("SELECT count(*) FROM editions").fetchone()[0] == 1
    stale.close()
    with eng.connect() as c:  # views and full-text search work through the helper
        assert c.execute(sa.text("SELECT count(*) FROM v_articles")).scalar_one() > 0
        assert c.execute(sa.text("SELECT count(*) FROM ingest_runs WHERE status = 'running'")).scalar_one() == 0
    eng.dispose()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def dask_cluster(tmp_path):
    """A real cluster: `dask scheduler` and one `dask worker` as separate processes on loopback."""
    import os
    import subprocess
    import sys
    import time

    from distributed import Client

    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip(f"no dask command beside {sys.executable}")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                        os.environ.get("PYTHONPATH", "")])}
    logs = (tmp_path / "scheduler.log").open("w"), (tmp_path / "worker.log").open("w")
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=logs[0], stderr=subprocess.STDOUT, env=env)]
    procs.append(subprocess.Popen([str(dask), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                   "--no-dashboard", "--local-directory", str(tmp_path / "dask-worker")],
                                  stdout=logs[1], stderr=subprocess.STDOUT, env=env))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=5) as c:
                    if c.scheduler_info()["workers"]:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                pytest.fail("the dask cluster did not start: " + (tmp_path / "worker.log").read_text()[-2000:])
            time.sleep(1)
        yield address
    finally:
        for p in reversed(procs):  # the worker first, then the scheduler: SIGTERM is a clean shutdown
            p.terminate()
        codes = []
        for p in procs:
            try:
                codes.append(p.wait(timeout=30))
            except subprocess.TimeoutExpired:
                p.kill()
                codes.append("killed after 30 s")
        for f in logs:
            f.close()
    assert codes == [0, 0], f"dask scheduler, worker exit: {codes}; " + (tmp_path / "worker.log").read_text()[-2000:]


def test_multi_edition_ingest_parses_on_a_separate_dask_scheduler_and_worker(tmp_path, inbox, dask_cluster, batch):
    from distributed import Client

    db = tmp_path / "dask.duckdb"
    summaries = run_ingest([str(inbox)], db=str(db), dask_address=dask_cluster)
    assert sorted(s["status"] for s in summaries) == ["loaded"] * 3
    with Client(dask_cluster, timeout=10) as c:
        done = c.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        worker_pids = c.run(os.getpid)
    assert "parse_job" in done and "build_job" in done
    # the work ran in the worker process, not in this one
    assert worker_pids and os.getpid() not in worker_pids.values()
    assert _rows(db, "SELECT count(*) FROM editions") == [(3,)]
    # what the cluster parsed loads exactly what the local process pool (the batch fixture) loaded
    local_db = batch[0]
    for sql in ("SELECT * EXCLUDE (run_id, loaded_at) FROM articles ORDER BY article_id",
                "SELECT article_id, name, role, title FROM article_people ORDER BY ALL",
                "SELECT article_id, kind, value, round(score, 9) FROM article_tags ORDER BY ALL",
                "SELECT edition_id, page_number, source_file, page_index, status FROM pages ORDER BY ALL",
                "SELECT edition_id, page_count, article_count, code_version FROM editions ORDER BY ALL"):
        loaded = _rows(db, sql)
        assert loaded and loaded == _rows(local_db, sql), sql


def test_compaction_reclaims_free_blocks_and_keeps_everything(tmp_path, sample_dir):
    import dataclasses

    from flows.batch_flow import load_window_plain
    from tasks.pipeline import process_files
    from warehouse.store import Warehouse, compact, free_fraction

    db = tmp_path / "c.duckdb"
    ed = process_files([sample_dir / "gxsb" / "2022-04-06"], guarded=False)
    for k in range(6):  # reloads with changed text free the blocks of the rows they replace
        arts = [dataclasses.replace(a, paragraphs=[p + f" {k}" for p in a.paragraphs]) for a in ed.articles]
        load_window_plain(db, [dataclasses.replace(ed, articles=arts)], final=True)
    with Warehouse.connect(db, read_only=True) as wh:
        before = (wh.summary(), wh.search("防汛", limit=3), free_fraction(wh))
    size = db.stat().st_size
    assert before[2] > 0
    assert compact(db, min_free=0.0)
    assert db.stat().st_size < size
    with Warehouse.connect(db) as wh:  # views, macros, the BM25 index and keys survive
        assert (wh.summary(), wh.search("防汛", limit=3)) == before[:2]
        assert free_fraction(wh) < before[2]
        assert wh.sql("SELECT count(*) FROM v_articles")[0][0] == before[0]["articles"]
    load_window_plain(db, [ed], final=True)  # loads go on into the rewritten file (keys and ON CONFLICT work)
    with Warehouse.connect(db, read_only=True) as wh:
        assert wh.summary()["editions"] == 1 and wh.summary()["articles"] == before[0]["articles"]


def test_the_reused_guarded_reader_keeps_the_guards_ceilings(tmp_path):
    """One child for many files: same pages as the one-shot guard, bombs and slow files
    stopped with the same statuses, and the next file read by a fresh child."""
    from tasks.evaluation import hostile
    from tasks.extract import UnreadableFile, extract_file_guarded
    from tasks.guard import GuardedReader

    zoo = hostile.write_zoo(tmp_path / "zoo")
    good = zoo["good"][0]
    with GuardedReader() as reader:
        first = reader.extract(good)
        assert [p.chars for p in first.pages] == [p.chars for p in extract_file_guarded(good).pages]
        for name, kw in (("flate_bomb", {"timeout_s": 20, "max_memory_mb": 512}),
                         ("operator_bomb", {"engine": "pdfplumber", "timeout_s": 1.5, "max_memory_mb": 4096})):
            with pytest.raises(UnreadableFile) as e:
                reader.extract(zoo[name][0], **kw)
            assert e.value.status in ("memory", "timeout"), e.value.reason
        with pytest.raises(UnreadableFile) as e:
            reader.extract(zoo["user_password"][0])
        assert e.value.status == "encrypted"
        again = reader.extract(good)  # a new child after the killed ones
        assert [p.chars for p in again.pages] == [p.chars for p in first.pages]
        assert reader.children_started >= 3
