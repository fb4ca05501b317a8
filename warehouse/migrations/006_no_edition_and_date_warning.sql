-- 006: days without an edition and editions whose printed date disagrees.
-- editions.date_warning: the page headers print another date than the
--   edition's (which came from an option or the path); NULL when they agree.
-- ingest_runs.reason: why a run ended as it did, in words (no_edition:
--   what was looked for; skipped_unchanged: same files and code version).
-- A day with no edition is a row in ingest_runs (status 'no_edition') and in
-- ingest_files (status 'no_edition', path = the inbox pattern or URL looked
-- at, sha256 = ''), listed by the view v_no_edition.

ALTER TABLE editions ADD COLUMN date_warning VARCHAR;
ALTER TABLE ingest_runs ADD COLUMN reason VARCHAR;
