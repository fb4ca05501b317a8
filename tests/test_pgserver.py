"""The temporary PostgreSQL server the suite starts (tests/pgserver.py, conftest.postgres_server)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.pgserver import find_binaries


def test_server_answers_over_its_socket_as_the_unprivileged_superuser(postgres_server):
    srv = postgres_server
    assert Path(srv.host).is_dir() and Path(srv.host).parent == srv.root
    assert (Path(srv.host) / f".s.PGSQL.{srv.port}").exists()
    assert srv.dsn == f"host={srv.host} port={srv.port} user={srv.user} dbname={srv.dbname}"
    out = srv.psql("SELECT current_user, current_database(), current_setting('port'), "
                   "current_setting('server_version_num')::int >= 120000")
    assert out == f"{srv.user}|{srv.dbname}|{srv.port}|t"
    owner = srv.datadir.stat().st_uid
    assert owner != 0  # postgres refuses root: the data dir belongs to the account it runs as
    if os.geteuid() != 0:
        assert owner == os.geteuid()


def test_each_test_database_is_fresh_and_writable(postgres_server, postgres_db):
    dbname = dict(kv.split("=", 1) for kv in postgres_db.split())["dbname"]
    assert postgres_server.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", dbname) == "0"
    postgres_server.psql("CREATE TABLE t (k int PRIMARY KEY); INSERT INTO t VALUES (1), (2)", dbname)
    assert postgres_server.psql("SELECT sum(k) FROM t", dbname) == "3"
    assert postgres_server.psql("SELECT count(*) FROM pg_tables WHERE tablename = 't'") == "0"  # not in postgres


def test_binaries_not_found_means_none(tmp_path):
    assert find_binaries(path=str(tmp_path), roots=str(tmp_path / "no" / "*" / "bin")) is None
    fake = tmp_path / "pg" / "16" / "bin"
    fake.mkdir(parents=True)
    for tool in ("initdb", "pg_ctl"):  # postgres itself missing: not a server installation
        (fake / tool).write_text("#!/bin/sh\n")
        (fake / tool).chmod(0o755)
    assert find_binaries(path=str(tmp_path), roots=str(tmp_path / "pg" / "*" / "bin")) is None
    (fake / "postgres").write_text("#!/bin/sh\n")
    (fake / "postgres").chmod(0o755)
    assert find_binaries(path=str(tmp_path), roots=str(tmp_path / "pg" / "*" / "bin")) == fake
