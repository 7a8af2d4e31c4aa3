"""Campaigns: the 2011 embassies and the 2019 ministries, bulk output, tracking of each target."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import (
    AuditEvent,
    AuthorityHolder,
    Dispatch,
    DispatchState,
    Letter,
    LetterStatus,
)
from letterkit.models.campaigns import Campaign, CampaignTarget
from tests.conftest import Client, count, login

EMBASSIES_2011 = [
    "ru-embassy-london",
    "ru-embassy-stockholm",
    "ru-embassy-berlin",
    "ru-embassy-bucharest",
    "ru-consulate-general-new-york",
    "ru-embassy-canberra",
    "ru-consulate-general-barcelona",
    "ru-consulate-general-toronto",
]
LANGUAGES_2019 = {
    "by-minzdrav": "ru",
    "uz-minzdrav": "ru",
    "lt-ministry-health": "lt",
    "md-ministry-health": "ro",
    "kz-minzdrav": "ru",
    "ee-ministry-social-affairs": "et",
    "ge-ministry-health": "ka",
    "kg-minzdrav": "ru",
    "ua-moz": "uk",
}


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def examples(app: Flask, group_with_details: dict[str, Any], client: Client) -> dict[str, int]:
    login(client, group_with_details)
    assert client.post("/campaigns/examples").status_code == 302
    with app.app_context():
        return {c.name[:4]: c.id for c in db.session.scalars(sa.select(Campaign))}


def download(client: Client, path: str) -> Any:
    """GET a file response and close it (the app streams it from a temporary file)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def holder_selects(client: Client, cid: int) -> dict[str, str]:
    """The campaign page's holder selects, by authority: ``{slug: field name}``."""
    page = client.get(f"/campaigns/{cid}").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'<select[^>]*name="holder_(\d+)"', page)]
    with client.application.app_context():
        slugs = dict(
            db.session.execute(
                sa.select(CampaignTarget.id, CampaignTarget.authority_slug).where(
                    CampaignTarget.id.in_(ids)
                )
            ).all()
        )
    return {slugs[i]: f"holder_{i}" for i in ids}


def record_holders(client: Client, cid: int, forms: dict[str, str] | None = None) -> Any:
    """Record the holders' forms through the campaign page's form (``male`` where not given)."""
    selects = holder_selects(client, cid)
    data = {name: (forms or {}).get(slug, "male") for slug, name in selects.items()}
    return client.post(f"/campaigns/{cid}/holders", data=data)


def campaign_id(examples: dict[str, int], year: str) -> int:
    return next(
        v for k, v in examples.items() if k.startswith("Worl" if year == "2011" else "Supp")
    )


