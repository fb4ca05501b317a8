"""Page-level rules shown on real pages (../shared/real_pdfs): nameplates, ears
and folio bars are furniture; drop caps start their story; kicker, headline and
body stay one article; running heads repeated on every page are furniture; the
printed page number comes from the folio, never from a pointer to another page.
"""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest

from tasks.evaluation.probes import default_pdf_dir, norm
from tasks.furniture import fill_page_numbers, page_number_from
from tasks.model import PageLayout

PDFS = default_pdf_dir(Path(__file__).resolve().parents[1])
REPUBBLICA = PDFS / "it_newspaper_la-repubblica_2024-10-21_p1.pdf"
MATSU = PDFS / "en_newspaper_matsu-monitor_2010-11_college_4col.pdf"
NATURE = PDFS / "en_newsviews_nature-medicine_2001_3col.pdf"


def _edition(path: Path):
    if not path.exists():
        pytest.skip(f"real page not available: {path} is absent")
    from tasks.pipeline import build_edition, parse_file

    return build_edition([parse_file(path, guarded=False)], "real", dt.date(2000, 1, 1))


@pytest.fixture(scope="module")
def repubblica():
    return _edition(REPUBBLICA)


@pytest.fixture(scope="module")
def matsu():
    return _edition(MATSU)


def _texts(edition) -> list[str]:
    return [norm(a.kicker + a.headline + a.subheadline + a.byline + a.body) for a in edition.articles]


def test_folio_bar_ears_and_legal_lines_are_furniture(repubblica):
    """The strip between the nameplate's rules (date, Oggi con ..., Anno 31 N° 41,
    price) and the fine print under the last rule (three columns of legal lines)
    belong to no article."""
    texts = _texts(repubblica)
    for s in ["Lunedì 21 ottobre 2024", "Oggi con Affari&Finanza", "Anno 31 N° 41", "€ 1,70",
              "Sede: 00147 Roma", "Concessionaria di pubblicità", "Prezzi di vendita all’estero"]:
        assert not any(norm(s) in t for t in texts), s
    header = repubblica.pages[0].header_text
    assert "21 ottobre 2024" in header


def test_drop_cap_starts_its_story_and_is_no_headline(repubblica):
    heads = [a.headline for a in repubblica.articles]
    assert not {"L", "M", "C"} & set(heads), heads  # the page's three drop caps
    bodies = {a.headline: a.body for a in repubblica.articles}
    assert bodies["La nostra povera Carta"].startswith("La madre delle riforme")
    assert bodies["Leclerc e Sainz, doppietta Ferrari"].startswith("Coppia America")


def test_kicker_headline_and_body_are_one_article(repubblica):
    a = next(a for a in repubblica.articles if a.headline == "L’altolà di Mattarella")
    assert a.kicker == "Giustizia"
    assert "Mentre il governo prepara il decreto" in a.body
    assert norm("i confini tra i poteri") in norm(a.body)


def test_front_page_without_folio_is_page_one_by_its_file_name(repubblica):
    assert repubblica.pages[0].page_number == 1


def test_cover_number_from_the_folios_of_the_pages_after_it(matsu):
    """The cover has no folio and a jump line '» See farming 2010 Page 3' at its
    foot; pages 2, 3 and 5 print '02 LOCAL NEWS', 'LOCAL NEWS 03' and
    'COLLEGE NEWS 05'. The cover is page 1, not 3."""
    numbers = {lay.page_index: lay.page_number for lay in matsu.pages}
    assert numbers[0] == 1 and numbers[1] == 2 and numbers[2] == 3 and numbers[4] == 5


def test_jump_line_at_a_column_foot_keeps_the_columns_last_lines(matsu):
    """'» See the Candidates Page 5' sits in the bottom band; the last lines of
    the columns beside it are the stories', not a footer."""
    texts = _texts(matsu)
    for s in ["showing at Mat-Su College worth their", "customers and what their plants would"]:
        assert any(norm(s) in t for t in texts), s


def test_running_head_repeated_on_each_page_is_furniture():
    ed = _edition(NATURE)
    assert not [a for a in ed.articles if "NEWS & VIEWS" in a.kicker + a.headline + a.body]
    assert {lay.page_number for lay in ed.pages} == {536, 537}


# the same rules on hand-made furniture text, no PDF needed

def test_page_number_ignores_pointers_and_reads_section_folios():
    assert page_number_from(["02 LOCAL NEWS"]) == 2
    assert page_number_from(["LOCAL NEWS 03"]) == 3
    assert page_number_from(["» See farming 2010 Page 3"]) is None
    assert page_number_from(["导读 详见第五版", "第1版 要闻"]) == 1
    assert page_number_from(["● a pagina 9"]) is None
    assert page_number_from(["VOL. CXII No. 43,834 SUNDAY, OCTOBER 9, 2005 $1.00"]) is None
    assert page_number_from(["November 2010"]) is None


