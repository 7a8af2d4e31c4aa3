"""A member of another group gets 404 for every tracking object; roles are checked."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Dispatch, DispatchReply, TrackingFile
from tests.conftest import Client, count, login
from tests.tracking.conftest import PNG, form_post, load, record

SENT = date.today() - timedelta(days=50)


@pytest.fixture
def theirs(
    app: Flask, logged_in: Client, letter_id: int, group_with_details: Any
) -> dict[str, int]:
    """A group's letter, dispatch, forwarded reply, proof and extension (made by its coordinator)."""
    dispatch_id = record(
        app,
        group_with_details,
        letter_id,
        sent_on=SENT,
        registered_on=SENT,
        registration_number="7",
    )
    form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/files",
        "proof",
        {"proof": (io.BytesIO(PNG), "stamp.png")},
    )
    form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/replies",
        "reply",
        {
            "received_on": (SENT + timedelta(5)).isoformat(),
            "channel": "post",
            "outcome": "forwarded",
        },
    )
    with app.app_context():
        file_id = db.session.scalar(sa.select(TrackingFile.id))
        reply_id = db.session.scalar(sa.select(DispatchReply.id))
    logged_in.post("/logout")
    return {"letter": letter_id, "dispatch": dispatch_id, "file": file_id, "reply": reply_id}


GETS = [
    "/tracking/dispatches/{dispatch}",
    "/tracking/dispatches/{dispatch}/due",
    "/tracking/files/{file}",
    "/tracking/replies/{reply}/forward",
    "/tracking/letters/{letter}/dispatch",
]
POSTS = [
    (
        "/tracking/dispatches/{dispatch}/send",
        "send",
        {"method": "hand", "sent_on": SENT.isoformat()},
    ),
    ("/tracking/dispatches/{dispatch}/registration", "reg", {"registration_number": "8"}),
    ("/tracking/dispatches/{dispatch}/target", "target", {"target_days": "20"}),
    (
        "/tracking/dispatches/{dispatch}/extension",
        "ext",
        {"notice_on": SENT.isoformat(), "new_due_on": (SENT + timedelta(40)).isoformat()},
    ),
    (
        "/tracking/dispatches/{dispatch}/replies",
        "reply",
        {"received_on": SENT.isoformat(), "channel": "post", "outcome": "merits"},
    ),
    ("/tracking/dispatches/{dispatch}/files", "proof", {"proof": (io.BytesIO(PNG), "x.png")}),
    ("/tracking/dispatches/{dispatch}/recompute", None, {}),
    ("/tracking/dispatches/{dispatch}/close", None, {}),
    ("/tracking/dispatches/{dispatch}/follow-up", None, {}),
    (
        "/tracking/replies/{reply}/forward",
        None,
        {"authority": "ru-mvd", "sent_on": SENT.isoformat()},
    ),
    ("/tracking/letters/{letter}/dispatch", None, {"method": "hand", "sent_on": SENT.isoformat()}),
]


@pytest.mark.parametrize("url", GETS)
def test_another_groups_objects_do_not_exist_here(
    app: Flask, client: Client, factory: Any, theirs: dict[str, int], url: str
) -> None:
    login(client, factory.user(factory.group("Other group"), "coordinator"))
    assert client.get(url.format(**theirs)).status_code == 404


@pytest.mark.parametrize(("url", "prefix", "data"), POSTS)
def test_another_groups_objects_cannot_be_changed(
    app: Flask,
    client: Client,
    factory: Any,
    theirs: dict[str, int],
    url: str,
    prefix: str | None,
    data: dict[str, Any],
) -> None:
    login(client, factory.user(factory.group("Other group"), "coordinator"))
    before = load(app, theirs["dispatch"])
    fresh = {k: (io.BytesIO(PNG), "x.png") if k == "proof" else v for k, v in data.items()}
    response = form_post(client, url.format(**theirs), prefix, fresh)
    assert response.status_code == 404
    after = load(app, theirs["dispatch"])
    assert (after.state, after.due_on, after.registration_number, after.updated_at) == (
        before.state,
        before.due_on,
        before.registration_number,
        before.updated_at,
    )
    assert count(app, Dispatch) == 1 and count(app, TrackingFile) == 1


def test_another_groups_dispatches_are_not_listed(
    client: Client, factory: Any, theirs: dict[str, int]
) -> None:
    login(client, factory.user(factory.group("Other group"), "member"))
    for url in ("/tracking/", "/tracking/dispatches?view=all", "/tracking/authorities"):
        page = client.get(url).get_data(as_text=True)
        assert f'/tracking/dispatches/{theirs["dispatch"]}"' not in page
        assert "ru-minzdrav" not in page.split("<main", 1)[1].split("</form>", 1)[1]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, theirs: dict[str, int]) -> None:
    for url in (
        "/tracking/",
        f"/tracking/dispatches/{theirs['dispatch']}",
        f"/tracking/files/{theirs['file']}",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_members_record_but_only_coordinators_close_and_set_targets(
    app: Flask, member_client: Client, group_with_details: Any, letter_id: int
) -> None:
    dispatch_id = record(app, group_with_details, letter_id, sent_on=SENT)
    assert member_client.get(f"/tracking/dispatches/{dispatch_id}").status_code == 200
    assert member_client.get(f"/tracking/letters/{letter_id}/dispatch").status_code == 200
    assert member_client.post(f"/tracking/dispatches/{dispatch_id}/close").status_code == 403
    response = form_post(
        member_client, f"/tracking/dispatches/{dispatch_id}/target", "target", {"target_days": "9"}
    )
    assert response.status_code == 403
    assert member_client.post("/tracking/recompute").status_code == 403
    assert load(app, dispatch_id).state.value == "sent"
