"""The second corpus (Typst-set, tests/fixtures/corpus2/): truth agrees with the committed PDFs.

These read the committed PDFs only; regenerating needs the fonts (see
tests/fixtures/corpus2/README.md) and is tested only where they are.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from tasks.evaluation.evaluate import furniture_strings, load_truth

ROOT = Path(__file__).resolve().parent / "fixtures" / "corpus2"
SPLITS = ("dev", "heldout")


def _truths(split: str) -> list[Path]:
    return sorted((ROOT / split).rglob("truth.json"))


def _editions() -> list[Path]:
    return [p for s in SPLITS for p in _truths(s)]


@functools.lru_cache(maxsize=None)
def _chars(pdf_path: Path) -> list[list[dict]]:
    with pdfplumber.open(pdf_path) as pdf:
        return [[c for c in page.chars if c["text"].strip()] for page in pdf.pages]


def _edition_chars(directory: Path, t: dict) -> list[list[dict]]:
    """Chars of each page of an edition, by printed page number - 1 (one file or one per page)."""
    return [_chars(directory / p["file"])[p["page_index"]] for p in sorted(t["pages"], key=lambda p: p["page_number"])]


def _multiset(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def test_both_splits_are_committed():
    assert len(_truths("dev")) >= 5 and len(_truths("heldout")) >= 3
    for tj in _editions():
        t = json.loads(tj.read_text(encoding="utf-8"))
        assert t["generator"] == "typst"
        for p in t["pages"]:
            assert (tj.parent / p["file"]).exists()


@pytest.mark.parametrize("truth_json", _editions(), ids=lambda p: f"{p.parts[-4]}/{p.parts[-3]}/{p.parts[-2]}")
def test_truth_text_is_printed_on_its_pages(truth_json):
    """Every article's body, headline and caption, and every furniture string, is in the chars
    of its pages; headlines are set larger than the body (stacked titles: at least body size)."""
    t = json.loads(truth_json.read_text(encoding="utf-8"))
    chars = _edition_chars(truth_json.parent, t)
    body_size = {p["page_number"]: p["body_size"] for p in t["pages"]}
    on_page = [_multiset("".join(c["text"] for c in page)) for page in chars]
    for p in t["pages"]:
        have = on_page[p["page_number"] - 1]
        for s in p["furniture"]:
            assert not (_multiset(s) - have), (p["page_number"], s)
    for a in t["articles"]:
        have = Counter()
        for n in a["pages"]:
            have += on_page[n - 1]
        missing = _multiset("".join(a["paragraphs"]) + a["caption"]) - have
        assert not missing, (a["id"], a["headline"], dict(missing))
        first = a["pages"][0]
        big = _multiset("".join(c["text"] for c in chars[first - 1] if c["size"] >= body_size[first] * 0.98))
        assert not (_multiset(a["headline"]) - big), (a["id"], a["headline"])
        assert a["paragraphs"] and all(p.strip() for p in a["paragraphs"])


def test_truth_loads_in_the_scorer_with_furniture_and_printed_pages():
    for split in SPLITS:
        editions = load_truth(ROOT / split)
        assert editions
        for e in editions:
            assert [p.page_number for p in e.pages] == list(range(1, len(e.pages) + 1))
            for p in e.pages:
                assert furniture_strings(p), p
            assert len({a.id for a in e.articles}) == len(e.articles)


def test_every_failure_class_of_issue_15_is_in_the_dev_split():
    layouts: Counter = Counter()
    furniture: list[str] = []
    columns: set[int] = set()
    bodies = []
    jumps = cross_file_jumps = 0
    languages = set()
    mixes = set()
    for tj in _truths("dev"):
        t = json.loads(tj.read_text(encoding="utf-8"))
        languages.add(t["language"])
        for p in t["pages"]:
            furniture += p["furniture"]
            columns.add(p["columns"])
            mixes.add(p["stream_mix"])
        for a in t["articles"]:
            lay = a["layout"]
            layouts.update(k for k in ("banner", "vertical_caption", "stacked") if lay.get(k))
            layouts.update(f"photo_{lay['photo']}" for _ in [0] if lay.get("photo"))
            layouts.update(f"title_{lay['title']}" for _ in [0] if lay.get("title"))
            layouts.update(f"brief_{t['language']}" for _ in [0] if a["kind"] == "brief")
            jumps += len(a["pages"]) > 1
            files = {p["page_number"]: p["file"] for p in t["pages"]}
            cross_file_jumps += len({files[n] for n in a["pages"]}) > 1
            bodies.append("".join(a["paragraphs"]))
    assert languages == {"zh", "en"}
    for k in ("banner", "vertical_caption", "stacked", "photo_top", "photo_inline", "title_square", "title_bold",
              "title_runin", "brief_zh", "brief_en"):
        assert layouts[k] >= 1, k
    assert jumps >= 3
    assert cross_file_jumps >= 1, "a jump from one file to another (an edition written one PDF per page)"
    assert {4, 8} <= columns and len(columns) >= 3
    text = " ".join(furniture)
    for needle in ("国内统一连续出版物号", "CN 11-0065", "代号", "导读", "INSIDE", "VOL.", "$"):
        assert needle in text, needle
    assert re.search(r"第\d+期", text) and re.search(r"今日\d+版", text) and re.search(r"No\. [\d,]+", text)
    assert re.search(r"(丁丑|戊寅)年", text), "lunar date in the ear"
    assert re.search(r"第[一二三四五六七八九十]+版", text), "a teaser pointer in Chinese numerals"
    assert any("———" in b for b in bodies)
    assert any(re.search(r"[\u4e00-\u9fff][0-9A-Za-z]", b) for b in bodies), "Latin/digit runs in CJK text"
    assert {"frames", "chunks", "runs"} <= mixes


@pytest.mark.parametrize("split", SPLITS)
def test_truth_lists_the_printed_credits(split):
    """Every credited person of the truth is printed in the story's byline or text (no name the
    fitting trimmed away), and every kind of credit the 1998 texts carry is there."""
    roles: Counter = Counter()
    for tj in _truths(split):
        t = json.loads(tj.read_text(encoding="utf-8"))
        for a in t["articles"]:
            printed = a["byline"] + "".join(a["paragraphs"])  # closing credits are in the byline
            for p in a["people"]:
                assert p["role"] in ("reporter", "correspondent", "intern", "photographer", "author", "source")
                assert p["name"] in printed, (a["id"], p)
                roles[(t["language"], p["role"])] += 1
            if a["byline"]:
                assert a["people"], (a["id"], a["byline"])
    assert roles[("en", "author")] and roles[("zh", "author")]
    assert roles[("zh", "reporter")] and roles[("zh", "photographer")]


def test_printed_credits_are_read_with_the_annotated_names():
    from tasks.evaluation.corpus2 import en_printed_credits, zh_printed_credits

    persons = ("周志方", "赵秀娟", "张铁林", "黎世高", "王霞光", "李典强", "李巨平", "梁晓华", "安小虎", "韩俊", "施明慎")
    assert zh_printed_credits("", ["据新华社北京1月7日电（记者周志方、赵秀娟）新年期间，……。"], persons) == [
        ("周志方", "reporter"), ("赵秀娟", "reporter")]
    assert zh_printed_credits("", ["本报讯记者施明慎报道：随着元旦的到来。", "……。（张铁林黎世高）"], persons) == [
        ("施明慎", "reporter"), ("张铁林", "author"), ("黎世高", "author")]
    assert zh_printed_credits("", ["……场面。（本报记者王霞光摄）", "……矿。（湖南冷水江市李典强李巨平）"], persons) == [
        ("王霞光", "photographer"), ("李典强", "author"), ("李巨平", "author")]
    assert zh_printed_credits("", ["本报驻罗马尼亚记者梁晓华", "……（见图新华社记者安小虎摄）。", "……。（本报布加勒斯特1月14日电）"],
                              persons) == [("梁晓华", "reporter"), ("安小虎", "photographer"), ("本报", "source")]
    assert zh_printed_credits("", ["社科院农发所副所长韩俊", "1997年，……。（据新华社电）"], persons) == [
        ("韩俊", "author"), ("新华社", "source")]
    assert zh_printed_credits("", ["……。（新华社发美联社照片）", "她告诉记者：“……。”（左）"], persons) == []
    assert en_printed_credits("By Laura Chen") == [("Laura Chen", "author")]


def test_credit_lines_and_closing_credits_are_the_byline_not_the_body():
    from tasks.evaluation.corpus2 import zh_credit_split

    persons = ("刘工践", "卫岩", "陈瑞华", "周志方")
    assert zh_credit_split(["本报记者刘工践", "正文一。", "正文二。（卫岩）"], persons) == (["正文一。", "正文二。"], ["本报记者刘工践", "卫岩"])
    assert zh_credit_split(["正文。", "（新华社记者陈瑞华摄）"], persons) == (["正文。"], ["新华社记者陈瑞华摄"])
    # the dateline's credit is the lead's; a bracket that credits nobody stays
    lead = ["据新华社北京1月4日电（记者周志方）正文。", "正文。（新华社发美联社照片）"]
    assert zh_credit_split(lead, persons) == (lead, [])


def test_banner_headlines_are_letter_spaced_across_columns():
    found = 0
    for tj in _truths("dev"):
        t = json.loads(tj.read_text(encoding="utf-8"))
        if t["language"] != "zh":
            continue
        chars = _edition_chars(tj.parent, t)
        for a in t["articles"]:
            if not a["layout"].get("banner") or a["layout"].get("tracking", 0) <= 0:
                continue
            head = [c for c in chars[a["pages"][0] - 1] if c["text"] in a["headline"] and c["size"] > 15]
            xs = sorted(c["x0"] for c in head)
            gaps = [b - a_ for a_, b in zip(xs, xs[1:])]
            size = max(c["size"] for c in head)
            assert max(gaps) > size * 1.2  # wider than a character: tracked
            assert xs[-1] - xs[0] > a["layout"]["span"] * size  # across the columns it spans
            found += 1
    assert found >= 2


def test_vertical_captions_are_set_one_character_a_line_right_to_left():
    checked = 0
    for tj in _truths("dev"):
        t = json.loads(tj.read_text(encoding="utf-8"))
        chars = None
        for a in t["articles"]:
            if not a["layout"].get("vertical_caption"):
                continue
            chars = chars or _edition_chars(tj.parent, t)
            x0, top, x1, bottom = a["boxes"][0]["bbox"]
            cap = a["caption"]
            page = [c for c in chars[a["pages"][0] - 1] if x0 - 1 <= c["x0"] <= x1 + 1 and top - 1 <= c["top"] <= bottom]
            # the caption's first characters stand in one column, one under the other
            def below(c, ch):
                return [d for d in page if d["text"] == ch and abs(d["x0"] - c["x0"]) < 1
                        and 0 < d["top"] - c["top"] < c["size"] * 1.6]

            starts = [c for c in page if c["text"] == cap[0] and any(below(d, cap[2]) for d in below(c, cap[1]))]
            assert starts, (a["id"], cap)
            # a second column (when there is one) stands to the left of the first
            if len(cap) > 12:
                xs = sorted({round(c["x0"]) for c in page if c["size"] == starts[0]["size"]
                             and abs(c["top"] - starts[0]["top"]) < 1 and c["x0"] <= starts[0]["x0"] + 1})
                assert xs[-1] == round(starts[0]["x0"])
            checked += 1
    assert checked >= 2


def test_content_streams_are_shuffled():
    """Stream order is not reading order: on chunks/runs pages, text goes back up the page often."""
    ups = []
    for tj in _truths("dev"):
        t = json.loads(tj.read_text(encoding="utf-8"))
        chars = _edition_chars(tj.parent, t)
        for p in t["pages"]:
            if p["stream_mix"] == "frames":
                continue
            tops = [c["top"] for c in chars[p["page_number"] - 1]]
            back = sum(1 for a, b in zip(tops, tops[1:]) if b < a - p["body_size"] * 3)
            ups.append(back / max(1, len(tops)))
    assert ups and max(ups) > 0.01


def test_fonts_are_embedded_subsets_with_real_bold_faces():
    import pikepdf

    for tj in _editions():
        t = json.loads(tj.read_text(encoding="utf-8"))
        names = set()
        for file in dict.fromkeys(p["file"] for p in t["pages"]):
            with pikepdf.open(tj.parent / file) as pdf:
                for page in pdf.pages:
                    for f in page.Resources.Font.values():
                        names.add(str(f.BaseFont))
                        desc = f.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in f else f.FontDescriptor
                        assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert all(re.match(r"/[A-Z]{6}\+", n) for n in names), names
        assert any("Bold" in n for n in names)
        if t["language"] == "zh":
            assert any("SerifCJK" in n for n in names) or any("SansCJK" in n for n in names)


@pytest.mark.skipif(not Path(os.environ.get("BROADSHEET_FONTS") or "/work/fonts").is_dir(),
                    reason="regenerating needs the font folder (tests/fixtures/corpus2/README.md)")
def test_generator_reproduces_a_committed_edition(tmp_path):
    from tasks.evaluation import corpus2

    if not corpus2.RMRB.exists():
        pytest.skip(f"the 1998 texts are not here ({corpus2.RMRB})")
    d = corpus2.write_edition(tmp_path, 1)
    committed = ROOT / "dev" / d.relative_to(tmp_path)
    assert json.loads((d / "truth.json").read_text()) == json.loads((committed / "truth.json").read_text())


def test_eval_reports_each_corpus_on_its_own(tmp_path, capsys):
    """`broadsheet eval A B` scores each tree on its own: a block per corpus and a summary row each."""
    from flows.cli import main

    zh = sorted((ROOT / "dev" / "xwrb").iterdir())[0]
    en = sorted((ROOT / "dev" / "capital-record").iterdir())[0]
    out = tmp_path / "suite.json"
    assert main(["eval", str(zh), str(en), "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"== {zh} ==" in text and f"== {en} ==" in text and "== summary" in text
    summary = text.split("== summary")[1].splitlines()
    assert any(line.startswith(str(zh)) for line in summary) and any(line.startswith(str(en)) for line in summary)
    data = json.loads(out.read_text())
    for d in (zh, en):
        figs = data["corpora"][str(d)]["overall"]["broadsheet"]
        assert figs["truth_articles"] == len(json.loads((d / "truth.json").read_text())["articles"])
        assert 0.0 <= figs["article_f1"] <= 1.0


def test_default_suite_names_every_corpus():
    from tasks.evaluation.suite import default_corpora

    names = [c.name for c in default_corpora()]
    assert names == ["reportlab seed 0", "typst dev", "typst held-out"]
    assert all(c.path is None or any(c.path.rglob("truth.json")) for c in default_corpora())


@pytest.mark.parametrize("truth_json", _editions(), ids=lambda p: f"{p.parts[-4]}/{p.parts[-3]}/{p.parts[-2]}")
def test_each_story_is_set_inside_its_box(truth_json):
    """No frame ran over into another: a one-page story's text is all inside its box
    (Typst lets punctuation hang a little past the column edge, as optical margins do)."""
    t = json.loads(truth_json.read_text(encoding="utf-8"))
    chars = _edition_chars(truth_json.parent, t)
    for a in t["articles"]:
        if len(a["boxes"]) != 1:
            continue
        x0, top, x1, bottom = a["boxes"][0]["bbox"]
        inside = _multiset("".join(c["text"] for c in chars[a["pages"][0] - 1]
                                   if x0 - 0.7 * c["size"] <= c["x0"] and c["x1"] <= x1 + 0.7 * c["size"]
                                   and top - 0.3 * c["size"] <= c["top"] and c["bottom"] <= bottom + 1))
        missing = _multiset("".join(a["paragraphs"]) + a["headline"]) - inside
        assert not missing, (a["id"], a["headline"], dict(missing))


def test_held_out_seeds_print_no_story_of_the_dev_seeds():
    def starts(split: str) -> set[str]:
        out = set()
        for tj in _truths(split):
            for a in json.loads(tj.read_text(encoding="utf-8"))["articles"]:
                out.add("".join("".join(a["paragraphs"]).split())[:40])
        return out

    assert not starts("dev") & starts("heldout")
