-- lake 002: ingest_runs becomes a view over an append-only event table.
-- DuckLake refuses a commit that deletes from a table another concurrent
-- commit inserted into (and the reverse), and an UPDATE is a delete plus an
-- insert. Every run updates its row (start, then finish), so with a plain
-- table every two loaders conflicted on ingest_runs. Now start_run and
-- finish_run only INSERT an event (inserts never conflict), and ingest_runs
-- shows each run's latest event: the same name and columns as the DuckDB
-- file's table, for views.sql, exports and BI.
CREATE TABLE ingest_run_events (
    run_id       VARCHAR NOT NULL,
    flow_run_id  VARCHAR,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    code_version VARCHAR,
    status       VARCHAR NOT NULL,
    publication  VARCHAR,
    edition_date DATE,
    files        INTEGER,
    pages        INTEGER,
    articles     INTEGER,
    quarantined  INTEGER,
    error        VARCHAR,
    reason       VARCHAR,
    event_at     TIMESTAMP NOT NULL     -- when this state of the run was written
);

INSERT INTO ingest_run_events
SELECT *, coalesce(finished_at, started_at) FROM ingest_runs;

DROP TABLE ingest_runs;

CREATE VIEW ingest_runs AS
SELECT * EXCLUDE (event_at, rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY run_id
                                 ORDER BY event_at DESC, finished_at DESC NULLS LAST) AS rn
    FROM ingest_run_events)
WHERE rn = 1;
