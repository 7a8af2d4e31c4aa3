"""Invitations, roles and removal of members."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, Invitation, Membership, Role, User
from tests.conftest import PASSWORD, Client, count, login

LINK = re.compile(r'id="invite-link"[^>]*value="([^"]+)"')


def invite(client: Client, role: str = "member") -> str:
    response = client.post("/members/invite", data={"role": role})
    assert response.status_code == 200
    match = LINK.search(response.get_data(as_text=True))
    assert match
    return match.group(1).replace("http://localhost", "")


def accept(client: Client, path: str, email: str = "new@example.org") -> Any:
    return client.post(
        path,
        data={
            "display_name": "New person",
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "interface_language": "en",
        },
    )


def login_as_newcomer(client: Client, path: str, email: str = "new@example.org") -> None:
    """Log in from the invitation's answer; the link then leads home."""
    response = client.post(f"/login?next={path}", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == path
    assert client.get(path).headers["Location"] == "/"


def test_invitation_makes_a_member(app: Flask, logged_in: Client) -> None:
    path = invite(logged_in, "member")
    with app.app_context():
        stored = db.session.scalars(sa.select(Invitation)).one()
        assert path.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is kept
    newcomer = app.test_client()
    assert "Create my account and join" in newcomer.get(path).get_data(as_text=True)
    response = accept(newcomer, path)
    assert response.status_code == 302 and response.headers["Location"] == f"/login?next={path}"
    login_as_newcomer(newcomer, path)
    assert newcomer.get("/members").status_code == 200
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "new@example.org")).one()
        assert user.memberships[0].role is Role.MEMBER
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"invitation.created", "invitation.accepted", "membership.created"} <= actions


def test_invitation_works_once(app: Flask, logged_in: Client) -> None:
    path = invite(logged_in)
    assert accept(app.test_client(), path).status_code == 302
    late = app.test_client()
    assert late.get(path).status_code == 404
    assert accept(late, path, "late@example.org").status_code == 404
    assert count(app, User) == 2


def test_revoked_and_expired_invitations_do_not_work(app: Flask, logged_in: Client) -> None:
    revoked = invite(logged_in)
    expired = invite(logged_in)
    with app.app_context():
        first, second = db.session.scalars(sa.select(Invitation).order_by(Invitation.id)).all()
        first_id = first.id
        second.expires_at = second.created_at - timedelta(seconds=1)
        db.session.commit()
    assert logged_in.post(f"/invitations/{first_id}/revoke").status_code == 302
    newcomer = app.test_client()
    assert newcomer.get(revoked).status_code == 404
    assert newcomer.get(expired).status_code == 404
    assert newcomer.get("/invite/made-up-token").status_code == 404


def test_invitation_as_coordinator(app: Flask, logged_in: Client) -> None:
    path = invite(logged_in, "coordinator")
    newcomer = app.test_client()
    accept(newcomer, path)
    login_as_newcomer(newcomer, path)
    assert newcomer.get("/group/settings").status_code == 200


CSRF_VALUE = re.compile(r'name="csrf_token"[^>]*value="[^"]+"|value="[^"]+"[^>]*name="csrf_token"')


