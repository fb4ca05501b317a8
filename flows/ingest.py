"""The ``ingest-edition`` flow: files of one edition → stages → one atomic load.

Stage logic lives in ``tasks/``; this module only wires it into Prefect:
parse tasks per file (parallel, cached on file sha256 + parser version),
one build task (segment + tag), one load task that holds the single-writer
lock, and a run artifact that says what was loaded and what was not.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run
from prefect.states import Completed, State

from flows.locks import writer_lock
from flows.parse import parse_files
from flows.runners import task_runner_for
from tasks.extract import dedupe_files, file_sha256
from tasks.model import Edition, Quarantined
from tasks.pipeline import ParsedFile, build_edition, expand_paths, resolve_edition
import warehouse
from warehouse.store import Warehouse, default_db_path
from tasks.version import code_version


@task(name="build-edition")
def build_edition_task(
    parsed: list[ParsedFile], publication: str, edition_date: dt.date, date_source: str, db: str
) -> Edition:
    idf = warehouse.read_idf(db)
    return build_edition(parsed, publication, edition_date, idf=idf, date_source=date_source)


@task(name="inspect-report")
def inspect_report_task(edition: Edition, report_dir: Path) -> Path:
    from tasks.inspect import edition_report

    out = edition_report(edition, report_dir / f"{edition.publication}-{edition.edition_date.isoformat()}.html")
    create_link_artifact(
        key=f"report-{edition.publication}-{edition.edition_date.isoformat()}".lower().replace("_", "-"),
        link=out.resolve().as_uri(),
        link_text=f"{edition.publication} {edition.edition_date}: what the engine saw",
        description="Page pictures with columns, blocks and numbered articles, beside the articles extracted",
    )
    return out


@task(name="load-edition")
def load_edition_task(edition: Edition, db: str, run_id: str, version: str) -> dict[str, Any]:
    with writer_lock(db):
        with warehouse.connect(db) as wh:
            result = wh.load_edition(edition, run_id=run_id, code_version=version)
            wh.refresh_fts()
            wh.maybe_learn_idf()
    # the snapshot is published after the run row is final (``ingest_edition``'s finally)
    return result


def _artifact(summary: dict[str, Any], edition: Edition | None, timings: dict[str, float]) -> None:
    rows: list[dict[str, Any]] = []
    if edition is not None:
        for a in edition.articles:
            rows.append(
                {
                    "pages": ",".join(map(str, a.page_numbers)),
                    "headline": a.headline[:60],
                    "chars": len(a.body),
                    "byline": a.byline[:40],
                    "dateline_date": a.dateline_date.isoformat() if a.dateline_date else "",
                }
            )
    key = f"edition-{summary['publication']}-{summary['edition_date']}".lower().replace("_", "-")
    create_table_artifact(key=key + "-articles", table=rows or [{"articles": 0}], description="Articles loaded")
    bad = summary.get("quarantined_files", [])
    lines = [
        f"# {summary['publication']} {summary['edition_date']}: {summary['status']}",
        "",
        f"- files: {summary['files']}, pages: {summary['pages']}, articles: {summary['articles']}, "
        f"quarantined: {len(bad)}",
        f"- {summary.get('date_source', '')}",
        "- timings (s): " + ", ".join(f"{k} {v:.2f}" for k, v in timings.items()),
        "",
    ]
    if bad:
        lines += ["| file | status | reason |", "|---|---|---|"]
        lines += [f"| {q['path']} | {q['status']} | {q['reason']} |" for q in bad]
    create_markdown_artifact(key=key + "-summary", markdown="\n".join(lines), description="Edition run summary")


@flow(name="ingest-edition", log_prints=True)
def ingest_edition(
    files: list[str],
    publication: str | None = None,
    edition_date: dt.date | None = None,
    db: str | None = None,
    force: bool = False,
    engine: str = "pdfium",
    report_dir: str | None = None,
    ocr: str = "auto",
) -> State:
    """Ingest the files of one edition into the warehouse, atomically.

    With ``report_dir`` it also writes the edition's inspect report (page
    pictures beside the extracted articles) and links it from the run.
    """
    log = get_run_logger()
    db = str(db or default_db_path())
    version = code_version()
    run_id = uuid.uuid4().hex
    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    paths = expand_paths(files)
    unique, duplicates = dedupe_files(paths)
    problems = [
        Quarantined(str(dup), file_sha256(dup), "duplicate", f"same bytes as {orig}") for dup, orig in duplicates
    ]
    pub, date, source = resolve_edition(unique, [], publication, edition_date)
    known_date = "date from option" in source or "date from path" in source

    with _writer(db) as wh:
        wh.start_run(run_id, str(flow_run.id or ""), version, pub if known_date else None, date if known_date else None)
        if known_date and not force:
            shas = sorted(file_sha256(p) for p in unique)
            if wh.is_unchanged(pub, date, shas, version):
                reason = "same files and code version already loaded"
                wh.record_files([(str(p), sha, "skipped_unchanged", reason) for p, sha in zip(unique, shas)], run_id)
                wh.finish_run(run_id, "skipped_unchanged", {"files": len(unique)}, reason=reason)
                wh.write_snapshot()  # readers see the run closed, never a phantom 'running'
                log.info(f"{pub} {date}: unchanged since last load, skipped (use force to reload)")
                return completed(_summary(pub, date, "skipped_unchanged", len(paths), None, source, run_id)
                                 | {"reason": reason})

    status, edition, error, report = "failed", None, "", None
    try:
        parsed: list[ParsedFile] = parse_files([str(p) for p in unique], engine, ocr)
        timings["parse"] = time.perf_counter() - t0
        pub, date, source = resolve_edition(unique, parsed, publication, edition_date)
        log.info(f"edition {pub} {date} ({source}); {len(unique)} files")

        t1 = time.perf_counter()
        edition = build_edition_task(parsed, pub, date, source, db)
        edition.quarantined.extend(problems)
        timings["segment+tag"] = time.perf_counter() - t1
        if edition.date_warning:
            log.warning(f"{pub} {date}: date disagreement: {edition.date_warning}")

        t2 = time.perf_counter()
        if edition.articles or edition.pages:
            status = load_edition_task(edition, db, run_id, version).get("status", "loaded")
        else:
            with _writer(db) as wh:
                wh.record_quarantine(edition, run_id)
            status = "nothing_loaded"
        timings["load"] = time.perf_counter() - t2
        if report_dir and edition.pages:
            report = inspect_report_task(edition, Path(report_dir))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        summary = _summary(pub, date, status, len(paths), edition, source, run_id)
        with _writer(db) as wh:
            wh.finish_run(
                run_id,
                status,
                {"files": len(paths), "pages": summary["pages"], "articles": summary["articles"],
                 "quarantined": len(summary["quarantined_files"])},
                error=error or None,
                publication=pub,
                edition_date=date,
            )
            # one publication per edition run, after its run row is final
            wh.write_snapshot()
        if report is not None:
            summary["report"] = str(report)
        _artifact(summary, edition, timings)
    for q in summary["quarantined_files"]:
        log.warning(f"quarantined {q['path']}: {q['status']}: {q['reason']}")
    log.info(outcome_message(summary))
    return completed(summary)


def outcome_message(summary: dict[str, Any]) -> str:
    """One line for the run's final state: ``gxsb 2024-01-02 loaded: pages 4, articles 36, quarantined 1``."""
    head = f"{summary.get('publication')} {summary.get('edition_date')} {summary.get('status')}"
    if summary.get("status") == "no_edition":
        return f"{head}: {summary.get('reason', '')}"
    if summary.get("status") == "skipped_unchanged":
        return f"{head}: files {summary.get('files', 0)}, {summary.get('reason') or 'already loaded'}"
    line = (f"{head}: pages {summary.get('pages', 0)}, articles {summary.get('articles', 0)}, "
            f"quarantined {len(summary.get('quarantined_files', []))}")
    if summary.get("date_warning"):
        line += f"; date warning: {summary['date_warning']}"
    return line


