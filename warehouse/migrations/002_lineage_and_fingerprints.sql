-- 002: content hashes for idempotent reloads, file fingerprints for
-- "skip unchanged unless --force", run counts and file lineage.

ALTER TABLE editions ADD COLUMN content_hash VARCHAR;
ALTER TABLE editions ADD COLUMN file_sha256s VARCHAR[];
ALTER TABLE editions ADD COLUMN verified_code_version VARCHAR;  -- last code version that produced identical content
ALTER TABLE editions ADD COLUMN date_source VARCHAR;
ALTER TABLE editions ADD COLUMN people_count INTEGER;
ALTER TABLE editions ADD COLUMN quarantined_count INTEGER;

ALTER TABLE pages ADD COLUMN has_geometry BOOLEAN;
ALTER TABLE pages ADD COLUMN header_text VARCHAR;
ALTER TABLE pages ADD COLUMN block_count INTEGER;
ALTER TABLE pages ADD COLUMN reason VARCHAR;
ALTER TABLE pages ADD COLUMN run_id VARCHAR;

ALTER TABLE articles ADD COLUMN dateline_place VARCHAR;
ALTER TABLE articles ADD COLUMN content_hash VARCHAR;
ALTER TABLE articles ADD COLUMN sequence INTEGER;
ALTER TABLE articles ADD COLUMN jump_to INTEGER;
ALTER TABLE articles ADD COLUMN jump_from INTEGER;
ALTER TABLE articles ADD COLUMN paragraph_count INTEGER;

ALTER TABLE article_people ADD COLUMN edition_id VARCHAR;
ALTER TABLE article_people ADD COLUMN position INTEGER;
ALTER TABLE article_tags ADD COLUMN edition_id VARCHAR;

ALTER TABLE ingest_runs ADD COLUMN files INTEGER;
ALTER TABLE ingest_runs ADD COLUMN pages INTEGER;
ALTER TABLE ingest_runs ADD COLUMN articles INTEGER;
ALTER TABLE ingest_runs ADD COLUMN quarantined INTEGER;
ALTER TABLE ingest_runs ADD COLUMN error VARCHAR;

ALTER TABLE ingest_files ADD COLUMN edition_id VARCHAR;
ALTER TABLE ingest_files ADD COLUMN publication VARCHAR;
ALTER TABLE ingest_files ADD COLUMN edition_date DATE;
ALTER TABLE ingest_files ADD COLUMN first_seen_at TIMESTAMP;
ALTER TABLE ingest_files ADD COLUMN updated_at TIMESTAMP;
