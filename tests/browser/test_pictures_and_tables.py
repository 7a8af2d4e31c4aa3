"""The dashboard's calendar and a campaign's progress bar in a real browser; and no table on a
main page breaks a word inside, nor makes the page wider than the screen, at 390 and 1280 px."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Campaign, CampaignTarget, Dispatch, DispatchState
from tests.browser.conftest import shot
from tests.browser.test_compose import log_in
from tests.petitions.helpers import make_signon_draft, prepare_group
from tests.tracking.conftest import final_letter, record

pytestmark = pytest.mark.browser

TODAY = date.today()

# Every word of every table cell of the main content, measured where it is rendered: a word whose
# characters stand on two lines was broken inside (a break right after a hyphen is a hyphen's).
BROKEN_WORDS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".visually-hidden")) continue;
      const text = node.textContent;
      for (const match of text.matchAll(/\\S+/g)) {
        let top = null;
        for (let i = 0; i < match[0].length; i++) {
          const range = document.createRange();
          range.setStart(node, match.index + i);
          range.setEnd(node, match.index + i + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          if (top !== null && rect.top > top + 2 && !/[-\u2010\u2011\u2013\u2014]/.test(match[0][i - 1])) {
            broken.push(match[0]);
            break;
          }
          top = rect.top;
        }
      }
    }
  }
  return broken;
}
"""


def _campaign(app: Flask, page: Any, server: str) -> int:
    """The 2011 example campaign, finalised, one target sent and one answered."""
    page.goto(server + "/campaigns/")
    page.get_by_role("button", name=re.compile("example", re.I)).first.click()
    with app.app_context():
        cid = db.session.scalar(sa.select(Campaign.id).where(Campaign.name.like("World%")))
    page.goto(f"{server}/campaigns/{cid}")
    page.get_by_role("button", name=re.compile("Finalise the")).click()
    page.wait_for_url(re.compile(rf".*/campaigns/{cid}$"))
    with app.app_context():
        ids = db.session.scalars(
            sa.select(CampaignTarget.dispatch_id)
            .where(CampaignTarget.campaign_id == cid)
            .order_by(CampaignTarget.position)
        ).all()
        db.session.execute(
            sa.update(Dispatch)
            .where(Dispatch.id.in_(ids[:2]))
            .values(sent_on=TODAY, state=DispatchState.SENT)
        )
        db.session.execute(
            sa.update(Dispatch)
            .where(Dispatch.id == ids[0])
            .values(answered_on=TODAY, state=DispatchState.ANSWERED, is_open=False)
        )
        db.session.commit()
    page.goto(f"{server}/campaigns/{cid}")
    return cid


PASSPHRASE = "a long passphrase for the tables test"


def _petition_with_a_signature(app: Flask, page: Any, server: str, person: dict) -> str:
    """Open a sign-on draft for signatures, sign it once as a supporter; the moderation page."""
    letter_id = make_signon_draft(app, person)
    with app.app_context():  # the group's key for signers' data: petitions need it to open
        from letterkit.models import Group, User
        from letterkit.petitions import keys

        group = db.session.get(Group, person["group_id"])
        keys.create_key(group, db.session.get(User, person["id"]), PASSPHRASE, PASSPHRASE)
        db.session.commit()
    page.goto(server + "/petitions")
    page.locator(f"a[href='/petitions/new/{letter_id}']").click()
    page.get_by_role("button", name="Open for signatures").click()
    page.wait_for_url(re.compile(r".*/petitions/\d+$"))
    petition = page.url
    public = page.locator("#public-link").input_value()
    context = page.context.browser.new_context()
    try:
        supporter = context.new_page()
        supporter.goto(public)
        supporter.locator("input[name=name]").fill("Organisation for Harm Reduction Research")
        supporter.locator("input[name=city]").fill("Chișinău")
        supporter.locator("select[name=country]").select_option("MD")
        supporter.locator("input[name=display][value=full]").check()
        supporter.locator("input[name=consent]").check()
        supporter.locator("form.sign button[type=submit]").click()
        supporter.wait_for_url(public + "/thanks")
    finally:
        context.close()
    return petition + "/signatures"


