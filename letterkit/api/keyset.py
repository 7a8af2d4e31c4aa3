"""Keyset pages of database rows: ``WHERE … AND id > :last ORDER BY id LIMIT :limit + 1``,
the last id sealed in the next page's cursor (:mod:`.pagination`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from letterkit.extensions import db

from . import pagination


def page(
    statement: sa.Select[Any],
    id_column: Any,
    *,
    kind: str,
    group_id: int,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[sa.Row[Any]], str | None]:
    """One page of ``statement``'s rows in the order of ``id_column`` (which the statement must
    select first), and the cursor of the next page (None on the last)."""
    after = pagination.decode(cursor, kind, group_id)
    if after is not None:
        if len(after) != 1 or not isinstance(after[0], int) or isinstance(after[0], bool):
            pagination.not_ours()
        statement = statement.where(id_column > after[0])
    rows = db.session.execute(statement.order_by(id_column).limit(limit + 1)).all()
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, pagination.encode(kind, group_id, [rows[-1][0]])
