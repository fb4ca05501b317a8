"""DuckLake with its catalog in PostgreSQL: several writer processes commit at once.

A real PostgreSQL server (conftest.postgres_server, a fresh database per test), the
ducklake and postgres extensions loaded offline from their wheels
(warehouse/extensions.py), Parquet data in a temp folder, and real OS processes.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

WRITERS = 4
ROWS_EACH = 5
BULK_EACH = 40
"""Rows of each writer's one bulk insert: more than DuckLake inlines (10), so it becomes a Parquet file."""


def _attach(dsn: str, data: Path):
    from warehouse.extensions import load_ducklake, offline_connection

    con = offline_connection()
    load_ducklake(con, postgres=True)
    con.execute(f"ATTACH 'ducklake:postgres:{dsn}' AS lake (DATA_PATH '{data}')")
    return con


def _writer(dsn: str, data: str, writer: int, barrier) -> None:
    """One process: attach, wait for the others, then commit its rows one transaction each
    (small ones, which DuckLake inlines into the catalog), then one bulk insert (a Parquet file)."""
    con = _attach(dsn, Path(data))
    barrier.wait(timeout=120)
    for i in range(ROWS_EACH):
        con.execute("INSERT INTO lake.commits VALUES (?, ?, ?)", [writer, i, f"w{writer}-r{i}"])
    con.execute("INSERT INTO lake.commits SELECT ?, i, 'w' || ? || '-r' || i FROM range(?, ?) t(i)",
                [writer, writer, ROWS_EACH, ROWS_EACH + BULK_EACH])
    con.close()


def test_four_writer_processes_commit_at_once_nothing_lost_or_duplicated(postgres_db, tmp_path):
    data = tmp_path / "lake-data"
    con = _attach(postgres_db, data)
    con.execute("CREATE TABLE lake.commits (writer INTEGER, i INTEGER, label VARCHAR)")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_writer, args=(postgres_db, str(data), w, barrier)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * WRITERS

    rows = con.execute("SELECT writer, i, label FROM lake.commits ORDER BY ALL").fetchall()
    each = ROWS_EACH + BULK_EACH
    assert rows == [(w, i, f"w{w}-r{i}") for w in range(WRITERS) for i in range(each)]
    # every insert was its own commit: one catalog snapshot each
    kinds = con.execute("SELECT map_keys(changes) FROM ducklake_snapshots('lake') WHERE snapshot_id > 1").fetchall()
    assert sorted(k for (keys,) in kinds for k in keys) == \
        ["inlined_insert"] * (WRITERS * ROWS_EACH) + ["tables_inserted_into"] * WRITERS
    assert len(list(data.rglob("*.parquet"))) == WRITERS  # the bulk inserts live in Parquet under the data path
    con.close()

    # a new process (a BI reader) attaching the same catalog sees the same committed rows
    reader = _attach(postgres_db, data)
    assert reader.execute("SELECT count(*), count(DISTINCT (writer, i)) FROM lake.commits").fetchone() == \
        (WRITERS * each, WRITERS * each)
    reader.close()
