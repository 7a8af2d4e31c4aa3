"""Dispatches through the API refuse what they must and change nothing: bad input, another
group's token, a read-only token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Dispatch, Group, ReplyChannel, ReplyOutcome, User
from letterkit.tracking import operations as ops

from .conftest import ApiClient
from .test_dispatches import SENT, TODAY, letter, public_letter, recorded, row, snapshot

__all__ = ["letter"]  # the fixture


# --- bad input -----------------------------------------------------------------------------------


def test_bad_dispatches_are_refused_and_change_nothing(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any], factory: Any
) -> None:
    from letterkit.services import drafts

    with app.test_request_context():
        group = db.session.get(Group, group_with_details["group_id"])
        draft = drafts.create_draft(
            group,
            db.session.get(User, group_with_details["id"]),
            template="appeal",
            language="ru",
            authority_slug="ru-minzdrav",
            demand_slugs=[],
            paragraphs=[],
            fields={},
        )
        db.session.commit()
        draft_id = draft.public_id
    other = factory.user(factory.group("Other"), "coordinator")
    foreign = public_letter(app, other)
    future = (TODAY + timedelta(days=5)).isoformat()
    good = {"letter": letter, "method": "hand", "sent_on": SENT.isoformat()}
    cases: list[tuple[Any, int, str | None]] = [
        ({**good, "letter": draft_id}, 422, "/letter"),
        ({**good, "letter": foreign}, 422, "/letter"),
        ({**good, "letter": "let_aaaaaaaaaaaaaaaa"}, 422, "/letter"),
        ({**good, "letter": "12"}, 422, "/letter"),
        ({**good, "method": "forwarded"}, 422, "/method"),
        ({**good, "method": "pigeon"}, 422, "/method"),
        ({**good, "sent_on": future}, 422, "/sent_on"),
        ({**good, "sent_on": "2026-02-30"}, 422, "/sent_on"),
        ({**good, "sent_on": "0001-01-01"}, 422, "/sent_on"),
        ({**good, "sent_on": "9999-12-31"}, 422, "/sent_on"),
        ({**good, "delivered_on": (SENT - timedelta(days=1)).isoformat()}, 422, "/delivered_on"),
        ({**good, "registered_on": (SENT - timedelta(days=1)).isoformat()}, 422, "/registered_on"),
        ({**good, "planned_on": TODAY.isoformat()}, 422, "/planned_on"),
        ({"letter": letter, "method": "hand", "registered_on": TODAY.isoformat()}, 422, "/sent_on"),
        ({**good, "method": "refused", "registration_number": "1"}, 422, "/registration_number"),
        ({**good, "proceeding_kind": "house-petition"}, 422, "/proceeding_kind"),
        ({**good, "target_days": 0}, 422, "/target_days"),
        ({**good, "target_days": "5"}, 422, "/target_days"),
        ({**good, "registration_number": "a\nb"}, 422, "/registration_number"),
        ({**good, "colour": "red"}, 422, "/colour"),
        ({"method": "hand"}, 422, "/letter"),
        ([], 422, None),
        (None, 415, None),  # no body at all
    ]
    before = snapshot(app)
    for body, status, pointer in cases:
        response = api.post("/api/v1/dispatches", json=body)
        assert response.status_code == status, (body, response.get_json())
        assert response.mimetype == "application/problem+json"
        if pointer is not None:
            pointers = [e["pointer"] for e in response.get_json()["errors"]]
            assert pointer in pointers, (body, pointers)
    bad_json = api.post(
        "/api/v1/dispatches", data="{", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400
    as_form = api.post("/api/v1/dispatches", data={"letter": letter, "method": "hand"})
    assert as_form.status_code == 415
    assert snapshot(app) == before


def test_bad_changes_to_a_dispatch_are_refused_and_change_nothing(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any]
) -> None:
    (sent,) = recorded(app, group_with_details, letter, 1, sent_on=SENT)
    due = row(app, sent).due_on
    assert due is not None
    base = f"/api/v1/dispatches/{sent}"
    cases: list[tuple[str, str, Any, int]] = [
        ("PUT", "/registration", {"registration_number": "1"}, 422),
        ("PUT", "/registration", {"registration_number": "1", "registered_on": "x"}, 422),
        (
            "PUT",
            "/registration",
            {"registration_number": "1", "registered_on": (SENT - timedelta(1)).isoformat()},
            422,
        ),
        (
            "PUT",
            "/registration",
            {"registration_number": "1", "registered_on": "9999-12-31"},
            422,
        ),
        (
            "PUT",
            "/registration",
            {"registration_number": "", "registered_on": None, "delivered_on": "0001-01-01"},
            422,
        ),
        ("POST", "/extensions", {"notice_on": TODAY.isoformat()}, 422),
        (
            "POST",
            "/extensions",
            {"notice_on": TODAY.isoformat(), "new_due_on": (due + timedelta(45)).isoformat()},
            422,
        ),
        ("POST", "/extensions", {"notice_on": TODAY.isoformat(), "new_due_on": "9999-12-31"}, 422),
        ("POST", "/extensions", {"notice_on": TODAY.isoformat(), "new_due_on": "0001-01-01"}, 422),
        (
            "POST",
            "/extensions",
            {"notice_on": (SENT - timedelta(1)).isoformat(), "new_due_on": due.isoformat()},
            422,
        ),
        (
            "POST",
            "/replies",
            {
                "received_on": (SENT - timedelta(1)).isoformat(),
                "channel": "post",
                "outcome": "merits",
            },
            422,
        ),
        (
            "POST",
            "/replies",
            {"received_on": "9999-12-31", "channel": "post", "outcome": "merits"},
            422,
        ),
        ("POST", "/replies", {"received_on": TODAY.isoformat(), "channel": "post"}, 422),
        (
            "POST",
            "/replies",
            {"received_on": TODAY.isoformat(), "channel": "pigeon", "outcome": "merits"},
            422,
        ),
        (
            "POST",
            "/replies",
            {
                "received_on": TODAY.isoformat(),
                "channel": "post",
                "outcome": "merits",
                "summary": "x" * 4001,
            },
            422,
        ),
    ]
    before = snapshot(app)
    for method, path, body, status in cases:
        response = api.request(method, base + path, json=body)
        assert response.status_code == status, (path, body, response.get_json())
        assert response.mimetype == "application/problem+json"
    assert snapshot(app) == before


# --- other groups and read-only tokens -----------------------------------------------------------


def _every_operation(dispatch: str, extension: str, reply: str) -> list[tuple[str, str, Any]]:
    day = TODAY.isoformat()
    return [
        ("GET", f"/api/v1/dispatches/{dispatch}", None),
        (
            "PUT",
            f"/api/v1/dispatches/{dispatch}/registration",
            {"registration_number": "9", "registered_on": day},
        ),
        (
            "POST",
            f"/api/v1/dispatches/{dispatch}/extensions",
            {"notice_on": day, "new_due_on": day},
        ),
        (
            "POST",
            f"/api/v1/dispatches/{dispatch}/replies",
            {"received_on": day, "channel": "post", "outcome": "merits"},
        ),
        ("POST", f"/api/v1/dispatches/{dispatch}/send", {"method": "hand", "sent_on": day}),
        ("PUT", f"/api/v1/dispatches/{dispatch}/target", {"target_days": 30}),
        ("POST", f"/api/v1/dispatches/{dispatch}/close", None),
        ("GET", f"/api/v1/extensions/{extension}", None),
        ("GET", f"/api/v1/replies/{reply}", None),
        ("POST", f"/api/v1/replies/{reply}/forward", {"authority": "ru-mvd", "sent_on": day}),
    ]


def _extended_and_answered(app: Flask, person: dict[str, Any], letter: str) -> tuple[str, ...]:
    """A dispatch with an extension and a reply that says it was forwarded: their ids."""
    (sent,) = recorded(app, person, letter, 1, sent_on=SENT)
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        dispatch = db.session.scalar(sa.select(Dispatch).where(Dispatch.public_id == sent))
        assert dispatch is not None and dispatch.due_on is not None
        extension = ops.record_extension(
            dispatch,
            group,
            None,
            notice_on=dispatch.due_on - timedelta(days=1),
            new_due_on=dispatch.due_on + timedelta(days=10),
        )
        reply = ops.record_reply(
            dispatch,
            group,
            None,
            received_on=TODAY,
            channel=ReplyChannel.POST,
            outcome=ReplyOutcome.FORWARDED,
        )
        db.session.commit()
        return sent, extension.public_id, reply.public_id


def test_another_groups_token_finds_none_of_it(
    app: Flask, api: ApiClient, other_api: ApiClient, letter: str, group_with_details: Any
) -> None:
    ids = _extended_and_answered(app, group_with_details, letter)
    before = snapshot(app)
    for method, path, body in _every_operation(*ids):
        response = other_api.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.get_json())
        assert response.mimetype == "application/problem+json"
        missing_path = path
        for public_id in ids:
            missing_path = missing_path.replace(public_id, public_id[:4] + "a" * 16)
        missing = api.request(method, missing_path, json=body)
        assert missing.status_code == 404
        assert missing.get_json() == response.get_json()
    response = other_api.post(
        "/api/v1/dispatches", json={"letter": letter, "method": "hand", "sent_on": SENT.isoformat()}
    )
    assert response.status_code == 422
    assert other_api.get("/api/v1/due?within=3650").get_json()["items"] == []
    assert snapshot(app) == before


def test_a_read_only_token_reads_but_changes_nothing(
    app: Flask, read_only_api: ApiClient, letter: str, group_with_details: Any
) -> None:
    ids = _extended_and_answered(app, group_with_details, letter)
    before = snapshot(app)
    for method, path, body in _every_operation(*ids):
        response = read_only_api.request(method, path, json=body)
        assert response.status_code == (200 if method == "GET" else 403), (method, path)
    response = read_only_api.post(
        "/api/v1/dispatches", json={"letter": letter, "method": "hand", "sent_on": SENT.isoformat()}
    )
    assert response.status_code == 403
    assert read_only_api.get("/api/v1/dispatches").get_json()["items"][0]["id"] == ids[0]
    assert snapshot(app) == before
