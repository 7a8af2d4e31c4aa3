"""The DOCX writer: content, styles, page setup, annex, determinism, letterheads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.shared import Mm

from letterkit.documents import (
    NAMED_STYLES,
    Annex,
    LetterValidationError,
    build_letter,
    render_docx,
    sha256,
)
from letterkit.documents.docx_reference import REFERENCE_PATH, build_reference

from .conftest import read_docx, sample_letter, simple_context


def test_reference_docx_is_up_to_date() -> None:
    assert REFERENCE_PATH.read_bytes() == build_reference()


def test_reference_has_named_styles() -> None:
    document = docx.Document(str(REFERENCE_PATH))
    names = {style.name for style in document.styles}
    assert set(NAMED_STYLES) <= names


@pytest.mark.parametrize(
    ("lang", "margins"),
    [("ru", (20, 10, 20, 20)), ("uk", (20, 10, 20, 20)), ("en", (25, 25, 25, 25))],
)
def test_page_setup(lang: str, margins: tuple[int, int, int, int]) -> None:
    data = render_docx(sample_letter("appeal", lang))
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width.mm - 210) < 0.1
    assert abs(section.page_height.mm - 297) < 0.1
    left, right, top, bottom = margins
    assert abs(section.left_margin.mm - left) < 0.1
    assert abs(section.right_margin.mm - right) < 0.1
    assert abs(section.top_margin.mm - top) < 0.1
    assert abs(section.bottom_margin.mm - bottom) < 0.1
    # page numbers from page 2: different first page, PAGE field in the default header
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_official_layout_ru() -> None:
    letter = sample_letter("appeal", "ru")
    read = read_docx(render_docx(letter))
    by_style: dict[str, list[str]] = {}
    for text, style in zip(read.paragraphs, read.styles, strict=True):
        by_style.setdefault(style, []).append(text)
    assert by_style["Letterhead"][0] == letter.sender.name
    assert by_style["Requisites"][0].startswith("№ ГС-2019/07 от 26.06.2019")
    assert by_style["Addressee"][0].startswith("Министру здравоохранения\nРоссийской Федерации")
    assert by_style["Subject"] == [letter.subject]
    assert by_style["Salutation"] == ["Уважаемый господин Министр!"]
    assert by_style["Closing"] == ["С уважением,"]
    assert by_style["Signature"] == [
        "Координатор\nАссоциация «Голос сообщества»\t\t\tА.А. Примерова"
    ]
    assert by_style["Demand"] == list(letter.demands)
    order = [read.styles.index(s) for s in ("Requisites", "Addressee", "Subject", "Salutation")]
    assert order == sorted(order)
    # the addressee block sits on the right: a large left indent
    addressee = next(p for p in read.document.paragraphs if p.style.name == "Addressee")
    assert addressee.paragraph_format.left_indent.mm > 80


def test_business_layout_en() -> None:
    letter = sample_letter("appeal", "en")
    read = read_docx(render_docx(letter))
    styles, texts = read.styles, read.paragraphs
    requisites = [t for t, s in zip(texts, styles, strict=True) if s == "Requisites" and t]
    assert requisites == ["Our ref.: CV-2019/07", "London, 26 June 2019"]
    assert texts[styles.index("Subject")] == f"Re: {letter.subject}"
    # salutation before the subject in an English letter
    assert styles.index("Salutation") < styles.index("Subject") < styles.index("Body")
    assert (
        texts[styles.index("Signature")]
        == "\t\nAnna Example\nCoordinator\nCommunity Voice Association"
    )
    addressee = next(p for p in read.document.paragraphs if p.style.name == "Addressee")
    assert not addressee.paragraph_format.left_indent


def test_draft_prints_a_blank_number() -> None:
    context = simple_context(reference=None)
    read = read_docx(render_docx(build_letter("appeal", "ru", context)))
    assert "№ ____________ от 26.06.2019" in read.text
    read = read_docx(render_docx(build_letter("appeal", "uk", context)))
    assert "№ ____________ від 26.06.2019" in read.text
    read = read_docx(render_docx(build_letter("appeal", "en", context)))
    assert "Our ref.: ____________" in read.text


def test_deterministic_bytes() -> None:
    first = render_docx(sample_letter("sign-on", "ru"))
    second = render_docx(sample_letter("sign-on", "ru"))
    assert first == second
    assert sha256(first) == sha256(second)
    assert len(sha256(first)) == 64
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
        assert "2019-06-26T00:00:00Z" in core
        assert zf.testzip() is None
    other = render_docx(dataclasses.replace(sample_letter("sign-on", "ru"), reference="X-2"))
    assert other != first


def test_annex_one_row_per_signatory() -> None:
    letter = build_letter("appeal", "en", simple_context(annex_rows=37))
    document = docx.Document(io.BytesIO(render_docx(letter)))
    table = document.tables[-1]
    assert table.style is not None and table.style.name == "Annex Table"
    assert len(table.rows) == 37 + 1
    assert [c.text for c in table.rows[0].cells] == [
        "No.",
        "Organisation or name",
        "City",
        "Country",
    ]
    assert [c.text for c in table.rows[37].cells] == ["37", "Signer 37", "City", "Country"]
    # the annex is its own section, on a new page, with page numbers
    assert len(document.sections) == 2
    assert not document.sections[1].different_first_page_header_footer


def test_annex_streamed_from_iterator() -> None:
    rows = ((f"Org {i}", None, 7) for i in range(1, 501))
    annex = Annex(title="Signatories", columns=("Name", "City", "Count"), rows=rows, numbered=False)
    letter = dataclasses.replace(sample_letter("appeal", "ru"), annex=annex)
    table = docx.Document(io.BytesIO(render_docx(letter))).tables[-1]
    assert len(table.rows) == 501
    assert [c.text for c in table.rows[500].cells] == ["Org 500", "", "7"]


def test_annex_rows_checked() -> None:
    base = sample_letter("appeal", "ru")
    too_wide = Annex(title="t", columns=("a",), rows=[("x", "y")])
    with pytest.raises(LetterValidationError, match="cells"):
        render_docx(dataclasses.replace(base, annex=too_wide))
    too_long = Annex(title="t", columns=("a",), rows=[("x" * 501,)])
    with pytest.raises(LetterValidationError, match="too long"):
        render_docx(dataclasses.replace(base, annex=too_long))


def test_georgian_gets_its_font() -> None:
    letter = sample_letter("sign-on", "ru")
    with zipfile.ZipFile(io.BytesIO(render_docx(letter))) as zf:
        xml = zf.read("word/document.xml").decode()
        styles = zf.read("word/styles.xml").decode()
    assert 'w:ascii="Sylfaen"' in xml
    assert "თბილისი" in xml
    assert 'w:ascii="Times New Roman"' in styles and 'w:cs="Times New Roman"' in styles
    assert 'w:val="ru-RU"' in styles  # the letter language, for spelling and hyphenation


def test_markup_in_user_text_stays_text() -> None:
    hostile = '</w:t></w:r></w:p><w:p><w:r><w:t>injected & <b>bold</b> "q" \x00\x0b\ufffe'
    base = sample_letter("appeal", "ru")
    letter = dataclasses.replace(base, subject=hostile, paragraphs=(hostile,))
    read = read_docx(render_docx(letter))
    cleaned = '</w:t></w:r></w:p><w:p><w:r><w:t>injected & <b>bold</b> "q"'
    assert cleaned in read.paragraphs
    assert sum(1 for p in read.paragraphs if "injected" in p) == 2


def test_tabs_and_line_breaks() -> None:
    base = sample_letter("appeal", "ru")
    letter = dataclasses.replace(base, paragraphs=("a\tb\nc",))
    assert "a\tb\nc" in read_docx(render_docx(letter)).paragraphs


def test_letter_limits() -> None:
    base = sample_letter("appeal", "ru")
    with pytest.raises(LetterValidationError) as info:
        dataclasses.replace(base, subject="x" * 501)
    assert info.value.field == "subject"
    with pytest.raises(LetterValidationError):
        dataclasses.replace(base, paragraphs=("x" * 20_001,))
    with pytest.raises(LetterValidationError):
        dataclasses.replace(base, demands=("x",) * 51)
    with pytest.raises(LetterValidationError):
        dataclasses.replace(base, date="2019-01-01")
    with pytest.raises(LetterValidationError):
        dataclasses.replace(base, language="fr")


def test_datetime_date_is_a_date() -> None:
    letter = dataclasses.replace(sample_letter("appeal", "ru"), date=dt.datetime(2020, 2, 3, 4, 5))
    assert letter.date == dt.date(2020, 2, 3)


def test_page_width_tab_for_signature() -> None:
    letter = sample_letter("appeal", "ru")
    document = docx.Document(io.BytesIO(render_docx(letter)))
    signature = read_docx(render_docx(letter))
    assert "Signature" in signature.styles
    body_xml = document.element.body.xml
    width = Mm(210 - 20 - 10).twips if hasattr(Mm(1), "twips") else round(180 * 1440 / 25.4)
    assert f'w:pos="{width}"' in body_xml
