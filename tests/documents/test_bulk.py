"""Campaign output: a ZIP of DOCX per target, one combined DOCX for printing, its PDF.

The campaign of 1 December 2011: one letter handed in at eight Russian embassies, here in three
languages (ru/uk in the GOST layout, en as a business letter).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from letterkit.documents import (
    Addressee,
    Annex,
    Letter,
    LetterValidationError,
    PdfUnavailable,
    build_letter,
    combined_pdf,
    default_library,
    render_docx,
    render_pdf,
    safe_filename,
    write_combined_docx,
    write_zip,
)
from letterkit.documents import pdf as pdf_module
from letterkit.documents.bulk import MAX_NAME, UniqueNames

from .conftest import read_docx
from .test_letterhead import make_letterhead

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}

EMBASSIES = [
    ("London", "en"),
    ("Stockholm", "ru"),
    ("Berlin", "ru"),
    ("Bucharest", "uk"),
    ("New York", "en"),
    ("Canberra", "en"),
    ("Barcelona", "ru"),
    ("Toronto", "en"),
]
# margins (left, right) in twips per letter language: GOST 20/10 mm, business 25/25 mm
MARGINS = {"ru": ("1134", "567"), "uk": ("1134", "567"), "en": ("1417", "1417")}


def token(city: str) -> str:
    """A word naming the target that no line break splits (for finding it in the PDF)."""
    return "Target" + city.replace(" ", "")


def addressee_line(city: str, lang: str) -> str:
    if lang == "en":
        return f"Embassy of the Russian Federation {token(city)}"
    return f"Посольство Российской Федерации {token(city)}"


def embassy_letter(city: str, lang: str, *, annex_rows: int | None = None) -> Letter:
    spec = default_library().get("embassy-letter")
    context = spec.sample_context(lang)
    context = dataclasses.replace(
        context,
        addressee=Addressee(
            line=addressee_line(city, lang),
            address_lines=(f"Embassy street 1, {city}",),
            salutation=context.addressee.salutation,
        ),
        place=city,
        reference=f"INPUD-2011/{city[:3].upper()}",
    )
    letter = build_letter("embassy-letter", lang, context)
    if annex_rows is not None:
        annex = Annex(
            title="List of signatories",
            columns=("Organisation or name", "City", "Country"),
            rows=[(f"Signer {i} of {city}", city, "Country") for i in range(1, annex_rows + 1)],
        )
        letter = dataclasses.replace(letter, annex=annex)
    return letter


@pytest.fixture(scope="module")
def embassy_letters() -> list[Letter]:
    return [embassy_letter(city, lang) for city, lang in EMBASSIES]


def combined(letters: list[Letter], **kwargs: object) -> bytes:
    out = io.BytesIO()
    assert write_combined_docx(letters, out, **kwargs) == len(letters)  # type: ignore[arg-type]
    return out.getvalue()


def body_sections(data: bytes) -> list[etree._Element]:
    """Every sectPr of the document body, in order (paragraph ones, then the final one)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return root.findall(".//w:sectPr", NS)


def letter_section_flags(sect: etree._Element) -> tuple[str | None, str | None, bool]:
    kind = sect.find("w:type", NS)
    pg_num = sect.find("w:pgNumType", NS)
    return (
        kind.get(f"{W}val") if kind is not None else None,
        pg_num.get(f"{W}start") if pg_num is not None else None,
        sect.find("w:titlePg", NS) is not None,
    )


# ------------------------------------------------------------------------------------------
# ZIP of DOCX
# ------------------------------------------------------------------------------------------


def test_zip_of_eight_embassy_letters(embassy_letters: list[Letter]) -> None:
    names = [f"Посольство России/{city}" for city, _lang in EMBASSIES]
    out = io.BytesIO()
    count = write_zip(zip(names, embassy_letters, strict=True), out)
    assert count == 8
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        members = zf.namelist()
        assert members == [
            f"Posolstvo_Rossii_{city.replace(' ', '_')}.docx" for city, _lang in EMBASSIES
        ]
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for member, letter, (city, lang) in zip(members, embassy_letters, EMBASSIES, strict=True):
            blob = zf.read(member)
            assert blob == render_docx(letter)  # exactly the single letter's DOCX
            read = read_docx(blob)
            assert addressee_line(city, lang) in read.text
            others = [c for c, _l in EMBASSIES if c != city]
            assert not any(token(c) in read.text for c in others)
    # deterministic
    again = io.BytesIO()
    write_zip(zip(names, embassy_letters, strict=True), again)
    assert again.getvalue() == data


