"""Every template in every letter language of the registry (``languages.toml``), read back.

The list of languages comes from the registry (``letter_template = true``), never from code: a
language added there without its templates, its ``locales.toml`` section or its sample data
fails here, naming what is missing. Each letter is written to DOCX and read back through
python-docx with its subject and salutation; a PDF is made for one language of each script
where LibreOffice is installed.
"""

from __future__ import annotations

import pytest

from letterkit.catalogue import get_catalogue
from letterkit.documents import default_library, render_docx, render_pdf
from letterkit.documents.locales import languages as locale_languages

from .conftest import read_docx, sample_letter

REGISTRY = get_catalogue()
LETTER_LANGUAGES = REGISTRY.template_languages
TEMPLATES = [spec.slug for spec in default_library().all()]
CASES = [(slug, lang) for slug in TEMPLATES for lang in LETTER_LANGUAGES]


def _one_per_script() -> list[str]:
    seen: dict[str, str] = {}
    for code in LETTER_LANGUAGES:
        seen.setdefault(REGISTRY.language(code).script, code)
    return list(seen.values())


def test_the_registry_has_letter_languages_with_labels() -> None:
    assert "en" in LETTER_LANGUAGES
    missing = [code for code in LETTER_LANGUAGES if code not in locale_languages()]
    assert not missing, f"no [<lang>] section in documents/locales.toml for {missing}"


@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_every_template_has_every_letter_language(slug: str, lang: str) -> None:
    spec = default_library().get(slug)
    assert lang in spec.languages, (
        f"letter_templates/{slug}/{lang}.j2 and a title.{lang} in template.toml are needed: "
        f"{lang} has letter_template = true in languages.toml"
    )


@pytest.mark.parametrize(("slug", "lang"), CASES)
def test_every_template_renders_in_every_letter_language_and_reads_back(
    slug: str, lang: str
) -> None:
    spec = default_library().get(slug)
    if lang not in spec.languages:
        pytest.fail(f"{slug} has no {lang} version (see the test above)")
    letter = sample_letter(slug, lang)
    assert letter.subject and letter.salutation and letter.closing
    read = read_docx(render_docx(letter))
    text = read.text
    assert letter.subject in text
    assert letter.salutation in read.paragraphs
    assert letter.addressee.line.split("\n")[0] in text
    assert letter.signature.name in text


@pytest.mark.parametrize("lang", _one_per_script())
def test_a_letter_in_each_script_becomes_a_pdf(soffice: str, lang: str) -> None:
    pdf = render_pdf(sample_letter("appeal", lang))
    assert pdf.startswith(b"%PDF-")
