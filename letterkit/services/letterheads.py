"""A group's letterhead: the uploaded ``.docx`` its letters print on. Verbs flush; the request
commits."""

from __future__ import annotations

from letterkit import documents
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.models import Group, GroupLetterhead, User, utcnow


def letterhead_of(group: Group) -> bytes | None:
    """The group's letterhead, if it uploaded one."""
    row = db.session.get(GroupLetterhead, group.id)
    return row.data if row is not None else None


def save_letterhead(group: Group, actor: User, filename: str, data: bytes) -> GroupLetterhead:
    """Check an uploaded letterhead and keep it for the group's letters."""
    documents.validate_letterhead(data)
    row = db.session.get(GroupLetterhead, group.id)
    if row is None:
        row = GroupLetterhead(group_id=group.id)
        db.session.add(row)
    row.data = data
    row.filename = filename[:200]
    row.sha256 = documents.sha256(data)
    row.size = len(data)
    row.uploaded_at = utcnow()
    row.uploaded_by_id = actor.id
    db.session.flush()
    record("letterhead.uploaded", group, group=group, actor=actor, sha256=row.sha256)
    return row


def remove_letterhead(group: Group, actor: User) -> None:
    """Go back to the plain letter layout."""
    row = db.session.get(GroupLetterhead, group.id)
    if row is not None:
        db.session.delete(row)
        record("letterhead.removed", group, group=group, actor=actor)
        db.session.flush()
