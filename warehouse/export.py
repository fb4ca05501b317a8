"""Exports of the warehouse tables: Parquet (partitioned), JSON lines, CSV.

Parquet goes through DuckDB's ``COPY ... (FORMAT parquet, PARTITION_BY
(publication, year, month))``: ``<out>/<table>/publication=gxsb/year=2022/
month=4/data_0.parquet``; read back with ``hive_partitioning=true``.  JSON
lines and CSV write one file per table: ``<out>/<table>.jsonl|csv``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

FORMATS = ("parquet", "jsonl", "csv")

# table -> SELECT that yields the table's rows plus publication and edition_date
_SOURCES = {
    "editions": "SELECT t.* FROM editions t",
    "articles": "SELECT t.* FROM articles t",
    "pages": "SELECT t.*, e.publication, e.edition_date FROM pages t JOIN editions e USING (edition_id)",
    "article_people": (
        "SELECT t.*, a.publication, a.edition_date FROM article_people t "
        "JOIN articles a ON a.article_id = t.article_id"
    ),
    "article_tags": (
        "SELECT t.*, a.publication, a.edition_date FROM article_tags t "
        "JOIN articles a ON a.article_id = t.article_id"
    ),
}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _where(publication: str | None, date_from: dt.date | None, date_to: dt.date | None) -> str:
    alias = "src"
    conds = []
    if publication is not None:
        conds.append(f"{alias}.publication = {_literal(publication)}")
    if date_from is not None:
        conds.append(f"{alias}.edition_date >= DATE {_literal(date_from.isoformat())}")
    if date_to is not None:
        conds.append(f"{alias}.edition_date <= DATE {_literal(date_to.isoformat())}")
    return (" WHERE " + " AND ".join(conds)) if conds else ""


def export_tables(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path | str,
    fmt: str = "parquet",
    publication: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict[str, Path]:
    """Write every contract table; return table -> file or directory written."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    where = _where(publication, date_from, date_to)
    for table, source in _SOURCES.items():
        query = f"SELECT * FROM ({source}) src{where} ORDER BY ALL"
        if fmt == "parquet":
            target = out / table
            if target.exists():
                shutil.rmtree(target)
            query = (
                f"SELECT *, year(edition_date) AS year, month(edition_date) AS month "
                f"FROM ({source}) src{where}"
            )
            con.execute(
                f"COPY ({query}) TO {_literal(str(target))} "
                "(FORMAT parquet, PARTITION_BY (publication, year, month))"
            )
            target.mkdir(exist_ok=True)  # an empty selection still leaves the folder
        elif fmt == "jsonl":
            target = out / f"{table}.jsonl"
            con.execute(f"COPY ({query}) TO {_literal(str(target))} (FORMAT json)")
        else:
            target = out / f"{table}.csv"
            con.execute(f"COPY ({query}) TO {_literal(str(target))} (FORMAT csv, HEADER true)")
        written[table] = target
    return written
