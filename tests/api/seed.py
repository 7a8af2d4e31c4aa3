"""A group with one object of every kind the API names, made through the domain operations, and
a snapshot of a group's rows to tell whether anything of it changed.

Used by the live-server fuzzing (``test_schemathesis.py``) and the cross-group isolation test
(``test_isolation.py``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import (
    AuditEvent,
    Campaign,
    CampaignTarget,
    Dispatch,
    DispatchExtension,
    DispatchReply,
    Group,
    GroupAuthority,
    Letter,
    Petition,
    ReplyChannel,
    ReplyOutcome,
    User,
)
from tests.conftest import login
from tests.petitions.helpers import make_signon_draft, open_petition
from tests.tracking.conftest import final_letter, record

#: the group's own authority (a local dispensary), as tests/directory adds one by its form
DISPENSARY = {
    "country": "RU",
    "kind": "local-health",
    "language": "ru",
    "name": "ГБУЗ «Наркологический диспансер № 1»",
    "addressee_ru": "Главному врачу ГБУЗ «Наркологический диспансер № 1»",
    "salutation_ru": "Уважаемый главный врач!",
    "city": "Оренбург",
}

#: the rows of a group that no request of another group may change
GROUP_ROWS = (
    Letter,
    Dispatch,
    DispatchReply,
    DispatchExtension,
    Campaign,
    CampaignTarget,
    Petition,
    GroupAuthority,
    AuditEvent,
)


def own_authority(app: Flask, person: dict[str, Any]) -> str:
    """Add the group's own authority through the catalogue form; return its slug."""
    client = app.test_client()
    login(client, person)  # type: ignore[arg-type]
    response = client.post("/catalogue/authorities/new", data=DISPENSARY)
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"].rsplit("/", 1)[1])


def _tracking(app: Flask, person: dict[str, Any], letter: int) -> dict[str, Any]:
    """A dispatch of ``letter`` whose term was extended and which got a (formal) reply."""
    from letterkit.tracking.operations import dispatches, replies

    today = date.today()
    sent = today - timedelta(days=20)
    dispatch_id = record(
        app, person, letter, sent_on=sent, registered_on=sent, registration_number="17"
    )
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        dispatch = db.session.get(Dispatch, dispatch_id)
        assert dispatch is not None and dispatch.due_on is not None
        extension = dispatches.record_extension(
            dispatch,
            group,
            actor,
            notice_on=today - timedelta(days=1),
            new_due_on=dispatch.due_on + timedelta(days=20),
        )
        reply = replies.record_reply(
            dispatch,
            group,
            actor,
            received_on=today,
            channel=ReplyChannel.POST,
            outcome=ReplyOutcome.FORMAL,
            summary="We have registered your letter.",
        )
        db.session.commit()
        return {
            "dispatch_id": dispatch.public_id,
            "extension_id": extension.public_id,
            "reply_id": reply.public_id,
        }


def seed_group(app: Flask, person: dict[str, Any]) -> dict[str, list[str]]:
    """Give the person's group (which has its details) a draft and a final letter, a dispatch
    with an extension and a reply, a campaign with two targets and their drafts, a petition and
    an authority of its own.

    Returns the public names of what was made, by the API's path parameter name."""
    from letterkit.campaigns import operations as campaigns
    from letterkit.services import drafts

    final = final_letter(app, person)
    tracked = _tracking(app, person, final)
    signon = make_signon_draft(app, person)
    _petition_id, code = open_petition(app, person, signon)
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        draft = drafts.create_draft(
            group,
            actor,
            template="appeal",
            language="en",
            authority_slug="ua-moz",
            demand_slugs=[],
            paragraphs=[],
            fields={"subject": "Naloxone for everyone"},
        )
        campaign = campaigns.create_campaign(
            group, actor, name="Support, don't punish", template="appeal"
        )
        campaigns.add_targets(campaign, group, actor, ["ru-minzdrav", "ua-moz"])
        for language in campaigns.languages_of(campaign):
            campaigns.set_fields(campaign, group, actor, language, {"subject": "Naloxone"})
        campaigns.generate_letters(campaign, group, actor)  # its ZIP and DOCX can be read
        db.session.commit()
        letter_ids = [
            db.session.get(Letter, row).public_id  # type: ignore[union-attr]
            for row in (final, signon)
        ] + [draft.public_id]
        campaign_id = campaign.public_id
    return {
        "letter_id": letter_ids,
        "dispatch_id": [tracked["dispatch_id"]],
        "reply_id": [tracked["reply_id"]],
        "extension_id": [tracked["extension_id"]],
        "campaign_id": [campaign_id],
        "petition_code": [code],
        "slug": [own_authority(app, person)],
    }


def snapshot(app: Flask, group_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the group in the tables the API reaches, column by column."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with app.app_context():
        for model in GROUP_ROWS:
            table = model.__table__
            rows = db.session.execute(
                sa.select(table).where(table.c.group_id == group_id).order_by(table.c.id)
            )
            found[table.name] = [tuple(row) for row in rows]
    return found
