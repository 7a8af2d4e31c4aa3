"""One click for a campaign's follow-ups: a draft to every target whose reply is overdue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import (
    AuditEvent,
    Dispatch,
    DispatchMethod,
    Group,
    Letter,
    LetterStatus,
    ReplyChannel,
    ReplyOutcome,
    User,
)
from letterkit.models.campaigns import Campaign, CampaignTarget
from letterkit.tracking import operations as tracking
from tests.campaigns.test_campaigns import campaign_id
from tests.conftest import Client, count, login

TODAY = date.today()


@pytest.fixture
def examples(app: Flask, group_with_details: dict[str, Any], client: Client) -> dict[str, int]:
    """The 2011 and 2019 example campaigns, with the coordinator logged in."""
    login(client, group_with_details)
    assert client.post("/campaigns/examples").status_code == 302
    with app.app_context():
        return {c.name[:4]: c.id for c in db.session.scalars(sa.select(Campaign))}


LONG_AGO = TODAY - timedelta(days=60)


def targets(app: Flask, cid: int) -> list[CampaignTarget]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(CampaignTarget)
            .where(CampaignTarget.campaign_id == cid)
            .order_by(CampaignTarget.position)
        ).all()
        db.session.expunge_all()
        return list(found)


def set_up(app: Flask, person: dict[str, Any], cid: int) -> dict[str, str]:
    """Send the 2011 letters: four long ago (overdue), one two days ago, one answered, one
    closed, one still planned. Returns the expected fate per authority slug."""
    fates: dict[str, str] = {}
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        rows = db.session.scalars(
            sa.select(CampaignTarget)
            .where(CampaignTarget.campaign_id == cid)
            .order_by(CampaignTarget.position)
        ).all()
        for position, target in enumerate(rows):
            dispatch = db.session.get(Dispatch, target.dispatch_id)
            if position == 7:
                fates[target.authority_slug] = "planned"
                continue
            sent = TODAY - timedelta(days=2) if position == 4 else LONG_AGO
            tracking.mark_sent(dispatch, group, actor, method=DispatchMethod.HAND, sent_on=sent)
            fates[target.authority_slug] = "overdue"
            if position == 4:
                fates[target.authority_slug] = "not due"
            if position == 5:
                tracking.record_reply(
                    dispatch,
                    group,
                    actor,
                    received_on=LONG_AGO + timedelta(days=10),
                    channel=ReplyChannel.POST,
                    outcome=ReplyOutcome.MERITS,
                )
                fates[target.authority_slug] = "answered"
            if position == 6:
                tracking.close(dispatch, group, actor)
                fates[target.authority_slug] = "closed"
        db.session.commit()
    return fates


def test_write_follow_ups_to_every_overdue_target_once(
    app: Flask,
    examples: dict[str, int],
    client: Client,
    group_with_details: dict[str, Any],
) -> None:
    cid = campaign_id(examples, "2011")
    assert client.post(f"/campaigns/{cid}/finalise").status_code == 302
    fates = set_up(app, group_with_details, cid)
    page = client.get(f"/campaigns/{cid}").get_data(as_text=True)
    assert "Targets whose reply is overdue now: 4." in page

    response = client.post(f"/campaigns/{cid}/follow-ups", follow_redirects=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Follow-ups written: 4." in text
    assert "Skipped (1), its reply is not due yet:" in text
    assert "Skipped (1), the authority answered:" in text
    assert "Skipped (1), its tracking was closed:" in text
    assert "Skipped (1), its letter has not been sent yet:" in text

    written = {t.authority_slug: t.follow_up_letter_id for t in targets(app, cid)}
    with app.app_context():
        for target in targets(app, cid):
            letter_id = written[target.authority_slug]
            if fates[target.authority_slug] != "overdue":
                assert letter_id is None
                continue
            draft = db.session.get(Letter, letter_id)
            first = db.session.get(Letter, target.letter_id)
            # the same draft as the dispatch page's single follow-up: its language, its citation
            assert draft.template == "follow-up" and draft.status is LetterStatus.DRAFT
            assert (draft.authority_slug, draft.language) == (target.authority_slug, "en")
            assert draft.fields["first_letter_reference"] == first.reference
            assert draft.fields["due_date"] and draft.fields["article"]
            assert f'href="/letters/{letter_id}"' in text
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "dispatch.follow_up_created")
        ).all()
        assert len(events) == 4

    # A second click writes none twice.
    letters = count(app, Letter)
    again = client.post(f"/campaigns/{cid}/follow-ups", follow_redirects=True)
    assert "Follow-ups written: 0." in again.get_data(as_text=True)
    assert "Skipped (4), a follow-up was already written:" in again.get_data(as_text=True)
    assert count(app, Letter) == letters
    assert {t.authority_slug: t.follow_up_letter_id for t in targets(app, cid)} == written


def test_a_deleted_follow_up_draft_can_be_written_again(
    app: Flask,
    examples: dict[str, int],
    client: Client,
    group_with_details: dict[str, Any],
) -> None:
    cid = campaign_id(examples, "2011")
    client.post(f"/campaigns/{cid}/finalise")
    set_up(app, group_with_details, cid)
    client.post(f"/campaigns/{cid}/follow-ups")
    first = next(t for t in targets(app, cid) if t.follow_up_letter_id)
    assert client.post(f"/letters/{first.follow_up_letter_id}/delete").status_code in (302, 303)
    response = client.post(f"/campaigns/{cid}/follow-ups", follow_redirects=True)
    assert "Follow-ups written: 1." in response.get_data(as_text=True)


def test_follow_ups_need_a_csrf_token_and_a_coordinator(
    app: Flask,
    examples: dict[str, int],
    client: Client,
    group_with_details: dict[str, Any],
    factory: Any,
) -> None:
    cid = campaign_id(examples, "2011")
    client.post(f"/campaigns/{cid}/finalise")
    set_up(app, group_with_details, cid)
    letters = count(app, Letter)
    assert client.post(f"/campaigns/{cid}/follow-ups", csrf=False).status_code == 400
    member = factory.user(group_with_details["group_id"], "member")
    client.post("/logout")
    login(client, member)
    assert client.post(f"/campaigns/{cid}/follow-ups").status_code == 403
    stranger = factory.user(factory.group(), "coordinator")
    client.post("/logout")
    login(client, stranger)
    assert client.post(f"/campaigns/{cid}/follow-ups").status_code == 404
    assert count(app, Letter) == letters
