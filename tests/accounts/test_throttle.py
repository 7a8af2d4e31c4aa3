"""Logins are limited per account as well as per client address; a rate-limit store that is
down gives a "try again shortly" page (503), never a 500.

The account's counter is a keyed hash of the e-mail: no address is a key in the store or in a
log line. Run against the in-memory store, the real Redis at 127.0.0.1:6379 and a Redis URL whose
port is closed.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from letterkit.extensions import limiter
from tests.conftest import Client

REDIS_URL = "redis://127.0.0.1:6379/0"
WRONG = "wrong password 123"


def redis_client() -> Any:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis at {REDIS_URL} is not running: {error}")
    return client


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PREFIX = f"lk-test-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(params=["memory", "redis"])
def app_config(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    config = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "100 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "3 per 5 minutes",
        "RATELIMIT_KEY_PREFIX": f"{PREFIX}{uuid.uuid4().hex[:8]}-",
    }
    if request.param == "redis":
        client = redis_client()
        config["RATELIMIT_STORAGE_URI"] = REDIS_URL
        yield config
        for key in client.scan_iter(match=f"*{config['RATELIMIT_KEY_PREFIX']}*"):
            client.delete(key)
        client.close()
    else:
        yield config


def post_login(client: Client, email: str, password: str, address: str) -> Any:
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def store_keys(app: Flask) -> list[str]:
    """Every key the rate-limit store holds now."""
    with app.app_context():
        storage = limiter.storage
        client = getattr(storage, "storage", None)
        if callable(getattr(client, "scan_iter", None)):
            prefix = app.config["RATELIMIT_KEY_PREFIX"]
            return [k.decode() for k in client.scan_iter(match=f"*{prefix}*")]
        return [*storage.storage, *storage.events]  # type: ignore[attr-defined]


def test_failed_logins_are_limited_per_account_from_any_address(
    app: Flask, client: Client, factory, caplog: pytest.LogCaptureFixture
) -> None:
    group = factory.group()
    target = factory.user(group, "coordinator", email="Target.Person@Example.org")
    other = factory.user(group, "member")
    caplog.set_level(logging.DEBUG)
    statuses = [
        post_login(client, email, WRONG, f"198.51.100.{n}").status_code
        for n, email in enumerate(
            ["target.person@example.org", " TARGET.PERSON@example.org", "Target.Person@Example.org"]
        )
    ]
    assert statuses == [200, 200, 200]
    # The right password from yet another address: the account waits (429), with its reason.
    refused = post_login(client, target["email"], target["password"], "203.0.113.9")
    assert refused.status_code == 429
    assert "Too many failed attempts to log in to this account" in refused.get_data(as_text=True)
    # Another account from the same addresses is not affected.
    assert post_login(client, other["email"], other["password"], "198.51.100.1").status_code == 302
    keys = store_keys(app)
    assert any("account-" in key for key in keys)
    for text in [*keys, caplog.text]:
        assert "target" not in text.lower() and "example.org" not in text.lower()


def test_a_successful_login_does_not_count_against_the_account(
    client: Client, coordinator: dict[str, Any]
) -> None:
    for n in range(5):
        response = post_login(client, coordinator["email"], coordinator["password"], "192.0.2.1")
        assert response.status_code == 302, n
        client.post("/logout", data={"csrf_token": client.csrf_token("/")})


def test_the_address_limit_still_applies(app: Flask, client: Client, factory) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    group = factory.group()
    people = [factory.user(group) for _ in range(3)]
    # Flask-Limiter's one limiter keeps the first app's key prefix: an address of its own.
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    statuses = [post_login(client, p["email"], WRONG, address).status_code for p in people]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Try again shortly", "Nothing was changed"]),
        ("ru", ["Повторите попытку", "Ничего не изменилось"]),
    ],
)
def test_a_login_while_redis_is_down_is_a_503_page_not_a_500(
    database: dict[str, Any], lang: str, words: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("redis")
    from letterkit import create_app
    from tests.conftest import Factory, dispose, make_config

    app = create_app(
        make_config(
            database,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}/0",
            HANDLE_UNEXPECTED_ERRORS=True,
            PROPAGATE_EXCEPTIONS=False,
        )
    )
    app.test_client_class = Client
    factory = Factory(app)
    person = factory.user(factory.group(), "coordinator")
    client = app.test_client()
    client.set_cookie("letterkit_lang", lang)
    assert client.get("/login").status_code == 200  # the form itself needs no store
    caplog.clear()
    response = client.post("/login", data={"email": person["email"], "password": "x" * 12})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert all(word in page for word in words), page
    right = client.post("/login", data={"email": person["email"], "password": person["password"]})
    assert right.status_code == 503  # a login cannot pass unlimited while the store is down
    assert client.get("/").status_code == 302  # not logged in
    assert "Traceback" not in caplog.text and person["email"] not in caplog.text
    assert "rate-limit storage failed" in caplog.text
    dispose(app)
