"""API tokens: the group settings page, the command line, the audit log and the rate limit."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.api.base import authenticate
from letterkit.api.problems import ApiProblem
from letterkit.extensions import db
from letterkit.models import ApiToken, AuditEvent, Group
from tests.conftest import Client, count, login

from .conftest import ApiClient, make_token

PAGE = "/group/api-tokens"
SHOWN = re.compile(r'id="new-token"[^>]*value="(lk_[^"]+)"')


def make_on_page(client: Client, name: str, *, read_only: bool = False) -> tuple[str, str]:
    """Make a token through the settings page; return it and the answer page."""
    data = {"name": name} | ({"read_only": "y"} if read_only else {})
    response = client.post(PAGE, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    text = response.get_data(as_text=True)
    match = SHOWN.search(text)
    assert match, "the new token is not on the answer page"
    return match.group(1), text


def rows(app: Flask) -> list[ApiToken]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)))
        db.session.expunge_all()
        return found


def events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = list(
            db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )
        db.session.expunge_all()
        return found


def works(app: Flask, token: str) -> bool:
    status = ApiClient(app, token).get("/api/v1/countries").status_code
    assert status in (200, 401), status
    return status == 200


def test_a_coordinator_makes_a_token_shown_once_and_stored_as_its_hash(
    app: Flask, logged_in: Client, coordinator: dict[str, Any]
) -> None:
    token, page = make_on_page(logged_in, "Coalition spreadsheet")
    assert token.startswith("lk_") and len(token) == 46
    assert works(app, token)
    (row,) = rows(app)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.group_id == coordinator["group_id"] and row.created_by_id == coordinator["id"]
    assert row.name == "Coalition spreadsheet" and not row.read_only
    stored = [getattr(row, c.key) for c in sa.inspect(ApiToken).columns]
    assert not any(isinstance(value, str) and token in value for value in stored)
    assert token.startswith(row.prefix) and len(row.prefix) < 12
    assert "Coalition spreadsheet" in page
    again = logged_in.get(PAGE).get_data(as_text=True)
    assert token not in again and 'id="new-token"' not in again
    assert "Coalition spreadsheet" in again and f"{row.prefix}…" in again


def test_the_list_shows_name_prefix_access_days_and_state(app: Flask, logged_in: Client) -> None:
    reader, _page = make_on_page(logged_in, "Reader", read_only=True)
    writer, _page = make_on_page(logged_in, "Writer")
    assert works(app, reader)
    text = logged_in.get(PAGE).get_data(as_text=True)
    reader_row, writer_row = rows(app)
    assert reader_row.read_only and not writer_row.read_only
    assert reader_row.last_used_on is not None and writer_row.last_used_on is None
    table = text[text.index("<table") : text.index("</table>")]
    lines = {
        name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
        for name, html in zip(
            ("Reader", "Writer"),
            sorted(re.findall(r"<tr>\s*<td>(?:Reader|Writer)</td>.*?</tr>", table, re.S)),
            strict=True,
        )
    }
    assert reader_row.prefix in lines["Reader"] and "Read only" in lines["Reader"]
    assert "Never" not in lines["Reader"]
    assert writer_row.prefix in lines["Writer"] and "Read and write" in lines["Writer"]
    assert "Never" in lines["Writer"] and "Revoke Writer" in lines["Writer"]
    for heading in ("Name", "Begins with", "Access", "Made", "Last used", "State"):
        assert f'scope="col">{heading}</th>' in table, heading
    assert logged_in.post(f"{PAGE}/{reader_row.public_id}/revoke").status_code == 302
    text = logged_in.get(PAGE).get_data(as_text=True)
    assert "Revoked on" in text and "Revoke Reader" not in text and "Revoke Writer" in text


def test_a_read_only_token_reads_but_may_not_write(app: Flask, logged_in: Client) -> None:
    token, _page = make_on_page(logged_in, "Dashboard", read_only=True)
    assert works(app, token)
    headers = {"Authorization": f"Bearer {token}"}
    with app.test_request_context("/api/v1/countries", method="POST", headers=headers):
        with pytest.raises(ApiProblem) as refused:
            authenticate(write=True)
        assert refused.value.code == 403
    with app.test_request_context("/api/v1/countries", headers=headers):
        _row, group = authenticate(write=False)
        assert group.id == rows(app)[0].group_id


def test_a_read_and_write_token_passes_the_write_check(app: Flask, logged_in: Client) -> None:
    token, _page = make_on_page(logged_in, "Sync")
    headers = {"Authorization": f"Bearer {token}"}
    with app.test_request_context("/api/v1/countries", method="POST", headers=headers):
        row, _group = authenticate(write=True)
        assert not row.read_only


def test_revoking_stops_the_token_at_once_and_only_that_token(
    app: Flask, logged_in: Client
) -> None:
    gone, _page = make_on_page(logged_in, "Old laptop")
    kept, _page = make_on_page(logged_in, "Server")
    assert works(app, gone) and works(app, kept)
    row = next(r for r in rows(app) if r.name == "Old laptop")
    response = logged_in.post(f"{PAGE}/{row.public_id}/revoke")
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    assert not works(app, gone)
    assert works(app, kept)
    assert next(r for r in rows(app) if r.name == "Old laptop").revoked_at is not None
    # Revoking again changes nothing and records nothing more.
    assert logged_in.post(f"{PAGE}/{row.public_id}/revoke").status_code == 302
    assert len(events(app, "api_token.revoked")) == 1


def test_an_unknown_token_cannot_be_revoked(app: Flask, logged_in: Client) -> None:
    assert logged_in.post(f"{PAGE}/tok_nothing/revoke").status_code == 404
    assert events(app, "api_token.revoked") == []


def test_a_member_may_not_see_make_or_revoke_tokens(
    app: Flask, client: Client, factory: Any, coordinator: dict[str, Any]
) -> None:
    token = make_token(app, coordinator["group_id"])
    row = rows(app)[0]
    login(client, factory.user(coordinator["group_id"], "member"))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"name": "Mine"}).status_code == 403
    assert client.post(f"{PAGE}/{row.public_id}/revoke").status_code == 403
    assert [r.name for r in rows(app)] == ["test"] and rows(app)[0].revoked_at is None
    assert works(app, token)


def test_a_visitor_is_sent_to_log_in(client: Client, coordinator: dict[str, Any]) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_groups_coordinator_cannot_revoke_this_groups_token(
    app: Flask, client: Client, factory: Any, coordinator: dict[str, Any]
) -> None:
    token = make_token(app, coordinator["group_id"], name="ours")
    row = rows(app)[0]
    login(client, factory.user(factory.group("Other Group"), "coordinator"))
    assert client.post(f"{PAGE}/{row.public_id}/revoke").status_code == 404
    assert "ours" not in client.get(PAGE).get_data(as_text=True)
    assert rows(app)[0].revoked_at is None and works(app, token)
    assert events(app, "api_token.revoked") == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_missing_or_too_long_name_gets_422_and_makes_nothing(
    app: Flask, logged_in: Client, name: str
) -> None:
    response = logged_in.post(PAGE, data={"name": name})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="new-token"' not in text and 'id="name-error"' in text
    assert count(app, ApiToken) == 0
    assert events(app, "api_token.created") == []


def test_the_page_refuses_a_post_without_its_csrf_token(app: Flask, logged_in: Client) -> None:
    assert logged_in.post(PAGE, data={"name": "Forged"}, csrf=False).status_code == 400
    assert count(app, ApiToken) == 0


def test_making_and_revoking_are_audited_with_the_public_id_never_the_token(
    app: Flask, logged_in: Client, coordinator: dict[str, Any]
) -> None:
    token, _page = make_on_page(logged_in, "Audited", read_only=True)
    row = rows(app)[0]
    assert logged_in.post(f"{PAGE}/{row.public_id}/revoke").status_code == 302
    (made,) = events(app, "api_token.created")
    (revoked,) = events(app, "api_token.revoked")
    for event in (made, revoked):
        assert event.details["token"] == row.public_id
        assert event.group_id == coordinator["group_id"]
        assert event.actor_id == coordinator["id"]
        assert event.object_type == "apitoken" and event.object_id == row.id
    assert made.details["read_only"] is True
    with app.app_context():
        everything = db.session.scalars(sa.select(AuditEvent)).all()
        logged = json.dumps([e.details for e in everything])
    assert token not in logged and token[len(row.prefix) :] not in logged


class TestCommand:
    def slug(self, app: Flask, group_id: int) -> str:
        with app.app_context():
            return db.session.get(Group, group_id).slug

    def test_prints_a_working_token_on_its_last_line(
        self, app: Flask, runner: Any, coordinator: dict[str, Any]
    ) -> None:
        slug = self.slug(app, coordinator["group_id"])
        args = ["letterkit", "api-token", "--group", slug, "--name", "Nightly export"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        token = result.output.rstrip("\n").splitlines()[-1]
        assert token.startswith("lk_") and works(app, token)
        (row,) = rows(app)
        assert row.name == "Nightly export" and not row.read_only and row.created_by_id is None
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.public_id in result.output
        (event,) = events(app, "api_token.created")
        assert event.details["token"] == row.public_id and event.actor_id is None
        assert token not in json.dumps(event.details)

    def test_makes_a_read_only_token(
        self, app: Flask, runner: Any, coordinator: dict[str, Any]
    ) -> None:
        slug = self.slug(app, coordinator["group_id"])
        args = ["letterkit", "api-token", "--group", slug, "--name", "Reader", "--read-only"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        token = result.output.rstrip("\n").splitlines()[-1]
        assert works(app, token) and rows(app)[0].read_only
        with app.test_request_context(
            "/api/v1/countries", method="POST", headers={"Authorization": f"Bearer {token}"}
        ):
            with pytest.raises(ApiProblem) as refused:
                authenticate(write=True)
            assert refused.value.code == 403

    def test_an_unknown_group_is_an_error(self, app: Flask, runner: Any) -> None:
        result = runner.invoke(args=["letterkit", "api-token", "--group", "nope", "--name", "X"])
        assert result.exit_code != 0
        assert "nope" in result.output and "lk_" not in result.output
        assert count(app, ApiToken) == 0

    @pytest.mark.parametrize("name", ["", "  ", "x" * 81])
    def test_an_empty_or_too_long_name_is_an_error(
        self, app: Flask, runner: Any, coordinator: dict[str, Any], name: str
    ) -> None:
        slug = self.slug(app, coordinator["group_id"])
        result = runner.invoke(args=["letterkit", "api-token", "--group", slug, "--name", name])
        assert result.exit_code != 0
        assert "lk_" not in result.output
        assert count(app, ApiToken) == 0 and events(app, "api_token.created") == []


class TestRateLimit:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}

    def test_one_token_over_its_limit_gets_429_and_another_token_still_works(
        self, app: Flask, api: ApiClient, group_with_details: dict[str, Any]
    ) -> None:
        for _ in range(3):
            assert api.get("/api/v1/countries").status_code == 200
        response = api.get("/api/v1/countries")
        assert response.status_code == 429
        assert response.mimetype == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
        assert response.get_json()["status"] == 429
        assert api.get("/api/v1/authorities").status_code == 429
        second = ApiClient(app, make_token(app, group_with_details["group_id"], name="second"))
        assert second.get("/api/v1/countries").status_code == 200

    def test_a_request_without_a_valid_token_is_not_counted_against_one(
        self, app: Flask, api: ApiClient
    ) -> None:
        for _ in range(5):
            assert ApiClient(app, "lk_" + "b" * 43).get("/api/v1/countries").status_code == 401
        assert api.get("/api/v1/countries").status_code == 200