def test_2011_campaign_to_eight_missions(app: Flask, examples, client: Client) -> None:
    cid = campaign_id(examples, "2011")
    with app.app_context():
        targets = db.session.scalars(
            sa.select(CampaignTarget)
            .where(CampaignTarget.campaign_id == cid)
            .order_by(CampaignTarget.position)
        ).all()
        assert [t.authority_slug for t in targets] == EMBASSIES_2011
        assert {t.language for t in targets} == {"en"}
    response = client.post(f"/campaigns/{cid}/finalise")
    assert response.status_code == 302
    with app.app_context():
        letters = db.session.scalars(
            sa.select(Letter)
            .join(CampaignTarget, CampaignTarget.letter_id == Letter.id)
            .where(CampaignTarget.campaign_id == cid)
        ).all()
        assert len(letters) == 8 and all(letter.status is LetterStatus.FINAL for letter in letters)
        dispatches = db.session.scalars(
            sa.select(Dispatch)
            .join(CampaignTarget, CampaignTarget.dispatch_id == Dispatch.id)
            .where(CampaignTarget.campaign_id == cid)
        ).all()
        assert len(dispatches) == 8
        assert all(d.state is DispatchState.PLANNED for d in dispatches)
    archive = download(client, f"/campaigns/{cid}/letters.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    catalogue = get_catalogue()
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zf:
        names = zf.namelist()
        assert len(names) == 8 and all(n.endswith(".docx") for n in names)
        for name, slug in zip(names, EMBASSIES_2011, strict=True):
            assert slug in name
            text = text_of(zf.read(name))
            addressee = catalogue.authority(slug).addressee("en").text.splitlines()[0]
            assert addressee in text
            others = [s for s in EMBASSIES_2011 if s != slug]
            assert not any(
                catalogue.authority(o).addressee("en").text in text
                for o in others
                if catalogue.authority(o).addressee("en").text != addressee
            )
    with app.app_context():  # the ZIP holds the letters exactly as issued
        first = db.session.scalar(
            sa.select(Letter).where(Letter.authority_slug == EMBASSIES_2011[0])
        )
        issued = first.document.data
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zf:
        assert zf.read(names[0]) == issued
    combined = download(client, f"/campaigns/{cid}/letters.docx")
    assert combined.status_code == 200
    document = docx.Document(io.BytesIO(combined.data))
    text = text_of(combined.data)
    positions = [
        text.index(catalogue.authority(s).addressee("en").text.splitlines()[0])
        for s in EMBASSIES_2011
    ]
    assert positions == sorted(positions)
    assert len(document.sections) == 8


def test_2019_campaign_letters_in_each_countrys_language(
    app: Flask, examples, client: Client
) -> None:
    cid = campaign_id(examples, "2019")
    with app.app_context():
        rows = db.session.execute(
            sa.select(CampaignTarget.authority_slug, Letter.language)
            .join(Letter, Letter.id == CampaignTarget.letter_id)
            .where(CampaignTarget.campaign_id == cid)
        ).all()
    assert dict(rows) == LANGUAGES_2019
    client.post(f"/campaigns/{cid}/finalise", data={"confirm_mixed": "1"})
    archive = download(client, f"/campaigns/{cid}/letters.zip")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zf:
        texts = {name: text_of(zf.read(name)) for name in zf.namelist()}
    assert len(texts) == 9
    ua = next(t for n, t in texts.items() if "ua-moz" in n)
    assert "З повагою" in ua and "Щодо гуманізації наркополітики" in ua
    by = next(t for n, t in texts.items() if "by-minzdrav" in n)
    assert "С уважением" in by and "О гуманизации наркополитики" in by
    lt = next(t for n, t in texts.items() if "lt-ministry-health" in n)
    assert "Pagarbiai" in lt and "Dėl humaniškos narkotikų politikos" in lt


def test_targets_by_filter(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    response = client.post(
        "/campaigns/new",
        data={
            "name": "Missions",
            "template": "embassy-letter",
            "demand_set": "inpud-2011-russia",
            "method": "hand",
            "action_date": "2026-12-01",
        },
    )
    assert response.status_code == 302
    cid = int(re.search(r"/campaigns/(\d+)/targets", response.headers["Location"]).group(1))
    page = client.get(f"/campaigns/{cid}/targets?country=RU&kind=embassy&kind=consulate")
    found = re.findall(r'name="authority" value="([^"]+)"', page.get_data(as_text=True))
    missions = [
        a.slug for a in get_catalogue().authorities_for("RU") if a.kind in {"embassy", "consulate"}
    ]
    assert sorted(found) == sorted(missions)
    assert client.post(f"/campaigns/{cid}/targets", data={"authority": found}).status_code == 302
    with app.app_context():
        assert count(app, CampaignTarget) == len(missions)
    # Adding the same again adds nothing.
    client.post(f"/campaigns/{cid}/targets", data={"authority": found[:2]})
    assert count(app, CampaignTarget) == len(missions)


def test_missing_field_in_one_language_is_reported_and_the_rest_go_ahead(
    app: Flask, examples, client: Client
) -> None:
    cid = campaign_id(examples, "2019")
    with app.app_context():
        ua = db.session.scalar(sa.select(Letter).where(Letter.authority_slug == "ua-moz"))
        ua.fields = {}
        db.session.commit()
    assert record_holders(client, cid).status_code == 302
    page = client.post(
        f"/campaigns/{cid}/finalise", data={"confirm_mixed": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Not finalised" in page
    with app.app_context():
        statuses = dict(
            db.session.execute(
                sa.select(Letter.authority_slug, Letter.status)
                .join(CampaignTarget, CampaignTarget.letter_id == Letter.id)
                .where(CampaignTarget.campaign_id == cid)
            ).all()
        )
    assert statuses.pop("ua-moz") is LetterStatus.DRAFT
    assert set(statuses.values()) == {LetterStatus.FINAL}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 201}, "longer than 200"),
        ({"template": "nope"}, "Not a valid choice"),
        ({"demand_set": "nope"}, "Not a valid choice"),
        ({"action_date": "2026-13-40"}, "Not a valid date value"),
    ],
)
def test_bad_campaign_changes_nothing(app: Flask, logged_in: Client, data, message) -> None:
    form = {
        "name": "C",
        "template": "appeal",
        "demand_set": "sdp-2019-common",
        "method": "hand",
        **data,
    }
    response = logged_in.post("/campaigns/new", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, Campaign) == 0


