"""A member of one group finds nothing of another group's objects, and CSRF guards every form."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Group, Invitation, Membership, Role, User
from tests.conftest import Client, count, login


@pytest.fixture
def two_groups(app: Flask, factory) -> dict[str, Any]:
    ours = factory.group("Ours")
    theirs = factory.group("Theirs")
    me = factory.user(ours, "coordinator")
    them = factory.user(theirs, "coordinator")
    their_member = factory.user(theirs, "member")
    from letterkit.accounts import operations as ops

    with app.app_context():
        invitation, _ = ops.create_invitation(
            db.session.get(Group, theirs), Role.MEMBER, db.session.get(User, them["id"])
        )
        db.session.commit()
        invitation_id = invitation.id
    return {"me": me, "them": them, "their_member": their_member, "invitation_id": invitation_id}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/members/{their_member}/role", {"role": "coordinator"}),
        ("/members/{their_member}/remove", {}),
        ("/members/{them}/remove", {}),
        ("/invitations/{invitation_id}/revoke", {}),
    ],
)
def test_other_groups_objects_are_404(
    app: Flask, client: Client, two_groups: dict[str, Any], path: str, data: dict[str, str]
) -> None:
    login(client, two_groups["me"])
    url = path.format(
        their_member=two_groups["their_member"]["membership_id"],
        them=two_groups["them"]["membership_id"],
        invitation_id=two_groups["invitation_id"],
    )
    assert client.post(url, data=data).status_code == 404
    with app.app_context():
        assert count(app, Membership) == 3
        member = db.session.get(Membership, two_groups["their_member"]["membership_id"])
        assert member.role is Role.MEMBER
        assert db.session.get(Invitation, two_groups["invitation_id"]).revoked_at is None


def test_other_groups_members_are_not_listed(client: Client, two_groups: dict[str, Any]) -> None:
    login(client, two_groups["me"])
    page = client.get("/members").get_data(as_text=True)
    assert "Theirs" not in page
    assert two_groups["them"]["email"] not in page


def test_switching_to_a_group_one_is_not_in_is_404(
    client: Client, two_groups: dict[str, Any], app: Flask
) -> None:
    login(client, two_groups["me"])
    with app.app_context():
        theirs = db.session.scalar(sa.select(Group.id).where(Group.name == "Theirs"))
    assert client.post("/group", data={"group_id": str(theirs)}).status_code == 404
    assert "Theirs" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/setup", {"group_name": "X", "display_name": "X", "email": "x@example.org"}),
        ("/login", {"email": "x@example.org", "password": "whatever password"}),
        ("/members/invite", {"role": "member"}),
        ("/group/settings", {"name": "Hijacked", "default_letter_language": "en"}),
        ("/language", {"lang": "ru"}),
        ("/logout", {}),
    ],
)
def test_post_without_csrf_token_is_refused(
    app: Flask, client: Client, coordinator: dict[str, Any], path: str, data: dict[str, str]
) -> None:
    login(client, coordinator)
    before = (count(app, Invitation), count(app, Group), count(app, User))
    response = client.post(path, data=data, csrf=False)
    assert response.status_code == 400
    assert "not sent from a letterkit page" in response.get_data(as_text=True)
    assert (count(app, Invitation), count(app, Group), count(app, User)) == before
    with app.app_context():
        assert db.session.get(Group, coordinator["group_id"]).name != "Hijacked"
    assert client.get("/members").status_code == 200  # still logged in
