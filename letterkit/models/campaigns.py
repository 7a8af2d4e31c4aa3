"""Campaigns: one text to many authorities across countries, each target tracked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, public_id_column, utcnow


class Campaign(Model):
    """A letter sent to many authorities on one action day (2011: eight Russian missions)."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("cmp")
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    action_date: Mapped[date | None]
    template: Mapped[str] = mapped_column(sa.String(64))
    demand_slugs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The template's own fields for each letter language used by the targets: {"ru": {...}}.
    fields: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # How the letters will go out (a DispatchMethod value); every target becomes a dispatch.
    method: Mapped[str] = mapped_column(sa.String(20), default="hand")
    petition_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("petition.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    targets: Mapped[list[CampaignTarget]] = relationship(
        back_populates="campaign",
        cascade="all, delete-orphan",
        order_by="CampaignTarget.position",
    )


class CampaignTarget(Model):
    """One authority of a campaign, its letter and its dispatch."""

    __tablename__ = "campaign_target"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "authority_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    authority_slug: Mapped[str] = mapped_column(sa.String(80))
    authority_name: Mapped[str] = mapped_column(sa.String(300), default="")
    country: Mapped[str] = mapped_column(sa.String(8))
    language: Mapped[str] = mapped_column(sa.String(8))
    letter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letter.id", ondelete="SET NULL"))
    dispatch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("dispatch.id", ondelete="SET NULL")
    )
    # The follow-up written when the reply to the dispatch was overdue (one per target).
    follow_up_letter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("letter.id", ondelete="SET NULL")
    )

    campaign: Mapped[Campaign] = relationship(back_populates="targets")
