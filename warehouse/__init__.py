"""The warehouse, on one of two backends chosen by the ``--db`` string.

- a path (default ``warehouse/broadsheet.duckdb``): one DuckDB file
  (``warehouse.store``), readers use its published snapshot;
- ``ducklake:<catalog>[ DATA_PATH=<path>]``: a DuckLake (``warehouse.lake``),
  catalog in a local file or ``postgres:<libpq string>``, data in Parquet.

The functions here dispatch on that string, so flows never ask which one::

    import warehouse
    with warehouse.open_writer(db) as wh:        # store.Warehouse or lake.LakeWarehouse
        wh.load_edition(edition, run_id, code_version)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LAKE_PREFIX = "ducklake:"


def is_lake(db: object) -> bool:
    """True when ``db`` names a DuckLake (``ducklake:...``)."""
    return str(db).startswith(LAKE_PREFIX)


def connect(db: str | Path, read_only: bool = False, timeout: float = 120.0) -> Any:
    """A warehouse connection (created and migrated unless read_only)."""
    if is_lake(db):
        from warehouse.lake import LakeWarehouse

        return LakeWarehouse.connect(str(db), read_only=read_only, timeout=timeout)
    from warehouse.store import Warehouse

    return Warehouse.connect(db, read_only=read_only, timeout=timeout)


@contextmanager
def open_writer(db: str | Path, **kwargs: Any) -> Iterator[Any]:
    """One writer window on either backend (see ``store.open_writer`` / ``lake.open_writer``)."""
    if is_lake(db):
        from warehouse import lake

        with lake.open_writer(str(db), **kwargs) as wh:
            yield wh
    else:
        from warehouse import store

        with store.open_writer(db, **kwargs) as wh:
            yield wh


def open_reader(db: str | Path, **kwargs: Any) -> Any:
    """A read-only connection: the DuckDB file's snapshot, or the lake's current snapshot."""
    if is_lake(db):
        from warehouse import lake

        return lake.open_reader(str(db), **{k: v for k, v in kwargs.items() if k == "timeout"})
    from warehouse import store

    return store.open_reader(db, **kwargs)


def read_idf(db: str | Path) -> dict[str, float] | None:
    """The frozen keyword IDF model of the warehouse, or None."""
    if is_lake(db):
        from warehouse import lake

        return lake.read_idf(str(db))
    from warehouse.store import Warehouse

    return Warehouse.read_idf(db)


def exists(db: str | Path) -> bool:
    """Whether there is a warehouse to read at ``db`` (file or snapshot; a lake's catalog)."""
    if is_lake(db):
        from warehouse import lake

        return lake.exists(str(db))
    from warehouse.store import snapshot_path

    return Path(db).exists() or snapshot_path(db).exists()


def publish_snapshot(db: str | Path) -> Path | None:
    """Publish the DuckDB file's reader snapshot; a lake has nothing to publish (None)."""
    if is_lake(db):
        return None
    from warehouse.store import publish_snapshot as publish

    return publish(db)
