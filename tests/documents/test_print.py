"""The printed page (#12, items 7 and 8): draft mark, attachments line, signature line, the
closing kept with the text, unbreakable postcodes, the stamp copy and the fonts officials have.
DOCX output is read back with python-docx."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from letterkit.documents import (
    Addressee,
    Sender,
    build_letter,
    get_locale,
    languages,
    render_docx,
)
from letterkit.documents.text import keep_postcodes

from .conftest import read_docx, sample_letter, simple_context

LANGS = languages()


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml").decode()


def _before_closing(data: bytes) -> Paragraph:
    """The body paragraph right before the table that holds the closing and the signature."""
    document = docx.Document(io.BytesIO(data))
    body = list(document.element.body.iterchildren())
    table = next(el for el in body if el.tag == qn("w:tbl") and "Closing" in el.xml)
    previous = body[body.index(table) - 1]
    assert previous.tag == qn("w:p")
    return Paragraph(previous, document._body)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("after", [True, False], ids=["text-after-demands", "demand-last"])
def test_closing_never_alone(lang: str, after: bool) -> None:
    letter = build_letter("appeal", lang, simple_context())
    if not after:
        letter = dataclasses.replace(letter, paragraphs_after=())
    paragraph = _before_closing(render_docx(letter))
    assert paragraph.paragraph_format.keep_with_next is True
    assert paragraph.paragraph_format.widow_control is True
    expected = letter.paragraphs_after[-1] if after else letter.demands[-1]
    assert paragraph.text == expected
    # the closing's own table row cannot break
    assert "<w:cantSplit/>" in _document_xml(render_docx(letter)).split("Closing")[0][-2000:]


@pytest.mark.parametrize("lang", LANGS)
def test_signature_has_a_line_to_sign_on(lang: str) -> None:
    letter = build_letter("appeal", lang, simple_context())
    read = read_docx(render_docx(letter))
    paragraph = next(p for p in _paragraphs(read.document) if p.style.name == "Signature")
    leaders = [t.leader for t in paragraph.paragraph_format.tab_stops]
    assert WD_TAB_LEADER.LINES in leaders  # an underscore leader: the line
    text = paragraph.text
    assert letter.signature.name in text and letter.signature.title in text
    if lang == "en":  # line, then name, title, organisation
        assert text.startswith("\t\n" + letter.signature.name)
    else:  # title … line … name, on one line
        assert text.endswith("\t\t\t" + letter.signature.name)
        assert text.index(letter.signature.title) < text.index("\t")


def test_long_title_puts_the_line_below() -> None:
    context = simple_context()
    long_org = "Региональная общественная организация «Очень длинное название»"
    signer = dataclasses.replace(context.signer, organisation=long_org)
    letter = build_letter("appeal", "ru", dataclasses.replace(context, signer=signer))
    read = read_docx(render_docx(letter))
    signature = read.paragraphs[read.styles.index("Signature")]
    assert f"{long_org}\n\t\t\t{signer.name}" in signature


def _paragraphs(document: docx.document.Document) -> list[Paragraph]:
    out = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


@pytest.mark.parametrize(
    ("lang", "mark", "number"),
    [
        ("ru", "ПРОЕКТ: не для отправки", "№ ____________ от 26.06.2019"),
        ("uk", "ПРОЄКТ: не для надсилання", "№ ____________ від 26.06.2019"),
        ("en", "DRAFT: not for sending", "Our ref.: ____________"),
        ("ro", "PROIECT: a nu se expedia", "Nr. ____________ din 26.06.2019"),
        ("lt", "PROJEKTAS: nesiųsti", "2019-06-26 Nr. ____________"),
        ("lv", "PROJEKTS: nav nosūtāms", "26.06.2019. Nr. ____________"),
        ("et", "KAVAND: mitte saata", "Meie 26.06.2019 nr ____________"),
    ],
)
def test_draft_is_marked(lang: str, mark: str, number: str) -> None:
    draft = read_docx(render_docx(build_letter("appeal", lang, simple_context(reference=None))))
    assert draft.paragraphs[0] == mark
    first = draft.document.paragraphs[0]
    assert first.alignment is not None and first.alignment == 1  # centred
    assert first.runs[0].bold
    assert number in draft.text
    assert "проект" not in draft.text.replace(mark, "")
    final = read_docx(render_docx(build_letter("appeal", lang, simple_context())))
    assert mark not in final.text
    assert final.paragraphs[0] == "Test Group"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ru", "Приложение: Список подписавших (подписей: 3) в 1 экз."),
        ("uk", "Додаток: Список тих, хто підписав (підписів: 3) в 1 прим."),
        ("en", "Enclosure: List of signatories (signatures: 3)"),
        ("ro", "Anexă: Lista semnatarilor (semnături: 3), într-un exemplar."),
        ("lt", "PRIDEDAMA: Pasirašiusiųjų sąrašas (parašų: 3), 1 egz."),
        ("lv", "Pielikumā: Parakstītāju saraksts (parakstu skaits: 3) 1 eksemplārā."),
        ("et", "Lisa: Allakirjutanute nimekiri (allkirjade arv: 3), 1 eksemplar"),
    ],
)
def test_attachments_line(lang: str, line: str) -> None:
    context = simple_context(annex_rows=3)
    title = get_locale(lang).annex_default_title
    annex = dataclasses.replace(context.annex, title=title)
    letter = build_letter("appeal", lang, dataclasses.replace(context, annex=annex))
    read = read_docx(render_docx(letter))
    assert read.paragraphs[read.styles.index("Annex Note")] == line
    # streamed rows of unknown number: the annex is named, nothing is counted
    streamed = dataclasses.replace(annex, rows=iter([("a", "b", "c")]), row_count=None)
    assert streamed.row_count is None
    read = read_docx(render_docx(dataclasses.replace(letter, annex=streamed)))
    note = read.paragraphs[read.styles.index("Annex Note")]
    assert note == get_locale(lang).annex_note_uncounted.format(title=title)
    assert "3" not in note


def test_postcodes_do_not_break() -> None:
    assert keep_postcodes("Chișinău, MD-2073") == "Chișinău, MD\u20112073"
    assert keep_postcodes("London SW1A 2AA") == "London SW1A\u00a02AA"
    assert keep_postcodes("ул. Ленина, 5-7") == "ул. Ленина, 5-7"
    context = dataclasses.replace(
        simple_context(),
        addressee=Addressee(
            line="Парламенту", address_lines=("бул. Штефан чел Маре, 105", "Кишинёв, MD-2073")
        ),
        sender=Sender(name="Group", address_lines=("Riga, LV-1050",)),
    )
    data = render_docx(build_letter("appeal", "ru", context))
    xml = _document_xml(data)
    assert "MD<" in xml and "MD-2073" not in xml
    assert xml.count("<w:noBreakHyphen/>") == 2  # addressee and sender
    read = read_docx(data)
    assert "Кишинёв, MD-2073" in read.paragraphs[read.styles.index("Addressee")]


@pytest.mark.parametrize("lang", LANGS)
def test_stamp_copy_when_asked(lang: str) -> None:
    loc = get_locale(lang)
    letter = build_letter("appeal", lang, simple_context(annex_rows=2))
    plain = render_docx(letter)
    read = read_docx(plain)
    assert loc.stamp_copy_mark not in read.text
    assert not any(f in read.text for f in loc.stamp_box_fields)
    assert render_docx(letter, stamp_copy=False) == plain

    data = render_docx(letter, stamp_copy=True)
    assert data == render_docx(letter, stamp_copy=True)  # deterministic
    read = read_docx(data)
    assert read.text.count(letter.subject) == 2
    assert read.text.count(letter.closing) == 2
    assert read.text.count("Signer 1") == 1  # the annex is not repeated
    mark = read.paragraphs.index(loc.stamp_copy_mark)
    assert read.paragraphs.index(letter.closing) < mark
    assert read.paragraphs.index(loc.stamp_box_title) > mark
    for label in loc.stamp_box_fields:
        assert label in read.paragraphs
    # letter, annex, stamp copy: three sections; the copy numbers its pages from 1
    document = read.document
    assert len(document.sections) == 3
    assert document.sections[2].different_first_page_header_footer
    xml = _document_xml(data)
    assert xml.count('<w:pgNumType w:start="1"/>') == 1
    # the copy's demands are a list of their own, numbered from 1 again
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        numbering = zf.read("word/numbering.xml").decode()
    assert '<w:startOverride w:val="1"/>' in numbering
    assert xml.count('<w:numId w:val="11"/>') == len(letter.demands)


def test_fonts_officials_have() -> None:
    letter = sample_letter("sign-on", "ru")
    with zipfile.ZipFile(io.BytesIO(render_docx(letter))) as zf:
        styles = zf.read("word/styles.xml").decode()
        font_table = zf.read("word/fontTable.xml").decode()
        xml = zf.read("word/document.xml").decode()
    assert 'w:ascii="Times New Roman"' in styles and 'w:cs="Times New Roman"' in styles
    assert 'w:hAnsi="Times New Roman"' in styles
    assert 'w:name="Times New Roman"' in font_table and 'w:name="Sylfaen"' in font_table
    assert 'w:ascii="Noto Serif' not in styles
    assert 'w:ascii="Sylfaen"' in xml and "თბილისი" in xml
