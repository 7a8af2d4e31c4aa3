"""Scripts of letter languages (data) and of typed text; the Latin suggestion for Cyrillic."""

from __future__ import annotations

import pytest

from letterkit.catalogue import get_catalogue
from letterkit.catalogue.scripts import SCRIPT_NAMES, script_of, suggest_latin, written_in


@pytest.mark.parametrize(
    ("code", "script"),
    [
        ("en", "Latn"),
        ("ru", "Cyrl"),
        ("uk", "Cyrl"),
        ("be", "Cyrl"),
        ("kk", "Cyrl"),
        ("ky", "Cyrl"),
        ("tg", "Cyrl"),
        ("uz", "Latn"),
        ("az", "Latn"),
        ("ro", "Latn"),
        ("lt", "Latn"),
        ("lv", "Latn"),
        ("et", "Latn"),
        ("ka", "Geor"),
        ("hy", "Armn"),
    ],
)
def test_each_letter_language_has_its_script_in_the_data(code: str, script: str) -> None:
    assert get_catalogue().language(code).script == script


def test_every_language_names_a_known_script() -> None:
    catalogue = get_catalogue()
    assert {lang.script for lang in catalogue.languages.values()} <= set(SCRIPT_NAMES)
    assert catalogue.scripts[:2] == ("Latn", "Cyrl")


def test_an_unknown_script_is_a_problem_in_the_data(tmp_path) -> None:
    import shutil

    from letterkit.catalogue import CatalogueError, load_catalogue
    from letterkit.catalogue.loader import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    path = data / "languages.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('script = "Geor"', 'script = "Tlhn"', 1),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(data)
    assert "Tlhn" in str(raised.value) and "script" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Ана Попеску", "Cyrl"),
        ("Ana Popescu", "Latn"),
        ("ანა პოპესკუ", "Geor"),
        ("Աննա", "Armn"),
        ("ул. Lenina 1", "Latn"),
        ("101000", None),
        ("", None),
    ],
)
def test_script_of_text(text: str, script: str | None) -> None:
    assert script_of(text) == script
    assert written_in(text, script or "Latn")


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Анна Петрова", "Anna Petrova"),
        ("Щукина Юлия", "Shchukina Iuliia"),  # ICAO Doc 9303
        ("ул. Примерная 1, Москва", "ul. Primernaia 1, Moskva"),
        ("Євген Згурський", "Yevhen Zghurskyi"),  # Ukrainian, word-initial є, «зг»
        ("Київ", "Kyiv"),
        ("ЛЁД", "LED"),
        ("Ана Popescu", "Ana Popescu"),  # Latin is kept as it is
    ],
)
def test_latin_suggestion(cyrillic: str, latin: str) -> None:
    assert suggest_latin(cyrillic) == latin
