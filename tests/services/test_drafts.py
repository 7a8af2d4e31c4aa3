"""Drafts change by patch: a step names only what it changes, and the rest stays as it was."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import Group, Letter, User
from letterkit.services import drafts, letters
from tests.compose.conftest import make_draft

PARTS = (
    "template",
    "language",
    "authority_slug",
    "country",
    "authority_name",
    "demand_slugs",
    "paragraphs",
    "fields",
    "subject",
    "place",
    "letter_date",
    "signer_name",
    "signer_title",
)


def _state(letter: Letter) -> dict[str, Any]:
    return {part: getattr(letter, part) for part in PARTS}


def _full_draft(app: Flask, person: dict[str, Any]) -> int:
    return make_draft(
        app,
        person,
        paragraphs=["Our own paragraph."],
        place="Moscow",
        letter_date=date(2026, 12, 1),
        signer=("Ivan Ivanov", "Lawyer"),
    )


CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # change -> what it must change, beyond the changed part itself
    "authority": ({"authority_slug": "ru-mvd"}, {"country": "RU"}),
    "demands": ({"demand_slugs": ["inpud-2011-art"]}, {}),
    "paragraphs": ({"paragraphs": ["One.", "  ", "Two."]}, {"paragraphs": ["One.", "Two."]}),
    "fields": ({"fields": {"subject": "New subject"}}, {"subject": "New subject"}),
    "place": ({"place": "Kazan"}, {}),
    "date cleared": ({"letter_date": None}, {}),
    "signer": ({"signer": ("", "")}, {"signer_name": "", "signer_title": ""}),
    "language": ({"language": "en"}, {}),
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_patch_changes_only_what_it_names(
    app: Flask, group_with_details: dict[str, Any], name: str
) -> None:
    change, implied = CHANGES[name]
    letter_id = _full_draft(app, group_with_details)
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        before = _state(letter)
        drafts.update_draft(
            letter,
            db.session.get(Group, group_with_details["group_id"]),
            db.session.get(User, group_with_details["id"]),
            **change,
        )
        db.session.commit()
    with app.app_context():
        after = _state(db.session.get(Letter, letter_id))
    changed = {part for part in PARTS if after[part] != before[part]}
    named = {"signer_name", "signer_title"} if "signer" in change else set(change)
    allowed = named | set(implied) | {"authority_name", "country"}
    assert changed <= allowed, f"{name} also changed {changed - allowed}"
    for part, value in implied.items():
        assert after[part] == value
    assert changed, "the patch changed nothing"


def test_a_refused_patch_changes_nothing(app: Flask, group_with_details: dict[str, Any]) -> None:
    letter_id = _full_draft(app, group_with_details)
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        before = _state(letter)
        group = db.session.get(Group, group_with_details["group_id"])
        actor = db.session.get(User, group_with_details["id"])
        for bad in ({"authority_slug": "no-such-body"}, {"demand_slugs": ["no-such-demand"]}):
            with pytest.raises(letters.LetterError):
                drafts.update_draft(letter, group, actor, **bad)
            assert _state(letter) == before
        with pytest.raises(letters.LetterError, match="paragraphs"):
            drafts.update_draft(letter, group, actor, paragraphs=["p"] * 21)
        assert _state(letter) == before


def test_a_new_draft_starts_empty_where_nothing_is_given(
    app: Flask, group_with_details: dict[str, Any]
) -> None:
    with app.test_request_context():
        letter = drafts.create_draft(
            db.session.get(Group, group_with_details["group_id"]),
            db.session.get(User, group_with_details["id"]),
            template="appeal",
            language="ru",
            authority_slug="ru-minzdrav",
        )
        db.session.commit()
        letter_id = letter.id
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert (letter.demand_slugs, letter.paragraphs, letter.fields) == ([], [], {})
        assert (letter.place, letter.letter_date, letter.signer_name) == ("", None, "")
        assert letter.country == "RU"
        assert letter.authority_name == get_catalogue().authority("ru-minzdrav").name("ru").text
