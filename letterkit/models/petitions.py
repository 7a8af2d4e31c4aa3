"""Petitions: a letter opened for signatures, and the signatures of organisations and people.

A signer's personal data is kept only as long as needed: a keyed hash of the duplicate key lets
the duplicate check work after the name and e-mail are gone, and the withdrawal token is stored
as a hash. After the retention period the row keeps only what the signer chose to show.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from letterkit.markers import N_

from .base import Model, enum_type, utcnow


class Display(enum.StrEnum):
    """How a signer appears in the annex and in exports."""

    FULL = "full"
    INITIALS = "initials"
    COUNT = "count"

    @property
    def label(self) -> str:
        """Untranslated label; the web layer passes it through gettext."""
        return DISPLAY_LABELS[self]


DISPLAY_LABELS = {
    Display.FULL: N_("Full name"),
    Display.INITIALS: N_("Initials and city"),
    Display.COUNT: N_("Counted only"),
}


class SignerKind(enum.StrEnum):
    """An organisation or a person."""

    PERSON = "person"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return SIGNER_KIND_LABELS[self]


SIGNER_KIND_LABELS = {
    SignerKind.PERSON: N_("Individual"),
    SignerKind.ORGANISATION: N_("Organisation"),
}


class Petition(Model):
    """A letter opened for signatures through a public link ``/s/<code>``."""

    __tablename__ = "petition"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    # The letter the signatures are annexed to; the petition outlives a deleted draft.
    letter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("letter.id", ondelete="SET NULL"), unique=True
    )
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    # The letter's language; ``texts`` holds it and any translations: {lang: {title, body}}.
    language: Mapped[str] = mapped_column(sa.String(8))
    texts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    goal: Mapped[int | None]
    closes_on: Mapped[date | None]
    default_display: Mapped[Display] = mapped_column(enum_type(Display), default=Display.COUNT)
    retention_days: Mapped[int] = mapped_column(default=90)
    is_open: Mapped[bool] = mapped_column(default=True)
    closed_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def title(self) -> str:
        """The title in the letter's language."""
        return str(self.texts.get(self.language, {}).get("title", ""))


class Signature(Model):
    """One organisation or person who signed. No personal data goes into logs or URLs."""

    __tablename__ = "signature"
    __table_args__ = (
        # One signature per duplicate key and petition, also under concurrent requests.
        sa.UniqueConstraint("petition_id", "dedupe_hash"),
        sa.Index("ix_signature_petition_id_hidden_kind", "petition_id", "hidden", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(sa.ForeignKey("petition.id", ondelete="CASCADE"))
    kind: Mapped[SignerKind] = mapped_column(enum_type(SignerKind))
    display: Mapped[Display] = mapped_column(enum_type(Display))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    # What the annex shows for ``Display.INITIALS`` («А. П.»), kept when the name is reduced.
    initials: Mapped[str] = mapped_column(sa.String(40), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    contact_person: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # HMAC-SHA256 (app secret) of the normalised e-mail, or of name and city without one.
    dedupe_hash: Mapped[str] = mapped_column(sa.String(64))
    withdraw_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    consented_at: Mapped[datetime]
    # The interface language the signer read the consent statement in.
    consent_language: Mapped[str] = mapped_column(sa.String(8))
    hidden: Mapped[bool] = mapped_column(default=False)
    reduced_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    petition: Mapped[Petition] = relationship()