def test_other_groups_cannot_see_a_campaign(app: Flask, factory, examples) -> None:
    cid = campaign_id(examples, "2011")
    outsider = app.test_client()
    login(outsider, factory.user(factory.group("Other"), "coordinator"))
    for method, path in [
        ("get", f"/campaigns/{cid}"),
        ("get", f"/campaigns/{cid}/letters.zip"),
        ("get", f"/campaigns/{cid}/letters.docx"),
        ("get", f"/campaigns/{cid}/targets"),
        ("post", f"/campaigns/{cid}/finalise"),
        ("post", f"/campaigns/{cid}/letters"),
        ("get", f"/campaigns/{cid}/fields/en"),
    ]:
        assert getattr(outsider, method)(path).status_code == 404, path
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Letter)
                .where(Letter.status == LetterStatus.FINAL)
            )
            == 0
        )


def test_members_cannot_plan_but_can_print(
    app: Flask, factory, group_with_details, examples
) -> None:
    cid = campaign_id(examples, "2011")
    member = app.test_client()
    login(member, factory.user(group_with_details["group_id"], "member"))
    assert member.post(f"/campaigns/{cid}/finalise").status_code == 403
    assert download(member, f"/campaigns/{cid}/letters.zip").status_code == 200


def test_load_examples_command(app: Flask, runner, group_with_details) -> None:
    result = runner.invoke(args=["letterkit", "load-examples"])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 example campaign(s)" in result.output
    again = runner.invoke(args=["letterkit", "load-examples"])
    assert "Loaded 0" in again.output
    assert count(app, Campaign) == 2 and count(app, CampaignTarget) == 17


def test_tracking_dashboard_filters_by_campaign(app: Flask, examples, client: Client) -> None:
    for cid in examples.values():
        record_holders(client, cid)
        client.post(f"/campaigns/{cid}/finalise", data={"confirm_mixed": "1"})

    def listed(query: str) -> set[int]:
        page = client.get(f"/tracking/dispatches?view=all{query}").get_data(as_text=True)
        return {int(i) for i in re.findall(r'href="/tracking/dispatches/(\d+)"', page)}

    cid = campaign_id(examples, "2011")
    with app.app_context():
        expected = set(
            db.session.scalars(
                sa.select(CampaignTarget.dispatch_id).where(CampaignTarget.campaign_id == cid)
            )
        )
    assert len(expected) == 8
    assert listed(f"&campaign={cid}") == expected
    assert len(listed("")) == 17


