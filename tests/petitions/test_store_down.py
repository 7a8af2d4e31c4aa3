"""With the rate-limit store configured as a real Redis URL whose port is closed, a supporter's
signature is still taken (the limit is let through and the failure logged), while a login gets
the "try again shortly" page (503): logins are never let through unlimited."""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest
from flask import Flask

from letterkit.models import Signature
from tests.conftest import Client, count

from .helpers import form_data


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app_config() -> dict[str, Any]:
    pytest.importorskip("redis")
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{closed_port()}/0",
        "HANDLE_UNEXPECTED_ERRORS": True,
        "PROPAGATE_EXCEPTIONS": False,
    }


def test_signing_goes_on_and_login_waits_while_redis_is_down(
    app: Flask,
    signer: Client,
    petition: dict[str, Any],
    coordinator: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        response = signer.post(f"/s/{petition['code']}", data=form_data(name="Vera Store"))
        assert response.status_code == 303
        assert count(app, Signature) == 1
        login = app.test_client().post(
            "/login", data={"email": coordinator["email"], "password": coordinator["password"]}
        )
    assert login.status_code == 503 and "Try again shortly" in login.get_data(as_text=True)
    assert "rate-limit storage failed (ConnectionError)" in caplog.text
    assert "Vera" not in caplog.text and coordinator["email"] not in caplog.text
