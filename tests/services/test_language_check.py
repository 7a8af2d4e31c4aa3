"""Names per script and no silent mixing, in the service layer shared by web, CLI and
campaigns: each letter prints the group's form in its language's script, and every printed part
that is not in the letter's language is listed."""

from __future__ import annotations

from typing import Any

from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import Group, Letter
from letterkit.services import language_check, letters, names
from tests.compose.conftest import make_draft

WHOLE_IN_RUSSIAN = {"template": "appeal", "language": "ru", "authority_slug": "ru-minzdrav"}


def _group(app: Flask, person: dict[str, Any]) -> Group:
    group = db.session.get(Group, person["group_id"])
    assert group is not None
    return group


def _built_text(app: Flask, person: dict[str, Any], letter_id: int) -> str:
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        built = letters.build(letter, _group(app, person))
    return "\n".join(
        [
            built.sender.name,
            *built.sender.address_lines,
            built.signature.name,
            built.signature.title,
            built.signature.organisation,
        ]
    )


def test_an_english_letter_is_signed_in_latin_a_russian_one_in_cyrillic(
    app: Flask, group_with_details
) -> None:
    russian = make_draft(app, group_with_details)
    english = make_draft(
        app,
        group_with_details,
        template="embassy-letter",
        language="en",
        authority_slug="ru-embassy-london",
        fields={"subject": "Drug policy", "government": "the Government of the Russian Federation"},
    )
    text = _built_text(app, group_with_details, english)
    assert "Anna Petrova" in text and "Coordinator" in text
    assert "Harm Reduction Moscow" in text and "ul. Primernaya 1" in text
    assert "Анна" not in text and "Снижение" not in text
    text = _built_text(app, group_with_details, russian)
    assert "Анна Петрова" in text and "Координатор" in text
    assert "Снижение вреда Москва" in text and "ул. Примерная 1" in text
    assert "Anna" not in text and "Harm" not in text


def test_a_russian_letter_with_every_part_in_russian_lists_nothing(
    app: Flask, group_with_details
) -> None:
    letter_id = make_draft(app, group_with_details)
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        group = _group(app, group_with_details)
        parts = language_check.mixed_parts(letter, group, get_catalogue())
    assert parts == []


def test_a_georgian_letter_without_a_georgian_form_falls_back_and_is_listed(
    app: Flask, group_with_details
) -> None:
    with app.test_request_context():
        group = _group(app, group_with_details)
        assert group.name_form("Geor") is None
        printed = names.printed_names(group, "ka")
        # Latin comes first among the other scripts (the order of languages.toml).
        assert printed.signer_name.value == "Anna Petrova"
        assert printed.name.value == "Harm Reduction Moscow"
        parts = language_check.name_parts(printed)
        assert {(p.part, p.printed_in, p.by_script) for p in parts} == {
            ("name", "Latn", True),
            ("address", "Latn", True),
            ("signer_name", "Latn", True),
            ("signer_title", "Latn", True),
        }
        lines = language_check.describe_all(parts, lambda m: m, "en", get_catalogue())
        assert "Signer's name: printed in Latin script" in lines
        # With a Georgian form, the Georgian letter prints it and nothing is listed.
        form = group.name_form("Geor", create=True)
        form.name, form.address = "ზიანის შემცირება", "თბილისი"
        form.signer_name, form.signer_title = "ანა პეტროვა", "კოორდინატორი"
        printed = names.printed_names(group, "ka")
        assert printed.signer_name.value == "ანა პეტროვა"
        assert language_check.name_parts(printed) == []
        db.session.rollback()


def test_a_field_missing_in_the_letters_script_falls_back_alone(
    app: Flask, group_with_details
) -> None:
    with app.test_request_context():
        group = _group(app, group_with_details)
        group.name_form("Cyrl").signer_title = ""
        printed = names.printed_names(group, "ru")
        assert printed.signer_name.value == "Анна Петрова"
        assert printed.signer_title.value == "Coordinator"
        parts = language_check.name_parts(printed)
        assert [(p.part, p.printed_in) for p in parts] == [("signer_title", "Latn")]
        db.session.rollback()


def test_a_ukrainian_letter_to_moldovas_parliament_lists_what_prints_in_english(
    app: Flask, group_with_details
) -> None:
    catalogue = get_catalogue()
    demand_set = catalogue.demand_set("sdp-2019-md-seven")
    letter_id = make_draft(
        app,
        group_with_details,
        language="uk",
        authority_slug="md-parliament",
        demand_slugs=list(demand_set.slugs),
    )
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        parts = language_check.mixed_parts(letter, _group(app, group_with_details), catalogue)
    kinds = [p.part for p in parts]
    assert kinds[:2] == ["addressee", "salutation"]
    assert kinds.count("demand") == len(demand_set.slugs)
    # the catalogue has the Moldovan lines in Romanian (the default), the demands in English
    assert {p.printed_in for p in parts if not p.by_script} == {"en", "ro"}
    # The group's Cyrillic form is printed in a Ukrainian letter: no script is mixed.
    assert not [p for p in parts if p.by_script]
    lines = language_check.describe_all(parts, lambda m: m, "en", catalogue)
    assert lines[0] == "Addressee line: printed in Romanian"


def test_the_letters_own_signer_is_checked_against_its_script(
    app: Flask, group_with_details
) -> None:
    letter_id = make_draft(app, group_with_details, signer=("Oleg Ivanov", "Lawyer"))
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        parts = language_check.mixed_parts(letter, _group(app, group_with_details), get_catalogue())
    assert [(p.part, p.printed_in) for p in parts] == [
        ("signer_name", "Latn"),
        ("signer_title", "Latn"),
    ]
