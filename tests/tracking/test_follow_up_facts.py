"""Follow-ups state recorded facts (#12): the day the letter was sent, not the date it bears;
what the rule leaves unverified is the group's reckoning, in every letter language; a dispatch
dated before its letter is refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Dispatch, Group, Letter, User
from letterkit.services import letters
from letterkit.tracking import operations as ops
from tests.conftest import Client, count
from tests.tracking.conftest import final_letter, load, record

TODAY = date.today()
HEDGES = {"ru": "По нашему расчёту, срок", "en": "By our reckoning, a reply was due", "uk": ""}
PLAIN = {"ru": "Срок рассмотрения обращения установлен законом", "en": "Under "}
SUBJECTS = {"ru": "О наркополитике", "en": "Drug policy", "uk": "Щодо наркополітики"}


def _follow_up_text(app: Flask, client: Client, person: dict[str, Any], dispatch_id: int) -> str:
    assert client.post(f"/tracking/dispatches/{dispatch_id}/follow-up").status_code == 302
    with app.test_request_context():
        draft = db.session.scalar(
            sa.select(Letter).where(Letter.template == "follow-up").order_by(Letter.id.desc())
        )
        built = letters.build(draft, db.session.get(Group, person["group_id"]))
        return " ".join(built.paragraphs)


def _overdue(
    app: Flask, person: dict[str, Any], authority: str, lang: str, sent: date, **kw: Any
) -> int:
    letter_id = final_letter(
        app, person, authority=authority, language=lang, fields={"subject": SUBJECTS[lang]}
    )
    return record(app, person, letter_id, sent_on=sent, **kw)


def _weekday_due(wanted_off: bool) -> date:
    """A registration day long enough ago whose 30-day term ends on a weekend (or not)."""
    day = TODAY - timedelta(days=60)
    while ((day + timedelta(days=30)).weekday() >= 5) != wanted_off:
        day -= timedelta(days=1)
    return day


def test_the_follow_up_gives_the_day_it_was_sent_not_the_letter_date(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any]
) -> None:
    registered = _weekday_due(False)
    dispatch_id = _overdue(
        app, group_with_details, "ru-minzdrav", "ru", registered, registered_on=registered
    )
    text = _follow_up_text(app, logged_in, group_with_details, dispatch_id)
    assert text.startswith(f"{registered:%d.%m.%Y} мы направили Вам обращение от 05.01.2026")
    assert PLAIN["ru"] in text and "по нашему расчёту" not in text.lower()
    due = load(app, dispatch_id).due_on
    assert f"истёк {due:%d.%m.%Y}" in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_unverified_article_is_our_reckoning(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], lang: str
) -> None:
    """Belarus: the article number (Art. 17) is UNVERIFIED."""
    sent = TODAY - timedelta(days=60)
    dispatch_id = _overdue(app, group_with_details, "by-minzdrav", lang, sent, registered_on=sent)
    text = _follow_up_text(app, logged_in, group_with_details, dispatch_id)
    assert HEDGES[lang] in text
    assert PLAIN[lang] not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_end_day_off_is_our_reckoning(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], lang: str
) -> None:
    """Russia: a term ending on a weekend is not moved; that the law agrees is UNVERIFIED."""
    registered = _weekday_due(True)
    dispatch_id = _overdue(
        app, group_with_details, "ru-minzdrav", lang, registered, registered_on=registered
    )
    assert load(app, dispatch_id).due_on.weekday() >= 5
    text = _follow_up_text(app, logged_in, group_with_details, dispatch_id)
    assert HEDGES[lang] in text
    assert PLAIN[lang] not in text


@pytest.mark.parametrize(
    ("authority", "lang"), [("ru-embassy-chisinau", "ru"), ("ru-embassy-london", "en")]
)
def test_a_mission_abroad_is_our_reckoning(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], authority: str, lang: str
) -> None:
    """Whether 59-FZ binds a Russian embassy is UNVERIFIED."""
    registered = _weekday_due(False)
    dispatch_id = _overdue(
        app, group_with_details, authority, lang, registered, registered_on=registered
    )
    text = _follow_up_text(app, logged_in, group_with_details, dispatch_id)
    assert HEDGES[lang] in text
    assert PLAIN[lang] not in text


def test_ukrainian_follow_up_words_it_as_our_reckoning(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any]
) -> None:
    """Ukraine: whom the law covers is UNVERIFIED; the Ukrainian template says so."""
    sent = TODAY - timedelta(days=60)
    dispatch_id = _overdue(app, group_with_details, "ua-moz", "uk", sent)
    text = _follow_up_text(app, logged_in, group_with_details, dispatch_id)
    assert "За нашим розрахунком, строк розгляду звернення" in text
    assert f"{sent:%d.%m.%Y} ми надіслали Вам звернення від 05.01.2026" in text


def test_marking_sent_before_the_letter_date_changes_nothing(
    app: Flask, group_with_details: dict[str, Any], letter_id: int
) -> None:
    from letterkit.models import DispatchMethod

    dispatch_id = record(app, group_with_details, letter_id, planned_on=TODAY + timedelta(days=1))
    before = count(app, Dispatch), load(app, dispatch_id).state
    with app.test_request_context():
        dispatch = db.session.get(Dispatch, dispatch_id)
        with pytest.raises(ops.TrackingError) as caught:
            ops.mark_sent(
                dispatch,
                db.session.get(Group, group_with_details["group_id"]),
                db.session.get(User, group_with_details["id"]),
                method=DispatchMethod.HAND,
                sent_on=date(2026, 1, 4),
            )
        db.session.rollback()
    assert caught.value.field == "sent_on"
    assert "before the date it bears" in caught.value.message
    assert (count(app, Dispatch), load(app, dispatch_id).state) == before
