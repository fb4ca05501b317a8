-- 004: document frequency of every indexed word, kept current by each load
-- (same transaction), so the tagger's IDF is one small read instead of a
-- scan of every article's words. Filled here from what is already loaded.

CREATE TABLE word_df (
    word VARCHAR PRIMARY KEY,
    df   BIGINT NOT NULL
);

INSERT INTO word_df
SELECT word, count(*) AS df
FROM (
    SELECT DISTINCT article_id, word
    FROM (SELECT article_id, unnest(string_split(search_text, ' ')) AS word FROM article_search)
)
WHERE word <> ''
GROUP BY word;
