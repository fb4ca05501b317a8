"""SQLAlchemy engines for BI tools that stay fresh while loads publish new snapshots.

The writer publishes ``<db>.snapshot.duckdb`` by ``os.replace`` once per
writer window.  A DuckDB connection that is already open keeps reading the
file it opened (the old inode), and DuckDB shares one database instance per
path inside a process, so with default pooling a long-lived BI server
(SQLAlchemy's QueuePool: Superset, a FastAPI app, a notebook) sees the
warehouse frozen at the moment its first connection opened, and even a new
engine in the same process gets the old instance.

``engine(db)`` avoids both by design:

- every pooled connection is its own in-memory DuckDB that ``ATTACH``-es the
  snapshot read-only (no shared per-path instance), with ``USE`` so tables and
  views need no prefix;
- on every checkout the pool compares the snapshot file's identity (inode,
  size, mtime) with the one the connection attached; when a newer snapshot
  was published the connection is discarded and a new one attaches it
  (SQLAlchemy ``DisconnectionError`` on checkout: the pool reconnects
  transparently).

So a query sees the newest published snapshot at checkout, and a snapshot is
published at the end of every writer window: staleness is at most one
window (``flows.batch.WINDOW_EDITIONS`` editions or ``WINDOW_WAIT_S`` of
waiting, plus its load) behind the live file.  A connection held across
several queries keeps its snapshot until it is returned to the pool.

A client that cannot use this helper (a plain ``duckdb:///...`` URL in a BI
tool's settings) must not pool snapshot connections: SQLAlchemy
``poolclass=NullPool`` (Superset: ``"poolclass": "NullPool"`` is not an
option there; set the database's engine parameters to
``{"pool_recycle": 30}`` for at most 30 s of extra staleness), and must
connect with ``read_only=True``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from warehouse.store import snapshot_path

ATTACHED = "wh"


def file_identity(path: Path | str) -> tuple[int, int, int, int]:
    """What changes when a snapshot is replaced: device, inode, size, mtime."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def engine(db_path: Path | str, *, snapshot: bool = True, fts: bool = True, **kwargs: Any):
    """An SQLAlchemy engine (duckdb-engine) on the warehouse's snapshot that
    never serves a connection older than the newest published snapshot.

    ``snapshot=False`` reads ``db_path`` itself (a file nobody is writing,
    e.g. an export copy).  ``fts`` loads the fts extension so
    ``search_articles(...)`` works.  Other keyword arguments go to
    ``sqlalchemy.create_engine`` (``pool_size``, ``echo`` ...).
    """
    import sqlalchemy as sa
    from sqlalchemy import event, exc

    target = snapshot_path(db_path) if snapshot else Path(db_path)
    if not target.exists():
        raise FileNotFoundError(f"{target}: no snapshot yet (it is published after the first load)")
    kwargs.setdefault("poolclass", sa.pool.QueuePool)  # what a BI server uses; each connection its own
    eng = sa.create_engine("duckdb:///:memory:", **kwargs)
    fts_path = None
    if fts:
        from warehouse.search import fts_extension_path

        fts_path = fts_extension_path()

    @event.listens_for(eng, "connect")
    def _attach(dbapi_conn: Any, record: Any) -> None:
        ident = file_identity(target)
        if fts_path is not None:
            dbapi_conn.execute(f"LOAD '{_sql_path(fts_path)}'")
        dbapi_conn.execute(f"ATTACH '{_sql_path(target)}' AS {ATTACHED} (READ_ONLY)")
        dbapi_conn.execute(f"USE {ATTACHED}")
        # the identity read before ATTACH: if a publication raced in between, the next checkout reconnects
        record.info["snapshot_identity"] = ident

    @event.listens_for(eng, "checkout")
    def _fresh(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        try:
            now = file_identity(target)
        except FileNotFoundError:
            return  # mid-replace on a filesystem without atomic rename: keep the old view
        if record.info.get("snapshot_identity") != now:
            raise exc.DisconnectionError("a newer warehouse snapshot was published")

    return eng
