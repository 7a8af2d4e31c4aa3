"""A dispatch through its life over HTTP: recorded, registered, extended, answered, closed."""

from __future__ import annotations

import io
import re
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
    DispatchReply,
    DispatchState,
    TrackingFile,
)
from letterkit.models.tracking import TRANSITIONS
from letterkit.tracking import operations as ops
from tests.conftest import Client, count
from tests.tracking.conftest import PDF, PNG, final_letter, form_post, load, record

TODAY = date.today()
SENT = TODAY - timedelta(days=150)


def _new(client: Client, letter_id: int, **data: Any) -> Any:
    values = {"method": "hand", "sent_on": SENT.isoformat()}
    values.update(data)
    return client.post(f"/tracking/letters/{letter_id}/dispatch", data=values)


def test_a_dispatch_through_its_life(
    app: Flask, logged_in: Client, letter_id: int, group_with_details: dict[str, Any]
) -> None:
    page = logged_in.get(f"/tracking/letters/{letter_id}/dispatch")
    assert page.status_code == 200
    assert "Incoming registration number" in page.get_data(as_text=True)

    registered = SENT + timedelta(days=1)
    response = _new(
        logged_in,
        letter_id,
        registration_number="12-3/456",
        registered_on=registered.isoformat(),
        handed_by_id=str(group_with_details["id"]),
        proof=(io.BytesIO(PNG), "stamp.png"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    dispatch_id = int(response.headers["Location"].rsplit("/", 1)[1])

    expected = deadlines.compute_due("RU", SENT, registered_on=registered)
    d = load(app, dispatch_id)
    assert d.state is DispatchState.REGISTERED and d.is_open
    assert d.due_on == expected.due == registered + timedelta(days=30)
    assert d.rule_id == "ru-59fz" and d.due_kind == "statutory" and not d.due_estimate
    assert d.rules_version == expected.rules_version
    assert d.holidays_version == expected.holidays_version
    assert d.due_explanation == expected.to_dict()
    assert d.very_overdue_on == registered + timedelta(days=60)
    assert d.delivered_on == SENT  # handed in person: received the same day
    assert [(f.kind.value, f.content_type) for f in d.files] == [("proof", "image/png")]

    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    english = deadlines.Speech(locale="en")
    assert deadlines.format_day(expected.due, english) in page
    assert f"/tracking/dispatches/{dispatch_id}/due" in page
    explanation = logged_in.get(f"/tracking/dispatches/{dispatch_id}/due").get_data(as_text=True)
    for sentence in deadlines.explain(expected, english):
        assert sentence.split(" (")[0].replace("'", "&#39;") in explanation

    # The authority extends the term within what the law allows (Art. 12(2): 30 more days).
    extended = expected.due + timedelta(days=20)
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/extension",
        "ext",
        {"notice_on": (expected.due - timedelta(days=2)).isoformat(), "new_due_on": extended},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    d = load(app, dispatch_id)
    assert d.state is DispatchState.EXTENDED and d.due_on == extended
    assert [(e.new_due_on) for e in d.extensions] == [extended]
    assert d.due_explanation["due"] == extended.isoformat()

    # More than the law allows is refused, with the latest possible date, and changes nothing.
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/extension",
        "ext",
        {"notice_on": extended.isoformat(), "new_due_on": expected.due + timedelta(days=45)},
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "goes beyond what the law allows" in text
    assert (expected.due + timedelta(days=30)).isoformat() in text
    assert count(app, DispatchExtension) == 1 and load(app, dispatch_id).due_on == extended

    # A reply on the merits, with its scan.
    answered = registered + timedelta(days=40)
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/replies",
        "reply",
        {
            "received_on": answered.isoformat(),
            "channel": "post",
            "outcome": "merits",
            "summary": "The ministry describes its OST pilot.",
            "scan": (io.BytesIO(PDF), "reply.pdf"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    d = load(app, dispatch_id)
    assert d.state is DispatchState.ANSWERED and not d.is_open
    assert d.answered_on == answered and d.days_to_answer == (answered - SENT).days
    assert d.outcome.value == "merits"
    assert sorted(f.kind.value for f in d.files) == ["proof", "reply"]

    response = logged_in.post(f"/tracking/dispatches/{dispatch_id}/close")
    assert response.status_code == 302
    assert load(app, dispatch_id).state is DispatchState.CLOSED

    # A closed dispatch takes no more replies.
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/replies",
        "reply",
        {"received_on": TODAY.isoformat(), "channel": "post", "outcome": "formal"},
    )
    assert response.status_code == 422
    assert "while the dispatch is “Closed”" in response.get_data(as_text=True)
    assert count(app, DispatchReply) == 1

    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.object_type.in_(["dispatch", "dispatchreply", "trackingfile"]))
            .order_by(AuditEvent.id)
        ).all()
    actions = [action for action, _ in events]
    assert actions[0] == "dispatch.recorded"
    assert [d["after"] for a, d in events if a == "dispatch.state_changed"] == [
        "extended",
        "answered",
        "closed",
    ]
    assert {"dispatch.extended", "reply.recorded", "tracking_file.added"} <= set(actions)
    flat = repr([details for _, details in events])
    assert "12-3/456" not in flat and "OST" not in flat and "Anna" not in flat


def test_registration_entered_later_recomputes_the_due_date(
    app: Flask, logged_in: Client, letter_id: int
) -> None:
    response = _new(logged_in, letter_id, method="registered_post")
    dispatch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    d = load(app, dispatch_id)
    assert d.state is DispatchState.SENT and d.due_estimate
    estimate = deadlines.compute_due("RU", SENT)
    assert d.due_on == estimate.due  # receipt unknown, registration assumed 3 days later

    delivered, registered = SENT + timedelta(days=6), SENT + timedelta(days=8)
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/registration",
        "reg",
        {
            "delivered_on": delivered.isoformat(),
            "registration_number": "Вх-77",
            "registered_on": registered.isoformat(),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    d = load(app, dispatch_id)
    exact = deadlines.compute_due("RU", delivered, registered_on=registered)
    assert d.state is DispatchState.REGISTERED and not d.due_estimate
    assert d.due_on == exact.due == registered + timedelta(days=30)
    assert d.registration_number == "Вх-77"


def test_planned_then_sent(app: Flask, logged_in: Client, letter_id: int) -> None:
    response = _new(
        logged_in, letter_id, sent_on="", planned="y", planned_on=(TODAY + timedelta(5)).isoformat()
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    dispatch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    d = load(app, dispatch_id)
    assert d.state is DispatchState.PLANNED and d.due_on is None and not d.is_open
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/send",
        "send",
        {"method": "email", "sent_on": TODAY.isoformat()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    d = load(app, dispatch_id)
    assert d.state is DispatchState.SENT and d.is_open and d.delivered_on == TODAY
    assert d.due_on == deadlines.compute_due("RU", TODAY).due


def test_an_acknowledgement_does_not_answer(app: Flask, logged_in: Client, letter_id: int) -> None:
    dispatch_id = int(_new(logged_in, letter_id).headers["Location"].rsplit("/", 1)[1])
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/replies",
        "reply",
        {
            "received_on": (SENT + timedelta(3)).isoformat(),
            "channel": "email",
            "outcome": "acknowledgement",
        },
    )
    assert response.status_code == 302
    d = load(app, dispatch_id)
    assert d.state is DispatchState.SENT and d.is_open and d.answered_on is None


def test_a_forwarded_letter_starts_a_dispatch_to_the_other_body(
    app: Flask, logged_in: Client, letter_id: int
) -> None:
    dispatch_id = int(_new(logged_in, letter_id).headers["Location"].rsplit("/", 1)[1])
    forwarded = SENT + timedelta(days=10)
    form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/replies",
        "reply",
        {"received_on": forwarded.isoformat(), "channel": "post", "outcome": "forwarded"},
    )
    with app.app_context():
        reply_id = db.session.scalar(sa.select(DispatchReply.id))
    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    assert f"/tracking/replies/{reply_id}/forward" in page
    form = logged_in.get(f"/tracking/replies/{reply_id}/forward")
    assert form.status_code == 200 and "ru-mvd" in form.get_data(as_text=True)
    response = logged_in.post(
        f"/tracking/replies/{reply_id}/forward",
        data={"authority": "ru-mvd", "sent_on": forwarded.isoformat()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    new = load(app, new_id)
    assert new.authority_slug == "ru-mvd" and new.forwarded_from_id == dispatch_id
    assert new.method.value == "forwarded" and new.letter_id == letter_id
    assert new.due_on == deadlines.compute_due("RU", forwarded).due
    assert load(app, dispatch_id).state is DispatchState.ANSWERED


def test_a_target_where_the_law_sets_no_term(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any]
) -> None:
    letter_id = final_letter(
        app,
        group_with_details,
        authority="eu-parliament-petitions",
        language="en",
        fields={"subject": "Harm reduction in EU drug policy"},
    )
    dispatch_id = int(
        _new(logged_in, letter_id, method="portal").headers["Location"].rsplit("/", 1)[1]
    )
    d = load(app, dispatch_id)
    assert d.due_kind == "no_term" and d.due_on is None and d.rule_id == "eu-peti"
    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    assert "No statutory term for a reply" in page

    response = form_post(
        logged_in, f"/tracking/dispatches/{dispatch_id}/target", "target", {"target_days": "60"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    d = load(app, dispatch_id)
    assert d.due_kind == "target" and d.target_days == 60
    assert d.due_on == deadlines.compute_target("EU", SENT, 60).due == SENT + timedelta(60)
    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    assert "60 calendar days" in page and "(calendar days)" not in page

    # An extension applies to legal terms only.
    response = form_post(
        logged_in,
        f"/tracking/dispatches/{dispatch_id}/extension",
        "ext",
        {"notice_on": SENT.isoformat(), "new_due_on": (SENT + timedelta(90)).isoformat()},
    )
    assert response.status_code == 422
    assert "Only a statutory deadline can be extended" in response.get_data(as_text=True)


def test_a_target_is_refused_where_the_law_sets_a_term(
    app: Flask, logged_in: Client, letter_id: int
) -> None:
    response = _new(logged_in, letter_id, target_days="10")
    assert response.status_code == 422
    assert "a coordinator target is only for cases without a statutory term" in response.get_data(
        as_text=True
    )
    assert count(app, Dispatch) == 0


def test_refused_at_the_door_has_no_due_date(app: Flask, logged_in: Client, letter_id: int) -> None:
    dispatch_id = int(
        _new(logged_in, letter_id, method="refused").headers["Location"].rsplit("/", 1)[1]
    )
    d = load(app, dispatch_id)
    assert d.due_on is None and d.state is DispatchState.SENT
    page = logged_in.get(f"/tracking/dispatches/{dispatch_id}").get_data(as_text=True)
    assert "Refused at the door: no reply is due" in page


def test_only_final_letters_are_dispatched(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any]
) -> None:
    from tests.compose.conftest import make_draft

    draft = make_draft(app, group_with_details)
    assert logged_in.get(f"/tracking/letters/{draft}/dispatch").status_code == 400
    assert _new(logged_in, draft).status_code == 400
    assert count(app, Dispatch) == 0


@pytest.mark.parametrize(
    ("state", "allowed"),
    [
        (DispatchState.PLANNED, {"sent", "closed"}),
        (DispatchState.SENT, {"registered", "extended", "answered", "closed"}),
        (DispatchState.ANSWERED, {"answered", "closed"}),
        (DispatchState.CLOSED, set()),
    ],
)
def test_the_state_machine(state: DispatchState, allowed: set[str]) -> None:
    assert {s.value for s in TRANSITIONS[state]} == allowed


def test_stale_due_dates_are_recomputed_on_request(
    app: Flask, logged_in: Client, letter_id: int, group_with_details: dict[str, Any], runner: Any
) -> None:
    ids = [record(app, group_with_details, letter_id, sent_on=SENT) for _ in range(3)]
    with app.app_context():
        db.session.execute(
            sa.update(Dispatch)
            .where(Dispatch.id.in_(ids[:2]))
            .values(rules_version="000000000000", due_on=SENT)
        )
        db.session.commit()
    page = logged_in.get("/tracking/").get_data(as_text=True)
    assert "Due dates computed with older reply rules or holiday calendars: 2." in page
    response = logged_in.post("/tracking/recompute")
    assert response.status_code == 302
    expected = deadlines.compute_due("RU", SENT)
    for dispatch_id in ids:
        d = load(app, dispatch_id)
        assert d.rules_version == expected.rules_version and d.due_on == expected.due
    assert "computed with older reply rules" not in logged_in.get("/tracking/").get_data(
        as_text=True
    )

    with app.app_context():
        db.session.execute(sa.update(Dispatch).values(holidays_version="0.1"))
        db.session.commit()
    result = runner.invoke(args=["letterkit", "recompute-due", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "Recomputed 3 due dates; 0 changed." in result.output
    assert {load(app, i).holidays_version for i in ids} == {expected.holidays_version}


def test_one_dispatch_is_recomputed_by_its_button(
    app: Flask, logged_in: Client, letter_id: int, group_with_details: dict[str, Any]
) -> None:
    dispatch_id = record(app, group_with_details, letter_id, sent_on=SENT)
    with app.app_context():
        db.session.execute(sa.update(Dispatch).values(due_on=SENT, rules_version="old"))
        db.session.commit()
    response = logged_in.post(f"/tracking/dispatches/{dispatch_id}/recompute")
    assert response.status_code == 302
    assert load(app, dispatch_id).due_on == deadlines.compute_due("RU", SENT).due
    assert count(app, TrackingFile) == 0


def test_proceeding_kinds_are_those_of_the_authoritys_country(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any]
) -> None:
    """A Moldovan authority is offered no kind of another country's rules, and one posted anyway
    is refused with nothing stored; a Russian one gets Russia's own kind."""
    md_letter = final_letter(
        app, group_with_details, authority="md-parliament", language="en", fields={"subject": "S"}
    )
    page = logged_in.get(f"/tracking/letters/{md_letter}/dispatch").get_data(as_text=True)
    assert 'name="proceeding_kind"' not in page
    before = count(app, Dispatch)
    response = form_post(
        logged_in,
        f"/tracking/letters/{md_letter}/dispatch",
        None,
        {"method": "hand", "sent_on": TODAY.isoformat(), "proceeding_kind": "house-petition"},
    )
    assert response.status_code == 422
    assert count(app, Dispatch) == before
    ru_letter = final_letter(app, group_with_details)
    page = logged_in.get(f"/tracking/letters/{ru_letter}/dispatch").get_data(as_text=True)
    kinds = re.findall(
        r'<option[^>]* value="([^"]*)"',
        page.split('name="proceeding_kind"')[1].split("</select>")[0],
    )
    assert kinds == ["", "regional-head-migration"]


def test_a_kind_without_a_rule_in_the_country_is_refused_by_the_operation(
    app: Flask, group_with_details: dict[str, Any]
) -> None:
    md_letter = final_letter(
        app, group_with_details, authority="md-parliament", language="en", fields={"subject": "S"}
    )
    with pytest.raises(ops.TrackingError):
        record(
            app, group_with_details, md_letter, sent_on=TODAY, proceeding_kind="administrative-act"
        )
    assert deadlines.load_rules().kinds_for("GE") == {
        "administrative-act": "Application for an administrative act",
        "administrative-complaint": "Administrative complaint",
    }
    assert deadlines.load_rules().kinds_for("XX") == {}
