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

    ensure_key(app, person)
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


KEY_PASSPHRASE = "seven tired owls guard the archive"


def ensure_key(app: Flask, person: dict[str, Any], passphrase: str = KEY_PASSPHRASE) -> None:
    """Give the person's group its signer key (through the operation), unless it has one."""
    from letterkit.petitions import keys

    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        if keys.key_of(group) is None:
            keys.create_key(group, db.session.get(User, person["id"]), passphrase, passphrase)
            db.session.commit()


def unlock(client: Any, passphrase: str = KEY_PASSPHRASE) -> None:
    """Unlock the group's signer key in this (logged-in) client's session."""
    response = client.post("/petitions/key/unlock", data={"passphrase": passphrase})
    assert response.status_code == 302, response.get_data(as_text=True)


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


def opened(app: Flask, group_id: int, passphrase: str = KEY_PASSPHRASE) -> list[dict[str, Any]]:
    """Every signature of the group's petitions with its sealed data opened by the passphrase,
    in the order signed: {"row": clear columns, **sealed data}."""
    import sqlalchemy as sa

    from letterkit.models import Signature
    from letterkit.petitions import keys

    with app.test_request_context():
        group = db.session.get(Group, group_id)
        private = keys.open_private_key(keys.key_of(group), passphrase)
        rows = db.session.scalars(
            sa.select(Signature)
            .join(Petition, Petition.id == Signature.petition_id)
            .where(Petition.group_id == group_id)
            .order_by(Signature.id)
        ).all()
        result = []
        for row in rows:
            clear = {
                name: getattr(row, name)
                for name in ("name", "initials", "city", "country", "email", "contact_person")
            }
            data = keys.open_sealed(private, row.sealed) if row.sealed is not None else {}
            result.append({"row": clear, **data})
        return result