def test_the_answer_does_not_tell_whether_an_email_has_an_account(
    app: Flask, logged_in: Client, coordinator: dict[str, Any], factory
) -> None:
    other_group = factory.group("Other group")
    existing = factory.user(other_group, "member", email="known@example.org")
    path = invite(logged_in)
    answers = {}
    for email in ("known@example.org", "KNOWN@example.org", "fresh@example.org"):
        client = app.test_client()
        response = accept(client, path, email)
        page = client.get(response.headers["Location"])  # the login page with the message
        answers[email] = (
            response.status_code,
            response.headers["Location"],
            response.get_data(),
            page.status_code,
            CSRF_VALUE.sub("", page.get_data(as_text=True)),
        )
    assert answers["known@example.org"] == answers["fresh@example.org"]
    assert answers["KNOWN@example.org"] == answers["fresh@example.org"]
    status, location, _body, page_status, page = answers["fresh@example.org"]
    assert (status, location, page_status) == (302, f"/login?next={path}", 200)
    assert "Log in with this e-mail to join" in page
    with app.app_context():
        known = db.session.scalars(sa.select(User).where(User.email == "known@example.org")).one()
        assert known.display_name != "New person"  # nothing typed was used on it
        assert [m.group_id for m in known.memberships] == [other_group]
    # The fresh e-mail used up the link. With a new one, the real owner of the account answers,
    # logs in and finds the invitation waiting.
    path = invite(logged_in)
    owner = app.test_client()
    assert accept(owner, path, existing["email"]).headers["Location"] == f"/login?next={path}"
    response = owner.post(
        f"/login?next={path}", data={"email": existing["email"], "password": PASSWORD}
    )
    assert response.headers["Location"] == path
    assert "Join as member" in owner.get(path).get_data(as_text=True)
    assert owner.post(path).status_code == 302
    with app.app_context():
        known = db.session.scalars(sa.select(User).where(User.email == "known@example.org")).one()
        assert {m.group_id for m in known.memberships} == {other_group, coordinator["group_id"]}
    assert count(app, User) == 3  # the coordinator, the known account and the fresh one


def test_logged_in_user_joins_a_second_group(app: Flask, factory, logged_in: Client) -> None:
    other_group = factory.group("Second group")
    other_coordinator = factory.user(other_group, "coordinator")
    second = app.test_client()
    login(second, other_coordinator)
    path = invite(second)
    response = logged_in.post(path)
    assert response.status_code == 302
    page = logged_in.get("/").get_data(as_text=True)
    assert "Second group" in page


def test_coordinator_changes_roles_but_keeps_one_coordinator(
    app: Flask, factory, coordinator, logged_in: Client
) -> None:
    member = factory.user(coordinator["group_id"], "member")
    response = logged_in.post(
        f"/members/{member['membership_id']}/role", data={"role": "coordinator"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Membership, member["membership_id"]).role is Role.COORDINATOR
    # Two coordinators: one may step down; the last one may not.
    logged_in.post(f"/members/{member['membership_id']}/role", data={"role": "member"})
    response = logged_in.post(
        f"/members/{coordinator['membership_id']}/role",
        data={"role": "member"},
        follow_redirects=True,
    )
    assert "at least one coordinator" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, coordinator["membership_id"]).role is Role.COORDINATOR


def test_coordinator_removes_a_member(app: Flask, factory, coordinator, logged_in: Client) -> None:
    member = factory.user(coordinator["group_id"], "member")
    member_client = app.test_client()
    login(member_client, member)
    assert logged_in.post(f"/members/{member['membership_id']}/remove").status_code == 302
    assert count(app, Membership) == 1
    assert member_client.get("/members").status_code == 404  # no group any more
    response = logged_in.post(
        f"/members/{coordinator['membership_id']}/remove", follow_redirects=True
    )
    assert "at least one coordinator" in response.get_data(as_text=True)
    assert count(app, Membership) == 1


def test_unknown_role_is_refused(app: Flask, factory, coordinator, logged_in: Client) -> None:
    member = factory.user(coordinator["group_id"], "member")
    response = logged_in.post(
        f"/members/{member['membership_id']}/role", data={"role": "admin"}, follow_redirects=True
    )
    assert "Choose a role." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, member["membership_id"]).role is Role.MEMBER


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/group/settings"),
        ("post", "/group/settings"),
        ("post", "/members/invite"),
        ("post", "/members/{membership_id}/role"),
        ("post", "/members/{membership_id}/remove"),
    ],
)
def test_members_cannot_do_what_coordinators_do(
    app: Flask, factory, coordinator, client: Client, method: str, path: str
) -> None:
    member = factory.user(coordinator["group_id"], "member")
    login(client, member)
    url = path.format(membership_id=coordinator["membership_id"])
    kwargs = {"data": {"role": "member", "name": "Taken over"}} if method == "post" else {}
    assert getattr(client, method)(url, **kwargs).status_code == 403
    assert count(app, Invitation) == 0
    with app.app_context():
        assert db.session.get(Membership, coordinator["membership_id"]).role is Role.COORDINATOR


