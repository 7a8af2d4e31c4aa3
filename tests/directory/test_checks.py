"""Unverified addresses say so: checks of an authority's printed details, recorded by a
coordinator for the group only, and the group's checks and corrections as a patch."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue, load_catalogue
from letterkit.extensions import db
from letterkit.models import AuditEvent, AuthorityCheck
from tests.compose.conftest import make_draft
from tests.compose.test_flow import say_holder
from tests.conftest import Client, count, login

SLUG = "md-parliament"
WARNING = "Not checked against an official source"


def check(client: Client, slug: str = SLUG, **change: Any) -> Any:
    data: dict[str, Any] = {
        "checked_on": date.today().isoformat(),
        "source_kind": "web",
        "source": "https://www.parlament.md/contacts",
        "parts": ["addressee", "address", "salutation"],
        "note": "Compared with the contacts page.",
    }
    data.update(change)
    return client.post(f"/catalogue/authorities/{slug}/checks", data=data)


def preview(client: Client, letter_id: int) -> str:
    response = client.get(f"/letters/{letter_id}/preview")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_preview_and_finalising_list_the_unverified_parts(
    app: Flask, group_with_details: dict[str, Any], client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details, authority_slug=SLUG)
    page = preview(client, letter_id)
    assert WARNING in page
    for part in ("the addressee line", "the postal address", "the salutation"):
        assert part in page.split(WARNING, 1)[1].split("</div>", 1)[0]
    assert f"/catalogue/authorities/{SLUG}#checks" in page
    # Finalising still works; it says so, and the final letter's page repeats it.
    say_holder(client, letter_id)  # a Russian letter says how the office holder is addressed
    response = client.post(f"/letters/{letter_id}/finalise", follow_redirects=True)
    assert response.status_code == 200
    final = response.get_data(as_text=True)
    assert "The letter is final" in final
    assert final.count(WARNING) == 2  # the message at finalising, and the page's own notice
    assert client.get(f"/letters/{letter_id}").get_data(as_text=True).count(WARNING) == 1


def test_a_check_clears_the_warning_for_its_group_only(
    app: Flask, group_with_details: dict[str, Any], client: Client, factory: Any
) -> None:
    login(client, group_with_details)
    mine = make_draft(app, group_with_details, authority_slug=SLUG)
    other_group = factory.group("Other group")
    other = factory.user(other_group, "coordinator")
    theirs = make_draft(app, other, authority_slug=SLUG)

    response = check(client, parts=["addressee", "salutation"])
    assert response.status_code == 302, response.get_data(as_text=True)
    page = preview(client, mine)
    notice = page.split(WARNING, 1)[1].split("</div>", 1)[0]
    assert "the postal address" in notice and "the addressee line" not in notice
    assert check(client, parts=["address"]).status_code == 302
    assert WARNING not in preview(client, mine)

    authority_page = client.get(f"/catalogue/authorities/{SLUG}").get_data(as_text=True)
    assert "https://www.parlament.md/contacts" in authority_page
    assert date.today().isoformat() in authority_page
    assert "Every printed part of this entry is checked" in authority_page

    client.post("/logout")
    other_client = app.test_client()
    login(other_client, other)
    assert WARNING in preview(other_client, theirs)
    assert "https://www.parlament.md" not in other_client.get(
        f"/catalogue/authorities/{SLUG}"
    ).get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "authority.checked")
        ).all()
        assert len(events) == 2
        assert events[0].details["authority"] == SLUG
        assert events[0].group_id == group_with_details["group_id"]


def test_another_group_cannot_see_or_record_checks_of_a_group(
    app: Flask, logged_in: Client, factory: Any
) -> None:
    assert check(logged_in).status_code == 302
    own = logged_in.post(
        "/catalogue/authorities/new",
        data={
            "country": "MD",
            "kind": "local-health",
            "language": "ru",
            "name": "Наркологический диспансер",
            "addressee_ru": "Главному врачу",
            "salutation_ru": "Уважаемый главный врач!",
        },
    )
    own_slug = own.headers["Location"].rsplit("/", 1)[1]
    assert check(logged_in, own_slug).status_code == 302  # its own entry may be checked too
    other = factory.user(factory.group("Other group"), "coordinator")
    client = app.test_client()
    login(client, other)
    assert client.get(f"/catalogue/authorities/{own_slug}").status_code == 404
    assert check(client, own_slug).status_code == 404
    assert count(app, AuthorityCheck) == 2
    page = client.get("/catalogue/checks").get_data(as_text=True)
    assert "parlament.md" not in page
    assert client.get("/catalogue/checks.patch").get_data(as_text=True) == ""


def test_members_see_checks_but_only_coordinators_record_them(
    app: Flask, logged_in: Client, coordinator: dict[str, Any], factory: Any
) -> None:
    assert check(logged_in).status_code == 302
    member = factory.user(coordinator["group_id"], "member", name="Boris")
    client = app.test_client()
    login(client, member)
    page = client.get(f"/catalogue/authorities/{SLUG}").get_data(as_text=True)
    assert "https://www.parlament.md/contacts" in page
    assert "Record the check" not in page
    assert check(client).status_code == 403
    assert count(app, AuthorityCheck) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"checked_on": (date.today() + timedelta(days=1)).isoformat()}, "checked_on", "future"),
        ({"checked_on": "1999-12-31"}, "checked_on", "before the year 2000"),
        ({"checked_on": "31.12.2025"}, "checked_on", "Not a valid date"),
        ({"checked_on": ""}, "checked_on", ""),
        ({"source": ""}, "source", "starting with https://"),
        ({"source": "parlament.md"}, "source", "starting with https://"),
        ({"source_kind": "other", "source": ""}, "source", "Say what you checked against"),
        ({"source_kind": "rumour"}, "source_kind", "Not a valid choice"),
        ({"source_kind": "phone", "source": "x" * 500}, "source", "500 characters"),
        ({"source_kind": "other", "source": "one\ntwo"}, "source", "single line"),
        ({"parts": []}, "parts", "at least one printed part"),
        ({"parts": ["addressee", "signature"]}, "parts", "not a valid choice"),
        ({"note": "bad\x07note"}, "note", "control characters"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    app: Flask, logged_in: Client, change: dict[str, Any], field: str, message: str
) -> None:
    response = check(logged_in, **change)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert count(app, AuthorityCheck) == 0
    with app.app_context():
        assert not db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "authority.checked")
        ).all()


def test_phone_and_visit_are_sources_too(app: Flask, logged_in: Client) -> None:
    assert check(logged_in, source_kind="phone", source="the reception").status_code == 302
    assert check(logged_in, source_kind="visit", source="").status_code == 302
    with app.app_context():
        sources = set(db.session.scalars(sa.select(AuthorityCheck.source)))
    assert sources == {"phone call: the reception", "visit"}


def test_unknown_authority_is_404(logged_in: Client) -> None:
    assert check(logged_in, "no-such-body").status_code == 404


def apply_patch(patch: str, tmp_path: Path) -> Path:
    """Apply the patch to a copy of the shipped files, as the maintainers would."""
    root = tmp_path / "checkout"
    shutil.copytree(get_catalogue().data_dir, root / "letterkit" / "catalogue" / "data")
    (root / "group.patch").write_text(patch, encoding="utf-8")
    subprocess.run(["git", "apply", "group.patch"], cwd=root, check=True, capture_output=True)
    return root / "letterkit" / "catalogue" / "data"


def test_the_patch_applies_to_the_shipped_files_and_carries_the_group_work(
    app: Flask, logged_in: Client, coordinator: dict[str, Any], tmp_path: Path
) -> None:
    shipped = get_catalogue().authority("md-government")
    form = {
        "country": "MD",
        "kind": shipped.kind,
        "language": "ro",
        "name": shipped.names["ro"],
        "name_en": shipped.names["en"],
        "addressee_en": "The Prime Minister of the Republic of Moldova, Chișinău",
        "salutation_en": "Dear Prime Minister,",
        "addressee_ru": shipped.addressee("ru").text,
        "salutation_ru": shipped.salutation("ru").text,
        "city": "Chișinău",
        "post": shipped.contacts_of("post")[0].value,
        "note": shipped.note,
        "source": shipped.source,
    }
    assert logged_in.post("/catalogue/authorities/md-government/edit", data=form).status_code == 302
    assert check(logged_in).status_code == 302
    assert (
        check(logged_in, "by-president", parts=["address"], source_kind="visit").status_code == 302
    )

    page = logged_in.get("/catalogue/checks").get_data(as_text=True)
    assert "git apply" in page and "md-government" in page
    response = logged_in.get("/catalogue/checks.patch")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    patch = response.get_data(as_text=True)
    assert patch.startswith("--- a/letterkit/catalogue/data/authorities/")
    # No person: neither the coordinator's name nor an e-mail address.
    assert coordinator["email"] not in patch and "Person 1" not in patch
    assert not re.search(r"\w@\w", patch)

    data_dir = apply_patch(patch, tmp_path)
    patched = load_catalogue(data_dir)  # the patched files still pass every check
    government = patched.authority("md-government")
    assert government.addressee("en").text == form["addressee_en"]
    parliament = patched.authority(SLUG)
    assert parliament.verified and "parlament.md/contacts" in (parliament.source or "")
    assert parliament.contacts_of("post")[0].verified
    assert parliament.addressee("ru") == get_catalogue().authority(SLUG).addressee("ru")
    president = patched.authority("by-president")
    assert president.contacts_of("post")[0].verified and not president.verified
    assert "visit" in (president.contacts_of("post")[0].source or "")
    # Everything else is as shipped.
    for slug, entry in get_catalogue().authorities.items():
        if slug not in {"md-government", SLUG, "by-president"}:
            assert patched.authority(slug) == entry


def test_campaign_targets_show_the_warning_per_target(
    app: Flask, group_with_details: dict[str, Any], client: Client
) -> None:
    from letterkit.models.campaigns import CampaignTarget

    login(client, group_with_details)
    assert client.post("/campaigns/examples").status_code == 302
    with app.app_context():
        target = db.session.scalars(sa.select(CampaignTarget).order_by(CampaignTarget.id)).first()
        campaign_id, slug = target.campaign_id, target.authority_slug
        targets = db.session.scalar(
            sa.select(sa.func.count()).where(CampaignTarget.campaign_id == campaign_id)
        )
    badge = 'class="badge unverified" href="/catalogue/authorities/'
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert page.count(badge) == targets
    assert check(client, slug).status_code == 302
    page = client.get(f"/campaigns/{campaign_id}").get_data(as_text=True)
    assert page.count(badge) == targets - 1
    assert f"{badge}{slug}#checks" not in page
