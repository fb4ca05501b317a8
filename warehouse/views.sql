-- BI views, recreated after every migration run (CREATE OR REPLACE).
-- Contract: column names here are as stable as the tables'.

-- One row per article, with people, topics, keywords and pages flattened.
CREATE OR REPLACE VIEW v_articles AS
SELECT
    a.article_id,
    a.edition_id,
    a.publication,
    a.edition_date,
    year(a.edition_date)  AS year,
    month(a.edition_date) AS month,
    a.kind,
    a.language,
    a.script,
    a.kicker,
    a.headline,
    a.subheadline,
    a.byline,
    a.dateline,
    a.dateline_date,
    a.dateline_place,
    a.body,
    a.char_count,
    a.page_numbers,
    a.page_numbers[1] AS first_page,
    a.sequence,                              -- reading order on its first page
    array_to_string(a.page_numbers, ', ') AS pages_text,
    a.source_files,
    a.ocr_confidence,                        -- NULL: read from a text layer
    coalesce(p.people, [])           AS people,
    coalesce(p.people_text, '')      AS people_text,
    coalesce(p.reporters, [])        AS reporters,
    coalesce(t.topics, [])           AS topics,
    coalesce(array_to_string(t.topics, ', '), '')        AS topics_text,
    coalesce(t.keywords, [])         AS keywords,
    coalesce(array_to_string(t.keywords, ', '), '')      AS keywords_text,
    coalesce(t.places, [])           AS places,
    coalesce(t.organizations, [])    AS organizations,
    a.run_id,
    a.code_version,
    a.loaded_at
FROM articles a
LEFT JOIN (
    SELECT
        article_id,
        list(name ORDER BY position, name) AS people,
        string_agg(name, ', ' ORDER BY position, name) AS people_text,
        list(name ORDER BY position, name) FILTER (WHERE role IN ('reporter', 'correspondent', 'writer', 'author')) AS reporters
    FROM article_people
    GROUP BY article_id
) p USING (article_id)
LEFT JOIN (
    SELECT
        article_id,
        list(value ORDER BY score DESC, value) FILTER (WHERE kind = 'topic')        AS topics,
        list(value ORDER BY score DESC, value) FILTER (WHERE kind = 'keyword')      AS keywords,
        list(value ORDER BY score DESC, value) FILTER (WHERE kind = 'place')        AS places,
        list(value ORDER BY score DESC, value) FILTER (WHERE kind = 'organization') AS organizations
    FROM article_tags
    GROUP BY article_id
) t USING (article_id);

-- Articles and characters per paper per day.
CREATE OR REPLACE VIEW v_daily_volume AS
SELECT
    a.publication,
    a.edition_date,
    count(*)                                  AS articles,
    count(*) FILTER (WHERE a.kind = 'brief')  AS briefs,
    sum(coalesce(a.char_count, 0))::BIGINT    AS characters,
    any_value(e.page_count)                   AS pages
FROM articles a
LEFT JOIN editions e USING (edition_id)
GROUP BY a.publication, a.edition_date;

-- People (bylines and mentions) with how often and when they appear.
CREATE OR REPLACE VIEW v_people AS
SELECT
    p.name,
    p.role,
    count(DISTINCT p.article_id)        AS article_count,
    min(a.edition_date)                 AS first_seen,
    max(a.edition_date)                 AS last_seen,
    list(DISTINCT a.publication ORDER BY a.publication) AS publications,
    max(p.title)                        AS title
FROM article_people p
JOIN articles a USING (article_id)
GROUP BY p.name, p.role;

-- Topic volume per day per paper.
CREATE OR REPLACE VIEW v_topics_daily AS
SELECT
    t.value           AS topic,
    a.edition_date    AS day,
    a.publication,
    count(DISTINCT t.article_id) AS article_count
FROM article_tags t
JOIN articles a USING (article_id)
WHERE t.kind = 'topic'
GROUP BY t.value, a.edition_date, a.publication;

-- Every file version ever seen, with the edition it belongs to.
CREATE OR REPLACE VIEW v_ingest_files AS
SELECT f.*, r.flow_run_id, r.code_version, r.started_at AS run_started_at
FROM ingest_files f
LEFT JOIN ingest_runs r USING (run_id);

-- One row per edition: what was loaded, where its date came from, and any
-- disagreement between that date and the date printed in the page headers.
CREATE OR REPLACE VIEW v_editions AS
SELECT
    e.edition_id,
    e.publication,
    e.edition_date,
    e.page_count,
    e.article_count,
    e.quarantined_count,
    e.date_source,
    e.date_warning,
    e.run_id,
    e.code_version,
    e.loaded_at
FROM editions e;

-- Days a paper had no edition, and why (what was looked for and not found).
-- A day that has an edition since is not listed.
CREATE OR REPLACE VIEW v_no_edition AS
SELECT
    f.publication,
    f.edition_date,
    f.reason,
    f.path       AS looked_at,
    f.run_id,
    r.flow_run_id,
    f.updated_at AS checked_at
FROM ingest_files f
LEFT JOIN ingest_runs r USING (run_id)
WHERE f.status = 'no_edition'
  AND NOT EXISTS (SELECT 1 FROM editions e WHERE e.edition_id = f.edition_id);
