"""Compose's panel on the home page: the group's drafts, newest first (connected to
:data:`letterkit.core.signals.home_panels` in ``create_app``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from letterkit.core.home import PANEL_ROWS, HomeItem, HomePanel
from letterkit.extensions import db
from letterkit.models import Group, Letter, LetterStatus


def panels(group: Group) -> list[HomePanel]:
    """The drafts waiting to be finished."""
    where = (Letter.group_id == group.id, Letter.status == LetterStatus.DRAFT)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Letter).where(*where)) or 0
    drafts = db.session.scalars(
        sa.select(Letter)
        .where(*where)
        .order_by(Letter.updated_at.desc(), Letter.id.desc())
        .limit(PANEL_ROWS)
    )
    return [
        HomePanel(
            order=40,
            key="drafts",
            title=_("Drafts"),
            count=total,
            items=[
                HomeItem(
                    text=letter.subject or letter.authority_name or _("Untitled draft"),
                    url=url_for("compose.letter", letter_id=letter.id),
                    detail=letter.authority_name if letter.subject else "",
                )
                for letter in drafts
            ],
            more_url=url_for("compose.letters", status=LetterStatus.DRAFT.value),
            more_text=_("All drafts"),
        )
    ]
