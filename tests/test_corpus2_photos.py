"""Stories set under a photo on pages of the second generator (tests/fixtures/corpus2/dev,
set by Typst).  Typst fills a photo frame by scaling the picture to cover it and
clipping the rest, so the image's own box runs under the headline above and the
caption and first lines below: the photo is the band of the box no line crosses,
the caption under it is a caption, and the story comes out whole without it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tasks.evaluation.evaluate import similarity, squeeze
from tasks.extract import extract_pages
from tasks.layout import layout_page
from tasks.model import BlockKind

DEV = Path(__file__).resolve().parent / "fixtures" / "corpus2" / "dev"
CASES = [("capital-record/2005-12-11", "(n) Special Flight Permits"), ("xwrb/1998-01-14", "邮电部发行《戊寅年》特种邮票")]


@pytest.mark.parametrize("name,headline", CASES)
def test_caption_under_a_clipped_photo_is_no_body_text(name, headline):
    from tasks.pipeline import build_edition, parse_file

    d = DEV / name
    truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
    t = next(a for a in truth["articles"] if a["headline"] == headline)
    assert t["layout"]["photo"] == "top" and t["caption"]
    pdf = next(d.glob("*.pdf"))
    page = extract_pages(pdf)[t["pages"][0] - 1]
    # the image's box holds the headline and the caption: the photo shown is less
    x0, top, x1, bottom = t["boxes"][0]["bbox"]
    image = max((b for b in page.boxes if b.kind == "image"),
                key=lambda b: max(0.0, min(b.x1, x1) - max(b.x0, x0)) * max(0.0, min(b.bottom, bottom) - max(b.top, top)))
    assert image.bottom > top + 40  # the story's picture
    layout = layout_page(page)
    photos = [b for b in layout.blocks if b.kind is BlockKind.PHOTO and b.bbox[0] >= image.x0 - 1
              and b.bbox[2] <= image.x1 + 1 and b.bbox[1] >= image.top - 1 and b.bbox[3] <= image.bottom + 1]
    assert photos and photos[0].bbox[3] - photos[0].bbox[1] < image.bottom - image.top
    captions = [b for b in layout.blocks if b.kind is BlockKind.CAPTION]
    assert any(squeeze(t["caption"]) in squeeze(b.text) for b in captions)

    edition = build_edition([parse_file(pdf, guarded=False)], "dev", dt.date.fromisoformat(truth["edition_date"]))
    a = next(a for a in edition.articles if a.headline == headline)
    assert similarity(squeeze("".join(t["paragraphs"])), squeeze(a.body)) >= 0.98
    assert squeeze(t["caption"]) not in squeeze(a.body)