def test_zip_names_sanitised_and_unique(embassy_letters: list[Letter]) -> None:
    names = ["../Russian Embassy", "Russian embassy", "RUSSIAN EMBASSY.docx", "a\\b/c"] + [
        "..",
        "Russian Embassy-2",
        "CON",
        "x" * 300,
    ]
    out = io.BytesIO()
    write_zip(zip(names, embassy_letters, strict=True), out)
    with zipfile.ZipFile(out) as zf:
        members = zf.namelist()
    assert members == [
        "Russian_Embassy.docx",
        "Russian_embassy-2.docx",
        "RUSSIAN_EMBASSY-3.docx",
        "a_b_c.docx",
        "letter.docx",
        "Russian_Embassy-2-2.docx",
        "_CON.docx",
        "x" * (MAX_NAME - 5) + ".docx",
    ]
    assert len({m.casefold() for m in members}) == len(members)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Посольство России, Лондон", "Posolstvo_Rossii_London.docx"),
        ("Посольство Росії — Бухарест", "Posolstvo_Rosiyi-Bukharest.docx"),
        ("ЩУКА", "SHCHUKA.docx"),
        ("საქართველოს პარლამენტი", "sakartvelos_parlamenti.docx"),
        ("Chișinău: Ministerul Sănătății", "Chisinau_Ministerul_Sanatatii.docx"),
        ("../../etc/passwd", "etc_passwd.docx"),
        ("C:\\Windows\\system.ini", "C_Windows_system.ini.docx"),
        ("  . ", "letter.docx"),
        ("中文", "letter.docx"),
        ("lpt1.txt", "_lpt1.txt.docx"),
        ("Report..final", "Report.final.docx"),
    ],
)
def test_safe_filename_examples(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.docx")


@settings(max_examples=200, deadline=None)
@given(names=st.lists(st.text(max_size=150), min_size=1, max_size=20))
def test_safe_names_property(names: list[str]) -> None:
    unique = UniqueNames()
    given_names = [unique(name) for name in names]
    for name in given_names:
        assert name.isascii()
        assert SAFE_NAME.fullmatch(name), name
        assert ".." not in name and "/" not in name and "\\" not in name
        assert len(name) <= MAX_NAME
    assert len({n.casefold() for n in given_names}) == len(given_names)


def test_zip_is_streamed_letter_by_letter() -> None:
    """Each DOCX reaches ``out`` before the next letter is asked for."""
    out = io.BytesIO()
    sizes: list[int] = []

    def items() -> Iterator[tuple[str, Letter]]:
        for i, (city, lang) in enumerate(EMBASSIES * 3):
            sizes.append(out.tell())
            yield f"{city} {i}", embassy_letter(city, lang)

    assert write_zip(items(), out) == 24
    assert sizes[0] == 0
    assert all(b > a for a, b in zip(sizes, sizes[1:], strict=False))


def test_zip_on_letterhead(embassy_letters: list[Letter]) -> None:
    letterhead = make_letterhead()
    out = io.BytesIO()
    write_zip(
        ((city, letter) for (city, _l), letter in zip(EMBASSIES, embassy_letters, strict=True)),
        out,
        letterhead=letterhead,
    )
    with zipfile.ZipFile(out) as zf:
        for (city, _lang), letter in zip(EMBASSIES, embassy_letters, strict=True):
            name = f"{city.replace(' ', '_')}.docx"
            assert zf.read(name) == render_docx(letter, letterhead)


def test_zip_without_letters_is_empty() -> None:
    out = io.BytesIO()
    assert write_zip([], out) == 0
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == []


def test_bad_letter_names_its_item(embassy_letters: list[Letter]) -> None:
    bad = dataclasses.replace(
        embassy_letters[2], annex=Annex(title="t", columns=("a",), rows=[("x", "too wide")])
    )
    items = [("one", embassy_letters[0]), ("two", embassy_letters[1]), ("three", bad)]
    with pytest.raises(LetterValidationError) as info:
        write_zip(items, io.BytesIO())
    assert "campaign item 3: 'three'" in info.value.__notes__
    with pytest.raises(LetterValidationError) as info:
        write_combined_docx([letter for _name, letter in items], io.BytesIO())
    assert "campaign letter 3" in info.value.__notes__


# ------------------------------------------------------------------------------------------
# One combined DOCX
# ------------------------------------------------------------------------------------------


def test_combined_docx_of_eight_letters(embassy_letters: list[Letter]) -> None:
    data = combined(embassy_letters)
    read = read_docx(data)
    addressees = [
        text.split("\n")[0]
        for text, style in zip(read.paragraphs, read.styles, strict=True)
        if style == "Addressee"
    ]
    assert addressees == [addressee_line(city, lang) for city, lang in EMBASSIES]

    document = read.document
    assert len(document.sections) == 8
    for section, (_city, lang) in zip(document.sections, EMBASSIES, strict=True):
        left, right = MARGINS[lang]
        assert section.left_margin is not None and section.right_margin is not None
        assert str(section.left_margin.twips) == left
        assert str(section.right_margin.twips) == right
        # page number from page 2: a different first page whose header has no PAGE field
        assert section.different_first_page_header_footer
        assert "PAGE" in section.header._element.xml
        assert "PAGE" not in section.first_page_header._element.xml
    for sect in body_sections(data):
        # every letter starts on a new page and numbers its pages from 1
        assert letter_section_flags(sect) == ("nextPage", "1", True)
    assert data == combined(embassy_letters)  # deterministic
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.testzip() is None


def test_combined_mixed_languages_keep_their_layouts(embassy_letters: list[Letter]) -> None:
    data = combined(embassy_letters)
    sections = body_sections(data)
    margins = [
        (s.find("w:pgMar", NS).get(f"{W}left"), s.find("w:pgMar", NS).get(f"{W}right"))
        for s in sections
    ]
    assert margins == [MARGINS[lang] for _city, lang in EMBASSIES]
    assert margins[0] != margins[1]  # en (London) and ru (Stockholm) differ
    read = read_docx(data)
    paragraphs = read.document.paragraphs
    # ru/uk: the addressee block on the right; en: on the left
    indents = [p.paragraph_format.left_indent for p in paragraphs if p.style.name == "Addressee"]
    for indent, (_city, lang) in zip(indents, EMBASSIES, strict=True):
        if lang == "en":
            assert not indent
        else:
            assert indent is not None and indent.mm > 80
    # requisites in each language's form
    text = read.text
    assert "Our ref.: INPUD-2011/LON" in text
    assert "№ INPUD-2011/STO от 01.12.2011" in text
    assert "№ INPUD-2011/BUC від 01.12.2011" in text
    # the first letter (en) sets the document language; the others mark their runs
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = zf.read("word/styles.xml").decode()
        xml = zf.read("word/document.xml").decode()
    assert 'w:lang w:val="en-GB"' in styles
    assert 'w:val="ru-RU"' in xml and 'w:val="uk-UA"' in xml
    assert 'w:lang w:val="en-GB"' not in xml


def test_combined_demands_restart_at_one(embassy_letters: list[Letter]) -> None:
    data = combined(embassy_letters)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        numbering = etree.fromstring(zf.read("word/numbering.xml"))
    per_section: list[set[str]] = [set()]
    for el in root.iter(f"{W}p"):
        num_id = el.find("w:pPr/w:numPr/w:numId", NS)
        if num_id is not None:
            per_section[-1].add(num_id.get(f"{W}val"))
        if el.find("w:pPr/w:sectPr", NS) is not None:
            per_section.append(set())
    assert len(per_section) == 8
    ids = [next(iter(s)) for s in per_section if len(s) == 1]
    assert len(ids) == 8 and len(set(ids)) == 8  # one list per letter
    for num_id in ids:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert num is not None
        start = num.find("w:lvlOverride/w:startOverride", NS)
        assert start is not None and start.get(f"{W}val") == "1"


def test_combined_keeps_annex_after_its_letter(embassy_letters: list[Letter]) -> None:
    letters = list(embassy_letters)
    letters[2] = embassy_letter("Berlin", "ru", annex_rows=40)
    letters[7] = embassy_letter("Toronto", "en", annex_rows=3)
    data = combined(letters)
    document = docx.Document(io.BytesIO(data))
    assert len(document.sections) == 10
    flags = [letter_section_flags(s) for s in body_sections(data)]
    letter_section = ("nextPage", "1", True)
    annex_section = ("nextPage", None, False)  # a new page; its numbers continue the letter's
    assert flags == [letter_section] * 3 + [annex_section] + [letter_section] * 5 + [annex_section]
    tables = [t for t in document.tables if t.style is not None and t.style.name == "Annex Table"]
    assert [len(t.rows) for t in tables] == [41, 4]
    assert tables[0].rows[40].cells[1].text == "Signer 40 of Berlin"
    read = read_docx(data)
    berlin = read.text.index(addressee_line("Berlin", "ru"))
    bucharest = read.text.index(addressee_line("Bucharest", "uk"))
    assert berlin < read.text.index("Signer 1 of Berlin") < bucharest
    assert read.text.rindex("Signer 3 of Toronto") > read.text.index(
        addressee_line("Toronto", "en")
    )


def test_combined_on_letterhead(embassy_letters: list[Letter]) -> None:
    letters = list(embassy_letters[:3])
    letters[1] = embassy_letter("Stockholm", "ru", annex_rows=5)
    data = combined(letters, letterhead=make_letterhead())
    document = docx.Document(io.BytesIO(data))
    assert len(document.sections) == 4
    for section in document.sections:
        assert "LETTERHEAD-HEADER" in section.header.paragraphs[0].text
    flags = [letter_section_flags(s) for s in body_sections(data)]
    assert [f[:2] for f in flags] == [("nextPage", "1"), ("nextPage", "1"), ("nextPage", None)] + [
        ("nextPage", "1")
    ]
    order = ["headerReference", "footerReference", "type", "pgSz", "pgMar", "pgNumType", "cols"]
    for sect in body_sections(data):
        names = [etree.QName(c).localname for c in sect]
        known = [n for n in names if n in order]
        assert known == sorted(known, key=order.index)  # schema order kept


def test_combined_nothing_to_write() -> None:
    with pytest.raises(LetterValidationError, match="no letters"):
        write_combined_docx([], io.BytesIO())


def test_combined_is_streamed_and_flat() -> None:
    """The letters are taken one at a time and the document reaches ``out`` as it grows;
    traced memory does not grow with the number of letters."""
    base = [embassy_letter(city, lang) for city, lang in EMBASSIES]

    def letters(count: int, sizes: list[int], out: io.BytesIO) -> Iterator[Letter]:
        for i in range(count):
            sizes.append(out.tell())
            letter = base[i % len(base)]
            # text of its own per letter, so that the compressed document grows steadily
            own = " ".join(hashlib.sha256(f"{i}-{k}".encode()).hexdigest() for k in range(40))
            yield dataclasses.replace(letter, reference=f"C-{i}", paragraphs=(own,))

    peaks = {}
    for count in (30, 300):
        out = io.BytesIO()
        sizes: list[int] = []
        tracemalloc.start()
        write_combined_docx(letters(count, sizes, out), out)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        # traced memory includes what ``out`` (a BytesIO) holds: subtract the output
        peaks[count] = peak - len(out.getvalue())
        assert len(sizes) == count
        if count == 300:
            final = len(out.getvalue())
            assert sizes[150] > final * 0.3  # half-way, a good part is written already
            assert len(set(sizes)) > 8  # ``out`` keeps growing while letters are asked for
    assert peaks[300] < peaks[30] * 1.5 + 1_000_000, peaks


def test_combined_to_a_pipe(embassy_letters: list[Letter]) -> None:
    """An unseekable ``out`` (a pipe, a socket) gets data descriptors; readers accept it."""

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.buffer = io.BytesIO()

        def writable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def write(self, data: bytes) -> int:  # type: ignore[override]
            return self.buffer.write(data)

    pipe = Pipe()
    write_combined_docx(embassy_letters, pipe)
    data = pipe.buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
    assert len(docx.Document(io.BytesIO(data)).sections) == 8
    pipe = Pipe()
    write_zip([("a", embassy_letters[0])], pipe)
    with zipfile.ZipFile(io.BytesIO(pipe.buffer.getvalue())) as zf:
        assert zf.read("a.docx") == render_docx(embassy_letters[0])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    targets=st.lists(
        st.tuples(st.sampled_from(["ru", "uk", "en"]), st.none() | st.integers(1, 30)),
        min_size=1,
        max_size=6,
    )
)
def test_combined_sections_property(targets: list[tuple[str, int | None]]) -> None:
    letters = [
        embassy_letter(f"City{i}", lang, annex_rows=rows) for i, (lang, rows) in enumerate(targets)
    ]
    data = combined(letters)
    expected: list[tuple[str | None, str | None, bool]] = []
    for _lang, rows in targets:
        expected.append(("nextPage", "1", True))
        if rows is not None:
            expected.append(("nextPage", None, False))
    assert [letter_section_flags(s) for s in body_sections(data)] == expected
    read = read_docx(data)
    assert len(read.document.sections) == len(expected)
    positions = [read.text.index(f"City{i}") for i in range(len(targets))]
    assert positions == sorted(positions)


