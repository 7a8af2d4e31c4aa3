"""The locales file: read whole through the one TOML reader; a problem names language and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from letterkit.catalogue import get_catalogue
from letterkit.documents import LetterValidationError, get_locale, languages
from letterkit.documents.locales import LOCALES_PATH, fonts, read_locales
from letterkit.tomldata import TomlDataError


def test_shipped_locales() -> None:
    # every letter language of the registry (languages.toml: letter_template) has its labels
    assert languages() == tuple(sorted(get_catalogue().template_languages))
    assert fonts().body == "Times New Roman"
    ru = get_locale("ru")
    assert ru.layout == "official"
    assert ru.page.margin_right_mm == 10
    assert len(ru.months) == 12
    assert get_locale("en").page.width_mm == 210.0
    with pytest.raises(LetterValidationError):
        get_locale("fonts")
    with pytest.raises(LetterValidationError):
        get_locale("xx")


@pytest.mark.parametrize(
    ("lang", "long", "numeric", "requisites"),
    [
        ("ro", "1 decembrie 2011", "01.12.2011", ["Nr. R-1 din 01.12.2011", "Chișinău"]),
        ("lt", "2011 m. gruodžio 1 d.", "2011-12-01", ["2011-12-01 Nr. R-1", "Chișinău"]),
        ("lv", "2011. gada 1. decembra", "01.12.2011.", ["01.12.2011. Nr. R-1", "Chișinău"]),
        ("et", "1. detsember 2011", "01.12.2011", ["Meie 01.12.2011 nr R-1", "Chișinău"]),
    ],
)
def test_dates_and_requisites_as_the_language_writes_them(
    lang: str, long: str, numeric: str, requisites: list[str]
) -> None:
    loc = get_locale(lang)
    day = dt.date(2011, 12, 1)
    assert loc.long_date(day) == long
    assert loc.numeric_date(day) == numeric
    assert loc.requisite_lines(reference="R-1", day=day, place="Chișinău") == requisites
    assert loc.requisite_lines(reference=None, day=day, place="")[0].count("____________") == 1


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'draft_mark = "ПРОЕКТ: не для отправки"',
            "",
            "locales.toml: ru: draft_mark: This is required.",
        ),
        (
            "margin_right_mm = 10\n",
            'margin_right_mm = "10"\n',
            "locales.toml: ru: page.margin_right_mm: This must be a whole number.",
        ),
        (
            "footer_mm = 10\n",
            "footer_mm = 10\nfooter = 1\n",
            "locales.toml: ru: page.footer: Unknown field.",
        ),
        (
            '"января", ',
            "",
            "locales.toml: ru: months: must list the 12 months, not 11",
        ),
        (
            'body = "Times New Roman"',
            "body = 1",
            "locales.toml: fonts.body: This must be text.",
        ),
    ],
    ids=["missing", "number", "unknown-page-field", "months", "font"],
)
def test_locale_problems_name_language_and_field(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    source = LOCALES_PATH.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "locales.toml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TomlDataError) as info:
        read_locales(path)
    assert str(info.value) == problem


def test_locales_file_as_read_again_is_the_same() -> None:
    again = read_locales(LOCALES_PATH)
    assert again.fonts == fonts()
    assert {lang: again.locales[lang] for lang in languages()} == {
        lang: get_locale(lang) for lang in languages()
    }
