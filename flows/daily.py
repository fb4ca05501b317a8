"""The ``daily-ingest`` flow: one paper, one date -> fetch its pages -> ingest-edition.

Served on each paper's cron (flows/serve.py); the edition date defaults to
the day the run was scheduled for, in the paper's time zone. The ingest runs as a subflow, so every
edition is its own observable flow run named ``<paper>-<date>``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run
from prefect.states import State

from flows.config import paper_config
from flows.ingest import completed, ingest_edition
from flows.runners import task_runner_for
from flows.sources import fetch_edition


_GATES: dict[str, threading.Lock] = {}
_GATES_GUARD = threading.Lock()


def ingest_gate(db: str) -> threading.Lock:
    """One ingest-edition at a time per warehouse file in this process.

    Concurrent backfill threads overlap their downloads, but DuckDB connections
    from several threads of one process to one file conflict (catalog writes,
    the snapshot's ATTACH), so the ingest subflows take turns; parsing is
    parallel inside an edition (``workers``/``dask_address``).
    """
    key = os.path.realpath(db)
    with _GATES_GUARD:
        return _GATES.setdefault(key, threading.Lock())


def _run_name() -> str:
    params = flow_run.parameters
    return f"{params.get('paper', '?')}-{params.get('edition_date') or 'today'}"


def no_edition_summary(publication: str, date: dt.date, reason: str) -> dict[str, Any]:
    return {"publication": publication, "edition_date": date.isoformat(), "status": "no_edition",
            "files": 0, "pages": 0, "articles": 0, "quarantined_files": [], "reason": reason}


def record_no_edition(db: str, publication: str, date: dt.date, looked_at: str, reason: str) -> str:
    """Write the day without an edition to the warehouse (ingest_runs and
    ingest_files, status ``no_edition``) and publish the snapshot; the run id."""
    import uuid

    from flows.locks import writer_lock
    import warehouse
    from tasks.version import code_version

    run_id = uuid.uuid4().hex
    with ingest_gate(db), writer_lock(db):
        with warehouse.connect(db) as wh:
            wh.record_no_edition(run_id, str(flow_run.id or ""), code_version(), publication, date, looked_at, reason)
        warehouse.publish_snapshot(db)
    return run_id


def _no_edition_artifact(publication: str, date: dt.date, looked_at: str, reason: str) -> None:
    key = f"edition-{publication}-{date.isoformat()}-summary".lower().replace("_", "-")
    create_markdown_artifact(
        key=key,
        markdown=f"# {publication} {date.isoformat()}: no_edition\n\n- reason: {reason}\n- looked at: `{looked_at}`\n",
        description="Edition run summary",
    )


@flow(name="daily-ingest", flow_run_name=_run_name, log_prints=True)
def daily_ingest(
    paper: str,
    config: str = "broadsheet.toml",
    edition_date: dt.date | None = None,
    force: bool = False,
    db: str | None = None,
    refresh: bool = False,
    workers: int = 1,
    dask_address: str | None = None,
) -> State:
    """Fetch (paper, date) from its source and ingest it; ``no_edition`` when the paper did not appear.

    A day with no edition is written to the warehouse (``v_no_edition``) with
    the reason, and gets its own summary artifact. The run ends Completed with
    the outcome as the state message; its result is the summary.

    ``db`` overrides the config's warehouse; ``refresh`` re-downloads pages
    already in the store; ``workers``/``dask_address`` choose where pages are parsed.
    """
    log = get_run_logger()
    cfg = paper_config(config, paper)
    # a scheduled run started late (runner down overnight) still ingests the day it was scheduled for
    scheduled = flow_run.scheduled_start_time
    date = edition_date or cfg.today(scheduled if isinstance(scheduled, dt.datetime) else None)
    got = fetch_edition(cfg, date, refresh=refresh)
    db = db or cfg.db
    if got.status == "no_edition":
        log.info(f"{paper} {date}: no edition ({got.reason})")
        run_id = record_no_edition(db, paper, date, got.looked_at, got.reason)
        _no_edition_artifact(paper, date, got.looked_at, got.reason)
        return completed({**no_edition_summary(paper, date, got.reason), "run_id": run_id})
    log.info(f"{paper} {date}: {len(got.files)} files ({got.downloaded} downloaded now)")
    ingest = ingest_edition.with_options(
        task_runner=task_runner_for(dask_address, workers), flow_run_name=f"{paper}-{date.isoformat()}"
    )
    with ingest_gate(db):
        summary = ingest(files=got.files, publication=paper, edition_date=date, db=db, force=force,
                         engine=cfg.engine)
    return completed({**summary, "downloaded": got.downloaded})


def config_path(path: str | Path) -> str:
    """Absolute config path (deployments run from another working directory)."""
    return str(Path(path).expanduser().resolve())
