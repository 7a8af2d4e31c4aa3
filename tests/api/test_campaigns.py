"""Campaigns through the API: plan one, choose its targets, write their letters, follow them."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import AuditEvent, Letter, LetterStatus
from letterkit.models.campaigns import Campaign, CampaignTarget
from tests.conftest import Client, count, login

from .conftest import ApiClient

EMBASSIES = ["ru-embassy-london", "ru-embassy-berlin"]
DEMANDS = list(get_catalogue().demand_set("inpud-2011-russia").slugs)
CAMPAIGN = {
    "name": "World Drug Day",
    "template": "embassy-letter",
    "demands": DEMANDS,
    "action_date": "2026-06-26",
    "method": "hand",
}


def create(api: ApiClient, **changes: Any) -> dict[str, Any]:
    response = api.post("/api/v1/campaigns", json={**CAMPAIGN, **changes})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def campaign(api: ApiClient) -> dict[str, Any]:
    """A campaign of the api token's group with two targets and their draft letters."""
    made = create(api)
    path = f"/api/v1/campaigns/{made['id']}"
    assert api.post(f"{path}/targets", json={"authorities": EMBASSIES}).status_code == 200
    response = api.post(f"{path}/letters")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def state(app: Flask) -> tuple[int, int, int, int]:
    """Campaigns, targets, letters and audit events stored."""
    return (
        count(app, Campaign),
        count(app, CampaignTarget),
        count(app, Letter),
        count(app, AuditEvent),
    )


def test_a_campaign_is_planned_and_read_back(app: Flask, api: ApiClient) -> None:
    response = api.post("/api/v1/campaigns", json=CAMPAIGN)
    assert response.status_code == 201
    made = response.get_json()
    assert made["id"].startswith("cmp_")
    assert response.headers["Location"] == f"/api/v1/campaigns/{made['id']}"
    assert made == {
        "id": made["id"],
        "name": "World Drug Day",
        "action_date": "2026-06-26",
        "template": "embassy-letter",
        "demands": DEMANDS,
        "method": "hand",
        "target_count": 0,
        "progress": {"answered": 0, "sent": 0, "final": 0, "drafted": 0, "none": 0, "total": 0},
        "petition": None,
        "targets": [],
    }
    assert api.get(response.headers["Location"]).get_json() == made
    with app.app_context():
        stored = db.session.scalar(sa.select(Campaign))
        assert stored.public_id == made["id"] and stored.created_by_id is None
        assert stored.demand_slugs == DEMANDS
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "campaign.created")
        )
        assert event.actor_id is None and event.details["api_token"].startswith("tok_")


def test_a_name_is_all_a_campaign_needs(api: ApiClient) -> None:
    made = create(api, name="  Support. Don't Punish  ", template=None, demands=[])
    del made["id"]
    assert made["name"] == "Support. Don't Punish"
    assert made["template"] == "appeal"  # the first kind of letter, as the page preselects
    response = api.post("/api/v1/campaigns", json={"name": "Only a name"})
    assert response.status_code == 201
    made = response.get_json()
    assert (made["template"], made["method"], made["demands"], made["action_date"]) == (
        "appeal",
        "hand",
        [],
        None,
    )


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": ""}, "/name"),
        ({"name": "   "}, "/name"),
        ({"name": "x" * 201}, "/name"),
        ({"name": "two\nlines"}, "/name"),
        ({"name": "a\u0085b"}, "/name"),
        ({"name": 5}, "/name"),
        ({"template": "nope"}, "/template"),
        ({"template": "Not A Slug"}, "/template"),
        ({"demands": ["no-such-demand"]}, "/demands"),
        ({"demands": "inpud-2011-russia"}, "/demands"),
        ({"method": "forwarded"}, "/method"),
        ({"method": "pigeon"}, "/method"),
        ({"action_date": "2026-13-40"}, "/action_date"),
        ({"action_date": "26.06.2026"}, "/action_date"),
        ({"action_date": 20260626}, "/action_date"),
        ({"targets": ["ru-embassy-london"]}, "/targets"),
    ],
)
def test_a_bad_campaign_gets_422_and_changes_nothing(
    app: Flask, api: ApiClient, body: dict[str, Any], pointer: str
) -> None:
    before = state(app)
    response = api.post("/api/v1/campaigns", json={**CAMPAIGN, **body})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]
    assert state(app) == before


