"""A coordinator writes a campaign's follow-ups with one click, in the browser, without script."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models.campaigns import Campaign
from tests.browser.conftest import shot
from tests.browser.test_compose import log_in
from tests.campaigns.test_follow_ups import set_up

pytestmark = pytest.mark.browser


def test_write_a_campaigns_follow_ups(
    page: Any, live_server: str, app: Flask, group_with_details: dict[str, Any]
) -> None:
    log_in(page, live_server, group_with_details)
    page.goto(live_server + "/campaigns/")
    page.get_by_role("button", name=re.compile("example")).click()
    with app.app_context():
        cid = db.session.scalar(sa.select(Campaign.id).where(Campaign.name.like("World%")))
    page.goto(f"{live_server}/campaigns/{cid}")
    page.get_by_role("button", name=re.compile("Finalise the")).click()
    set_up(app, group_with_details, cid)
    page.goto(f"{live_server}/campaigns/{cid}")
    page.get_by_role("button", name="Write follow-ups").click()
    page.wait_for_url(re.compile(rf".*/campaigns/{cid}#follow-ups$"))
    assert page.get_by_text("Follow-ups written: 4.").count() == 1
    assert page.get_by_text(re.compile(r"Skipped \(1\), its reply is not due yet")).count() == 1
    links = page.locator("a.follow-up")
    assert links.count() == 4
    shot(page, "campaign-follow-ups")
    # The button is off once every overdue target has its follow-up.
    assert page.get_by_role("button", name="Write follow-ups").is_disabled()
    links.first.click()
    page.wait_for_url(re.compile(r".*/letters/\d+$"))
    # The follow-up is a draft to the same embassy, to check and finalise.
    assert (
        page.get_by_role("heading", name=re.compile("^Draft: Embassy of the Russian")).count() == 1
    )
