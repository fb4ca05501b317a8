"""Operations end to end: daily-ingest, backfill (interrupted, failed, resumed), deployments,
the parse cache, the writer lock and Dask, against the session's real Prefect server."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from prefect import flow
from prefect.client.orchestration import get_client

import tasks
from flows.backfill import backfill, date_range
from flows.config import load_config
from flows.daily import daily_ingest
from flows.locks import LockTimeout, writer_lock
from flows.parse import parse_file_task, parse_files
from flows.runners import task_runner_for
from flows.serve import build_deployments
from tasks.evaluation.corpus import generate_edition
from tests.test_sources import EPaperSite, site  # noqa: F401  (the e-paper server fixture)
from warehouse.store import Warehouse


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "broadsheet.toml"
    path.write_text(f'[broadsheet]\ndb = "wh.duckdb"\nstore = "store"\n{body}', encoding="utf-8")
    return path


def publish_edition(site: EPaperSite, tmp_path: Path, paper: str, day: dt.date, pages: int, seed: int) -> None:
    """A generated edition put on the site at ``{paper}/{YYYYMM}/{DD}/page_NN.pdf``."""
    folder = generate_edition(tmp_path / "gen", seed=seed, language="en", n_pages=pages, publication=paper,
                              edition_date=day)
    for n in range(1, pages + 1):
        site.files[f"{paper}/{day:%Y%m}/{day:%d}/page_{n:02d}.pdf"] = (folder / f"page_{n:02d}.pdf").read_bytes()


def warehouse_counts(db: Path) -> dict[str, int]:
    with Warehouse.open(db, read_only=True) as wh:
        editions = wh.sql("SELECT count(*), count(DISTINCT edition_id) FROM editions")[0]
        articles = wh.sql("SELECT count(*), count(DISTINCT article_id) FROM articles")[0]
    return {"editions": editions[0], "distinct_editions": editions[1],
            "articles": articles[0], "distinct_articles": articles[1]}


# --------------------------------------------------------------------------
# daily-ingest
# --------------------------------------------------------------------------


def test_daily_ingest_today_in_the_papers_time_zone(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, """
[papers.gxsb]
name = "高新时报"
language = "zh"
timezone = "Pacific/Kiritimati"
cron = "30 6 * * *"
source = "inbox"
inbox = "inbox/{paper}/{date:%Y-%m-%d}/*.pdf"
""")
    paper = load_config(cfg)["gxsb"]
    today = paper.today()  # UTC+14: often a different date than UTC's
    generate_edition(tmp_path / "inbox", seed=3, language="zh", n_pages=1, publication="gxsb", edition_date=today)
    result = daily_ingest(paper="gxsb", config=str(cfg))
    if paper.today() != today:  # midnight passed in Kiritimati during the run
        pytest.skip("the date changed during the test")
    assert result["status"] == "loaded" and result["edition_date"] == today.isoformat()
    assert result["pages"] == 1 and result["articles"] > 0
    assert daily_ingest(paper="gxsb", config=str(cfg), edition_date=today)["status"] == "skipped_unchanged"
    assert daily_ingest(paper="gxsb", config=str(cfg), edition_date=today - dt.timedelta(days=1))["status"] == "no_edition"


# --------------------------------------------------------------------------
# backfill: ten days over HTTP, interrupted, one day failing, resumed
# --------------------------------------------------------------------------


def test_backfill_interrupted_failed_and_resumed_without_duplicates(site: EPaperSite, tmp_path: Path) -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 1, 14)  # two weeks, Monday .. Sunday: two Sundays
    days = date_range(start, end)
    published = [d for d in days if d.weekday() != 6]  # no paper on Sundays
    for i, d in enumerate(published):
        publish_edition(site, tmp_path, "herald", d, pages=2 if i % 5 == 0 else 1, seed=i)
    bad_day = dt.date(2024, 1, 10)
    bad_page = f"herald/{bad_day:%Y%m}/{bad_day:%d}/page_01.pdf"
    site.faults[bad_page] = ["500"] * 100  # the site is broken for that day
    cfg = write_config(tmp_path, f"""