def test_calendar_and_progress_bar(
    app: Flask, page: Any, live_server: str, group_with_details: dict[str, Any]
) -> None:
    person = group_with_details
    letter = final_letter(app, person)
    first = TODAY.replace(day=1)
    due_day = first + timedelta(days=19)  # the 20th of this month
    # Due on the 20th (registered 30 days before): the engine's own due date.
    for _ in range(2):
        record(
            app,
            person,
            letter,
            sent_on=due_day - timedelta(days=30),
            registered_on=due_day - timedelta(days=30),
            registration_number="1",
        )
    with app.app_context():
        days = db.session.scalars(sa.select(Dispatch.due_on).where(Dispatch.is_open)).all()
    expected = {
        d: days.count(d) for d in days if d and d.year == TODAY.year and d.month == TODAY.month
    }
    log_in(page, live_server, person)
    page.goto(live_server + "/tracking/")
    calendar = page.locator("table.due-calendar")
    calendar.scroll_into_view_if_needed()
    assert calendar.is_visible()
    assert calendar.locator("caption").text_content().startswith("Open dispatches due each day")
    assert calendar.locator("thead th").count() == 7
    for day, n in expected.items():
        cell = calendar.locator("td").filter(
            has=page.locator(f"span.day-number:text-is('{day.day}')")
        )
        assert f"{n} due" in cell.inner_text()
        assert (cell.locator(".overdue-mark").count() == 1) is (day < TODAY)
    shot(page, "dashboard-calendar-390")
    earliest = min(expected)
    calendar.locator("a.due-count").first.click()
    assert page.url.endswith("due=" + earliest.isoformat())
    assert page.locator("table.dispatches tbody tr").count() == expected[earliest]
    page.goto(live_server + "/tracking/")
    page.get_by_role("link", name="Next month").click()
    assert "month=" in page.url and page.locator("table.due-calendar").is_visible()

    cid = _campaign(app, page, live_server)
    bar = page.locator("svg.progress-bar")
    assert bar.is_visible()
    label = bar.get_attribute("aria-label")
    assert label == (
        "Of 8 targets: answered 1; sent, no answer yet 1; final, not sent 6; drafted 0; "
        "no letter yet 0."
    )
    assert bar.locator("title").text_content() == label
    widths = [float(r.get_attribute("width")) for r in bar.locator("rect").all()]
    assert widths == pytest.approx([12.5, 12.5, 75.0])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"campaign-progress-{cid}")


def test_tables_break_no_word_and_fit_the_screen(
    app: Flask, page: Any, live_server: str, group_with_details: dict[str, Any]
) -> None:
    person = group_with_details
    prepare_group(app, person["group_id"])
    letter = final_letter(app, person)
    record(app, person, letter, sent_on=TODAY - timedelta(days=40))
    log_in(page, live_server, person)
    cid = _campaign(app, page, live_server)
    moderation = _petition_with_a_signature(app, page, live_server, person)
    pages = [
        f"/campaigns/{cid}",
        moderation.removeprefix(live_server),
        "/tracking/",
        "/tracking/dispatches?view=all",
        "/tracking/authorities",
        "/letters/",
        "/petitions",
    ]
    problems = []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            page.goto(live_server + path)
            assert page.locator("main table").count(), path
            broken = page.evaluate(BROKEN_WORDS)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if broken or scroll > width:
                problems.append((width, path, scroll, broken[:5], page.evaluate(WIDEST)))
                shot(page, f"tables-{width}-{path.strip('/').replace('/', '-') or 'home'}")
    assert not problems, problems


WIDEST = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5)
    .slice(0, 8)
    .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
}
"""
