"""Exports of the warehouse tables: Parquet (partitioned), JSON lines, CSV.

Every contract table is exported with exactly its own columns (the data
dictionary's), lineage included: ``editions``, ``pages``, ``articles``,
``article_people``, ``article_tags``, ``ingest_runs``, ``ingest_files``.

Parquet: one file per paper and month, in plain folders that add no column::

    <out>/<table>/<publication>/<YYYY-MM>/data.parquet

(``unknown-paper`` / ``unknown-date`` for a lineage row without them, ``empty.parquet``
when a table has no rows in the selection).  The folder names are not
``key=value``, so neither pandas/pyarrow nor DuckDB invent partition
columns: ``pd.read_parquet("<out>/articles")`` or DuckDB's
``read_parquet('<out>/articles/**/*.parquet')`` give the table's columns and
nothing else.  The files carry pandas metadata, so nullable integers
(``jump_to``, ``jump_from``, counts) come back as pandas ``Int32``/``Int64``,
not float64, and booleans as ``boolean``.

JSON lines and CSV write one file per table, ``<out>/<table>.jsonl|csv``.
They carry no types, so ``<out>/schema.json`` lists each table's columns with
their DuckDB and pandas types, and ``read_export(out, table)`` reads any of
the three formats back into pandas with those types.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("parquet", "jsonl", "csv")

# table -> FROM clause, and the expressions giving each row's paper and date
# (for filters and partition folders; they are not exported as columns)
_SOURCES: dict[str, tuple[str, str, str]] = {
    "editions": ("editions t", "t.publication", "t.edition_date"),
    "pages": ("pages t LEFT JOIN editions e USING (edition_id)", "e.publication", "e.edition_date"),
    "articles": ("articles t", "t.publication", "t.edition_date"),
    "article_people": (
        "article_people t LEFT JOIN articles a ON a.article_id = t.article_id", "a.publication", "a.edition_date"
    ),
    "article_tags": (
        "article_tags t LEFT JOIN articles a ON a.article_id = t.article_id", "a.publication", "a.edition_date"
    ),
    "ingest_runs": ("ingest_runs t", "t.publication", "t.edition_date"),
    "ingest_files": ("ingest_files t", "t.publication", "t.edition_date"),
}
TABLES = tuple(_SOURCES)

# arrow type -> pandas nullable dtype (what pandas gets instead of float64 / object)
_PANDAS_NULLABLE = {
    pa.int8(): "Int8", pa.int16(): "Int16", pa.int32(): "Int32", pa.int64(): "Int64",
    pa.uint8(): "UInt8", pa.uint16(): "UInt16", pa.uint32(): "UInt32", pa.uint64(): "UInt64",
    pa.bool_(): "boolean",
}
_NO_PAPER, _NO_DATE = "unknown-paper", "unknown-date"  # not "_x": pyarrow skips "_" folders


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _select(table: str, publication: str | None, date_from: dt.date | None, date_to: dt.date | None) -> str:
    """SELECT of the table's own columns plus ``_pub`` and ``_day``, filtered."""
    source, pub, day = _SOURCES[table]
    conds = []
    if publication is not None:
        conds.append(f"{pub} = {_literal(publication)}")
    if date_from is not None:
        conds.append(f"{day} >= DATE {_literal(date_from.isoformat())}")
    if date_to is not None:
        conds.append(f"{day} <= DATE {_literal(date_to.isoformat())}")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    return f"SELECT t.*, {pub} AS _pub, {day} AS _day FROM {source}{where}"