def test_missing_numbers_from_position_in_file_or_file_name():
    def lay(f, i, n):
        return PageLayout(f, i, 600, 800, [], page_number=n)

    pages = [lay("a.pdf", 0, None), lay("a.pdf", 1, 2), lay("a.pdf", 2, 3), lay("a.pdf", 3, None)]
    fill_page_numbers(pages)
    assert [p.page_number for p in pages] == [1, 2, 3, 4]
    single = [lay("x/paper_2024-10-21_p1.pdf", 0, None)]
    fill_page_numbers(single)
    assert single[0].page_number == 1
    unknown = [lay("x/scan.pdf", 0, None)]
    fill_page_numbers(unknown)
    assert unknown[0].page_number is None


def test_story_running_on_beside_its_headline_stays_one(matsu):
    """Mat-Su Monitor's cover: 'Rain Makes for Tough Farming in 2010' sits in the
    third column and its text goes on at the top of the fourth, level with the
    headline ('...what their plants would' / 'actually produce this year');
    'Getting Acquainted...' goes on under the photo in the fourth column. Each
    is one story, and the first is stitched to 'Continued from cover' on page 3."""
    arts = {a.headline: a for a in matsu.articles}
    rain = arts["Rain Makes for Tough Farming in 2010"]
    assert norm("what their plants would actually produce this year") in norm(rain.body)
    assert rain.page_numbers == [1, 3] and "This summer’s harvesting started" in rain.body
    colberg = arts["Getting Acquainted with Director Talis Colberg"]
    assert norm("Okeson Library Building is named)") in norm(colberg.body)
    assert not [a for a in matsu.articles if a.body.startswith(("actually produce", "is named)"))]


def test_byline_set_larger_than_the_text_is_no_headline(matsu):
    """'By Jake Magoon' (12 pt over 10 pt text) is the byline of the story above its photo."""
    arts = {a.headline: a for a in matsu.articles}
    assert "By Jake Magoon" not in arts
    assert arts["Mat-Su College Meets the Candidates"].byline.startswith("By Jake Magoon")


def test_centred_standfirst_is_one_block_of_its_story():
    """Nature Medicine p. 537: the three centred bold standfirst lines under 'VIP: A very
    important protein in arthritis' are one block of that story, not three headlines."""
    ed = _edition(NATURE)
    vip = next(a for a in ed.articles if a.headline == "VIP: A very important protein in arthritis")
    assert "Many studies have shown" in vip.body and "Rheumatoid arthritis (RA) is the most" in vip.body
    assert not [a for a in ed.articles if a.headline.startswith(("Many studies", "new therapeutic"))]


def test_journal_running_head_over_its_doi_line_is_furniture():
    ed = _edition(PDFS / "zh_journal_guanli-shijie_2024_p1.pdf")
    texts = _texts(ed)
    for s in ["新质生产力：数字化专题", "DOI:10.19744"]:
        assert not any(norm(s) in t for t in texts), s
    assert ed.articles[0].headline == "数字拟人品：数字技术、拟社会互动与商业模式内容创新的共演"


def test_no_article_is_a_lone_bullet(repubblica):
    assert all(any(c.isalnum() for c in a.headline + a.body) for a in repubblica.articles)


@pytest.fixture(scope="module")
def nature():
    return _edition(NATURE)


def _lines_of(path: Path, index: int):
    if not path.exists():
        pytest.skip(f"real page not available: {path} is absent")
    from tasks.extract import extract_pages
    from tasks.lines import build_lines

    page = extract_pages(path)[index]
    return [cl.to_line() for cl in build_lines(page.chars, page.rulings)]


def test_superscript_reference_numbers_are_no_lines():
    """Nature Medicine p. 536: reference numbers set small on a raised baseline
    ("drugs²." / "SCHUETZ¹ & STEPHEN STROM²") belong to the line they ride on:
    no line of a lone number, and the text reads on without them."""
    lines = _lines_of(NATURE, 0)
    texts = [ln.text for ln in lines]
    assert "ERIN SCHUETZ & STEPHEN STROM" in texts
    assert any("drugs. P-glycoprotein and" == t for t in texts)
    body = statistics.median(ln.size for ln in lines)
    lone = [ln.text for ln in lines if ln.text.strip().isdigit() and ln.size < 0.8 * body]
    assert not lone, lone


