"""Helpers for letter tests: a group with details, and drafts made through the operations."""

from __future__ import annotations

from typing import Any

from flask import Flask

from letterkit.extensions import db
from letterkit.models import Group, Letter, User


def make_draft(app: Flask, person: dict[str, Any], **overrides: Any) -> int:
    """Save a draft through the domain operation and return its id."""
    from letterkit.catalogue import get_catalogue
    from letterkit.services import drafts

    values: dict[str, Any] = {
        "template": "appeal",
        "language": "ru",
        "authority_slug": "ru-minzdrav",
        "demand_slugs": list(get_catalogue().demand_set("inpud-2011-russia").slugs),
        "paragraphs": [],
        "fields": {"subject": "О гуманизации наркополитики"},
    }
    values.update(overrides)
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        letter = drafts.create_draft(group, actor, **values)
        db.session.commit()
        return letter.id


def get_letter(app: Flask, letter_id: int) -> Letter:
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        db.session.expunge(letter)
        return letter
