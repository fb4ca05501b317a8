-- 001: contract v1 tables. BI users rely on these names: add columns in later
-- migrations, never rename or drop.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- one row per (publication, edition_date); edition_id like 'gxsb-2022-04-06'
CREATE TABLE editions (
    edition_id   VARCHAR PRIMARY KEY,
    publication  VARCHAR NOT NULL,
    edition_date DATE NOT NULL,
    page_count   INTEGER NOT NULL,
    article_count INTEGER NOT NULL,
    run_id       VARCHAR,
    code_version VARCHAR,
    loaded_at    TIMESTAMP
);

-- one row per page of every input file (quarantined pages too, with their status)
CREATE TABLE pages (
    edition_id   VARCHAR NOT NULL,
    page_number  INTEGER,            -- printed number (第N版 / A5); NULL when not found
    source_file  VARCHAR NOT NULL,
    page_index   INTEGER NOT NULL,   -- 0-based position inside source_file
    sha256       VARCHAR,
    status       VARCHAR NOT NULL,   -- loaded | needs_ocr | quarantined | ...
    width        DOUBLE,
    height       DOUBLE,
    PRIMARY KEY (edition_id, source_file, page_index)
);

CREATE TABLE articles (
    article_id    VARCHAR PRIMARY KEY,
    edition_id    VARCHAR NOT NULL,
    publication   VARCHAR NOT NULL,
    edition_date  DATE NOT NULL,
    page_numbers  INTEGER[],
    source_files  VARCHAR[],
    headline      VARCHAR,
    subheadline   VARCHAR,
    kicker        VARCHAR,
    body          VARCHAR,
    byline        VARCHAR,
    dateline      VARCHAR,
    dateline_date DATE,
    language      VARCHAR,
    script        VARCHAR,
    kind          VARCHAR,
    char_count    INTEGER,
    boxes         JSON,               -- [{"page": 1, "bbox": [x0, top, x1, bottom]}]
    raw_text      VARCHAR,
    run_id        VARCHAR,
    code_version  VARCHAR,
    loaded_at     TIMESTAMP
);

CREATE TABLE article_people (
    article_id VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,
    title      VARCHAR
);

CREATE TABLE article_tags (
    article_id VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,     -- person | organization | place | topic | keyword
    value      VARCHAR NOT NULL,
    score      DOUBLE
);

CREATE TABLE ingest_runs (
    run_id       VARCHAR PRIMARY KEY,
    flow_run_id  VARCHAR,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    code_version VARCHAR,
    status       VARCHAR NOT NULL,   -- running | completed | failed | ...
    publication  VARCHAR,
    edition_date DATE
);

-- every file version ever seen: one row per (path, sha256)
CREATE TABLE ingest_files (
    path    VARCHAR NOT NULL,
    sha256  VARCHAR NOT NULL,
    run_id  VARCHAR,
    status  VARCHAR NOT NULL,        -- loaded | quarantined | needs_ocr | skipped_unchanged | no_edition | superseded
    reason  VARCHAR,
    PRIMARY KEY (path, sha256)
);
