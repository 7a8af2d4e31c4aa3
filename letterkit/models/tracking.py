"""Tracking: dispatches of final letters to authorities, their due dates, replies and proof files.

A dispatch's life is an explicit state machine (:data:`TRANSITIONS`). "Overdue" and "very
overdue" are not states: they follow from the stored due dates and today, so the database can
filter on them (see ``letterkit.tracking.queries``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from letterkit.markers import N_

from .accounts import User
from .base import Model, enum_type, public_id_column, utcnow
from .letters import Letter


class DispatchMethod(enum.StrEnum):
    """How a letter went to the authority."""

    HAND = "hand"
    REFUSED = "refused"
    REGISTERED_POST = "registered_post"
    POST = "post"
    EMAIL = "email"
    PORTAL = "portal"
    FAX = "fax"
    FORWARDED = "forwarded"  # another body forwarded the letter (not chosen by the group)

    @property
    def label(self) -> str:
        return DISPATCH_METHOD_LABELS[self]

    @property
    def delivers_same_day(self) -> bool:
        """Whether the authority has the letter on the day it is sent."""
        return self in (
            DispatchMethod.HAND,
            DispatchMethod.EMAIL,
            DispatchMethod.PORTAL,
            DispatchMethod.FAX,
        )


DISPATCH_METHOD_LABELS = {
    DispatchMethod.HAND: N_("Handed in person"),
    DispatchMethod.REFUSED: N_("Refused at the door"),
    DispatchMethod.REGISTERED_POST: N_("Registered post"),
    DispatchMethod.POST: N_("Ordinary post"),
    DispatchMethod.EMAIL: N_("E-mail"),
    DispatchMethod.PORTAL: N_("The authority's portal"),
    DispatchMethod.FAX: N_("Fax"),
    DispatchMethod.FORWARDED: N_("Forwarded by another body"),
}


class DispatchState(enum.StrEnum):
    """Where a dispatch is in its life. Overdue is not a state: it follows from the dates."""

    PLANNED = "planned"
    SENT = "sent"
    REGISTERED = "registered"
    EXTENDED = "extended"
    ANSWERED = "answered"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return DISPATCH_STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Waiting for a reply: the due date counts."""
        return self in OPEN_STATES


DISPATCH_STATE_LABELS = {
    DispatchState.PLANNED: N_("Planned"),
    DispatchState.SENT: N_("Sent"),
    DispatchState.REGISTERED: N_("Registered"),
    DispatchState.EXTENDED: N_("Extended"),
    DispatchState.ANSWERED: N_("Answered"),
    DispatchState.CLOSED: N_("Closed"),
}

OPEN_STATES = frozenset({DispatchState.SENT, DispatchState.REGISTERED, DispatchState.EXTENDED})

#: The allowed transitions. A state may follow itself where the same event can recur (another
#: extension, another reply).
TRANSITIONS: dict[DispatchState, frozenset[DispatchState]] = {
    DispatchState.PLANNED: frozenset({DispatchState.SENT, DispatchState.CLOSED}),
    DispatchState.SENT: frozenset(
        {
            DispatchState.REGISTERED,
            DispatchState.EXTENDED,
            DispatchState.ANSWERED,
            DispatchState.CLOSED,
        }
    ),
    DispatchState.REGISTERED: frozenset(
        {DispatchState.EXTENDED, DispatchState.ANSWERED, DispatchState.CLOSED}
    ),
    DispatchState.EXTENDED: frozenset(
        {DispatchState.EXTENDED, DispatchState.ANSWERED, DispatchState.CLOSED}
    ),
    DispatchState.ANSWERED: frozenset({DispatchState.ANSWERED, DispatchState.CLOSED}),
    DispatchState.CLOSED: frozenset(),
}


class ReplyChannel(enum.StrEnum):
    """How a reply came."""

    POST = "post"
    EMAIL = "email"
    PORTAL = "portal"
    HAND = "hand"
    FAX = "fax"

    @property
    def label(self) -> str:
        return REPLY_CHANNEL_LABELS[self]


REPLY_CHANNEL_LABELS = {
    ReplyChannel.POST: N_("By post"),
    ReplyChannel.EMAIL: N_("By e-mail"),
    ReplyChannel.PORTAL: N_("Through the authority's portal"),
    ReplyChannel.HAND: N_("Handed over"),
    ReplyChannel.FAX: N_("By fax"),
}


