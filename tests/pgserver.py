"""A throw-away PostgreSQL server on a temp dir and port (tests and benchmarks).

``PgServer.start()`` finds ``initdb``, ``pg_ctl`` and ``postgres`` (on PATH,
else the newest ``/usr/lib/postgresql/*/bin``), runs ``initdb`` on a fresh
temp dir (trust auth, superuser ``broadsheet``, no fsync: the data is thrown
away), and starts the server on a free loopback port with its unix socket in
that temp dir.  PostgreSQL refuses to run as root, so when this process is
root the dir is chowned to ``nobody`` and the server commands run as
``nobody`` (``runuser``, else ``setpriv``).  ``stop()`` stops the server
(``pg_ctl stop -m fast``) and removes the dir.

``find_binaries()`` says where the binaries are, or None: the caller skips.
Nothing here needs a Python PostgreSQL driver; ``psql()`` runs the client of
the same installation.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")
RUN_AS = "nobody"
"""The unprivileged account the server runs as when this process is root."""
SUPERUSER = "broadsheet"


class PgUnavailable(RuntimeError):
    """No server binaries or no way to run them here: callers skip with this reason."""


def find_binaries(path: str | None = None, roots: str = "/usr/lib/postgresql/*/bin") -> Path | None:
    """The folder that holds initdb, pg_ctl and postgres: on ``path`` (default $PATH),
    else the newest of ``roots``; None when neither has all three."""
    found = [shutil.which(t, path=path) for t in SERVER_TOOLS]
    if all(found):
        dirs = {Path(f).resolve().parent for f in found}  # symlinks into one installation count as one
        if len(dirs) == 1:
            return dirs.pop()
        return Path(found[0]).parent

    def version(d: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", d)) or (0,)

    for d in sorted(glob.glob(roots), key=version, reverse=True):
        if all((Path(d) / t).is_file() and os.access(Path(d) / t, os.X_OK) for t in SERVER_TOOLS):
            return Path(d)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user_prefix() -> tuple[list[str], int | None, int | None]:
    """The command prefix that runs a server command unprivileged, and that user's uid/gid."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        pw = pwd.getpwnam(RUN_AS)
    except KeyError:
        raise PgUnavailable(f"running as root and there is no '{RUN_AS}' user to run PostgreSQL as") from None
    if shutil.which("runuser"):
        return ["runuser", "-u", RUN_AS, "--"], pw.pw_uid, pw.pw_gid
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--"], \
            pw.pw_uid, pw.pw_gid
    raise PgUnavailable("running as root and neither runuser nor setpriv is here to run PostgreSQL unprivileged")


@dataclass
class PgServer:
    """A running temporary server: ``host`` is its unix socket dir, ``dsn`` a libpq string."""

    bindir: Path
    root: Path
    port: int
    user: str = SUPERUSER
    dbname: str = "postgres"
    _prefix: list[str] = field(default_factory=list, repr=False)
    _running: bool = field(default=False, repr=False)

    @property
    def host(self) -> str:
        return str(self.root / "sock")

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def dsn(self) -> str:
        return self.dsn_for(self.dbname)

    def dsn_for(self, dbname: str) -> str:
        """libpq key=value string for ``dbname`` on this server (over the unix socket)."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname}"

    def params(self, dbname: str | None = None) -> dict[str, str | int]:
        return {"host": self.host, "port": self.port, "user": self.user, "dbname": dbname or self.dbname}

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def start(cls, bindir: Path | None = None, base: str | None = None, timeout: float = 60.0) -> PgServer:
        """initdb + pg_ctl start on a new temp dir; raises PgUnavailable when it cannot run here."""
        bindir = bindir or find_binaries()
        if bindir is None:
            raise PgUnavailable("no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH "
                                "or under /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)")
        prefix, uid, gid = _as_user_prefix()
        root = Path(tempfile.mkdtemp(prefix="broadsheet-pg-", dir=base))
        srv = cls(bindir=bindir, root=root, port=free_port(), _prefix=prefix)
        try:
            (root / "sock").mkdir()
            if uid is not None:
                root.chmod(0o711)  # the unprivileged user must reach its dirs under a root-owned parent
                for p in (root / "sock",):
                    os.chown(p, uid, gid)
                os.chown(root, uid, gid)
            srv._run([str(bindir / "initdb"), "-D", str(srv.datadir), "-U", srv.user, "--auth=trust",
                      "-E", "UTF8", "--locale=C", "--no-sync"], timeout=timeout)
            opts = (f"-p {srv.port} -k {srv.host} -c listen_addresses=127.0.0.1 -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
            srv._run([str(bindir / "pg_ctl"), "-D", str(srv.datadir), "-l", str(srv.log), "-o", opts,
                      "-w", "-t", str(int(timeout)), "start"], timeout=timeout + 10)
            srv._running = True
        except BaseException:
            srv.stop()
            raise
        return srv

    def _run(self, cmd: list[str], timeout: float) -> None:
        res = subprocess.run([*self._prefix, *cmd], capture_output=True, text=True, timeout=timeout,
                             cwd=self.root, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{Path(cmd[0]).name} failed ({res.returncode}): "
                               f"{(res.stderr or res.stdout).strip()[-2000:]}\n{log}")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its dir; safe to call twice."""
        try:
            if self._running:
                self._running = False
                self._run([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w",
                           "-t", "60", "stop"], timeout=70)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ client side

    def psql_path(self) -> str | None:
        p = self.bindir / "psql"
        return str(p) if p.exists() else shutil.which("psql")

    def psql(self, sql: str, dbname: str | None = None) -> str:
        """Run ``sql`` with psql (unaligned, tuples only) and return its output."""
        psql = self.psql_path()
        if psql is None:
            raise PgUnavailable("no psql client beside the server binaries or on PATH")
        res = subprocess.run([psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.dsn_for(dbname or self.dbname),
                              "-c", sql], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            raise RuntimeError(f"psql failed: {res.stderr.strip()}")
        return res.stdout.strip()

    def create_database(self, name: str) -> str:
        """A new empty database; returns its DSN."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.psql(f"CREATE DATABASE {name}")
        return self.dsn_for(name)
