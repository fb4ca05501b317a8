"""The DuckDB warehouse: schema as code, atomic idempotent loads, lineage.

Schema
    ``warehouse/migrations/NNN_name.sql`` are applied in order on connect, each
    in its own transaction together with its ``schema_migrations`` row, so an
    older warehouse file is upgraded in place.  ``warehouse/views.sql`` is
    re-applied afterwards.  Nothing outside ``warehouse/`` writes SQL.

Loads
    ``load_edition`` is one transaction per edition: delete the edition's
    previous rows, insert the new ones, commit.  A process killed (even with
    ``kill -9``) before the commit leaves the previous state, because DuckDB
    only makes a transaction durable at commit.  When the edition's content
    hash (article content hashes + file sha256s + pages) equals the stored one,
    nothing is written and the result is ``unchanged``.  The same transaction
    swaps the edition's documents in the BM25 index (``search.update_index``),
    so search never lags the articles and a rebuild is needed only once.

Readers during loads (the concurrency scheme)
    DuckDB allows one process to open a database file for writing and then
    locks every other process out of that file, readers included.  So:

    1. The writer holds the warehouse file only for the short window of one
       edition (``open_writer``: open with retry and backoff while another
       process holds the lock, load in one transaction, refresh the FTS index,
       CHECKPOINT, publish the snapshot, close).  A backfill is many short
       windows, never one long lock.
    2. After each window the writer publishes ``<db>.snapshot.duckdb``: while
       it still holds the lock and after CHECKPOINT (so the file is complete
       and the WAL empty) it copies the file to a temporary name in the same
       directory, fsyncs, checks that the copy opens, and ``os.replace``-s it
       over the snapshot.  The rename is atomic: a reader opens either the old
       or the new snapshot, never a partial one, and a reader that already
       has the old file open keeps reading it undisturbed.  The copy runs in a
       child process (``cp``): DuckDB locks with POSIX record locks, which the
       kernel drops as soon as the owning process closes ANY descriptor of the
       file, so an in-process copy would let a second writer in mid-window.
    3. BI tools and ``open_reader`` open the snapshot ``read_only``
       (``duckdb -readonly wh.snapshot.duckdb``); many readers can do so at
       once and they never block the writer.  The snapshot lags the live file
       by at most one writer window.  Full-text search there needs the fts
       extension loaded (``LOAD '<search.fts_extension_path()>'``).
    4. Readers that must see the live file (``open_reader(...,
       prefer_snapshot=False)``) retry with backoff while a writer window is
       open, and hold the writer off for as long as they stay open: fine for a
       one-off query, not for a dashboard.
    Writers in one process are serialised by a per-file lock in
    ``open_writer``; writers in several processes by DuckDB's own file lock
    (open retried with backoff) or ``flows.locks.writer_lock``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from tasks.model import Article, Edition, Quarantined
from warehouse import export as export_mod
from warehouse import search as search_mod
from warehouse.search import first_row

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VIEWS_SQL = Path(__file__).parent / "views.sql"
SNAPSHOT_SUFFIX = ".snapshot.duckdb"
CONTRACT_TABLES = (
    "editions",
    "pages",
    "articles",
    "article_people",
    "article_tags",
    "ingest_runs",
    "ingest_files",
    "schema_migrations",
)
# Test hook: seconds to sleep between the statements of a load's transaction,
# so a test can kill the process while the transaction is open; with
# PAUSE_AT_ENV set, only at that stage (deleted | pages | articles | before-commit).
PAUSE_ENV = "BROADSHEET_WAREHOUSE_PAUSE"
PAUSE_AT_ENV = "BROADSHEET_WAREHOUSE_PAUSE_AT"

T = TypeVar("T")
_PROCESS_LOCKS: dict[str, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


# --------------------------------------------------------------------------
# small pure helpers
# --------------------------------------------------------------------------


def edition_id_for(publication: str, edition_date: dt.date) -> str:
    """Stable edition id: ``gxsb-2022-04-06``."""
    slug = re.sub(r"\s+", "-", publication.strip()).lower()
    return f"{slug}-{edition_date.isoformat()}"


def snapshot_path(db_path: Path | str) -> Path:
    """Where the read-only snapshot of ``db_path`` is published."""
    p = Path(db_path)
    stem = p.name[: -len(".duckdb")] if p.name.endswith(".duckdb") else p.name
    return p.with_name(stem + SNAPSHOT_SUFFIX)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _sha256_json(obj: Any) -> str:
    blob = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def article_content(article: Article) -> dict[str, Any]:
    """Everything stored about an article except lineage (run, code, time)."""
    return {
        "publication": article.publication,
        "edition_date": article.edition_date.isoformat(),
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "paragraphs": list(article.paragraphs),
        "byline": article.byline,
        "dateline": article.dateline,
        "dateline_date": article.dateline_date.isoformat() if article.dateline_date else None,
        "dateline_place": article.dateline_place,
        "page_numbers": list(article.page_numbers),
        "source_files": list(article.source_files),
        "boxes": _boxes_json(article),
        "raw_text": article.raw_text,
        "language": article.language,
        "script": article.script,
        "kind": article.kind,
        "jump_to": article.jump_to,
        "jump_from": article.jump_from,
        "sequence": article.sequence,
        "people": [[p.name, p.role, p.title] for p in article.people],
        "tags": [[t.kind, t.value, _score(t.score)] for t in article.tags],
    }


def _score(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def article_content_hash(article: Article) -> str:
    return _sha256_json(article_content(article))


def _boxes_json(article: Article) -> str:
    return json.dumps(
        [{"page": page, "bbox": [round(float(v), 2) for v in bbox]} for page, bbox in article.boxes]
    )


def _pause(stage: str) -> None:
    seconds = os.environ.get(PAUSE_ENV)
    only = os.environ.get(PAUSE_AT_ENV)
    if seconds and (not only or only == stage):
        print(f"warehouse-pause {stage}", flush=True)
        time.sleep(float(seconds))


def _process_lock(path: Path) -> threading.RLock:
    key = os.path.realpath(path)
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(key, threading.RLock())


def _serialised(method: Callable[..., T]) -> Callable[..., T]:
    """Run a writing method under the per-file process lock.

    Threads of one process share one DuckDB instance; holding this lock for
    every write (and for CHECKPOINT + snapshot copy) means no commit or
    automatic checkpoint from this process can touch the file mid-copy.
    Other processes cannot write at all while this one has the file open.
    """

    @functools.wraps(method)
    def wrapper(self: Warehouse, *args: Any, **kwargs: Any) -> T:
        with _process_lock(self.path):
            return method(self, *args, **kwargs)

    return wrapper


def _is_lock_error(exc: Exception) -> bool:
    msg = str(exc).lower()
    return "lock" in msg or "conflicting" in msg


def _connect_with_retry(
    path: Path, read_only: bool, timeout: float
) -> tuple[duckdb.DuckDBPyConnection, float]:
    """Open ``path``, retrying with backoff while another process holds it.

    Returns the connection and the seconds spent waiting for the lock.
    """
    start = time.monotonic()
    delay = 0.005
    waited = 0.0
    while True:
        attempt = time.monotonic()
        try:
            return duckdb.connect(str(path), read_only=read_only), waited
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() - start > timeout:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.05 if read_only else 0.25)  # readers poll for the gaps between windows
            waited += time.monotonic() - attempt


@dataclass(slots=True)
class FileRecord:
    """One input file and what became of it."""

    path: str
    sha256: str
    status: str  # loaded | quarantined | needs_ocr | skipped_unchanged | no_edition | ...
    reason: str = ""


@dataclass(slots=True)
class LoadResult:
    edition_id: str
    status: str  # loaded (new) | replaced (content changed) | unchanged
    content_hash: str
    articles: int = 0
    pages: int = 0
    people: int = 0
    tags: int = 0
    files: int = 0
    quarantined: int = 0
    previous_articles: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style access for callers that treat the result as a mapping."""
        return getattr(self, key, default)


