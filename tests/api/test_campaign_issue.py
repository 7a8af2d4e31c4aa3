"""Issuing a campaign through the API: finalise every letter into a tracked dispatch, download
the letters as a ZIP of DOCX files and as one DOCX for printing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.campaigns import operations as ops
from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import AuditEvent, Dispatch, DispatchState, Group, Letter, LetterStatus
from letterkit.models.campaigns import Campaign, CampaignTarget
from tests.campaigns.test_campaigns import EMBASSIES_2011, text_of
from tests.conftest import Client, login

from .conftest import ApiClient
from .seed import snapshot

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIXED = "tag:letterkit,2026:problem:mixed-languages"


def examples(client: Client, api: ApiClient, person: dict[str, Any]) -> dict[str, str]:
    """Load the example campaigns through the page; their public ids, by year."""
    login(client, person)
    assert client.post("/campaigns/examples").status_code == 302
    items = api.get("/api/v1/campaigns").get_json()["items"]
    return {
        "2011": next(c["id"] for c in items if c["name"].startswith("World")),
        "2019": next(c["id"] for c in items if c["name"].startswith("Support")),
    }


@pytest.fixture
def year_2011(client: Client, api: ApiClient, group_with_details: dict[str, Any]) -> str:
    """The public id of the 2011 campaign to eight Russian missions, its drafts written."""
    return examples(client, api, group_with_details)["2011"]


@pytest.fixture
def year_2019(client: Client, api: ApiClient, group_with_details: dict[str, Any]) -> str:
    """The public id of the 2019 campaign to nine ministries in their languages."""
    return examples(client, api, group_with_details)["2019"]


def stored(app: Flask, group_with_details: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the group the API reaches (letters, dispatches, campaigns, audit events)."""
    return snapshot(app, group_with_details["group_id"])