retries = 1
retry_backoff = 0.01
timeout = 5

[papers.herald]
name = "The Herald"
language = "en"
timezone = "America/New_York"
cron = "0 7 * * 1-6"
source = "http"
page_url = "{site.url}/herald/{{date:%Y%m}}/{{date:%d}}/page_{{page:02d}}.pdf"
""")
    db = tmp_path / "wh.duckdb"

    # 1. stopped after 4 editions (as if killed halfway)
    first = backfill(paper="herald", start=start, end=end, config=str(cfg), concurrency=2, max_editions=3)
    loaded_first = [d for d, r in first.items() if r["status"] == "loaded"]
    assert 3 <= len(loaded_first) < len(published)  # a slice, not everything (one in flight may finish)
    assert len(first) < len(days)
    assert warehouse_counts(db)["editions"] == len(loaded_first)

    # 2. run again: the rest is done, the first slice skipped, the broken day recorded as failed
    second = backfill(paper="herald", start=start, end=end, config=str(cfg), concurrency=4, progress=True)
    assert set(second) == {d.isoformat() for d in days}
    assert {d for d, r in second.items() if r["status"] == "skipped_unchanged"} == set(loaded_first)
    assert second["2024-01-07"]["status"] == "no_edition" and second["2024-01-14"]["status"] == "no_edition"
    assert second[bad_day.isoformat()]["status"] == "failed"
    assert "HTTP 500" in second[bad_day.isoformat()]["error"]
    assert site.hits[bad_page] >= 2  # tried and retried

    # 3. the site is fixed: re-run the failed edition alone
    site.faults[bad_page].clear()
    rerun = daily_ingest(paper="herald", config=str(cfg), edition_date=bad_day)
    assert rerun["status"] == "loaded"
    third = {bad_day.isoformat(): rerun}

    counts = warehouse_counts(db)
    assert counts["editions"] == counts["distinct_editions"] == len(published)
    assert counts["articles"] == counts["distinct_articles"]
    loaded_articles = sum(r["articles"] for run in (first, second, third) for r in run.values()
                          if r["status"] == "loaded")
    assert counts["articles"] == loaded_articles  # every article loaded once, none twice
    downloads_per_page = [n for path, n in site.hits.items() if path != bad_page and path.endswith(".pdf")
                          and path in site.files]
    assert max(downloads_per_page) <= 3  # each page: fetched once, then 304s


# --------------------------------------------------------------------------
# deployments: each paper's cron in its time zone, through Prefect's API
# --------------------------------------------------------------------------


def test_deployments_carry_each_papers_schedule(tmp_path: Path) -> None:
    repo_config = Path(__file__).resolve().parents[1] / "broadsheet.toml"
    papers = load_config(repo_config)
    deployments = build_deployments(papers)  # runs read the file the papers came from
    assert sorted(d.name for d in deployments) == ["backfill", "gxsb", "herald"]
    for d in deployments:
        d.apply()
    with get_client(sync_client=True) as client:
        gxsb = client.read_deployment_by_name("daily-ingest/gxsb")
        herald = client.read_deployment_by_name("daily-ingest/herald")
        back = client.read_deployment_by_name("backfill/backfill")
    (g,) = gxsb.schedules
    assert g.schedule.cron == "30 6 * * *" and g.schedule.timezone == "Asia/Shanghai" and g.active
    (h,) = herald.schedules
    assert h.schedule.cron == "0 7 * * 1-6" and h.schedule.timezone == "America/New_York"
    assert gxsb.parameters == {"paper": "gxsb", "config": str(repo_config)}
    assert back.schedules == [] and back.parameters == {"config": str(repo_config)}


# --------------------------------------------------------------------------
# parse cache: sha256 + parser version + engine
# --------------------------------------------------------------------------


@flow(name="test-parse-once")
def parse_state_names(paths: list[str]) -> list[str]:
    return [parse_file_task(p, "pdfium", return_state=True).name for p in paths]


@flow(name="test-parse-files")
def parse_paths(paths: list[str]) -> list[str]:
    return [f.path for f in parse_files(paths, "pdfium")]


def test_parse_cache_hits_across_runs_and_parser_version_busts_it(tmp_path: Path, monkeypatch) -> None:
    folder = generate_edition(tmp_path, seed=11, language="en", n_pages=1, publication="herald",
                              edition_date=dt.date(2024, 2, 1))
    page = str(folder / "page_01.pdf")
    assert parse_state_names([page]) == ["Completed"]
    assert parse_state_names([page]) == ["Cached"]  # a new flow run, same bytes: not parsed again

    copy = tmp_path / "elsewhere.pdf"  # the same bytes under another name hit the cache, keep their own path
    copy.write_bytes(Path(page).read_bytes())
    assert parse_state_names([str(copy)]) == ["Cached"]
    assert parse_paths([str(copy)]) == [str(copy)]

    monkeypatch.setattr(tasks, "PARSER_VERSION", str(tasks.PARSER_VERSION) + "-next")
    assert parse_state_names([page]) == ["Completed"]  # new parser: parsed again
    assert parse_state_names([page]) == ["Cached"]


# --------------------------------------------------------------------------
# single writer, task runners, Dask
# --------------------------------------------------------------------------


def test_writer_lock_serialises_writers(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    inside: list[int] = []
    overlaps: list[int] = []

    def write(i: int) -> None:
        with writer_lock(db):
            if inside:
                overlaps.append(i)
            inside.append(i)
            time.sleep(0.02)
            inside.remove(i)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    with writer_lock(db):
        with pytest.raises(LockTimeout):
            with writer_lock(db, timeout=0.1):
                pass


def test_task_runner_for() -> None:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    assert isinstance(task_runner_for(None, 1), ThreadPoolTaskRunner)
    assert isinstance(task_runner_for(None, 4), ProcessPoolTaskRunner)
    assert isinstance(task_runner_for("tcp://127.0.0.1:8786", 1), DaskTaskRunner)
    assert isinstance(task_runner_for("local", 2), DaskTaskRunner)


def test_ingest_parses_on_a_dask_cluster(tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    from flows.ingest import ingest_edition

    day = dt.date(2024, 3, 4)
    folder = generate_edition(tmp_path, seed=21, language="en", n_pages=2, publication="herald", edition_date=day)
    with LocalCluster(n_workers=1, processes=False, threads_per_worker=2, dashboard_address=None) as cluster:
        run = ingest_edition.with_options(task_runner=task_runner_for(cluster.scheduler_address, 1))
        result = run(files=[str(folder)], publication="herald", edition_date=day, db=str(tmp_path / "wh.duckdb"))
        ran_on_dask = set(cluster.scheduler.task_prefixes)
    assert result["status"] == "loaded" and result["pages"] == 2
    assert any("parse" in name for name in ran_on_dask)
    assert warehouse_counts(tmp_path / "wh.duckdb")["editions"] == 1


def test_writer_lock_with_the_servers_global_concurrency_limit(tmp_path: Path) -> None:
    from flows.locks import WRITER_LIMIT, ensure_writer_limit

    assert ensure_writer_limit()
    assert ensure_writer_limit()  # idempotent
    with get_client(sync_client=True) as client:
        limit = client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
    assert limit.limit == 1
    with writer_lock(tmp_path / "wh.duckdb", server_limit=True):
        with get_client(sync_client=True) as client:
            assert client.read_global_concurrency_limit_by_name(WRITER_LIMIT).active_slots == 1
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(WRITER_LIMIT).active_slots == 0


# --------------------------------------------------------------------------
# what each day became: no_edition rows, date disagreements, final state messages
# --------------------------------------------------------------------------


def _flow_run(flow_run_id: str):
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id)


def _artifacts(flow_run_id: str) -> dict[str, object]:
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return {a.key: a.data for a in found}


def test_no_edition_days_date_disagreement_and_outcomes_in_the_warehouse_and_prefect(tmp_path: Path) -> None:
    import json

    d1, d2, d3 = dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)
    inbox = tmp_path / "inbox" / "gxsb"
    generate_edition(inbox.parent, seed=5, language="zh", n_pages=1, publication="gxsb", edition_date=d1)
    # d2: nothing in the inbox. d3: pages whose header prints 2023-12-30, dropped in d3's folder
    wrong = generate_edition(tmp_path / "elsewhere", seed=6, language="zh", n_pages=1, publication="gxsb",
                             edition_date=dt.date(2023, 12, 30))
    (inbox / d3.isoformat()).mkdir(parents=True)
    for f in wrong.glob("*.pdf"):
        (inbox / d3.isoformat() / f.name).write_bytes(f.read_bytes())
    cfg = write_config(tmp_path, """
