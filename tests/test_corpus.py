"""The ground-truth corpus: deterministic, well-formed, and true to its PDFs."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pdfplumber
import pytest

from tasks.evaluation.corpus import EditionConfig, generate_corpus, generate_edition, write_edition, write_samples
from tasks.evaluation.typeset import hyphen_points, wrap_en, wrap_zh

ARTICLE_KEYS = {
    "id": str, "kind": str, "kicker": str, "headline": str, "subheadline": str, "byline": str,
    "people": list, "dateline": str, "dateline_place": str, "paragraphs": list, "pages": list,
    "boxes": list, "caption": str,
}
PAGE_KEYS = {"file": str, "page_number": int, "header": str, "footer": str, "columns": int, "rulings": bool}
JUMP_RE = re.compile(r"（[上下][接转]第\d+版）|Continued (on|from) Page A\d+|See [A-Z]+, Page A\d+|[A-Z]+, from Page A\d+")


def _norm(s: str) -> str:
    """Compare text ignoring line breaks, spaces and (de)hyphenation."""
    return re.sub(r"[\s\-]", "", s)


def _check_schema(truth: dict) -> None:
    assert set(truth) >= {"publication", "edition_date", "language", "pages", "articles"}
    dt.date.fromisoformat(truth["edition_date"])
    assert truth["language"] in ("zh", "en")
    for p in truth["pages"]:
        for k, t in PAGE_KEYS.items():
            assert isinstance(p[k], t), (k, p)
    numbers = {p["page_number"] for p in truth["pages"]}
    ids = [a["id"] for a in truth["articles"]]
    assert len(ids) == len(set(ids))
    for a in truth["articles"]:
        for k, t in ARTICLE_KEYS.items():
            assert isinstance(a[k], t), (k, a["id"])
        assert a["kind"] in ("article", "brief")
        assert a["headline"] and a["paragraphs"] and all(a["paragraphs"])
        assert set(a["pages"]) <= numbers and a["pages"] == sorted(a["pages"])
        assert {b["page"] for b in a["boxes"]} == set(a["pages"]) == {r["page"] for r in a["regions"]}
        for b in a["boxes"]:
            x0, top, x1, bottom = b["bbox"]
            assert x0 < x1 and top < bottom
        for person in a["people"]:
            assert person["name"] and person["role"]
        if a["dateline_date"] is not None:
            dt.date.fromisoformat(a["dateline_date"])
            assert a["paragraphs"][0].startswith(a["dateline"])


def _page_chars(edition_dir: Path, truth: dict) -> dict[int, list[dict]]:
    """Each page's chars in drawing order, read once."""
    pages: dict[int, list[dict]] = {}
    by_file: dict[str, list[dict]] = {}
    for p in truth["pages"]:
        by_file.setdefault(p["file"], []).append(p)
    for name, entries in by_file.items():
        with pdfplumber.open(edition_dir / name) as pdf:
            for p in entries:
                page = pdf.pages[p.get("page_index", 0)]
                pages[p["page_number"]] = [
                    {"text": c["text"], "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"]}
                    for c in page.chars
                ]
    return pages


def _article_stream(pages: dict[int, list[dict]], a: dict) -> str:
    """The article's chars as drawn, page after page, without jump lines and
    the repeated headline of a continuation."""
    out = []
    for i, page_no in enumerate(a["pages"]):
        regions = [r["bbox"] for r in a["regions"] if r["page"] == page_no]
        text = "".join(c["text"] for c in pages[page_no]
                       if any(c["x0"] >= x0 - 1 and c["x1"] <= x1 + 1 and c["top"] >= top - 1 and c["bottom"] <= bottom + 1
                              for x0, top, x1, bottom in regions))
        if i > 0:
            m = JUMP_RE.search(text)
            assert m, f"{a['id']}: continuation without a jump line"
            text = text[m.end():]
        out.append(JUMP_RE.sub("", text))
    return _norm("".join(out))


