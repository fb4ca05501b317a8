"""The ``backfill`` flow: a paper over a date range, one daily-ingest subflow per date.

Idempotent and resumable: ingest-edition skips an edition already loaded with
the same file hashes and code version (``skipped_unchanged``) unless ``force``,
and pages already in the store are not downloaded again, so a backfill that
stopped halfway (killed, or ``max_editions`` reached) is finished by running
it again; failed dates are retried the same way.
"""

from __future__ import annotations

import argparse
import contextvars
import datetime as dt
import sys
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.states import Completed, State

from flows.config import ConfigError, paper_config
from flows.daily import config_path, daily_ingest

# statuses of dates where this run did no edition's work (they do not count towards max_editions)
IDLE_STATUSES = frozenset({"skipped_unchanged", "unchanged", "no_edition"})


def date_range(start: dt.date, end: dt.date) -> list[dt.date]:
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _progress(enabled: bool | None, total: int) -> Any:
    """A rich progress bar (editions and pages) on a terminal, else a no-op."""
    if enabled is None:
        enabled = sys.stdout.isatty()
    if not enabled:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


def prepare_warehouse(db: str) -> None:
    """Create and migrate the warehouse once, before concurrent editions open it."""
    import warehouse
    from flows.locks import writer_lock

    with writer_lock(db), warehouse.connect(db):
        pass


def counts(results: dict[str, dict[str, Any]]) -> dict[str, int]:
    """How many dates ended in each status."""
    return dict(Counter(r.get("status", "?") for r in results.values()))


@flow(name="backfill", log_prints=True)
def backfill(
    paper: str,
    start: dt.date,
    end: dt.date,
    config: str = "broadsheet.toml",
    concurrency: int = 1,
    force: bool = False,
    db: str | None = None,
    max_editions: int | None = None,
    refresh: bool = False,
    workers: int = 1,
    dask_address: str | None = None,
    progress: bool | None = None,
) -> State:
    """Ingest ``paper`` for every date from ``start`` to ``end`` (inclusive); a summary per date.

    ``concurrency`` dates run at once (threads, each a daily-ingest subflow):
    their downloads overlap, their ingest-edition subflows take turns on the
    warehouse (``flows.daily.ingest_gate``); pages are parsed in parallel
    inside an edition with ``workers`` processes or on ``dask_address``.
    ``max_editions`` stops after that many editions were loaded or failed in
    this run (skipped and absent days do not count): a backfill in slices.
    A failed date is recorded as ``failed`` with the error and the rest go on.
    """
    log = get_run_logger()
    config = config_path(config)
    cfg = paper_config(config, paper)  # fail early on a bad config or an unknown paper
    prepare_warehouse(db or cfg.db)
    dates = date_range(start, end)
    results: dict[str, dict[str, Any]] = {}
    worked = 0

    def run_one(d: dt.date) -> dict[str, Any]:
        state = daily_ingest(paper=paper, config=config, edition_date=d, force=force, db=db, refresh=refresh,
                             workers=workers, dask_address=dask_address, return_state=True)
        if state.is_completed():
            return state.result()
        return {"publication": paper, "edition_date": d.isoformat(), "status": "failed",
                "files": 0, "pages": 0, "articles": 0, "error": state.message or state.name}

    pending = list(dates)
    running: dict[Future[dict[str, Any]], dt.date] = {}
    with _progress(progress, len(dates)) as bar, ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        editions_bar = bar.add_task(f"{paper} editions", total=len(dates)) if bar else None
        pages_bar = bar.add_task(f"{paper} pages", total=None) if bar else None
        while pending or running:
            while pending and len(running) < max(1, concurrency) and (max_editions is None or worked < max_editions):
                d = pending.pop(0)
                ctx = contextvars.copy_context()  # each thread's subflow is a child of this run
                running[pool.submit(ctx.run, run_one, d)] = d
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                d = running.pop(fut)
                summary = fut.result()
                results[d.isoformat()] = summary
                if summary.get("status") not in IDLE_STATUSES:
                    worked += 1
                log.info(f"{paper} {d}: {summary.get('status')} ({summary.get('pages', 0)} pages, "
                         f"{summary.get('articles', 0)} articles)")
                if bar:
                    bar.advance(editions_bar)
                    bar.advance(pages_bar, summary.get("pages", 0) or 0)
    not_done = [d.isoformat() for d in pending]
    if not_done:
        log.info(f"stopped after {worked} editions (max_editions={max_editions}); "
                 f"{len(not_done)} dates left, from {not_done[0]}: run the backfill again to finish")
    ordered = {k: results[k] for k in sorted(results)}
    create_table_artifact(
        key=f"backfill-{paper}".lower().replace("_", "-"),
        table=[{"date": k, "status": v.get("status"), "pages": v.get("pages", 0), "articles": v.get("articles", 0),
                "quarantined": len(v.get("quarantined_files", [])),
                "reason": v.get("error") or v.get("reason") or v.get("date_warning") or ""}
               for k, v in ordered.items()] or [{"date": "", "status": "nothing run"}],
        description=f"backfill {paper} {start}..{end}",
    )
    message = f"backfill {paper} {start}..{end}: " + (
        ", ".join(f"{k} {v}" for k, v in sorted(counts(ordered).items())) or "nothing run")
    if not_done:
        message += f"; {len(not_done)} dates left from {not_done[0]} (max_editions={max_editions})"
    log.info(message)
    return Completed(message=message, data=ordered)


def run_backfill_cli(args: argparse.Namespace) -> int:
    """``broadsheet backfill``: run the flow, print one line per date, exit 1 if any date failed.

    The config and the paper are checked first, so a wrong folder or a typo
    is one ConfigError line (which file was looked for, how to pass one) and
    no Prefect run is started."""
    config = config_path(getattr(args, "config", None) or "broadsheet.toml")
    try:
        paper_config(config, args.paper)
    except ConfigError as exc:
        hint = "" if getattr(args, "config", None) not in (None, "broadsheet.toml") else (
            "; pass --config PATH/broadsheet.toml or run from the folder that holds it")
        raise ConfigError(f"{exc}{hint}") from None
    results = backfill(
        paper=args.paper,
        start=args.date_from,
        end=args.date_to,
        config=config,
        concurrency=getattr(args, "concurrency", 1),
        force=getattr(args, "force", False),
        db=getattr(args, "db", None),
        max_editions=getattr(args, "max_editions", None),
        refresh=getattr(args, "refresh", False),
        workers=getattr(args, "workers", 1),
        dask_address=getattr(args, "dask_address", None),
    )
    for date, r in results.items():
        extra = r.get("error") or r.get("reason") or ""
        print(f"{date}  {r.get('status', '?'):<18} pages {r.get('pages', 0):>3}  articles {r.get('articles', 0):>4}  {extra}")
    c = counts(results)
    print("total: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    return 1 if c.get("failed") else 0
