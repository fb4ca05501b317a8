-- lake 001: contract v1 on DuckLake, as warehouse/migrations/001..007 leave it
-- in a DuckDB file: the same tables and column names, so views.sql and BI
-- queries work unchanged. DuckLake has no PRIMARY KEY / UNIQUE / ON CONFLICT,
-- so the keys the DuckDB file declares are kept by the loader instead
-- (warehouse/lake.py: keyed delete-insert in one transaction per edition):
--   editions (edition_id), pages (edition_id, source_file, page_index),
--   articles (article_id), article_search (article_id), ingest_runs (run_id),
--   ingest_files (path, sha256), schema_migrations (version), warehouse_meta (key),
--   keyword_idf (word).
-- Lake-only columns (not in the DuckDB file): run_id on article_people,
-- article_tags and article_search (which load wrote a row: concurrent loads of
-- one edition are reconciled by it), article_search.term_count, and the table
-- article_terms (the BM25 index, written with the articles).

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

CREATE TABLE editions (
    edition_id   VARCHAR NOT NULL,
    publication  VARCHAR NOT NULL,
    edition_date DATE NOT NULL,
    page_count   INTEGER NOT NULL,
    article_count INTEGER NOT NULL,
    run_id       VARCHAR,
    code_version VARCHAR,
    loaded_at    TIMESTAMP,
    content_hash VARCHAR,
    file_sha256s VARCHAR[],
    verified_code_version VARCHAR,
    date_source  VARCHAR,
    people_count INTEGER,
    quarantined_count INTEGER,
    date_warning VARCHAR
);

CREATE TABLE pages (
    edition_id   VARCHAR NOT NULL,
    page_number  INTEGER,
    source_file  VARCHAR NOT NULL,
    page_index   INTEGER NOT NULL,
    sha256       VARCHAR,
    status       VARCHAR NOT NULL,
    width        DOUBLE,
    height       DOUBLE,
    has_geometry BOOLEAN,
    header_text  VARCHAR,
    block_count  INTEGER,
    reason       VARCHAR,
    run_id       VARCHAR,
    ocr_engine   VARCHAR,
    ocr_version  VARCHAR,
    ocr_confidence DOUBLE
);

CREATE TABLE articles (
    article_id    VARCHAR NOT NULL,
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
    boxes         JSON,
    raw_text      VARCHAR,
    run_id        VARCHAR,
    code_version  VARCHAR,
    loaded_at     TIMESTAMP,
    dateline_place VARCHAR,
    content_hash  VARCHAR,
    sequence      INTEGER,
    jump_to       INTEGER,
    jump_from     INTEGER,
    paragraph_count INTEGER,
    ocr_confidence DOUBLE
);

CREATE TABLE article_people (
    article_id VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,
    title      VARCHAR,
    edition_id VARCHAR,
    position   INTEGER,
    run_id     VARCHAR
);

CREATE TABLE article_tags (
    article_id VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    value      VARCHAR NOT NULL,
    score      DOUBLE,
    edition_id VARCHAR,
    run_id     VARCHAR
);

CREATE TABLE ingest_runs (
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
    reason       VARCHAR
);

CREATE TABLE ingest_files (
    path    VARCHAR NOT NULL,
    sha256  VARCHAR NOT NULL,
    run_id  VARCHAR,
    status  VARCHAR NOT NULL,
    reason  VARCHAR,
    edition_id VARCHAR,
    publication VARCHAR,
    edition_date DATE,
    first_seen_at TIMESTAMP,
    updated_at TIMESTAMP
);

CREATE TABLE article_search (
    article_id  VARCHAR NOT NULL,
    edition_id  VARCHAR NOT NULL,
    publication VARCHAR NOT NULL,
    search_text VARCHAR NOT NULL,
    term_count  INTEGER,          -- tokens in search_text (BM25 document length)
    run_id      VARCHAR
);

-- the BM25 index: one row per (article, stemmed term), the fts extension's own
-- tokenizer and Porter stemmer (search.py), so scores equal the DuckDB file's
CREATE TABLE article_terms (
    article_id  VARCHAR NOT NULL,
    edition_id  VARCHAR NOT NULL,
    publication VARCHAR NOT NULL,
    term        VARCHAR NOT NULL,
    tf          INTEGER NOT NULL,
    run_id      VARCHAR
);

CREATE TABLE warehouse_meta (
    key   VARCHAR NOT NULL,
    value VARCHAR
);

CREATE TABLE keyword_idf (
    word VARCHAR NOT NULL,
    idf  DOUBLE NOT NULL
);