def completed(summary: dict[str, Any]) -> State:
    """The flow's final state: Completed, with the outcome as its message
    (shown in the UI and by ``prefect flow-run inspect``) and the summary as
    its result (what a caller of the flow gets back)."""
    return Completed(message=outcome_message(summary), data=summary)


@contextmanager
def _writer(db: str) -> Iterator[Warehouse]:
    """A read-write warehouse connection held only under the single-writer lock
    (a DuckDB file; a lake takes none: ``flows.locks.writer_lock``)."""
    with writer_lock(db), warehouse.connect(db) as wh:
        yield wh


def _summary(
    pub: str, date: dt.date, status: str, files: int, edition: Edition | None, source: str, run_id: str
) -> dict[str, Any]:
    quarantined = [
        {"path": q.path, "status": q.status, "reason": q.reason, "page": q.page_index}
        for q in (edition.quarantined if edition else [])
    ]
    return {
        "publication": pub,
        "edition_date": date.isoformat(),
        "status": status,
        "files": files,
        "pages": len(edition.pages) if edition else 0,
        "articles": len(edition.articles) if edition else 0,
        "quarantined_files": quarantined,
        "date_source": source,
        "date_warning": edition.date_warning if edition else "",
        "run_id": run_id,
    }


def run_ingest(
    paths: list[str],
    publication: str | None = None,
    edition_date: dt.date | None = None,
    db: str | None = None,
    force: bool = False,
    engine: str = "pdfium",
    workers: int = 0,
    dask_address: str | None = None,
    report_dir: str | None = None,
    ocr: str = "auto",
    progress: bool | None = None,
) -> list[dict[str, Any]]:
    """Group the given files into editions and ingest them all (``flows.batch``).

    Files are parsed on ``workers`` processes (0: one per CPU) or on the Dask
    scheduler at ``dask_address``; editions are loaded in writer windows by
    one ``ingest-editions`` flow run, a ``load <paper> <date>`` task run each.
    """
    from flows.batch import run_paths

    return run_paths(paths, publication, edition_date, db, force=force, engine=engine, workers=workers,
                     dask_address=dask_address, report_dir=report_dir, progress=progress, ocr=ocr)


def group_editions(
    files: list[Path], publication: str | None, edition_date: dt.date | None
) -> dict[tuple[str | None, dt.date | None], list[Path]]:
    """Files grouped by the edition their path names (options override)."""
    from tasks.pipeline import edition_from_path

    groups: dict[tuple[str | None, dt.date | None], list[Path]] = {}
    for f in files:
        paper, date = edition_from_path(f)
        key = (publication or paper, edition_date or date)
        groups.setdefault(key, []).append(f)
    return groups


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(run_ingest(sys.argv[1:], db=os.environ.get("BROADSHEET_DB")))
