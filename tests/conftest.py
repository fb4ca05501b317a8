"""Test session setup: a private PREFECT_HOME and one temporary Prefect API server.

The environment is set before anything imports Prefect, so no test touches the
user's Prefect profile or database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_PREFECT_HOME = tempfile.mkdtemp(prefix="broadsheet-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED_DIR = REPO.parent / "shared" / "seed"


def read_rows(db: Path | str, sql: str) -> list[tuple]:
    """Rows of ``sql`` on the DuckDB file ``db``, opened read-only and closed again."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session", autouse=True)
def prefect_server():
    """One temporary Prefect API server for the whole session (~10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """One temporary PostgreSQL server for the session (tests/pgserver.py), or a skip with the reason.

    Yields a ``PgServer``: ``host`` (its unix socket dir), ``port``, ``user``, ``dbname``,
    ``dsn`` (a libpq string), ``create_database(name)``.  Binaries are looked for on PATH,
    then under /usr/lib/postgresql/*/bin; .ci/run installs Debian's postgresql package.
    """
    from tests.pgserver import PgServer, PgUnavailable

    try:
        server = PgServer.start()
    except PgUnavailable as exc:
        pytest.skip(f"no PostgreSQL server for this test: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def postgres_db(postgres_server, request) -> str:
    """A fresh empty database on the session's PostgreSQL server; its libpq DSN."""
    import re
    import uuid

    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    return postgres_server.create_database(name)


@pytest.fixture(scope="session")
def seed_page() -> Path:
    """The real sample page in ../shared/seed (CI has it; a user's clone may not)."""
    path = SEED_DIR / "000_06b13655bc677e00.txt"
    if not path.exists():
        pytest.skip(f"the seed page is not here ({path}): it ships beside the repo in ../shared/seed")
    return path


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return REPO / "samples"
