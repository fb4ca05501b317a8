"""The DuckLake warehouse: the same contract as ``store.py``, on a lake.

Choosing it
    ``--db`` (or ``$BROADSHEET_DB``, or ``[warehouse]`` in broadsheet.toml)
    spelled ``ducklake:<catalog>``; ``DATA_PATH=<folder or URL>`` may end the
    string (it is needed when the lake is created; the catalog remembers it)::

        ducklake:warehouse/lake.ducklake                       (data: warehouse/lake.ducklake.files/)
        ducklake:warehouse/lake.ducklake DATA_PATH=/srv/lake/data/
        ducklake:postgres:dbname=lake host=db1 port=5432 user=loader DATA_PATH=/srv/lake/data/

    A local catalog file is a DuckDB file: one process at a time (others
    retry the ATTACH while it is held, as with the DuckDB file backend).  A
    PostgreSQL catalog takes many loaders on many machines at once.

Using it from Python (what flows and benchmarks do)::

    import warehouse
    with warehouse.open_writer("ducklake:/srv/lake.ducklake") as wh:   # a LakeWarehouse
        result = wh.load_edition(edition, run_id=uuid.uuid4().hex, code_version="v1")
        result.status   # loaded | replaced | unchanged

    ``open_writer`` attaches the lake (creating and migrating it when new);
    ``load_edition`` is one DuckLake transaction (one snapshot) per edition,
    retried on a commit conflict with another loader.  ``start_run`` /
    ``finish_run`` / ``record_files`` keep lineage exactly as store.Warehouse.

Schema
    ``warehouse/lake_migrations/NNN_*.sql``, recorded in ``schema_migrations``:
    the contract tables with the same names and columns, no keys (DuckLake has
    no PRIMARY KEY, UNIQUE or ON CONFLICT), then ``views.sql`` unchanged.

Loads
    One transaction per edition: delete the edition's rows (keyed on
    edition_id / article_id), insert the new ones, commit.  Nothing is
    visible before the commit, and a process killed before it leaves the lake
    as it was (the Parquet files it wrote are unreferenced, removed by
    ``ducklake_cleanup_old_files``).  An edition whose content hash equals the
    stored one writes nothing: no transaction, no new snapshot.  DuckLake
    refuses a commit that deletes from a table a concurrent commit inserted
    into (or the reverse); inserts alone never conflict.  So a new edition is
    inserts only, and a run's start and finish are two inserted events
    (``ingest_run_events``; ``ingest_runs`` is the view of each run's latest
    one).  A refused commit (a reload racing another load) is rolled back and
    the whole edition retried after a jittered backoff.  Two loaders that
    load the SAME new edition at once both commit (inserts never conflict);
    each then checks and the later ``run_id`` removes its own copy, so such a
    duplicate lives for one snapshot at most.

Search
    ``article_terms`` (article, stemmed term, tf) is written in the same
    transaction as the articles, with the fts extension's tokenizer and
    Porter stemmer; ``search`` ranks with the same BM25 formula as the fts
    extension's ``match_bm25`` in plain SQL over it, so it is never stale and
    scores equal the DuckDB file's on the same articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from tasks.model import Edition, Quarantined
from warehouse import export as export_mod
from warehouse import extensions
from warehouse import search as search_mod
from warehouse.search import first_row
from warehouse.store import (
    CONTRACT_TABLES,
    MIN_IDF_ARTICLES,
    VIEWS_SQL,
    FileRecord,
    LoadResult,
    _pause,
    _utcnow,
    edition_id_for,
    edition_rows,
    quarantine_records,
)

PREFIX = "ducklake:"
ALIAS = "lake"
LAKE_MIGRATIONS_DIR = Path(__file__).parent / "lake_migrations"
RETRY_ENV = "BROADSHEET_LAKE_RETRIES"
DEFAULT_RETRIES = 50
T = TypeVar("T")


# --------------------------------------------------------------------------
# the --db spelling
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LakeSpec:
    """What a ``ducklake:`` string names."""

    kind: str  # file | postgres
    catalog: str  # the catalog file path, or a libpq connection string
    data_path: str | None = None

    @property
    def attach_target(self) -> str:
        return f"ducklake:{self.catalog}" if self.kind == "file" else f"ducklake:postgres:{self.catalog}"

    @property
    def key(self) -> str:
        """One key per lake in this process (the file's real path, or the DSN)."""
        return os.path.realpath(self.catalog) if self.kind == "file" else "postgres:" + self.catalog

    def __str__(self) -> str:
        tail = f" DATA_PATH={self.data_path}" if self.data_path else ""
        return self.attach_target + tail


def is_lake(db: object) -> bool:
    """True when ``db`` names a DuckLake (``ducklake:...``)."""
    return isinstance(db, (str, LakeSpec)) and (isinstance(db, LakeSpec) or str(db).startswith(PREFIX))


_DATA_PATH = re.compile(r"(?:^|\s)DATA_PATH=(\S.*?)\s*$", re.IGNORECASE)


def parse_spec(db: str | LakeSpec) -> LakeSpec:
    """``ducklake:<catalog>[ DATA_PATH=<path>]`` -> LakeSpec (ValueError when not one)."""
    if isinstance(db, LakeSpec):
        return db
    if not is_lake(db):
        raise ValueError(f"{db!r} is not a ducklake: spec")
    rest = str(db)[len(PREFIX):].strip()
    data_path = None
    m = _DATA_PATH.search(rest)
    if m:
        data_path, rest = m.group(1), rest[: m.start()].strip()
    if rest.startswith("postgres:"):
        dsn = rest[len("postgres:"):].strip()
        if not dsn:
            raise ValueError("ducklake:postgres: needs a connection string, e.g. "
                             "'ducklake:postgres:dbname=lake host=db1 DATA_PATH=/srv/lake/'")
        return LakeSpec("postgres", dsn, data_path)
    if not rest:
        raise ValueError("ducklake: needs a catalog, e.g. 'ducklake:warehouse/lake.ducklake'")
    return LakeSpec("file", rest, data_path)


def resolve_spec(db: str, base: Path) -> str:
    """``db`` with a relative catalog file and data path made relative to ``base`` (config files)."""
    spec = parse_spec(db)

    def rel(p: str | None) -> str | None:
        if not p or "://" in p:
            return p
        q = Path(p).expanduser()
        return str(q if q.is_absolute() else base / q) + ("/" if p.endswith("/") else "")

    catalog = rel(spec.catalog) if spec.kind == "file" else spec.catalog
    return str(LakeSpec(spec.kind, catalog or spec.catalog, rel(spec.data_path)))


def default_data_path(spec: LakeSpec) -> str | None:
    """Where a new local lake keeps its Parquet: ``<catalog>.files/`` beside the catalog."""
    return spec.data_path or (f"{spec.catalog}.files/" if spec.kind == "file" else None)


def exists(db: str | LakeSpec) -> bool:
    """Whether the lake's catalog exists (a local file; a PostgreSQL catalog is assumed to)."""
    spec = parse_spec(db)
    return Path(spec.catalog).exists() if spec.kind == "file" else True


# --------------------------------------------------------------------------
# one DuckDB instance per lake per process, shared by cursors
# --------------------------------------------------------------------------


class _Instance:
    """One in-memory DuckDB per lake per process, extensions loaded once
    (LOAD ducklake costs ~0.5 s); the lake is attached while in use."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.attached = False
        self.read_only = False
        self.refs = 0
        self.migrated = False  # this process brought the lake to its code's schema once
        self.write_lock = threading.RLock()  # writes of one process go one at a time


_INSTANCES: dict[str, _Instance] = {}
_INSTANCES_GUARD = threading.Condition()


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _engine(spec: LakeSpec) -> duckdb.DuckDBPyConnection:
    con = extensions.offline_connection()
    try:
        extensions.load_ducklake(con, postgres=spec.kind == "postgres")
        search_mod.load_fts(con)  # stem() for the search terms
        con.execute("SET enable_progress_bar = false")  # it would print on stdout during long reads
        con.execute(f"SET ducklake_max_retry_count = {int(os.environ.get(RETRY_ENV, DEFAULT_RETRIES))}")
    except BaseException:
        con.close()
        raise
    return con


def _attach(con: duckdb.DuckDBPyConnection, spec: LakeSpec, read_only: bool, timeout: float) -> None:
    """ATTACH the lake as ``lake`` (retrying while a local catalog file is held
    by another process)."""
    if spec.kind == "file" and not read_only:
        Path(spec.catalog).expanduser().parent.mkdir(parents=True, exist_ok=True)
    options = []
    new_local = spec.kind == "file" and not Path(spec.catalog).exists()
    data_path = default_data_path(spec) if new_local or spec.data_path else None
    if data_path:
        if "://" not in data_path:
            Path(data_path).mkdir(parents=True, exist_ok=True)
        options.append(f"DATA_PATH {_sql_literal(data_path)}")
    if read_only:
        options.append("READ_ONLY")
    sql = f"ATTACH {_sql_literal(spec.attach_target)} AS {ALIAS}" + (f" ({', '.join(options)})" if options else "")
    start, delay = time.monotonic(), 0.01
    while True:
        try:
            con.execute(sql)
            return
        except duckdb.Error as exc:
            if not _attach_can_retry(exc) or time.monotonic() - start > timeout:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.25)


def _attach_can_retry(exc: BaseException) -> bool:
    """A local catalog file held by another process, or another loader creating
    the same new PostgreSQL catalog at this moment (its CREATE TABLEs win)."""
    msg = str(exc).lower()
    return "lock" in msg or ("failed to initialize ducklake" in msg and
                             ("duplicate key" in msg or "already exists" in msg))


def _detach(inst: _Instance) -> None:
    inst.con.execute("USE memory")
    inst.con.execute(f"DETACH {ALIAS}")
    inst.attached = False


def _acquire(spec: LakeSpec, read_only: bool, timeout: float) -> _Instance:
    key = spec.key
    deadline = time.monotonic() + timeout
    with _INSTANCES_GUARD:
        while True:
            inst = _INSTANCES.get(key)
            if inst is None:
                inst = _INSTANCES[key] = _Instance(_engine(spec))
            if not inst.attached:
                _attach(inst.con, spec, read_only, max(0.0, deadline - time.monotonic()))
                inst.attached, inst.read_only = True, read_only
            if read_only or not inst.read_only:
                inst.refs += 1
                return inst
            # a writer wants a lake this process holds read-only: wait for its readers
            if inst.refs == 0:
                _detach(inst)
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{spec}: this process holds the lake read-only (waited {timeout:g} s)")
            _INSTANCES_GUARD.wait(left)


def _release(spec: LakeSpec, inst: _Instance) -> None:
    with _INSTANCES_GUARD:
        inst.refs -= 1
        # a local catalog file is detached when unused, so other processes can open it;
        # a PostgreSQL catalog stays attached (its ATTACH costs a connection setup)
        if inst.refs <= 0 and spec.kind == "file" and inst.attached:
            _detach(inst)
        _INSTANCES_GUARD.notify_all()


def close_all() -> None:
    """Close every lake connection of this process (tests; a process about to fork)."""
    with _INSTANCES_GUARD:
        for inst in _INSTANCES.values():
            inst.con.close()
        _INSTANCES.clear()
        _INSTANCES_GUARD.notify_all()


def is_conflict(exc: BaseException) -> bool:
    """A commit DuckLake refused because a concurrent snapshot changed the same data."""
    msg = str(exc).lower()
    return isinstance(exc, duckdb.Error) and ("conflict" in msg or "failed to commit" in msg
                                              or "could not commit" in msg)


def lake_migration_files() -> list[tuple[int, str, Path]]:
    out = []
    for path in sorted(LAKE_MIGRATIONS_DIR.glob("*.sql")):
        m = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if m:
            out.append((int(m.group(1)), m.group(2), path))
    return sorted(out)


# --------------------------------------------------------------------------
# the warehouse
# --------------------------------------------------------------------------


class LakeWarehouse:
    """One cursor on an attached lake, with store.Warehouse's methods."""

    backend = "ducklake"

    def __init__(self, spec: LakeSpec, inst: _Instance, read_only: bool) -> None:
        self.spec = spec
        self._inst = inst
        self.con = inst.con.cursor()
        self.con.execute(f"USE {ALIAS}")
        self.read_only = read_only
        self.path = spec.catalog if spec.kind == "file" else str(spec)
        self.lock_wait_seconds = 0.0
        self.dirty = False
        self.articles_dirty = False
        self._closed = False
        self.conflicts = 0  # commits retried after a conflict with another loader
        self.conflict_messages: list[str] = []  # the last few, for diagnosis

    # -- connection -------------------------------------------------------

    @classmethod
    def connect(cls, db: str | LakeSpec, read_only: bool = False, timeout: float = 120.0,
                migrate: bool = True) -> LakeWarehouse:
        spec = parse_spec(db)
        if read_only and not exists(spec):
            raise FileNotFoundError(f"no lake catalog at {spec.catalog}")
        inst = _acquire(spec, read_only, timeout)
        try:
            wh = cls(spec, inst, read_only)
            if migrate and not read_only and not inst.migrated:
                wh.migrate()
                inst.migrated = True
        except BaseException:
            _release(spec, inst)
            raise
        return wh

    open = connect

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.con.close()
        finally:
            _release(self.spec, self._inst)

    def __enter__(self) -> LakeWarehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sql(self, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(query, params or []).fetchall()

    def snapshot_id(self) -> int:
        """The lake's current snapshot id (what ``AT (VERSION => n)`` takes)."""
        row = first_row(self.con.execute(f"SELECT id FROM {ALIAS}.current_snapshot()"))
        return int(row[0]) if row else 0

    def snapshots(self) -> list[dict[str, Any]]:
        cur = self.con.execute(f"SELECT * FROM {ALIAS}.snapshots() ORDER BY snapshot_id")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    # -- transactions -----------------------------------------------------

    def _transaction(self, body: Callable[[], T], retries: int | None = None) -> T:
        """Run ``body`` in one transaction; on a commit conflict roll back, wait, run it again."""
        if self.read_only:
            raise RuntimeError("this lake connection is read-only")
        attempts = int(os.environ.get(RETRY_ENV, DEFAULT_RETRIES)) if retries is None else retries
        delay = 0.02
        with self._inst.write_lock:
            for attempt in range(attempts + 1):
                self.con.execute("BEGIN TRANSACTION")
                try:
                    out = body()
                    self.con.execute("COMMIT")
                    return out
                except BaseException as exc:
                    try:
                        self.con.execute("ROLLBACK")
                    except duckdb.Error:
                        pass  # a failed COMMIT already ended the transaction
                    if not is_conflict(exc) or attempt >= attempts:
                        raise
                    self.conflicts += 1
                    self.conflict_messages = (self.conflict_messages + [str(exc).splitlines()[-1][:300]])[-20:]
                    time.sleep(delay * (0.5 + random.random()))
                    delay = min(delay * 1.6, 1.0)
        raise AssertionError("unreachable")

    def _insert(self, table: str, rows: list[dict[str, Any]] | pa.Table) -> None:
        if isinstance(rows, list) and not rows:
            return
        data = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows)
        if data.num_rows == 0:
            return
        name = f"_lake_load_{table}"
        self.con.register(name, data)
        try:
            self.con.execute(f"INSERT INTO {ALIAS}.main.{table} BY NAME SELECT * FROM {name}")
        finally:
            self.con.unregister(name)

    def _set_meta(self, items: Mapping[str, str]) -> None:
        self.con.execute("DELETE FROM warehouse_meta WHERE key IN (SELECT unnest(?::VARCHAR[]))", [list(items)])
        self._insert("warehouse_meta", [{"key": k, "value": v} for k, v in items.items()])

    # -- schema -----------------------------------------------------------

    def schema_version(self) -> int:
        exists_ = first_row(self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = 'schema_migrations'",
            [ALIAS]))
        if not exists_ or not exists_[0]:
            return 0
        row = first_row(self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations"))
        return int(row[0]) if row else 0

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending lake migrations, each in its own transaction with its
        schema_migrations row (a concurrent migrator's conflict is retried and
        finds the work done), then (re)create the views when views.sql changed."""
        applied: list[int] = []
        files = lake_migration_files()
        for version, name, path in files:
            if target is not None and version > target:
                continue

            def step() -> bool:
                if self.schema_version() >= version:
                    return False
                self.con.execute(path.read_text(encoding="utf-8"))
                self._insert("schema_migrations", [{"version": version, "name": name, "applied_at": _utcnow()}])
                return True

            if self.schema_version() < version and self._transaction(step):
                applied.append(version)
        if target is None or target >= max(v for v, _, _ in files):
            self._apply_views()
        if applied:
            self.dirty = True
        return applied

    def _apply_views(self) -> None:
        sql = VIEWS_SQL.read_text(encoding="utf-8")
        digest = hashlib.sha256(sql.encode()).hexdigest()

        def current() -> bool:
            row = first_row(self.con.execute("SELECT value FROM warehouse_meta WHERE key = 'views_sha256'"))
            return bool(row and row[0] == digest)

        if current():
            return

        def body() -> None:
            if current():
                return
            self.con.execute(sql)
            self._set_meta({"views_sha256": digest})

        self._transaction(body)
        self.dirty = True

    # -- runs and files ---------------------------------------------------

    def _run_row(self, run_id: str) -> dict[str, Any] | None:
        cur = self.con.execute("SELECT * FROM ingest_runs WHERE run_id = ?", [run_id])
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        return dict(zip(cols, rows[0])) if rows else None

    def _run_event(self, row: dict[str, Any]) -> None:
        """A run's new state: one more ingest_run_events row (insert only: it never
        conflicts with another loader); ingest_runs shows the latest one."""
        self._insert("ingest_run_events", [{**row, "event_at": _utcnow()}])

    def start_run(self, run_id: str, flow_run_id: str | None, code_version: str,
                  publication: str | None = None, edition_date: dt.date | None = None) -> None:
        def body() -> None:
            prev = self._run_row(run_id)
            self._run_event({
                "run_id": run_id, "flow_run_id": flow_run_id, "started_at": prev["started_at"] if prev else _utcnow(),
                "code_version": code_version, "status": "running",
                "publication": prev["publication"] if prev else publication,
                "edition_date": prev["edition_date"] if prev else edition_date,
            })

        self._transaction(body)
        self.dirty = True

    def finish_run(self, run_id: str, status: str, counts: Mapping[str, int] | None = None,
                   error: str | None = None, publication: str | None = None,
                   edition_date: dt.date | None = None, reason: str | None = None) -> None:
        counts = dict(counts or {})

        def body() -> None:
            row = self._run_row(run_id) or {"run_id": run_id, "started_at": _utcnow()}
            row.update(finished_at=_utcnow(), status=status, files=counts.get("files"), pages=counts.get("pages"),
                       articles=counts.get("articles"), quarantined=counts.get("quarantined"), error=error,
                       reason=reason, publication=publication or row.get("publication"),
                       edition_date=edition_date or row.get("edition_date"))
            self._run_event(row)

        self._transaction(body)
        self.dirty = True

    def record_no_edition(self, run_id: str, flow_run_id: str | None, code_version: str, publication: str,
                          edition_date: dt.date, looked_at: str, reason: str) -> None:
        self.start_run(run_id, flow_run_id, code_version, publication, edition_date)
        self.record_files([(looked_at or "(no source)", "", "no_edition", reason)], run_id,
                          publication, edition_date)
        self.finish_run(run_id, "no_edition", {"files": 0, "pages": 0, "articles": 0, "quarantined": 0},
                        reason=reason, publication=publication, edition_date=edition_date)

    def _upsert_files(self, rows: list[dict[str, Any]], keep_existing: bool, coalesce_edition: bool) -> None:
        """ingest_files keyed on (path, sha256), in the caller's transaction:
        ``keep_existing`` inserts only new keys (ON CONFLICT DO NOTHING), else
        the rows replace old ones (first_seen_at and, with ``coalesce_edition``,
        the edition columns kept from the old row when the new one has none)."""
        if not rows:
            return
        keys = pa.table({"path": pa.array([r["path"] for r in rows], pa.string()),
                         "sha256": pa.array([r["sha256"] for r in rows], pa.string())})
        self.con.register("_lake_keys", keys)
        try:
            cur = self.con.execute("""SELECT f.path, f.sha256, f.first_seen_at, f.edition_id, f.publication,
                                             f.edition_date
                                      FROM ingest_files f JOIN _lake_keys k USING (path, sha256)""")
            old = {(r[0], r[1]): r for r in cur.fetchall()}
            if keep_existing:
                rows = [r for r in rows if (r["path"], r["sha256"]) not in old]
            elif old:
                self.con.execute("""DELETE FROM ingest_files WHERE (path, sha256) IN
                                    (SELECT (path, sha256) FROM _lake_keys)""")
        finally:
            self.con.unregister("_lake_keys")
        for r in rows:
            o = old.get((r["path"], r["sha256"]))
            if o is None:
                continue
            r["first_seen_at"] = o[2] or r.get("first_seen_at")
            if coalesce_edition:
                r["edition_id"] = r.get("edition_id") or o[3]
                r["publication"] = r.get("publication") or o[4]
                r["edition_date"] = r.get("edition_date") or o[5]
        self._insert("ingest_files", rows)

    def record_files(self, files: Iterable[FileRecord | Quarantined | tuple[str, str, str, str]], run_id: str,
                     publication: str | None = None, edition_date: dt.date | None = None) -> int:
        """What became of files not loaded with an edition (see store.Warehouse.record_files)."""
        now = _utcnow()
        eid = edition_id_for(publication, edition_date) if publication and edition_date else None
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for f in files:
            path, sha, status, reason = f if isinstance(f, tuple) else (f.path, f.sha256, f.status, f.reason)
            rows[(path, sha)] = {"path": path, "sha256": sha, "run_id": run_id, "status": status, "reason": reason,
                                 "edition_id": eid, "publication": publication, "edition_date": edition_date,
                                 "first_seen_at": now, "updated_at": now}
        if not rows:
            return 0
        skipped = [r for r in rows.values() if r["status"] == "skipped_unchanged"]
        others = [r for r in rows.values() if r["status"] != "skipped_unchanged"]

        def body() -> None:
            self._upsert_files([dict(r) for r in skipped], keep_existing=True, coalesce_edition=False)
            self._upsert_files([dict(r) for r in others], keep_existing=False, coalesce_edition=True)

        self._transaction(body)
        self.dirty = True
        return len(rows)

    def record_quarantine(self, edition: Edition, run_id: str) -> int:
        return self.record_files(quarantine_records(edition), run_id, edition.publication, edition.edition_date)

    # -- loads ------------------------------------------------------------

    def edition_fingerprint(self, publication: str, edition_date: dt.date) -> tuple[frozenset[str], str] | None:
        row = first_row(self.con.execute(
            """SELECT file_sha256s, coalesce(verified_code_version, code_version) FROM editions
               WHERE edition_id = ? ORDER BY loaded_at, run_id LIMIT 1""",
            [edition_id_for(publication, edition_date)]))
        if row is None:
            return None
        return frozenset(row[0] or []), row[1] or ""

    def is_unchanged(self, publication: str, edition_date: dt.date, file_sha256s: Iterable[str],
                     code_version: str) -> bool:
        fp = self.edition_fingerprint(publication, edition_date)
        return fp is not None and fp == (frozenset(file_sha256s), code_version)

    def _terms(self, search_rows: list[dict[str, Any]], run_id: str) -> tuple[pa.Table, dict[str, int]]:
        """The BM25 terms of the edition's articles, tokenised and stemmed as
        the fts extension does (read-only work, before the transaction)."""
        src = pa.table({
            "article_id": pa.array([r["article_id"] for r in search_rows], pa.string()),
            "edition_id": pa.array([r["edition_id"] for r in search_rows], pa.string()),
            "publication": pa.array([r["publication"] for r in search_rows], pa.string()),
            "search_text": pa.array([r["search_text"] for r in search_rows], pa.string()),
        })
        self.con.register("_lake_src", src)
        try:
            terms = self.con.execute(f"""
                SELECT article_id, edition_id, publication, term, count(*)::INTEGER AS tf, ? AS run_id
                FROM (SELECT article_id, edition_id, publication, stem(w, '{search_mod.STEMMER}') AS term
                      FROM (SELECT article_id, edition_id, publication, unnest({TOKENIZE_SQL.format('search_text')}) AS w
                            FROM _lake_src)
                      WHERE w IS NOT NULL AND len(w) > 0)
                GROUP BY ALL ORDER BY article_id, term""", [run_id]).to_arrow_table()
        finally:
            self.con.unregister("_lake_src")
        counts: dict[str, int] = {}
        for aid, tf in zip(terms.column("article_id").to_pylist(), terms.column("tf").to_pylist()):
            counts[aid] = counts.get(aid, 0) + tf
        return terms, counts

    def load_edition(self, edition: Edition, run_id: str, code_version: str,
                     texts: list[str] | None = None) -> LoadResult:
        """Replace the edition's rows in one transaction (one snapshot); no write,
        no snapshot when its content is unchanged.  Retried on a commit conflict."""
        rows = edition_rows(edition, run_id, code_version, _utcnow(), texts)
        eid = rows.edition["edition_id"]
        for table in (rows.people, rows.tags, rows.search):
            for r in table:
                r["run_id"] = run_id
        terms, term_counts = self._terms(rows.search, run_id)
        for r in rows.search:
            r["term_count"] = term_counts.get(r["article_id"], 0)
        result = LoadResult(
            edition_id=eid, status="loaded", content_hash=rows.content_hash,
            articles=len(rows.articles), pages=len(rows.pages), people=len(rows.people),
            tags=len(rows.tags), files=len(rows.files),
            quarantined=rows.edition["quarantined_count"], warnings=rows.warnings,
        )

        def previous() -> tuple[Any, ...] | None:
            return first_row(self.con.execute(
                """SELECT content_hash, verified_code_version, article_count FROM editions
                   WHERE edition_id = ? ORDER BY loaded_at, run_id LIMIT 1""", [eid]))

        prev = previous()  # outside a write: an unchanged edition makes no snapshot
        if prev is not None and prev[0] == rows.content_hash and prev[1] == code_version:
            result.status, result.previous_articles = "unchanged", int(prev[2] or 0)
            return result

        def body() -> str:
            prev = previous()
            if prev is not None and prev[0] == rows.content_hash:
                if prev[1] != code_version:  # same output from a newer code version: remember it was checked
                    self.con.execute("UPDATE editions SET verified_code_version = ? WHERE edition_id = ?",
                                     [code_version, eid])
                result.previous_articles = int(prev[2] or 0)
                return "unchanged"
            result.previous_articles = int(prev[2] or 0) if prev else 0
            if prev is not None:
                new_ids = [a["article_id"] for a in rows.articles]
                for table in ("article_people", "article_tags", "article_search", "article_terms"):
                    self.con.execute(
                        f"""DELETE FROM {table} WHERE edition_id = ?
                               OR article_id IN (SELECT unnest(?::VARCHAR[]))""", [eid, new_ids])
                self.con.execute(
                    "DELETE FROM articles WHERE edition_id = ? OR article_id IN (SELECT unnest(?::VARCHAR[]))",
                    [eid, new_ids])
                self.con.execute("DELETE FROM pages WHERE edition_id = ?", [eid])
                self.con.execute("DELETE FROM editions WHERE edition_id = ?", [eid])
            _pause("deleted")
            self._insert("editions", [rows.edition])
            self._insert("pages", rows.pages)
            _pause("pages")
            self._insert("articles", rows.articles)
            _pause("articles")
            self._insert("article_people", rows.people)
            self._insert("article_tags", rows.tags)
            self._insert("article_search", rows.search)
            self._insert("article_terms", terms)
            self._record_edition_files(eid, [dict(f) for f in rows.files])
            _pause("before-commit")
            return "replaced" if prev is not None else "loaded"

        result.status = self._transaction(body)
        self.dirty = True
        if result.status == "loaded":
            self._reconcile(eid)
        self.articles_dirty = self.articles_dirty or result.status != "unchanged"
        return result

    def _record_edition_files(self, eid: str, files: list[dict[str, Any]]) -> None:
        now = _utcnow()
        for f in files:
            f["first_seen_at"] = now
            f["updated_at"] = now
        keys = pa.table({"path": pa.array([f["path"] for f in files], pa.string()),
                         "sha256": pa.array([f["sha256"] for f in files], pa.string())})
        self.con.register("_lake_new_files", keys)
        try:
            self.con.execute(
                """UPDATE ingest_files SET status = 'superseded',
                       reason = 'replaced by a newer load of the edition', updated_at = ?
                   WHERE edition_id = ? AND status <> 'superseded' AND NOT EXISTS (
                       SELECT 1 FROM _lake_new_files n
                       WHERE n.path = ingest_files.path AND n.sha256 = ingest_files.sha256)""", [now, eid])
        finally:
            self.con.unregister("_lake_new_files")
        self._upsert_files(files, keep_existing=False, coalesce_edition=False)

    def _reconcile(self, eid: str) -> None:
        """After a first load: when a concurrent loader committed the same new
        edition too (inserts never conflict in DuckLake), the copy of the later
        run_id is removed, by whichever loader sees it first."""
        runs = [r[0] for r in self.con.execute(
            "SELECT run_id FROM editions WHERE edition_id = ? ORDER BY loaded_at, run_id", [eid]).fetchall()]
        if len(runs) <= 1:
            return

        def body() -> None:
            keep = first_row(self.con.execute(
                "SELECT run_id FROM editions WHERE edition_id = ? ORDER BY loaded_at, run_id LIMIT 1", [eid]))
            if keep is None:
                return
            for table in ("editions", "pages", "articles", "article_people", "article_tags",
                          "article_search", "article_terms"):
                self.con.execute(f"DELETE FROM {table} WHERE edition_id = ? AND run_id IS DISTINCT FROM ?",
                                 [eid, keep[0]])
            self.con.execute("""DELETE FROM ingest_files WHERE edition_id = ? AND run_id IS DISTINCT FROM ?
                                AND (path, sha256) IN (SELECT (path, sha256) FROM ingest_files
                                                       WHERE edition_id = ? AND run_id = ?)""",
                             [eid, keep[0], eid, keep[0]])

        self._transaction(body)

    # -- what store.Warehouse's callers also call ---------------------------

    def refresh_fts(self, force: bool = False) -> None:
        """Nothing to do: article_terms is written with the articles."""

    def fts_stale(self) -> bool:
        return False

    def load_fts(self) -> None:
        """fts is loaded when the lake is attached (stem() for search)."""

    def write_snapshot(self) -> None:
        """Nothing to publish: every commit is a DuckLake snapshot readers attach."""

    def checkpoint(self, timeout: float = 30.0) -> None:
        """Nothing to do per window (DuckLake maintenance is ``maintain``)."""

    def compact_on_close(self, min_free: float = 0.5) -> bool:
        return False

    def maintain(self, older_than: str = "7 days") -> None:
        """DuckLake upkeep: flush inlined rows to Parquet, merge small files,
        expire snapshots older than ``older_than``, delete unreferenced files."""
        def prune() -> None:  # each run's superseded states (ingest_runs shows only the latest)
            self.con.execute("""DELETE FROM ingest_run_events WHERE (run_id, event_at) NOT IN (
                                    SELECT (run_id, max(event_at)) FROM ingest_run_events GROUP BY run_id)""")

        self._transaction(prune)
        for call in (f"CALL ducklake_flush_inlined_data('{ALIAS}')",
                     f"CALL ducklake_merge_adjacent_files('{ALIAS}')",
                     f"CALL ducklake_expire_snapshots('{ALIAS}', older_than => now() - INTERVAL '{older_than}')",
                     f"CALL ducklake_cleanup_old_files('{ALIAS}', cleanup_all => true)"):
            self.con.execute(call).fetchall()

    # -- IDF ----------------------------------------------------------------

    def idf(self) -> dict[str, float] | None:
        rows = self.con.execute("SELECT word, idf FROM keyword_idf").fetchall()
        return {w: float(v) for w, v in rows} or None

    def _word_df_sql(self) -> str:
        return """SELECT word, count(DISTINCT article_id) AS df FROM (
                      SELECT article_id, unnest(string_split(search_text, ' ')) AS word FROM article_search)
                  WHERE word <> '' GROUP BY word"""

    def live_idf(self) -> dict[str, float] | None:
        row = first_row(self.con.execute("SELECT count(*) FROM article_search"))
        n = int(row[0]) if row else 0
        if n == 0:
            return None
        return {w: math.log((1 + n) / (1 + df)) + 1.0 for w, df in self.con.execute(self._word_df_sql()).fetchall()}

    def maybe_learn_idf(self, min_articles: int = MIN_IDF_ARTICLES) -> bool:
        """As store.Warehouse.maybe_learn_idf; word counts come from article_search
        (no word_df table: every load would update the same rows and conflict)."""
        def due() -> int:
            row = first_row(self.con.execute("SELECT count(*) FROM article_search"))
            n = int(row[0]) if row else 0
            prev = first_row(self.con.execute("SELECT value FROM warehouse_meta WHERE key = 'idf_articles'"))
            learned_at = int(prev[0]) if prev else 0
            return 0 if n < min_articles or (learned_at and n < 2 * learned_at) else n

        if self.read_only or not due():
            return False

        def body() -> bool:
            n = due()
            if not n:
                return False
            self.con.execute("DELETE FROM keyword_idf")
            self.con.execute(f"INSERT INTO keyword_idf SELECT word, ln((1 + ?) / (1 + df)) + 1.0 "
                             f"FROM ({self._word_df_sql()})", [n])
            self._set_meta({"idf_articles": str(n), "idf_version": _utcnow().isoformat()})
            return True

        return self._transaction(body)

    # -- search, export, summary -------------------------------------------

    def search(self, query: str, limit: int = 10, publication: str | None = None,
               version: int | None = None) -> list[dict[str, Any]]:
        """Articles matching ``query``, best BM25 first (the fts extension's
        formula over article_terms); ``version``: as of that lake snapshot."""
        q = search_mod.segment(query)
        if not q:
            return []
        cur = self.con.execute(search_sql(version), [q, publication, int(limit)])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def export(self, out_dir: Path | str, fmt: str = "parquet", publication: str | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Path]:
        return export_mod.export_tables(self.con, out_dir, fmt, publication, date_from, date_to)

    def summary(self) -> dict[str, int]:
        out = {}
        for table in CONTRACT_TABLES:
            row = first_row(self.con.execute(f"SELECT count(*) FROM {table}"))
            out[table] = int(row[0]) if row else 0
        return out

    def sample_articles(self, limit: int = 8) -> list[dict[str, Any]]:
        cur = self.con.execute(
            """SELECT article_id, publication, edition_date, pages_text AS pages, headline, byline,
                      people, topics, left(body, 120) AS snippet
               FROM v_articles ORDER BY edition_date DESC, publication, first_page, sequence, article_id LIMIT ?""",
            [int(limit)])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


TOKENIZE_SQL = r"string_split_regex(regexp_replace(lower(strip_accents(CAST({0} AS VARCHAR))), '\s+', ' ', 'g'), '\s+')"
"""The fts extension's tokenizer as ``search.CREATE_INDEX_SQL`` configures it."""


