"""Page-level rules shown on real pages (../shared/real_pdfs): nameplates, ears
and folio bars are furniture; drop caps start their story; kicker, headline and
body stay one article; running heads repeated on every page are furniture; the
printed page number comes from the folio, never from a pointer to another page.
"""

from __future__ import annotations

import datetime as dt
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
