"""An embassy letter's ``government`` field is prefilled with the sending state's government in
the letter's language; the user can still change it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask

from letterkit.catalogue import CatalogueError, get_catalogue
from letterkit.catalogue.governments import government_of, read_governments
from tests.compose.conftest import make_draft
from tests.conftest import Client, login


def _value(page: str) -> str | None:
    match = re.search(r'<input[^>]*id="f_government"[^>]*>', html.unescape(page))
    assert match, "no government field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


@pytest.mark.parametrize(
    ("authority", "language", "expected"),
    [
        ("ru-embassy-london", "en", "the Government of the Russian Federation"),
        ("ru-embassy-london", "ru", "Правительству Российской Федерации"),
        ("ru-embassy-london", "uk", "Урядові Російської Федерації"),
    ],
)
def test_details_prefill_the_sending_states_government(
    app: Flask, group_with_details, client: Client, authority: str, language: str, expected: str
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(
        app,
        group_with_details,
        template="embassy-letter",
        language=language,
        authority_slug=authority,
        fields={"subject": "Harm reduction"},
    )
    assert get_catalogue().authority(authority).is_mission
    assert _value(client.get(f"/letters/{letter_id}/details").get_data(as_text=True)) == expected


def test_a_typed_government_is_kept(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    letter_id = make_draft(
        app,
        group_with_details,
        template="embassy-letter",
        language="en",
        authority_slug="ru-embassy-london",
        fields={"subject": "Harm reduction", "government": "the President of Russia"},
    )
    page = client.get(f"/letters/{letter_id}/details").get_data(as_text=True)
    assert _value(page) == "the President of Russia"


def test_no_prefill_for_an_authority_at_home(
    app: Flask, group_with_details, client: Client
) -> None:
    """A letter to a ministry at home is not forwarded to a government: nothing is guessed."""
    login(client, group_with_details)
    letter_id = make_draft(
        app,
        group_with_details,
        template="embassy-letter",
        language="ru",
        authority_slug="ru-minzdrav",
        fields={"subject": "О снижении вреда"},
    )
    page = client.get(f"/letters/{letter_id}/details").get_data(as_text=True)
    assert not _value(page)


def test_a_language_without_a_text_gives_none() -> None:
    assert government_of("RU", "en") == "the Government of the Russian Federation"
    assert government_of("RU", "ka") is None
    assert government_of("ZZ", "en") is None


@pytest.mark.parametrize(
    "text",
    [
        '[ru]\nen = "x"\n',
        '[RU]\nEN = "x"\n',
        '[RU]\nen = ""\n',
        "[RU]\nen = 3\n",
        "RU = 1\n",
        '[RU]\nen = "' + "x" * 201 + '"\n',
    ],
)
def test_bad_government_data_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "governments.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError):
        read_governments(path)


def _campaign(app: Flask, person: dict, slugs: list[str]) -> int:
    from letterkit.campaigns import operations as ops
    from letterkit.extensions import db
    from letterkit.models import Group, User

    with app.test_request_context():
        group = db.session.get(Group, person["group_id"])
        actor = db.session.get(User, person["id"])
        campaign = ops.create_campaign(group, actor, name="Embassies", template="embassy-letter")
        ops.add_targets(campaign, group, actor, slugs)
        db.session.commit()
        return campaign.id


def test_a_campaign_to_missions_prefills_the_government(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    cid = _campaign(app, group_with_details, ["ru-embassy-london", "ru-embassy-stockholm"])
    page = client.get(f"/campaigns/{cid}/fields/en").get_data(as_text=True)
    assert _value(page) == "the Government of the Russian Federation"
    mixed = _campaign(app, group_with_details, ["ru-embassy-london", "ru-minzdrav"])
    # London alone writes in English: a mission of one state, so prefilled; the ministry at home
    # alone writes in Russian: nothing is guessed.
    english = client.get(f"/campaigns/{mixed}/fields/en")
    russian = client.get(f"/campaigns/{mixed}/fields/ru")
    assert english.status_code == russian.status_code == 200
    assert _value(english.get_data(as_text=True)) == "the Government of the Russian Federation"
    assert not _value(russian.get_data(as_text=True))
