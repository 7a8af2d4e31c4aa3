"""The group keeps its printed name, address and signer per script; a Latin spelling of the
Cyrillic form is only ever a suggestion, stored when the coordinator saves it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, Group, GroupNameForm
from tests.conftest import Client

BASE = {"name": "Harm Reduction Group", "default_letter_language": "ru"}
CYRILLIC = {
    "cyrl_name": "Снижение вреда",
    "cyrl_address": "ул. Примерная 1\nМосква",
    "cyrl_signer_name": "Юлия Щукина",
    "cyrl_signer_title": "Координатор",
}


def _forms(app: Flask, group_id: int) -> dict[str, tuple[str, str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(GroupNameForm).where(GroupNameForm.group_id == group_id)
        )
        return {r.script: (r.name, r.address, r.signer_name, r.signer_title) for r in rows}


def test_the_settings_offer_a_form_per_script(coordinator, logged_in: Client) -> None:
    page = logged_in.get("/group/settings").get_data(as_text=True)
    for field in ("latn_name", "latn_address", "cyrl_signer_name", "cyrl_signer_title"):
        assert f'name="{field}"' in page
    assert "Latin script" in page and "Cyrillic script" in page
    assert 'name="suggest" value="latin"' in page


def test_a_latin_suggestion_is_not_stored_until_saved(
    app: Flask, coordinator, logged_in: Client
) -> None:
    group_id = coordinator["group_id"]
    assert logged_in.post("/group/settings", data={**BASE, **CYRILLIC}).status_code == 302
    before = _forms(app, group_id)
    assert before == {"Cyrl": tuple(CYRILLIC.values())}

    response = logged_in.post(
        "/group/settings",
        data={**BASE, **CYRILLIC, "latn_signer_title": "Coordinator", "suggest": "latin"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="suggestion-notice"' in page and "not saved yet" in page
    assert 'value="Iuliia Shchukina"' in page and 'value="Snizhenie vreda"' in page
    assert "ul. Primernaia 1\nMoskva" in page
    # What the coordinator typed in the Latin form is kept, not replaced by a suggestion.
    assert 'value="Coordinator"' in page and 'value="Koordinator"' not in page
    assert _forms(app, group_id) == before  # nothing stored

    saved = logged_in.post(
        "/group/settings",
        data={
            **BASE,
            **CYRILLIC,
            "latn_name": "Harm Reduction",
            "latn_signer_name": "Yulia Shchukina",  # corrected by the coordinator
            "latn_signer_title": "Coordinator",
        },
    )
    assert saved.status_code == 302
    assert _forms(app, group_id)["Latn"] == ("Harm Reduction", "", "Yulia Shchukina", "Coordinator")
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "group.updated")
        ).all()
        assert "Shchukina" not in str([e.details for e in events])


def test_an_emptied_form_is_removed(app: Flask, coordinator, logged_in: Client) -> None:
    logged_in.post("/group/settings", data={**BASE, **CYRILLIC})
    empty = {key: "" for key in CYRILLIC}
    assert logged_in.post("/group/settings", data={**BASE, **empty}).status_code == 302
    assert _forms(app, coordinator["group_id"]) == {}


def test_bad_input_is_refused_and_changes_nothing(
    app: Flask, coordinator, logged_in: Client
) -> None:
    logged_in.post("/group/settings", data={**BASE, **CYRILLIC})
    before = _forms(app, coordinator["group_id"])
    response = logged_in.post(
        "/group/settings", data={**BASE, **CYRILLIC, "latn_signer_name": "Anna\x00" + "x" * 300}
    )
    assert response.status_code == 422
    assert _forms(app, coordinator["group_id"]) == before
    with app.app_context():
        assert db.session.get(Group, coordinator["group_id"]).signer_name == "Юлия Щукина"
