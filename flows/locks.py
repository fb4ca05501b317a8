"""One writer at a time for a DuckDB warehouse file.

DuckDB allows one writing process per file. ``writer_lock(db)`` serialises the
load step of concurrent flow runs on one host with ``fcntl.flock`` on
``<db>.lock`` (also between threads: each acquisition opens its own file
description). With ``server_limit=True`` it also takes a slot of the Prefect
global concurrency limit ``broadsheet-db-writer`` (created with limit 1 if
missing), so runs on other hosts sharing the file queue in the Prefect UI too.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

WRITER_LIMIT = "broadsheet-db-writer"


class LockTimeout(TimeoutError):
    """The writer lock was not free within the timeout."""


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


def ensure_writer_limit(name: str = WRITER_LIMIT, limit: int = 1) -> bool:
    """Create the Prefect global concurrency limit if the API has none; False without an API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectNotFound

    try:
        with get_client(sync_client=True) as client:
            try:
                client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=limit))
        return True
    except Exception:  # no server reachable: the file lock alone serialises writers on this host
        return False


@contextmanager
def writer_lock(db_path: str | Path, timeout: float | None = None, server_limit: bool = False) -> Iterator[None]:
    """Hold the exclusive writer lock for ``db_path`` (blocks; LockTimeout after ``timeout`` s).

    A DuckLake (``ducklake:...``) takes no lock here: several loaders commit at
    once and DuckLake settles their snapshots (``warehouse.lake``)."""
    from warehouse import is_lake

    if is_lake(db_path):
        yield
        return
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        if server_limit and ensure_writer_limit():
            from prefect.concurrency.sync import concurrency

            stack.enter_context(concurrency(WRITER_LIMIT, occupy=1, timeout_seconds=timeout))
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        stack.callback(os.close, fd)
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(f"{path}: another writer holds the lock") from None
                    time.sleep(0.05)
        stack.callback(fcntl.flock, fd, fcntl.LOCK_UN)
        yield
