"""The CLI mirrors the Python API; every option is exercised here on real files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from flows.cli import build_parser, main


def cli(*args: str) -> tuple[int, str]:
    """Run ``broadsheet ARGS``; return its exit code and what it printed."""
    out = io.StringIO()
    code = main(list(args), stdout=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_dir) -> Path:
    path = tmp_path_factory.mktemp("cli") / "w.duckdb"
    assert main(["ingest", str(sample_dir), "--db", str(path)]) == 0
    return path


def test_ingest_options_paper_date_force_engine(tmp_path, sample_dir):
    path = tmp_path / "w.duckdb"
    files = sorted((sample_dir / "daily-herald" / "2024-03-15").glob("*.pdf"))
    args = ["ingest", *map(str, files), "--db", str(path), "--paper", "herald-test", "--date", "2024-03-16",
            "--engine", "pdfplumber", "--workers", "1"]
    code, out = cli(*args)
    assert code == 0
    assert "herald-test 2024-03-16" in out and "publication from option, date from option" in out
    code, out = cli(*args)
    assert code == 0 and "skipped_unchanged" in out
    code, out = cli(*args, "--force")
    assert code == 0 and "unchanged" in out


def test_db_from_environment(tmp_path, sample_dir, monkeypatch):
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("BROADSHEET_DB", str(path))
    assert main(["ingest", str(sample_dir / "daily-herald")]) == 0
    assert path.exists()
    code, out = cli("summary")
    assert code == 0 and "articles" in out


def test_search_options(db):
    code, out = cli("search", "budget", "--db", str(db), "--limit", "2", "--json")
    assert code == 0
    hits = json.loads(out)
    assert 0 < len(hits) <= 2
    assert all("budget" in (h["headline"] + h["body"]).lower() for h in hits)
    code, out = cli("search", "高新区", "--db", str(db), "--paper", "gxsb")
    assert code == 0
    assert "gxsb" in out and "daily-herald" not in out


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_formats_and_filters(db, tmp_path, fmt):
    out_dir = tmp_path / fmt
    code, printed = cli("export", "--db", str(db), "--format", fmt, "--out", str(out_dir), "--paper", "gxsb",
                        "--from", "2022-04-01", "--to", "2022-04-30")
    assert code == 0
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    assert files
    con = duckdb.connect(str(db), read_only=True)
    expected = con.execute("select count(*) from articles where publication = 'gxsb'").fetchone()[0]
    con.close()
    assert "articles" in printed and "ingest_runs" in printed and "ingest_files" in printed
    if fmt == "parquet":
        parts = [p for p in (out_dir / "articles").rglob("*.parquet")]
        assert parts and all(p.relative_to(out_dir / "articles").parts[:2] == ("gxsb", "2022-04") for p in parts)
        assert sum(pq.read_table(p).num_rows for p in parts) == expected
    elif fmt == "jsonl":
        assert len((out_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()) == expected


def test_eval_corpus_and_predictions_options(tmp_path, sample_dir):
    truth = tmp_path / "truth"
    import shutil

    shutil.copytree(sample_dir / "daily-herald", truth / "daily-herald")
    out_json = tmp_path / "eval.json"
    assert main(["eval", str(truth), "--json", str(out_json), "--engine", "pdfium"]) == 0
    report = json.loads(out_json.read_text())
    assert report["overall"]["broadsheet"]["article_f1"] > report["overall"]["baseline"]["article_f1"]
    truth_json = json.loads((truth / "daily-herald" / "2024-03-15" / "truth.json").read_text())
    preds = tmp_path / "preds.jsonl"
    with preds.open("w") as f:
        for a in truth_json["articles"]:
            f.write(json.dumps({"source_file": str(truth / "daily-herald" / "2024-03-15" / "page_01.pdf"),
                                "headline": a["headline"], "body": "\n".join(a["paragraphs"]),
                                "byline": a["byline"], "pages": a["pages"]}) + "\n")
    assert main(["eval", str(truth), "--predictions", str(preds), "--json", str(out_json)]) == 0
    assert json.loads(out_json.read_text())["overall"]["broadsheet"]["article_recall"] == 1.0


def test_corpus_and_samples_commands(tmp_path):
    assert main(["samples", str(tmp_path / "samples")]) == 0
    assert (tmp_path / "samples" / "gxsb" / "2022-04-06" / "truth.json").exists()


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ["ingest", "eval", "corpus", "samples", "backfill", "serve", "search", "export", "inspect", "summary",
                 "sql", "fts-path"]:
        assert name in sub.choices
        assert sub.choices[name].format_help()


def test_sql_runs_statements_on_the_snapshot_with_fts_loaded(db):
    code, out = cli("sql", "--db", str(db), "-c",
                    "SELECT count(*) AS n FROM editions; SELECT headline FROM search_articles('防汛 预警', n := 1)")
    assert code == 0 and out.count("┌") == 2  # one table per statement
    assert "│     2 │" in out and "双桥办事处举办招聘会" in out
    code, out = cli("sql", "--db", str(db), "--csv", "-c", "SELECT publication, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1")
    assert code == 0 and out.splitlines() == ["publication,n", "daily-herald,20", "gxsb,36"]
    code, _ = cli("sql", "--db", str(db), "-c", "SELECT no_such_column")
    assert code == 1
    code, _ = cli("sql", "--db", str(db), "-c", "CREATE TABLE x (a INT)")  # read-only
    assert code == 1


def test_sql_interactive_shell_on_a_terminal(db):
    """On a terminal ``broadsheet sql`` is a shell: statements end at ';', .quit leaves."""
    import os
    import pty
    import subprocess
    import sys
    import time

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "sql", "--db", str(db)],
                            stdin=follower, stdout=follower, stderr=follower, cwd=Path(__file__).parents[1])
    os.close(follower)
    os.write(leader, b"SELECT count(*) AS editions\nFROM editions;\n.quit\n")
    out = b""
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            out += os.read(leader, 4096)
        except OSError:
            break
    proc.wait(timeout=30)
    os.close(leader)
    text = out.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "fts loaded" in text and "│ editions │" in text and "│        2 │" in text


def test_fts_path_prints_a_loadable_extension(db):
    code, out = cli("fts-path")
    path = out.strip()
    assert code == 0 and Path(path).is_file()
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(f"LOAD '{path}'")
        assert con.execute("SELECT count(*) FROM search_articles('budget', n := 3)").fetchall()[0][0] > 0
    finally:
        con.close()


def test_backfill_from_another_folder_says_which_config_in_one_line(tmp_path, monkeypatch, capsys):
    """No traceback and no FAILED backfill run: the config is checked before any flow run."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    async def backfill_runs() -> int:
        async with get_client() as client:
            return len(await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["backfill"]))))

    before = asyncio.run(backfill_runs())
    monkeypatch.chdir(tmp_path)
    code = main(["backfill", "--paper", "gxsb", "--from", "2024-01-01", "--to", "2024-01-02"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert str(tmp_path / "broadsheet.toml") in err and "--config" in err
    assert asyncio.run(backfill_runs()) == before
