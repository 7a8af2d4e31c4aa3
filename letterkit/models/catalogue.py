"""A group's own catalogue entries: new authorities, demands and demand sets, and overrides.

The shipped catalogue is data in files and never changes at run time. A group's entry is stored
as the same data shape the files use (``data``, validated by ``letterkit.catalogue``); when
``overrides`` names a shipped slug, the entry replaces that shipped entry for this group only.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Model, enum_type, utcnow


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


class HolderForm(enum.StrEnum):
    """How the holder of an office is addressed: the grammar of the salutation follows it."""

    FEMALE = "female"
    MALE = "male"
    NEUTRAL = "neutral"


class AuthorityHolder(Model):
    """Who holds an authority's office, as a group knows it: the name as printed in the addressee
    block and in the salutation, per letter language, and the form of address. Remembered for
    the group, so the next letter to the same office uses it."""

    __tablename__ = "authority_holder"
    __table_args__ = (sa.UniqueConstraint("group_id", "authority_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    authority_slug: Mapped[str] = mapped_column(sa.String(80))
    form: Mapped[HolderForm | None] = mapped_column(enum_type(HolderForm))
    #: by letter language: {"addressee": name in the addressee block, "salutation": name in it}
    names: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuthorityCheck(Model):
    """A coordinator checked a shipped authority's printed details (addressee line, postal
    address, salutation) against a source on a date: the group's warning for them clears."""

    __tablename__ = "authority_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    authority_slug: Mapped[str] = mapped_column(sa.String(80))
    checked_on: Mapped[date]
    #: what was checked against: a URL, "phone call to …", "visit to the reception"
    source: Mapped[str] = mapped_column(sa.String(500))
    #: the printed parts confirmed: "addressee", "address", "salutation"
    parts: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.String(2000), default="")
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
