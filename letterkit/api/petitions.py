"""The group's petitions through the API, read only: their settings, counts and signatures.

Signers may be at risk for signing. Their personal data is sealed to the group's key, which only
a coordinator's browser session unlocks; the API has no such session. So a signature is given
here exactly as the public annex shows it for its signer's choice (name, city and country; or
initials and city; or only being counted), never an e-mail, a contact person, sealed data, a
hash or an identifier. Signatures hidden by moderation are left out, as the annex leaves them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from pydantic import Field

from letterkit.extensions import db
from letterkit.models import PUBLIC_COLUMNS, Display, Group, Letter, Petition, Signature, SignerKind
from letterkit.petitions import operations as ops
from letterkit.services import annexes

from . import keyset, pagination
from .base import bp, operation
from .problems import problem
from .schemas import Cursor, Day, Limit, Out, Query

TAGS = ("petitions",)
_CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")


class PetitionCounts(Out):
    """How many signed."""

    total: int = Field(description="Every signature, those hidden by moderation included.")
    hidden: int = Field(description="Signatures hidden by moderation.")
    shown_publicly: int = Field(
        description="The count the public page shows: every signature not hidden."
    )
    listed: int = Field(
        description="Signatures not hidden that the annex lists by name or initials."
    )
    organisations: int = Field(description="Organisations among the signatures not hidden.")
    people: int = Field(description="People among the signatures not hidden.")


class PetitionSummaryOut(Out):
    """A petition: a letter opened for signatures through a public link."""

    code: str = Field(description="The code of the public link `/s/<code>`.")
    title: str = Field(description="The title in the letter's language.")
    language: str = Field(description="The letter's language.")
    is_open: bool = Field(description="Whether a coordinator left it open (not closed by hand).")
    accepts_signatures: bool = Field(
        description="Whether it takes signatures today: open and its closing date not passed."
    )
    goal: int | None
    closes_on: Day | None
    counts: PetitionCounts
    letter: str | None = Field(description="The public id of its letter (`let_…`), if it exists.")


class PetitionText(Out):
    title: str
    body: str = Field(description="Paragraphs separated by a blank line.")


class PetitionOut(PetitionSummaryOut):
    """A petition with its public text and settings."""

    public_url: str = Field(description="The public page where supporters sign.")
    default_display: Display = Field(description="How a signer appears unless they choose.")
    retention_days: int = Field(
        description="Days after closing until signers' personal data is reduced to what they "
        "chose to show."
    )
    closed_at: datetime | None
    purge_after: datetime | None = Field(
        description="When signers' personal data is reduced; null while it takes signatures."
    )
    texts: dict[str, PetitionText] = Field(
        description="The public text by language: the letter's own and pasted translations."
    )


class PetitionList(Out):
    items: list[PetitionSummaryOut]
    next_cursor: str | None


class SignatureOut(Out):
    """One signature as the public annex shows it for the signer's choice; no identifier."""

    kind: SignerKind
    display: Display = Field(
        description="`full`: name, city and country shown; `initials`: initials and city; "
        "`count`: only counted, nothing shown."
    )
    name: str | None = Field(description="The person's or organisation's name (`full` only).")
    initials: str | None = Field(description="A person's initials (`initials` only).")
    city: str | None = Field(description="Shown with `full` and `initials`.")
    country: str | None = Field(description="ISO 3166-1 alpha-2 (`full` only).")
    signed_on: Day


class SignatureList(Out):
    items: list[SignatureOut]
    next_cursor: str | None


class PageQuery(Query):
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


def counts_out(petition: Petition) -> PetitionCounts:
    number = annexes.counts(petition)
    return PetitionCounts(
        total=number.total,
        hidden=number.hidden,
        shown_publicly=number.visible,
        listed=number.listed,
        organisations=number.organisations,
        people=number.people,
    )


def summary_values(petition: Petition, letter: str | None) -> dict[str, Any]:
    return {
        "code": petition.code,
        "title": petition.title,
        "language": petition.language,
        "is_open": petition.is_open,
        "accepts_signatures": ops.accepts_signatures(petition),
        "goal": petition.goal,
        "closes_on": petition.closes_on,
        "counts": counts_out(petition),
        "letter": letter,
    }


