"""PDF through LibreOffice, where it is installed (LETTERKIT_REQUIRE_PDF=1 makes it required)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from letterkit.documents import PdfUnavailable, build_letter, languages, render_pdf
from letterkit.documents import pdf as pdf_module

from .conftest import simple_context


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize(
    ("lang", "annex_rows", "pages"),
    [("ru", None, 1), ("en", 12, 2)],
    ids=["short-letter-one-page", "letter-plus-annex-two-pages"],
)
def test_pdf_page_count(soffice: str, lang: str, annex_rows: int | None, pages: int) -> None:
    letter = build_letter("appeal", lang, simple_context(annex_rows=annex_rows))
    pdf = render_pdf(letter)
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == pages


def test_pdf_unavailable_is_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "soffice_path", lambda: None)
    assert not pdf_module.pdf_available()
    letter = build_letter("appeal", "ru", simple_context())
    with pytest.raises(PdfUnavailable, match="LibreOffice"):
        render_pdf(letter)


def test_libreoffice_opens_hostile_text(soffice: str) -> None:
    weird = (
        "RTL \u202eevil\u202c עברית العربية · combining e\u0301\u0308 · emoji 👩\u200d💻 · "
        "ქართული · 中文 · nul\x00 bell\x07 fffe\ufffe lone\ud800 · <w:p>&amp; {{ 7*7 }}\t·\n"
        + "x"
        * 400
    )
    base = build_letter("appeal", "ru", simple_context(annex_rows=3))
    letter = dataclasses.replace(
        base,
        subject=weird.replace("\n", " ")[:500],
        paragraphs=(weird,),
        demands=(weird,),
        annex=dataclasses.replace(base.annex, rows=[(weird.replace("\n", " ")[:500], "ა", "")]),
    )
    pdf = render_pdf(letter)
    assert page_count(pdf) >= 2


def _fonts(pdf: bytes) -> set[str]:
    """The fonts a PDF embeds, without the subset prefix ("ABCDEF+")."""
    return {m.split(b"+")[-1].decode() for m in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", pdf)}


#: languages whose letters are set in scripts of their own (Georgian, Armenian: Sylfaen runs)
OWN_SCRIPT_FONT = {"ka", "hy"}


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang not in OWN_SCRIPT_FONT])
def test_pdf_uses_times_metrics(soffice: str, lang: str) -> None:
    """Times New Roman is set in Liberation Serif (same metrics), not a fallback font; Georgian
    and Armenian letters are checked by test_script_fonts."""
    pdf = render_pdf(build_letter("appeal", lang, simple_context(annex_rows=2)))
    fonts = _fonts(pdf)
    assert fonts, "no fonts found in the PDF"
    assert {f.split("-")[0] for f in fonts} <= {"LiberationSerif", "TimesNewRomanPSMT"}, fonts


def test_pdf_georgian_uses_the_sylfaen_alias(soffice: str) -> None:
    base = build_letter("appeal", "ru", simple_context())
    letter = dataclasses.replace(base, paragraphs=("ქართული ტექსტი და русский текст",))
    fonts = {f.split("-")[0] for f in _fonts(render_pdf(letter))}
    assert "NotoSerifGeorgian" in fonts or "Sylfaen" in fonts, fonts
    assert fonts <= {"LiberationSerif", "TimesNewRomanPSMT", "NotoSerifGeorgian", "Sylfaen"}
