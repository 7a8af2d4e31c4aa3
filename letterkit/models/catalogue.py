"""A group's own catalogue entries: new authorities, demands and demand sets, and overrides.

The shipped catalogue is data in files and never changes at run time. A group's entry is stored
as the same data shape the files use (``data``, validated by ``letterkit.catalogue``); when
``overrides`` names a shipped slug, the entry replaces that shipped entry for this group only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Model, utcnow


class _GroupEntry:
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    overrides: Mapped[str | None] = mapped_column(sa.String(80))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def slug(self) -> str:
        """The slug the group's catalogue knows the entry by."""
        return self.overrides or f"{self.PREFIX}{self.id}"

    PREFIX = "own-"


class GroupAuthority(_GroupEntry, Model):
    """An authority a group added (a local dispensary, a court …) or its version of a shipped one."""

    __tablename__ = "group_authority"
    __table_args__ = (sa.UniqueConstraint("group_id", "overrides"),)

    country: Mapped[str] = mapped_column(sa.String(8))


class GroupDemand(_GroupEntry, Model):
    """A demand a group wrote, or its version of a shipped demand."""

    __tablename__ = "group_demand"
    __table_args__ = (sa.UniqueConstraint("group_id", "overrides"),)


class GroupDemandSet(_GroupEntry, Model):
    """A group's own set of demands in order (``data``: title by language, demand slugs)."""

    __tablename__ = "group_demand_set"
    __table_args__ = (sa.UniqueConstraint("group_id", "overrides"),)
