"""Honest translations: the preview and finalising name the texts no native speaker reviewed.

The review status is data: ``[review]`` in a template's ``template.toml``, ``review`` on a
catalogue entry. The seeds' English is the original; everything else shipped is a draft.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from flask import Flask

from letterkit import documents
from letterkit.catalogue import DEFAULT_DATA_DIR, CatalogueError, get_catalogue, load_catalogue
from letterkit.documents.errors import TemplateError
from letterkit.documents.template_spec import read_spec
from letterkit.services import reviews
from tests.compose.conftest import make_draft
from tests.conftest import Client, login

INPUD = list(get_catalogue().demand_set("inpud-2011-russia").slugs)


def _english(msg: str) -> str:
    return msg


def _english_plural(singular: str, plural: str, num: int) -> str:
    return (singular if num == 1 else plural) % {"num": num}


def test_nothing_shipped_claims_a_review() -> None:
    catalogue = get_catalogue()
    for spec in documents.default_library().all():
        assert spec.review("en").status == "original", spec.slug
        for lang in spec.languages:
            assert spec.review(lang).status in {"original", "draft"}, (spec.slug, lang)
    for entry in (*catalogue.demands.values(), *catalogue.authorities.values()):
        for lang, review in entry.reviews:
            assert review.status != "reviewed", (entry.slug, lang)
    for demand in catalogue.demands.values():
        assert demand.review("en").status == "original", demand.slug
        assert demand.review("ru").status == "draft", demand.slug


def test_a_russian_letter_names_its_draft_template_addressee_and_demands() -> None:
    found = reviews.unreviewed(
        get_catalogue(),
        template="appeal",
        language="ru",
        authority_slug="ru-minzdrav",
        demand_slugs=INPUD,
    )
    assert found.template and found.addressee and found.demands == len(INPUD)
    text = reviews.describe(found, "Russian", _english, _english_plural)
    assert text is not None
    assert "native speaker of Russian" in text
    assert "the wording of the letter template" in text
    assert f"{len(INPUD)} demands" in text


def test_english_wording_of_the_seeds_is_the_original() -> None:
    found = reviews.unreviewed(
        get_catalogue(),
        template="embassy-letter",
        language="en",
        authority_slug="ru-embassy-london",
        demand_slugs=INPUD,
    )
    assert not found.template and found.demands == 0
    # The addressee line is the catalogue author's, not reviewed: it is still named.
    assert found.addressee
    text = reviews.describe(found, "English", _english, _english_plural)
    assert text is not None and "demand" not in text and "template" not in text


def test_a_reviewed_text_is_no_longer_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    path = data / "demands.toml"
    text = path.read_text(encoding="utf-8")
    slug = INPUD[0]
    marker = f'slug = "{slug}"\n'
    assert marker in text
    path.write_text(
        text.replace(
            marker,
            marker + 'review = { en = "original", ru = { reviewed_on = 2026-01-10 } }\n',
        ),
        encoding="utf-8",
    )
    catalogue = load_catalogue(data)
    review = catalogue.demand(slug).review("ru")
    assert review.status == "reviewed" and review.reviewed_on == dt.date(2026, 1, 10)
    assert review.reviewer is None
    found = reviews.unreviewed(
        catalogue, template="appeal", language="ru", authority_slug=None, demand_slugs=INPUD
    )
    assert found.demands == len(INPUD) - 1


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ('{ ru = "fine" }', "reviewed_on (a date)"),
        ('{ ru = { reviewer = "A" } }', "review.ru.reviewed_on: This is required"),
        ("{ ru = { reviewed_on = 2999-01-01 } }", "cannot be dated in the future"),
        ('{ xx = "draft" }', "Unknown language: xx"),
        ('{ ru = { reviewed_on = 2026-01-01, by = "A" } }', "review.ru.by: Unknown field"),
    ],
)
def test_a_bad_review_status_is_refused_naming_the_field(
    tmp_path: Path, review: str, message: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    path = data / "demands.toml"
    marker = f'slug = "{INPUD[0]}"\n'
    path.write_text(
        path.read_text(encoding="utf-8").replace(marker, marker + f"review = {review}\n"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data)
    assert message in str(caught.value)
    assert f"demands.toml: {INPUD[0]}: review" in str(caught.value)


def test_a_template_s_bad_review_is_a_template_error(tmp_path: Path) -> None:
    spec = documents.default_library().get("appeal")
    folder = tmp_path / "appeal"
    shutil.copytree(spec.path, folder)
    toml = folder / "template.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('en = "original"', 'en = "reviewed"', 1),
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        read_spec("appeal", toml)
    assert "review.en" in str(caught.value)


def test_preview_and_finalising_say_which_texts_are_drafts(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    client.post(f"/letters/{letter_id}/holder", data={"form_of_address": "male"})
    page = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    notice = page.split('id="review-notice">', 1)[1].split("</p>", 1)[0]
    assert "Russian" in notice and "ru" not in notice.split()
    assert "the wording of the letter template" in notice
    assert f"{len(INPUD)} demands" in notice
    response = client.post(f"/letters/{letter_id}/finalise", follow_redirects=True)
    assert "Not yet reviewed by a native speaker of Russian" in response.get_data(as_text=True)


def test_the_notice_is_in_the_interface_language(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    client.post("/language", data={"lang": "ru", "next": "/"})
    page = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    notice = page.split('id="review-notice">', 1)[1].split("</p>", 1)[0]
    assert "носителем языка" in notice and "Русский" in notice
