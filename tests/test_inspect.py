"""broadsheet inspect: the picture shows what was loaded."""

from __future__ import annotations

import json

import duckdb
import pytest

from flows.cli import main
from tasks.inspect import pictures_for_files
from tasks.pipeline import process_files


@pytest.fixture(scope="module")
def edition_files(sample_dir):
    return sorted((sample_dir / "gxsb" / "2022-04-06").glob("*.pdf"))


def test_png_and_html_report_render(tmp_path, edition_files):
    png = tmp_path / "p1.png"
    assert main(["inspect", str(edition_files[0]), "--page", "1", "--out", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = tmp_path / "report.html"
    assert main(["inspect", str(edition_files[0].parent), "--out", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == len(edition_files)
    assert "<h3>1. " in html


def test_drawn_article_boxes_are_the_loaded_ones(tmp_path, edition_files):
    from warehouse.store import Warehouse

    db = tmp_path / "w.duckdb"
    edition = process_files(edition_files, publication="gxsb")
    with Warehouse.open(db) as wh:
        wh.load_edition(edition, run_id="inspect-test", code_version="test")
    con = duckdb.connect(str(db), read_only=True)
    stored = sorted(
        (box["page"], tuple(box["bbox"]))
        for (boxes,) in con.execute("select boxes from articles").fetchall()
        for box in json.loads(boxes)
    )
    con.close()
    pictures, _ = pictures_for_files(edition_files)
    drawn = sorted((pic.page_number, tuple(bbox)) for pic in pictures for _, bbox in pic.article_boxes)
    assert len(drawn) == len(stored) > 0
    for (page_a, box_a), (page_b, box_b) in zip(drawn, stored):  # the warehouse keeps 0.1 pt
        assert page_a == page_b and max(abs(a - b) for a, b in zip(box_a, box_b)) <= 0.1
    kinds = {kind for pic in pictures for kind, _ in pic.block_boxes}
    assert {"headline", "body", "header"} <= kinds
