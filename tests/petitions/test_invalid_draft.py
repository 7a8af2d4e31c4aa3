"""A petition opened on a draft that cannot become a letter is refused with a message (422),
never a 500, and nothing is opened. Drafts stored before the details step refused invalid values
can still hold them; a required field left empty is a draft in progress."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Letter, Petition
from tests.conftest import Client, count


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"subject": ""}, "subject is required.", id="required-field-empty"),
        pytest.param({"subject": "x" * 400}, "subject", id="stored-before-the-fix-too-long"),
    ],
)
def test_a_petition_on_an_invalid_draft_is_refused_with_a_message(
    app: Flask, logged_in: Client, letter_id: int, fields: dict[str, Any], message: str
) -> None:
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        letter.fields = {**letter.fields, **fields}
        db.session.commit()
    response = logged_in.post(
        f"/petitions/new/{letter_id}", data={"default_display": "count", "retention_days": "90"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "cannot be opened for signatures yet" in page and message in page
    assert f'href="/letters/{letter_id}/details"' in page
    assert count(app, Petition) == 0