def _check_text_in_pdf(edition_dir: Path, truth: dict) -> None:
    pages = _page_chars(edition_dir, truth)
    for p in truth["pages"]:
        page_text = _norm("".join(c["text"] for c in pages[p["page_number"]]))
        for piece in p["header"].split(" ") + p["footer"].split(" ") + p["furniture"]:
            assert _norm(piece) in page_text, piece
        for ad in p["ads"]:
            for line in ad["text"]:
                assert _norm(line) in page_text, line
    for a in truth["articles"]:
        stream = _article_stream(pages, a)
        for para in a["paragraphs"]:
            assert _norm(para) in stream, (a["id"], para[:40])
        assert _norm(a["headline"]) in _norm("".join(c["text"] for c in pages[a["pages"][0]]))
        if a["byline"]:
            assert _norm(a["byline"]) in stream or a["byline"] in a["paragraphs"][0]


@pytest.fixture(scope="module")
def small_editions(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("small")
    return [
        generate_edition(out, seed=3, language="zh", n_pages=3),
        generate_edition(out, seed=4, language="en", n_pages=2, single_file=True),
    ]


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a = generate_edition(tmp_path / "a", seed=11, language="zh", n_pages=2)
    b = generate_edition(tmp_path / "b", seed=11, language="zh", n_pages=2)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_truth_matches_schema_and_pdf(small_editions: list[Path]) -> None:
    for d in small_editions:
        truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
        _check_schema(truth)
        _check_text_in_pdf(d, truth)


def test_single_file_edition_has_one_multipage_pdf(small_editions: list[Path]) -> None:
    truth = json.loads((small_editions[1] / "truth.json").read_text(encoding="utf-8"))
    assert len({p["file"] for p in truth["pages"]}) == 1
    assert [p["page_index"] for p in truth["pages"]] == [0, 1]
    assert any(len(a["pages"]) > 1 for a in truth["articles"])  # a jump inside one file


def test_year_boundary_dateline(tmp_path: Path) -> None:
    cfg = EditionConfig(publication="gxsb", edition_date=dt.date(2023, 1, 1), language="zh", n_pages=1, seed=2,
                        year_boundary_article=True)
    truth = json.loads((write_edition(tmp_path, cfg) / "truth.json").read_text(encoding="utf-8"))
    dates = [a["dateline_date"] for a in truth["articles"] if a["dateline_date"]]
    assert "2022-12-31" in dates


def test_wrapping_rules() -> None:
    spans = wrap_zh("本报讯 3月28日，郑州高新区党工委副书记主持召开会议。会议要求，全区上下要认真贯彻落实。", 120, "STSong-Light", 10)
    assert spans[0].indent == 20 and spans[-1].last
    assert all(not s.text.startswith(("，", "。")) for s in spans)
    assert "".join(s.text for s in spans).startswith("本报讯")
    assert 5 in hyphen_points("international")  # inter-national
    assert hyphen_points("COVID") == [] and hyphen_points("long-term") == []
    text = "The international governmental administration approved long-term COVID-19 measures yesterday."
    lines = wrap_en(text, 60, "Times-Roman", 9)
    joined = ""
    for ln in lines:
        joined += ln.text if joined.endswith("-") else (" " if joined else "") + ln.text
    assert joined.replace("- ", "-") .replace(" ", "") .replace("-", "") == text.replace(" ", "").replace("-", "")


def test_full_corpus_covers_every_feature(tmp_path: Path) -> None:
    dirs = generate_corpus(tmp_path, seed=0)
    pages = 0
    columns: set[int] = set()
    counts = {"photo": 0, "brief": 0, "jump_files": 0, "jump_single_file": 0, "ruling_on": 0, "ruling_off": 0,
              "year_boundary": 0, "kicker": 0, "subheadline": 0, "ads": 0, "l_shape": 0, "boxed": 0,
              "no_dateline": 0}
    languages: set[str] = set()
    sizes: set[tuple[float, float]] = set()
    for d in dirs:
        truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
        _check_schema(truth)
        languages.add(truth["language"])
        pages += len(truth["pages"])
        single = len({p["file"] for p in truth["pages"]}) == 1 and len(truth["pages"]) > 1
        for p in truth["pages"]:
            columns.add(p["columns"])
            counts["ruling_on" if p["rulings"] else "ruling_off"] += 1
            counts["ads"] += len(p["ads"])
            sizes.add((p["width"], p["height"]))
        year = int(truth["edition_date"][:4])
        for a in truth["articles"]:
            counts["photo"] += bool(a["caption"])
            counts["brief"] += a["kind"] == "brief"
            counts["kicker"] += bool(a["kicker"])
            counts["subheadline"] += bool(a["subheadline"])
            counts["l_shape"] += a["layout"]["l_shape"]
            counts["boxed"] += a["layout"]["boxed"]
            counts["no_dateline"] += a["kind"] == "article" and not a["dateline"]
            if len(a["pages"]) > 1:
                counts["jump_single_file" if single else "jump_files"] += 1
            if a["dateline_date"] and int(a["dateline_date"][:4]) < year:
                counts["year_boundary"] += 1
    assert pages >= 30
    # every credit form of real papers is printed on some page, its truth with people (a source: outlets)
    from tasks.evaluation.texts import EN_REAL_CREDIT_FORMS, REAL_CREDIT_FORMS

    forms = {a.get("credit_form", "") for d in dirs
             for a in json.loads((d / "truth.json").read_text(encoding="utf-8"))["articles"]
             if any(p["role"] != "mentioned" for p in a["people"])}
    assert forms >= set(REAL_CREDIT_FORMS) | set(EN_REAL_CREDIT_FORMS), forms ^ (set(REAL_CREDIT_FORMS) | set(EN_REAL_CREDIT_FORMS))
    assert columns >= {4, 5, 6, 7, 8}
    assert languages == {"zh", "en"}
    assert len(sizes) >= 2
    assert all(v > 0 for v in counts.values()), counts
    # spot-check one edition's text against its PDFs (the other tests check both languages)
    _check_text_in_pdf(dirs[0], json.loads((dirs[0] / "truth.json").read_text(encoding="utf-8")))


def test_bundled_samples_are_reproducible(tmp_path: Path) -> None:
    repo_samples = Path(__file__).resolve().parent.parent / "samples"
    made = write_samples(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in made] == ["gxsb/2022-04-06", "daily-herald/2024-03-15"]
    for d in made:
        truth = json.loads((d / "truth.json").read_text(encoding="utf-8"))
        _check_schema(truth)
        _check_text_in_pdf(d, truth)
        committed = repo_samples / d.relative_to(tmp_path)
        assert committed.exists(), "run `python -m tasks.evaluation.corpus samples --samples` and commit the result"
        assert (committed / "truth.json").read_text(encoding="utf-8") == (d / "truth.json").read_text(encoding="utf-8")
        for f in sorted(d.glob("*.pdf")):
            # same text at the same places (bytes may differ across reportlab versions)
            if (committed / f.name).read_bytes() != f.read_bytes():
                assert _placed_chars(committed / f.name) == _placed_chars(f), f.name


def _placed_chars(path: Path) -> list[tuple[str, float, float]]:
    with pdfplumber.open(path) as pdf:
        return [(c["text"], round(c["x0"], 1), round(c["top"], 1)) for p in pdf.pages for c in p.chars]


@pytest.fixture(scope="module")
def planned_editions() -> list[tuple[list, dict]]:
    """Every edition of the seed-0 corpus and the samples, planned but not written
    (and one where a photo caption once ran into the story below)."""
    from tasks.evaluation.corpus import build_edition, default_editions, sample_editions

    caption_case = EditionConfig(publication="city-tribune", edition_date=dt.date(2021, 6, 4), language="en",
                                 n_pages=1, seed=15, jumps=[])
    return [build_edition(cfg) for cfg in default_editions(0) + sample_editions() + [caption_case]]


def _planned_pages(planned: list[tuple[list, dict]]):
    for files, _ in planned:
        for _, pages in files:
            yield from pages


def _collide(a: tuple, b: tuple, margin: float) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > margin and min(a[3], b[3]) - max(a[1], b[1]) > margin


def test_no_text_overlaps_or_leaves_the_page(planned_editions) -> None:
    """Planned lines never collide with each other (on the same baseline too) or with
    photos, and stay on the page.  Squeezed punctuation may close up a fraction of an em."""
    from tasks.evaluation.typeset import ImageItem, RectItem, TextItem

    for width, height, items in _planned_pages(planned_editions):
        texts = [it for it in items if isinstance(it, TextItem) and it.text.strip()]
        boxes = []
        for it in texts:
            box = (it.x, it.top, it.x + it.width, it.top + it.size * 0.95)
            assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height, it.text
            boxes.append((box, it.size, it.text))
        pictures = [it.bbox for it in items
                    if isinstance(it, ImageItem) or (isinstance(it, RectItem) and it.stroke and it.line_width == 0.8)]
        boxes.sort()
        for i, (a, sa, ta) in enumerate(boxes):
            for b, sb, tb in boxes[i + 1:]:
                if b[0] >= a[2]:
                    break
                assert not _collide(a, b, 0.25 * min(sa, sb)), (ta, tb, a, b)
            for pic in pictures:
                assert not _collide(a, pic, 0.5), (ta, pic)


def test_printed_chars_never_collide(small_editions: list[Path]) -> None:
    """What the PDF draws, read back: no two glyphs of different lines share a place."""
    for d in small_editions:
        for f in sorted(d.glob("*.pdf")):
            with pdfplumber.open(f) as pdf:
                for page in pdf.pages:
                    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["x0"])
                    for i, a in enumerate(chars):
                        for b in chars[i + 1:]:
                            if b["x0"] >= a["x1"]:
                                break
                            m = 0.3 * min(a["size"], b["size"])
                            box_a = (a["x0"], a["top"], a["x1"], a["bottom"])
                            box_b = (b["x0"], b["top"], b["x1"], b["bottom"])
                            assert not _collide(box_a, box_b, m), (f.name, a["text"], b["text"], a["top"], b["top"])


