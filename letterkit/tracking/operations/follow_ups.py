"""Follow-up letters for a dispatch whose legal deadline passed: a draft that cites the law in
the letter's language."""

from __future__ import annotations

from typing import Any

from letterkit import deadlines
from letterkit.catalogue import NotInCatalogue
from letterkit.core.audit import record
from letterkit.markers import N_
from letterkit.models import (
    Dispatch,
    Group,
    Letter,
    User,
)
from letterkit.services import drafts, law, letters
from letterkit.services.catalogue import group_catalogue
from letterkit.tracking.operations.checks import TrackingError
from letterkit.tracking.operations.due import is_overdue

# --- follow-up letters ---------------------------------------------------------------------------

FOLLOW_UP_TEMPLATE = "follow-up"


def follow_up_fields(dispatch: Dispatch) -> dict[str, Any]:
    """The ``follow-up`` template's fields for an overdue dispatch: first letter, law, due date."""
    letter = dispatch.letter
    explanation = dispatch.due_explanation or {}
    rule = explanation.get("rule") or {}
    # As a letter in this language cites the law; due dates stored before rules carried
    # citations, and languages without one, cite the rule's own text.
    cited = (rule.get("citations") or {}).get(letter.language) or rule
    try:
        authority = group_catalogue(dispatch.group_id).authority(dispatch.authority_slug)
        to_mission = authority.is_mission
    except NotInCatalogue:
        to_mission = False
    # Recorded facts only: the day it was sent or handed over (not the date the letter bears),
    # the registration as recorded, the due date as stored.
    return {
        "sent_date": dispatch.sent_on.isoformat() if dispatch.sent_on else "",
        "law_hedge": law.reckoning_hedge(explanation, letter.language, to_mission=to_mission),
        "first_letter_date": letter.letter_date.isoformat() if letter.letter_date else "",
        "first_letter_reference": letter.reference or "",
        "first_letter_subject": letter.subject[:300],
        "registration_number": dispatch.registration_number,
        "registration_date": (dispatch.registered_on.isoformat() if dispatch.registered_on else ""),
        "law": str(cited.get("law") or "")[:300],
        "article": str(cited.get("article") or "")[:100],
        "due_date": dispatch.due_on.isoformat() if dispatch.due_on else "",
    }


def create_follow_up(dispatch: Dispatch, group: Group, actor: User) -> Letter:
    """Start a draft reminder citing the first letter, the law and the due date that passed."""

    if not is_overdue(dispatch):
        raise TrackingError(N_("A follow-up is for a dispatch whose reply is overdue."))
    if dispatch.due_kind != deadlines.ResultKind.STATUTORY.value:
        raise TrackingError(N_("A follow-up cites the law: this due date is not a legal deadline."))
    fields = follow_up_fields(dispatch)
    if not fields["article"]:
        raise TrackingError(
            N_("The rule names no article to cite; write the reminder as a new letter instead.")
        )
    letter = dispatch.letter
    try:
        draft = drafts.create_draft(
            group,
            actor,
            template=FOLLOW_UP_TEMPLATE,
            language=letter.language,
            authority_slug=dispatch.authority_slug,
            demand_slugs=letter.demand_slugs,
            paragraphs=[],
            fields=fields,
            place=letter.place,
        )
    except letters.LetterError as error:
        raise TrackingError(error.message, **error.params) from None
    record(
        "dispatch.follow_up_created",
        dispatch,
        group=group,
        actor=actor,
        letter=draft.id,
    )
    return draft
