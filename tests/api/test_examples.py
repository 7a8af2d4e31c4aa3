"""The examples the API document gives for its requests are real: sent as they are (a letter's
id replaced by one of the group's own), each is accepted. The reference page shows them and
schemathesis' examples phase starts from them, so an example naming a slug the catalogue lacks
would teach a reader a request that fails, and test nothing deeper than the 422."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Letter
from tests.tracking.conftest import final_letter

from .conftest import ApiClient


@pytest.fixture
def document(api: ApiClient) -> dict[str, Any]:
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def examples(document: dict[str, Any], model: str) -> list[dict[str, Any]]:
    """The model's whole-body examples, or one body made of its properties' first examples."""
    schema = document["components"]["schemas"][model]
    if "examples" in schema:
        return list(schema["examples"])
    made = {
        name: prop["examples"][0]
        for name, prop in schema["properties"].items()
        if "examples" in prop
    }
    assert set(schema.get("required", ())) <= set(made), model
    return [made]


def letter_public_id(app: Flask, row: int) -> str:
    with app.app_context():
        letter = db.session.get(Letter, row)
        assert letter is not None
        return letter.public_id


def test_every_request_body_has_examples(document: dict[str, Any]) -> None:
    from letterkit.api.docs import example_of

    for item in document["paths"].values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {})
            reference = content.get("application/json", {}).get("schema", {}).get("$ref")
            if reference:
                model = reference.rsplit("/", 1)[1]
                assert examples(document, model), model
                assert example_of(document["components"]["schemas"][model]) is not None, model


def test_letter_examples_make_and_change_a_draft(api: ApiClient, document: dict[str, Any]) -> None:
    made = []
    for body in examples(document, "LetterCreate"):
        response = api.post("/api/v1/letters", json=body)
        assert response.status_code == 201, (body, response.get_json())
        made.append(response.get_json())
    assert made[0]["authority"] == "md-parliament"
    assert made[0]["demands"] == examples(document, "LetterCreate")[0]["demands"]
    for body in examples(document, "LetterUpdate"):
        response = api.patch(f"/api/v1/letters/{made[1]['id']}", json=body)
        assert response.status_code == 200, (body, response.get_json())
    again = api.get(f"/api/v1/letters/{made[1]['id']}").get_json()
    assert again["language"] == "ro" and again["demands"]


def test_dispatch_examples_record_dispatches(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any], document: dict[str, Any]
) -> None:
    for body in examples(document, "DispatchIn"):
        letter = letter_public_id(app, final_letter(app, group_with_details))
        response = api.post("/api/v1/dispatches", json={**body, "letter": letter})
        assert response.status_code == 201, (body, response.get_json())
        dispatch = api.get(f"/api/v1/dispatches/{response.get_json()['id']}").get_json()
        assert dispatch["letter"] == letter


def test_campaign_examples_make_a_campaign_with_targets(
    api: ApiClient, document: dict[str, Any]
) -> None:
    (body,) = examples(document, "CampaignCreate")
    response = api.post("/api/v1/campaigns", json=body)
    assert response.status_code == 201, response.get_json()
    campaign = response.get_json()["id"]
    (targets,) = examples(document, "TargetsAdd")
    response = api.post(f"/api/v1/campaigns/{campaign}/targets", json=targets)
    assert response.status_code in (200, 201), response.get_json()
    got = api.get(f"/api/v1/campaigns/{campaign}").get_json()
    assert [t["authority"] for t in got["targets"]] == targets["authorities"]


def test_holder_example_records_the_office_holder(api: ApiClient, document: dict[str, Any]) -> None:
    (body,) = examples(document, "HolderBody")
    response = api.put("/api/v1/authorities/md-parliament/holder", json=body)
    assert response.status_code == 200, response.get_json()
    holder = api.get("/api/v1/authorities/md-parliament/holder").get_json()
    assert holder["form_of_address"] == body["form_of_address"]
    assert holder["names"][body["language"]]["addressee_name"] == body["addressee_name"]


def test_deadline_examples_compute_a_due_date(api: ApiClient, document: dict[str, Any]) -> None:
    parameters = document["paths"]["/api/v1/deadline"]["get"]["parameters"]
    query = {p["name"]: p["schema"]["examples"][0] for p in parameters if "examples" in p["schema"]}
    assert {"country", "kind", "received_on"} <= set(query)
    response = api.get(f"/api/v1/deadline?{urlencode(query)}")
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["kind"] == query["kind"] and answer["due_on"], answer


def test_the_reference_page_shows_the_examples(app: Flask, document: dict[str, Any]) -> None:
    from letterkit.api.docs import example_of

    text = app.test_client().get("/help/api").get_data(as_text=True)
    bodies = [
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/")[-1]
        for item in document["paths"].values()
        for operation in item.values()
        if "requestBody" in operation
    ]
    assert len(bodies) >= 10
    for name in bodies:
        assert example_of(document["components"]["schemas"][name]) is not None, name
        article = text.split(f'<article id="schema-{name}">', 1)[1].split("</article>", 1)[0]
        assert "For example:" in article and "<pre><code>{" in article, name
    # a whole body, indented, its text as written (not \u escapes), and a query parameter's
    assert "&#34;authority&#34;: &#34;md-parliament&#34;" in text
    assert "Chișinău" in text
    assert "<code>country</code> (query, required, for example <code>GE</code>)" in text
    assert text.count("For example:") >= 10
