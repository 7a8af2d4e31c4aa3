"""A campaign's progress bar: each target counted once, at the furthest step it reached."""

from __future__ import annotations

import html
import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.campaigns.progress import Progress, step_of
from letterkit.extensions import db
from letterkit.models import CampaignTarget, Dispatch, DispatchState, LetterStatus
from tests.campaigns.test_campaigns import campaign_id, examples  # noqa: F401 (a fixture)
from tests.conftest import Client

DAY = date(2026, 12, 1)


def _letter(status: LetterStatus) -> Any:
    return SimpleNamespace(is_final=status is LetterStatus.FINAL)


def _dispatch(sent_on: date | None, answered_on: date | None = None) -> Any:
    state = DispatchState.ANSWERED if answered_on else DispatchState.SENT
    return SimpleNamespace(sent_on=sent_on, answered_on=answered_on, state=state)


@pytest.mark.parametrize(
    ("letter", "dispatch", "step"),
    [
        (None, None, "none"),
        (_letter(LetterStatus.DRAFT), None, "drafted"),
        (_letter(LetterStatus.FINAL), None, "final"),
        (_letter(LetterStatus.FINAL), _dispatch(None), "final"),  # planned only
        (_letter(LetterStatus.FINAL), _dispatch(DAY), "sent"),
        (_letter(LetterStatus.FINAL), _dispatch(DAY, DAY), "answered"),
        (None, _dispatch(DAY), "sent"),  # the letter was deleted, the dispatch stays
    ],
)
def test_step_of(letter: Any, dispatch: Any, step: str) -> None:
    assert step_of(letter, dispatch) == step


def _bar_label(page: str) -> str:
    match = re.search(r'<svg class="progress-bar"[^>]*aria-label="([^"]*)"', page)
    assert match, "no progress bar"
    return html.unescape(match.group(1))


def test_the_campaign_page_shows_its_progress(
    app: Flask,
    examples: dict[str, int],  # noqa: F811
    client: Client,
) -> None:
    cid = campaign_id(examples, "2011")
    page = client.get(f"/campaigns/{cid}").get_data(as_text=True)
    assert _bar_label(page) == (
        "Of 8 targets: answered 0; sent, no answer yet 0; final, not sent 0; drafted 8; "
        "no letter yet 0."
    )
    assert client.post(f"/campaigns/{cid}/finalise").status_code == 302
    with app.app_context():
        ids = db.session.scalars(
            sa.select(CampaignTarget.dispatch_id)
            .where(CampaignTarget.campaign_id == cid)
            .order_by(CampaignTarget.position)
        ).all()
        db.session.execute(
            sa.update(Dispatch)
            .where(Dispatch.id.in_(ids[:3]))
            .values(sent_on=DAY, state=DispatchState.SENT)
        )
        db.session.execute(
            sa.update(Dispatch)
            .where(Dispatch.id == ids[0])
            .values(answered_on=DAY, state=DispatchState.ANSWERED, is_open=False)
        )
        db.session.commit()
    page = client.get(f"/campaigns/{cid}").get_data(as_text=True)
    assert _bar_label(page) == (
        "Of 8 targets: answered 1; sent, no answer yet 2; final, not sent 5; drafted 0; "
        "no letter yet 0."
    )
    widths = [
        float(w)
        for w in re.findall(r'<rect class="step-\w+" x="[\d.]+" y="0" width="([\d.]+)"', page)
    ]
    assert widths == pytest.approx([12.5, 25.0, 62.5])
    assert "Final, not sent: 5" in page  # the legend says it in words too


def test_progress_total() -> None:
    p = Progress(answered=1, sent=2, final=3, drafted=4, none=5)
    assert p.total == 15 and [n for _s, n in p.parts()] == [1, 2, 3, 4, 5]
