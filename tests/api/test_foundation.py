"""The API's common behaviour: tokens, problem documents, cursors, the OpenAPI document."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import ApiToken, AuditEvent, Letter
from tests.conftest import count

from .conftest import ApiClient


def test_a_request_without_a_token_gets_401_as_a_problem(app: Flask, api: ApiClient) -> None:
    response = ApiClient(app, None).get("/api/v1/countries")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    problem = response.get_json()
    assert problem["status"] == 401 and problem["type"] == "about:blank" and problem["title"]


def test_a_wrong_token_gets_401(app: Flask, api: ApiClient) -> None:
    assert ApiClient(app, api.token + "x").get("/api/v1/countries").status_code == 401
    assert ApiClient(app, "lk_" + "a" * 43).get("/api/v1/countries").status_code == 401


def test_a_token_reads_and_its_use_is_recorded_by_day(app: Flask, api: ApiClient) -> None:
    response = api.get("/api/v1/countries")
    assert response.status_code == 200
    assert {"code", "name", "letter_language"} <= set(response.get_json()["items"][0])
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        assert row.last_used_on is not None


def test_a_session_cookie_never_authorises_the_api(
    app: Flask, client: Any, coordinator: dict[str, Any]
) -> None:
    from tests.conftest import login

    login(client, coordinator)
    assert client.get("/api/v1/countries").status_code == 401
    # Nor a write: the cookie, even with the page's CSRF token, makes no letter.
    response = client.post(
        "/api/v1/letters",
        json={"authority": "ru-minzdrav"},
        headers={"X-CSRFToken": client.csrf_token("/")},
        csrf=False,
    )
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert count(app, Letter) == 0


def test_api_responses_set_no_cookie(api: ApiClient) -> None:
    response = api.get("/api/v1/countries")
    assert "Set-Cookie" not in response.headers


def test_a_revoked_token_stops_at_once(app: Flask, api: ApiClient) -> None:
    from letterkit.api.tokens import revoke_token
    from letterkit.models import Group

    assert api.get("/api/v1/countries").status_code == 200
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        revoke_token(row, db.session.get(Group, row.group_id), None)
        db.session.commit()
    assert api.get("/api/v1/countries").status_code == 401


def test_errors_are_problems_in_the_requesters_language(api: ApiClient) -> None:
    response = api.get("/api/v1/authorities/no-such", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Не найдено", problem
    english = api.get("/api/v1/authorities/no-such", headers={"Accept-Language": "en"})
    assert english.get_json()["title"] == "Not found"


def test_unknown_addresses_and_methods_get_problems(api: ApiClient) -> None:
    missing = api.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong = api.request("PUT", "/api/v1/countries")
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_invalid_query_values_get_422_naming_them(api: ApiClient) -> None:
    for bad in ("abc", "0", "501", "1.0", "+5", " 5"):
        response = api.get(f"/api/v1/authorities?limit={bad}")
        assert response.status_code == 422, bad
        assert response.get_json()["errors"][0]["pointer"] == "limit"


def test_cursor_pages_cover_the_list_once(api: ApiClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        path = "/api/v1/authorities?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path).get_json()
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = api.get("/api/v1/authorities?limit=500").get_json()["items"]
    assert seen == [item["slug"] for item in everything]
    assert len(seen) == len(set(seen)) > 7


def test_a_tampered_or_foreign_cursor_gets_422(api: ApiClient, other_api: ApiClient) -> None:
    cursor = api.get("/api/v1/authorities?limit=2").get_json()["next_cursor"]
    broken = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    for client, path in (
        (other_api, f"/api/v1/authorities?limit=2&cursor={cursor}"),
        (api, f"/api/v1/demands?limit=2&cursor={cursor}"),
        (api, f"/api/v1/authorities?limit=2&cursor={broken}"),
        (api, "/api/v1/authorities?cursor=0"),  # fits the documented pattern, still not ours
    ):
        response = client.get(path)
        assert response.status_code == 422, path
        assert response.get_json()["errors"][0]["pointer"] == "cursor"


def test_the_openapi_document_is_3_1_and_public(app: Flask) -> None:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    listing = document["paths"]["/api/v1/authorities"]["get"]
    assert listing["responses"]["401"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"]["minimum"] == 1 and limit["schema"]["maximum"] == 500


def test_the_reference_page_is_served_here_without_scripts(
    app: Flask, coordinator: dict[str, Any]
) -> None:
    response = app.test_client().get("/help/api")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "/api/v1/authorities" in text and '<script src="http' not in text
    assert "AuthorityOut" in text


def test_writes_through_the_api_are_audited_with_the_token(app: Flask, api: ApiClient) -> None:
    from letterkit.api.tokens import create_token
    from letterkit.models import Group

    with app.app_context():
        group = db.session.scalar(sa.select(Group))
        row, _token = create_token(group, "audited", read_only=True, actor=None)
        db.session.commit()
        event = db.session.scalar(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "api_token.created")
            .order_by(AuditEvent.id.desc())
        )
        assert event.details["token"] == row.public_id


def test_names_in_paths_outside_the_id_alphabet_are_not_found(api: ApiClient) -> None:
    for name in ("a%00b", "a.b", "%D0%B0", "x" * 101):
        response = api.get(f"/api/v1/authorities/{name}")
        assert response.status_code == 404, name
        assert response.mimetype == "application/problem+json"


def test_an_authority_gives_its_contacts_with_their_verification(api: ApiClient) -> None:
    from letterkit.catalogue import get_catalogue

    authority = next(a for a in get_catalogue().authorities.values() if a.contacts)
    found = api.get(f"/api/v1/authorities/{authority.slug}").get_json()
    assert [(c["kind"], c["value"], c["verified"]) for c in found["contacts"]] == [
        (c.kind, c.value, c.verified) for c in authority.contacts
    ]