def test_superscript_letters_stay_in_their_line():
    """Sedbergh Lookaround p. 5: 'Saturday 21st' (st set superscript) is one line."""
    lines = _lines_of(PDFS / "en_newsletter_sedbergh-lookaround_2025-11_2col.pdf", 4)
    assert any(ln.text.endswith("Saturday 21st") for ln in lines)


def test_rotated_margin_line_is_one_furniture_line(nature):
    """The copyright line set up the left margin (glyphs turned 90°) is read as
    one line in drawing order, and it is page furniture, in no article."""
    from tasks.model import BlockKind

    for lay in nature.pages:
        margin = [b for b in lay.blocks if b.kind is BlockKind.FOOTER and b.lines[0].vertical]
        assert [b.lines[0].text for b in margin] == ["© 2001 Nature Publishing Group http://medicine.nature.com"]
    assert not any("medicine.nature.com" in a.body or "m o c" in a.body for a in nature.articles)


def test_author_line_under_its_rule_opens_the_column_of_its_story(nature):
    """p. 536: the second column opens with the authors (ERIN SCHUETZ & STEPHEN STROM)
    under a short dotted rule; that column is the story's, not a story of its own."""
    story = next(a for a in nature.articles if a.headline == "Promiscuous regulator of xenobiotic removal")
    assert story.byline == "ERIN SCHUETZ & STEPHEN STROM"
    assert "Little is known about how certain drugs" in story.body
    assert not [a for a in nature.articles if not a.headline and "some antileukemic agents" in a.body]
    vip = next(a for a in nature.articles if a.headline.startswith("VIP"))
    assert vip.byline == "GARY S. FIRESTEIN"


def test_story_turning_the_page_goes_on_at_the_top_of_the_next(nature):
    """p. 536 ends mid-word ('drug clear-'); p. 537 opens, title-less, with
    'ance, in which paclitaxel ...': one story over both pages, read in column order."""
    story = next(a for a in nature.articles if a.headline == "Promiscuous regulator of xenobiotic removal")
    assert story.page_numbers == [536, 537]
    body = norm(story.body)
    marks = [norm(s) for s in ["The body responds to drugs", "Little is known about how certain drugs",
                               "Because concurrent administration of", "clearance, in which paclitaxel", "less toxic drugs"]]
    pos = [body.find(m) for m in marks]
    assert all(p >= 0 for p in pos) and pos == sorted(pos), pos


def test_numbered_section_heading_and_footnotes_stay_in_the_paper():
    """管理世界 p. 24: the section heading 一、引言 (14 pt under a 32 pt title, right
    under the keywords) is a subhead of the paper, and the footnotes under the
    short rule at the foot (收稿时间 ... 2024-3- / 23。, *本项研究 ...) are read
    with it: one article, no second or third."""
    ed = _edition(PDFS / "zh_journal_guanli-shijie_2024_p1.pdf")
    assert len(ed.articles) == 1, [a.headline for a in ed.articles]
    body = norm(ed.articles[0].body)
    for s in ["摘要：数字交互时代", "一、引言", "中央网络安全和信息化委员会印发", "收稿时间", "23。", "本项研究得到"]:
        assert norm(s) in body, s
    assert body.find(norm("一、引言")) < body.find(norm("中央网络安全和信息化委员会印发")) < body.find(norm("收稿时间"))


def test_reprint_running_on_to_its_second_page_is_one_story():
    """NYREJ reprint: page 2 opens, title-less, with the rest of the only story on
    page 1 ('When it comes to financing ...'); the photo caption beside the text
    (smaller type against the photo) is the caption, not body."""
    ed = _edition(PDFS / "en_newspaper_nyrej_2012-11-13_article-reprint.pdf")
    assert len(ed.articles) == 1, [a.headline for a in ed.articles]
    story = ed.articles[0]
    assert story.page_numbers == [1, 2]
    body = norm(story.body)
    assert norm("More than 200 real estate professionals attended") in body
    assert body.find(norm("Investors are more realistic today")) < body.find(norm("When it comes to financing"))
    assert norm("Shown (from left) are") not in body


def test_framed_job_adverts_are_no_stories(matsu):
    """Mat-Su Monitor p. 3: the college's framed panel of job adverts (Now hiring
    Math Adjunct Faculty!, Art Models Needed!, How to Apply, the equal-opportunity
    fine print), set centred line under line with posting numbers and calls to
    apply, is an advert; the two stories beside it stay."""
    page3 = [a for a in matsu.articles if 3 in a.page_numbers]
    heads = {a.headline for a in page3}
    assert "College Wins 2nd Place in State Fair Parade" in heads
    texts = [norm(a.headline + a.body) for a in page3]
    for s in ["Now hiring Math", "Art Models", "How to Apply for a job", "equal employment opportunity"]:
        assert not any(norm(s) in t for t in texts), s
