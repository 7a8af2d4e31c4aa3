"""Due dates through the API: what is due soon or overdue, and the deadline calculator."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit import deadlines
from letterkit.extensions import db
from letterkit.models import Dispatch, DispatchMethod, Group
from letterkit.tracking import operations as ops
from tests.conftest import Client

from .conftest import ApiClient
from .test_dispatches import public_letter, recorded, snapshot

TODAY = date.today()


def _due_on(app: Flask, public_id: str) -> date:
    with app.app_context():
        found = db.session.scalar(sa.select(Dispatch.due_on).where(Dispatch.public_id == public_id))
    assert found is not None
    return found


def _status(due_on: date, very_overdue_on: date | None) -> str:
    if very_overdue_on is not None and very_overdue_on < TODAY:
        return "very_overdue"
    if due_on < TODAY:
        return "overdue"
    return "due_today" if due_on == TODAY else "due_soon"


# --- what is due ---------------------------------------------------------------------------------


def test_what_is_due_soon_and_overdue(
    app: Flask, api: ApiClient, other_api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    person = group_with_details
    letter = public_letter(app, person)
    # Sent 150, 40 and 20 days ago and today (RU: 30 days from the latest registration day).
    very = recorded(app, person, letter, 1, sent_on=TODAY - timedelta(150))
    late = recorded(app, person, letter, 1, sent_on=TODAY - timedelta(40))
    soon = recorded(app, person, letter, 1, sent_on=TODAY - timedelta(20))
    month_ago = TODAY - timedelta(30)
    today = recorded(app, person, letter, 1, sent_on=month_ago, registered_on=month_ago)
    later = recorded(app, person, letter, 1, sent_on=TODAY)
    closed = recorded(app, person, letter, 1, sent_on=TODAY - timedelta(40))
    planned = recorded(app, person, letter, 1)
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        found = db.session.scalar(sa.select(Dispatch).where(Dispatch.public_id == closed[0]))
        ops.close(found, group, None)
        db.session.commit()

    response = api.get("/api/v1/due?within=14")
    assert response.status_code == 200, response.get_json()
    listing = response.get_json()
    assert listing["today"] == TODAY.isoformat()
    items = listing["items"]
    assert [item["dispatch"] for item in items] == [*very, *late, *today, *soon]
    assert [item["status"] for item in items] == [
        "very_overdue",
        "overdue",
        "due_today",
        "due_soon",
    ]
    assert items[2]["due_on"] == TODAY.isoformat()
    for item in items:
        due = _due_on(app, item["dispatch"])
        assert item["due_on"] == due.isoformat() and item["letter"] == letter
        very_overdue = date.fromisoformat(item["very_overdue_on"])
        assert item["status"] == _status(due, very_overdue)
        assert item["authority"] == "ru-minzdrav" and item["due_kind"] == "statutory"

    # The explanation is the stored one, in the requester's language, as the page words it.
    with app.app_context():
        stored = db.session.scalar(
            sa.select(Dispatch).where(Dispatch.public_id == soon[0])
        ).due_explanation
    english = deadlines.Speech(locale="en")
    assert items[3]["due_explanation"] == deadlines.explain_data(stored, english)
    day = deadlines.format_day(_due_on(app, soon[0]), english)
    assert items[3]["due_heading"] == f"Reply due by law: {day}"
    russian = api.get("/api/v1/due?within=14", headers={"Accept-Language": "ru"}).get_json()
    assert russian["items"][3]["due_explanation"] != items[3]["due_explanation"]

    # Further ahead, the one sent today comes too; never the closed or the planned one.
    everything = api.get("/api/v1/due?within=60").get_json()["items"]
    assert [item["dispatch"] for item in everything] == [*very, *late, *today, *soon, *later]
    assert not {closed[0], planned[0]} & {item["dispatch"] for item in everything}
    # Within 0 days: only what is late or due today.
    none_ahead = api.get("/api/v1/due?within=0").get_json()["items"]
    assert [item["dispatch"] for item in none_ahead] == [*very, *late, *today]

    # Pages in due-date order, each dispatch once.
    seen: list[str] = []
    cursor = None
    while True:
        page = api.get("/api/v1/due?within=60&limit=1" + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200
        seen += [item["dispatch"] for item in page.get_json()["items"]]
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            break
    assert seen == [*very, *late, *today, *soon, *later]
    assert other_api.get("/api/v1/due?within=3650").get_json()["items"] == []


def test_due_on_the_same_day_pages_by_id(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = public_letter(app, group_with_details)
    ids = recorded(app, group_with_details, letter, 5, sent_on=TODAY - timedelta(40))
    seen: list[str] = []
    cursor = None
    while True:
        path = "/api/v1/due?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path).get_json()
        seen += [item["dispatch"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


def test_bad_due_queries_get_422(api: ApiClient) -> None:
    for bad in ("within=-1", "within=3651", "within=x", "within=1.5", "limit=0"):
        response = api.get(f"/api/v1/due?{bad}")
        assert response.status_code == 422, bad
        assert response.mimetype == "application/problem+json"
    assert api.get("/api/v1/due?cursor=abc").status_code in (400, 422)  # not ours
    assert api.get("/api/v1/due?within=3650").status_code == 200


def test_a_refused_dispatch_is_never_due(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = public_letter(app, group_with_details)
    recorded(
        app,
        group_with_details,
        letter,
        1,
        sent_on=TODAY - timedelta(40),
        method=DispatchMethod.REFUSED,
    )
    assert api.get("/api/v1/due?within=3650").get_json()["items"] == []


# --- the calculator ------------------------------------------------------------------------------


def test_the_calculator_gives_the_due_date_the_rule_and_why(api: ApiClient, client: Client) -> None:
    received = date(2026, 3, 2)
    registered = date(2026, 3, 3)
    response = api.get(
        f"/api/v1/deadline?country=RU&received_on={received}&registered_on={registered}"
    )
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    expected = deadlines.compute_due("RU", received, registered_on=registered)
    assert answer["due_on"] == expected.due.isoformat() == "2026-04-02"
    assert answer["very_overdue_on"] == "2026-05-02"
    assert answer["result"] == "statutory" and answer["legal"] and not answer["estimate"]
    assert answer["rule"]["id"] == "ru-59fz" and "59-FZ" in answer["rule"]["law"]
    assert answer["rule"]["article"] == "Art. 12(1)"
    assert answer["explanation"] == deadlines.explain(expected, deadlines.Speech(locale="en"))
    # The public calculator's page shows the same.
    page = client.get(
        f"/deadline?country=RU&delivered_on={received}&registered_on={registered}"
    ).get_data(as_text=True)
    assert answer["heading"] in page

    estimate = api.get(f"/api/v1/deadline?country=RU&received_on={received}").get_json()
    assert estimate["estimate"] and "estimate" in estimate["heading"]
    assert estimate["due_on"] == deadlines.compute_due("RU", received).due.isoformat()

    kind = api.get(
        f"/api/v1/deadline?country=RU&kind=regional-head-migration&received_on={received}"
        f"&registered_on={received}"
    ).get_json()
    assert kind["rule"]["id"] == "ru-59fz-migration" and kind["kind"] == "regional-head-migration"
    migration = deadlines.compute_due(
        "RU", received, registered_on=received, authority_kind="regional-head-migration"
    )
    assert kind["due_on"] == migration.due.isoformat() != answer["due_on"]


def test_where_the_law_sets_no_term_there_is_no_due_date(api: ApiClient) -> None:
    answer = api.get("/api/v1/deadline?country=DE&received_on=2026-03-02").get_json()
    assert answer["result"] == "no_term" and answer["due_on"] is None
    assert answer["very_overdue_on"] is None and not answer["legal"]
    unknown = api.get("/api/v1/deadline?country=TJ&received_on=2026-03-02").get_json()
    assert unknown["result"] == "term_unknown" and unknown["due_on"] is None


def test_the_calculator_refuses_what_has_no_rule(api: ApiClient) -> None:
    cases = {
        "country=XX&received_on=2026-03-02": "country",
        "country=RU&kind=administrative-act&received_on=2026-03-02": "kind",
        "country=RU&kind=no-such-kind&received_on=2026-03-02": "kind",
        "country=RU&received_on=1999-12-31": "received_on",
        "country=RU&received_on=2026-03-02&registered_on=0001-01-01": "registered_on",
        f"country=RU&received_on={TODAY + timedelta(days=400)}": "received_on",
        "country=ru&received_on=2026-03-02": "country",
        "country=RU&received_on=2026-02-30": "received_on",
        "country=RU&received_on=02.03.2026": "received_on",
        "country=RU": "received_on",
        "received_on=2026-03-02": "country",
    }
    for query, pointer in cases.items():
        response = api.get(f"/api/v1/deadline?{query}")
        assert response.status_code == 422, (query, response.get_json())
        assert pointer in [e["pointer"] for e in response.get_json()["errors"]], query
    late = api.get("/api/v1/deadline?country=RU&received_on=2026-03-02&registered_on=2026-03-01")
    assert late.status_code == 422 and "before the delivery" in late.get_json()["detail"]


def test_the_calculator_needs_a_token_and_changes_nothing(
    app: Flask, api: ApiClient, read_only_api: ApiClient
) -> None:
    before = snapshot(app)
    assert (
        ApiClient(app, None).get("/api/v1/deadline?country=RU&received_on=2026-03-02").status_code
        == 401
    )
    assert (
        read_only_api.get("/api/v1/deadline?country=RU&received_on=2026-03-02").status_code == 200
    )
    assert read_only_api.get("/api/v1/due").status_code == 200
    assert snapshot(app) == before


def test_the_document_names_what_each_operation_answers(app: Flask) -> None:
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        ("/api/v1/dispatches", "get"): {"200"},
        ("/api/v1/dispatches", "post"): {"201", "409", "415"},
        ("/api/v1/dispatches/{dispatch_id}", "get"): {"200", "404"},
        ("/api/v1/dispatches/{dispatch_id}/registration", "put"): {"200", "404", "409"},
        ("/api/v1/dispatches/{dispatch_id}/extensions", "post"): {"201", "404", "409"},
        ("/api/v1/dispatches/{dispatch_id}/replies", "post"): {"201", "404", "409"},
        ("/api/v1/dispatches/{dispatch_id}/send", "post"): {"200", "404", "409"},
        ("/api/v1/dispatches/{dispatch_id}/target", "put"): {"200", "404", "409"},
        ("/api/v1/dispatches/{dispatch_id}/close", "post"): {"200", "404", "409"},
        ("/api/v1/extensions/{extension_id}", "get"): {"200", "404"},
        ("/api/v1/replies/{reply_id}", "get"): {"200", "404"},
        ("/api/v1/replies/{reply_id}/forward", "post"): {"201", "404", "409"},
        ("/api/v1/due", "get"): {"200"},
        ("/api/v1/deadline", "get"): {"200"},
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses | {"401", "403", "422"} <= set(responses), (path, method)
    listing = paths["/api/v1/dispatches"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names == {"state", "open", "country", "authority", "due_before", "limit", "cursor"}
    state = next(p for p in listing["parameters"] if p["name"] == "state")
    assert "closed" in state["schema"]["enum"]
