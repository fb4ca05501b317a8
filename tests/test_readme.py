"""Every code block of the README runs, as written.

- ``sql`` blocks run against a warehouse of the sample editions;
- ``bash`` and ``python`` blocks run in README order in a fresh folder holding
  a copy of ``samples/`` (the quick start's ``broadsheet ingest samples/``
  makes the warehouse the later blocks read), as subprocesses against the
  session's Prefect server; ``pip install -e ...`` is replaced by a check that
  the package is installed (installing is CI's first step);
- blocks after ``<!-- readme-test: runbook -->`` run one after another in one
  bash session (so ``$SERVE_PID`` carries over), against the session's Prefect
  server, in a folder with a one-paper ``broadsheet.toml`` and an inbox that
  holds editions for 2024-01-01 and 2024-01-02 (2024-01-03 has none);
- ``<!-- readme-test: synopsis -->``: every option shown exists;
- ``toml`` blocks load as a config; ``yaml`` blocks are entries of topics.yaml;
- ``<!-- readme-test: skip: REASON -->`` says why a block cannot run here.

Unlabelled fences are program output or diagrams, not code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tasks.pipeline import expand_paths, process_files
from warehouse.search import fts_extension_path
from warehouse.store import Warehouse

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
_BLOCK = re.compile(r"(?:<!-- readme-test: (?P<directive>[^\n]*?) -->\n)?^```(?P<lang>[a-z]*)\n(?P<code>.*?)^```",
                    re.S | re.M)


@dataclass(frozen=True)
class Block:
    lang: str
    code: str
    directive: str
    line: int

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang}"


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [Block(m["lang"], m["code"], (m["directive"] or "").strip(), text.count("\n", 0, m.start("code")))
            for m in _BLOCK.finditer(text)]


def _kind(b: Block) -> str:
    if b.directive.startswith("skip:"):
        return "skip"
    if b.directive in ("runbook", "synopsis"):
        return b.directive
    return b.lang or "output"


def sql_blocks() -> list[str]:
    return [b.code.strip() for b in blocks() if _kind(b) == "sql"]


def _env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    env["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("BROADSHEET_DB", None)
    return env


def test_every_block_is_run_or_says_why_not():
    kinds = [_kind(b) for b in blocks()]
    assert set(kinds) <= {"skip", "runbook", "synopsis", "sql", "bash", "python", "toml", "yaml", "output"}
    skipped = [b for b in blocks() if _kind(b) == "skip"]
    assert all(len(b.directive) > len("skip: ") + 10 for b in skipped)  # a reason, not just "skip"
    assert len(skipped) <= 4, [b.id for b in skipped]
    assert kinds.count("runbook") >= 5 and kinds.count("sql") >= 5
    assert kinds.count("bash") >= 4 and kinds.count("python") >= 3


# --------------------------------------------------------------------------
# SQL blocks
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, sample_dir) -> Path:
    db = tmp_path_factory.mktemp("readme") / "broadsheet.duckdb"
    with Warehouse.open(db) as wh:
        for edition_dir in sorted(p for p in sample_dir.glob("*/*") if p.is_dir()):
            edition = process_files(expand_paths([edition_dir]))
            run_id = f"readme-{edition_dir.parent.name}"
            wh.start_run(run_id, f"flow-run-{run_id}", "test", edition.publication, edition.edition_date)
            wh.load_edition(edition, run_id=run_id, code_version="test")
            wh.finish_run(run_id, "loaded")
        # a day whose inbox folder is empty, for the v_no_edition example
        wh.record_no_edition("readme-none", "flow-run-none", "test", "gxsb", dt.date(2022, 4, 7),
                             "inbox/gxsb/2022-04-07/*.pdf", "nothing at inbox/gxsb/2022-04-07/*.pdf")
        wh.refresh_fts()
    return db


def test_sample_stitched_articles_keep_their_jump_pages(sample_db):
    """Each bundled edition has one story jumped to a later page: stitched, it keeps jump_to/jump_from."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        rows = con.execute("SELECT publication, page_numbers, jump_to, jump_from FROM articles "
                           "WHERE len(page_numbers) > 1 ORDER BY publication").fetchall()
    finally:
        con.close()
    assert rows == [("daily-herald", [1, 2], 2, 1), ("gxsb", [1, 3], 3, 1)]


def test_readme_has_sql_examples():
    assert len(sql_blocks()) >= 5


@pytest.mark.parametrize("sql", sql_blocks(), ids=lambda s: s.splitlines()[-1][:40])
def test_readme_sql_runs_and_returns_rows(sample_db, sql):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        con.execute(f"LOAD '{fts_extension_path()}'")
        statements = [s for s in sql.split(";") if s.strip() and not s.strip().startswith("--")]
        rows = None
        for statement in statements:
            rows = con.execute(statement).fetchall()
        assert rows, f"no rows from: {sql}"
    finally:
        con.close()


# --------------------------------------------------------------------------
# the command synopsis, the config and the topics excerpt
# --------------------------------------------------------------------------


