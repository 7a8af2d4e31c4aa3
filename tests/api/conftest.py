"""Fixtures of the API tests: groups with tokens, and a client that sends a token."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from letterkit.extensions import db


class ApiClient:
    """The app's test client with a bearer token on every request."""

    def __init__(self, app: Flask, token: str | None) -> None:
        self.app = app
        self.client = app.test_client()
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, *, json: Any = None, **kwargs: Any) -> Any:
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


def make_token(app: Flask, group_id: int, *, read_only: bool = False, name: str = "test") -> str:
    """A new token of the group (through the same operation the settings page uses)."""
    from letterkit.api.tokens import create_token
    from letterkit.models import Group

    with app.app_context():
        _row, token = create_token(
            db.session.get(Group, group_id), name, read_only=read_only, actor=None
        )
        db.session.commit()
    return token


@pytest.fixture
def api(app: Flask, group_with_details: dict[str, Any]) -> ApiClient:
    """A read-and-write token of the coordinator's group (which has an address and signer)."""
    return ApiClient(app, make_token(app, group_with_details["group_id"]))


@pytest.fixture
def other_api(app: Flask, factory: Any) -> ApiClient:
    """A token of a second, unrelated group."""
    group_id = factory.group("Other Group")
    factory.user(group_id, "coordinator")
    return ApiClient(app, make_token(app, group_id, name="other"))


@pytest.fixture
def read_only_api(app: Flask, group_with_details: dict[str, Any]) -> ApiClient:
    """A read-only token of the coordinator's group."""
    return ApiClient(app, make_token(app, group_with_details["group_id"], read_only=True))