def letter_ids(petitions: list[Petition]) -> dict[int, str]:
    """The public ids of the petitions' letters, by row id, in one query."""
    ids = [p.letter_id for p in petitions if p.letter_id is not None]
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Letter.id, Letter.public_id).where(Letter.id.in_(ids)))
    return {row_id: public_id for row_id, public_id in rows}


def group_petition(group: Group, code: str) -> Petition:
    """The group's petition with this code; another group's is not found, like a missing one."""
    if not _CODE.fullmatch(code):
        problem(404)  # not a code we made: not looked up (PostgreSQL refuses a NUL in text)
    petition = db.session.scalar(
        sa.select(Petition).where(Petition.code == code, Petition.group_id == group.id)
    )
    if petition is None:
        problem(404)
    return petition


def signature_out(
    kind: SignerKind,
    display: Display,
    shown: dict[str, str],
    created_at: datetime,
) -> SignatureOut:
    """Only the columns the annex shows for ``display`` (``PUBLIC_COLUMNS``) leave the server."""
    public = PUBLIC_COLUMNS[display]
    values = {name: (shown[name] if name in public else None) for name in shown}
    return SignatureOut(kind=kind, display=display, signed_on=created_at.date(), **values)


@bp.get("/petitions")
@operation(tags=TAGS, responses={200: PetitionList}, query=PageQuery)
def list_petitions(group: Group, query: PageQuery) -> PetitionList:
    """Petitions

    The group's petitions, oldest first, with their counts."""
    rows, next_cursor = keyset.page(
        sa.select(Petition.id, Petition).where(Petition.group_id == group.id),
        Petition.id,
        kind="petitions",
        group_id=group.id,
        limit=query.limit,
        cursor=query.cursor,
    )
    petitions = [row[1] for row in rows]
    letters = letter_ids(petitions)
    items = [
        PetitionSummaryOut(**summary_values(p, letters.get(p.letter_id or 0))) for p in petitions
    ]
    return PetitionList(items=items, next_cursor=next_cursor)


@bp.get("/petitions/<petition_code>")
@operation(tags=TAGS, responses={200: PetitionOut}, errors=(404,))
def get_petition(group: Group, petition_code: str) -> PetitionOut:
    """One petition

    Its settings, counts and public text."""
    petition = group_petition(group, petition_code)
    letter = letter_ids([petition]).get(petition.letter_id or 0)
    texts = {
        lang: PetitionText(title=str(text.get("title", "")), body=str(text.get("body", "")))
        for lang, text in sorted(petition.texts.items())
    }
    return PetitionOut(
        **summary_values(petition, letter),
        public_url=url_for("petitions.public", code=petition.code, _external=True),
        default_display=petition.default_display,
        retention_days=petition.retention_days,
        closed_at=petition.closed_at,
        purge_after=ops.purge_after(petition),
        texts=texts,
    )


@bp.get("/petitions/<petition_code>/signatures")
@operation(tags=TAGS, responses={200: SignatureList}, query=PageQuery, errors=(404,))
def list_signatures(group: Group, petition_code: str, query: PageQuery) -> SignatureList:
    """Signatures of a petition

    Each signature not hidden, in the order signed, as the public annex shows it: what its
    signer chose to show, nothing more (no e-mail, no sealed data, no identifier)."""
    petition = group_petition(group, petition_code)
    rows, next_cursor = keyset.page(
        # Only the columns an annex may show are read; e-mail and sealed data never are.
        sa.select(
            Signature.id,
            Signature.kind,
            Signature.display,
            Signature.name,
            Signature.initials,
            Signature.city,
            Signature.country,
            Signature.created_at,
        ).where(Signature.petition_id == petition.id, Signature.hidden.is_(False)),
        Signature.id,
        kind=f"signatures:{petition.code}",
        group_id=group.id,
        limit=query.limit,
        cursor=query.cursor,
    )
    items = [
        signature_out(
            row.kind,
            row.display,
            {"name": row.name, "initials": row.initials, "city": row.city, "country": row.country},
            row.created_at,
        )
        for row in rows
    ]
    return SignatureList(items=items, next_cursor=next_cursor)
