"""Signatures as the annex of a letter: counts, the annex title in the letter's language, and the
rows streamed from the database as each signer chose to appear. Shared by compose (a sign-on
letter's preview and DOCX), petitions and campaigns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from letterkit import documents
from letterkit.extensions import db
from letterkit.models import Display, Letter, Petition, Signature, SignerKind
from letterkit.services.countries import country_name

ANNEX_BATCH = 1000


@dataclass(frozen=True)
class Counts:
    """How many signed: all, visible and hidden; visible ones by display choice and kind."""

    total: int = 0
    visible: int = 0
    hidden: int = 0
    by_display: dict[Display, int] = field(default_factory=dict)
    organisations: int = 0
    people: int = 0

    @property
    def listed(self) -> int:
        """Visible signatures shown by name or initials in the annex."""
        return self.visible - self.by_display.get(Display.COUNT, 0)


def counts(petition: Petition) -> Counts:
    """Count the petition's signatures in one grouped query."""
    rows = db.session.execute(
        sa.select(Signature.display, Signature.kind, Signature.hidden, sa.func.count())
        .where(Signature.petition_id == petition.id)
        .group_by(Signature.display, Signature.kind, Signature.hidden)
    ).all()
    by_display = dict.fromkeys(Display, 0)
    total = hidden = organisations = people = 0
    for display, kind, is_hidden, number in rows:
        total += number
        if is_hidden:
            hidden += number
            continue
        by_display[display] += number
        if kind is SignerKind.ORGANISATION:
            organisations += number
        else:
            people += number
    return Counts(
        total=total,
        visible=total - hidden,
        hidden=hidden,
        by_display=by_display,
        organisations=organisations,
        people=people,
    )


def public_count(petition: Petition) -> int:
    """The number of signatures the public sees (hidden ones are left out)."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Signature)
        .where(Signature.petition_id == petition.id, Signature.hidden.is_(False))
    )


def annex_title(lang: str, listed: int, counted: int) -> str:
    """The annex title in the letter's language, with the counted-only signers summarised."""
    locale = documents.get_locale(lang)
    title = locale.annex_default_title
    if not counted:
        return title
    pattern = locale.annex_title_some if listed else locale.annex_title_all_counted
    return pattern.format(title=title, listed=listed, counted=counted)


def annex_rows(
    petition: Petition, lang: str, limit: int | None = None
) -> Iterator[tuple[str, ...]]:
    """The annex rows (name or initials, city, country) of the visible signers as they chose to
    appear: organisations first, then people, each in the order they signed. Streamed from the
    database ``ANNEX_BATCH`` rows at a time."""
    order = sa.case((Signature.kind == SignerKind.ORGANISATION, 0), else_=1)
    statement = (
        sa.select(
            Signature.display, Signature.name, Signature.initials, Signature.city, Signature.country
        )
        .where(
            Signature.petition_id == petition.id,
            Signature.hidden.is_(False),
            Signature.display != Display.COUNT,
        )
        .order_by(order, Signature.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    result = db.session.execute(statement, execution_options={"yield_per": ANNEX_BATCH})
    try:
        for display, name, initials, city, country in result:
            if display is Display.INITIALS:
                yield (initials, city, "")
            else:
                yield (name, city, country_name(country, lang))
    finally:
        result.close()


def annex_for_petition(petition: Petition, lang: str) -> documents.Annex | None:
    """The petition's signers as an annex in ``lang``; None while nobody visible has signed."""
    number = counts(petition)
    if not number.visible:
        return None
    loc = documents.get_locale(lang)
    return documents.Annex(
        title=annex_title(lang, number.listed, number.by_display[Display.COUNT]),
        columns=loc.annex_columns,
        rows=annex_rows(petition, lang),
        numbered=True,
        # what templates print as the number of signatories: everyone visible who signed
        row_count=number.visible,
    )


def petition_of(letter: Letter) -> Petition | None:
    """The petition collecting signatures for ``letter``."""
    return db.session.scalar(sa.select(Petition).where(Petition.letter_id == letter.id))


def annex_for_letter(letter: Letter) -> documents.Annex | None:
    """The signatures for ``letter`` as an annex in the letter's language, rows streamed from
    the database when the DOCX is written (render it once). None without a petition or signers."""
    petition = petition_of(letter)
    if petition is None:
        return None
    return annex_for_petition(petition, letter.language)