[papers.gxsb]
name = "高新时报"
language = "zh"
timezone = "Asia/Shanghai"
cron = "30 6 * * *"
source = "inbox"
inbox = "inbox/{paper}/{date:%Y-%m-%d}/*.pdf"
""")
    db = tmp_path / "wh.duckdb"
    state = backfill(paper="gxsb", start=d1, end=d3, config=str(cfg), return_state=True)
    results = state.result()
    assert [r["status"] for r in results.values()] == ["loaded", "no_edition", "loaded"]

    # the warehouse: a no-edition day is a row, with the reason, listed by v_no_edition
    with Warehouse.open(db, read_only=True) as wh:
        missing = wh.sql("SELECT publication, edition_date, reason, looked_at FROM v_no_edition")
        runs = wh.sql("SELECT edition_date, status, reason, flow_run_id FROM ingest_runs ORDER BY edition_date")
        warning = wh.sql("SELECT edition_date, date_warning FROM v_editions WHERE date_warning IS NOT NULL")
    looked_at = str(tmp_path / "inbox" / "gxsb" / "2024-01-02" / "*.pdf")
    assert missing == [("gxsb", d2, f"nothing at {looked_at}", looked_at)]
    assert [(r[0], r[1]) for r in runs] == [(d1, "loaded"), (d2, "no_edition"), (d3, "loaded")]
    assert runs[1][2] == f"nothing at {looked_at}"
    # the date printed in the header disagrees with the folder's: recorded on the edition
    assert len(warning) == 1 and warning[0][0] == d3
    assert "2023-12-30" in warning[0][1] and "2024-01-03" in warning[0][1] and "date from option" in warning[0][1]
    assert results["2024-01-03"]["date_warning"] == warning[0][1]

    # Prefect: each run's outcome is its final state's message
    loaded = _flow_run(runs[0][3])
    assert loaded.state.is_completed()
    assert loaded.state.message.startswith("gxsb 2024-01-01 loaded: pages 1, articles ")
    assert loaded.state.message.endswith("quarantined 0")
    none = _flow_run(runs[1][3])  # the daily-ingest run that found nothing
    assert none.state.is_completed() and none.state.message == f"gxsb 2024-01-02 no_edition: nothing at {looked_at}"
    assert "date warning: page headers print 2023-12-30" in _flow_run(runs[2][3]).state.message
    assert state.message == "backfill gxsb 2024-01-01..2024-01-03: loaded 2, no_edition 1"
    # artifacts: the no-edition day has its own summary, the backfill table says why
    day_artifacts = _artifacts(runs[1][3])
    assert "no_edition" in str(day_artifacts["edition-gxsb-2024-01-02-summary"])
    table = _artifacts(str(state.state_details.flow_run_id))["backfill-gxsb"]
    rows = json.loads(table) if isinstance(table, str) else table
    assert [(r["date"], r["status"]) for r in rows][1] == ("2024-01-02", "no_edition")
    assert rows[1]["reason"] == f"nothing at {looked_at}" and "2023-12-30" in rows[2]["reason"]

    # the paper turns up late: the day leaves v_no_edition
    generate_edition(inbox.parent, seed=7, language="zh", n_pages=1, publication="gxsb", edition_date=d2)
    assert daily_ingest(paper="gxsb", config=str(cfg), edition_date=d2)["status"] == "loaded"
    with Warehouse.open(db, read_only=True) as wh:
        assert wh.sql("SELECT count(*) FROM v_no_edition") == [(0,)]
        assert wh.sql("SELECT status FROM ingest_files WHERE sha256 = ''") == [("superseded",)]


# --------------------------------------------------------------------------
# broadsheet serve: stops on SIGTERM / SIGINT, also when the server is gone
# --------------------------------------------------------------------------


class TcpRelay:
    """A TCP relay to the session's Prefect server, to make "the server is gone" real: ``close()``."""

    def __init__(self, target: tuple[str, int]) -> None:
        import socket

        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def close(self) -> None:
        import socket

        self.closed = True
        for s in [self.listener, *self.sockets]:  # shutdown, not just close: threads are blocked in them
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def _start_serve(tmp_path: Path, code: str, api_url: str, ignore_sigint: bool = False):
    import os
    import signal
    import subprocess
    import sys

    cfg = write_config(tmp_path, f"""
[papers.{code}]
name = "Serve test"
language = "en"
timezone = "UTC"
cron = "0 5 1 1 *"
source = "inbox"
inbox = "inbox/{{paper}}/{{date:%Y-%m-%d}}/*.pdf"
""")
    env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    log = (tmp_path / "serve.log").open("ab")
    preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None  # like `serve &`
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", "--config", str(cfg)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec)
    return proc, tmp_path / "serve.log"


