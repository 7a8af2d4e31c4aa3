"""Letterheads: refusals with clear messages, and letters written on a group's letterhead."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
import pytest
from docx.shared import Pt

from letterkit.documents import LetterheadError, render_docx, validate_letterhead

from .conftest import read_docx, sample_letter

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def make_letterhead(*, body_style_font: str | None = "Liberation Sans") -> bytes:
    """A group's letterhead as Word would save it: header, footer, a style of its own."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "LETTERHEAD-HEADER Community Voice"
    section.footer.paragraphs[0].text = "LETTERHEAD-FOOTER www.example.org"
    if body_style_font:
        style = document.styles.add_style("Body", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        style.font.name = body_style_font
        style.font.size = Pt(11)
    document.add_paragraph("TO BE REMOVED: sample body text of the letterhead")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(
    data: bytes,
    *,
    drop: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename in drop:
                continue
            blob = (replace or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, blob)
        for name, blob in (add or {}).items():
            dst.writestr(name, blob)
    return out.getvalue()


def content_types(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("[Content_Types].xml")


def docm() -> bytes:
    base = make_letterhead()
    types = content_types(base).replace(
        DOCX_MAIN.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    return rezip(
        base, replace={"[Content_Types].xml": types}, add={"word/vbaProject.bin": b"\x00" * 64}
    )


def vba_only() -> bytes:
    return rezip(make_letterhead(), add={"word/vbaProject.bin": b"\x00" * 64})


def dotx() -> bytes:
    base = make_letterhead()
    types = content_types(base).replace(
        DOCX_MAIN.encode(),
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    )
    return rezip(base, replace={"[Content_Types].xml": types})


def zip_without_document() -> bytes:
    return rezip(make_letterhead(), drop=("word/document.xml",))


def ratio_bomb() -> bytes:
    return rezip(make_letterhead(), add={"word/media/zeros.bin": b"\x00" * (3 * 1024 * 1024)})


def declared_size_bomb() -> bytes:
    """A small entry whose central directory claims 60 MB uncompressed."""
    data = bytearray(rezip(make_letterhead(), add={"word/extra.xml": b"<x/>" * 100}))
    name = b"word/extra.xml"
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_length = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_length] == name:
            break
        pos = data.find(b"PK\x01\x02", pos + 1)
    assert pos != -1
    struct.pack_into("<I", data, pos + 24, 60 * 1024 * 1024)
    return bytes(data)


def encrypted_entry() -> bytes:
    data = bytearray(make_letterhead())
    pos = data.find(b"PK\x01\x02")
    flags = struct.unpack_from("<H", data, pos + 8)[0]
    struct.pack_into("<H", data, pos + 8, flags | 0x1)
    return bytes(data)


def external_image() -> bytes:
    base = make_letterhead()
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        rels = zf.read("word/_rels/document.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/image" Target="http://tracker.example/pixel.png" '
        b'TargetMode="External"/></Relationships>',
    )
    return rezip(base, replace={"word/_rels/document.xml.rels": rels})


def broken_xml() -> bytes:
    return rezip(make_letterhead(), replace={"word/document.xml": b"<w:document"})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"just some text, not a document", "not a Word document"),
        (lambda: b"", "not a Word document"),
        (zip_without_document, "not a Word document"),
        (docm, "macros"),
        (vba_only, "macros"),
        (dotx, "template"),
        (lambda: b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024 + 1), "too large"),
        (ratio_bomb, "ZIP bomb"),
        (declared_size_bomb, "ZIP bomb"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096, "password"),
        (encrypted_entry, "encrypted"),
        (external_image, "outside the file"),
        (broken_xml, "damaged"),
    ],
    ids=[
        "not-a-zip",
        "empty",
        "zip-without-document-xml",
        "docm-content-type",
        "vbaproject-bin",
        "dotx",
        "over-5-mb",
        "zip-bomb-ratio",
        "zip-bomb-declared-size",
        "ole-doc-or-encrypted",
        "encrypted-zip-entry",
        "external-link",
        "broken-xml",
    ],
)
def test_letterhead_refused(make, message: str) -> None:
    with pytest.raises(LetterheadError) as info:
        validate_letterhead(make())
    assert message.lower() in str(info.value).lower()
    letter = sample_letter("appeal", "ru")
    with pytest.raises(LetterheadError):
        render_docx(letter, letterhead=make())


def test_good_letterhead_accepted() -> None:
    validate_letterhead(make_letterhead())


def test_letter_on_letterhead() -> None:
    letterhead = make_letterhead()
    letter = sample_letter("appeal", "ru")
    data = render_docx(letter, letterhead=letterhead)
    assert data == render_docx(letter, letterhead=letterhead)  # deterministic here too
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert "LETTERHEAD-HEADER" in section.header.paragraphs[0].text
    assert "LETTERHEAD-FOOTER" in section.footer.paragraphs[0].text
    read = read_docx(data)
    assert "TO BE REMOVED" not in read.text
    assert letter.subject in read.text and letter.demands[0] in read.text
    # the letterhead carries the sender: no sender block unless asked for
    assert "Letterhead" not in read.styles
    assert "Letterhead" in read_docx(render_docx(letter, letterhead, sender_block=True)).styles
    # its own "Body" style frames the letter; the missing named styles were added
    body = document.styles["Body"]
    assert body.font.name == "Liberation Sans"
    names = {s.name for s in document.styles}
    assert {"Demand", "Annex Table", "Signature", "Subject"} <= names
    demand = document.styles["Demand"]
    assert demand.element.pPr.numPr is not None
    numbering = document.part.numbering_part.element
    num_id = demand.element.pPr.numPr.numId.val
    assert any(n.numId == num_id for n in numbering.num_lst)


def test_letter_with_annex_on_letterhead() -> None:
    letter = sample_letter("sign-on", "uk")
    document = docx.Document(io.BytesIO(render_docx(letter, letterhead=make_letterhead())))
    assert len(document.tables[-1].rows) == 13
    assert len(document.sections) == 2
    assert "LETTERHEAD-HEADER" in document.sections[1].header.paragraphs[0].text


def test_letterhead_without_body_style() -> None:
    data = render_docx(
        sample_letter("appeal", "en"), letterhead=make_letterhead(body_style_font=None)
    )
    document = docx.Document(io.BytesIO(data))
    assert "Body" in {s.name for s in document.styles}
