"""Tokens of the JSON API: each belongs to one group; only the token's SHA-256 is kept."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Model, public_id_column, utcnow


class ApiToken(Model):
    """A secret a group's own tools send as ``Authorization: Bearer …``.

    The token itself is shown once, when it is made; the row keeps its SHA-256 (the token is 256
    random bits, so a plain hash is enough to make a stolen database useless for calling the API)
    and its first characters, so people can tell their tokens apart. ``last_used_on`` is a day,
    not a time: the least that answers "is this token still in use?".
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column("tok")
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    read_only: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_on: Mapped[date | None]
    revoked_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
