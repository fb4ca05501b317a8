"""DuckDB extensions shipped as PyPI wheels, loaded offline (never downloaded).

``duckdb-extension-ducklake`` and ``duckdb-extension-postgres`` are pinned
to the same DuckDB version as ``duckdb`` itself (like ``duckdb-extension-fts``,
see ``search.fts_extension_path``).  DuckDB derives an extension's entry point
from its file name: the postgres wheel ships ``postgres.duckdb_extension``,
but the extension inside is ``postgres_scanner``, so ``LOAD`` of the shipped
file fails ('did not contain the expected entrypoint function').  It is
loaded from a copy named ``postgres_scanner.duckdb_extension`` in a cache
folder this project owns (``$BROADSHEET_CACHE`` or ``~/.cache/broadsheet``,
else a temp folder), made once per wheel version.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

CACHE_ENV = "BROADSHEET_CACHE"


def _wheel_extension(module_name: str, file_name: str) -> Path:
    """``<module>/extensions/v<duckdb version>/<file_name>`` of an extension wheel."""
    module = __import__(module_name)
    base = Path(module.__file__).parent / "extensions"
    wanted = base / f"v{duckdb.__version__}" / file_name
    if wanted.exists():
        return wanted
    found = sorted(base.glob(f"v*/{file_name}"))
    if not found:
        raise FileNotFoundError(f"no {file_name} under {base} (pip install {module_name.replace('_', '-')})")
    return found[-1]


def ducklake_extension_path() -> Path:
    """The ducklake extension of the ``duckdb-extension-ducklake`` wheel."""
    return _wheel_extension("duckdb_extension_ducklake", "ducklake.duckdb_extension")


def cache_dir() -> Path:
    """A folder this project may write extension copies to."""
    for candidate in (os.environ.get(CACHE_ENV), os.environ.get("XDG_CACHE_HOME") and
                      str(Path(os.environ["XDG_CACHE_HOME"]) / "broadsheet"), str(Path.home() / ".cache" / "broadsheet")):
        if not candidate:
            continue
        path = Path(candidate)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK):
            return path
    path = Path(tempfile.gettempdir()) / f"broadsheet-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def postgres_extension_path() -> Path:
    """``postgres_scanner.duckdb_extension``: a copy of the postgres wheel's file
    under the name whose entry point DuckDB looks for (made once, atomically)."""
    shipped = _wheel_extension("duckdb_extension_postgres", "postgres.duckdb_extension")
    stat = shipped.stat()
    folder = cache_dir() / "extensions" / f"v{duckdb.__version__}-{stat.st_size}-{int(stat.st_mtime)}"
    target = folder / "postgres_scanner.duckdb_extension"
    if target.exists() and target.stat().st_size == stat.st_size:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="postgres_scanner.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        shutil.copyfile(shipped, tmp)
        os.replace(tmp, target)  # concurrent loaders each write their own tmp; the rename is atomic
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _load(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    con.execute(f"LOAD '{str(path).replace(chr(39), chr(39) * 2)}'")


def load_ducklake(con: duckdb.DuckDBPyConnection, postgres: bool = False) -> None:
    """LOAD ducklake (and postgres_scanner for a PostgreSQL catalog) from the wheels."""
    _load(con, ducklake_extension_path())
    if postgres:
        _load(con, postgres_extension_path())


def offline_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never installs or auto-loads an extension from
    the network: every extension it uses is LOADed from a wheel."""
    return duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