def statuses_of(cid: int) -> dict[str, LetterStatus]:
    return dict(
        db.session.execute(
            sa.select(Letter.authority_slug, Letter.status)
            .join(CampaignTarget, CampaignTarget.letter_id == Letter.id)
            .where(CampaignTarget.campaign_id == cid)
        ).all()
    )


def test_a_ru_letter_waits_for_its_holder_and_the_others_go_ahead(
    app: Flask, examples, client: Client
) -> None:
    cid = campaign_id(examples, "2019")
    selects = holder_selects(client, cid)
    # the languages whose salutation must know the holder's form (languages.toml neutral_form)
    gendered = {
        code for code, language in get_catalogue().languages.items() if not language.neutral_form
    }
    assert set(selects) == {s for s, lang in LANGUAGES_2019.items() if lang in gendered}
    page = client.post(
        f"/campaigns/{cid}/finalise", data={"confirm_mixed": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert page.count("Not finalised") == len(selects)
    assert "Say how the holder of this office is addressed" in page
    with app.app_context():
        statuses = statuses_of(cid)
    assert {s for s, st in statuses.items() if st is LetterStatus.FINAL} == {
        s for s, lang in LANGUAGES_2019.items() if lang not in gendered
    }
    assert record_holders(client, cid, {"by-minzdrav": "female"}).status_code == 302
    assert holder_selects(client, cid) == {}
    client.post(f"/campaigns/{cid}/finalise", data={"confirm_mixed": "1"})
    with app.app_context():
        assert set(statuses_of(cid).values()) == {LetterStatus.FINAL}
        by = db.session.scalar(sa.select(Letter).where(Letter.authority_slug == "by-minzdrav"))
        text = text_of(by.document.data)
        kz = db.session.scalar(sa.select(Letter).where(Letter.authority_slug == "kz-minzdrav"))
        kz_text = text_of(kz.document.data)
    assert "Уважаемая госпожа Министр!" in text and "Уважаемый" not in text
    assert "Уважаемый господин" in kz_text


def test_holders_are_optional_one_by_one(app: Flask, examples, client: Client) -> None:
    cid = campaign_id(examples, "2019")
    selects = holder_selects(client, cid)
    data = {name: "" for name in selects.values()} | {selects["ua-moz"]: "female"}
    assert client.post(f"/campaigns/{cid}/holders", data=data).status_code == 302
    assert "ua-moz" not in holder_selects(client, cid)
    assert len(holder_selects(client, cid)) == len(selects) - 1


@pytest.mark.parametrize("value", ["neutral", "woman", "x" * 50])
def test_a_bad_holder_form_changes_nothing(app: Flask, examples, client: Client, value) -> None:
    cid = campaign_id(examples, "2019")
    selects = holder_selects(client, cid)
    audits = count(app, AuditEvent)
    data = {name: "female" for name in selects.values()} | {selects["by-minzdrav"]: value}
    response = client.post(f"/campaigns/{cid}/holders", data=data)
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert count(app, AuthorityHolder) == 0 and count(app, AuditEvent) == audits
    assert holder_selects(client, cid) == selects


def test_holders_of_another_groups_campaign_are_not_found(app: Flask, factory, examples) -> None:
    cid = campaign_id(examples, "2019")
    outsider = app.test_client()
    login(outsider, factory.user(factory.group("Other"), "coordinator"))
    response = outsider.post(f"/campaigns/{cid}/holders", data={"holder_1": "female"})
    assert response.status_code == 404
    assert count(app, AuthorityHolder) == 0


def test_members_cannot_record_holders(
    app: Flask, factory, group_with_details, examples, client: Client
) -> None:
    cid = campaign_id(examples, "2019")
    data = {name: "female" for name in holder_selects(client, cid).values()}
    member = app.test_client()
    login(member, factory.user(group_with_details["group_id"], "member"))
    assert member.post(f"/campaigns/{cid}/holders", data=data).status_code == 403
    assert "holder_" not in member.get(f"/campaigns/{cid}").get_data(as_text=True)
    assert count(app, AuthorityHolder) == 0