@dataclass(slots=True)
class _EditionRows:
    edition: dict[str, Any]
    pages: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    people: list[dict[str, Any]]
    tags: list[dict[str, Any]]
    search: list[dict[str, Any]]
    files: list[dict[str, Any]]
    content_hash: str
    warnings: list[str]


def search_texts(edition: Edition) -> list[str]:
    """The indexed text of each article (jieba-segmented): the costly part of
    ``edition_rows``, which a parse worker can compute ahead of the load."""
    return [
        search_mod.article_search_text(
            [a.kicker, a.headline, a.subheadline, a.body, a.byline, " ".join(p.name for p in a.people)]
        )
        for a in edition.articles
    ]


def edition_rows(
    edition: Edition, run_id: str, code_version: str, loaded_at: dt.datetime, texts: list[str] | None = None
) -> _EditionRows:
    """Every row one edition puts in the warehouse, and its content hash
    (``texts``: the articles' ``search_texts``, computed here when not given)."""
    if texts is None or len(texts) != len(edition.articles):
        texts = search_texts(edition)
    eid = edition_id_for(edition.publication, edition.edition_date)
    warnings: list[str] = []
    file_sha = dict(edition.files)
    whole_file_q = {q.path: q for q in edition.quarantined if q.page_index is None}

    pages: dict[tuple[str, int], dict[str, Any]] = {}
    for layout in edition.pages:
        key = (layout.source_file, layout.page_index)
        pages[key] = {
            "edition_id": eid,
            "page_number": layout.page_number,
            "source_file": layout.source_file,
            "page_index": layout.page_index,
            "sha256": layout.sha256 or file_sha.get(layout.source_file, ""),
            "status": "ocr" if layout.ocr else "loaded",
            "ocr_engine": layout.ocr.engine if layout.ocr else None,
            "ocr_version": layout.ocr.version if layout.ocr else None,
            "ocr_confidence": layout.ocr.confidence if layout.ocr else None,
            "width": float(layout.width),
            "height": float(layout.height),
            "has_geometry": bool(layout.has_geometry),
            "header_text": layout.header_text,
            "block_count": len(layout.blocks),
            "reason": layout.ocr.reason if layout.ocr else "",
            "run_id": run_id,
        }
    for q in edition.quarantined:
        if q.page_index is None or (q.path, q.page_index) in pages:
            continue
        pages[(q.path, q.page_index)] = {
            "edition_id": eid,
            "page_number": None,
            "source_file": q.path,
            "page_index": q.page_index,
            "sha256": q.sha256 or file_sha.get(q.path, ""),
            "status": q.status,
            "ocr_engine": None,
            "ocr_version": None,
            "ocr_confidence": None,
            "width": None,
            "height": None,
            "has_geometry": None,
            "header_text": "",
            "block_count": 0,
            "reason": q.reason,
            "run_id": run_id,
        }
    page_rows = sorted(pages.values(), key=lambda r: (r["source_file"], r["page_index"]))

    articles, people, tags, search = [], [], [], []
    seen_ids: set[str] = set()
    for art, text in zip(edition.articles, texts):
        aid = art.article_id
        if aid in seen_ids:
            n = 2
            while f"{aid}-{n}" in seen_ids:
                n += 1
            warnings.append(f"duplicate article_id {aid} (page {art.page_numbers}, seq {art.sequence}) stored as {aid}-{n}")
            aid = f"{aid}-{n}"
        seen_ids.add(aid)
        body = art.body
        articles.append(
            {
                "article_id": aid,
                "edition_id": eid,
                "publication": edition.publication,
                "edition_date": edition.edition_date,
                "page_numbers": [int(p) for p in art.page_numbers],
                "source_files": list(art.source_files),
                "headline": art.headline,
                "subheadline": art.subheadline,
                "kicker": art.kicker,
                "body": body,
                "byline": art.byline,
                "dateline": art.dateline,
                "dateline_date": art.dateline_date,
                "dateline_place": art.dateline_place,
                "language": art.language,
                "script": art.script,
                "kind": art.kind,
                "char_count": sum(len(p) for p in art.paragraphs),
                "boxes": _boxes_json(art),
                "raw_text": art.raw_text,
                "run_id": run_id,
                "code_version": code_version,
                "loaded_at": loaded_at,
                "content_hash": article_content_hash(art),
                "sequence": art.sequence,
                "jump_to": art.jump_to,
                "jump_from": art.jump_from,
                "paragraph_count": len(art.paragraphs),
                "ocr_confidence": art.ocr_confidence,
            }
        )
        for pos, person in enumerate(art.people):
            people.append(
                {"article_id": aid, "edition_id": eid, "name": person.name, "role": person.role,
                 "title": person.title, "position": pos}
            )
        for tag in art.tags:
            tags.append(
                {"article_id": aid, "edition_id": eid, "kind": tag.kind, "value": tag.value,
                 "score": _score(tag.score)}
            )
        search.append(
            {"article_id": aid, "edition_id": eid, "publication": edition.publication, "search_text": text}
        )

    files: dict[tuple[str, str], dict[str, Any]] = {}

    def add_file(path: str, sha: str, status: str, reason: str) -> None:
        files[(path, sha)] = {
            "path": path, "sha256": sha, "run_id": run_id, "status": status, "reason": reason,
            "edition_id": eid, "publication": edition.publication, "edition_date": edition.edition_date,
        }

    all_files = list(edition.files) or sorted({(p["source_file"], p["sha256"]) for p in page_rows})
    for path, sha in all_files:
        q = whole_file_q.get(path)
        add_file(path, sha, q.status if q else "loaded", q.reason if q else "")
    for q in whole_file_q.values():
        if (q.path, q.sha256) not in files:
            add_file(q.path, q.sha256, q.status, q.reason)

    content_hash = _sha256_json(
        {
            "edition_id": eid,
            "articles": sorted((a["article_id"], a["content_hash"]) for a in articles),
            "files": sorted(files),
            "file_status": sorted((f["path"], f["status"], f["reason"]) for f in files.values()),
            "pages": [
                (p["source_file"], p["page_index"], p["page_number"], p["sha256"], p["status"], p["header_text"])
                for p in page_rows
            ],
            "date_source": edition.date_source,
            # only when set, so editions loaded before migration 006 keep their hash
            **({"date_warning": edition.date_warning} if edition.date_warning else {}),
        }
    )
    edition_row = {
        "edition_id": eid,
        "publication": edition.publication,
        "edition_date": edition.edition_date,
        "page_count": len(page_rows),
        "article_count": len(articles),
        "people_count": len(people),
        "quarantined_count": sum(1 for f in files.values() if f["status"] != "loaded")
        + sum(1 for p in page_rows if p["status"] not in ("loaded", "ocr")),
        "run_id": run_id,
        "code_version": code_version,
        "verified_code_version": code_version,
        "loaded_at": loaded_at,
        "content_hash": content_hash,
        "file_sha256s": sorted({sha for _, sha in files}),
        "date_source": edition.date_source,
        "date_warning": edition.date_warning or None,
    }
    return _EditionRows(edition_row, page_rows, articles, people, tags, search,
                        list(files.values()), content_hash, warnings)


