"""The ``ingest-editions`` flow: the caller's process loads a batch, window by window.

See ``flows.batch`` for the whole scheme; this module is the Prefect side
(imported only once the parse pool is already working), the writer windows
and their snapshot publication policy.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows.batch import WINDOW_EDITIONS, WINDOW_WAIT_S, Batch, EditionJob, Progress
from tasks.model import Edition

_RUNNING: dict[str, Any] = {}  # the batch of the flow run in progress (objects Prefect must not serialise)


def _summary(job: EditionJob) -> dict[str, Any]:
    from flows.ingest import _summary as edition_summary

    return edition_summary(job.pub, job.date, job.status, len(job.files), job.edition, job.source, job.run_id)


def _finish_job(wh: Any, job: EditionJob) -> None:
    s = _summary(job)
    wh.finish_run(job.run_id, job.status,
                  {"files": len(job.files), "pages": s["pages"], "articles": s["articles"],
                   "quarantined": len(s["quarantined_files"])},
                  error=job.error or None, publication=job.pub, edition_date=job.date)
    job.summary = s


@task(name="load-edition", task_run_name="load {publication} {edition_date}", cache_policy=NO_CACHE,
      persist_result=False)
def load_in_window(publication: str, edition_date: str, job_index: int) -> Any:
    """Load one edition in the open writer window: its own transaction, its run row closed;
    the task run ends with the edition's outcome as its state message."""
    wh, job, version = _RUNNING["wh"], _RUNNING["jobs"][job_index], _RUNNING["version"]
    t = time.perf_counter()
    try:
        if job.status == "failed":
            return job.status
        edition = job.edition
        if edition.articles or edition.pages:
            job.status = wh.load_edition(edition, run_id=job.run_id, code_version=version, texts=job.texts).status
        else:
            wh.record_quarantine(edition, job.run_id)
            job.status = "nothing_loaded"
    except Exception as exc:
        job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        job.timings["load"] = time.perf_counter() - t
        _finish_job(wh, job)
    from flows.ingest import outcome_message
    from prefect.states import Completed

    return Completed(message=outcome_message(job.summary), data=job.status)


def _edition_artifact(job: EditionJob) -> None:
    s = job.summary or _summary(job)
    bad = s["quarantined_files"]
    lines = [f"# {s['publication']} {s['edition_date']}: {s['status']}", "",
             f"- files: {s['files']}, pages: {s['pages']}, articles: {s['articles']}, quarantined: {len(bad)}",
             f"- {s.get('date_source', '')}",
             "- timings (s): " + ", ".join(f"{k} {v:.2f}" for k, v in job.timings.items() if k != "queued"), ""]
    if job.error:
        lines += [f"error: {job.error}", ""]
    if bad:
        lines += ["| file | status | reason |", "|---|---|---|"]
        lines += [f"| {q['path']} | {q['status']} | {q['reason']} |" for q in bad]
    key = f"edition-{s['publication']}-{s['edition_date']}".lower().replace("_", "-")
    create_markdown_artifact(key=key + "-summary", markdown="\n".join(lines), description="Edition run summary")


@flow(name="ingest-editions", log_prints=True)
def ingest_editions(editions: list[str], db: str, force: bool = False, engine: str = "pdfium",
                    parse_on: str = "", report_dir: str | None = None, window: int = WINDOW_EDITIONS,
                    progress: bool | None = None) -> list[dict[str, Any]]:
    """Load the editions of a batch (parsed on ``parse_on``) in writer windows; a summary per edition.

    ``editions`` names them (``<paper> <date>``) for the UI; the files, jobs
    and pool come from ``run_editions`` in this process.
    """
    from flows.ingest import _writer, inspect_report_task
    from tasks.version import code_version

    log = get_run_logger()
    batch: Batch = _RUNNING["batch"]
    jobs = batch.jobs
    version = code_version()
    _RUNNING.update(version=version, jobs=jobs)
    fr_id = str(flow_run.id or "")
    prog = Progress(len(jobs), sum(len(j.unique) for j in jobs), enabled=progress)
    log.info(f"{len(jobs)} editions, parsing on {parse_on}")

    # window 0: every run gets its row; unchanged editions are closed without parsing
    with _writer(db) as wh:
        for job in jobs:
            wh.start_run(job.run_id, fr_id, version, job.pub if job.known_date else None,
                         job.date if job.known_date else None)
            if job.status == "skipped_unchanged" and not wh.is_unchanged(job.pub, job.date, job.shas, version):
                job.status = "pending"  # predicted unchanged, but another load changed it since
            if job.status == "skipped_unchanged":
                reason = "same files and code version already loaded"
                wh.record_files([(str(p), sha, "skipped_unchanged", reason) for p, sha in zip(job.unique, job.shas)],
                                job.run_id)
                wh.finish_run(job.run_id, "skipped_unchanged", {"files": len(job.unique)}, reason=reason)
                job.summary = _summary(job) | {"reason": reason}
        skipped = [j for j in jobs if j.status == "skipped_unchanged"]
        if skipped:
            wh.write_snapshot()
    prog.advance(len(skipped), 0)
    for job in jobs:
        if job.status == "pending":
            batch.start(job)

    ready: list[EditionJob] = []
    todo = sum(1 for j in jobs if j.status not in ("skipped_unchanged",))
    loaded = 0
    windows = 0
    published = True
    try:
        while loaded < todo:
            oldest = min((j.ready_at for j in ready), default=None)
            wait = None if oldest is None else max(0.0, WINDOW_WAIT_S - (time.monotonic() - oldest))
            job = batch.handle(timeout=wait if batch.in_flight else 0.0)
            if job is not None:
                ready.append(job)
            full = len(ready) >= window
            stale = oldest is not None and time.monotonic() - oldest >= WINDOW_WAIT_S
            if ready and (full or stale or batch.in_flight == 0):
                take, ready = ready[:window], ready[window:]
                published = _load_window(db, take, log, final=loaded + len(take) >= todo)
                windows += 1
                loaded += len(take)
                for j in take:
                    if j.edition is not None and getattr(j.edition, "date_warning", ""):
                        log.warning(f"{j.key}: date disagreement: {j.edition.date_warning}")
                    if report_dir and j.edition is not None and j.edition.pages:
                        j.report = inspect_report_task(j.edition, Path(report_dir))
                    _edition_artifact(j)
                    for q in (j.summary or {}).get("quarantined_files", []):
                        log.warning(f"{j.key}: quarantined {q['path']}: {q['status']}: {q['reason']}")
                prog.advance(len(take), sum(len(j.edition.pages) if j.edition else 0 for j in take))
    finally:
        prog.close()
        if not published:  # a batch that stopped early still leaves its last loads visible
            with _writer(db) as wh:
                wh.write_snapshot()
    out = []
    for job in jobs:
        s = dict(job.summary or _summary(job))
        if job.report is not None:
            s["report"] = str(job.report)
        if job.error:
            s["error"] = job.error
        out.append(s)
    create_table_artifact(
        key="ingest-editions",
        table=[{"edition": f"{s['publication']} {s['edition_date']}", "status": s["status"], "pages": s["pages"],
                "articles": s["articles"], "quarantined": len(s["quarantined_files"]), "error": s.get("error", "")}
               for s in out] or [{"edition": "", "status": "nothing to do"}],
        description=f"{len(out)} editions in {windows} writer windows",
    )
    log.info(f"{len(out)} editions in {windows} writer windows: " + ", ".join(
        f"{k} {v}" for k, v in sorted(_count(out).items())))
    return out


