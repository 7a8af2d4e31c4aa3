"""The compose flow asks who holds the office where the letter's language needs the form."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, AuthorityHolder, Letter, LetterStatus, ReferenceCounter
from tests.compose.conftest import make_draft
from tests.compose.test_flow import docx_text, say_holder
from tests.conftest import Client, count, login


def _status(app: Flask, letter_id: int) -> LetterStatus:
    with app.app_context():
        return db.session.get(Letter, letter_id).status


def test_a_russian_letter_is_not_finalised_before_the_form_is_given(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    preview = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert 'name="form_of_address"' in preview and 'value="neutral"' not in preview
    page = client.post(f"/letters/{letter_id}/finalise", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "woman or man" in text
    assert _status(app, letter_id) is LetterStatus.DRAFT
    assert count(app, ReferenceCounter) == 0  # no number was taken
    # Neutral is no form of address in Russian: refused, nothing recorded.
    client.post(f"/letters/{letter_id}/holder", data={"form_of_address": "neutral"})
    assert count(app, AuthorityHolder) == 0
    say_holder(
        client,
        letter_id,
        "female",
        addressee_name="А. С. Иванова",
        salutation_name="Анна Сергеевна",
    )
    preview = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert "Уважаемая Анна Сергеевна!" in preview and "А. С. Иванова" in preview
    assert client.post(f"/letters/{letter_id}/finalise").status_code == 302
    assert _status(app, letter_id) is LetterStatus.FINAL
    text = docx_text(client.get(f"/letters/{letter_id}/letter.docx").data)
    assert "Уважаемая Анна Сергеевна!" in text and "Уважаемый" not in text
    assert "Министру здравоохранения Российской Федерации\nА. С. Иванова" in text
    with app.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "authority.holder_recorded")
        )


def test_the_group_is_asked_once_per_office(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    first = make_draft(app, group_with_details)
    say_holder(client, first, "female")
    second = make_draft(app, group_with_details)
    assert client.post(f"/letters/{second}/finalise").status_code == 302
    assert _status(app, second) is LetterStatus.FINAL
    text = docx_text(client.get(f"/letters/{second}/letter.docx").data)
    assert "Уважаемая госпожа Министр!" in text


def test_a_ukrainian_letter_asks_too_and_an_english_one_does_not(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    uk = make_draft(
        app, group_with_details, authority_slug="ua-moz", language="uk", fields={"subject": "Про"}
    )
    # The 2011 demands have no Ukrainian text: the mixing is confirmed, the holder still asked.
    confirm = {"confirm_mixed": "1"}
    client.post(f"/letters/{uk}/finalise", data=confirm)
    assert _status(app, uk) is LetterStatus.DRAFT
    say_holder(client, uk, "female")
    client.post(f"/letters/{uk}/finalise", data=confirm)
    assert _status(app, uk) is LetterStatus.FINAL
    assert "Шановна пані Міністерко!" in docx_text(client.get(f"/letters/{uk}/letter.docx").data)
    en = make_draft(
        app,
        group_with_details,
        authority_slug="ru-embassy-london",
        template="embassy-letter",
        language="en",
        fields={"subject": "Drug policy", "government": "the Government of Russia"},
    )
    preview = client.get(f"/letters/{en}/preview").get_data(as_text=True)
    assert 'value="neutral"' in preview
    client.post(f"/letters/{en}/finalise")
    assert _status(app, en) is LetterStatus.FINAL


def test_another_group_never_sees_or_uses_the_holder(
    app: Flask, group_with_details, client: Client, factory
) -> None:
    login(client, group_with_details)
    ours = make_draft(app, group_with_details)
    say_holder(client, ours, "female", addressee_name="А. С. Иванова")
    other_group = factory.group("Other group")
    other = factory.user(other_group, "coordinator", email="other@example.org")
    theirs = make_draft(app, other)
    other_client = app.test_client()
    login(other_client, other)
    preview = other_client.get(f"/letters/{theirs}/preview").get_data(as_text=True)
    printed = preview.split('class="letter-preview"')[1].split("</article>")[0]
    assert "Иванова" not in preview
    assert "Уважаемая" not in printed and "Уважаемый господин Министр!" in printed
    assert "woman or man" in preview
    other_client.post(f"/letters/{theirs}/finalise")
    assert _status(app, theirs) is LetterStatus.DRAFT
    # Nor can they record a holder through our letter.
    response = other_client.post(f"/letters/{ours}/holder", data={"form_of_address": "male"})
    assert response.status_code == 404
    with app.app_context():
        rows = db.session.scalars(sa.select(AuthorityHolder)).all()
        assert [(row.group_id, row.form.value) for row in rows] == [
            (group_with_details["group_id"], "female")
        ]
