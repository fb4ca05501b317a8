"""Warehouse under real processes: kill -9 in the middle of a load, and a
reader querying while another process loads edition after edition."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.demo import demo_edition
from warehouse.measure_readers import measure
from warehouse.store import PAUSE_AT_ENV, PAUSE_ENV, Warehouse, edition_id_for, load_edition_atomic

REPO = Path(__file__).resolve().parents[1]
DAY = dt.date(2022, 4, 6)

LOADER = """
import sys, datetime as dt
from warehouse.demo import demo_edition
from warehouse.store import load_edition_atomic
db, day, variant = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3])
r = load_edition_atomic(db, demo_edition("gxsb", day, variant=variant, pages=3, articles_per_page=3), "run-killed", "v2")
print("finished", r.status, flush=True)
"""


def _start_slow_loader(db: Path, day: dt.date, variant: int, stage: str) -> subprocess.Popen[str]:
    env = dict(os.environ, **{PAUSE_ENV: "60", PAUSE_AT_ENV: stage})
    return subprocess.Popen(
        [sys.executable, "-c", LOADER, str(db), day.isoformat(), str(variant)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, text=True,
    )


def _kill_when(proc: subprocess.Popen[str], stage: str) -> list[str]:
    seen = []
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line.strip())
        if line.strip() == f"warehouse-pause {stage}":
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, seen
    return seen


def _state(db: Path) -> dict[str, list[tuple]]:
    with Warehouse.connect(db) as wh:
        return {
            t: sorted(wh.sql(f"SELECT * FROM {t}"), key=repr)
            for t in ("editions", "pages", "articles", "article_people", "article_tags", "ingest_files",
                      "article_search")
        }


def test_kill_9_during_a_replacing_load_leaves_the_previous_state(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    load_edition_atomic(db, demo_edition("gxsb", DAY), "run-1", "v1")
    load_edition_atomic(db, demo_edition("sdt", DAY), "run-1", "v1")
    before = _state(db)

    # killed after the old rows were deleted and the new articles inserted, before commit
    _kill_when(_start_slow_loader(db, DAY, variant=1, stage="articles"), "articles")

    assert _state(db) == before  # reopening replays nothing of the killed transaction
    with Warehouse.connect(db) as wh:
        assert all("更正" not in h for (h,) in wh.sql("SELECT headline FROM articles"))

    # the next run completes the load
    done = subprocess.run([sys.executable, "-c", LOADER, str(db), DAY.isoformat(), "1"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "finished replaced" in done.stdout
    with Warehouse.connect(db) as wh:
        eid = edition_id_for("gxsb", DAY)
        assert wh.sql("SELECT page_count, article_count, run_id FROM editions WHERE edition_id = ?", [eid]) == [
            (3, 9, "run-killed")]
        assert wh.sql("SELECT count(*) FROM articles WHERE edition_id = ? AND headline LIKE '%更正1%'", [eid]) == [(9,)]
        assert wh.sql("SELECT count(*) FROM articles WHERE publication = 'sdt'") == [(4,)]


def test_kill_9_during_a_first_load_leaves_no_trace(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    load_edition_atomic(db, demo_edition("gxsb", DAY), "run-1", "v1")
    before = _state(db)
    day2 = DAY + dt.timedelta(days=1)
    _kill_when(_start_slow_loader(db, day2, variant=0, stage="before-commit"), "before-commit")
    assert _state(db) == before
    load_edition_atomic(db, demo_edition("gxsb", DAY + dt.timedelta(days=1), pages=3, articles_per_page=3),
                        "run-2", "v2")
    with Warehouse.connect(db) as wh:
        assert wh.sql("SELECT count(*) FROM editions") == [(2,)]


@pytest.mark.parametrize("mode", ["snapshot", "live"])
def test_reader_process_during_multi_edition_load_never_sees_a_partial_edition(tmp_path: Path, mode: str) -> None:
    figures = measure(mode, editions=4, pause=0.01, workdir=tmp_path)
    print(f"\nreaders during load ({mode}): " + json.dumps(figures, ensure_ascii=False))
    assert figures["errors"] == []
    assert figures["queries"] >= 1
    assert figures["partial_editions_seen"] == 0, figures["partial_examples"]
    assert figures["max_editions_seen"] == 4  # the last look, after the writer finished, sees everything
    if mode == "snapshot":
        assert figures["lock_wait_max_s"] == 0.0  # snapshot readers never wait for the writer's lock


PROBE = """
import sys, duckdb
try:
    duckdb.connect(sys.argv[1]).close()
    print("opened")
except duckdb.IOException:
    print("locked")
"""


def test_publishing_a_snapshot_keeps_the_writer_lock(tmp_path: Path) -> None:
    """Copying the file in-process would drop DuckDB's POSIX lock (closing any
    descriptor of a file releases the process's locks on it)."""
    db = tmp_path / "wh.duckdb"
    with Warehouse.connect(db) as wh:
        wh.load_edition(demo_edition("gxsb", DAY), "r1", "v1")
        wh.write_snapshot()
        probe = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, timeout=60)
        assert probe.stdout.strip() == "locked", probe.stderr


def test_threads_of_one_process_load_and_publish_safely(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from warehouse.measure_readers import CHECK_SQL
    from warehouse.store import open_reader

    db = tmp_path / "wh.duckdb"
    jobs = [(pub, DAY + dt.timedelta(days=d)) for pub in ("gxsb", "sdt") for d in range(3)]

    def load(job: tuple[str, dt.date]) -> str:
        pub, day = job
        with Warehouse.open(db) as wh:  # the flows' pattern: own connection, run rows outside the window
            wh.start_run(f"run-{pub}-{day}", None, "v1", pub, day)
        result = load_edition_atomic(db, demo_edition(pub, day), f"run-{pub}-{day}", "v1")
        with Warehouse.open(db) as wh:
            wh.finish_run(f"run-{pub}-{day}", result.status, {"articles": result.articles})
        return result.status

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert sorted(pool.map(load, jobs)) == ["loaded"] * len(jobs)
    with open_reader(db) as reader:  # the snapshot
        rows = reader.sql(CHECK_SQL)
        assert len(rows) == len(jobs)
        assert all((p, a, n) == (pp, aa, nn) for _, p, a, n, pp, aa, nn in rows)
        assert reader.search("防汛 预警")
    with Warehouse.open(db) as wh:
        assert wh.sql("SELECT count(*) FROM ingest_runs WHERE finished_at IS NOT NULL") == [(len(jobs),)]
