"""Letters as documents: the letter model, sandboxed templates, DOCX / HTML / PDF writers.

Pure: imports neither Flask nor SQLAlchemy. python-docx is used only by the DOCX writer's
modules (``docx_package``, ``docx_reference``, ``docx_base``; see
:mod:`letterkit.documents.docx_writer`).

Typical use::

    from letterkit.documents import LetterContext, build_letter, render_docx, sha256

    letter = build_letter("appeal", "ru", context)
    data = render_docx(letter)            # deterministic bytes, store with sha256(data)
    html = render_html(letter)            # preview fragment
    pdf = render_pdf(letter)              # needs LibreOffice: pdf_available()

    # a campaign: many letters, streamed into a file
    write_zip(((name, letter) for ...), out)      # one DOCX per target
    write_combined_docx(letters, out)             # one DOCX to print, a section per letter
    pdf = combined_pdf(letters)                   # its PDF (LibreOffice)
"""

from __future__ import annotations

import hashlib

from letterkit.documents.build import build_letter
from letterkit.documents.bulk import (
    combined_pdf,
    safe_filename,
    write_combined_docx,
    write_zip,
)
from letterkit.documents.docx_reference import NAMED_STYLES
from letterkit.documents.docx_writer import render_docx
from letterkit.documents.errors import (
    DocumentError,
    LetterheadError,
    LetterValidationError,
    PdfUnavailable,
    TemplateError,
)
from letterkit.documents.html_writer import render_html
from letterkit.documents.letterhead import validate_letterhead
from letterkit.documents.locales import get_locale, languages
from letterkit.documents.model import (
    KINDS,
    Addressee,
    Annex,
    DemandText,
    Letter,
    LetterContext,
    Sender,
    Signer,
)
from letterkit.documents.pdf import docx_to_pdf, pdf_available
from letterkit.documents.templates import (
    FieldSpec,
    TemplateLibrary,
    TemplateSpec,
    default_library,
)

__all__ = [
    "KINDS",
    "NAMED_STYLES",
    "Addressee",
    "Annex",
    "DemandText",
    "DocumentError",
    "FieldSpec",
    "Letter",
    "LetterContext",
    "LetterValidationError",
    "LetterheadError",
    "PdfUnavailable",
    "Sender",
    "Signer",
    "TemplateError",
    "TemplateLibrary",
    "TemplateSpec",
    "build_letter",
    "combined_pdf",
    "default_library",
    "docx_to_pdf",
    "get_locale",
    "languages",
    "pdf_available",
    "render_docx",
    "render_html",
    "render_pdf",
    "safe_filename",
    "sha256",
    "validate_letterhead",
    "write_combined_docx",
    "write_zip",
]


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lower-case hex digits (stored with every issued letter)."""
    return hashlib.sha256(data).hexdigest()


def render_pdf(letter: Letter, letterhead: bytes | None = None, *, timeout: float = 120.0) -> bytes:
    """Write ``letter`` as DOCX and convert it with LibreOffice; raises :class:`PdfUnavailable`."""
    return docx_to_pdf(render_docx(letter, letterhead), timeout=timeout)
