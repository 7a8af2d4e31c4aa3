"""The declarative base: naming convention, UTC timestamps."""

from __future__ import annotations

import base64
import enum
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_public_id(prefix: str) -> str:
    """A stable identifier shown outside (the API): a prefix naming the kind and 80 random bits
    in lower-case base32, e.g. ``let_3k4h2mz7qxw5a6bd``. Random, so it tells nothing of how many
    rows any group has (row ids would)."""
    return f"{prefix}_{base64.b32encode(secrets.token_bytes(10)).decode('ascii').lower()}"


def public_id_column(prefix: str) -> Any:
    """The ``public_id`` column of a model whose rows the API names."""
    return mapped_column(sa.String(24), unique=True, default=lambda: new_public_id(prefix))


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back as aware UTC (SQLite drops zones)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_type(cls: type[enum.Enum]) -> sa.Enum:
    """Store a string enum by its values, as text (portable, no database enum type)."""
    return sa.Enum(
        cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
    )


class Model(DeclarativeBase):
    """Base of every table."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}