def test_display_type_ranks_above_body(planned_editions) -> None:
    """Per story: headline >= 1.3 x body size, kicker and subheadline strictly between."""
    from collections import defaultdict

    from tasks.evaluation.typeset import TextItem

    checked = 0
    for _, _, items in _planned_pages(planned_editions):
        by_story: dict[str, list[TextItem]] = defaultdict(list)
        for it in items:
            if isinstance(it, TextItem) and it.owner:
                by_story[it.owner].append(it)
        for key, lines in by_story.items():
            body = max((it.size for it in lines if it.role == "body"), default=0.0)
            heads = [it.size for it in lines if it.role == "headline"]
            if not body or not heads:
                continue
            checked += 1
            assert min(heads) >= 1.3 * body - 1e-6, (key, heads, body)
            for it in lines:
                if it.role in ("kicker", "subheadline"):
                    assert body < it.size < min(heads), (key, it.role, it.text, it.size, heads, body)
    assert checked > 200


def test_narrow_module_wraps_a_long_headline() -> None:
    from tasks.evaluation.typeset import PageStyle, Placement, plan_top_matter, register_fonts

    register_fonts()
    style = PageStyle("zh", "STSong-Light", 10.0, 15.0, "STSong-Light", True, "STSong-Light", 8.5,
                      "STSong-Light", "STSong-Light")
    head = "高新区召开全区优化营商环境工作推进会议"
    p = Placement(key="a", kind="article", x0=0, top=0, x1=120, bottom=400, columns=[(0, 120)],
                  headline=head, headline_size=30.0, kicker="聚焦营商环境", subheadline="全年目标任务已完成过半")
    items, _ = plan_top_matter(p, style)
    heads = [it for it in items if it.role == "headline"]
    assert len(heads) >= 2 and "".join(it.text for it in heads) == head
    assert all(it.size >= 13.0 for it in heads) and all(it.x + it.width <= 120.5 for it in items)
    kicker = [it for it in items if it.role == "kicker"]
    assert 10.0 < kicker[0].size < heads[0].size


