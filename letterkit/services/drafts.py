"""Draft letters: create one, change only the parts a step changes, duplicate, delete.

A step of the compose flow, a follow-up, a campaign target: each says only what it changes
(:class:`DraftChanges`), and everything else of the draft stays as it is. A final letter is
never changed. Verbs flush; the request commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypedDict, Unpack

from letterkit.catalogue import Authority, Catalogue, NotInCatalogue
from letterkit.config import letter_languages
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import Group, Letter, User
from letterkit.services.catalogue import group_catalogue
from letterkit.services.letters import LetterError

MAX_PARAGRAPHS = 20


class DraftChanges(TypedDict, total=False):
    """The parts of a draft a caller may change; a part left out keeps its value."""

    template: str
    language: str
    authority_slug: str
    demand_slugs: Sequence[str]
    paragraphs: Sequence[str]
    fields: dict[str, Any]
    place: str
    letter_date: date | None
    #: the letter's own (name, title) of who signs; leave it out to keep the draft's
    signer: tuple[str, str]


def create_draft(
    group: Group,
    actor: User | None,
    *,
    template: str,
    language: str,
    authority_slug: str,
    **changes: Unpack[DraftChanges],
) -> Letter:
    """Start a draft for ``authority_slug``; parts not given start empty. ``actor`` is None
    for a draft made through the API (the audit event names the token)."""
    letter = Letter(
        group_id=group.id,
        created_by_id=actor.id if actor is not None else None,
        demand_slugs=[],
        paragraphs=[],
        fields={},
        place="",
        letter_date=None,
    )
    _apply(
        letter,
        group,
        DraftChanges(
            template=template, language=language, authority_slug=authority_slug, **changes
        ),
    )
    db.session.add(letter)
    db.session.flush()
    record("letter.created", letter, group=group, actor=actor)
    return letter


def start_letter(group: Group, actor: User | None, authority: Authority) -> Letter:
    """Start a draft to ``authority``: the kind of letter its office calls for, in its letter
    language (else the group's usual one), with the demands meant for its country."""
    language = (
        authority.letter_language
        if authority.letter_language in letter_languages()
        else group.default_letter_language
    )
    return create_draft(
        group,
        actor,
        template="embassy-letter" if authority.is_mission else "appeal",
        language=language,
        authority_slug=authority.slug,
        demand_slugs=suggested_demands(group_catalogue(group.id), authority),
    )


def suggested_demands(catalogue: Catalogue, authority: Authority) -> list[str]:
    """The first demand set meant for the authority's country, if any, else none."""
    for demand_set in catalogue.demand_sets.values():
        if demand_set.country == authority.country:
            return list(demand_set.slugs)
    return []


def update_draft(
    letter: Letter, group: Group, actor: User | None, **changes: Unpack[DraftChanges]
) -> Letter:
    """Change the given parts of a draft; a final letter is never changed."""
    if letter.is_final:
        raise LetterError(N_("This letter is final and cannot be changed. Duplicate it instead."))
    _apply(letter, group, changes)
    db.session.flush()
    return letter


def _apply(letter: Letter, group: Group, changes: DraftChanges) -> None:
    """Check ``changes`` against the group's catalogue, then write them to ``letter``."""
    catalogue = group_catalogue(group.id)
    slug = changes.get("authority_slug", letter.authority_slug)
    try:
        authority: Authority = catalogue.authority(slug)
    except NotInCatalogue:
        raise LetterError(N_("Choose an authority from the catalogue.")) from None
    unknown = [d for d in changes.get("demand_slugs", ()) if d not in catalogue.demands]
    if unknown:
        raise LetterError(N_("Unknown demand: {slug}"), slug=unknown[0])
    paragraphs = changes.get("paragraphs")
    if paragraphs is not None and len(paragraphs) > MAX_PARAGRAPHS:
        raise LetterError(N_("At most {limit} paragraphs of your own."), limit=MAX_PARAGRAPHS)
    if "template" in changes:
        letter.template = changes["template"]
    if "language" in changes:
        letter.language = changes["language"]
    letter.authority_slug = slug
    letter.country = authority.country
    letter.authority_name = authority.name(letter.language).text[:300]
    if "demand_slugs" in changes:
        letter.demand_slugs = list(changes["demand_slugs"])
    if paragraphs is not None:
        letter.paragraphs = [p for p in paragraphs if p.strip()]
    if "fields" in changes:
        letter.fields = dict(changes["fields"])
        letter.subject = str(letter.fields.get("subject") or "")[:300]
    if "place" in changes:
        letter.place = changes["place"]
    if "letter_date" in changes:
        letter.letter_date = changes["letter_date"]
    if "signer" in changes:
        name, title = changes["signer"]
        letter.signer_name, letter.signer_title = name[:200], title[:200]


def duplicate(
    letter: Letter, group: Group, actor: User, authority_slug: str | None = None
) -> Letter:
    """Start a new draft from a letter, for the same or another authority."""
    copy = create_draft(
        group,
        actor,
        template=letter.template,
        language=letter.language,
        authority_slug=authority_slug or letter.authority_slug,
        demand_slugs=letter.demand_slugs,
        paragraphs=letter.paragraphs,
        fields=letter.fields,
        place=letter.place,
        signer=(letter.signer_name, letter.signer_title),
    )
    record("letter.duplicated", copy, group=group, actor=actor, source=letter.id)
    return copy


def delete_draft(letter: Letter, group: Group, actor: User | None) -> None:
    """Delete a draft; final letters are kept."""
    if letter.is_final:
        raise LetterError(N_("A final letter cannot be deleted."))
    record("letter.deleted", letter, group=group, actor=actor)
    db.session.delete(letter)
    db.session.flush()
