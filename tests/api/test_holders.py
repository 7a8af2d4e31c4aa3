"""The office holder through the API: how it is addressed, so that letters in languages
without a neutral salutation can be finalised by a group's tool alone."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, AuthorityHolder

from .conftest import ApiClient

HOLDER = "/api/v1/authorities/ru-minzdrav/holder"


def holders(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        return [
            (row.group_id, row.authority_slug, row.form, row.names)
            for row in db.session.scalars(sa.select(AuthorityHolder))
        ]


def test_an_unknown_holder_is_null_and_russian_needs_it(api: ApiClient) -> None:
    holder = api.get(HOLDER).get_json()
    assert holder["form_of_address"] is None and holder["names"] == {}
    assert "ru" in holder["needed_for"] and "uk" in holder["needed_for"]
    assert "en" not in holder["needed_for"]


def test_the_holder_is_recorded_and_a_russian_letter_can_then_be_finalised(
    app: Flask, api: ApiClient
) -> None:
    letter = api.post(
        "/api/v1/letters",
        json={"authority": "ru-minzdrav", "fields": {"subject": "О заместительной терапии"}},
    ).get_json()
    refused = api.post(f"/api/v1/letters/{letter['id']}/finalise", json={})
    assert refused.status_code == 422
    response = api.put(
        HOLDER,
        json={
            "form_of_address": "female",
            "language": "ru",
            "addressee_name": "И. И. Иванова",
            "salutation_name": "Ирина Ивановна",
        },
    )
    assert response.status_code == 200, response.get_json()
    holder = response.get_json()
    assert holder["form_of_address"] == "female"
    assert holder["names"]["ru"]["salutation_name"] == "Ирина Ивановна"
    assert api.get(HOLDER).get_json() == holder
    final = api.post(f"/api/v1/letters/{letter['id']}/finalise", json={})
    assert final.status_code == 200, final.get_json()
    docx = api.get(f"/api/v1/letters/{letter['id']}/docx")
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Уважаемая Ирина Ивановна" in text
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "authority.holder_recorded")
        )
        assert event.details["api_token"].startswith("tok_")
        assert "Ирина" not in str(event.details)


def test_a_neutral_form_where_the_language_has_none_is_refused(app: Flask, api: ApiClient) -> None:
    response = api.put(HOLDER, json={"form_of_address": "neutral", "language": "ru"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/form_of_address"
    assert holders(app) == []


def test_bad_bodies_change_nothing(app: Flask, api: ApiClient) -> None:
    for body in (
        {},
        {"form_of_address": "other", "language": "ru"},
        {"form_of_address": "male", "language": "xx"},
        {"form_of_address": "male", "language": "ru", "addressee_name": "a\nb"},
        {"form_of_address": "male", "language": "ru", "extra": 1},
        {"form_of_address": "male", "language": "ru", "salutation_name": "x" * 201},
    ):
        assert api.put(HOLDER, json=body).status_code == 422, body
    assert (
        api.put(
            "/api/v1/authorities/no-such/holder", json={"form_of_address": "male", "language": "ru"}
        ).status_code
        == 404
    )
    assert holders(app) == []


def test_other_groups_and_read_only_tokens(
    app: Flask, api: ApiClient, other_api: ApiClient, read_only_api: ApiClient
) -> None:
    assert api.put(HOLDER, json={"form_of_address": "male", "language": "ru"}).status_code == 200
    before = holders(app)
    assert other_api.get(HOLDER).get_json()["form_of_address"] is None
    assert (
        read_only_api.put(HOLDER, json={"form_of_address": "female", "language": "ru"}).status_code
        == 403
    )
    assert (
        other_api.put(HOLDER, json={"form_of_address": "female", "language": "ru"}).status_code
        == 200
    )
    mine = [row for row in holders(app) if row[0] == before[0][0]]
    assert mine == before