def _count(summaries: list[dict[str, Any]]) -> dict[str, int]:
    c: dict[str, int] = {}
    for s in summaries:
        c[s["status"]] = c.get(s["status"], 0) + 1
    return c


def _load_window(db: str, take: list[EditionJob], log: Any, final: bool = True) -> bool:
    """One writer window: each edition its own transaction and run row, then one publication."""
    from flows.ingest import _writer

    with _writer(db) as wh:
        _RUNNING["wh"] = wh
        try:
            for job in take:
                index = _RUNNING["jobs"].index(job)
                state = load_in_window(job.pub, job.date.isoformat(), index, return_state=True)
                if state.is_failed():
                    log.error(f"{job.key}: load failed: {job.error}")
            return close_window(wh, final=final)
        finally:
            _RUNNING.pop("wh", None)


PUBLISH_SHARE = 0.1
"""A snapshot publication copies the whole file: during a long batch, publish
only when loading since the last one took at least (1 - share) / share times
as long as that copy did, so copies never take more than this share of the
writer's time, whatever the warehouse size.  The last window always publishes."""

_LAST_PUBLICATION: dict[str, tuple[float, float]] = {}  # db -> (monotonic end, seconds it took)


def close_window(wh: Any, final: bool = True) -> bool:
    """What a writer window ends with, once for all its editions; True if it published."""
    wh.refresh_fts()  # a no-op while the loads keep the index current
    wh.maybe_learn_idf()
    key = os.path.realpath(wh.path)
    last = _LAST_PUBLICATION.get(key)
    if not final and last is not None:
        ended, took = last
        if time.monotonic() - ended < took * (1 - PUBLISH_SHARE) / PUBLISH_SHARE:
            wh.checkpoint()
            return False
    from warehouse.store import COMPACT_FREE_FRACTION

    t = time.monotonic()
    wh.write_snapshot()  # after every run row of the window is final: readers never see 'running' for it
    # reclaim the free blocks reloads left, once they are half the file (the next snapshot is compact)
    wh.compact_on_close(COMPACT_FREE_FRACTION)
    _LAST_PUBLICATION[key] = (time.monotonic(), time.monotonic() - t)
    return True


def load_window_plain(db: str | Path, editions: list[Edition], version: str = "bench",
                      texts: list[list[str] | None] | None = None, final: bool = False) -> dict[str, float]:
    """The same writer window without Prefect (benchmarks): seconds of the loads and of the rest."""
    from flows.ingest import _writer

    t0 = time.perf_counter()
    with _writer(str(db)) as wh:
        t1 = time.perf_counter()
        for k, ed in enumerate(editions):
            run_id = uuid.uuid4().hex
            wh.start_run(run_id, "", version, ed.publication, ed.edition_date)
            status = wh.load_edition(ed, run_id=run_id, code_version=version,
                                     texts=texts[k] if texts else None).status
            wh.finish_run(run_id, status, {"files": len(ed.files), "pages": len(ed.pages),
                                           "articles": len(ed.articles)})
        t2 = time.perf_counter()
        close_window(wh, final=final)
    t3 = time.perf_counter()
    return {"load": t2 - t1, "window": (t1 - t0) + (t3 - t2)}
