"""PDF in, articles in DuckDB: a real Prefect flow run into a real DuckDB file."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.ingest import run_ingest
from tests.conftest import read_rows

TABLES = ["editions", "pages", "articles", "article_people", "article_tags", "ingest_runs", "ingest_files"]


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def _query(db: Path, sql: str) -> list[tuple]:
    return read_rows(db, sql)


@pytest.fixture(scope="module")
def edition_dir(tmp_path_factory, sample_dir) -> Path:
    """The Chinese sample edition plus two bad files a publisher might send."""
    root = tmp_path_factory.mktemp("inbox")
    ed = root / "gxsb" / "2022-04-06"
    shutil.copytree(sample_dir / "gxsb" / "2022-04-06", ed)
    (ed / "page_98.pdf").write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    good = sorted(ed.glob("page_0*.pdf"))[0].read_bytes()
    (ed / "page_99.pdf").write_bytes(good[: len(good) // 3])
    (ed / "resend_page_01.pdf").write_bytes(good)  # the publisher sent page 1 twice
    return ed


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, edition_dir):
    db = tmp_path_factory.mktemp("wh") / "broadsheet.duckdb"
    summaries = run_ingest([str(edition_dir.parent)], db=str(db))
    return db, summaries


def test_edition_loads_with_bad_files_quarantined(loaded, edition_dir):
    db, summaries = loaded
    assert len(summaries) == 1
    s = summaries[0]
    assert s["status"] == "loaded"
    assert s["publication"] == "gxsb" and s["edition_date"] == "2022-04-06"
    truth = json.loads((edition_dir / "truth.json").read_text())
    assert s["articles"] >= len(truth["articles"]) - 1
    bad = {Path(p).name: (status, reason) for p, status, reason in
           _query(db, "select path, status, reason from ingest_files where status not in ('loaded')")}
    assert set(bad) == {"page_98.pdf", "page_99.pdf", "resend_page_01.pdf"}
    assert "HTML" in bad["page_98.pdf"][1]
    assert bad["page_99.pdf"][0] == "corrupt"
    assert bad["resend_page_01.pdf"] == ("duplicate", f"same bytes as {edition_dir / 'page_01.pdf'}")
    assert all(reason for _, reason in bad.values())


def test_articles_carry_lineage_and_people(loaded):
    db, _ = loaded
    rows = _query(db, """
        select a.article_id, a.page_numbers, a.source_files, r.flow_run_id, r.code_version
        from articles a join ingest_runs r using (run_id)""")
    assert rows
    for _, pages, files, flow_run_id, version in rows:
        assert pages and files and flow_run_id and version.startswith("broadsheet")
    roles = dict(_query(db, "select role, count(*) from article_people group by role"))
    assert roles.get("reporter", 0) > 0


def test_reingest_is_idempotent(loaded, edition_dir):
    db, _ = loaded
    before = _counts(db)
    ids_before = _query(db, "select article_id, loaded_at from articles order by 1")
    again = run_ingest([str(edition_dir)], db=str(db), force=True)
    assert again[0]["status"] in ("unchanged", "loaded")
    after = _counts(db)
    for t in ("editions", "pages", "articles", "article_people", "article_tags"):
        assert after[t] == before[t], t
    assert _query(db, "select article_id, loaded_at from articles order by 1") == ids_before
    skipped = run_ingest([str(edition_dir)], db=str(db))
    assert skipped[0]["status"] == "skipped_unchanged"
    assert _counts(db)["articles"] == before["articles"]


def test_cli_ingest_prints_what_it_loaded(tmp_path, sample_dir):
    db = tmp_path / "cli.duckdb"
    buf = io.StringIO()
    code = main(["ingest", str(sample_dir / "daily-herald"), "--db", str(db)], stdout=buf)
    out = buf.getvalue()
    assert code == 0
    assert "daily-herald" in out and "articles" in out
    assert _counts(db)["articles"] > 0


def test_cli_exits_nonzero_when_nothing_loads(tmp_path):
    bad = tmp_path / "x" / "2024-01-01"
    bad.mkdir(parents=True)
    (bad / "a.pdf").write_bytes(b"")
    buf = io.StringIO()
    code = main(["ingest", str(bad), "--db", str(tmp_path / "w.duckdb")], stdout=buf)
    assert code != 0
    assert "empty" in buf.getvalue().lower()


def test_a_pdf_bomb_costs_its_file_not_the_edition(tmp_path, sample_dir, monkeypatch):
    """A flate bomb is bounded by the per-file memory ceiling; the edition still loads."""
    from tasks.evaluation.hostile import write_flate_bomb

    ed = tmp_path / "gxsb" / "2022-04-06"
    shutil.copytree(sample_dir / "gxsb" / "2022-04-06", ed)
    write_flate_bomb(ed, name="page_97.pdf")
    monkeypatch.setenv("BROADSHEET_FILE_MEMORY_MB", "512")
    db = tmp_path / "w.duckdb"
    summary = run_ingest([str(ed)], db=str(db))[0]
    assert summary["status"] == "loaded" and summary["articles"] > 0
    bad = _query(db, "select status, reason from ingest_files where path like '%page_97.pdf'")
    assert bad and bad[0][0] in ("memory", "timeout", "corrupt"), bad


def test_edition_run_links_its_inspect_report(tmp_path, sample_dir):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    db, reports = tmp_path / "w.duckdb", tmp_path / "reports"
    summary = run_ingest([str(sample_dir / "daily-herald")], db=str(db), report_dir=str(reports))[0]
    report = Path(summary["report"])
    assert report.exists() and report.read_text(encoding="utf-8").count("data:image/png") == summary["pages"]
    with get_client(sync_client=True) as client:
        keys = ["report-daily-herald-2024-03-15", "edition-daily-herald-2024-03-15-summary"]
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))
    by_key = {a.key: a for a in found}
    assert set(keys) <= set(by_key)
    assert report.resolve().as_uri() in str(by_key[keys[0]].data)


def test_header_date_disagreement_is_a_warning_not_a_silent_override(sample_dir):
    """The sample gxsb pages print 2022年4月6日; loading them as 2024-01-02 must say so."""
    import datetime as dt

    from tasks.pipeline import expand_paths, header_date_warning, process_files

    files = expand_paths([sample_dir / "gxsb" / "2022-04-06"])
    edition = process_files(files, edition_date=dt.date(2024, 1, 2), guarded=False)
    assert edition.date_warning.startswith("page headers print 2022-04-06 on p1")
    assert "dated 2024-01-02 (date from option)" in edition.date_warning
    assert process_files(files, guarded=False).date_warning == ""  # path and header agree
    assert header_date_warning(edition.pages, dt.date(2022, 4, 6)) == ""
