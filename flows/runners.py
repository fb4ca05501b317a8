"""Which Prefect task runner parses the pages: threads, processes or a Dask cluster."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Prefect is imported only when a task runner is asked for (ParsePool needs none)
    from prefect.task_runners import TaskRunner


def task_runner_for(dask_address: str | None = None, workers: int = 1) -> TaskRunner:
    """The task runner for ingest's parse tasks.

    - ``dask_address`` "tcp://host:8786": a ``prefect_dask.DaskTaskRunner`` on that
      scheduler (the parse tasks run on the cluster; the warehouse load stays in
      the flow's own process, the single writer);
    - ``dask_address`` "local": a temporary Dask LocalCluster of ``workers`` processes;
    - ``workers`` > 1: a ProcessPoolTaskRunner (parsing is CPU-bound Python);
    - else a one-thread ThreadPoolTaskRunner.
    """
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    if dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address == "local":
            return DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers), "threads_per_worker": 1})
        return DaskTaskRunner(address=dask_address)
    if workers > 1:
        return ProcessPoolTaskRunner(max_workers=workers)
    return ThreadPoolTaskRunner(max_workers=1)


# --------------------------------------------------------------------------
# the parse pool of a multi-edition ingest
# --------------------------------------------------------------------------

import concurrent.futures as cf  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

_WORKER: dict[str, Any] = {}


def _worker_init(idf: dict[str, float] | None) -> None:
    """Warm a pool process: stage modules and jieba loaded once, the batch's IDF kept."""
    _WORKER["idf"] = idf
    import tasks.pipeline  # noqa: F401
    from tasks import guard

    from warehouse import search

    search._jieba()  # the dictionary loads once per process, not once per edition
    _WORKER["reader"] = guard.GuardedReader()


def _reader() -> Any:
    if "reader" not in _WORKER:
        from tasks import guard

        _WORKER["reader"] = guard.GuardedReader()
    return _WORKER["reader"]


def parse_job(path: str, engine: str, ocr: str = "auto") -> Any:
    """One file through extract (in the worker's guarded reader child) and layout."""
    from tasks.pipeline import parse_file

    return parse_file(path, engine, ocr=ocr, reader=_reader())


def build_job(parsed: list[Any], publication: str, edition_date: Any, date_source: str,
              idf: dict[str, float] | None = None) -> Any:
    """Segment and tag one edition's parsed files (the IDF comes with the pool unless given);
    returns the edition and its articles' search texts (segmented here, not in the writer)."""
    from tasks.pipeline import build_edition
    from warehouse.store import search_texts

    edition = build_edition(parsed, publication, edition_date, idf=idf if idf is not None else _WORKER.get("idf"),
                            date_source=date_source)
    return edition, search_texts(edition)


def default_workers() -> int:
    """Parse processes when none are asked for: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _pool_context() -> Any:
    """``forkserver`` with the stages and jieba preloaded (``flows.parse_warm``): the workers
    fork from one warm process; ``spawn`` where there is no fork server (each worker loads them)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["flows.parse_warm"])
        return ctx
    return multiprocessing.get_context("spawn")


class ParsePool:
    """Where a multi-edition ingest parses and builds editions.

    ``workers`` warm processes on this host (forked from a fork server that
    loaded the stages and jieba once; each with its own guarded reader child
    for the PDF library), or, with ``dask_address``, the
    workers of that Dask scheduler.  ``submit(fn, *args, callback=...)`` runs
    ``fn`` there and calls ``callback(result, error)`` in a pool thread when it
    ends; the warehouse load stays in the caller's process (the single writer).
    """

    def __init__(self, workers: int = 0, dask_address: str | None = None,
                 idf: dict[str, float] | None = None) -> None:
        self.workers = workers or default_workers()
        self.dask_address = dask_address
        self._client = None
        self._idf_ref: Any = None
        if dask_address:
            from distributed import Client

            if dask_address == "local":
                self._client = Client(n_workers=self.workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None)
            else:
                self._client = Client(dask_address, timeout=30)
            self._idf_ref = self._client.scatter(idf, broadcast=True) if idf else None
            self._pool = None
        else:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.workers, mp_context=_pool_context(),
                initializer=_worker_init, initargs=(idf,),
            )
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return f"dask {self.dask_address}" if self._client else f"{self.workers} processes"

    def submit(self, fn: Callable[..., Any], *args: Any, callback: Callable[[Any, BaseException | None], None]) -> None:
        if self._client is not None:
            if fn is build_job:
                args = (*args, self._idf_ref)
            fut = self._client.submit(fn, *args, pure=False)
        else:
            fut = self._pool.submit(fn, *args)

        def done(f: Any) -> None:
            try:
                result, error = f.result(), None
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                result, error = None, exc
            callback(result, error)

        fut.add_done_callback(done)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
