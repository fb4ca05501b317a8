-- 005: a frozen IDF model for keyword scores.
-- Keywords are scored with IDF learned from the warehouse's own corpus, but
-- re-running an unchanged edition must change nothing, so the tagger reads a
-- frozen copy of the word statistics, not the live word_df that every load
-- moves. Warehouse.maybe_learn_idf() re-learns it only when the corpus has
-- grown enough (MIN_IDF_ARTICLES, then each doubling); until then the tagger
-- uses jieba's bundled IDF. idf_version names the model in editions' lineage.

CREATE TABLE keyword_idf (
    word VARCHAR PRIMARY KEY,
    idf  DOUBLE NOT NULL
);
