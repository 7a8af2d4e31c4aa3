"""Dispatches through the API: a dispatch through its life, the list and its pages, bad input,
other groups and read-only tokens."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import deadlines
from letterkit.extensions import db
from letterkit.models import (
    AuditEvent,
    Dispatch,
    DispatchExtension,
    DispatchMethod,
    DispatchReply,
    DispatchState,
    Group,
    Letter,
    User,
)
from letterkit.tracking import operations as ops
from tests.conftest import Client, count, login
from tests.tracking.conftest import final_letter, load

from .conftest import ApiClient

TODAY = date.today()
SENT = TODAY - timedelta(days=150)


def public_letter(app: Flask, person: dict[str, Any], **overrides: Any) -> str:
    """A new final letter of the person's group; its public id."""
    letter_id = final_letter(app, person, **overrides)
    with app.app_context():
        return db.session.get(Letter, letter_id).public_id


def row(app: Flask, public_id: str) -> Dispatch:
    """The dispatch with this public id, read back with its extensions and replies."""
    with app.app_context():
        found = db.session.scalar(sa.select(Dispatch.id).where(Dispatch.public_id == public_id))
    return load(app, found)


def recorded(app: Flask, person: dict[str, Any], letter: str, n: int, **values: Any) -> list[str]:
    """``n`` dispatches of one letter recorded through the operation; their public ids."""
    values.setdefault("method", DispatchMethod.HAND)
    authority = values.pop("authority_slug", None)
    with app.test_request_context():
        found = db.session.scalar(sa.select(Letter).where(Letter.public_id == letter))
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        ids = [
            ops.record_dispatch(
                found, group, actor, ops.DispatchInput(**values), authority_slug=authority
            ).public_id
            for _ in range(n)
        ]
        db.session.commit()
    return ids


def snapshot(app: Flask) -> tuple[int, ...]:
    """What the API could change: counts of dispatches, extensions, replies and audit events,
    and the states and due dates of the dispatches."""
    with app.app_context():
        states = db.session.execute(
            sa.select(Dispatch.state, Dispatch.due_on, Dispatch.registration_number).order_by(
                Dispatch.id
            )
        ).all()
    return (
        count(app, Dispatch),
        count(app, DispatchExtension),
        count(app, DispatchReply),
        count(app, AuditEvent),
        hash(tuple(states)),
    )


@pytest.fixture
def letter(app: Flask, group_with_details: dict[str, Any]) -> str:
    """A final letter of the coordinator's group to the Russian Ministry of Health."""
    return public_letter(app, group_with_details)


# --- a dispatch through its life -----------------------------------------------------------------