def _count_words(con: duckdb.DuckDBPyConnection, where: str, params: list[Any], sign: int) -> None:
    """Add (sign +1) or remove (-1) the articles of ``article_search`` matching
    ``where`` from the word document frequencies (caller's transaction)."""
    words = f"""SELECT word, count(*) AS n FROM (
                   SELECT DISTINCT article_id, word FROM (
                       SELECT article_id, unnest(string_split(search_text, ' ')) AS word
                       FROM article_search WHERE {where}))
               WHERE word <> '' GROUP BY word"""
    if sign > 0:
        con.execute(f"""INSERT INTO word_df {words}
                        ON CONFLICT (word) DO UPDATE SET df = word_df.df + excluded.df""", params)
    else:
        con.execute(f"UPDATE word_df SET df = df - w.n FROM ({words}) w WHERE word_df.word = w.word", params)
        con.execute("DELETE FROM word_df WHERE df <= 0")


def _copy_in_child(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` in a child process.

    DuckDB locks its file with POSIX record locks, which belong to the process
    and are ALL released when the process closes ANY descriptor of that file.
    Reading the warehouse file in-process (shutil.copyfile) would silently
    drop the writer's lock; a child's open and close do not touch it.
    """
    cp = shutil.which("cp")
    if cp:
        cmd = [cp, "--", str(src), str(dst)]
    else:
        cmd = [sys.executable, "-c", "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])",
               str(src), str(dst)]
    subprocess.run(cmd, check=True, capture_output=True)


# --------------------------------------------------------------------------
# the warehouse
# --------------------------------------------------------------------------


def quarantine_records(edition: Edition) -> list[tuple[str, str, str, str]]:
    """(path, sha256, status, reason) of each file of an edition that produced
    nothing to load: quarantined ones with their status, the rest ``no_content``
    (both backends record these)."""
    records: list[tuple[str, str, str, str]] = [
        (q.path, q.sha256, q.status, q.reason) for q in edition.quarantined if q.page_index is None
    ]
    bad = {r[0] for r in records}
    page_q = {q.path: q for q in edition.quarantined if q.page_index is not None}
    for path, sha in edition.files:
        if path in bad:
            continue
        q = page_q.get(path)
        records.append(
            (path, sha, q.status, q.reason) if q else (path, sha, "no_content", "no pages or articles found")
        )
    return records


def migration_files() -> list[tuple[int, str, Path]]:
    """(version, name, path) of every migration, in order."""
    out = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = re.match(r"(\d+)_(.+)\.sql$", path.name)
        if m:
            out.append((int(m.group(1)), m.group(2), path))
    return sorted(out)


MIN_IDF_ARTICLES = 500
"""Articles the warehouse needs before keywords use its own IDF (jieba's before)."""


class Warehouse:
    """One open connection to a warehouse file, and everything done with it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self.lock_wait_seconds = 0.0  # time spent waiting for another process's lock
        self._fts_loaded = False
        self._fts_index = False  # the BM25 index tables exist (cached once seen)
        self._replace_with: Path | None = None  # a compacted copy that replaces the file on close
        self.dirty = False  # something was written
        self.articles_dirty = False  # article rows changed: the FTS index is stale

    # -- connection -------------------------------------------------------

    @classmethod
    def connect(
        cls, path: Path | str, read_only: bool = False, timeout: float = 120.0, migrate: bool = True
    ) -> Warehouse:
        """Open (creating and migrating unless read_only), retrying while locked."""
        p = Path(path)
        if not read_only:
            p.parent.mkdir(parents=True, exist_ok=True)
        # DuckDB shares one instance per file within a process: opening and
        # closing it from several threads at once races in its instance cache
        with _process_lock(p):
            con, waited = _connect_with_retry(p, read_only, timeout)
        wh = cls(con, p, read_only)
        wh.lock_wait_seconds = waited
        if migrate and not read_only:
            try:
                with _process_lock(p):  # threads sharing one DuckDB instance migrate one at a time
                    wh.migrate()
            except BaseException:
                con.close()
                raise
        return wh

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False, timeout: float = 120.0) -> Warehouse:
        """Same as ``connect``."""
        return cls.connect(path, read_only=read_only, timeout=timeout)

    @staticmethod
    def publish_snapshot(db_path: Path | str) -> Path:
        """Publish ``<db>.snapshot.duckdb`` (opens the file; see module doc)."""
        return publish_snapshot(db_path)

    @staticmethod
    def read_idf(db_path: Path | str) -> dict[str, float] | None:
        """Inverse document frequency of every indexed word, from the snapshot
        (or the file): ``ln((1 + N) / (1 + df)) + 1`` over articles, words as
        ``search.segment`` makes them.  None when there is nothing to learn from."""
        path = Path(db_path)
        if not path.exists() and not snapshot_path(path).exists():
            return None
        try:
            with open_reader(path, timeout=30.0) as wh:
                return wh.idf()
        except duckdb.Error:
            return None

    def idf(self) -> dict[str, float] | None:
        """The frozen keyword IDF model (see migration 005), or None before
        the corpus was large enough to learn one."""
        rows = self.con.execute("SELECT word, idf FROM keyword_idf").fetchall()
        return {w: float(v) for w, v in rows} or None

    def live_idf(self) -> dict[str, float] | None:
        """IDF from the current word counts (moves with every load)."""
        row = first_row(self.con.execute("SELECT count(*) FROM article_search"))
        n = int(row[0]) if row else 0
        if n == 0:
            return None
        rows = self.con.execute("SELECT word, df FROM word_df").fetchall()
        return {w: math.log((1 + n) / (1 + df)) + 1.0 for w, df in rows}

    @_serialised
    def maybe_learn_idf(self, min_articles: int = MIN_IDF_ARTICLES) -> bool:
        """Freeze a new IDF model from the live counts when the corpus has
        reached ``min_articles`` and doubled since the last model.

        Rare on purpose: every model change re-scores keywords of editions
        re-run after it, so an unchanged edition stays unchanged between them.
        """
        row = first_row(self.con.execute("SELECT count(*) FROM article_search"))
        n = int(row[0]) if row else 0
        prev = first_row(self.con.execute("SELECT value FROM warehouse_meta WHERE key = 'idf_articles'"))
        learned_at = int(prev[0]) if prev else 0
        if n < min_articles or (learned_at and n < 2 * learned_at):
            return False
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM keyword_idf")
            self.con.execute(
                "INSERT INTO keyword_idf SELECT word, ln((1 + ?) / (1 + df)) + 1.0 FROM word_df", [n]
            )
            self.con.execute(
                "INSERT OR REPLACE INTO warehouse_meta VALUES ('idf_articles', ?), ('idf_version', ?)",
                [str(n), _utcnow().isoformat()],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return True

    def sample_articles(self, limit: int = 8) -> list[dict[str, Any]]:
        """The newest articles, flattened (v_articles), for a quick look."""
        cur = self.con.execute(
            """SELECT article_id, publication, edition_date, pages_text AS pages, headline, byline,
                      people, topics, left(body, 120) AS snippet
               FROM v_articles ORDER BY edition_date DESC, publication, first_page, sequence, article_id LIMIT ?""",
            [int(limit)],
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def close(self) -> None:
        with _process_lock(self.path):
            self.con.close()
            tmp, self._replace_with = self._replace_with, None
            if tmp is not None:
                if Path(str(self.path) + ".wal").exists():
                    tmp.unlink(missing_ok=True)  # never: close checkpoints; a WAL would not match the copy
                    return
                os.replace(tmp, self.path)

    @_serialised
    def compact_on_close(self, min_free: float = 0.5) -> bool:
        """Reclaim the free blocks reloads leave: DuckDB reuses free blocks but
        never gives them back, and every snapshot copies them.  When at least
        ``min_free`` of the file is free, the whole database (tables, views,
        macros, the BM25 index, constraints) is copied with ``COPY FROM
        DATABASE`` into a new file beside it, which replaces the live file when
        this writer connection closes (``os.replace``; a reader with the old
        file open keeps it).  Call it last in a writer window."""
        if self.read_only or free_fraction(self) < min_free:
            return False
        self.load_fts()
        self.checkpoint()
        tmp = self.path.with_name(self.path.name + ".compact.tmp")
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        src = first_row(self.con.execute("SELECT current_database()"))[0]
        self.con.execute(f"ATTACH '{str(tmp).replace(chr(39), chr(39) * 2)}' AS compact_target")
        try:
            self.con.execute(f'COPY FROM DATABASE "{src}" TO compact_target')
        finally:
            self.con.execute("DETACH compact_target")
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        self._replace_with = tmp
        return True

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sql(self, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query and return its rows (for readers and tests)."""
        return self.con.execute(query, params or []).fetchall()

    # -- schema -----------------------------------------------------------

    def schema_version(self) -> int:
        exists = first_row(self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
        ))
        if not exists or not exists[0]:
            return 0
        row = first_row(self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations"))
        return int(row[0]) if row else 0

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending migrations (up to ``target``), then recreate the views."""
        current = self.schema_version()
        applied = []
        for version, name, path in migration_files():
            if version <= current or (target is not None and version > target):
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(path.read_text(encoding="utf-8"))
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, _utcnow()]
                )
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            applied.append(version)
        if target is None or target >= max(v for v, _, _ in migration_files()):
            self._apply_views()
        if applied:
            self.dirty = True
        return applied

    def _apply_views(self) -> None:
        """(Re)create the views when views.sql differs from the applied one."""
        sql = VIEWS_SQL.read_text(encoding="utf-8")
        digest = hashlib.sha256(sql.encode()).hexdigest()
        row = first_row(self.con.execute("SELECT value FROM warehouse_meta WHERE key = 'views_sha256'"))
        if row and row[0] == digest:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(sql)
            self.con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('views_sha256', ?)", [digest])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.dirty = True

    # -- runs and files ---------------------------------------------------

    @_serialised
    def start_run(
        self,
        run_id: str,
        flow_run_id: str | None,
        code_version: str,
        publication: str | None = None,
        edition_date: dt.date | None = None,
    ) -> None:
        self.con.execute(
            """INSERT INTO ingest_runs (run_id, flow_run_id, started_at, code_version, status,
                                        publication, edition_date)
               VALUES (?, ?, ?, ?, 'running', ?, ?)
               ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL,
                   flow_run_id = excluded.flow_run_id, code_version = excluded.code_version""",
            [run_id, flow_run_id, _utcnow(), code_version, publication, edition_date],
        )
        self.dirty = True

    @_serialised
    def finish_run(
        self,
        run_id: str,
        status: str,
        counts: Mapping[str, int] | None = None,
        error: str | None = None,
        publication: str | None = None,
        edition_date: dt.date | None = None,
        reason: str | None = None,
    ) -> None:
        """Close a run: status (completed | loaded | failed | no_edition | ...),
        counts (files, pages, articles, quarantined), the edition once known,
        and why it ended so (``reason``, in words)."""
        counts = dict(counts or {})
        exists = first_row(self.con.execute("SELECT count(*) FROM ingest_runs WHERE run_id = ?", [run_id]))
        if not exists or not exists[0]:
            self.con.execute(
                "INSERT INTO ingest_runs (run_id, started_at, status) VALUES (?, ?, ?)",
                [run_id, _utcnow(), status],
            )
        self.con.execute(
            """UPDATE ingest_runs SET finished_at = ?, status = ?, files = ?, pages = ?,
                   articles = ?, quarantined = ?, error = ?, reason = ?,
                   publication = coalesce(?, publication), edition_date = coalesce(?, edition_date)
               WHERE run_id = ?""",
            [_utcnow(), status, counts.get("files"), counts.get("pages"), counts.get("articles"),
             counts.get("quarantined"), error, reason, publication, edition_date, run_id],
        )
        self.dirty = True

    def record_no_edition(
        self,
        run_id: str,
        flow_run_id: str | None,
        code_version: str,
        publication: str,
        edition_date: dt.date,
        looked_at: str,
        reason: str,
    ) -> None:
        """A day the paper had no edition: a ``no_edition`` run and a
        ``no_edition`` file row (``path`` = what was looked at, ``sha256`` = '')
        with the reason, so ``v_no_edition`` lists it."""
        self.start_run(run_id, flow_run_id, code_version, publication, edition_date)
        self.record_files([(looked_at or "(no source)", "", "no_edition", reason)], run_id,
                          publication, edition_date)
        self.finish_run(run_id, "no_edition", {"files": 0, "pages": 0, "articles": 0, "quarantined": 0},
                        reason=reason, publication=publication, edition_date=edition_date)

    @_serialised
    def record_files(
        self,
        files: Iterable[FileRecord | Quarantined | tuple[str, str, str, str]],
        run_id: str,
        publication: str | None = None,
        edition_date: dt.date | None = None,
    ) -> int:
        """Record what became of files that were not loaded with an edition.

        ``skipped_unchanged`` never overwrites a row (that row already says
        what happened to that exact content); other statuses replace it.
        """
        now = _utcnow()
        eid = edition_id_for(publication, edition_date) if publication and edition_date else None
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for f in files:
            path, sha, status, reason = (
                f if isinstance(f, tuple) else (f.path, f.sha256, f.status, f.reason)
            )
            rows[(path, sha)] = {
                "path": path, "sha256": sha, "run_id": run_id, "status": status, "reason": reason,
                "edition_id": eid, "publication": publication, "edition_date": edition_date,
                "first_seen_at": now, "updated_at": now,
            }
        if not rows:
            return 0
        skipped = [r for r in rows.values() if r["status"] == "skipped_unchanged"]
        others = [r for r in rows.values() if r["status"] != "skipped_unchanged"]
        if skipped:
            self._insert("ingest_files", skipped, conflict="ON CONFLICT DO NOTHING")
        if others:
            self._insert(
                "ingest_files",
                others,
                conflict="""ON CONFLICT (path, sha256) DO UPDATE SET run_id = excluded.run_id,
                    status = excluded.status, reason = excluded.reason,
                    edition_id = coalesce(excluded.edition_id, ingest_files.edition_id),
                    publication = coalesce(excluded.publication, ingest_files.publication),
                    edition_date = coalesce(excluded.edition_date, ingest_files.edition_date),
                    updated_at = excluded.updated_at""",
            )
        self.dirty = True
        return len(rows)

    # -- loads ------------------------------------------------------------

    def _insert(self, table: str, rows: list[dict[str, Any]], conflict: str = "") -> None:
        if not rows:
            return
        name = f"_load_{table}"
        self.con.register(name, pa.Table.from_pylist(rows))
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name} {conflict}")
        finally:
            self.con.unregister(name)

    def edition_fingerprint(self, publication: str, edition_date: dt.date) -> tuple[frozenset[str], str] | None:
        """(sha256 set of the edition's files, code version that last produced
        its content), or None when the edition was never loaded."""
        row = first_row(self.con.execute(
            "SELECT file_sha256s, coalesce(verified_code_version, code_version) FROM editions WHERE edition_id = ?",
            [edition_id_for(publication, edition_date)],
        ))
        if row is None:
            return None
        return frozenset(row[0] or []), row[1] or ""

    def is_unchanged(
        self, publication: str, edition_date: dt.date, file_sha256s: Iterable[str], code_version: str
    ) -> bool:
        """True when the edition was loaded from exactly these files by this code version."""
        fp = self.edition_fingerprint(publication, edition_date)
        return fp is not None and fp == (frozenset(file_sha256s), code_version)

    def record_quarantine(self, edition: Edition, run_id: str) -> int:
        """Record the files of an edition that produced nothing to load:
        quarantined ones with their status, the rest as ``no_content``."""
        return self.record_files(quarantine_records(edition), run_id, edition.publication, edition.edition_date)

    @_serialised
    def load_edition(
        self, edition: Edition, run_id: str, code_version: str, texts: list[str] | None = None
    ) -> LoadResult:
        """Replace the edition's rows in one transaction; no write if unchanged
        (``texts``: the articles' ``search_texts`` when a worker made them)."""
        rows = edition_rows(edition, run_id, code_version, _utcnow(), texts)
        eid = rows.edition["edition_id"]
        result = LoadResult(
            edition_id=eid, status="loaded", content_hash=rows.content_hash,
            articles=len(rows.articles), pages=len(rows.pages), people=len(rows.people),
            tags=len(rows.tags), files=len(rows.files),
            quarantined=rows.edition["quarantined_count"], warnings=rows.warnings,
        )
        con = self.con
        if not self._fts_index:  # once built, the index stays (a catalog lookup costs ~0.1 s)
            self._fts_index = search_mod.index_exists(con)
        incremental_fts = self._fts_index
        if incremental_fts:
            self.load_fts()
        con.execute("BEGIN TRANSACTION")
        try:
            prev = first_row(con.execute(
                "SELECT content_hash, verified_code_version, article_count FROM editions WHERE edition_id = ?",
                [eid],
            ))
            if prev is not None and prev[0] == rows.content_hash:
                if prev[1] != code_version:
                    # same output from a newer code version: remember it was checked
                    con.execute(
                        "UPDATE editions SET verified_code_version = ? WHERE edition_id = ?",
                        [code_version, eid],
                    )
                    self.dirty = True
                con.execute("COMMIT")
                result.status = "unchanged"
                result.previous_articles = int(prev[2] or 0)
                return result
            if prev is not None:
                result.status = "replaced"
                result.previous_articles = int(prev[2] or 0)
            new_ids = [a["article_id"] for a in rows.articles]
            old_ids: list[str] = []
            if prev is not None:
                # a reload: take the old rows out.  A new edition skips these scans (they grow
                # with the warehouse): its article ids hash its paper and date, so none exist yet
                old_ids = [r[0] for r in con.execute(
                    "SELECT article_id FROM articles WHERE edition_id = ?", [eid]).fetchall()]
                _count_words(con, "article_id IN (SELECT unnest(?::VARCHAR[]))",
                             [sorted(set(old_ids) | set(new_ids))], -1)
                for table in ("article_people", "article_tags", "article_search"):
                    con.execute(
                        f"""DELETE FROM {table} WHERE article_id IN (
                              SELECT article_id FROM articles WHERE edition_id = ?
                              UNION ALL SELECT unnest(?::VARCHAR[]))""",
                        [eid, new_ids],
                    )
                con.execute(
                    "DELETE FROM articles WHERE edition_id = ? OR article_id IN (SELECT unnest(?::VARCHAR[]))",
                    [eid, new_ids],
                )
                con.execute("DELETE FROM pages WHERE edition_id = ?", [eid])
                con.execute("DELETE FROM editions WHERE edition_id = ?", [eid])
            _pause("deleted")
            self._insert("editions", [rows.edition])
            self._insert("pages", rows.pages)
            _pause("pages")
            self._insert("articles", rows.articles)
            _pause("articles")
            self._insert("article_people", rows.people)
            self._insert("article_tags", rows.tags)
            self._insert("article_search", rows.search)
            self._count_new_words(rows.search)
            self._record_edition_files(eid, rows.files)
            if incremental_fts:
                search_mod.update_index(con, eid, old_ids, new_rows=rows.search, reload=prev is not None)
            else:
                con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES ('fts_stale', 'true')")
            _pause("before-commit")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self.dirty = True
        self.articles_dirty = True
        return result

    def _count_new_words(self, search_rows: list[dict[str, Any]]) -> None:
        """Add the edition's articles to the word document frequencies, from the
        rows just inserted (not a scan of article_search, which grows)."""
        if not search_rows:
            return
        name = "_new_search"
        self.con.register(name, pa.table({
            "article_id": pa.array([r["article_id"] for r in search_rows], pa.string()),
            "search_text": pa.array([r["search_text"] for r in search_rows], pa.string()),
        }))
        try:
            self.con.execute(f"""INSERT INTO word_df
                SELECT word, count(*) AS n FROM (
                    SELECT DISTINCT article_id, word FROM (
                        SELECT article_id, unnest(string_split(search_text, ' ')) AS word FROM {name}))
                WHERE word <> '' GROUP BY word
                ON CONFLICT (word) DO UPDATE SET df = word_df.df + excluded.df""")
        finally:
            self.con.unregister(name)

    def _record_edition_files(self, eid: str, files: list[dict[str, Any]]) -> None:
        now = _utcnow()
        for f in files:
            f["first_seen_at"] = now
            f["updated_at"] = now
        name = "_new_files"
        keys = pa.table({"path": pa.array([f["path"] for f in files], pa.string()),
                         "sha256": pa.array([f["sha256"] for f in files], pa.string())})
        self.con.register(name, keys)
        try:
            self.con.execute(
                f"""UPDATE ingest_files SET status = 'superseded',
                        reason = 'replaced by a newer load of the edition', updated_at = ?
                    WHERE edition_id = ? AND status <> 'superseded' AND NOT EXISTS (
                        SELECT 1 FROM {name} n
                        WHERE n.path = ingest_files.path AND n.sha256 = ingest_files.sha256)""",
                [now, eid],
            )
        finally:
            self.con.unregister(name)
        self._insert(
            "ingest_files",
            files,
            conflict="""ON CONFLICT (path, sha256) DO UPDATE SET run_id = excluded.run_id,
                status = excluded.status, reason = excluded.reason, edition_id = excluded.edition_id,
                publication = excluded.publication, edition_date = excluded.edition_date,
                updated_at = excluded.updated_at""",
        )

    # -- search, export, summary -------------------------------------------

    def load_fts(self) -> None:
        """LOAD the fts extension (offline, from the wheel) once per connection."""
        if not self._fts_loaded:
            search_mod.load_fts(self.con)
            self._fts_loaded = True

    @_serialised
    def refresh_fts(self, force: bool = False) -> None:
        """Build the BM25 index over article_search, in one transaction.

        Loads keep an existing index current edition by edition
        (``search.update_index``), so this is a no-op unless the index is
        missing or stale, or ``force`` asks for a full rebuild."""
        if not force and not self.fts_stale():
            return
        self.load_fts()
        self.con.execute("BEGIN TRANSACTION")
        try:
            search_mod.build_index(self.con)
            self.con.execute(
                "INSERT OR REPLACE INTO warehouse_meta VALUES ('fts_built_at', ?), ('fts_stale', 'false')",
                [_utcnow().isoformat()],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.articles_dirty = False
        self.dirty = True

    def fts_stale(self) -> bool:
        """True when articles changed since the BM25 index was last built."""
        row = first_row(self.con.execute("SELECT value FROM warehouse_meta WHERE key = 'fts_stale'"))
        return bool(row and row[0] == "true") or not search_mod.has_index(self.con)

    def search(self, query: str, limit: int = 10, publication: str | None = None) -> list[dict[str, Any]]:
        """Articles matching ``query`` (raw text, segmented here), best BM25 first.

        A writable connection rebuilds a stale index first; a read-only one
        searches the index as last built."""
        self.load_fts()
        if not self.read_only and self.fts_stale():
            self.refresh_fts()
        return search_mod.run_search(self.con, query, limit, publication)

    def export(
        self,
        out_dir: Path | str,
        fmt: str = "parquet",
        publication: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> dict[str, Path]:
        return export_mod.export_tables(self.con, out_dir, fmt, publication, date_from, date_to)

    def summary(self) -> dict[str, int]:
        """Row count per contract table."""
        out = {}
        for table in CONTRACT_TABLES:
            row = first_row(self.con.execute(f"SELECT count(*) FROM {table}"))
            out[table] = int(row[0]) if row else 0
        return out

    # -- snapshot -----------------------------------------------------------

    def checkpoint(self, timeout: float = 30.0) -> None:
        """CHECKPOINT, waiting while another connection of this process is
        mid-transaction (DuckDB refuses to checkpoint then)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.con.execute("CHECKPOINT")
                return
            except duckdb.TransactionException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @_serialised
    def write_snapshot(self) -> Path:
        """Copy the checkpointed file to ``<db>.snapshot.duckdb`` atomically.

        Runs while this connection holds the file lock, so no other writer can
        change the file during the copy.
        """
        if self.read_only:
            raise RuntimeError("write_snapshot needs the writer connection")
        self.checkpoint()
        dst = snapshot_path(self.path)
        for stale in dst.parent.glob(dst.name + ".*.tmp"):  # left by a writer killed mid-copy
            stale.unlink(missing_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=dst.name + ".", suffix=".tmp", dir=dst.parent)
        tmp = Path(tmp_name)
        os.close(fd)
        try:
            _copy_in_child(self.path, tmp)
            with open(tmp, "rb+") as out:
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; BI tools may run as another user
            check = duckdb.connect(str(tmp), read_only=True)
            try:
                first_row(check.execute("SELECT count(*) FROM editions"))
            finally:
                check.close()
            os.replace(tmp, dst)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        dir_fd = os.open(dst.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return dst


# --------------------------------------------------------------------------
# short-window helpers for flows and readers
# --------------------------------------------------------------------------


def default_db_path() -> Path:
    """``$BROADSHEET_DB`` or ``warehouse/broadsheet.duckdb`` (relative to the cwd)."""
    return Path(os.environ.get("BROADSHEET_DB") or Path("warehouse") / "broadsheet.duckdb")


def connect(path: Path | str, read_only: bool = False, timeout: float = 120.0) -> Warehouse:
    """Open a warehouse (migrating it unless read_only)."""
    return Warehouse.connect(path, read_only=read_only, timeout=timeout)


@contextmanager
def open_writer(
    db_path: Path | str, *, timeout: float = 600.0, publish: bool = True, refresh_fts: bool = True
) -> Iterator[Warehouse]:
    """One short writer window: open (retrying while locked), yield, then on
    success refresh the FTS index if articles changed, CHECKPOINT, publish the
    snapshot if anything changed, and close.

    Once the FTS index exists, loads keep it current in their own
    transaction; only the first build (or a forced one) is a full rebuild,
    which grows with the warehouse."""
    path = Path(db_path)
    with _process_lock(path):
        wh = Warehouse.connect(path, timeout=timeout)
        try:
            yield wh
            if refresh_fts and wh.articles_dirty:
                wh.refresh_fts()  # a no-op when the loads kept the index current
            if publish and (wh.dirty or not snapshot_path(path).exists()):
                wh.write_snapshot()
            else:
                wh.checkpoint()
        finally:
            wh.close()


def load_edition_atomic(
    db_path: Path | str,
    edition: Edition,
    run_id: str,
    code_version: str,
    *,
    publish: bool = True,
    refresh_fts: bool = True,
) -> LoadResult:
    """Load one edition in its own writer window (see ``open_writer``)."""
    with open_writer(db_path, publish=publish, refresh_fts=refresh_fts) as wh:
        return wh.load_edition(edition, run_id, code_version)


def publish_snapshot(db_path: Path | str) -> Path:
    """Publish ``<db>.snapshot.duckdb`` from the current warehouse file."""
    with _process_lock(Path(db_path)):
        with Warehouse.connect(db_path) as wh:
            return wh.write_snapshot()


def open_reader(db_path: Path | str, *, prefer_snapshot: bool = True, timeout: float = 60.0) -> Warehouse:
    """A read-only Warehouse for BI and the CLI: the snapshot when one exists
    (never blocked, never partial), else the live file (retrying while locked)."""
    path = Path(db_path)
    snap = snapshot_path(path)
    target = snap if prefer_snapshot and snap.exists() else path
    return Warehouse.connect(target, read_only=True, timeout=timeout)


def free_fraction(wh: Warehouse) -> float:
    """Share of the file's blocks that are free (left by reloads and deletes)."""
    row = first_row(wh.con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size()"))
    return float(row[1]) / row[0] if row and row[0] else 0.0


COMPACT_FREE_FRACTION = 0.5
"""``compact`` rewrites the file once at least this share of it is free blocks."""


def compact(db_path: Path | str, min_free: float = COMPACT_FREE_FRACTION) -> bool:
    """Reclaim the free blocks reloads leave, when at least ``min_free`` of the
    file is free (see ``Warehouse.compact_on_close``).  The caller holds the
    writer lock (``flows.locks.writer_lock``).  True when it rewrote the file."""
    path = Path(db_path)
    with _process_lock(path):
        wh = Warehouse.connect(path)
        try:
            return wh.compact_on_close(min_free)
        finally:
            wh.close()
