"""The holder of an office in a letter: the salutation by form, the name in the addressee block,
remembered per group; the DOCX opened again with python-docx."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import documents
from letterkit.extensions import db
from letterkit.models import AuditEvent, AuthorityHolder, Group, HolderForm, Letter, User
from letterkit.services import holders, letters
from tests.compose.conftest import make_draft


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def _remember(app: Flask, person: dict[str, Any], slug: str, lang: str, form: str, **names: str):
    with app.test_request_context():
        holders.remember_holder(
            db.session.get(Group, person["group_id"]),
            slug,
            lang,
            form=HolderForm(form),
            addressee_name=names.get("addressee", ""),
            salutation_name=names.get("salutation", ""),
            actor=db.session.get(User, person["id"]),
        )
        db.session.commit()


def _docx(app: Flask, person: dict[str, Any], letter_id: int) -> list[str]:
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        built = letters.build(letter, db.session.get(Group, person["group_id"]))
        return _paragraphs(documents.render_docx(built))


CASES = [
    # (authority, language, form, names, salutation printed, addressee line's first word)
    ("ru-minzdrav", "ru", "female", {}, "Уважаемая госпожа Министр!", "Министру"),
    ("ru-minzdrav", "ru", "male", {}, "Уважаемый господин Министр!", "Министру"),
    (
        "ru-minzdrav",
        "ru",
        "female",
        {"addressee": "А. С. Иванова", "salutation": "Анна Сергеевна"},
        "Уважаемая Анна Сергеевна!",
        "Министру",
    ),
    ("ua-moz", "uk", "female", {}, "Шановна пані Міністерко!", "Міністру"),
    ("ua-moz", "uk", "male", {}, "Шановний пане Міністре!", "Міністру"),
    (
        "ua-moz",
        "uk",
        "female",
        {"addressee": "І. П. Коваленко", "salutation": "Ірино Петрівно"},
        "Шановна Ірино Петрівно!",
        "Міністру",
    ),
    ("ru-minzdrav", "en", "neutral", {}, "Dear Minister,", "The"),
    ("ru-minzdrav", "en", "female", {}, "Dear Minister,", "The"),
    (
        "ru-minzdrav",
        "en",
        "neutral",
        {"addressee": "Dr A. Smith", "salutation": "Dr Smith"},
        "Dear Dr Smith,",
        "The",
    ),
]


@pytest.mark.parametrize(("slug", "lang", "form", "names", "salutation", "line"), CASES)
def test_the_printed_salutation_and_addressee_follow_the_holder(
    app: Flask,
    group_with_details,
    slug: str,
    lang: str,
    form: str,
    names: dict[str, str],
    salutation: str,
    line: str,
) -> None:
    _remember(app, group_with_details, slug, lang, form, **names)
    letter_id = make_draft(
        app,
        group_with_details,
        authority_slug=slug,
        language=lang,
        fields={"subject": "О встрече" if lang != "en" else "A meeting"},
    )
    paragraphs = _docx(app, group_with_details, letter_id)
    assert salutation in paragraphs
    assert not any(p in paragraphs for p in _other_forms(salutation))
    addressee = next(p for p in paragraphs if p.startswith(line))
    if names:
        # GOST: the holder's name follows the addressee line in the same block.
        lines = addressee.split("\n")
        assert lines[1] == names["addressee"], lines


def _other_forms(salutation: str) -> list[str]:
    swaps = {
        "Уважаемая госпожа Министр!": "Уважаемый господин Министр!",
        "Уважаемый господин Министр!": "Уважаемая госпожа Министр!",
        "Шановна пані Міністерко!": "Шановний пане Міністре!",
        "Шановний пане Міністре!": "Шановна пані Міністерко!",
    }
    return [swaps[salutation]] if salutation in swaps else []


def test_a_recorded_holder_is_used_by_the_next_letter_and_audited(
    app: Flask, group_with_details
) -> None:
    first = make_draft(app, group_with_details)
    with app.test_request_context():
        group = db.session.get(Group, group_with_details["group_id"])
        letter = db.session.get(Letter, first)
        with pytest.raises(letters.LetterError) as refused:
            letters.finalise(
                letter, group, db.session.get(User, group_with_details["id"]), require_holder=True
            )
        assert refused.value.message == holders.M_FORM_NEEDED
        db.session.rollback()
    _remember(app, group_with_details, "ru-minzdrav", "ru", "female", addressee="А. С. Иванова")
    second = make_draft(app, group_with_details)
    with app.test_request_context():
        group = db.session.get(Group, group_with_details["group_id"])
        letter = db.session.get(Letter, second)
        letters.finalise(
            letter, group, db.session.get(User, group_with_details["id"]), require_holder=True
        )
        db.session.commit()
        assert letter.content["salutation"] == "Уважаемая госпожа Министр!"
        assert letter.content["addressee_name"] == "А. С. Иванова"
        issued = letters.issued_letter(letter)
        assert issued.addressee.name == "А. С. Иванова"
        assert any("А. С. Иванова" in p for p in _paragraphs(letter.document.data))
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "authority.holder_recorded")
        )
        assert event.group_id == group.id and event.details["form"] == "female"
        assert "Иванова" not in str(event.details)  # identifiers only, never the name


def test_names_are_kept_per_language(app: Flask, group_with_details) -> None:
    _remember(app, group_with_details, "ru-minzdrav", "ru", "female", salutation="Анна Сергеевна")
    _remember(app, group_with_details, "ru-minzdrav", "en", "female", salutation="Minister Smith")
    with app.app_context():
        row = db.session.scalar(sa.select(AuthorityHolder))
        assert row.names["ru"]["salutation"] == "Анна Сергеевна"
        assert row.names["en"]["salutation"] == "Minister Smith"
        assert row.form is HolderForm.FEMALE


def test_another_groups_holder_is_never_used(app: Flask, group_with_details, factory) -> None:
    _remember(app, group_with_details, "ru-minzdrav", "ru", "female", addressee="А. С. Иванова")
    other_group = factory.group("Other group")
    other = factory.user(other_group, "coordinator", email="other@example.org")
    letter_id = make_draft(app, other)
    with app.test_request_context():
        known = holders.holder_for(other_group, "ru-minzdrav", "ru")
        assert known == holders.Holder() and holders.form_needed(known, "ru")
    paragraphs = _docx(app, other, letter_id)
    assert "Уважаемая госпожа Министр!" not in paragraphs
    assert not any("Иванова" in p for p in paragraphs)
