-- 003: word-segmented text for the fts index (jieba cut_for_search for
-- Chinese, lowercased words for English), one row per article, written in the
-- same transaction as the article. The BM25 index itself lives in schema
-- fts_main_article_search and is rebuilt by Warehouse.refresh_fts().

CREATE TABLE article_search (
    article_id  VARCHAR PRIMARY KEY,
    edition_id  VARCHAR NOT NULL,
    publication VARCHAR NOT NULL,
    search_text VARCHAR NOT NULL
);

CREATE TABLE warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