def test_photo_and_caption_stay_in_their_module() -> None:
    from tasks.evaluation.typeset import PageStyle, Photo, Placement, plan_placement, register_fonts

    register_fonts()
    style = PageStyle("en", "Times-Roman", 9.0, 11.0, "Times-Bold", False, "Helvetica-Oblique", 7.6,
                      "Helvetica-Bold", "Times-Bold")
    caption = "Officers on patrol downtown during the evening rush, when most of the thefts were reported."
    p = Placement(key="a", kind="article", x0=0, top=0, x1=130, bottom=160, columns=[(0, 60), (70, 130)],
                  headline="Patrols", headline_size=20.0, paragraphs=["word " * 100],
                  photo=Photo(1, 150.0, 0.8, caption))
    part = plan_placement(p, style)
    assert part.caption_set == caption
    assert all(it.bbox[3] <= 160 + 9.0 * 0.2 for it in part.items), max(it.bbox[3] for it in part.items)


def test_jump_line_wider_than_its_column_is_broken() -> None:
    from tasks.evaluation.typeset import Jump, PageStyle, Placement, TextItem, plan_placement

    style = PageStyle("en", "Times-Roman", 9.0, 11.0, "Times-Bold", False, "Helvetica-Oblique", 7.6,
                      "Helvetica-Bold", "Times-Bold")
    text = "See BUDGET SHORTFALL, Page A12"
    p = Placement(key="a", kind="article", x0=0, top=0, x1=130, bottom=200, columns=[(0, 60), (70, 130)],
                  headline="Budget", headline_size=20.0, paragraphs=["word " * 400],
                  jump_out=Jump(text, 12))
    part = plan_placement(p, style)
    jumps = [it for it in part.items if isinstance(it, TextItem) and it.role == "jump"]
    assert " ".join(it.text for it in jumps) == text and len(jumps) >= 2
    assert all(any(x0 - 0.5 <= it.x and it.x + it.width <= x1 + 0.5 for x0, x1 in p.columns) for it in jumps)