def test_a_dispatch_through_its_life(
    app: Flask, api: ApiClient, client: Client, letter: str, group_with_details: dict[str, Any]
) -> None:
    response = api.post(
        "/api/v1/dispatches",
        json={"letter": letter, "method": "hand", "sent_on": SENT.isoformat()},
    )
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert response.headers["Location"] == f"/api/v1/dispatches/{made['id']}"
    assert made["id"].startswith("dsp_") and made["letter"] == letter
    assert made["state"] == "sent" and made["is_open"] and made["delivered_on"] == SENT.isoformat()
    estimate = deadlines.compute_due("RU", SENT)
    assert made["due_on"] == estimate.due.isoformat() and made["due_estimate"]
    assert made["rule"] == "ru-59fz" and made["status"] == "very_overdue"
    assert made["extensions"] == [] and made["replies"] == []

    # The registration: the due date is counted from it, as the tracking pages count it.
    registered = SENT + timedelta(days=1)
    response = api.request(
        "PUT",
        f"/api/v1/dispatches/{made['id']}/registration",
        json={"registration_number": " 12-3/456 ", "registered_on": registered.isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    expected = deadlines.compute_due("RU", SENT, registered_on=registered)
    stored = row(app, made["id"])
    assert stored.state is DispatchState.REGISTERED and stored.registration_number == "12-3/456"
    assert body["due_on"] == stored.due_on.isoformat() == expected.due.isoformat()
    assert stored.due_on == registered + timedelta(days=30)
    assert body["very_overdue_on"] == stored.very_overdue_on.isoformat()
    assert body["delivered_on"] == SENT.isoformat()  # kept: handed in person
    assert not body["due_estimate"] and stored.due_explanation == expected.to_dict()
    english = deadlines.Speech(locale="en")
    assert body["due_explanation"] == deadlines.explain(expected, english)

    # The tracking page explains the same due date with the same sentences.
    login(client, group_with_details)
    page = client.get(f"/tracking/dispatches/{stored.id}/due").get_data(as_text=True)
    assert deadlines.format_day(expected.due, english) in page
    for sentence in body["due_explanation"]:
        assert html.escape(sentence.split(" (")[0]) in page

    # An extension within what the law allows (Art. 12(2): 30 more days).
    extended = expected.due + timedelta(days=20)
    response = api.post(
        f"/api/v1/dispatches/{made['id']}/extensions",
        json={
            "notice_on": (expected.due - timedelta(days=2)).isoformat(),
            "new_due_on": extended.isoformat(),
        },
    )
    assert response.status_code == 201, response.get_json()
    extension = response.get_json()
    assert extension["id"].startswith("ext_") and extension["dispatch"] == made["id"]
    assert api.get(response.headers["Location"]).get_json() == extension
    assert extension["new_due_on"] == extended.isoformat()
    stored = row(app, made["id"])
    assert stored.state is DispatchState.EXTENDED and stored.due_on == extended

    # A reply on the merits answers the letter.
    answered = registered + timedelta(days=40)
    response = api.post(
        f"/api/v1/dispatches/{made['id']}/replies",
        json={
            "received_on": answered.isoformat(),
            "channel": "post",
            "outcome": "merits",
            "summary": "The ministry describes its OST pilot.",
        },
    )
    assert response.status_code == 201, response.get_json()
    reply = response.get_json()
    assert reply["id"].startswith("rep_") and reply["outcome"] == "merits"
    stored = row(app, made["id"])
    assert stored.state is DispatchState.ANSWERED and stored.answered_on == answered
    assert [r.summary for r in stored.replies] == ["The ministry describes its OST pilot."]

    shown = api.get(f"/api/v1/dispatches/{made['id']}").get_json()
    assert [e["id"] for e in shown["extensions"]] == [extension["id"]]
    assert [r["id"] for r in shown["replies"]] == [reply["id"]]
    assert shown["answered_on"] == answered.isoformat() and shown["outcome"] == "merits"
    assert shown["due_on"] == extended.isoformat()

    # Closed once; closing again is a conflict that changes nothing.
    response = api.post(f"/api/v1/dispatches/{made['id']}/close")
    assert response.status_code == 200
    assert response.get_json()["state"] == "closed" and not response.get_json()["is_open"]
    before = snapshot(app)
    again = api.post(f"/api/v1/dispatches/{made['id']}/close")
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert "Closed" in again.get_json()["detail"]
    assert snapshot(app) == before

    # Every change names the token it was made with, and no user.
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.object_type.in_(["dispatch", "dispatchreply"]))
        ).all()
        assert {e.action for e in events} >= {
            "dispatch.recorded",
            "dispatch.registration_set",
            "dispatch.extended",
            "reply.recorded",
            "dispatch.state_changed",
        }
        assert all(e.details["api_token"].startswith("tok_") for e in events)
        assert all(e.actor_id is None for e in events)


def test_a_planned_dispatch_has_no_due_date_and_takes_no_reply(
    app: Flask, api: ApiClient, letter: str
) -> None:
    planned_on = TODAY + timedelta(days=3)
    response = api.post(
        "/api/v1/dispatches",
        json={"letter": letter, "method": "registered_post", "planned_on": planned_on.isoformat()},
    )
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert made["state"] == "planned" and made["due_on"] is None and not made["is_open"]
    assert made["planned_on"] == planned_on.isoformat()
    before = snapshot(app)
    for path, body in (
        ("replies", {"received_on": TODAY.isoformat(), "channel": "post", "outcome": "merits"}),
        ("extensions", {"notice_on": TODAY.isoformat(), "new_due_on": TODAY.isoformat()}),
    ):
        response = api.post(f"/api/v1/dispatches/{made['id']}/{path}", json=body)
        assert response.status_code == 409, (path, response.get_json())
    response = api.request(
        "PUT",
        f"/api/v1/dispatches/{made['id']}/registration",
        json={"registration_number": "1", "registered_on": TODAY.isoformat()},
    )
    assert response.status_code == 409
    assert snapshot(app) == before