class ReplyOutcome(enum.StrEnum):
    """What a reply amounts to."""

    MERITS = "merits"
    FORMAL = "formal"
    REFUSAL = "refusal"
    FORWARDED = "forwarded"
    ACKNOWLEDGEMENT = "acknowledgement"

    @property
    def label(self) -> str:
        return REPLY_OUTCOME_LABELS[self]

    @property
    def answers(self) -> bool:
        """Whether the reply answers the letter (an acknowledgement does not: the term runs on)."""
        return self is not ReplyOutcome.ACKNOWLEDGEMENT

    @property
    def on_the_merits(self) -> bool:
        """Whether the reply answers the substance. A refusal does (the authority considered the
        demands and said no); a formal reply (отписка), forwarding or an acknowledgement not."""
        return self in (ReplyOutcome.MERITS, ReplyOutcome.REFUSAL)


REPLY_OUTCOME_LABELS = {
    ReplyOutcome.MERITS: N_("Answered on the merits"),
    ReplyOutcome.FORMAL: N_("Formal reply"),
    ReplyOutcome.REFUSAL: N_("Refusal"),
    ReplyOutcome.FORWARDED: N_("Forwarded to another body"),
    ReplyOutcome.ACKNOWLEDGEMENT: N_("Acknowledgement of receipt only"),
}


class FileKind(enum.StrEnum):
    """What a stored file shows."""

    PROOF = "proof"  # the stamped copy, a postal receipt
    REPLY = "reply"  # the scan of a reply


class Dispatch(Model):
    """One final letter going to one authority, with its due date stored as computed."""

    __tablename__ = "dispatch"
    # The dashboard's questions are ranges on these indexes (see letterkit.tracking.queries).
    # Each ends with the country and the authority, so filtered counts are read from the index
    # alone, and the lists are read in index order (no sorting).
    __table_args__ = (
        sa.Index(
            "ix_dispatch_group_id_is_open_due_on",
            "group_id",
            "is_open",
            "due_on",
            "very_overdue_on",
            "country",
            "authority_slug",
        ),
        sa.Index(
            "ix_dispatch_group_id_is_open_very_overdue_on",
            "group_id",
            "is_open",
            "very_overdue_on",
            "country",
            "authority_slug",
        ),
        sa.Index(
            "ix_dispatch_group_id_answered_on",
            "group_id",
            "answered_on",
            "country",
            "authority_slug",
        ),
        sa.Index(
            "ix_dispatch_group_id_outcome_answered_on",
            "group_id",
            "outcome",
            "answered_on",
            "country",
            "authority_slug",
        ),
        # Responsiveness per authority: every column the aggregate reads.
        sa.Index(
            "ix_dispatch_group_id_authority_slug_days_to_answer",
            "group_id",
            "authority_slug",
            "days_to_answer",
            "country",
            "sent_on",
            "due_on",
            "answered_on",
            "merits_on",
            "outcome",
        ),
        sa.Index("ix_dispatch_group_id_id", "group_id", "id"),
        sa.Index("ix_dispatch_group_id_state_id", "group_id", "state", "id"),
        # Due dates computed with other rules or holidays than those in use now.
        sa.Index(
            "ix_dispatch_group_id_rules_version", "group_id", "rules_version", "holidays_version"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("dsp")
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"))
    letter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("letter.id", ondelete="CASCADE"), index=True
    )
    # The dispatch this one continues, when an authority forwarded the letter to another body.
    forwarded_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("dispatch.id", ondelete="SET NULL")
    )
    authority_slug: Mapped[str] = mapped_column(sa.String(80))
    authority_name: Mapped[str] = mapped_column(sa.String(300), default="")
    country: Mapped[str] = mapped_column(sa.String(8))
    # The subdivision whose public holidays apply (where the authority sits), if any.
    subdiv: Mapped[str | None] = mapped_column(sa.String(10))
    # A kind of proceeding with its own reply rule (deadlines' [kinds]); None: the general rule.
    proceeding_kind: Mapped[str | None] = mapped_column(sa.String(40))
    method: Mapped[DispatchMethod] = mapped_column(enum_type(DispatchMethod))
    state: Mapped[DispatchState] = mapped_column(enum_type(DispatchState))
    # Kept equal to ``state.is_open`` by the operations, so indexes can serve the dashboard.
    is_open: Mapped[bool] = mapped_column(default=False)
    planned_on: Mapped[date | None]
    sent_on: Mapped[date | None]
    delivered_on: Mapped[date | None]
    handed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    handed_by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    registration_number: Mapped[str] = mapped_column(sa.String(100), default="")
    registered_on: Mapped[date | None]
    target_days: Mapped[int | None]
    # The due date as computed by letterkit.deadlines, with what it was computed from.
    due_on: Mapped[date | None]
    very_overdue_on: Mapped[date | None]
    due_kind: Mapped[str | None] = mapped_column(sa.String(20))
    due_estimate: Mapped[bool] = mapped_column(default=False)
    rule_id: Mapped[str | None] = mapped_column(sa.String(80))
    rules_version: Mapped[str | None] = mapped_column(sa.String(40))
    holidays_version: Mapped[str | None] = mapped_column(sa.String(40))
    due_explanation: Mapped[dict[str, Any] | None] = deferred(mapped_column(sa.JSON))
    due_computed_at: Mapped[datetime | None]
    # The first reply that answers the letter, and the outcome of the latest one.
    answered_on: Mapped[date | None]
    days_to_answer: Mapped[int | None]
    outcome: Mapped[ReplyOutcome | None] = mapped_column(enum_type(ReplyOutcome))
    # The first reply on the merits (a refusal included; a formal reply or forwarding is not):
    # the statistics per authority time answers by it.
    merits_on: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    letter: Mapped[Letter] = relationship()
    handed_by: Mapped[User | None] = relationship(foreign_keys=[handed_by_id])
    extensions: Mapped[list[DispatchExtension]] = relationship(
        back_populates="dispatch",
        cascade="all, delete-orphan",
        order_by="DispatchExtension.id",
    )
    replies: Mapped[list[DispatchReply]] = relationship(
        back_populates="dispatch",
        cascade="all, delete-orphan",
        order_by="(DispatchReply.received_on, DispatchReply.id)",
    )
    files: Mapped[list[TrackingFile]] = relationship(
        back_populates="dispatch", cascade="all, delete-orphan", order_by="TrackingFile.id"
    )

    @property
    def received_on(self) -> date | None:
        """The day the authority had the letter, as far as known (else the day it was sent)."""
        return self.delivered_on or self.sent_on


