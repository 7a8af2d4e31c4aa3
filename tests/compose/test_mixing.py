"""No silent mixing in the compose flow: the preview lists the printed parts not in the
letter's language, and finalising needs an explicit confirmation (422 without, nothing
changed)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import AuditEvent, Letter, LetterStatus, ReferenceCounter
from tests.compose.conftest import make_draft
from tests.compose.test_flow import docx_text, say_holder
from tests.conftest import Client, count, login


def _ukrainian_to_moldova(app: Flask, person) -> int:
    return make_draft(
        app,
        person,
        language="uk",
        authority_slug="md-parliament",
        demand_slugs=list(get_catalogue().demand_set("sdp-2019-md-seven").slugs),
        fields={"subject": "Про наркополітику"},
    )


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_the_preview_lists_the_parts_and_finalising_needs_a_confirmation(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = _ukrainian_to_moldova(app, group_with_details)
    say_holder(client, letter_id, "male")
    preview = client.get(f"/letters/{letter_id}/preview")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Not in the letter's language (Ukrainian)" in page
    assert "Addressee line: printed in Romanian" in page
    assert "Salutation: printed in Romanian" in page
    assert page.count("Demand «") == len(get_catalogue().demand_set("sdp-2019-md-seven").slugs)
    assert 'name="confirm_mixed"' in page

    refused = client.post(f"/letters/{letter_id}/finalise")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="finalise-error"' in page and "Confirm that you want to print them" in page
    assert 'name="confirm_mixed"' in page and "Addressee line: printed in Romanian" in page
    with app.app_context():
        assert db.session.get(Letter, letter_id).status is LetterStatus.DRAFT
    assert count(app, ReferenceCounter) == 0  # no number was taken
    assert _events(app, "letter.finalised") == []

    done = client.post(f"/letters/{letter_id}/finalise", data={"confirm_mixed": "1"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Letter, letter_id).status is LetterStatus.FINAL
    (event,) = _events(app, "letter.finalised")
    assert "addressee:ro" in event.details["mixed_parts"]
    text = docx_text(client.get(f"/letters/{letter_id}/letter.docx").data)
    assert get_catalogue().authority("md-parliament").addressee("ro").text in text


def test_the_parts_are_named_in_the_interface_language(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    client.post("/language", data={"lang": "ru", "next": "/"})
    letter_id = _ukrainian_to_moldova(app, group_with_details)
    page = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert "Строка адресата: будет напечатано — румынский" in page


def test_a_letter_wholly_in_its_language_is_finalised_without_a_confirmation(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    say_holder(client, letter_id)
    page = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert "mixed-parts" not in page and 'name="confirm_mixed"' not in page
    assert client.post(f"/letters/{letter_id}/finalise").status_code == 302
    with app.app_context():
        assert db.session.get(Letter, letter_id).status is LetterStatus.FINAL


def test_a_signer_in_another_script_is_listed(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details, signer=("Oleg Ivanov", "Lawyer"))
    say_holder(client, letter_id)
    page = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert "Signer&#39;s name: printed in Latin script" in page
    assert "Signer&#39;s title: printed in Latin script" in page
    assert client.post(f"/letters/{letter_id}/finalise").status_code == 422
