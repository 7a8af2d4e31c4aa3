"""Fixtures for the documents tests: sample contexts, letters and a reader for DOCX output."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass

import docx
import pytest

from letterkit.documents import (
    Addressee,
    Annex,
    DemandText,
    Letter,
    LetterContext,
    Sender,
    Signer,
    build_letter,
    default_library,
)


@dataclass
class DocxText:
    """What a DOCX says, read back with python-docx."""

    document: docx.document.Document
    paragraphs: list[str]  # body paragraphs and those inside tables, in document order
    styles: list[str]  # style name of each of those paragraphs

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def read_docx(data: bytes) -> DocxText:
    """Open ``data`` with python-docx and collect every paragraph, tables included."""
    document = docx.Document(io.BytesIO(data))
    paragraphs: list[str] = []
    styles: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(block, document._body)
            paragraphs.append(paragraph.text)
            styles.append(paragraph.style.name if paragraph.style is not None else "")
        elif tag == "tbl":
            table = docx.table.Table(block, document._body)
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraphs.append(paragraph.text)
                        styles.append(paragraph.style.name if paragraph.style else "")
    return DocxText(document, paragraphs, styles)


@pytest.fixture
def docx_text() -> Callable[[bytes], DocxText]:
    return read_docx


SAMPLES = [(spec.slug, lang) for spec in default_library().all() for lang in spec.languages]


def sample_letter(slug: str, lang: str) -> Letter:
    spec = default_library().get(slug)
    return build_letter(slug, lang, spec.sample_context(lang))


def simple_context(
    *,
    demands: int = 2,
    annex_rows: int | None = None,
    reference: str | None = "LK-1",
) -> LetterContext:
    annex = None
    if annex_rows is not None:
        annex = Annex(
            title="List of signatories",
            columns=("Organisation or name", "City", "Country"),
            rows=[(f"Signer {i}", "City", "Country") for i in range(1, annex_rows + 1)],
        )
    return LetterContext(
        sender=Sender(
            name="Test Group", address_lines=("1 Test Street",), contacts=("t@x.example",)
        ),
        addressee=Addressee(line="Министру здравоохранения", address_lines=("Москва",)),
        signer=Signer(name="И.И. Иванова", title="Координатор", organisation="Test Group"),
        date=dt.date(2019, 6, 26),
        demands=tuple(DemandText(f"D{i}", f"требование номер {i};") for i in range(1, demands + 1)),
        reference=reference,
        place="г. Москва",
        fields={"subject": "О тестовом письме", "campaign": "", "background": "", "law": ""},
        annex=annex,
    )


def pdf_required() -> bool:
    return os.environ.get("LETTERKIT_REQUIRE_PDF") == "1"


def need_soffice() -> None:
    """Skip (or, with LETTERKIT_REQUIRE_PDF=1, fail) when LibreOffice is not installed."""
    from letterkit.documents import pdf_available

    if pdf_available():
        return
    reason = (
        "LibreOffice (soffice) is not installed: PDF output is not tested "
        "(apt-get install libreoffice-writer-nogui fonts-noto-core)"
    )
    if pdf_required():
        pytest.fail(f"LETTERKIT_REQUIRE_PDF=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def soffice() -> str:
    need_soffice()
    return shutil.which("soffice") or "soffice"
