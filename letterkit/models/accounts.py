"""Groups, users, memberships and invitations."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from letterkit.catalogue.scripts import script_of
from letterkit.markers import N_

from .base import Model, enum_type, utcnow


class Role(enum.StrEnum):
    """What a member may do in a group."""

    COORDINATOR = "coordinator"
    MEMBER = "member"

    @property
    def label(self) -> str:
        """Untranslated label; the web layer passes it through gettext."""
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.COORDINATOR: N_("Coordinator"), Role.MEMBER: N_("Member")}


def _new_session_token() -> str:
    return secrets.token_urlsafe(24)


#: The printed details a group keeps once per script (see ``GroupNameForm``).
NAME_FORM_FIELDS = ("name", "address", "signer_name", "signer_title")


class Group(Model):
    """An organisation that writes letters together.

    ``name`` is the group's name in the interface. What a letter prints (the sender's name and
    address, the signer's name and title) is kept once per script in ``name_forms``; the
    ``address``, ``signer_name`` and ``signer_title`` attributes read the first form that has
    the field and write to the form of the value's own script (never to another script).
    """

    __tablename__ = "group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(64), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    default_letter_language: Mapped[str] = mapped_column(sa.String(8), default="en")
    # Printed before the year and number of every final letter: ``PREFIX-2026/014``.
    reference_prefix: Mapped[str] = mapped_column(sa.String(20), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    name_forms: Mapped[list[GroupNameForm]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupNameForm.id"
    )

    def name_form(self, script: str, *, create: bool = False) -> GroupNameForm | None:
        """The group's printed details in ``script`` (ISO 15924), made when ``create``."""
        for form in self.name_forms:
            if form.script == script:
                return form
        if not create:
            return None
        form = GroupNameForm(script=script, name="", address="", signer_name="", signer_title="")
        self.name_forms.append(form)
        return form

    def _first(self, field: str) -> str:
        return next((getattr(f, field) for f in self.name_forms if getattr(f, field)), "")

    def _store(self, field: str, value: str) -> None:
        script = script_of(value or "")
        for form in self.name_forms:
            if script is None or form.script == script:
                setattr(form, field, "")
        if value and script is not None:
            setattr(self.name_form(script, create=True), field, value)

    @property
    def address(self) -> str:
        return self._first("address")

    @address.setter
    def address(self, value: str) -> None:
        self._store("address", value)

    @property
    def signer_name(self) -> str:
        return self._first("signer_name")

    @signer_name.setter
    def signer_name(self, value: str) -> None:
        self._store("signer_name", value)

    @property
    def signer_title(self) -> str:
        return self._first("signer_title")

    @signer_title.setter
    def signer_title(self, value: str) -> None:
        self._store("signer_title", value)


class GroupNameForm(Model):
    """The group's name, postal address and signer (name and title) as printed in one script
    (ISO 15924: ``Latn``, ``Cyrl``, ``Geor``, ``Armn``). A letter prints the form of its
    language's script; an empty field falls back to another form, and the letter says so."""

    __tablename__ = "group_name_form"
    __table_args__ = (sa.UniqueConstraint("group_id", "script"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    script: Mapped[str] = mapped_column(sa.String(4))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.Text, default="")
    signer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signer_title: Mapped[str] = mapped_column(sa.String(200), default="")

    group: Mapped[Group] = relationship(back_populates="name_forms")


class User(Model):
    """A person who logs in. The e-mail is stored lower-cased and never logged."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    interface_language: Mapped[str] = mapped_column(sa.String(8), default="en")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie; changing it (new password) ends every other session.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=_new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        """End every session of this user but the one that logs in next."""
        self.session_token = _new_session_token()


class Membership(Model):
    """A user's place in a group, with a role."""

    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("user_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    group: Mapped[Group] = relationship(back_populates="memberships")


class Invitation(Model):
    """A one-time link a coordinator passes on; only a hash of its token is stored."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[Role] = mapped_column(enum_type(Role))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]

    group: Mapped[Group] = relationship()

    def is_open(self, now: datetime) -> bool:
        """Whether the link can still be used."""
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
