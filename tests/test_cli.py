"""The CLI mirrors the Python API; every option is exercised here on real files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
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


# --------------------------------------------------------------------------
# bad input: one line on stderr, a non-zero exit, nothing written
# --------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def fails(capsys, *args: str) -> tuple[int, str]:
    """Run ``broadsheet ARGS`` expecting an error: its exit code and its one stderr line."""
    capsys.readouterr()
    code = main(list(args), stdout=io.StringIO())
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("broadsheet: ") and "Traceback" not in err, err
    return code, err.strip()


def _flow_runs(name: str) -> int:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    async def count() -> int:
        async with get_client() as client:
            return len(await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[name]))))

    return asyncio.run(count())


def test_ingest_of_a_missing_file_writes_nothing(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    before = _flow_runs("ingest-edition")
    code, err = fails(capsys, "ingest", "/no/such/file.pdf", "--db", str(db))
    assert code == 2 and err == "broadsheet: no such file or folder: /no/such/file.pdf"
    assert not db.exists() and not list(tmp_path.iterdir())
    assert _flow_runs("ingest-edition") == before  # no FAILED run left behind


def test_ingest_of_an_empty_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty_folder").mkdir()
    (tmp_path / "empty_folder" / "notes.docx").write_text("not a page")
    code, err = fails(capsys, "ingest", "empty_folder/", "--db", "w.duckdb")
    assert code == 2 and err == "broadsheet: no PDF or .txt files under empty_folder/"
    assert not (tmp_path / "w.duckdb").exists()


def test_a_warehouse_file_that_is_not_duckdb(tmp_path, capsys, sample_dir):
    db = tmp_path / "w.duckdb"
    db.write_text("id,headline\n1,not a database\n")
    page = next((sample_dir / "gxsb").rglob("*.pdf"))
    for args in (["ingest", str(page)], ["search", "高新区"], ["summary"], ["export", "--out", str(tmp_path / "x")]):
        code, err = fails(capsys, *args, "--db", str(db))
        assert code == 2 and err == f"broadsheet: {db} is not a DuckDB warehouse file (plain text); pass --db with a warehouse file"
    assert db.read_text() == "id,headline\n1,not a database\n"


def _hold(code: str) -> subprocess.Popen:
    """A second process running ``code`` until its stdin closes; returns once it holds what it takes."""
    proc = subprocess.Popen([sys.executable, "-c", code + "\nprint('held', flush=True)\nsys.stdin.read()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.parametrize("holder", ["writer_lock", "duckdb"])
def test_a_warehouse_locked_by_another_writer_past_the_timeout(tmp_path, capsys, sample_dir, holder):
    db = tmp_path / "w.duckdb"
    code = {
        "writer_lock": f"import sys\nfrom flows.locks import writer_lock\nheld = writer_lock({str(db)!r})\nheld.__enter__()",
        "duckdb": f"import sys, duckdb\ncon = duckdb.connect({str(db)!r})",
    }[holder]
    proc = _hold(code)
    try:
        page = next((sample_dir / "gxsb").rglob("*.pdf"))
        status, err = fails(capsys, "ingest", str(page), "--db", str(db), "--lock-timeout", "0.3")
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    assert status == 2
    assert err == (f"broadsheet: warehouse {db} is locked by another writer (waited 0.3 s; "
                   "--lock-timeout or BROADSHEET_LOCK_TIMEOUT sets how long to wait)")


def _without_root_file_access() -> None:
    """In the child, before exec: drop the capabilities that let root read past permission bits."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, from the bounding set exec keeps
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_an_unreadable_folder_and_file(tmp_path, sample_dir):
    """chmod 000 stops everyone but root; as root the CLI runs without root's file-access
    capabilities (a child process: no flow starts, so it needs no Prefect server)."""
    import shutil

    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(next((sample_dir / "gxsb").rglob("*.pdf")), locked / "page_01.pdf")
    secret = tmp_path / "secret.pdf"
    shutil.copy(locked / "page_01.pdf", secret)
    if os.geteuid() == 0:
        try:
            subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_without_root_file_access, check=True)
        except (subprocess.SubprocessError, OSError):
            pytest.skip("root here cannot drop CAP_DAC_OVERRIDE (no CAP_SETPCAP), so chmod 000 stops nobody")
    locked.chmod(0o000)
    secret.chmod(0o000)
    try:
        for target, message in ((locked, f"cannot read folder {locked}: permission denied"),
                                (secret, f"cannot read {secret}: permission denied")):
            run = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", str(target), "--db", str(tmp_path / "w.duckdb")],
                                 capture_output=True, text=True, cwd=REPO, timeout=120,
                                 preexec_fn=_without_root_file_access if os.geteuid() == 0 else None,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
            assert run.returncode == 2, run.stderr
            assert run.stderr.strip() == f"broadsheet: {message}", run.stderr
        assert not (tmp_path / "w.duckdb").exists()
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)