def _folder(value: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", value) if value else _NO_PAPER


def _with_pandas_types(table: pa.Table) -> pa.Table:
    """Attach pandas metadata so nullable ints/bools read back as Int32/boolean."""
    mapping = {t: _pandas_dtype(t) for t in set(table.schema.types) if t in _PANDAS_NULLABLE}
    empty = table.slice(0, 0).to_pandas(types_mapper=mapping.get)
    meta = pa.Table.from_pandas(empty, schema=table.schema, preserve_index=False).schema.metadata
    return table.replace_schema_metadata(meta)


def _pandas_dtype(t: pa.DataType) -> Any:
    import pandas as pd

    return pd.api.types.pandas_dtype(_PANDAS_NULLABLE[t])


def table_schema(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, str]]:
    """The table's columns in order: name, DuckDB type, pandas dtype when read back."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main'"
        " ORDER BY column_index",
        [table],
    ).fetchall()
    arrow = con.execute(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    out = []
    for (name, dtype), field in zip(rows, arrow):
        if field.type in _PANDAS_NULLABLE:
            pandas = _PANDAS_NULLABLE[field.type]
        elif pa.types.is_floating(field.type):
            pandas = "float64"
        elif pa.types.is_timestamp(field.type):
            pandas = "datetime64[us]"
        elif pa.types.is_date(field.type):
            pandas = "date"
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            pandas = "str"
        else:
            pandas = "object"
        out.append({"name": name, "duckdb": dtype, "pandas": pandas})
    return out


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
    schema: dict[str, Any] = {"format": fmt, "tables": {}}
    for table in TABLES:
        schema["tables"][table] = table_schema(con, table)
        select = _select(table, publication, date_from, date_to)
        if fmt == "parquet":
            target = out / table
            if target.exists():
                shutil.rmtree(target)
            target.mkdir()
            parts = con.execute(
                f"SELECT DISTINCT _pub, strftime(_day, '%Y-%m') AS m FROM ({select}) ORDER BY ALL"
            ).fetchall()
            for pub, month in parts:
                cond = ("_pub IS NULL" if pub is None else f"_pub = {_literal(pub)}") + " AND " + (
                    "_day IS NULL" if month is None else f"strftime(_day, '%Y-%m') = {_literal(month)}")
                rows = con.execute(
                    f"SELECT * EXCLUDE (_pub, _day) FROM ({select}) WHERE {cond} ORDER BY ALL"
                ).to_arrow_table()
                folder = target / _folder(pub) / (month or _NO_DATE)
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(_with_pandas_types(rows), folder / "data.parquet")
            if not parts:  # an empty selection still has the table's columns
                rows = con.execute(f"SELECT * EXCLUDE (_pub, _day) FROM ({select}) LIMIT 0").to_arrow_table()
                pq.write_table(_with_pandas_types(rows), target / "empty.parquet")
        else:
            query = f"SELECT * EXCLUDE (_pub, _day) FROM ({select}) ORDER BY ALL"
            target = out / f"{table}.{fmt}"
            options = "FORMAT json" if fmt == "jsonl" else "FORMAT csv, HEADER true"
            con.execute(f"COPY ({query}) TO {_literal(str(target))} ({options})")
        written[table] = target
    (out / "schema.json").write_text(json.dumps(schema, indent=1), encoding="utf-8")
    return written


def read_export(out_dir: Path | str, table: str) -> Any:
    """Read one exported table back into a pandas DataFrame with the contract's types.

    Parquet carries its types; JSON lines and CSV are read with the dtypes in
    ``schema.json`` (nullable ints as ``Int32``, strings as ``string``, dates
    as ``datetime.date``, timestamps as ``datetime64``)."""
    import pandas as pd

    out = Path(out_dir)
    meta = json.loads((out / "schema.json").read_text(encoding="utf-8"))
    columns = meta["tables"][table]
    if meta["format"] == "parquet":
        return pd.read_parquet(out / table)
    path = out / f"{table}.{meta['format']}"
    plain = {c["name"]: c["pandas"] for c in columns if c["pandas"] not in ("date", "datetime64[us]", "object")}
    if meta["format"] == "csv":
        df = pd.read_csv(path, dtype=plain, keep_default_na=False, na_values=[""])
    else:
        if path.stat().st_size == 0:
            df = pd.DataFrame({c["name"]: [] for c in columns})
        else:
            df = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
        df = df.astype({k: v for k, v in plain.items() if k in df})
    for c in columns:
        name = c["name"]
        if name not in df:
            df[name] = None
        if c["pandas"] == "date":
            df[name] = pd.to_datetime(df[name]).dt.date.where(df[name].notna(), None)
        elif c["pandas"].startswith("datetime64"):
            df[name] = pd.to_datetime(df[name]).astype(c["pandas"])
    return df[[c["name"] for c in columns]]
