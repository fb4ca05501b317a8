"""The evaluation harness: matching, every figure, predictions files, the baseline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from tasks.evaluation import evaluate as ev
from tasks.evaluation.baseline import split_naive
from tasks.model import Article, Person

A1 = (
    "本报讯 3月28日，郑州高新区党工委副书记、管委会主任张红军主持召开党工委理论学习中心组第二次学习专题会议，"
    "深入学习党中央的系列部署和省委、市委的要求，全面准确地贯彻新发展理念。",
    "会议先后学习了中央和河南省主要领导的重要讲话精神，以及郑州市以案促改学习资料等内容。",
)
A2 = (
    "本报讯 3月29日，渤海银行郑州分行与高新区签署战略合作协议，双方将在科技金融、产业基金、"
    "园区建设等领域开展全方位合作，助力高新区企业融资发展。",
    "根据协议，渤海银行郑州分行将在未来五年内为区内企业提供不低于一百亿元的意向性授信支持。",
)
A3 = (
    "本报讯 3月30日，高新区召开城市防汛工作部署会，要求各单位全面排查易涝点位，完善应急预案，"
    "储备防汛物资，确保安全度汛。会议强调要压实责任，加强值守，做到早发现、早处置。",
)
BRIEF = ("高新区举办春季招聘会，四十余家企业提供岗位八百余个，现场达成就业意向三百余人。",)
HEADER1 = "高新时报 2022年4月6日 星期三 第1版 要闻"
HEADER2 = "高新时报 2022年4月6日 星期三 第2版 综合"


def truth_json() -> dict[str, object]:
    return {
        "publication": "gxsb",
        "edition_date": "2022-04-06",
        "language": "zh",
        "pages": [
            {"file": "page_01.pdf", "page_number": 1, "header": HEADER1, "footer": "责任编辑 王磊", "columns": 2},
            {"file": "page_02.pdf", "page_number": 2, "header": HEADER2, "footer": "责任编辑 李娜", "columns": 2},
        ],
        "articles": [
            {
                "id": "p1-a1",
                "kind": "article",
                "headline": "高新区党工委理论学习中心组召开专题学习会",
                "byline": "记者 孙庆辉 通讯员 冯志斌",
                "people": [
                    {"name": "孙庆辉", "role": "reporter"},
                    {"name": "冯志斌", "role": "correspondent"},
                    {"name": "张红军", "role": "mentioned"},
                ],
                "dateline": "本报讯 3月28日",
                "dateline_date": "2022-03-28",
                "paragraphs": list(A1),
                "pages": [1],
            },
            {
                "id": "p1-a2",
                "kind": "article",
                "headline": "渤海银行与高新区签署战略合作协议",
                "byline": "记者 程曦",
                "people": [{"name": "程曦", "role": "reporter"}],
                "dateline": "本报讯 3月29日",
                "dateline_date": "2022-03-29",
                "paragraphs": list(A2),
                "pages": [1, 2],
            },
            {
                "id": "p2-a1",
                "kind": "article",
                "headline": "部署城市防汛工作",
                "byline": "",
                "people": [],
                "dateline": "本报讯 3月30日",
                "dateline_date": "2022-03-30",
                "paragraphs": list(A3),
                "pages": [2],
            },
            {
                "id": "p2-b1",
                "kind": "brief",
                "headline": "春季招聘会举行",
                "byline": "",
                "people": [],
                "dateline": "",
                "dateline_date": None,
                "paragraphs": list(BRIEF),
                "pages": [2],
            },
        ],
    }


@pytest.fixture()
def edition(tmp_path: Path) -> ev.TruthEdition:
    d = tmp_path / "gxsb" / "2022-04-06"
    d.mkdir(parents=True)
    (d / "truth.json").write_text(json.dumps(truth_json(), ensure_ascii=False), encoding="utf-8")
    return ev.load_truth_edition(d / "truth.json")


def perfect(edition: ev.TruthEdition) -> list[ev.EvalArticle]:
    """Predictions equal to the truth (as an extractor would give them)."""
    return [dataclasses.replace(a, id="") for a in edition.articles]


def score(edition: ev.TruthEdition, predicted: list[ev.EvalArticle]) -> dict[str, float | int | None]:
    return ev.figures(ev.score_edition(edition, predicted).edition)


def test_truth_is_read_with_pages_files_and_byline_people(edition: ev.TruthEdition) -> None:
    a1, a2 = edition.articles[:2]
    assert a1.people == frozenset({("孙庆辉", "reporter"), ("冯志斌", "correspondent")})
    assert a2.pages == (1, 2) and a2.units == ("page_01.pdf", "page_02.pdf")
    assert a1.dateline_date == dt.date(2022, 3, 28)
    assert edition.key == "gxsb/2022-04-06"


def test_perfect_prediction_scores_one_everywhere(edition: ev.TruthEdition) -> None:
    figs = score(edition, perfect(edition))
    for key in (
        "article_precision",
        "article_recall",
        "article_f1",
        "body_char_accuracy",
        "headline_exact",
        "byline_exact",
        "byline_people_exact",
        "dateline_date_exact",
        "jumps_stitched",
        "briefs_split",
    ):
        assert figs[key] == 1.0, key
    assert figs["leakage_rate"] == 0.0 and figs["leaked_articles"] == 0
    assert figs["jumps_total"] == 1 and figs["briefs_total"] == 1


def test_whitespace_and_line_breaks_do_not_matter_for_chinese(edition: ev.TruthEdition) -> None:
    wrapped = [dataclasses.replace(a, body=" ".join(a.body[i : i + 13] for i in range(0, len(a.body), 13)))
               for a in perfect(edition)]
    figs = score(edition, wrapped)
    assert figs["article_f1"] == 1.0 and figs["body_char_accuracy"] == 1.0


def test_missing_article_lowers_recall_not_precision(edition: ev.TruthEdition) -> None:
    figs = score(edition, perfect(edition)[1:])
    assert figs["article_precision"] == 1.0
    assert figs["article_recall"] == 0.75


def test_extra_article_lowers_precision_not_recall(edition: ev.TruthEdition) -> None:
    extra = ev.EvalArticle(body="图为招聘会现场。本报记者 摄", pages=(2,), units=("page_02.pdf",))
    figs = score(edition, perfect(edition) + [extra])
    assert figs["article_recall"] == 1.0
    assert figs["article_precision"] == 0.8


def test_merged_pair_matches_neither(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    a3, brief = preds[2], preds[3]
    merged = dataclasses.replace(a3, body=a3.body + "\n" + brief.body)
    figs = score(edition, preds[:2] + [merged])
    assert figs["matched"] == 2
    assert figs["briefs_split"] == 0.0
    assert figs["article_recall"] == 0.5


def test_one_prediction_matches_one_truth_only(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    figs = score(edition, preds + [preds[0]])  # the same article twice
    assert figs["matched"] == 4 and figs["predicted_articles"] == 5
    assert figs["article_precision"] == 0.8


def test_small_edits_still_match_and_lower_char_accuracy(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    body = preds[0].body
    preds[0] = dataclasses.replace(preds[0], body=body[:20] + "X" + body[21:], headline="错误标题")
    figs = score(edition, preds)
    assert figs["article_f1"] == 1.0
    assert 0.99 < figs["body_char_accuracy"] < 1.0
    assert figs["headline_exact"] == 0.75


def test_byline_people_and_dateline_errors(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    preds[0] = dataclasses.replace(
        preds[0], byline="记者 孙庆辉", people=frozenset({("孙庆辉", "reporter")}), dateline_date=dt.date(2021, 3, 28)
    )
    figs = score(edition, preds)
    assert figs["byline_total"] == 2 and figs["byline_exact"] == 0.5
    assert figs["byline_people_total"] == 2 and figs["byline_people_exact"] == 0.5
    assert figs["dateline_total"] == 3 and figs["dateline_date_exact"] == pytest.approx(2 / 3)


def test_reporters_and_photographers_are_scored_by_names(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    # the right reporters in a wrong role still count as the article's reporters (correspondent is one)
    preds[0] = dataclasses.replace(preds[0], people=frozenset({("孙庆辉", "reporter"), ("冯志斌", "reporter")}))
    # a reporter taken for a photographer: both figures miss
    preds[1] = dataclasses.replace(preds[1], people=frozenset({("程曦", "photographer")}))
    figs = score(edition, preds)
    assert figs["reporters_total"] == 4 and figs["reporters_exact"] == 0.75
    assert figs["photographers_total"] == 4 and figs["photographers_exact"] == 0.75
    assert figs["byline_people_exact"] == 0


def test_people_not_given_are_not_scored(edition: ev.TruthEdition) -> None:
    preds = [dataclasses.replace(a, people=None) for a in perfect(edition)]
    figs = score(edition, preds)
    assert figs["byline_people_exact"] is None and figs["byline_people_total"] == 0
    assert figs["reporters_exact"] is None and figs["photographers_exact"] is None


def test_jump_stitched_only_when_one_article_spans_the_pages(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    jumped = preds[1]
    # matched, but only placed on its first page
    one_page = dataclasses.replace(jumped, pages=(1,), units=("page_01.pdf",))
    assert score(edition, [preds[0], one_page, *preds[2:]])["jumps_stitched"] == 0.0
    # cut into its two pages' halves: neither half is the article
    head, tail = A2
    halves = [
        dataclasses.replace(jumped, body=head, pages=(1,), units=("page_01.pdf",)),
        dataclasses.replace(jumped, body=tail, pages=(2,), units=("page_02.pdf",)),
    ]
    figs = score(edition, [preds[0], *halves, *preds[2:]])
    assert figs["jumps_stitched"] == 0.0 and figs["matched"] == 3


def test_leakage_of_header_and_footer(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)
    preds[1] = dataclasses.replace(preds[1], body=preds[1].body + "\n责任编辑 李娜")
    preds[2] = dataclasses.replace(preds[2], body="第2版\n" + preds[2].body)
    preds[3] = dataclasses.replace(preds[3], body="高新时报 2022年4月6日\n" + preds[3].body)
    figs = score(edition, preds)
    assert figs["leaked_articles"] == 3
    assert figs["leakage_rate"] == 0.75
    assert figs["matched"] == 3  # a little furniture still matches; the brief with a header does not
    misses = ev.score_edition(edition, preds).misses
    assert len(misses["leaked"]) == 3
    assert misses["unmatched_truth"][0]["id"] == "p2-b1"
    assert 0.5 < misses["unmatched_truth"][0]["best_similarity"] < 0.9


def test_furniture_read_off_header_and_footer() -> None:
    page = ev.TruthPage(file="p.pdf", page_number=1, header=HEADER1, footer="责任编辑 王磊")
    strings = ev.furniture_strings(page)
    for s in ("高新时报", "2022年4月6日", "第1版", "责任编辑王磊"):
        assert s in strings
    assert "星期三" not in strings and "要闻" not in strings
    en = ev.TruthPage(file="p.pdf", page_number=3, header="THE RIVERSIDE TRIBUNE  Wednesday, April 6, 2022  Page 3")
    strings = ev.furniture_strings(en)
    assert "THERIVERSIDETRIBUNE" in strings and "Page3" in strings and "Wednesday,April6,2022" in strings
    footer = ev.TruthPage(file="p.pdf", page_number=2, footer="Editor: Fatima Miller A2")
    assert "Editor:FatimaMiller" in ev.furniture_strings(footer)


def test_furniture_quoted_in_the_true_body_is_not_leakage() -> None:
    furniture = ["高新时报"]
    body = "据高新时报报道，会议召开。"
    assert not ev.leaked(body, body, furniture)
    assert ev.leaked("高新时报\n" + body, body, furniture)


def test_per_file_attribution(edition: ev.TruthEdition) -> None:
    preds = perfect(edition)[:1] + perfect(edition)[2:]  # the jumped article is missing
    files = ev.score_edition(edition, preds).units
    p1, p2 = ev.figures(files["page_01.pdf"]), ev.figures(files["page_02.pdf"])
    assert p1["truth_articles"] == 2 and p1["article_recall"] == 0.5
    assert p2["truth_articles"] == 3 and p2["article_recall"] == pytest.approx(2 / 3)
    assert p1["jumps_total"] == 1 and p2["jumps_total"] == 1


def test_model_articles_are_placed_by_source_file(edition: ev.TruthEdition) -> None:
    art = Article(
        publication="gxsb",
        edition_date=dt.date(2022, 4, 6),
        paragraphs=list(A2),
        headline="渤海银行与高新区签署战略合作协议",
        byline="记者 程曦",
        page_numbers=[1, 2],
        source_files=["/somewhere/gxsb/2022-04-06/page_01.pdf", "/somewhere/gxsb/2022-04-06/page_02.pdf"],
        people=[Person("程曦", "reporter"), Person("赵毅", "mentioned")],
    )
    e = ev.from_model_article(art, edition)
    assert e.pages == (1, 2) and e.units == ("page_01.pdf", "page_02.pdf")
    assert e.people == frozenset({("程曦", "reporter")})
    # a misread printed page number does not move an article off its file
    misread = dataclasses.replace(art, page_numbers=[7], source_files=["page_02.pdf"])
    assert ev.from_model_article(misread, edition).pages == (2,)


def test_place_on_pages_adds_jump_pages_named_in_a_record(edition: ev.TruthEdition) -> None:
    assert ev.place_on_pages(edition, ["gxsb/2022-04-06/page_01.pdf"], [1, 2]) == ((1, 2), ("page_01.pdf", "page_02.pdf"))
    assert ev.place_on_pages(edition, [], [2]) == ((2,), ("page_02.pdf",))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab中文 x", max_size=80), st.text(alphabet="ab中文 x", max_size=80))
def test_pure_python_levenshtein_agrees_with_reference(a: str, b: str) -> None:
    # textbook dynamic programme
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    assert ev._levenshtein_python(a, b) == prev[-1] == ev.levenshtein(a, b)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcd中", min_size=1, max_size=60), st.text(alphabet="abcd中", min_size=1, max_size=60))
def test_similarity_prefilter_is_exact(a: str, b: str) -> None:
    sim = ev.similarity(a, b)
    got = ev.similarity_at_least(a, b, 0.6)
    assert (got is not None) == (sim >= 0.6)
    if got is not None:
        assert got == pytest.approx(sim)


def test_baseline_splits_at_blank_lines_and_dateline_leads() -> None:
    text = "标题一\n本报讯 3月28日，甲。\n乙。\n\n标题二\n正文二本报讯 3月29日，丙。"
    items = split_naive(text, "zh")
    assert [i.headline for i in items] == ["标题一", "标题二", ""]
    assert items[0].body == "本报讯 3月28日，甲。\n乙。"
    assert items[2].body == "本报讯 3月29日，丙。"
    assert len(split_naive("Head\nbody one\n\nHead two\nbody two", "en")) == 2


# --------------------------------------------------------------------------
# end to end on real PDFs
# --------------------------------------------------------------------------


def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def draw_two_column_page(path: Path, header: str, left: list[str], right: list[str]) -> None:
    """A page with two text columns side by side (lines of 14 chars)."""
    font = _font()
    c = canvas.Canvas(str(path), pagesize=(420, 600))
    c.setFont(font, 9)
    c.drawString(20, 580, header)
    for x, texts in ((20, left), (220, right)):
        y = 550
        for text in texts:
            for i in range(0, len(text), 14):
                c.drawString(x, y, text[i : i + 14])
                y -= 12
            y -= 12
    c.save()


@pytest.fixture()
def pdf_corpus(tmp_path: Path) -> Path:
    """One edition, two PDF pages of two columns each, with its truth.json."""
    root = tmp_path / "corpus"
    d = root / "gxsb" / "2022-04-06"
    d.mkdir(parents=True)
    draw_two_column_page(d / "page_01.pdf", HEADER1, ["".join(A1)], ["".join(A2[:1])])
    draw_two_column_page(d / "page_02.pdf", HEADER2, ["".join(A2[1:]), "".join(A3)], ["".join(BRIEF)])
    truth = truth_json()
    for a in truth["articles"]:  # type: ignore[union-attr]
        a["paragraphs"] = ["".join(a["paragraphs"])]
    (d / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return root


def test_predictions_jsonl_are_scored_and_written(pdf_corpus: Path, tmp_path: Path) -> None:
    edition = ev.load_truth(pdf_corpus)[0]
    preds = tmp_path / "preds.jsonl"
    with preds.open("w", encoding="utf-8") as f:
        for a in edition.articles[:3]:  # the brief is missing
            rec = {
                "source_file": f"gxsb/2022-04-06/{a.units[0]}",
                "headline": a.headline,
                "body": a.body,
                "byline": a.byline,
                "pages": list(a.pages),
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out = tmp_path / "out" / "eval.json"
    report = ev.run_eval(pdf_corpus, predictions=preds, out_json=out)
    ours = report.overall["broadsheet"]
    assert ours["article_precision"] == 1.0 and ours["article_recall"] == 0.75
    assert ours["jumps_stitched"] == 1.0 and ours["briefs_split"] == 0.0
    assert ours["byline_people_exact"] is None  # the records give no people
    written = json.loads(out.read_text(encoding="utf-8"))
    assert set(written) >= {"overall", "files"}
    assert set(written["overall"]) == {"broadsheet", "baseline"}
    assert set(written["files"]) == {"gxsb/2022-04-06/page_01.pdf", "gxsb/2022-04-06/page_02.pdf"}
    for per_file in written["files"].values():
        assert set(per_file) == {"broadsheet", "baseline"}
    assert written["meta"]["system"].startswith("predictions:")
    misses = written["details"]["gxsb/2022-04-06"]["broadsheet"]
    assert [m["id"] for m in misses["unmatched_truth"]] == ["p2-b1"]
    assert misses["unmatched_predicted"] == [] and misses["leaked"] == []
    # the naive baseline reads across both columns and finds nothing whole
    base = report.overall["baseline"]
    assert base["article_recall"] < 0.5
    table = ev.format_report(report)
    assert "OVERALL" in table and "gxsb/2022-04-06/page_02.pdf" in table and "baseline" in table


def test_prediction_for_unknown_edition_is_an_error(pdf_corpus: Path, tmp_path: Path) -> None:
    preds = tmp_path / "preds.jsonl"
    preds.write_text(json.dumps({"source_file": "other/2020-01-01/p.pdf", "body": "x", "pages": [1]}) + "\n")
    with pytest.raises(ValueError, match="no truth edition"):
        ev.run_eval(pdf_corpus, predictions=preds, baseline=False)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcd中", min_size=1, max_size=60), st.text(alphabet="abcd中", min_size=1, max_size=60))
def test_similarity_prefilter_without_rapidfuzz_is_exact(a: str, b: str) -> None:
    saved = ev._rf_levenshtein
    ev._rf_levenshtein = None
    try:
        got = ev.similarity_at_least(a, b, 0.6)
        sim = ev.similarity(a, b)
    finally:
        ev._rf_levenshtein = saved
    assert (got is not None) == (sim >= 0.6 - 1e-12)


def _pipeline_importable() -> bool:
    try:
        import tasks.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


def test_generated_corpus_end_to_end(tmp_path: Path) -> None:
    """A small generated corpus: every key reported; the naive baseline fails multi-column pages.

    The pipeline is scored too when ``tasks.pipeline`` imports.
    """
    from tasks.evaluation.corpus import generate_edition

    root = tmp_path / "corpus"
    generate_edition(root, seed=1, language="zh", n_pages=2)
    generate_edition(root, seed=2, language="en", n_pages=2, single_file=True)
    editions = ev.load_truth(root)
    assert len(editions) == 2
    out = tmp_path / "eval.json"
    if _pipeline_importable():
        report = ev.run_eval(root, out_json=out)
        systems = {"broadsheet", "baseline"}
    else:
        report = ev.build_report(editions, {"baseline": ev.baseline_extractor()})
        out.write_text(json.dumps(report.to_json()), encoding="utf-8")
        systems = {"baseline"}
    written = json.loads(out.read_text(encoding="utf-8"))
    assert set(written["overall"]) == systems
    units = {f"{e.key}/{p.unit}" for e in editions for p in e.pages}
    assert set(written["files"]) == units and len(units) == 4
    for figs in [*written["overall"].values(), *(f for per in written["files"].values() for f in per.values())]:
        assert set(figs) == set(ev.FIGURE_KEYS)
    base = written["overall"]["baseline"]
    assert base["truth_articles"] == sum(len(e.articles) for e in editions)
    assert base["jumps_total"] >= 1
    assert base["article_f1"] < 0.3  # lines read straight across the columns
    assert base["leaked_articles"] >= 1  # the header ends up in the first piece
    if "broadsheet" in systems:
        ours = written["overall"]["broadsheet"]
        assert ours["article_f1"] > base["article_f1"]
        assert ours["leaked_articles"] < base["leaked_articles"]


def test_module_entry_point_prints_the_table(pdf_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edition = ev.load_truth(pdf_corpus)[0]
    preds = tmp_path / "preds.jsonl"
    preds.write_text(
        "".join(
            json.dumps({"source_file": f"gxsb/2022-04-06/{a.units[0]}", "body": a.body, "pages": list(a.pages)}) + "\n"
            for a in edition.articles
        ),
        encoding="utf-8",
    )
    out = tmp_path / "eval.json"
    assert ev.main([str(pdf_corpus), "--predictions", str(preds), "--no-baseline", "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "OVERALL" in table and "baseline" not in table
    assert json.loads(out.read_text(encoding="utf-8"))["overall"]["broadsheet"]["article_f1"] == 1.0