def test_a_closed_dispatch_refuses_every_change_as_a_conflict(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any]
) -> None:
    """Its state is in the way, not the values sent: 409 everywhere, the target too (it was a
    422 naming ``/target_days``, found by schemathesis)."""
    (sent,) = recorded(app, group_with_details, letter, 1, sent_on=SENT)
    base = f"/api/v1/dispatches/{sent}"
    assert api.post(f"{base}/close").status_code == 200
    before = snapshot(app)
    day = TODAY.isoformat()
    for method, path, body in (
        ("PUT", "/target", {"target_days": 30}),
        ("PUT", "/target", {"target_days": None}),
        ("POST", "/replies", {"received_on": day, "channel": "post", "outcome": "merits"}),
        ("POST", "/extensions", {"notice_on": day, "new_due_on": day}),
        ("POST", "/close", None),
    ):
        response = api.request(method, base + path, json=body)
        assert response.status_code == 409, (path, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert "“Closed”" in response.get_json()["detail"]
    assert snapshot(app) == before


def test_a_kind_of_proceeding_and_a_target_are_taken(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = public_letter(app, group_with_details)
    response = api.post(
        "/api/v1/dispatches",
        json={
            "letter": letter,
            "method": "email",
            "sent_on": SENT.isoformat(),
            "registered_on": SENT.isoformat(),
            "proceeding_kind": "regional-head-migration",
            "handed_by_name": "Anna",
        },
    )
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert made["proceeding_kind"] == "regional-head-migration"
    assert made["rule"] == "ru-59fz-migration" and made["state"] == "registered"
    assert made["due_on"] == (SENT + timedelta(days=20)).isoformat()
    assert row(app, made["id"]).handed_by_name == "Anna"


def test_a_planned_dispatch_is_sent_later(app: Flask, api: ApiClient, letter: str) -> None:
    made = api.post("/api/v1/dispatches", json={"letter": letter, "method": "post"}).get_json()
    assert made["state"] == "planned"
    sent = TODAY - timedelta(days=10)
    response = api.post(
        f"/api/v1/dispatches/{made['id']}/send",
        json={"method": "hand", "sent_on": sent.isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "sent" and body["method"] == "hand" and body["is_open"]
    assert body["due_on"] == deadlines.compute_due("RU", sent).due.isoformat()
    assert row(app, made["id"]).sent_on == sent
    before = snapshot(app)
    again = api.post(
        f"/api/v1/dispatches/{made['id']}/send",
        json={"method": "hand", "sent_on": sent.isoformat()},
    )
    assert again.status_code == 409
    future = api.post(
        f"/api/v1/dispatches/{made['id']}/send",
        json={"method": "hand", "sent_on": (TODAY + timedelta(days=9)).isoformat()},
    )
    assert future.status_code == 422
    assert snapshot(app) == before


def test_a_target_where_the_law_sets_no_term(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any]
) -> None:
    eu = public_letter(
        app,
        group_with_details,
        authority="eu-parliament-petitions",
        language="en",
        fields={"subject": "Harm reduction in EU drug policy"},
    )
    made = api.post(
        "/api/v1/dispatches", json={"letter": eu, "method": "portal", "sent_on": SENT.isoformat()}
    ).get_json()
    assert made["due_kind"] == "no_term" and made["due_on"] is None
    response = api.request(
        "PUT", f"/api/v1/dispatches/{made['id']}/target", json={"target_days": 60}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["due_kind"] == "target" and body["target_days"] == 60
    assert body["due_on"] == deadlines.compute_target("EU", SENT, 60).due.isoformat()
    removed = api.request(
        "PUT", f"/api/v1/dispatches/{made['id']}/target", json={"target_days": None}
    )
    assert removed.status_code == 200 and removed.get_json()["due_on"] is None
    # Where the law sets a term, a target is refused and nothing changes.
    (legal,) = recorded(app, group_with_details, letter, 1, sent_on=SENT)
    before = snapshot(app)
    for value in (10, 0, 1001, "10"):
        response = api.request(
            "PUT", f"/api/v1/dispatches/{legal}/target", json={"target_days": value}
        )
        assert response.status_code == 422, value
        assert response.get_json()["errors"][0]["pointer"] == "/target_days"
    assert snapshot(app) == before


def test_a_forwarded_letter_is_tracked_as_a_new_dispatch(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any]
) -> None:
    (sent,) = recorded(app, group_with_details, letter, 1, sent_on=SENT)
    forwarded_on = SENT + timedelta(days=10)
    response = api.post(
        f"/api/v1/dispatches/{sent}/replies",
        json={"received_on": forwarded_on.isoformat(), "channel": "post", "outcome": "forwarded"},
    )
    assert response.status_code == 201
    reply = response.get_json()
    assert response.headers["Location"] == f"/api/v1/replies/{reply['id']}"
    assert api.get(response.headers["Location"]).get_json() == reply
    before = snapshot(app)
    for bad, status in (
        ({"authority": "no-such-authority", "sent_on": forwarded_on.isoformat()}, 422),
        ({"authority": "ru-mvd", "sent_on": (SENT - timedelta(days=1)).isoformat()}, 422),
        ({"authority": "ru-mvd"}, 422),
    ):
        refused = api.post(f"/api/v1/replies/{reply['id']}/forward", json=bad)
        assert refused.status_code == status, (bad, refused.get_json())
    assert snapshot(app) == before
    response = api.post(
        f"/api/v1/replies/{reply['id']}/forward",
        json={"authority": "ru-mvd", "sent_on": forwarded_on.isoformat()},
    )
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert response.headers["Location"] == f"/api/v1/dispatches/{new['id']}"
    assert new["forwarded_from"] == sent and new["method"] == "forwarded"
    assert new["authority"] == "ru-mvd" and new["letter"] == letter
    assert new["due_on"] == deadlines.compute_due("RU", forwarded_on).due.isoformat()
    # Only a reply that says the letter was forwarded can start this.
    merits = api.post(
        f"/api/v1/dispatches/{new['id']}/replies",
        json={"received_on": TODAY.isoformat(), "channel": "email", "outcome": "merits"},
    ).get_json()
    before = snapshot(app)
    refused = api.post(
        f"/api/v1/replies/{merits['id']}/forward",
        json={"authority": "ru-mvd", "sent_on": TODAY.isoformat()},
    )
    assert refused.status_code == 409
    assert snapshot(app) == before


# --- the list ------------------------------------------------------------------------------------


def test_pages_cover_every_dispatch_once(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any], other_api: Any
) -> None:
    ids = recorded(app, group_with_details, letter, 120, sent_on=SENT)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        path = "/api/v1/dispatches?limit=50" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(path)
        assert response.status_code == 200
        page = response.get_json()
        pages += 1
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == ids
    first = api.get("/api/v1/dispatches?limit=1").get_json()["items"][0]
    assert first["letter"] == letter and first["authority"] == "ru-minzdrav"
    assert first["sent_on"] == SENT.isoformat() and first["state"] == "sent"
    # Another group sees none of them, and cannot use the cursor.
    assert other_api.get("/api/v1/dispatches").get_json() == {"items": [], "next_cursor": None}
    cursor = api.get("/api/v1/dispatches?limit=50").get_json()["next_cursor"]
    # (400 or 422: the foundation may call a cursor that is not ours either)
    assert other_api.get(f"/api/v1/dispatches?cursor={cursor}").status_code in (400, 422)
    assert api.get(f"/api/v1/due?cursor={cursor}").status_code in (400, 422)


def test_a_page_takes_the_same_queries_however_long_it_is(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any]
) -> None:
    recorded(app, group_with_details, letter, 30, sent_on=SENT)
    api.get("/api/v1/dispatches?limit=1")  # the token's first use today is written once
    statements: list[str] = []

    def counted(path: str) -> int:
        statements.clear()
        assert api.get(path).status_code == 200
        return len(statements)

    def note(*args: Any) -> None:
        statements.append(str(args[2]))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        short, long = counted("/api/v1/dispatches?limit=2"), counted("/api/v1/dispatches?limit=30")
        assert short == long, statements
        assert sum("FROM dispatch" in s for s in statements) == 1
        assert sum("FROM letter" in s for s in statements) == 1
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def test_the_list_filters(
    app: Flask, api: ApiClient, letter: str, group_with_details: dict[str, Any]
) -> None:
    sent = recorded(app, group_with_details, letter, 2, sent_on=SENT)
    planned = recorded(app, group_with_details, letter, 1)
    recent = recorded(app, group_with_details, letter, 1, sent_on=TODAY)
    md_letter = public_letter(
        app, group_with_details, authority="md-parliament", language="en", fields={"subject": "S"}
    )
    moldovan = recorded(app, group_with_details, md_letter, 1, sent_on=SENT)
    with app.test_request_context():
        closing = db.session.scalar(sa.select(Dispatch).where(Dispatch.public_id == sent[1]))
        ops.close(closing, db.session.get(Group, group_with_details["group_id"]), None)
        db.session.commit()
        due_recent = db.session.scalar(
            sa.select(Dispatch.due_on).where(Dispatch.public_id == recent[0])
        )

    def ids(query: str) -> list[str]:
        response = api.get(f"/api/v1/dispatches?{query}")
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids("state=planned") == planned
    assert ids("state=closed") == [sent[1]]
    assert ids("open=true") == [sent[0], *recent, *moldovan]
    assert ids("open=false") == [sent[1], *planned]
    assert ids("country=MD") == moldovan
    assert ids("authority=ru-minzdrav&open=true") == [sent[0], *recent]
    assert ids(f"due_before={due_recent.isoformat()}") == [*sent, *moldovan]
    assert ids("country=GB") == []
    for bad in (
        "state=lost",
        "open=yes",
        "country=md",
        "authority=Bad Slug",
        "due_before=2026-13-01",
        "due_before=tomorrow",
        "limit=0",
        "limit=501",
    ):
        response = api.get(f"/api/v1/dispatches?{bad}")
        assert response.status_code == 422, bad
        assert response.mimetype == "application/problem+json"
