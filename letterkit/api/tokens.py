"""API tokens: made, listed and revoked by coordinators (or an operator on the command line).

A token is ``lk_`` and 43 characters of ``secrets.token_urlsafe(32)``; only its SHA-256 and its
first characters are stored. Revoking sets ``revoked_at``: the next request with the token is
refused, since every request looks the token up (nothing caches it).
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.models import ApiToken, Group, User, utcnow

TOKEN_PREFIX = "lk_"
NAME_MAX = 80


class TokenError(ValueError):
    """A token cannot be made as asked (the message is for people, untranslated marker)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    group: Group, name: str, *, read_only: bool, actor: User | None
) -> tuple[ApiToken, str]:
    """Make a token for ``group``; return the row and the token, which is never shown again."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise TokenError("name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        group_id=group.id,
        name=name,
        token_hash=token_hash(token),
        prefix=token[:10],
        read_only=read_only,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    record(
        "api_token.created",
        row,
        group=group,
        actor=actor,
        token=row.public_id,
        read_only=read_only,
    )
    return row, token


def tokens_of(group: Group) -> list[ApiToken]:
    """The group's tokens, the ones in use first, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.group_id == group.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def token_of(group: Group, public_id: str) -> ApiToken | None:
    return db.session.scalar(
        sa.select(ApiToken).where(ApiToken.group_id == group.id, ApiToken.public_id == public_id)
    )


def revoke_token(row: ApiToken, group: Group, actor: User | None) -> bool:
    """Stop the token from working now; return whether it was still in use."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    record("api_token.revoked", row, group=group, actor=actor, token=row.public_id)
    db.session.flush()
    return True


def find_token(token: str) -> ApiToken | None:
    """The token row a presented token names, if it is in use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
