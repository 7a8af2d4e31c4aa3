"""The calendar feed's secret, revocable link: only a hash of its token is stored."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.models import (
    CalendarFeed,
    Group,
    User,
    utcnow,
)

# --- calendar feeds ------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(group: Group) -> CalendarFeed | None:
    """The group's calendar link in use, if any."""
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.group_id == group.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def create_feed(group: Group, actor: User) -> tuple[CalendarFeed, str]:
    """Make a new secret calendar link (the old one stops working); return it with its token."""
    revoke_feed(group, actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(group_id=group.id, token_hash=_token_hash(token), created_by_id=actor.id)
    db.session.add(feed)
    db.session.flush()
    record("calendar_feed.created", feed, group=group, actor=actor)
    return feed, token


def revoke_feed(group: Group, actor: User) -> bool:
    """Make the group's calendar link stop working; return whether there was one."""
    feed = active_feed(group)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    record("calendar_feed.revoked", feed, group=group, actor=actor)
    db.session.flush()
    return True


def find_feed(token: str) -> CalendarFeed | None:
    """The calendar link a token opens, if it was not revoked."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == _token_hash(token), CalendarFeed.revoked_at.is_(None)
        )
    )
