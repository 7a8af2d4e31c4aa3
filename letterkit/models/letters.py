"""Letters: drafts a group composes, and final letters stored exactly as issued."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from letterkit.markers import N_

from .base import Model, enum_type, public_id_column, utcnow


class LetterStatus(enum.StrEnum):
    """A letter is a draft until it is finalised; a final letter never changes."""

    DRAFT = "draft"
    FINAL = "final"

    @property
    def label(self) -> str:
        return LETTER_STATUS_LABELS[self]


LETTER_STATUS_LABELS = {LetterStatus.DRAFT: N_("Draft"), LetterStatus.FINAL: N_("Final")}


class Letter(Model):
    """One letter to one authority, from a template, with demands and the template's fields."""

    __tablename__ = "letter"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "reference"),
        sa.Index("ix_letter_group_id_status_updated_at", "group_id", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("let")
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"))
    status: Mapped[LetterStatus] = mapped_column(
        enum_type(LetterStatus), default=LetterStatus.DRAFT
    )
    template: Mapped[str] = mapped_column(sa.String(64))
    language: Mapped[str] = mapped_column(sa.String(8))
    country: Mapped[str] = mapped_column(sa.String(8))
    authority_slug: Mapped[str] = mapped_column(sa.String(80))
    # What lists show: the authority's name and the subject, kept in sync when the draft is saved.
    authority_name: Mapped[str] = mapped_column(sa.String(300), default="")
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    demand_slugs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    paragraphs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    fields: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    place: Mapped[str] = mapped_column(sa.String(120), default="")
    # Who signs this letter, when not the group's usual signer (empty: the group's).
    signer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    signer_title: Mapped[str] = mapped_column(sa.String(200), default="")
    letter_date: Mapped[date | None]
    reference: Mapped[str | None] = mapped_column(sa.String(60))
    # The letter's text as issued (subject, salutation, paragraphs, demands …), for display.
    content: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    document: Mapped[LetterDocument | None] = relationship(
        back_populates="letter", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_final(self) -> bool:
        return self.status is LetterStatus.FINAL


class LetterDocument(Model):
    """The DOCX exactly as issued, with its SHA-256, so what was handed over can be checked."""

    __tablename__ = "letter_document"

    letter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("letter.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    letter: Mapped[Letter] = relationship(back_populates="document")


class ReferenceCounter(Model):
    """The last reference number a group gave in a year (``GROUP-2026/014``)."""

    __tablename__ = "reference_counter"

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class GroupLetterhead(Model):
    """A group's own letterhead (.docx): its header, footer and styles frame every letter."""

    __tablename__ = "group_letterhead"

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    filename: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
