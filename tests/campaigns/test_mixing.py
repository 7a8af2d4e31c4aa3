"""A campaign lists, per target, the printed parts not in its letter's language, and finalising
its letters needs the same explicit confirmation as one letter (422 without, nothing changed)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Campaign, CampaignTarget, Group, Letter, LetterStatus
from tests.campaigns.test_campaigns import campaign_id, examples  # noqa: F401 (fixture)
from tests.conftest import Client


def _statuses(app: Flask, cid: int) -> set[LetterStatus]:
    with app.app_context():
        return set(
            db.session.scalars(
                sa.select(Letter.status)
                .join(CampaignTarget, CampaignTarget.letter_id == Letter.id)
                .where(CampaignTarget.campaign_id == cid)
            )
        )


def test_the_2011_letters_without_a_latin_signer_are_listed_and_confirmed(
    app: Flask,
    examples: dict[str, int],  # noqa: F811 (the fixture imported above)
    client: Client,
    group_with_details: dict[str, Any],
) -> None:
    cid = campaign_id(examples, "2011")
    with app.app_context():
        group = db.session.get(Group, group_with_details["group_id"])
        group.name_form("Latn").signer_name = ""  # only the Cyrillic signer is left
        db.session.commit()
        targets = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CampaignTarget)
            .where(CampaignTarget.campaign_id == cid)
        )
    page = client.get(f"/campaigns/{cid}").get_data(as_text=True)
    assert page.count("Signer&#39;s name: printed in Cyrillic script") == targets
    assert 'name="confirm_mixed"' in page

    refused = client.post(f"/campaigns/{cid}/finalise")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert 'id="finalise-error"' in page and "Signer&#39;s name: printed in Cyrillic" in page
    assert _statuses(app, cid) == {LetterStatus.DRAFT}

    done = client.post(f"/campaigns/{cid}/finalise", data={"confirm_mixed": "1"})
    assert done.status_code == 302
    assert _statuses(app, cid) == {LetterStatus.FINAL}
    page = client.get(f"/campaigns/{cid}").get_data(as_text=True)
    assert "mixed-parts" not in page  # final letters are as issued: nothing left to confirm
    with app.app_context():
        assert db.session.get(Campaign, cid) is not None
