"""One click for a campaign's follow-ups: a follow-up draft to every target whose reply is overdue.

Each draft is made by the tracking feature's own verb (:func:`create_follow_up`), so it is the
same letter as the dispatch page's single follow-up: in the first letter's language, citing it,
the law and the due date. The target keeps the draft, so writing follow-ups again makes none
twice. Flushes only; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from letterkit.core import transaction
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import Dispatch, DispatchState, Group, Letter, User
from letterkit.models.campaigns import Campaign, CampaignTarget
from letterkit.tracking import operations as tracking

#: Why a target got no follow-up (untranslated; the page translates them).
NOT_TRACKED = N_("its letter is not finalised and tracked yet")
NOT_SENT = N_("its letter has not been sent yet")
ANSWERED = N_("the authority answered")
CLOSED = N_("its tracking was closed")
NO_DUE_DATE = N_("its reply has no due date")
NOT_DUE = N_("its reply is not due yet")
ALREADY = N_("a follow-up was already written")


@dataclass(frozen=True)
class Skipped:
    """A target that got no follow-up, and why (an untranslated message with its params)."""

    target: CampaignTarget
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class FollowUps:
    """What writing a campaign's follow-ups did."""

    created: list[CampaignTarget] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _reason(target: CampaignTarget, dispatch: Dispatch | None, now: date) -> str | None:
    """Why ``target`` gets no follow-up, or None when its reply is overdue."""
    if target.follow_up_letter_id is not None:
        if db.session.get(Letter, target.follow_up_letter_id) is not None:
            return ALREADY
    if dispatch is None:
        return NOT_TRACKED
    if dispatch.state is DispatchState.PLANNED:
        return NOT_SENT
    if dispatch.state is DispatchState.ANSWERED:
        return ANSWERED
    if dispatch.state is DispatchState.CLOSED:
        return CLOSED
    if dispatch.due_on is None:
        return NO_DUE_DATE
    if not tracking.is_overdue(dispatch, now):
        return NOT_DUE
    return None


def overdue_count(campaign: Campaign, now: date | None = None) -> int:
    """How many targets would get a follow-up now."""
    now = now or tracking.today()
    return sum(1 for target in campaign.targets if _reason(target, _dispatch(target), now) is None)


def _dispatch(target: CampaignTarget) -> Dispatch | None:
    return db.session.get(Dispatch, target.dispatch_id) if target.dispatch_id else None


def write_follow_ups(campaign: Campaign, group: Group, actor: User) -> FollowUps:
    """Start a follow-up draft to every target whose reply is overdue and that has none yet."""
    now = tracking.today()
    result = FollowUps()
    for target in campaign.targets:
        dispatch = _dispatch(target)
        reason = _reason(target, dispatch, now)
        if reason is not None or dispatch is None:
            result.skipped.append(Skipped(target, reason or NOT_TRACKED))
            continue
        try:
            with transaction.savepoint():
                draft = tracking.create_follow_up(dispatch, group, actor)
        except tracking.TrackingError as error:
            result.skipped.append(Skipped(target, error.message, dict(error.params)))
            continue
        target.follow_up_letter_id = draft.id
        result.created.append(target)
    db.session.flush()
    if result.created:
        record(
            "campaign.follow_ups_written",
            campaign,
            group=group,
            actor=actor,
            count=len(result.created),
            letters=[t.follow_up_letter_id for t in result.created],
        )
    return result