def search_sql(version: int | None = None, k: float = 1.2, b: float = 0.75) -> str:
    """BM25 over article_terms, the same formula as the fts extension's
    ``match_bm25`` (parameters: segmented query, publication or NULL, limit);
    with ``version``, every table is read as of that snapshot."""
    at = f" AT (VERSION => {int(version)})" if version is not None else ""
    return f"""
        WITH q AS (SELECT DISTINCT stem(unnest({TOKENIZE_SQL.format('$1')}), '{search_mod.STEMMER}') AS term),
        stats AS (SELECT count(*)::DOUBLE AS num_docs, avg(term_count)::DOUBLE AS avgdl FROM article_search{at}),
        hits AS (SELECT article_id, term, tf FROM article_terms{at} WHERE term IN (SELECT term FROM q)),
        df AS (SELECT term, count(DISTINCT article_id) AS df FROM hits GROUP BY term),
        scores AS (
            SELECT h.article_id,
                   sum(log(((stats.num_docs - df.df) + 0.5) / (df.df + 0.5) + 1)
                       * ((h.tf * ({k} + 1)) / (h.tf + {k} * ((1 - {b}) + {b} * (s.term_count / stats.avgdl)))))
                       AS score
            FROM hits h JOIN df USING (term) JOIN article_search AS s{at} USING (article_id), stats
            GROUP BY h.article_id)
        SELECT a.article_id, a.publication, a.edition_date, a.page_numbers, a.headline,
               left(a.body, 160) AS snippet, a.body, scores.score
        FROM scores JOIN articles AS a{at} USING (article_id)
        WHERE $2 IS NULL OR a.publication = $2
        ORDER BY scores.score DESC, a.article_id
        LIMIT $3"""


# --------------------------------------------------------------------------
# short-window helpers (the lake's open_writer / open_reader)
# --------------------------------------------------------------------------


@contextmanager
def open_writer(db: str | LakeSpec, *, timeout: float = 600.0, **_: Any) -> Iterator[LakeWarehouse]:
    """A writer on the lake (created and migrated when new); nothing to publish on close."""
    wh = LakeWarehouse.connect(db, timeout=timeout)
    try:
        yield wh
    finally:
        wh.close()


def open_reader(db: str | LakeSpec, *, timeout: float = 60.0, **_: Any) -> LakeWarehouse:
    """A read-only connection on the lake's current snapshot."""
    return LakeWarehouse.connect(db, read_only=True, timeout=timeout)


def read_idf(db: str | LakeSpec) -> dict[str, float] | None:
    if not exists(db):
        return None
    try:
        with open_reader(db, timeout=30.0) as wh:
            return wh.idf()
    except duckdb.Error:
        return None
