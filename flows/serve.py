"""Serve the papers: one ``daily-ingest`` deployment per paper on its cron, plus ``backfill``.

``broadsheet serve`` keeps a process running that starts each paper's
daily-ingest at its cron time in the paper's time zone; the backfill
deployment has no schedule and is run on demand::

    prefect deployment run 'backfill/backfill' -p paper=gxsb -p start=2024-01-01 -p end=2024-01-31
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