ZH_ROLE_WORDS = {"本报记者": "reporter", "记者": "reporter", "通讯员": "correspondent", "实习生": "intern"}


def _printed_roles(byline: str) -> dict[str, set[str]]:
    """name -> the role word printed before it in a Chinese credit line."""
    from tasks.evaluation.texts import ZH_PAPERS

    out: dict[str, set[str]] = {}
    for line in byline.split("\n"):
        role = ""
        if line.rstrip().endswith(" 摄"):  # a photo credit: photographers only, checked apart
            continue
        for tok in re.split(r"[ 、]+", line):
            if tok in ZH_PAPERS.values():  # 高新时报 袁辉旭 文/图: a new credit, no role word
                role = ""
            elif tok in ZH_ROLE_WORDS:
                role = ZH_ROLE_WORDS[tok]
            elif tok and role and tok not in ("摄", "文/图"):
                out.setdefault(tok, set()).add(role)
    return out


def test_byline_people_are_what_the_byline_prints(planned_editions) -> None:
    """Each byline person's role is the role word printed before the name, and each
    name printed after a role word is in the truth with that role."""
    from tasks.evaluation.texts import zh_credit_people

    assert [(p.name, p.role) for p in zh_credit_people("记者 李超 通讯员 林斌庆 摄")] == [
        ("李超", "photographer"), ("林斌庆", "photographer")]
    checked = 0
    for _, truth in planned_editions:
        if truth["language"] != "zh":
            continue
        for a in truth["articles"]:
            credited = {(p["name"], p["role"]) for p in a["people"] if p["role"] != "mentioned"}
            if a.get("credit_form"):  # a real-paper form: each credited name is printed in a credit
                for name, role in credited:
                    where = a["caption"] if a["credit_form"] in ("caption_photo", "en_caption_photo") and \
                        role == "photographer" else a["byline"]
                    assert name in where or (role == "source" and name == "本报") or name.upper() in where, (a["id"], name)
                continue
            if not a["byline"]:
                assert all(p["role"] == "mentioned" for p in a["people"]), a["id"]
                continue
            printed = _printed_roles(a["byline"])
            credited = {(p["name"], p["role"]) for p in a["people"] if p["role"] != "mentioned"}
            for name, role in credited:
                if role in ("reporter", "correspondent", "intern"):
                    assert role in printed.get(name, set()), (a["id"], a["byline"], name, role)
                else:  # writer / photographer: a closing 文/图 or 摄
                    assert name in a["byline"] and ("摄" in a["byline"] or "文/图" in a["byline"]), (a["id"], name)
            for name, roles in printed.items():
                assert {(name, r) for r in roles} <= credited, (a["id"], a["byline"], name, roles)
            checked += 1
    assert checked > 50