def test_synopsis_shows_only_options_that_exist():
    from flows.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices
    (synopsis,) = [b for b in blocks() if _kind(b) == "synopsis"]
    command = None
    shown: dict[str, set[str]] = {}
    for line in synopsis.code.splitlines():
        m = re.match(r"broadsheet ([a-z-]+)", line)
        if m:
            command = m[1]
        assert command in sub, line
        code = line.split("#")[0]
        shown.setdefault(command, set()).update(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", code))
    for command, options in shown.items():
        known = {o for a in sub[command]._actions for o in a.option_strings}
        assert options <= known, (command, options - known)
    assert {"--config", "--db", "--refresh", "--workers", "--dask-address"} <= shown["backfill"]
    assert set(sub) <= set(shown) | {"help"}, set(sub) - set(shown)  # every command is in the synopsis


def test_toml_blocks_are_valid_configs(tmp_path):
    from flows.config import parse_config

    tomls = [b for b in blocks() if _kind(b) == "toml"]
    assert tomls
    for b in tomls:
        papers = parse_config(tomllib.loads(b.code), tmp_path)
        assert papers


def test_yaml_blocks_are_entries_of_the_topics_file():
    import yaml

    topics = yaml.safe_load((REPO / "tasks" / "topics.yaml").read_text(encoding="utf-8"))
    entries = topics["topics"] if isinstance(topics, dict) else topics
    for b in (b for b in blocks() if _kind(b) == "yaml"):
        for entry in yaml.safe_load(b.code):
            assert entry in entries, entry


# --------------------------------------------------------------------------
# shell and Python blocks, in README order, in a fresh folder
# --------------------------------------------------------------------------


def _as_run_here(code: str) -> str:
    """``pip install -e X && ...`` -> check the package is installed instead (CI installs it)."""
    return re.sub(r"pip install -e \S+", "python -m pip show --quiet broadsheet", code)


def test_shell_and_python_blocks_run_in_order(tmp_path, sample_dir):
    shutil.copytree(sample_dir, tmp_path / "samples")
    env = _env()
    ran = []
    for b in blocks():
        kind = _kind(b)
        if kind == "bash":
            cmd = ["bash", "-euo", "pipefail", "-c", _as_run_here(b.code)]
        elif kind == "python":
            cmd = [sys.executable, "-c", b.code]
        else:
            continue
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, f"README line {b.line} ({kind}) failed:\n{b.code}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        ran.append((b, proc.stdout))
    outputs = "\n".join(out for _, out in ran)
    assert "gxsb 2022-04-06: loaded" in outputs  # the quick start loaded the samples
    assert (tmp_path / "export" / "ingest_runs").is_dir()  # the export block ran


# --------------------------------------------------------------------------
# the runbook, step by step, against the session's Prefect server
# --------------------------------------------------------------------------


def _runbook_folder(root: Path) -> Path:
    from tasks.evaluation.corpus import generate_edition

    config = (REPO / "broadsheet.toml").read_text(encoding="utf-8")
    config = config.split("[papers.herald]")[0]  # one paper: the other fetches from a site that is not there
    (root / "broadsheet.toml").write_text(config, encoding="utf-8")
    for i, day in enumerate((dt.date(2024, 1, 1), dt.date(2024, 1, 2))):
        generate_edition(root / "inbox", seed=40 + i, language="zh", n_pages=1, publication="gxsb", edition_date=day)
    return root


def _wait_for(path: Path, needle: str, proc: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text(errors="replace") if path.exists() else ""
        if needle in text:
            return text
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"waited for {needle!r} in {path.name}:\n" + (path.read_text(errors="replace")
                                                                    if path.exists() else "(missing)")[-4000:])


def test_runbook_runs_against_the_prefect_server(tmp_path):
    folder = _runbook_folder(tmp_path)
    steps = [b for b in blocks() if _kind(b) == "runbook"]
    log = folder / "runbook.log"
    shell = subprocess.Popen(["bash"], stdin=subprocess.PIPE, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                             cwd=folder, env=_env(), text=True)
    assert shell.stdin is not None
    try:
        shell.stdin.write("set -euo pipefail\n")
        for n, step in enumerate(steps):
            shell.stdin.write(step.code + f"\necho __STEP_{n}_DONE__\n")
            if "broadsheet serve" in step.code:
                shell.stdin.write("echo \"$SERVE_PID\" > serve.pid\n")
            shell.stdin.flush()
            _wait_for(log, f"__STEP_{n}_DONE__", shell, timeout=900)
            if "broadsheet serve" in step.code:
                _wait_for(folder / "serve.log", "Your deployments are being served", shell, timeout=300)
                time.sleep(3)  # the runner's first poll
        shell.stdin.write("exit 0\n")
        shell.stdin.flush()
        assert shell.wait(timeout=120) == 0
    finally:
        pid_file = folder / "serve.pid"
        if pid_file.exists() and pid_file.read_text().strip():
            try:
                os.kill(int(pid_file.read_text()), 9)  # only if the shutdown step did not stop it
            except (ProcessLookupError, ValueError):
                pass
        if shell.poll() is None:
            shell.kill()
    out = log.read_text(errors="replace")
    assert "gxsb" in out and "2024-01-03" in out and "nothing at" in out  # v_no_edition lists the missing day
    serve_log = (folder / "serve.log").read_text(errors="replace")
    assert "SIGTERM received" in serve_log and "broadsheet serve: stopped" in serve_log