# ------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def pdf_pages_text(pdf: bytes) -> list[str] | None:
    """The text of each page (pdftotext, poppler-utils), or None without pdftotext."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            [pdftotext, "-layout", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def test_combined_pdf_each_letter_on_new_pages(soffice: str, embassy_letters: list[Letter]) -> None:
    pdf = combined_pdf(embassy_letters)
    assert pdf.startswith(b"%PDF-")
    pages = page_count(pdf)
    assert pages >= 8
    texts = pdf_pages_text(pdf)
    if texts is None:  # no pdftotext: the pages add up to those of the single letters
        assert pages == sum(page_count(render_pdf(letter)) for letter in embassy_letters)
        return
    assert len(texts) == pages
    starts = []
    for (city, _lang), letter in zip(EMBASSIES, embassy_letters, strict=True):
        found = [i for i, page in enumerate(texts) if token(city) in page]
        assert len(found) == 1, (city, found)
        first = lines(texts[found[0]])
        # the letter begins at the top of its page: the sender block comes first
        assert first[0] == letter.sender.name, first[:3]
        starts.append(found[0])
    assert starts[0] == 0 and starts == sorted(starts)
    for n, (start, end) in enumerate(zip(starts, [*starts[1:], len(texts)], strict=True)):
        letter_pages = texts[start:end]
        # no number on a letter's first page; later pages are numbered 2, 3, … (restarted)
        assert not lines(letter_pages[0])[0].isdigit()
        for k, page in enumerate(letter_pages[1:], start=2):
            assert lines(page)[0] == str(k), (n, k, lines(page)[:2])
        # its six demands are numbered 1. … 6., not continued from the letter before
        numbers = [
            int(m.group(1))
            for page in letter_pages
            for m in re.finditer(r"^\s{0,8}(\d{1,2})\.\s", page, re.MULTILINE)
        ]
        assert max(numbers) == 6 and 1 in numbers, (n, numbers)
        # the signature closes the letter on its last page
        assert embassy_letters[n].signature.name in letter_pages[-1]


def test_combined_pdf_with_annex(soffice: str) -> None:
    letters = [embassy_letter("Berlin", "ru", annex_rows=12), embassy_letter("London", "en")]
    pdf = combined_pdf(letters)
    texts = pdf_pages_text(pdf)
    singles = [page_count(render_pdf(letter)) for letter in letters]
    assert page_count(pdf) == sum(singles)
    if texts is not None:
        london = next(i for i, t in enumerate(texts) if token("London") in t)
        assert london == singles[0]
        assert "Signer 12 of Berlin" in texts[london - 1]


def test_combined_pdf_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "soffice_path", lambda: None)

    def never() -> Iterator[Letter]:
        raise AssertionError("the letters must not be rendered without LibreOffice")
        yield  # pragma: no cover

    with pytest.raises(PdfUnavailable, match="LibreOffice"):
        combined_pdf(never())
