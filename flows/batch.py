"""Many editions at once: parse in parallel, load in writer windows.

``broadsheet ingest`` of a folder runs here (``run_editions``):

1. the files of every edition are parsed file by file on a ``ParsePool``
   (warm processes on this host, each reading PDFs in a reused guarded
   child, or a Dask cluster), and each edition is segmented and tagged there
   as soon as its last file is parsed;
2. the caller's process is the single writer: it loads the editions that
   are ready in **writer windows** (one warehouse open, up to ``window``
   editions, each edition still its own transaction with its own
   ``ingest_runs`` row and lineage), then finishes the window with one FTS
   check, one IDF check and **one snapshot publication**, after every run
   row of the window is final;
3. each edition is a Prefect task run ``load <paper> <date>`` of the
   ``ingest-editions`` flow run, with its summary artifact
   ``edition-<paper>-<date>-summary``; the flow run has one table artifact
   with a row per edition.

Parsing starts before the Prefect flow run does, so the temporary Prefect
server's start-up overlaps real work.  Editions whose files and code version
are already loaded are skipped without parsing (``skipped_unchanged``)
unless ``force``.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.runners import ParsePool, build_job, parse_job
from tasks.extract import dedupe_files, file_sha256
from tasks.model import Edition, Quarantined
from tasks.pipeline import ParsedFile, resolve_edition

WINDOW_EDITIONS = 16
"""Editions loaded in one writer window at most (one snapshot publication each)."""
WINDOW_WAIT_S = 5.0
"""A ready edition waits at most this long for others to fill its window."""


@dataclass
class EditionJob:
    """One edition on its way through the batch."""

    files: list[Path]
    unique: list[Path]
    problems: list[Quarantined]
    publication: str | None
    edition_date: dt.date | None
    pub: str
    date: dt.date
    source: str
    known_date: bool
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    shas: list[str] = field(default_factory=list)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)
    edition: Edition | None = None
    texts: list[str] | None = None  # the articles' search texts, made by the worker
    status: str = "pending"  # pending | parsing | ready | skipped_unchanged | <load status> | failed
    error: str = ""
    ready_at: float = 0.0
    summary: dict[str, Any] | None = None
    report: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.pub} {self.date.isoformat()}"


def make_jobs(groups: list[list[Path]], publication: str | None, edition_date: dt.date | None) -> list[EditionJob]:
    jobs = []
    for files in groups:
        unique, duplicates = dedupe_files(files)
        problems = [Quarantined(str(d), file_sha256(d), "duplicate", f"same bytes as {o}") for d, o in duplicates]
        pub, date, source = resolve_edition(unique, [], publication, edition_date)
        known = "date from option" in source or "date from path" in source
        jobs.append(EditionJob(list(files), list(unique), problems, publication, edition_date, pub, date, source,
                               known, shas=[file_sha256(p) for p in unique]))
    return jobs


def unchanged_jobs(db: str, jobs: list[EditionJob], code_version: str) -> set[int]:
    """Indexes of jobs already loaded from the same files by this code version (read-only look)."""
    import warehouse

    if not (warehouse.is_lake(db) and warehouse.exists(db)) and not Path(db).exists():
        return set()
    try:
        with warehouse.connect(db, read_only=True, timeout=60.0) as wh:
            return {i for i, j in enumerate(jobs)
                    if j.known_date and wh.is_unchanged(j.pub, j.date, j.shas, code_version)}
    except Exception:  # an unreadable or older file: the flow's own check decides
        return set()


class Progress:
    """Editions and pages done, rate and ETA: a live bar on a terminal, a line every 15 s elsewhere."""

    def __init__(self, total_editions: int, total_pages: int, enabled: bool | None = None,
                 stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.total_pages = total_editions, total_pages
        self.done = self.pages = 0
        self.t0 = time.monotonic()
        self._last_line = 0.0
        self.enabled = total_editions > 1 if enabled is None else enabled
        self._bar = None
        if self.enabled and getattr(self.stream, "isatty", lambda: False)():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, \
                TimeRemainingColumn

            self._bar = RichProgress(TextColumn("editions"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[pages]} pages  {task.fields[rate]}"),
                                     TextColumn("ETA"), TimeRemainingColumn(),
                                     console=Console(file=self.stream), transient=False)
            self._task = self._bar.add_task("editions", total=total_editions, pages=0, rate="")
            self._bar.start()

    def rate(self) -> float:
        return self.pages / max(1e-6, time.monotonic() - self.t0)

    def line(self) -> str:
        el = time.monotonic() - self.t0
        # no ETA before the first edition is done: nothing to extrapolate from yet
        eta = f"{(el / self.done) * (self.total - self.done):.0f} s" if self.done else "-"
        return (f"editions {self.done}/{self.total}  pages {self.pages}/{self.total_pages}  "
                f"{self.rate():.1f} pages/s  elapsed {el:.0f} s  ETA {eta}")

    def advance(self, editions: int, pages: int) -> None:
        self.done += editions
        self.pages += pages
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, pages=self.pages, rate=f"{self.rate():.1f} pages/s")
        elif time.monotonic() - self._last_line >= 15.0 or self.done == self.total:
            self._last_line = time.monotonic()
            # not print(): inside a flow with log_prints it would become a Prefect log line
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


class Batch:
    """Parsing and building of many editions on a pool; ready editions arrive on a queue.

    The pool's results are handled by a dispatcher thread of this process, not
    by the flow: an edition whose last file is parsed goes back to the pool to
    be built at once, even while the flow run is not started yet (the Prefect
    server may still be starting), so the pool never idles waiting for it."""

    def __init__(self, jobs: list[EditionJob], pool: ParsePool, engine: str, ocr: str = "auto") -> None:
        self.jobs = jobs
        self.pool = pool
        self.engine = engine
        self.ocr = ocr
        self._inbox: queue.Queue[tuple[str, EditionJob, Any, Any, BaseException | None] | None] = queue.Queue()
        self.events: queue.Queue[EditionJob] = queue.Queue()
        self._lock = threading.Lock()
        self.in_flight = 0  # editions started and not yet handed to the loader
        self._thread = threading.Thread(target=self._dispatch, name="batch-dispatch", daemon=True)
        self._thread.start()

    def start(self, job: EditionJob) -> None:
        """Queue the edition: the dispatcher sends its files to the pool (the first submit
        waits for the pool's processes; the caller goes on meanwhile)."""
        job.status = "parsing"
        job.timings["queued"] = time.monotonic()
        with self._lock:
            self.in_flight += 1
        self._inbox.put(("start", job, None, None, None))

    def _start_now(self, job: EditionJob) -> None:
        """Send the edition's files to the pool (an edition of no files is built at once)."""
        if not job.unique:
            self._build(job)
            return
        for p in job.unique:
            self.pool.submit(parse_job, str(p), self.engine, self.ocr,
                             callback=lambda res, err, job=job, p=p: self._inbox.put(("parsed", job, str(p), res, err)))

    def _build(self, job: EditionJob) -> None:
        parsed = [job.parsed[str(p)] for p in job.unique]
        job.pub, job.date, job.source = resolve_edition(job.unique, parsed, job.publication, job.edition_date)
        self.pool.submit(build_job, parsed, job.pub, job.date, job.source,
                         callback=lambda res, err, job=job: self._inbox.put(("built", job, None, res, err)))

    def _dispatch(self) -> None:
        while True:
            item = self._inbox.get()
            if item is None:
                return
            try:
                ready = self._handle_result(*item)
            except BaseException as exc:  # noqa: BLE001 - a bug here fails the edition, not the thread
                job = item[1]
                job.status, job.error, job.ready_at = "failed", f"{type(exc).__name__}: {exc}", time.monotonic()
                ready = job
            if ready is not None:
                self.events.put(ready)

    def _handle_result(self, kind: str, job: EditionJob, path: Any, result: Any,
                       error: BaseException | None) -> EditionJob | None:
        if job.status in ("failed", "ready"):
            return None  # an edition already handed over (a sibling file failed first)
        if kind == "start":
            self._start_now(job)
            return None
        if error is not None:
            job.status, job.error = "failed", f"{type(error).__name__}: {error}"
            job.ready_at = time.monotonic()
            return job
        if kind == "parsed":
            job.parsed[path] = result
            if len(job.parsed) == len(job.unique):
                self._build(job)
            return None
        edition, job.texts = result
        edition.quarantined.extend(job.problems)
        job.edition, job.status, job.ready_at = edition, "ready", time.monotonic()
        job.timings["parse+build"] = job.ready_at - job.timings["queued"]
        return job

    def handle(self, timeout: float | None) -> EditionJob | None:
        """Wait up to ``timeout`` s for the next edition that is ready (built or failed)."""
        try:
            job = self.events.get(timeout=timeout) if timeout != 0.0 else self.events.get_nowait()
        except queue.Empty:
            return None
        with self._lock:
            self.in_flight -= 1
        return job

    def close(self) -> None:
        self._inbox.put(None)
        self._thread.join(timeout=5)


def run_editions(groups: list[list[Path]], publication: str | None, edition_date: dt.date | None, db: str,
                 force: bool = False, engine: str = "pdfium", workers: int = 0, dask_address: str | None = None,
                 report_dir: str | None = None, progress: bool | None = None,
                 window: int = WINDOW_EDITIONS, ocr: str = "auto") -> list[dict[str, Any]]:
    """Parse the editions on a pool, starting before the flow run, and load them in ``ingest-editions``."""
    import warehouse
    from tasks.version import code_version

    # the pool starts working before Prefect is even imported, and the temporary
    # Prefect server (when there is one) starts beside it: their start-ups overlap the parsing
    from flows import prefect_api

    jobs = make_jobs(groups, publication, edition_date)
    skip = set() if force else unchanged_jobs(db, jobs, code_version())
    idf = warehouse.read_idf(db)
    with ParsePool(workers, dask_address, idf=idf) as pool:
        batch = Batch(jobs, pool, engine, ocr)
        try:
            for i, job in enumerate(jobs):
                if i in skip:
                    job.status = "skipped_unchanged"
                else:
                    batch.start(job)
            prefect_api.start_early()  # no-op if already started, or when Prefect has its own setup
            from flows.batch_flow import _RUNNING, ingest_editions

            prefect_api.wait_ready()
            _RUNNING.clear()
            _RUNNING["batch"] = batch
            try:
                return ingest_editions(editions=[j.key for j in jobs], db=db, force=force, engine=engine,
                                       parse_on=pool.where, report_dir=report_dir, window=window,
                                       progress=progress)
            finally:
                _RUNNING.clear()
        finally:
            batch.close()


def run_paths(paths: list[str], publication: str | None = None, edition_date: dt.date | None = None,
              db: str | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    """Files and folders -> editions (grouped by path) -> ``run_editions`` (what ``broadsheet ingest`` runs)."""
    from tasks.pipeline import edition_from_path, expand_paths
    from warehouse.store import default_db_path

    groups: dict[tuple[str | None, dt.date | None], list[Path]] = {}
    for f in expand_paths(paths):
        paper, date = edition_from_path(f)
        groups.setdefault((publication or paper, edition_date or date), []).append(f)
    # the group key only groups: each edition resolves (and logs) where its values came from
    return run_editions(list(groups.values()), publication, edition_date, str(db or default_db_path()), **kwargs)