def statuses(app: Flask, public_id: str) -> dict[str, LetterStatus]:
    """The status of each target's letter, by authority."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(CampaignTarget.authority_slug, Letter.status)
            .join(Letter, Letter.id == CampaignTarget.letter_id)
            .join(Campaign, Campaign.id == CampaignTarget.campaign_id)
            .where(Campaign.public_id == public_id)
        )
        return dict(rows.all())  # type: ignore[arg-type]


def download(api: ApiClient, path: str) -> Any:
    """GET a file and close the response (the app sends it from a temporary file)."""
    response = api.get(path)
    response.get_data()
    response.close()
    return response


def test_finalising_tracks_every_target(app: Flask, api: ApiClient, year_2011: str) -> None:
    path = f"/api/v1/campaigns/{year_2011}"
    response = api.post(f"{path}/finalise", json={})
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.get_json()
    assert [t["authority"] for t in result["targets"]] == EMBASSIES_2011
    assert all(t["step"] == "final" and t["state"] == "planned" for t in result["targets"])
    assert all(t["dispatch"].startswith("dsp_") for t in result["targets"])
    assert result["progress"]["final"] == result["target_count"] == 8
    assert api.get(path).get_json() == result
    with app.app_context():
        for target in result["targets"]:
            letter = db.session.scalar(
                sa.select(Letter).where(Letter.public_id == target["letter"])
            )
            assert letter.status is LetterStatus.FINAL and letter.reference
            assert letter.finalised_by_id is None and letter.document is not None
            dispatch = db.session.scalar(
                sa.select(Dispatch).where(Dispatch.public_id == target["dispatch"])
            )
            assert dispatch.letter_id == letter.id
            assert dispatch.authority_slug == target["authority"]
            assert dispatch.state is DispatchState.PLANNED
            assert dispatch.planned_on.isoformat() == result["action_date"]
            assert dispatch.created_by_id is None
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "campaign.finalised")
        )
        assert event.actor_id is None and event.details["count"] == 8
        assert event.details["api_token"].startswith("tok_")
    # each dispatch is planned for the action day; sent, it has its due date
    for target in result["targets"]:
        planned = api.get(f"/api/v1/dispatches/{target['dispatch']}").get_json()
        assert (planned["state"], planned["planned_on"]) == ("planned", result["action_date"])
        assert planned["letter"] == target["letter"]
        sent = api.post(
            f"/api/v1/dispatches/{target['dispatch']}/send",
            json={"method": "hand", "sent_on": result["action_date"]},
        )
        assert sent.status_code == 200, sent.get_data(as_text=True)
        assert sent.get_json()["due_on"] > result["action_date"], sent.get_json()


def test_finalising_again_has_nothing_to_do(
    app: Flask, api: ApiClient, year_2011: str, group_with_details: dict[str, Any]
) -> None:
    path = f"/api/v1/campaigns/{year_2011}/finalise"
    assert api.post(path, json={}).status_code == 200
    before = stored(app, group_with_details)
    again = api.post(path, json={"confirm_mixed_languages": True})
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    assert again.get_json()["detail"] == (
        "Every letter of this campaign is already final and tracked."
    )
    assert stored(app, group_with_details) == before


def test_a_campaign_without_letters_is_not_finalised_or_printed(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    made = api.post("/api/v1/campaigns", json={"name": "Not yet", "template": "embassy-letter"})
    path = f"/api/v1/campaigns/{made.get_json()['id']}"
    for targets in ([], ["ru-embassy-london"]):  # no targets, then a target without a letter
        if targets:
            assert api.post(f"{path}/targets", json={"authorities": targets}).status_code == 200
        before = stored(app, group_with_details)
        for method, where, body in [
            ("POST", f"{path}/finalise", {}),
            ("GET", f"{path}/zip", None),
            ("GET", f"{path}/docx", None),
        ]:
            response = api.request(method, where, json=body)
            assert response.status_code == 409, (where, response.get_data(as_text=True))
            assert response.get_json()["detail"] == "There are no letters yet. Make them first."
        assert stored(app, group_with_details) == before


def test_unconfirmed_mixed_languages_are_listed_and_finalise_nothing(
    app: Flask, api: ApiClient, year_2011: str, group_with_details: dict[str, Any]
) -> None:
    with app.app_context():
        group = db.session.get(Group, group_with_details["group_id"])
        group.name_form("Latn").signer_name = ""  # only the Cyrillic signer is left
        db.session.commit()
    path = f"/api/v1/campaigns/{year_2011}"
    drafts = {t["authority"]: t["letter"] for t in api.get(path).get_json()["targets"]}
    before = stored(app, group_with_details)
    for body in ({}, {"confirm_mixed_languages": False}):
        refused = api.post(f"{path}/finalise", json=body)
        assert refused.status_code == 422
        problem = refused.get_json()
        assert problem["type"] == MIXED
        assert problem["detail"].startswith("Some parts of this letter are not in its language.")
        parts = problem["mixed_parts"]
        assert {(p["authority"], p["letter"]) for p in parts} == set(drafts.items())
        assert all(p["printed_in"] == "Cyrl" for p in parts)
        assert all(p["description"] == "Signer's name: printed in Cyrillic script" for p in parts)
        assert all(
            set(p) == {"part", "printed_in", "description", "authority", "letter"} for p in parts
        )
        assert stored(app, group_with_details) == before
    assert set(statuses(app, year_2011).values()) == {LetterStatus.DRAFT}

    done = api.post(f"{path}/finalise", json={"confirm_mixed_languages": True})
    assert done.status_code == 200
    assert set(statuses(app, year_2011).values()) == {LetterStatus.FINAL}


def test_a_letter_that_cannot_be_finalised_names_its_target_and_nothing_is_finalised(
    app: Flask, api: ApiClient, year_2019: str, group_with_details: dict[str, Any]
) -> None:
    """Most of the letters need the holder's form of address, not recorded yet: nothing is
    finalised (unlike the page, which finalises the others), each such target is named."""
    path = f"/api/v1/campaigns/{year_2019}"
    targets = api.get(path).get_json()["targets"]
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.public_id == year_2019))
        group = db.session.get(Group, group_with_details["group_id"])
        needed = {item.target.authority_slug for item in ops.holders_needed(campaign, group)}
    waiting = [t for t in targets if t["authority"] in needed]
    assert waiting and len(waiting) < len(targets)
    before = stored(app, group_with_details)
    refused = api.post(f"{path}/finalise", json={"confirm_mixed_languages": True})
    assert refused.status_code == 422, refused.get_data(as_text=True)
    problem = refused.get_json()
    assert problem["type"] == "tag:letterkit,2026:problem:not-finalised"
    assert [f["authority"] for f in problem["failures"]] == [t["authority"] for t in waiting]
    first = waiting[0]["authority_name"]
    assert problem["detail"] == problem["failures"][0]["detail"]
    assert problem["detail"].startswith(f"Not finalised: {first}: ")
    assert stored(app, group_with_details) == before
    assert set(statuses(app, year_2019).values()) == {LetterStatus.DRAFT}


def test_the_zip_holds_one_docx_per_target(
    app: Flask, api: ApiClient, read_only_api: ApiClient, year_2011: str
) -> None:
    path = f"/api/v1/campaigns/{year_2011}"
    drafts = download(read_only_api, f"{path}/zip")  # drafts, rendered as they stand
    assert drafts.status_code == 200 and drafts.mimetype == "application/zip"
    assert drafts.headers["Content-Disposition"] == f'attachment; filename="{year_2011}.zip"'
    catalogue = get_catalogue()
    with zipfile.ZipFile(io.BytesIO(drafts.data)) as archive:
        names = archive.namelist()
        assert len(names) == 8 and all(name.endswith(".docx") for name in names)
        for name, slug in zip(names, EMBASSIES_2011, strict=True):
            assert slug in name
            document = docx.Document(io.BytesIO(archive.read(name)))
            assert document.paragraphs
            addressee = catalogue.authority(slug).addressee("en").text.splitlines()[0]
            assert addressee in text_of(archive.read(name))
    assert api.post(f"{path}/finalise", json={}).status_code == 200
    final = download(api, f"{path}/zip")
    assert final.status_code == 200
    with app.app_context():
        issued = {
            letter.authority_slug: letter.document.data
            for letter in db.session.scalars(
                sa.select(Letter).where(Letter.status == LetterStatus.FINAL)
            )
        }
    with zipfile.ZipFile(io.BytesIO(final.data)) as archive:
        for name, slug in zip(archive.namelist(), EMBASSIES_2011, strict=True):
            assert archive.read(name) == issued[slug]  # exactly as issued


def test_the_combined_docx_holds_every_addressee_in_order(api: ApiClient, year_2011: str) -> None:
    path = f"/api/v1/campaigns/{year_2011}"
    for finalised in (False, True):
        if finalised:
            assert api.post(f"{path}/finalise", json={}).status_code == 200
        combined = download(api, f"{path}/docx")
        assert combined.status_code == 200 and combined.mimetype == DOCX
        assert combined.headers["Content-Disposition"] == f'attachment; filename="{year_2011}.docx"'
        document = docx.Document(io.BytesIO(combined.data))
        assert len(document.sections) == 8
        text = text_of(combined.data)
        catalogue = get_catalogue()
        positions = [
            text.index(catalogue.authority(s).addressee("en").text.splitlines()[0])
            for s in EMBASSIES_2011
        ]
        assert positions == sorted(positions)


def test_a_draft_that_cannot_be_built_is_not_printed(
    app: Flask, api: ApiClient, year_2011: str, group_with_details: dict[str, Any]
) -> None:
    path = f"/api/v1/campaigns/{year_2011}"
    with app.app_context():
        letter = db.session.scalar(
            sa.select(Letter).where(Letter.authority_slug == EMBASSIES_2011[2])
        )
        letter.fields = {}  # its subject and government are required
        db.session.commit()
    before = stored(app, group_with_details)
    for kind in ("zip", "docx"):
        response = download(api, f"{path}/{kind}")
        assert response.status_code == 422, kind
        assert response.mimetype == "application/problem+json"
    refused = api.post(f"{path}/finalise", json={})
    assert refused.status_code == 422
    assert [f["authority"] for f in refused.get_json()["failures"]] == [EMBASSIES_2011[2]]
    assert stored(app, group_with_details) == before


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"confirm_mixed_languages": "yes"}, 422),
        ({"confirm_mixed_languages": 1}, 422),
        ({"confirm_mixed_languages": None}, 422),
        ({"sent_on": "2026-06-26"}, 422),
        ([True], 422),
        ("{", 400),
    ],
)
def test_a_bad_finalise_body_changes_nothing(
    app: Flask,
    api: ApiClient,
    year_2011: str,
    group_with_details: dict[str, Any],
    body: Any,
    status: int,
) -> None:
    before = stored(app, group_with_details)
    path = f"/api/v1/campaigns/{year_2011}/finalise"
    if isinstance(body, str):
        response = api.post(path, data=body, headers={"Content-Type": "application/json"})
    else:
        response = api.post(path, json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    not_json = api.post(path, data="confirm_mixed_languages=true")
    assert not_json.status_code == 415
    assert stored(app, group_with_details) == before


def test_another_groups_token_finds_none_of_it(
    app: Flask,
    api: ApiClient,
    other_api: ApiClient,
    year_2011: str,
    group_with_details: dict[str, Any],
) -> None:
    path = f"/api/v1/campaigns/{year_2011}"
    for finalised in (False, True):
        if finalised:
            assert api.post(f"{path}/finalise", json={}).status_code == 200
        before = stored(app, group_with_details)
        for method, where, body in [
            ("POST", f"{path}/finalise", {}),
            ("POST", f"{path}/finalise", {"confirm_mixed_languages": True}),
            ("GET", f"{path}/zip", None),
            ("GET", f"{path}/docx", None),
        ]:
            response = other_api.request(method, where, json=body)
            assert response.status_code == 404, (method, where)
            assert response.mimetype == "application/problem+json"
        assert stored(app, group_with_details) == before
    assert set(statuses(app, year_2011).values()) == {LetterStatus.FINAL}


def test_a_read_only_token_prints_but_cannot_finalise(
    app: Flask, read_only_api: ApiClient, year_2011: str, group_with_details: dict[str, Any]
) -> None:
    path = f"/api/v1/campaigns/{year_2011}"
    before = stored(app, group_with_details)
    for body in ({}, {"confirm_mixed_languages": True}):
        assert read_only_api.post(f"{path}/finalise", json=body).status_code == 403
    assert download(read_only_api, f"{path}/docx").status_code == 200
    assert stored(app, group_with_details) == before
    assert set(statuses(app, year_2011).values()) == {LetterStatus.DRAFT}


def test_unknown_campaigns_are_not_found(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    before = stored(app, group_with_details)
    for odd in ("cmp_nosuchcampaign", "cmp_%00", "42"):
        assert api.post(f"/api/v1/campaigns/{odd}/finalise", json={}).status_code == 404
        assert api.get(f"/api/v1/campaigns/{odd}/zip").status_code == 404
        assert api.get(f"/api/v1/campaigns/{odd}/docx").status_code == 404
    assert stored(app, group_with_details) == before


def test_the_document_declares_the_files_and_refusals(app: Flask) -> None:
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    base = "/api/v1/campaigns/{campaign_id}"
    for kind, mimetype in (("zip", "application/zip"), ("docx", DOCX)):
        responses = paths[f"{base}/{kind}"]["get"]["responses"]
        assert list(responses["200"]["content"]) == [mimetype]
        assert {"404", "409", "422"} <= set(responses)
    finalise = paths[f"{base}/finalise"]["post"]
    assert {"200", "403", "404", "409", "415", "422"} <= set(finalise["responses"])
    body = finalise["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("CampaignFinaliseBody")
