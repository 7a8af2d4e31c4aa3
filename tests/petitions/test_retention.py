"""Retention: a set number of days after signing closes, signers' data is reduced to what they
chose to show; counts and the duplicate check stay right."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, Display, Petition, Signature, utcnow
from letterkit.petitions import operations as ops
from letterkit.services import annexes
from tests.conftest import Client

from .helpers import form_data


def sign_all(signer: Client, code: str) -> None:
    for data in (
        form_data(name="Full Person", display="full", email="full@example.org"),
        form_data(name="Анна Петрова", display="initials", email="anna@example.org"),
        form_data(name="Counted Person", city="Tbilisi", country="GE", display="count"),
        form_data(
            kind="organisation",
            name="Org Name",
            city="Riga",
            country="LV",
            contact_person="Olga",
            display="full",
        ),
    ):
        assert signer.post(f"/s/{code}", data=data).status_code == 303


def rows(app: Flask) -> list[tuple[Any, ...]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                sa.select(
                    Signature.display,
                    Signature.name,
                    Signature.initials,
                    Signature.city,
                    Signature.country,
                    Signature.email,
                    Signature.contact_person,
                    Signature.reduced_at.is_not(None),
                    Signature.sealed.is_not(None),
                ).order_by(Signature.id)
            )
        ]


def close_at(app: Flask, petition_id: int, closed: datetime, retention: int = 90) -> None:
    with app.app_context():
        item = db.session.get(Petition, petition_id)
        item.is_open = False
        item.closed_at = closed
        item.retention_days = retention
        db.session.commit()


def test_purge_reduces_to_the_displayed_form_and_keeps_counts(
    app: Flask, runner: Any, signer: Client, petition: dict[str, Any]
) -> None:
    sign_all(signer, petition["code"])
    before = rows(app)
    close_at(app, petition["id"], utcnow() - timedelta(days=91))

    result = runner.invoke(args=["letterkit", "purge-signatures"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Reduced the personal data of 4 signature(s) in 1 petition(s)."
    # without the key's passphrase: the sealed data is simply deleted
    assert [row[-1] for row in before] == [True] * 4
    assert rows(app) == [
        (Display.FULL, "Full Person", "", "Москва", "RU", None, "", True, False),
        (Display.INITIALS, "А. П.", "А. П.", "Москва", "", None, "", True, False),
        (Display.COUNT, "", "", "", "", None, "", True, False),
        (Display.FULL, "Org Name", "", "Riga", "LV", None, "", True, False),
    ]
    assert before != rows(app)
    with app.app_context():
        item = db.session.get(Petition, petition["id"])
        numbers = annexes.counts(item)
        assert (numbers.total, numbers.visible, numbers.listed) == (4, 4, 3)
        assert numbers.by_display == {Display.FULL: 2, Display.INITIALS: 1, Display.COUNT: 1}
        assert list(annexes.annex_rows(item, "en")) == [
            ("Org Name", "Riga", "Latvia"),
            ("Full Person", "Москва", "Russia"),
            ("А. П.", "Москва", ""),
        ]
        assert item.purged_at is not None
        [event] = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "petition.purged")
        ).all()
        assert event.details == {"signatures": 4}

    # a second run finds nothing left to reduce
    again = runner.invoke(args=["letterkit", "purge-signatures"])
    assert again.output.strip() == "Reduced the personal data of 0 signature(s) in 0 petition(s)."


def test_duplicates_are_still_found_after_purging(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    sign_all(signer, petition["code"])
    close_at(app, petition["id"], utcnow() - timedelta(days=100))
    with app.app_context():
        assert ops.purge_due().signatures == 4
        db.session.commit()
        item = db.session.get(Petition, petition["id"])
        item.is_open, item.closed_at = True, None
        db.session.commit()
    code = petition["code"]
    again = [
        form_data(name="Someone Else", email="anna@example.org"),
        form_data(name="counted   person", city="TBILISI", country="GE", display="full"),
    ]
    for data in again:
        assert signer.post(f"/s/{code}", data=data).status_code == 303
    with app.app_context():
        assert annexes.counts(db.session.get(Petition, petition["id"])).total == 4


def test_nothing_is_purged_before_the_retention_period_ends(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    sign_all(signer, petition["code"])
    before = rows(app)
    with app.app_context():
        assert ops.purge_due().signatures == 0  # still open
    close_at(app, petition["id"], utcnow() - timedelta(days=89))
    with app.app_context():
        assert ops.purge_due().signatures == 0
        item = db.session.get(Petition, petition["id"])
        due = ops.purge_after(item)
        assert due is not None
        assert ops.purge_due(due - timedelta(seconds=1)).signatures == 0
        assert ops.purge_due(due).signatures == 4
        db.session.commit()
    assert rows(app) != before


def test_a_closing_date_starts_the_retention_period(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    sign_all(signer, petition["code"])
    with app.app_context():
        item = db.session.get(Petition, petition["id"])
        item.closes_on = date(2026, 1, 10)
        item.retention_days = 30
        db.session.commit()
        item = db.session.get(Petition, petition["id"])
        assert ops.closed_since(item) == datetime(2026, 1, 11, tzinfo=UTC)
        assert ops.purge_after(item) == datetime(2026, 2, 10, tzinfo=UTC)
        assert ops.purge_due(datetime(2026, 2, 9, 23, 59, tzinfo=UTC)).signatures == 0
        assert ops.purge_due(datetime(2026, 2, 10, tzinfo=UTC)).signatures == 4


def test_the_petition_page_says_when_data_is_reduced(
    app: Flask, logged_in: Client, petition: dict[str, Any]
) -> None:
    page = logged_in.get(f"/petitions/{petition['id']}").get_data(as_text=True)
    assert "90 days after signing closes" in page
    close_at(app, petition["id"], datetime(2026, 3, 1, 12, tzinfo=UTC), retention=10)
    page = logged_in.get(f"/petitions/{petition['id']}").get_data(as_text=True)
    assert "to what they chose to show on Mar 11, 2026" in page