def test_a_body_that_is_not_json_changes_nothing(app: Flask, api: ApiClient) -> None:
    before = state(app)
    form = api.post("/api/v1/campaigns", data={"name": "x"})
    assert form.status_code == 415
    broken = api.post(
        "/api/v1/campaigns", data='{"name": ', headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert api.post("/api/v1/campaigns", json=["name"]).status_code == 422
    assert state(app) == before


def test_targets_are_added_with_their_letter_language(app: Flask, api: ApiClient) -> None:
    made = create(api)
    path = f"/api/v1/campaigns/{made['id']}/targets"
    response = api.post(path, json={"authorities": EMBASSIES})
    assert response.status_code == 200
    result = response.get_json()
    assert result["target_count"] == 2 and result["progress"]["none"] == 2
    assert [t["authority"] for t in result["targets"]] == EMBASSIES
    london = result["targets"][0]
    assert london["country"] == "RU" and london["language"] == "en"
    assert london["authority_name"]
    assert (london["letter"], london["dispatch"], london["state"], london["step"]) == (
        None,
        None,
        None,
        "none",
    )
    # one already there is skipped, a new one added after it
    again = api.post(path, json={"authorities": ["ru-embassy-berlin", "ru-embassy-stockholm"]})
    assert [t["authority"] for t in again.get_json()["targets"]] == [
        *EMBASSIES,
        "ru-embassy-stockholm",
    ]
    assert api.get(f"/api/v1/campaigns/{made['id']}").get_json() == again.get_json()
    with app.app_context():
        slugs = db.session.scalars(
            sa.select(CampaignTarget.authority_slug).order_by(CampaignTarget.position)
        ).all()
        assert slugs == [*EMBASSIES, "ru-embassy-stockholm"]


@pytest.mark.parametrize(
    "body",
    [
        {"authorities": ["ru-embassy-london", "no-such-authority"]},
        {"authorities": []},
        {"authorities": ["Bad Slug"]},
        {"authorities": "ru-embassy-london"},
        {"authorities": ["ru-embassy-london"], "extra": 1},
        {},
    ],
)
def test_bad_targets_get_422_and_add_nothing(
    app: Flask, api: ApiClient, body: dict[str, Any]
) -> None:
    made = create(api)
    before = state(app)
    response = api.post(f"/api/v1/campaigns/{made['id']}/targets", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert state(app) == before
    assert api.get(f"/api/v1/campaigns/{made['id']}").get_json()["targets"] == []


def test_draft_letters_are_written_for_the_targets(
    app: Flask, api: ApiClient, campaign: dict[str, Any]
) -> None:
    assert campaign["progress"] == {
        "answered": 0,
        "sent": 0,
        "final": 0,
        "drafted": 2,
        "none": 0,
        "total": 2,
    }
    letters = [t["letter"] for t in campaign["targets"]]
    assert all(letter.startswith("let_") for letter in letters)
    assert all(t["step"] == "drafted" and t["dispatch"] is None for t in campaign["targets"])
    with app.app_context():
        stored = {
            letter.public_id: letter
            for letter in db.session.scalars(sa.select(Letter).where(Letter.public_id.in_(letters)))
        }
        assert len(stored) == 2
        assert all(letter.status is LetterStatus.DRAFT for letter in stored.values())
        assert {letter.authority_slug for letter in stored.values()} == set(EMBASSIES)
        assert all(letter.demand_slugs == DEMANDS for letter in stored.values())
        assert all(letter.created_by_id is None for letter in stored.values())
    # written again: the drafts already made are kept
    again = api.post(f"/api/v1/campaigns/{campaign['id']}/letters")
    assert again.status_code == 200
    assert [t["letter"] for t in again.get_json()["targets"]] == letters
    assert count(app, Letter) == 2


def test_a_target_is_removed_with_its_draft(
    app: Flask, api: ApiClient, campaign: dict[str, Any]
) -> None:
    path = f"/api/v1/campaigns/{campaign['id']}"
    response = api.delete(f"{path}/targets/ru-embassy-london")
    assert response.status_code == 204 and response.data == b""
    left = api.get(path).get_json()
    assert [t["authority"] for t in left["targets"]] == ["ru-embassy-berlin"]
    with app.app_context():
        gone = campaign["targets"][0]["letter"]
        assert db.session.scalar(sa.select(Letter).where(Letter.public_id == gone)) is None
        assert count(app, Letter) == 1
    before = state(app)
    assert api.delete(f"{path}/targets/ru-embassy-london").status_code == 404
    assert api.delete(f"{path}/targets/ru-embassy-stockholm").status_code == 404
    assert state(app) == before


def test_a_tracked_target_stays(
    app: Flask, api: ApiClient, client: Client, group_with_details: dict[str, Any]
) -> None:
    """A target whose letter is final and tracked is not removed (409); its dispatch shows."""
    login(client, group_with_details)
    assert client.post("/campaigns/examples").status_code == 302
    listed = api.get("/api/v1/campaigns").get_json()["items"]
    first = next(c for c in listed if c["name"].startswith("World"))
    with app.app_context():
        cid = db.session.scalar(sa.select(Campaign.id).where(Campaign.public_id == first["id"]))
    assert client.post(f"/campaigns/{cid}/finalise").status_code == 302
    found = api.get(f"/api/v1/campaigns/{first['id']}").get_json()
    target = found["targets"][0]
    assert target["dispatch"].startswith("dsp_") and target["state"] == "planned"
    assert target["step"] == "final" and found["progress"]["final"] == found["target_count"]
    before = state(app)
    response = api.delete(f"/api/v1/campaigns/{first['id']}/targets/{target['authority']}")
    assert response.status_code == 409
    assert response.get_json()["detail"] == (
        "This target's letter was finalised and is tracked; keep it."
    )
    assert state(app) == before


def test_campaign_pages_cover_every_campaign_once(api: ApiClient) -> None:
    made = [create(api, name=f"Campaign {n}")["id"] for n in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        page = api.get("/api/v1/campaigns?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert page.status_code == 200
        body = page.get_json()
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == made


def test_the_list_counts_targets_and_progress(api: ApiClient, campaign: dict[str, Any]) -> None:
    create(api, name="Empty")
    items = api.get("/api/v1/campaigns").get_json()["items"]
    assert [(i["name"], i["target_count"], i["progress"]["drafted"]) for i in items] == [
        ("World Drug Day", 2, 2),
        ("Empty", 0, 0),
    ]
    assert "targets" not in items[0]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=two", "cursor=%21"])
def test_bad_list_queries_get_422(api: ApiClient, query: str) -> None:
    assert api.get(f"/api/v1/campaigns?{query}").status_code == 422


def test_another_groups_token_finds_nothing_and_changes_nothing(
    app: Flask, other_api: ApiClient, campaign: dict[str, Any]
) -> None:
    path = f"/api/v1/campaigns/{campaign['id']}"
    before = state(app)
    assert other_api.get("/api/v1/campaigns").get_json() == {"items": [], "next_cursor": None}
    for method, target, body in [
        ("GET", path, None),
        ("POST", f"{path}/targets", {"authorities": ["ru-embassy-stockholm"]}),
        ("POST", f"{path}/letters", None),
        ("DELETE", f"{path}/targets/ru-embassy-london", None),
    ]:
        response = other_api.request(method, target, json=body)
        assert response.status_code == 404, (method, target)
        assert response.mimetype == "application/problem+json"
    assert state(app) == before


def test_a_read_only_token_reads_but_cannot_write(
    app: Flask, read_only_api: ApiClient, campaign: dict[str, Any]
) -> None:
    path = f"/api/v1/campaigns/{campaign['id']}"
    assert read_only_api.get(path).get_json() == campaign
    assert read_only_api.get("/api/v1/campaigns").status_code == 200
    before = state(app)
    for method, target, body in [
        ("POST", "/api/v1/campaigns", CAMPAIGN),
        ("POST", f"{path}/targets", {"authorities": ["ru-embassy-stockholm"]}),
        ("POST", f"{path}/letters", None),
        ("DELETE", f"{path}/targets/ru-embassy-london", None),
    ]:
        response = read_only_api.request(method, target, json=body)
        assert response.status_code == 403, (method, target)
    assert state(app) == before


def test_unknown_campaigns_are_not_found(app: Flask, api: ApiClient) -> None:
    before = state(app)
    for method, path in [
        ("GET", "/api/v1/campaigns/cmp_nosuchcampaign"),
        ("POST", "/api/v1/campaigns/cmp_nosuchcampaign/letters"),
        ("DELETE", "/api/v1/campaigns/cmp_nosuchcampaign/targets/ru-embassy-london"),
    ]:
        assert api.request(method, path).status_code == 404, path
    response = api.post(
        "/api/v1/campaigns/cmp_nosuchcampaign/targets", json={"authorities": ["ru-embassy-london"]}
    )
    assert response.status_code == 404
    for odd in ("cmp_%00", "%00", "cmp_" + "a" * 300, "cmp_%D0%B6", "42"):
        response = api.get(f"/api/v1/campaigns/{odd}")
        assert response.status_code == 404, odd
        assert api.request("DELETE", f"/api/v1/campaigns/{odd}/targets/%00").status_code == 404
    assert state(app) == before


def test_letters_are_refused_when_a_demand_left_the_catalogue(
    app: Flask, api: ApiClient, logged_in: Client
) -> None:
    """The group deleted its own demand after planning: no letter is written (409)."""
    response = logged_in.post(
        "/catalogue/demands/new",
        data={"title_en": "Naloxone everywhere", "text_en": "Make naloxone available everywhere."},
    )
    assert response.status_code == 302
    own = response.headers["Location"].rsplit("/", 1)[1]
    made = create(api, demands=[DEMANDS[0], own])
    path = f"/api/v1/campaigns/{made['id']}"
    assert api.post(f"{path}/targets", json={"authorities": EMBASSIES}).status_code == 200
    assert logged_in.post(f"/catalogue/demands/{own}/remove").status_code == 302
    before = state(app)
    response = api.post(f"{path}/letters")
    assert response.status_code == 409
    assert response.get_json()["detail"] == f"Unknown demand: {own}"
    assert state(app) == before
    assert all(t["letter"] is None for t in api.get(path).get_json()["targets"])
