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

Stopping: SIGINT (Ctrl-C, or ``kill -INT`` of a backgrounded serve) and SIGTERM
stop serve within a few seconds. On the way out it pauses its deployments
(Prefect's default, so the server schedules no runs nobody will pick up),
waiting at most ``PAUSE_TIMEOUT`` for the server; when the server is already
gone they cannot be paused and stay as they were. Whatever still hangs after
``SHUTDOWN_GRACE`` seconds is cut short (exit status 3). The next
``broadsheet serve`` registers the deployments again, unpaused.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
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


PAUSE_TIMEOUT = 3.0  # s to wait for the server to pause the deployments on the way out
SHUTDOWN_GRACE = 8.0  # s after a stop signal before serve exits whatever still hangs


def _runner_class() -> type:
    from prefect.runner import Runner

    class BoundedRunner(Runner):
        """Prefect's runner, with a shutdown that does not wait on a server that is gone."""

        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            _stop_requested(self, signal.SIGTERM)

        async def _pause_schedules(self) -> None:
            import anyio

            try:
                with anyio.fail_after(PAUSE_TIMEOUT):
                    await super()._pause_schedules()
            except Exception as exc:  # TimeoutError, or the client's connection errors
                self._logger.warning(
                    f"could not pause the deployments ({type(exc).__name__}: the Prefect server did not answer); "
                    "they stay as they are")

    return BoundedRunner


def _stop_requested(runner: Any, signum: int) -> None:
    """First signal: stop the runner, with a watchdog; a second one: exit now."""
    name = signal.Signals(signum).name
    if getattr(runner, "_broadsheet_stopping", False):
        print(f"broadsheet serve: {name} again, exiting now", file=sys.stderr, flush=True)
        os._exit(3)
    runner._broadsheet_stopping = True
    print(f"broadsheet serve: {name} received, stopping (pausing the deployments)", file=sys.stderr, flush=True)

    def watchdog() -> None:
        threading.Event().wait(SHUTDOWN_GRACE)
        print(f"broadsheet serve: shutdown not finished after {SHUTDOWN_GRACE:.0f} s "
              "(Prefect server unreachable?); exiting", file=sys.stderr, flush=True)
        os._exit(3)

    threading.Thread(target=watchdog, name="serve-shutdown-watchdog", daemon=True).start()
    if not runner.started or runner._loop is None:
        raise KeyboardInterrupt  # still registering: unwind the main thread
    runner.stopping = True
    runner.execute_in_background(runner.astop)


def serve_papers(
    config: dict[str, PaperConfig] | str | Path, db: str | None = None, config_file: str | Path | None = None
) -> None:
    """Serve every paper's schedule and the backfill deployment until SIGINT or SIGTERM."""
    import asyncio

    from prefect.exceptions import TerminationSignal
    from prefect.flows import _display_serve_start_message

    if not isinstance(config, dict):
        config_file = config
        config = load_config(config)
    deployments = build_deployments(config, config_file, db=db)
    runner = _runner_class()(pause_on_shutdown=True)
    # a backgrounded serve inherits SIGINT ignored: listen to it anyway, and to SIGTERM
    # from the start (Prefect's runner takes SIGTERM only once it has started)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda n, _frame: _stop_requested(runner, n))
    try:
        for deployment in deployments:
            runner.add_deployment(deployment)
        _display_serve_start_message(*deployments)
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        pass
    print("broadsheet serve: stopped", file=sys.stderr, flush=True)