def _wait_until_served(proc, log: Path, deployment: str, times: int = 1) -> None:
    """Until serve printed its start message (the ``times``-th one in an appended log) and the deployment exists."""
    deadline = time.monotonic() + 240  # imports and registration on a loaded 2-core machine
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")
        if log.read_text(errors="replace").count("Your deployments are being served") >= times:
            _read_deployment(deployment)
            time.sleep(2)  # the runner's poll loop starts right after the message
            return
        time.sleep(0.5)
    raise AssertionError("serve did not come up: " + log.read_text(errors="replace"))


def _read_deployment(name: str):
    with get_client(sync_client=True) as client:
        return client.read_deployment_by_name(name)


def test_serve_stops_on_sigterm_and_pauses_its_deployments(tmp_path: Path) -> None:
    import signal

    from prefect.settings import PREFECT_API_URL

    proc, log = _start_serve(tmp_path, "servesigterm", PREFECT_API_URL.value())
    try:
        _wait_until_served(proc, log, "daily-ingest/servesigterm")
        assert _read_deployment("daily-ingest/servesigterm").paused is False
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)  # a hang, not a speed check: shutdown is bounded by SHUTDOWN_GRACE
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text(errors="replace")
    assert code == 0, text
    assert "SIGTERM received" in text and "broadsheet serve: stopped" in text
    assert _read_deployment("daily-ingest/servesigterm").paused is True  # paused on the way out
    # serving again resumes them
    again, log = _start_serve(tmp_path, "servesigterm", PREFECT_API_URL.value())
    try:
        _wait_until_served(again, log, "daily-ingest/servesigterm", times=2)
        assert _read_deployment("daily-ingest/servesigterm").paused is False
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=60) == 0
    finally:
        if again.poll() is None:
            again.kill()


def test_backgrounded_serve_stops_on_sigint_when_the_server_is_gone(tmp_path: Path) -> None:
    import signal
    from urllib.parse import urlsplit

    from prefect.settings import PREFECT_API_URL

    api = urlsplit(PREFECT_API_URL.value())
    relay = TcpRelay((api.hostname, api.port))
    proc, log = _start_serve(tmp_path, "servesigint", f"http://127.0.0.1:{relay.port}{api.path}", ignore_sigint=True)
    try:
        _wait_until_served(proc, log, "daily-ingest/servesigint")
        relay.close()  # the Prefect server is gone, as far as serve can tell
        time.sleep(1)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)  # a hang, not a speed check (it hung until SIGKILL before)
    finally:
        relay.close()
        if proc.poll() is None:
            proc.kill()
    text = log.read_text(errors="replace")
    assert code in (0, 3), text
    assert "SIGINT received" in text
    # the deployments could not be paused: they stay active for the next serve
    assert _read_deployment("daily-ingest/servesigint").paused is False
