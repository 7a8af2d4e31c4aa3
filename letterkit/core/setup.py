"""Whether this installation still needs its first group and account (the set-up page)."""

from __future__ import annotations

import sqlalchemy as sa

from letterkit.extensions import db
from letterkit.models import User


def setup_needed() -> bool:
    """Whether no account exists yet, so the first page is the set-up form."""
    return not db.session.scalar(sa.select(sa.exists().where(User.id.is_not(None))))
