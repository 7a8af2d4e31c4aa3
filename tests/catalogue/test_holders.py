"""Salutations by the holder's form of address: data per language and per authority."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from letterkit.catalogue import (
    DEFAULT_DATA_DIR,
    Catalogue,
    CatalogueError,
    authority_from_entry,
    get_catalogue,
    load_catalogue,
)
from letterkit.catalogue.holders import form_missing, forms_for, salutation_for


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return get_catalogue()


@pytest.mark.parametrize(
    ("slug", "lang", "form", "expected"),
    [
        ("ru-minzdrav", "ru", "female", "Уважаемая госпожа Министр!"),
        ("ru-minzdrav", "ru", "male", "Уважаемый господин Министр!"),
        ("ru-minzdrav", "ru", None, "Уважаемый господин Министр!"),
        ("ru-minzdrav", "en", "female", "Dear Minister,"),
        ("ru-minzdrav", "en", "neutral", "Dear Minister,"),
        ("ua-moz", "uk", "female", "Шановна пані Міністерко!"),
        ("ua-moz", "uk", "male", "Шановний пане Міністре!"),
        ("ua-moz", "ru", "female", "Уважаемая госпожа Министр!"),
    ],
)
def test_the_salutation_follows_the_form(
    catalogue: Catalogue, slug: str, lang: str, form: str | None, expected: str
) -> None:
    assert salutation_for(catalogue, catalogue.authority(slug), lang, form).text == expected


@pytest.mark.parametrize(
    ("lang", "form", "name", "expected"),
    [
        ("ru", "female", "Анна Сергеевна", "Уважаемая Анна Сергеевна!"),
        ("ru", "male", "Михаил Альбертович", "Уважаемый Михаил Альбертович!"),
        ("uk", "female", "Ірино Петрівно", "Шановна Ірино Петрівно!"),
        ("uk", "male", "Віталію Вікторовичу", "Шановний Віталію Вікторовичу!"),
        ("en", "neutral", "Minister Smith", "Dear Minister Smith,"),
        ("en", "female", "Ms Smith", "Dear Ms Smith,"),
    ],
)
def test_a_name_in_the_salutation_follows_the_languages_pattern(
    catalogue: Catalogue, lang: str, form: str, name: str, expected: str
) -> None:
    authority = catalogue.authority("ru-minzdrav")
    assert salutation_for(catalogue, authority, lang, form, name).text == expected


def test_every_russian_and_ukrainian_salutation_has_a_female_form(catalogue: Catalogue) -> None:
    for authority in catalogue.authorities.values():
        for lang in ("ru", "uk"):
            if lang not in authority.salutations:
                continue
            female = authority.salutation(lang, "female").text
            male = authority.salutation(lang, "male").text
            assert female != male, (authority.slug, lang)
            assert female.startswith(("Уважаемая госпожа ", "Шановна пані ")), female


def test_which_languages_must_know_the_form(catalogue: Catalogue) -> None:
    ru, uk, en = (catalogue.language(code) for code in ("ru", "uk", "en"))
    assert form_missing(ru, None) and form_missing(uk, "neutral")
    assert not form_missing(ru, "female") and not form_missing(en, None)
    assert forms_for(ru) == ("female", "male") and forms_for(en) == ("female", "male", "neutral")


def test_a_groups_authority_may_give_forms(catalogue: Catalogue) -> None:
    entry = {
        "name": "Диспансер",
        "country": "MD",
        "kind": "local-health",
        "language": "ru",
        "addressee": "Главному врачу",
        "salutation": {
            "ru": {"male": "Уважаемый господин главный врач!", "female": "Уважаемая госпожа врач!"}
        },
    }
    authority = authority_from_entry(entry, catalogue)
    assert authority.salutation("ru", "female").text == "Уважаемая госпожа врач!"
    assert authority.salutation("ru").text == "Уважаемый господин главный врач!"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            'salutation.ru = { male = "Уважаемый господин Министр!", female',
            'salutation.ru = { male = "Уважаемый господин Министр!", queen = "x", female',
            "salutation.ru.queen",
        ),
        (
            'salutation.ru = { male = "Уважаемый господин Министр!", female',
            "salutation.ru = { male = 7, female",
            "salutation.ru.male",
        ),
    ],
)
def test_bad_forms_are_refused_naming_the_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, root)
    target = root / "authorities" / "ru.toml"
    head, sep, entries = target.read_text(encoding="utf-8").partition("[[authority]]")
    assert old in entries
    target.write_text(head + sep + entries.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    assert any(p.field == field for p in caught.value.problems), caught.value.problems


def test_a_name_pattern_needs_the_name_slot(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, root)
    target = root / "languages.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('"Уважаемая {name}!"', '"Уважаемая!"', 1), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root)
    assert any(p.field == "salutation_with_name.female" for p in caught.value.problems)