def test_line_fitting_and_balancing() -> None:
    from tasks.evaluation.typeset import LineSpan, _fit_lines, balanced_slots

    cols = [[(0.0, float(t)) for t in range(0, 100, 10)], [(50.0, float(t)) for t in range(0, 100, 10)]]
    slots = balanced_slots(cols, 7, 9.0)
    assert len(slots) == 8 and {x for x, _ in slots} == {0.0, 50.0}  # 4 + 4, not 7 + 0
    assert balanced_slots(cols, 50, 9.0) == cols[0] + cols[1]

    def spans(text: str, n: int) -> list[LineSpan]:
        step = len(text) // n
        return [LineSpan(i * step, len(text) if i == n - 1 else (i + 1) * step, "", 0, i == n - 1) for i in range(n)]

    paras = ["aaaa bbbb", "cccc dddd eeee", "ffff"]
    wrapped = [spans(paras[0], 1), spans(paras[1], 3), spans(paras[2], 1)]
    set_pars, remaining, complete, lines = _fit_lines(paras, wrapped, 2)
    assert set_pars == ["aaaa bbbb", "cccc"] and not complete
    assert remaining[0] == "dddd eeee" and remaining[1:] == ["ffff"]
    assert sum(len(w) for w in lines) == 2
    assert _fit_lines(paras, wrapped, 9)[1] == []


def test_dates_and_numerals() -> None:
    from tasks.evaluation.texts import fullwidth_digits, resolve_month_day, zh_numeral

    assert resolve_month_day(12, 31, dt.date(2023, 1, 1)) == dt.date(2022, 12, 31)
    assert resolve_month_day(3, 28, dt.date(2022, 4, 6)) == dt.date(2022, 3, 28)
    assert zh_numeral(28) == "二十八" and zh_numeral(10) == "十" and zh_numeral(3) == "三"
    assert fullwidth_digits("12月31日") == "１２月３１日"


def test_english_pages_hyphenate_and_keep_hard_hyphens() -> None:
    """Line-end hyphens of both kinds occur: inter-/national (join) and long-/term (keep)."""
    from tasks.evaluation.corpus import build_edition, default_editions
    from tasks.evaluation.typeset import TextItem

    joined = kept = 0
    for cfg in [c for c in default_editions(0) if c.language == "en"]:
        files, truth = build_edition(cfg)
        body = " ".join(p for a in truth["articles"] for p in a["paragraphs"])
        for _, pages in files:
            for _, _, items in pages:
                lines = [it.text for it in items if isinstance(it, TextItem)]
                for cur, nxt in zip(lines, lines[1:]):
                    if not cur.endswith("-") or not nxt:
                        continue
                    head, tail = cur.split(" ")[-1], nxt.split(" ")[0]
                    if (head + tail) in body:
                        kept += 1
                    elif (head[:-1] + tail) in body:
                        joined += 1
    assert joined > 0 and kept > 0, (joined, kept)
