"""The README's SQL examples run, as written, against the sample warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tasks.pipeline import expand_paths, process_files
from warehouse.search import fts_extension_path
from warehouse.store import Warehouse

README = Path(__file__).resolve().parents[1] / "README.md"


def sql_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```sql\n(.*?)```", text, flags=re.S)]


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
        wh.refresh_fts()
    return db


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
