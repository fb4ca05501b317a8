-- 007: pages read by OCR, and how sure the engine was.
-- pages.status 'ocr': the page's chars came from OCR of its image (no text
--   layer, a garbled one, one much sparser than the ink, or --ocr force).
-- pages.ocr_engine / ocr_version: the engine (rapidocr) and its versions;
-- pages.ocr_confidence: mean recognition score of the page's lines (0..1);
--   all three NULL for a page read from its text layer.
-- articles.ocr_confidence: mean score of the OCR lines inside the article's
--   boxes; NULL for an article read from a text layer.

ALTER TABLE pages ADD COLUMN ocr_engine VARCHAR;
ALTER TABLE pages ADD COLUMN ocr_version VARCHAR;
ALTER TABLE pages ADD COLUMN ocr_confidence DOUBLE;
ALTER TABLE articles ADD COLUMN ocr_confidence DOUBLE;