def test_members_see_names_but_not_emails(factory, coordinator, client: Client) -> None:
    member = factory.user(coordinator["group_id"], "member")
    login(client, member)
    page = client.get("/members").get_data(as_text=True)
    assert "Person 1" in page
    assert coordinator["email"] not in page


def test_group_settings_are_saved_and_audited(app: Flask, coordinator, logged_in: Client) -> None:
    data = {
        "name": "Harm Reduction Group",
        "latn_address": "ul. Lenina 1\nMoscow",
        "cyrl_address": "ул. Ленина 1\nМосква",
        "email": "info@example.org",
        "phone": "+7 000",
        "website": "",
        "default_letter_language": "ru",
        "latn_signer_name": "Anna Petrova",
        "latn_signer_title": "Coordinator",
    }
    assert logged_in.post("/group/settings", data=data).status_code == 302
    with app.app_context():
        from letterkit.models import Group

        group = db.session.get(Group, coordinator["group_id"])
        assert group.name_form("Latn").address == "ul. Lenina 1\nMoscow"
        assert group.name_form("Cyrl").address == "ул. Ленина 1\nМосква"
        assert group.name_form("Cyrl").signer_name == ""
        assert group.default_letter_language == "ru"
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "group.updated")
        ).one()
        assert set(event.details["fields"]) == {
            "address.Latn",
            "address.Cyrl",
            "email",
            "phone",
            "default_letter_language",
            "signer_name.Latn",
            "signer_title.Latn",
        }
        assert "Anna Petrova" not in str(event.details)
        assert "Ленина" not in str(event.details)


def _docx(header: str = "OUR LETTERHEAD") -> bytes:
    import io

    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_letterhead_upload_and_removal(app: Flask, coordinator, logged_in: Client) -> None:
    import io

    from letterkit.models import GroupLetterhead

    response = logged_in.post(
        "/group/letterhead",
        data={"letterhead": (io.BytesIO(_docx()), "head.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = logged_in.get("/group/settings").get_data(as_text=True)
    assert "head.docx" in page
    assert logged_in.post("/group/letterhead/remove").status_code == 302
    assert count(app, GroupLetterhead) == 0


@pytest.mark.parametrize(
    ("payload", "name", "message"),
    [
        (b"plain text, not a document", "notes.docx", "not a Word document"),
        (b"PK\x05\x06" + b"\x00" * 18, "empty-zip.docx", "not a Word document"),
        (b"x" * (5 * 1024 * 1024 + 10), "huge.docx", "too large"),
    ],
)
def test_bad_letterheads_are_refused(
    app: Flask, logged_in: Client, payload: bytes, name: str, message: str
) -> None:
    import io

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from letterkit.models import GroupLetterhead

    # Encoded in memory: the test client would otherwise spool a large body to a temporary file
    # that it never closes.
    boundary, body = encode_multipart(
        {
            "csrf_token": logged_in.csrf_token(),
            "letterhead": FileStorage(io.BytesIO(payload), filename=name),
        }
    )
    response = logged_in.post(
        "/group/letterhead",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        csrf=False,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.split('id="letterhead-error"', 1)[1].split("</p>", 1)[0]
    assert count(app, GroupLetterhead) == 0


def test_reference_prefix_must_be_simple(app: Flask, coordinator, logged_in: Client) -> None:
    data = {"name": "Group", "default_letter_language": "en", "reference_prefix": "Ключ/1"}
    page = logged_in.post("/group/settings", data=data).get_data(as_text=True)
    assert "Use only Latin letters, digits and hyphens." in page
    data["reference_prefix"] = "hrm-msk"
    assert logged_in.post("/group/settings", data=data).status_code == 302
    with app.app_context():
        from letterkit.models import Group

        assert db.session.get(Group, coordinator["group_id"]).reference_prefix == "HRM-MSK"