class DispatchExtension(Model):
    """An authority's notice that it extends the term: when it said so, and the new due date."""

    __tablename__ = "dispatch_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("ext")
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"))
    dispatch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dispatch.id", ondelete="CASCADE"), index=True
    )
    notice_on: Mapped[date]
    new_due_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dispatch: Mapped[Dispatch] = relationship(back_populates="extensions")


class DispatchReply(Model):
    """An authority's reply: when and how it came, what it says, and what it amounts to."""

    __tablename__ = "dispatch_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("rep")
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"))
    dispatch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dispatch.id", ondelete="CASCADE"), index=True
    )
    received_on: Mapped[date]
    channel: Mapped[ReplyChannel] = mapped_column(enum_type(ReplyChannel))
    outcome: Mapped[ReplyOutcome] = mapped_column(enum_type(ReplyOutcome))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dispatch: Mapped[Dispatch] = relationship(back_populates="replies")
    files: Mapped[list[TrackingFile]] = relationship(
        back_populates="reply", order_by="TrackingFile.id"
    )


class TrackingFile(Model):
    """A proof of delivery or the scan of a reply (JPEG, PNG or PDF), kept in the database."""

    __tablename__ = "tracking_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"))
    dispatch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("dispatch.id", ondelete="CASCADE"), index=True
    )
    reply_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("dispatch_reply.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FileKind] = mapped_column(enum_type(FileKind))
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dispatch: Mapped[Dispatch] = relationship(back_populates="files")
    reply: Mapped[DispatchReply | None] = relationship(back_populates="files")


class CalendarFeed(Model):
    """A secret link to a group's due dates as a calendar; only the token's SHA-256 is kept."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
