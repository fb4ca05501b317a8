"""Serve the papers: one ``daily-ingest`` deployment per paper on its cron, plus ``backfill``.

Runbook (each step run against a real server)::

    # 1. the Prefect server and UI (http://127.0.0.1:4200)
    prefect server start
    export PREFECT_API_URL=http://127.0.0.1:4200/api

    # 2. serve: every paper's daily-ingest on its cron in its time zone, and backfill
    broadsheet serve --config broadsheet.toml

    # 3. one day now, or a date range (in another shell)
    prefect deployment run 'daily-ingest/gxsb' -p edition_date=2024-01-02 --watch
    prefect deployment run 'backfill/backfill' -p paper=gxsb -p start=2024-01-01 -p end=2024-01-31
    broadsheet backfill --paper gxsb --from 2024-01-01 --to 2024-01-31 --concurrency 4   # no serve needed

    # 4. a failed edition: run the same range again (done dates are skipped,
    #    failed ones redone), or that one day; force reloads an edition already loaded
    broadsheet backfill --paper gxsb --from 2024-01-10 --to 2024-01-10
    prefect deployment run 'daily-ingest/gxsb' -p edition_date=2024-01-10 -p force=true

Without ``PREFECT_API_URL`` the flows still run (Prefect starts a temporary
local server per process), but nothing is scheduled and the UI shows nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.backfill import backfill
from flows.config import PaperConfig, load_config
from flows.daily import config_path, daily_ingest


def build_deployments(
    config: dict[str, PaperConfig], config_file: str | Path | None = None, db: str | None = None
) -> list[RunnerDeployment]:
    """A daily-ingest deployment per paper (cron in its time zone) and one backfill deployment.

    The runs read the papers from ``config_file`` (default: the file ``config``
    was loaded from), so source changes apply without re-serving; ``db``
    overrides the config's warehouse.
    """
    known = {p.config_file for p in config.values() if p.config_file}
    if config_file is None and len(known) != 1:
        raise ValueError("config_file is needed: these papers were not loaded from one broadsheet.toml")
    cfg = config_path(config_file or known.pop())
    extra: dict[str, Any] = {"db": config_path(db)} if db else {}
    deployments = [
        daily_ingest.to_deployment(
            name=code,
            schedules=[Cron(p.cron, timezone=p.timezone)],
            parameters={"paper": code, "config": cfg, **extra},
            description=f"{p.name}: fetch today's edition ({p.source}) and ingest it",
            tags=["broadsheet", "daily", code],
        )
        for code, p in sorted(config.items())
    ]
    deployments.append(
        backfill.to_deployment(
            name="backfill",
            parameters={"config": cfg, **extra},
            description="ingest a paper over a date range: -p paper=... -p start=YYYY-MM-DD -p end=YYYY-MM-DD",
            tags=["broadsheet", "backfill"],
        )
    )
    return deployments


def serve_papers(
    config: dict[str, PaperConfig] | str | Path, db: str | None = None, config_file: str | Path | None = None
) -> None:
    """Serve every paper's schedule and the backfill deployment until interrupted."""
    from prefect import serve

    if not isinstance(config, dict):
        config_file = config
        config = load_config(config)
    serve(*build_deployments(config, config_file, db=db))
