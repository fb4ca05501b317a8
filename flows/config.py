"""broadsheet.toml: one table per publication, read into plain dataclasses.

Format (paths are relative to the directory of the config file)::

    [broadsheet]                      # defaults for every paper (all optional)
    db = "warehouse.duckdb"           # the DuckDB warehouse
    store = "store"                   # content-addressed store for downloads
    engine = "pdfium"                 # extraction engine passed to ingest-edition
    timeout = 60                      # HTTP timeout in seconds (connect and read)
    max_mb = 200                      # refuse downloads larger than this
    retries = 4                       # retries for 5xx / timeouts / dropped or truncated downloads
    retry_backoff = 2.0               # first retry delay in s, doubled each retry, +-50% jitter

    [warehouse]                       # optional: which warehouse backend (instead of db above)
    backend = "ducklake"              # duckdb (default) | ducklake
    catalog = "warehouse/lake.ducklake"   # or "postgres:dbname=lake host=db1 port=5432"
    data_path = "warehouse/lake-data/"    # the lake's Parquet folder (or object-storage URL)
    # path = "warehouse.duckdb"       # backend = "duckdb": the file

    [papers.gxsb]                     # the key is the publication code
    name = "高新时报"
    language = "zh"                   # zh | en | ...
    timezone = "Asia/Shanghai"        # IANA; "today" and the cron are read in this zone
    cron = "30 6 * * *"               # when daily-ingest runs (5-field cron, paper's timezone)
    source = "inbox"                  # a publisher's drop folder
    inbox = "inbox/{paper}/{date:%Y-%m-%d}/*.pdf"

    [papers.herald]
    name = "The Daily Herald"
    language = "en"
    timezone = "America/New_York"
    cron = "0 7 * * 1-6"
    source = "http"                   # an e-paper site
    page_url = "https://epaper.example.com/{date:%Y%m}/{date:%d}/page_{page:02d}.pdf"
    # or: index_url = "https://epaper.example.com/{date:%Y-%m-%d}/index.html"
    #     (an HTML page whose <a href="...pdf"> links are the pages, in order)
    max_pages = 64                    # page_url discovery stops at the first 404 or here

Every key of ``[broadsheet]`` may be overridden inside a paper's table.
Templates are ``str.format`` strings with ``paper`` (the code), ``date`` (a
``datetime.date``, so ``{date:%Y%m%d}`` works) and, for ``page_url``, ``page``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tasks.extract import ENGINES

SOURCE_KINDS = ("inbox", "http")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


class ConfigError(ValueError):
    """broadsheet.toml is missing something or says something impossible."""


@dataclass(frozen=True, slots=True)
class PaperConfig:
    """One publication: what it is, when it comes out, where its pages are."""

    code: str
    name: str
    language: str
    timezone: str
    cron: str
    source: str  # inbox | http
    inbox: str = ""  # path pattern with {paper} and {date:...}, glob allowed in the last part
    page_url: str = ""  # URL template with {date:...} and {page:...}
    index_url: str = ""  # URL template of an HTML page listing the page PDFs
    max_pages: int = 64
    db: str = "warehouse.duckdb"
    store: str = "store"
    engine: str = "pdfium"
    timeout: float = 60.0
    max_mb: float = 200.0
    retries: int = 4
    retry_backoff: float = 2.0
    config_file: str = ""  # the broadsheet.toml it came from (absolute), when read from a file

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The date it is now where the paper is printed."""
        now = now or dt.datetime.now(dt.timezone.utc)
        return now.astimezone(ZoneInfo(self.timezone)).date()


_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in dataclasses.fields(PaperConfig) if f.default is not dataclasses.MISSING
}
_DEFAULT_KEYS = ("db", "store", "engine", "timeout", "max_mb", "retries", "retry_backoff")
_PAPER_KEYS = {
    "code", "name", "language", "timezone", "cron", "source", "inbox", "page_url",
    "index_url", "max_pages", *_DEFAULT_KEYS,
}
_NUMBER_KEYS = {"timeout": float, "max_mb": float, "retries": int, "retry_backoff": float, "max_pages": int}


def _check_cron(code: str, cron: str) -> None:
    fields = cron.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ConfigError(f"papers.{code}.cron: {cron!r} is not a 5-field cron expression (e.g. '30 6 * * *')")


