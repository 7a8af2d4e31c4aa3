"""Fixtures for petition tests: a group with a sign-on draft opened for signatures."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import Client

from .helpers import ensure_key, make_signon_draft, open_petition, prepare_group


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "load: gunicorn on loopback under concurrent clients (part of make test)"
    )


@pytest.fixture
def letter_id(app: Flask, coordinator: dict[str, Any]) -> int:
    """A Russian sign-on draft of the coordinator's group (which has its signer key)."""
    prepare_group(app, coordinator["group_id"])
    ensure_key(app, coordinator)
    return make_signon_draft(app, coordinator)


@pytest.fixture
def petition(app: Flask, coordinator: dict[str, Any], letter_id: int) -> dict[str, Any]:
    """The draft opened for signatures with the default settings."""
    petition_id, code = open_petition(app, coordinator, letter_id)
    return {
        "id": petition_id,
        "code": code,
        "letter_id": letter_id,
        "group_id": coordinator["group_id"],
    }


@pytest.fixture
def signer(app: Flask) -> Client:
    """A supporter's browser: no account."""
    return app.test_client()  # type: ignore[return-value]
