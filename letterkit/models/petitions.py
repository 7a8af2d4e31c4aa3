"""Petitions: a letter opened for signatures, the signatures of organisations and people, and
the group's signer key that seals their personal data.

A signer's personal data is sealed to the group's public key (``Signature.sealed``); in clear a
row keeps only what its signer chose to show in the public annex. A keyed hash of the duplicate
key lets the duplicate check work without the data, and the withdrawal token is stored as a
hash. After the retention period the sealed data is deleted too.
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
    # In clear only what the public annex shows for the signer's choice (see ``PUBLIC_COLUMNS``):
    # the name, city and country of ``Display.FULL``, the initials and city of
    # ``Display.INITIALS``, nothing of ``Display.COUNT``. Everything else is in ``sealed``.
    # Rows signed before sealing existed (``sealed`` is None and ``reduced_at`` is None) hold
    # their data here in clear until a coordinator of the group sets the key's passphrase.
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    # What the annex shows for ``Display.INITIALS`` («А. П.»), kept when the name is reduced.
    initials: Mapped[str] = mapped_column(sa.String(40), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    contact_person: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # A libsodium sealed box to the group's public key of the JSON {name, city, country, email,
    # contact_person}; None once reduced after retention (and on rows signed before sealing).
    sealed: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    # HMAC-SHA256 (app secret and the group key's salt) of the normalised e-mail, or of name
    # and city without one.
    dedupe_hash: Mapped[str] = mapped_column(sa.String(64))
    withdraw_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    consented_at: Mapped[datetime]
    # The interface language the signer read the consent statement in.
    consent_language: Mapped[str] = mapped_column(sa.String(8))
    hidden: Mapped[bool] = mapped_column(default=False)
    reduced_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    petition: Mapped[Petition] = relationship()


PUBLIC_COLUMNS = {
    Display.FULL: ("name", "city", "country"),
    Display.INITIALS: ("initials", "city"),
    Display.COUNT: (),
}
"""The columns of a signature kept in clear for each display choice: what the annex shows."""


class SignerKey(Model):
    """A group's key pair for signers' data: the public key seals, the private key (wrapped in
    a secret box under a key derived from a coordinator's passphrase by argon2id) opens.

    The key pair lives as long as the group: a new passphrase re-wraps the same private key.
    The passphrase itself is stored nowhere.
    """

    __tablename__ = "signer_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("group.id", ondelete="CASCADE"), unique=True
    )
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    # SecretBox(argon2id(passphrase, kdf_salt, opslimit, memlimit)) of the private key.
    wrapped_private_key: Mapped[bytes] = mapped_column(sa.LargeBinary(128))
    kdf_salt: Mapped[bytes] = mapped_column(sa.LargeBinary(16))
    opslimit: Mapped[int]
    memlimit: Mapped[int] = mapped_column(sa.BigInteger)
    # Mixed with the app secret into the duplicate hash: not secret by itself.
    dedupe_salt: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class KeyUnlock(Model):
    """A group's private key unlocked for one coordinator's browser session.

    The row holds the private key in a secret box whose random key is only in that session's
    cookie (signed by Flask): the database alone cannot open it, the cookie alone holds no key.
    It ends at ``expires_at``, on "Lock", and when the user's session token changes (logout,
    new password), because ``session_hash`` must match the current token.
    """

    __tablename__ = "key_unlock"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    session_hash: Mapped[str] = mapped_column(sa.String(64))
    wrapped_private_key: Mapped[bytes] = mapped_column(sa.LargeBinary(128))
    # Petitions whose counted-only signers this unlock shows (after the audited "reveal").
    revealed: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
