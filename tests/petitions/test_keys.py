"""The group's signer key: setting the passphrase (after saying what losing it means), unlocking
for one browser session, locking, changing the passphrase, sealing signatures kept in clear from
before, the audited reveal of counted-only signers, and least data on the signing form."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import (
    AuditEvent,
    Display,
    Group,
    KeyUnlock,
    Petition,
    Signature,
    SignerKey,
    SignerKind,
    User,
    utcnow,
)
from letterkit.petitions import keys
from letterkit.petitions import operations as ops
from tests.conftest import Client, count, login

from .helpers import (
    KEY_PASSPHRASE,
    form_data,
    make_signon_draft,
    open_petition,
    opened,
    prepare_group,
    unlock,
)

NEW_PASSPHRASE = "a different passphrase of words"


def audit(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action))
        return [event for event in events if db.session.expunge(event) is None]


def test_the_key_page_says_what_a_lost_passphrase_means_before_it_is_set(
    app: Flask, logged_in: Client, coordinator: dict[str, Any]
) -> None:
    page = logged_in.get("/petitions/key").get_data(as_text=True)
    assert "If the passphrase is lost" in page
    assert "lost for good: nobody can read it again" in page
    assert "a coordinator who knows the current passphrase sets a new one" in page
    assert 'name="understood"' in page
    # not ticked, too short, not repeated alike: refused, no key
    refusals = [
        {"passphrase": KEY_PASSPHRASE, "repeat": KEY_PASSPHRASE},
        {"passphrase": "short", "repeat": "short", "understood": "y"},
        {"passphrase": KEY_PASSPHRASE, "repeat": KEY_PASSPHRASE + "x", "understood": "y"},
    ]
    for data in refusals:
        assert logged_in.post("/petitions/key/create", data=data).status_code == 422
    assert count(app, SignerKey) == 0
    data = {"passphrase": KEY_PASSPHRASE, "repeat": KEY_PASSPHRASE, "understood": "y"}
    assert logged_in.post("/petitions/key/create", data=data).status_code == 302
    assert count(app, SignerKey) == 1
    [event] = audit(app, "signer_key.created")
    assert event.actor_id == coordinator["id"]
    # a second key is refused
    assert logged_in.post("/petitions/key/create", data=data).status_code == 422
    assert count(app, SignerKey) == 1
    with app.app_context():
        key = db.session.scalar(sa.select(SignerKey))
        assert KEY_PASSPHRASE.encode() not in key.wrapped_private_key + key.kdf_salt


def test_members_cannot_reach_the_key(
    app: Flask, factory: Any, coordinator: dict[str, Any], petition: dict[str, Any]
) -> None:
    member = factory.user(coordinator["group_id"], "member")
    client = app.test_client()
    login(client, member)
    assert client.get("/petitions/key").status_code == 403
    data = {"passphrase": KEY_PASSPHRASE}
    assert client.post("/petitions/key/unlock", data=data).status_code == 403
    assert client.get(f"/petitions/{petition['id']}/signatures").status_code == 403
    assert client.post(f"/petitions/{petition['id']}/signatures/reveal").status_code == 403
    assert count(app, KeyUnlock) == 0


def test_opening_a_petition_needs_the_key(
    app: Flask, logged_in: Client, coordinator: dict[str, Any]
) -> None:
    prepare_group(app, coordinator["group_id"])
    letter_id = make_signon_draft(app, coordinator)
    response = logged_in.get(f"/petitions/new/{letter_id}")
    assert response.status_code == 302 and response.headers["Location"] == "/petitions/key"
    assert count(app, Petition) == 0


def test_unlock_is_for_this_session_only_and_ends(
    app: Flask, logged_in: Client, coordinator: dict[str, Any], petition: dict[str, Any]
) -> None:
    response = logged_in.post("/petitions/key/unlock", data={"passphrase": "wrong passphrase!"})
    assert response.status_code == 422
    assert "This passphrase does not open the key." in response.get_data(as_text=True)
    assert count(app, KeyUnlock) == 0
    unlock(logged_in)
    page = logged_in.get("/petitions/key").get_data(as_text=True)
    assert 'id="key-unlocked"' in page
    # the cookie holds no private key, the row none in clear
    with app.test_request_context():
        group = db.session.get(Group, coordinator["group_id"])
        private = bytes(keys.open_private_key(keys.key_of(group), KEY_PASSPHRASE))
        row = db.session.scalar(sa.select(KeyUnlock))
        assert private not in row.wrapped_private_key
    cookie = logged_in.get_cookie("letterkit_session")
    assert cookie is not None
    for form in (private, base64.b64encode(private), base64.urlsafe_b64encode(private)):
        assert form.decode("latin-1") not in cookie.value
    # another browser of the same coordinator is not unlocked
    other = app.test_client()
    login(other, coordinator)
    assert 'id="key-unlocked"' not in other.get("/petitions/key").get_data(as_text=True)
    # expiry ends it
    with app.app_context():
        db.session.execute(sa.update(KeyUnlock).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert 'id="key-unlocked"' not in logged_in.get("/petitions/key").get_data(as_text=True)
    # a new session token (logout, new password) ends it
    unlock(logged_in)
    with app.app_context():
        db.session.get(User, coordinator["id"]).rotate_session_token()
        db.session.commit()
        row = db.session.scalars(sa.select(KeyUnlock).order_by(KeyUnlock.id.desc())).first()
        user = db.session.get(User, coordinator["id"])
        assert row is not None and row.session_hash != keys.session_hash(user)
    # logging out ends it (the session's half of the key is gone)
    login(logged_in, coordinator)
    unlock(logged_in)
    assert logged_in.post("/logout").status_code in (302, 303)
    login(logged_in, coordinator)
    assert 'id="key-unlocked"' not in logged_in.get("/petitions/key").get_data(as_text=True)
    # "Lock" ends it too
    unlock(logged_in)
    assert logged_in.post("/petitions/key/lock").status_code == 302
    assert 'id="key-unlocked"' not in logged_in.get("/petitions/key").get_data(as_text=True)
    assert len(audit(app, "signer_key.unlocked")) == 4


def test_changing_the_passphrase_keeps_the_data_readable(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    assert signer.post(f"/s/{petition['code']}", data=form_data(name="Kept Readable")).status_code
    wrong = {
        "old": "not the passphrase",
        "new_passphrase": NEW_PASSPHRASE,
        "new_repeat": NEW_PASSPHRASE,
    }
    response = logged_in.post("/petitions/key/change", data=wrong)
    assert response.status_code == 422
    assert "This passphrase does not open the key." in response.get_data(as_text=True)
    short = {**wrong, "old": KEY_PASSPHRASE, "new_passphrase": "short", "new_repeat": "short"}
    response = logged_in.post("/petitions/key/change", data=short)
    assert response.status_code == 422 and "at least 12 characters" in response.get_data(
        as_text=True
    )
    right = {**wrong, "old": KEY_PASSPHRASE}
    assert logged_in.post("/petitions/key/change", data=right).status_code == 302
    bad_old = logged_in.post("/petitions/key/unlock", data={"passphrase": KEY_PASSPHRASE})
    assert bad_old.status_code == 422
    unlock(logged_in, NEW_PASSPHRASE)
    [signature] = opened(app, petition["group_id"], NEW_PASSPHRASE)
    assert signature["name"] == "Kept Readable"
    assert len(audit(app, "signer_key.passphrase_changed")) == 1


def _clear_signature(app: Flask, petition_id: int, **values: Any) -> None:
    """A signature as stored before sealing existed: everything in clear."""
    with app.app_context():
        db.session.add(
            Signature(
                petition_id=petition_id,
                kind=SignerKind.PERSON,
                consented_at=utcnow(),
                consent_language="ru",
                withdraw_token_hash=ops.token_hash(values["name"]),
                dedupe_hash=values["name"],  # an old-style hash, recomputed when sealed
                **values,
            )
        )
        db.session.commit()


def test_signatures_kept_in_clear_are_sealed_when_the_passphrase_is_set(
    app: Flask, factory: Any, signer: Client
) -> None:
    # a petition of a group from before sealing: signatures in clear, no key
    coordinator = factory.user(factory.group("Old group"), "coordinator")
    prepare_group(app, coordinator["group_id"])
    letter_id = make_signon_draft(app, coordinator)
    petition_id, code = open_petition(app, coordinator, letter_id)
    with app.app_context():
        db.session.execute(sa.delete(SignerKey))
        db.session.commit()
    ops_values = {"city": "Kaunas", "country": "LT"}
    _clear_signature(
        app,
        petition_id,
        name="Old Counted",
        email="old@example.org",
        display=Display.COUNT,
        **ops_values,
    )
    _clear_signature(
        app,
        petition_id,
        name="Old Listed",
        initials="O. L.",
        display=Display.INITIALS,
        **ops_values,
    )
    client = app.test_client()
    login(client, coordinator)
    page = client.get(f"/petitions/{petition_id}").get_data(as_text=True)
    assert 'id="no-key"' in page and "stay readable until a coordinator sets" in page
    assert "2 signatures were given before" in client.get("/petitions/key").get_data(as_text=True)
    # no key: the petition takes no signature (nothing could be sealed)
    response = signer.post(f"/s/{code}", data=form_data(name="New One"))
    assert response.status_code == 409
    assert count(app, Signature) == 2

    data = {"passphrase": KEY_PASSPHRASE, "repeat": KEY_PASSPHRASE, "understood": "y"}
    assert client.post("/petitions/key/create", data=data).status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(Signature).order_by(Signature.id)).all()
        assert [(r.name, r.initials, r.city, r.country, r.email) for r in rows] == [
            ("", "", "", "", None),
            ("", "O. L.", "Kaunas", "", None),
        ]
        assert all(r.sealed is not None and len(r.dedupe_hash) == 64 for r in rows)
    assert [s["name"] for s in opened(app, coordinator["group_id"])] == [
        "Old Counted",
        "Old Listed",
    ]
    event = audit(app, "signer_key.created")[-1]  # the first was the key deleted above
    assert event.details == {"sealed": 2}
    # the recomputed duplicate hash still finds the old signer
    assert signer.post(f"/s/{code}", data=form_data(email="OLD@example.org")).status_code == 303
    assert count(app, Signature) == 2
    assert signer.post(f"/s/{code}", data=form_data(name="New One")).status_code == 303
    assert count(app, Signature) == 3


def test_counted_only_signers_are_shown_only_after_an_audited_reveal(
    app: Flask,
    factory: Any,
    coordinator: dict[str, Any],
    logged_in: Client,
    signer: Client,
    petition: dict[str, Any],
) -> None:
    code, pid = petition["code"], petition["id"]
    listed = form_data(name="Listed Person", display="full", email="listed@example.org")
    counted = form_data(name="Quiet Person", city="", display="count", email="quiet@example.org")
    for data in (listed, counted):
        assert signer.post(f"/s/{code}", data=data).status_code == 303
    url = f"/petitions/{pid}/signatures"
    locked = logged_in.get(url).get_data(as_text=True)
    assert 'id="key-locked"' in locked
    assert "Listed Person" in locked and "listed@example.org" not in locked
    assert "Quiet Person" not in locked and "quiet@example.org" not in locked
    assert "Counted only: not revealed" in locked
    # reveal needs the key unlocked
    response = logged_in.post(f"{url}/reveal")
    assert response.status_code == 302 and "/petitions/key" in response.headers["Location"]
    assert audit(app, "petition.counted_revealed") == []

    unlock(logged_in)
    unlocked = logged_in.get(url).get_data(as_text=True)
    assert "listed@example.org" in unlocked
    assert "Quiet Person" not in unlocked and "quiet@example.org" not in unlocked
    assert "Reveal counted-only signers" in unlocked
    assert logged_in.post(f"{url}/reveal", csrf=False).status_code == 400
    assert logged_in.post(f"{url}/reveal").status_code == 302
    revealed = logged_in.get(url).get_data(as_text=True)
    assert "Quiet Person" in revealed and "quiet@example.org" in revealed
    [event] = audit(app, "petition.counted_revealed")
    assert (event.actor_id, event.object_id) == (coordinator["id"], pid)
    assert "Quiet" not in repr(event.details)
    # another coordinator's session has not revealed anything
    other = factory.user(coordinator["group_id"], "coordinator")
    client = app.test_client()
    login(client, other)
    unlock(client)
    assert "Quiet Person" not in client.get(url).get_data(as_text=True)
    # members see counts, never the signers
    member = factory.user(coordinator["group_id"], "member")
    member_client = app.test_client()
    login(member_client, member)
    for path in (f"/petitions/{pid}", f"/petitions/{pid}/annex"):
        page = member_client.get(path).get_data(as_text=True)
        assert "Quiet Person" not in page and "quiet@example.org" not in page
    assert member_client.get(url).status_code == 403


def test_a_counted_only_signer_gives_a_name_and_the_preselected_country(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    page = signer.get(f"/s/{code}").get_data(as_text=True)
    # the letter goes to a Russian authority: Russia is preselected
    assert re.search(r'<option selected value="RU">|<option value="RU" selected>', page)
    assert "Who sees what" in page and "Nobody else:" in page
    assert "only after unlocking the group's key" in page
    counted = {**form_data(display="count"), "city": "", "email": ""}
    assert signer.post(f"/s/{code}", data=counted).status_code == 303
    listed = {**form_data(display="initials", name="Other Person"), "city": ""}
    response = signer.post(f"/s/{code}", data=listed)
    assert response.status_code == 422
    assert "This is required when you are listed by name or initials." in response.get_data(
        as_text=True
    )
    assert signer.post(f"/s/{code}", data={**counted, "name": ""}).status_code == 422
    [signature] = opened(app, petition["group_id"])
    assert signature["row"] == {
        "name": "",
        "initials": "",
        "city": "",
        "country": "",
        "email": None,
        "contact_person": "",
    }
    assert (signature["name"], signature["country"], signature["city"]) == (
        "Анна Петрова",
        "RU",
        "",
    )


def test_signing_needs_no_unlocked_key_and_seals_to_the_group(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    assert count(app, KeyUnlock) == 0
    data = form_data(name="Sealed Signer", display="count", email="sealed@example.org")
    assert signer.post(f"/s/{petition['code']}", data=data).status_code == 303
    with app.app_context():
        row = db.session.scalar(sa.select(Signature))
        assert row.sealed is not None and b"Sealed" not in row.sealed
        assert (row.name, row.email) == ("", None)
        assert db.session.get(Petition, petition["id"]).group_id == petition["group_id"]
