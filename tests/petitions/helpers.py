"""Helpers for petition tests: a sign-on draft, a petition opened on it, and signing by form."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from letterkit.extensions import db
from letterkit.models import Display, Group, Letter, Petition, User

SIGN_ON_FIELDS = {
    "subject": "О гуманизации наркополитики",
    "campaign": "Поддержка, а не наказание",
    "background": "",
}


def prepare_group(app: Flask, group_id: int) -> None:
    """Give the group the details a letter needs."""
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.name = "Harm Reduction Moscow"
        group.address = "ul. Primernaya 1\n101000 Moscow"
        group.email = "info@example.org"
        group.signer_name = "Anna Coordinator"
        group.signer_title = "Coordinator"
        group.reference_prefix = "HRM"
        db.session.commit()


def make_signon_draft(app: Flask, person: dict[str, Any], language: str = "ru") -> int:
    """Save a sign-on draft through the compose operation; return its id."""
    from letterkit.catalogue import get_catalogue
    from letterkit.services import drafts

    fields = dict(SIGN_ON_FIELDS)
    if language == "en":
        fields.update(subject="Drug policy reform: a call from civil society", campaign="")
    with app.test_request_context():
        letter = drafts.create_draft(
            db.session.get(Group, person["group_id"]),
            db.session.get(User, person["id"]),
            template="sign-on",
            language=language,
            authority_slug="ru-minzdrav",
            demand_slugs=list(get_catalogue().demand_set("inpud-2011-russia").slugs),
            paragraphs=[],
            fields=fields,
        )
        db.session.commit()
        return letter.id


def open_petition(
    app: Flask,
    person: dict[str, Any],
    letter_id: int,
    *,
    default_display: Display = Display.COUNT,
    goal: int | None = None,
    closes_on: date | None = None,
    retention_days: int = 90,
    translations: dict[str, tuple[str, str]] | None = None,
) -> tuple[int, str]:
    """Open the letter for signatures through the operation; return (petition id, code)."""
    from letterkit.petitions import operations as ops

    with app.test_request_context():
        petition = ops.open_petition(
            db.session.get(Letter, letter_id),
            db.session.get(Group, person["group_id"]),
            db.session.get(User, person["id"]),
            ops.Settings(
                default_display=default_display,
                goal=goal,
                closes_on=closes_on,
                retention_days=retention_days,
                translations=translations or {},
            ),
        )
        db.session.commit()
        return petition.id, petition.code


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid signing form for an individual."""
    data: dict[str, Any] = {
        "kind": "person",
        "name": "Анна Петрова",
        "city": "Москва",
        "country": "RU",
        "email": "",
        "contact_person": "",
        "display": "initials",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def get_petition(app: Flask, petition_id: int) -> Petition:
    with app.app_context():
        petition = db.session.get(Petition, petition_id)
        db.session.expunge(petition)
        return petition