def test_bad_dates_and_ranges(tmp_path, capsys):
    before = _flow_runs("backfill")
    code, err = fails(capsys, "backfill", "--paper", "gxsb", "--from", "2024-02-01", "--to", "2024-01-01")
    assert code == 2 and err == "broadsheet: --from 2024-02-01 is after --to 2024-01-01"
    assert _flow_runs("backfill") == before
    code, err = fails(capsys, "ingest", str(tmp_path), "--date", "2024-13-01")
    assert code == 2
    assert err == ("broadsheet: argument --date: not a date: 2024-13-01 (month must be in 1..12); use YYYY-MM-DD "
                   "(see broadsheet ingest --help)")
    code, err = fails(capsys, "export", "--out", str(tmp_path / "x"), "--from", "2024-03-01", "--to", "2024-02-01")
    assert code == 2 and err == "broadsheet: --from 2024-03-01 is after --to 2024-02-01"
    assert not (tmp_path / "x").exists()


GOOD_PAPER = """
[papers.gxsb]
name = "高新时报"
language = "zh"
timezone = "Asia/Shanghai"
cron = "30 6 * * *"
source = "inbox"
inbox = "inbox/{paper}/{date:%Y-%m-%d}/*.pdf"
"""


@pytest.mark.parametrize("change, named", [
    (('cron = "30 6 * * *"', 'cron = "every morning"'), "papers.gxsb.cron"),
    (('source = "inbox"', 'source = "inbox"\ncolour = "red"'), "unknown keys ['colour']"),
    (('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'), "papers.gxsb.timezone"),
])
def test_a_bad_config_names_the_key(tmp_path, capsys, change, named):
    toml = tmp_path / "broadsheet.toml"
    toml.write_text(GOOD_PAPER.replace(*change), encoding="utf-8")
    for args in (["serve", "--config", str(toml)],
                 ["backfill", "--paper", "gxsb", "--from", "2024-01-01", "--to", "2024-01-02", "--config", str(toml)]):
        code, err = fails(capsys, *args)
        assert code == 2 and named in err and str(toml) in err


def test_verbose_adds_the_traceback(capsys, monkeypatch):
    for argv, env in ((["-v", "ingest", "/no/such/file.pdf"], None), (["ingest", "/no/such/file.pdf", "-v"], None),
                      (["ingest", "/no/such/file.pdf"], "1")):
        if env:
            monkeypatch.setenv("BROADSHEET_DEBUG", env)
        capsys.readouterr()
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err
        assert err.strip().splitlines()[-1] == "broadsheet: no such file or folder: /no/such/file.pdf"


# --------------------------------------------------------------------------
# inspect --page: the position in the file, printed numbers beside it
# --------------------------------------------------------------------------


def test_inspect_page_is_the_position_in_the_file(tmp_path, capsys):
    from tasks.evaluation.hostile import write_dense_pdf

    pdf = tmp_path / "folios.pdf"
    write_dense_pdf(pdf, pages=3, columns=4, size=9.0, seed=1, first_page=5)  # folios 5, 6, 7
    png = tmp_path / "p.png"
    code, out = cli("inspect", str(pdf), "--page", "2", "--out", str(png))
    assert code == 0 and out.strip() == f"wrote {png}: page 2 (printed 6)"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, err = fails(capsys, "inspect", str(pdf), "--page", "5", "--out", str(tmp_path / "q.png"))
    assert code == 2
    assert err == (f"broadsheet: {pdf} has no page 5 (--page counts pages in the file from 1); "
                   "pages there: 1 (printed 5), 2 (printed 6), 3 (printed 7)")
    assert not (tmp_path / "q.png").exists()


REAL_FRONT_PAGE = REPO.parent / "shared" / "real_pdfs" / "it_newspaper_la-repubblica_2024-10-21_p1.pdf"


@pytest.mark.skipif(not REAL_FRONT_PAGE.exists(), reason=f"{REAL_FRONT_PAGE} not present (publishers' PDFs are not in the repo)")
def test_inspect_page_1_of_a_real_front_page(tmp_path, capsys):
    png = tmp_path / "front.png"
    code, out = cli("inspect", str(REAL_FRONT_PAGE), "--page", "1", "--out", str(png))
    assert code == 0 and out.startswith(f"wrote {png}: page 1") and png.stat().st_size > 1000
    code, err = fails(capsys, "inspect", str(REAL_FRONT_PAGE), "--page", "2", "--out", str(tmp_path / "x.png"))
    assert code == 2 and err.endswith("pages there: " + out.strip().split(": page ", 1)[1])


@pytest.mark.parametrize("args, message", [
    (["eval", "/no/such/truth"], "no such folder: /no/such/truth"),
    (["inspect", "/no/such/page.pdf"], "no such file or folder: /no/such/page.pdf"),
    (["search", "x", "--db", "/no/such/w.duckdb"], "no warehouse at /no/such/w.duckdb; ingest something first or pass --db"),
    (["summary", "--db", "/no/such/w.duckdb"], "no warehouse at /no/such/w.duckdb; ingest something first or pass --db"),
    (["serve", "--config", "/no/such/broadsheet.toml"],
     "/no/such/broadsheet.toml: no such config file (looked for /no/such/broadsheet.toml)"),
    (["ingest"], "the following arguments are required: paths (see broadsheet ingest --help)"),
    (["inspect", "{tmp}/page.pdf"], "{tmp}/page.pdf is not a PDF (not_pdf): HTML document titled 'Login', not a PDF (47 bytes)"),
])
def test_every_command_says_what_is_missing_in_one_line(capsys, tmp_path, args, message):
    (tmp_path / "page.pdf").write_text("<html><title>Login</title><body></body></html>\n")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    message = message.replace("{tmp}", str(tmp_path))
    code, err = fails(capsys, *args)
    assert code == 2 and err == f"broadsheet: {message}"