def _check_template(code: str, key: str, template: str, page: bool) -> None:
    probe: dict[str, Any] = {"paper": code, "date": dt.date(2024, 1, 31)}
    if page:
        probe["page"] = 1
    try:
        template.format(**probe)
    except (KeyError, IndexError, ValueError) as e:
        names = "{paper}, {date:...}" + (", {page:...}" if page else "")
        raise ConfigError(f"papers.{code}.{key}: {template!r} does not format ({e!r}); allowed: {names}") from e
    if "{date" not in template:
        raise ConfigError(f"papers.{code}.{key}: {template!r} has no {{date:...}} placeholder")


def _resolve(base: Path, value: str) -> str:
    from warehouse import is_lake

    if is_lake(value):
        from warehouse.lake import resolve_spec

        try:
            return resolve_spec(value, base)
        except ValueError as e:
            raise ConfigError(str(e)) from e
    if not value or "://" in value:
        return value
    p = Path(value).expanduser()
    return str(p if p.is_absolute() else base / p)


def paper_from_table(code: str, table: dict[str, Any], defaults: dict[str, Any], base: Path) -> PaperConfig:
    """Validate one ``[papers.<code>]`` table (with ``[broadsheet]`` defaults) into a PaperConfig."""
    if not _CODE.match(code):
        raise ConfigError(f"papers.{code}: a code is lowercase letters, digits, '-' or '_'")
    unknown = set(table) - _PAPER_KEYS
    if unknown:
        raise ConfigError(f"papers.{code}: unknown keys {sorted(unknown)}; known: {sorted(_PAPER_KEYS)}")
    if table.get("code", code) != code:
        raise ConfigError(f"papers.{code}: code = {table['code']!r} differs from the table name")
    merged = {**defaults, **table, "code": code}
    for key in ("name", "language", "timezone", "cron", "source"):
        if not isinstance(merged.get(key), str) or not merged[key].strip():
            raise ConfigError(f"papers.{code}: '{key}' is required (a non-empty string)")
    try:
        ZoneInfo(merged["timezone"])
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ConfigError(f"papers.{code}.timezone: {merged['timezone']!r} is not an IANA time zone") from e
    _check_cron(code, merged["cron"])
    source = merged["source"]
    if source not in SOURCE_KINDS:
        raise ConfigError(f"papers.{code}.source: {source!r} is not one of {SOURCE_KINDS}")
    if source == "inbox":
        if not merged.get("inbox"):
            raise ConfigError(f"papers.{code}: source = 'inbox' needs inbox = 'inbox/{{paper}}/{{date:%Y-%m-%d}}/*.pdf'")
        _check_template(code, "inbox", merged["inbox"], page=False)
    else:
        if bool(merged.get("page_url")) == bool(merged.get("index_url")):
            raise ConfigError(f"papers.{code}: source = 'http' needs exactly one of page_url or index_url")
        if merged.get("page_url"):
            _check_template(code, "page_url", merged["page_url"], page=True)
            if "{page" not in merged["page_url"]:
                raise ConfigError(f"papers.{code}.page_url: needs a {{page:...}} placeholder, e.g. page_{{page:02d}}.pdf")
        else:
            _check_template(code, "index_url", merged["index_url"], page=False)
    for key, kind in _NUMBER_KEYS.items():
        if key in merged:
            value = merged[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{_where(code, key, table)}: {value!r} is not a non-negative number")
            merged[key] = kind(value)
    for key in ("db", "store", "inbox", "engine", "page_url", "index_url"):
        if key in merged and not isinstance(merged[key], str):
            raise ConfigError(f"{_where(code, key, table)}: {merged[key]!r} is not a string")
    if merged.get("engine", _DEFAULTS["engine"]) not in ENGINES:
        raise ConfigError(f"{_where(code, 'engine', table)}: {merged['engine']!r} is not one of {ENGINES}")
    # every optional key falls back to the dataclass default (slots=True makes
    # ``PaperConfig.store`` a descriptor, so the defaults come from fields())
    for key in ("db", "store"):
        merged.setdefault(key, _DEFAULTS[key])
    for key in ("db", "store", "inbox"):
        if key in merged:
            merged[key] = _resolve(base, merged[key])
    return PaperConfig(**merged)


def _where(code: str, key: str, table: dict[str, Any]) -> str:
    """Where a bad value was written: the paper's table, or the [broadsheet] defaults."""
    return f"papers.{code}.{key}" if key in table else f"[broadsheet].{key} (for papers.{code})"


def parse_config(data: dict[str, Any], base: Path) -> dict[str, PaperConfig]:
    """Papers from an already-parsed TOML document; relative paths resolved against ``base``."""
    unknown_top = set(data) - {"broadsheet", "papers", "warehouse"}
    if unknown_top:
        raise ConfigError(f"unknown top-level tables {sorted(unknown_top)}; "
                          "expected [broadsheet], [warehouse] and [papers.<code>]")
    if not isinstance(data.get("broadsheet", {}), dict):
        raise ConfigError("broadsheet: must be a table ([broadsheet])")
    defaults = dict(data.get("broadsheet", {}))
    bad = set(defaults) - set(_DEFAULT_KEYS)
    if bad:
        raise ConfigError(f"[broadsheet]: unknown keys {sorted(bad)}; known: {list(_DEFAULT_KEYS)}")
    if "warehouse" in data:
        if "db" in defaults:
            raise ConfigError("[broadsheet].db and [warehouse] both name the warehouse; keep one")
        defaults["db"] = warehouse_db(data["warehouse"])
    papers = data.get("papers")
    if not isinstance(papers, dict) or not papers:
        raise ConfigError("no papers: add at least one [papers.<code>] table")
    for code, table in papers.items():
        if not isinstance(table, dict):
            raise ConfigError(f"papers.{code}: must be a table ([papers.{code}]), not {table!r}")
    return {code: paper_from_table(code, table, defaults, base) for code, table in papers.items()}


WAREHOUSE_KEYS = ("backend", "path", "catalog", "data_path")
BACKENDS = ("duckdb", "ducklake")


def warehouse_db(table: Any) -> str:
    """``[warehouse]`` -> the ``--db`` string it means (relative paths still relative)."""
    if not isinstance(table, dict):
        raise ConfigError("warehouse: must be a table ([warehouse])")
    unknown = set(table) - set(WAREHOUSE_KEYS)
    if unknown:
        raise ConfigError(f"[warehouse]: unknown keys {sorted(unknown)}; known: {list(WAREHOUSE_KEYS)}")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"[warehouse].{key}: {value!r} is not a non-empty string")
    backend = table.get("backend", "duckdb")
    if backend not in BACKENDS:
        raise ConfigError(f"[warehouse].backend: {backend!r} is not one of {BACKENDS}")
    if backend == "duckdb":
        if "catalog" in table or "data_path" in table:
            raise ConfigError("[warehouse]: catalog and data_path are for backend = 'ducklake'")
        return table.get("path", _DEFAULTS["db"])
    if "path" in table:
        raise ConfigError("[warehouse]: backend = 'ducklake' takes catalog (and data_path), not path")
    if "catalog" not in table:
        raise ConfigError("[warehouse]: backend = 'ducklake' needs catalog = 'warehouse/lake.ducklake' "
                          "or 'postgres:dbname=lake host=...'")
    db = "ducklake:" + table["catalog"].strip()
    if "data_path" in table:
        db += " DATA_PATH=" + table["data_path"].strip()
    return db


def warehouse_from_config(path: str | Path) -> str | None:
    """The warehouse ``[warehouse]`` of ``path`` names (resolved against its folder),
    or None when the file or the table is absent (commands without --config use this)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    if "warehouse" not in data:
        return None
    try:
        return _resolve(path.resolve().parent, warehouse_db(data["warehouse"]))
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from e


def load_config(path: str | Path) -> dict[str, PaperConfig]:
    """Read and validate broadsheet.toml: code -> PaperConfig."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: no such config file (looked for {path.resolve()})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    try:
        papers = parse_config(data, path.resolve().parent)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from e
    return {code: dataclasses.replace(p, config_file=str(path.resolve())) for code, p in papers.items()}


def paper_config(path: str | Path, code: str) -> PaperConfig:
    """One paper's config, with a clear error naming the known codes."""
    papers = load_config(path)
    if code not in papers:
        raise ConfigError(f"{path}: no paper {code!r}; known: {sorted(papers)}")
    return papers[code]
