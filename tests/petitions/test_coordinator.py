"""Coordinator pages: opening a letter for signatures, settings, closing and reopening."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, Display, Letter, LetterStatus, Petition
from letterkit.petitions import operations as ops
from tests.conftest import Client, count

from .helpers import get_petition, make_signon_draft, prepare_group


def settings_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "default_display": "count",
        "goal": "",
        "closes_on": "",
        "retention_days": "90",
        "title_en": "",
        "body_en": "",
        "title_uk": "",
        "body_uk": "",
    }
    data.update(overrides)
    return data


def test_open_a_draft_for_signatures(app: Flask, logged_in: Client, letter_id: int) -> None:
    index = logged_in.get("/petitions").get_data(as_text=True)
    assert f'href="/petitions/new/{letter_id}"' in index
    form = logged_in.get(f"/petitions/new/{letter_id}").get_data(as_text=True)
    assert 'name="title_en"' in form and 'name="title_ru"' not in form  # the letter is Russian
    assert re.search(r'<option selected value="count">|<option value="count" selected>', form)
    response = logged_in.post(
        f"/petitions/new/{letter_id}",
        data=settings_data(
            default_display="initials",
            goal="500",
            closes_on=(date.today() + timedelta(days=30)).isoformat(),
            retention_days="30",
            title_en="On humane drug policy",
            body_en="We ask you:\n\n1. OST for everyone.",
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(Petition))
        assert item.letter_id == letter_id and item.language == "ru"
        assert (item.goal, item.retention_days, item.default_display) == (500, 30, Display.INITIALS)
        assert set(item.texts) == {"ru", "en"}
        assert item.texts["en"] == {
            "title": "On humane drug policy",
            "body": "We ask you:\n\n1. OST for everyone.",
        }
        assert re.fullmatch(r"[a-z2-9]{10}", item.code)
        assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == (
            "petition.opened"
        )
    assert response.headers["Location"] == f"/petitions/{item.id}"
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert f"http://localhost/s/{item.code}" in page
    # the new petition's form offers the coordinator's default
    public = logged_in.get(f"/s/{item.code}").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*value="initials"', public)
    # opening it again leads to the same petition
    again = logged_in.get(f"/petitions/new/{letter_id}")
    assert again.status_code == 302 and again.headers["Location"] == f"/petitions/{item.id}"
    assert count(app, Petition) == 1


def test_codes_are_random_and_distinct(app: Flask, coordinator: dict[str, Any]) -> None:
    with app.app_context():
        codes = {ops.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[a-km-np-z2-9]{10}", c) for c in codes)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"retention_days": "0"}, "retention_days", "Enter a number of days from 1 to 3650."),
        ({"retention_days": "99999"}, "retention_days", "Enter a number of days from 1 to 3650."),
        ({"retention_days": ""}, "retention_days", "This is required."),
        ({"goal": "-5"}, "goal", "Enter a whole number from 1 upwards."),
        (
            {"closes_on": "2020-01-01"},
            "closes_on",
            "The closing date has passed. Choose today or a later day.",
        ),
        (
            {"title_en": "Only a title"},
            "body_en",
            "Fill in both the title and the text in this language.",
        ),
        (
            {"body_uk": "x" * 20_001, "title_uk": "T"},
            "body_uk",
            "This is too long: at most 20000 characters.",
        ),
        ({"default_display": "everything"}, "default_display", "Not a valid choice."),
    ],
)
def test_bad_settings_are_refused(
    app: Flask,
    logged_in: Client,
    letter_id: int,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = logged_in.post(f"/petitions/new/{letter_id}", data=settings_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="{field}-error">([^<]+)</p>', page)
    assert match and match.group(1) == message
    assert count(app, Petition) == 0


def test_a_final_letter_cannot_be_opened(app: Flask, logged_in: Client, letter_id: int) -> None:
    with app.app_context():
        db.session.get(Letter, letter_id).status = LetterStatus.FINAL
        db.session.commit()
    response = logged_in.post(f"/petitions/new/{letter_id}", data=settings_data())
    assert response.status_code == 422
    assert "Signatures can only be collected for a draft" in response.get_data(as_text=True)
    assert count(app, Petition) == 0


def test_another_groups_letter_is_not_found(app: Flask, factory: Any, logged_in: Client) -> None:
    outsider = factory.user(factory.group("Other"), "coordinator")
    prepare_group(app, outsider["group_id"])
    foreign = make_signon_draft(app, outsider)
    assert logged_in.get(f"/petitions/new/{foreign}").status_code == 404
    assert logged_in.post(f"/petitions/new/{foreign}", data=settings_data()).status_code == 404


def test_settings_change_and_keep_a_passed_closing_date(
    app: Flask, logged_in: Client, petition: dict[str, Any]
) -> None:
    url = f"/petitions/{petition['id']}/settings"
    assert logged_in.get(url).status_code == 200
    response = logged_in.post(
        url, data=settings_data(goal="1000", default_display="full", title_uk="Т", body_uk="Текст")
    )
    assert response.status_code == 302
    item = get_petition(app, petition["id"])
    assert (item.goal, item.default_display) == (1000, Display.FULL)
    assert item.texts["uk"] == {"title": "Т", "body": "Текст"}
    # removing a translation
    logged_in.post(url, data=settings_data(goal="1000", default_display="full"))
    assert set(get_petition(app, petition["id"]).texts) == {"ru"}
    # a closing date that has passed may stay as it is, but not be set anew
    with app.app_context():
        db.session.get(Petition, petition["id"]).closes_on = date(2021, 5, 5)
        db.session.commit()
    assert logged_in.post(url, data=settings_data(closes_on="2021-05-05")).status_code == 302
    assert logged_in.post(url, data=settings_data(closes_on="2021-05-04")).status_code == 422


def test_close_and_reopen(app: Flask, logged_in: Client, petition: dict[str, Any]) -> None:
    pid = petition["id"]
    logged_in.post(f"/petitions/{pid}/close")
    item = get_petition(app, pid)
    assert not item.is_open and item.closed_at is not None
    assert "Signing is closed." in logged_in.get(f"/petitions/{pid}").get_data(as_text=True)
    logged_in.post(f"/petitions/{pid}/reopen")
    item = get_petition(app, pid)
    assert item.is_open and item.closed_at is None
    # with a closing date in the past, reopening is refused with a reason
    with app.app_context():
        db.session.get(Petition, pid).closes_on = date(2020, 1, 1)
        db.session.commit()
    logged_in.post(f"/petitions/{pid}/close")
    response = logged_in.post(f"/petitions/{pid}/reopen", follow_redirects=True)
    assert "Set a later closing date first" in response.get_data(as_text=True)
    assert not get_petition(app, pid).is_open


def test_refresh_text_takes_the_drafts_current_text(
    app: Flask, logged_in: Client, petition: dict[str, Any]
) -> None:
    with app.app_context():
        letter = db.session.get(Letter, petition["letter_id"])
        letter.fields = {**letter.fields, "subject": "О новом заголовке"}
        db.session.commit()
    assert "О новом заголовке" not in logged_in.get(f"/s/{petition['code']}").get_data(as_text=True)
    logged_in.post(f"/petitions/{petition['id']}/refresh-text")
    assert "О новом заголовке" in logged_in.get(f"/s/{petition['code']}").get_data(as_text=True)


def test_goal_and_closing_date_on_the_public_page(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    with app.app_context():
        item = db.session.get(Petition, petition["id"])
        item.goal = 250
        item.closes_on = date.today() + timedelta(days=3)
        db.session.commit()
    page = signer.get(f"/s/{petition['code']}").get_data(as_text=True)
    assert "Goal: 250" in page and '<progress id="goal-progress" max="250" value="0">' in page
    assert "Signing closes at the end of" in page


def test_index_lists_petitions_with_counts(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    from .helpers import form_data

    signer.post(f"/s/{petition['code']}", data=form_data())
    page = logged_in.get("/petitions").get_data(as_text=True)
    assert "О гуманизации наркополитики" in page
    assert re.search(r"<td>1</td>\s*<td>open</td>", page)
