"""Helpers for tracking tests: final letters, dispatches recorded through the operations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from letterkit.extensions import db
from letterkit.models import Dispatch, Group, Letter, User
from tests.conftest import Client, login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def final_letter(
    app: Flask, person: dict[str, Any], authority: str = "ru-minzdrav", **overrides: Any
) -> int:
    """Draft and finalise a letter through the compose operations; return its id."""
    from letterkit.catalogue import get_catalogue
    from letterkit.services import drafts, letters

    values: dict[str, Any] = {
        "template": "appeal",
        "language": "ru",
        "authority_slug": authority,
        "demand_slugs": list(get_catalogue().demand_set("inpud-2011-russia").slugs),
        "paragraphs": [],
        "fields": {"subject": "О гуманизации наркополитики"},
        "letter_date": date(2026, 1, 5),
    }
    values.update(overrides)
    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        letter = drafts.create_draft(group, actor, **values)
        letters.finalise(letter, group, actor)
        db.session.commit()
        return letter.id


@pytest.fixture
def letter_id(app: Flask, group_with_details: dict[str, Any]) -> int:
    """A final letter of the coordinator's group to the Russian Ministry of Health."""
    return final_letter(app, group_with_details)


def record(app: Flask, person: dict[str, Any], letter: int, **values: Any) -> int:
    """Record a dispatch through the domain operation and return its id."""
    from letterkit.models import DispatchMethod
    from letterkit.tracking import operations as ops

    authority = values.pop("authority_slug", None)
    values.setdefault("method", DispatchMethod.HAND)
    with app.test_request_context():
        dispatch = ops.record_dispatch(
            db.session.get(Letter, letter),
            db.session.get(Group, person["group_id"]),
            db.session.get(User, person["id"]),
            ops.DispatchInput(**values),
            authority_slug=authority,
        )
        db.session.commit()
        return dispatch.id


def load(app: Flask, dispatch_id: int) -> Dispatch:
    """Read a dispatch back, detached, with its extensions and replies."""
    with app.app_context():
        dispatch = db.session.get(Dispatch, dispatch_id)
        _ = (dispatch.extensions, dispatch.replies, dispatch.files, dispatch.due_explanation)
        db.session.expunge_all()
        return dispatch


def form_post(client: Client, url: str, prefix: str | None, data: dict[str, Any]) -> Any:
    """Post one of the (prefixed) forms of a page, with its CSRF field.

    The request body is built here and closed after: for large uploads Werkzeug spools it to a
    temporary file that the test client would leave open.
    """
    token = client.csrf_token()
    if prefix:
        data = {f"{prefix}-{key}": value for key, value in data.items()}
        data[f"{prefix}-csrf_token"] = token
    data["csrf_token"] = token
    builder = EnvironBuilder(path=url, method="POST", data=data)
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


@pytest.fixture
def member_client(client: Client, group_with_details: dict[str, Any], factory: Any) -> Client:
    """A client logged in as a plain member of the coordinator's group."""
    login(client, factory.user(group_with_details["group_id"], "member"))
    return client
