"""Campaigns through the API: plan one, choose its targets, write their draft letters, and follow
each target's letter and dispatch. The same operations as the campaign pages
(:mod:`letterkit.campaigns.operations`); a refusal is a problem document and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, NoReturn

import sqlalchemy as sa
from flask import Response, url_for
from flask_babel import gettext as _
from pydantic import ConfigDict, Field

from letterkit import documents
from letterkit.campaigns import operations as ops
from letterkit.campaigns.progress import STEPS, progress, step_of
from letterkit.extensions import db
from letterkit.models import Dispatch, DispatchMethod, DispatchState, Group, Letter, Petition
from letterkit.models.campaigns import Campaign, CampaignTarget
from letterkit.services import language_check, letters
from letterkit.services.catalogue import group_catalogue
from letterkit.textchars import has_forbidden
from letterkit.tracking.operations import TrackingError
from letterkit.tracking.views.common import message as tracking_message

from . import keyset, pagination
from .base import bp, operation
from .letters import DOCX_TYPE, MIXED_LANGUAGES, describe_mixed
from .problems import invalid, problem
from .schemas import (
    EXAMPLE_AUTHORITIES,
    EXAMPLE_DEMANDS,
    EXAMPLE_TEMPLATE,
    Body,
    Cursor,
    Day,
    Limit,
    Line,
    Out,
    Query,
    Slug,
)

TAGS = ("campaigns",)
_PUBLIC_ID = re.compile(r"cmp_[a-z2-7]{1,40}")

#: How a campaign's letters may go out: every method but "forwarded" (which no group chooses).
CampaignMethod = StrEnum(  # type: ignore[misc]
    "CampaignMethod",
    {m.name: m.value for m in DispatchMethod if m is not DispatchMethod.FORWARDED},
)
CampaignMethod.__doc__ = "How the campaign's letters go out."
Step = Literal[STEPS]  # type: ignore[valid-type]


class ProgressOut(Out):
    """Targets counted once each, at the furthest step they reached."""

    answered: int = Field(description="A reply that answers was recorded.")
    sent: int = Field(description="The letter went out; no answer yet.")
    final: int = Field(description="The letter is final but not sent.")
    drafted: int = Field(description="The letter is a draft.")
    none: int = Field(description="No letter yet.")
    total: int


class CampaignSummaryOut(Out):
    """A campaign: one letter to many authorities on one action day."""

    id: str = Field(description="The campaign's public id (`cmp_…`).")
    name: str
    action_date: Day | None
    template: str = Field(description="The kind of letter (a letter template's slug).")
    demands: list[str] = Field(description="Slugs of the demands, in order.")
    method: str = Field(description="How the letters go out (a dispatch method).")
    target_count: int
    progress: ProgressOut


class TargetOut(Out):
    """One authority of a campaign, with its letter and dispatch."""

    authority: str = Field(description="The authority's slug.")
    authority_name: str = Field(description="In the letter's language.")
    country: str
    language: str = Field(description="The language of the letter to this authority.")
    letter: str | None = Field(description="Its letter's public id (`let_…`), once made.")
    dispatch: str | None = Field(
        description="Its dispatch's public id (`dsp_…`), once the letter is final and tracked."
    )
    state: DispatchState | None = Field(description="The dispatch's state.")
    step: Step = Field(description="The furthest step the target reached.")


class CampaignOut(CampaignSummaryOut):
    """A campaign with its targets."""

    petition: str | None = Field(
        description="The code of the petition whose signatures are annexed, if any."
    )
    targets: list[TargetOut]


class CampaignList(Out):
    items: list[CampaignSummaryOut]
    next_cursor: str | None


class PageQuery(Query):
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


class CampaignCreate(Body):
    """A new campaign; targets are added next."""

    name: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        examples=["Support. Don't Punish 2026"]
    )
    template: Slug | None = Field(
        default=None,
        description="The kind of letter (a letter template's slug); the first one by default.",
        examples=[EXAMPLE_TEMPLATE],
    )
    demands: list[Slug] = Field(
        default_factory=list,
        max_length=200,
        description="Slugs of demands, in order.",
        examples=[EXAMPLE_DEMANDS],
    )
    action_date: date | None = None
    method: CampaignMethod = CampaignMethod("hand")  # type: ignore[valid-type]


class TargetsAdd(Body):
    """Authorities to add as targets; those already in the campaign are skipped."""

    authorities: list[Slug] = Field(
        min_length=1,
        max_length=ops.MAX_TARGETS,
        description="Slugs of authorities of the group's catalogue.",
        examples=[EXAMPLE_AUTHORITIES],
    )


def _message(error: Any) -> str:
    return _(error.message).format(**error.params)


def group_campaign(group: Group, public_id: str) -> Campaign:
    """The group's campaign with this public id; another group's is not found, like a missing
    one."""
    if not _PUBLIC_ID.fullmatch(public_id):
        problem(404)  # not one we made: not looked up (PostgreSQL refuses a NUL in text)
    campaign = db.session.scalar(
        sa.select(Campaign).where(Campaign.public_id == public_id, Campaign.group_id == group.id)
    )
    if campaign is None:
        problem(404)
    return campaign


Rows = Sequence[tuple[CampaignTarget, Letter | None, Dispatch | None]]


def target_rows(campaign_ids: Iterable[int]) -> dict[int, Rows]:
    """Each campaign's targets with their letters and dispatches, in order, by campaign id."""
    ids = list(campaign_ids)
    found: dict[int, list[Any]] = {campaign_id: [] for campaign_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(CampaignTarget, Letter, Dispatch)
        .outerjoin(Letter, Letter.id == CampaignTarget.letter_id)
        .outerjoin(Dispatch, Dispatch.id == CampaignTarget.dispatch_id)
        .where(CampaignTarget.campaign_id.in_(ids))
        .order_by(CampaignTarget.campaign_id, CampaignTarget.position)
    )
    for target, letter, dispatch in rows:
        found[target.campaign_id].append((target, letter, dispatch))
    return found


def summary_values(campaign: Campaign, rows: Rows) -> dict[str, Any]:
    counted = progress(rows)
    return {
        "id": campaign.public_id,
        "name": campaign.name,
        "action_date": campaign.action_date,
        "template": campaign.template,
        "demands": list(campaign.demand_slugs),
        "method": campaign.method,
        "target_count": len(rows),
        "progress": ProgressOut(total=counted.total, **dict(counted.parts())),
    }


def campaign_out(campaign: Campaign) -> CampaignOut:
    """The campaign as it stands in the database now."""
    db.session.flush()
    rows = target_rows([campaign.id])[campaign.id]
    petition = db.session.get(Petition, campaign.petition_id) if campaign.petition_id else None
    targets = [
        TargetOut(
            authority=target.authority_slug,
            authority_name=target.authority_name,
            country=target.country,
            language=target.language,
            letter=letter.public_id if letter is not None else None,
            dispatch=dispatch.public_id if dispatch is not None else None,
            state=dispatch.state if dispatch is not None else None,
            step=step_of(letter, dispatch),
        )
        for target, letter, dispatch in rows
    ]
    return CampaignOut(
        **summary_values(campaign, rows),
        petition=petition.code if petition is not None else None,
        targets=targets,
    )


@bp.get("/campaigns")
@operation(tags=TAGS, responses={200: CampaignList}, query=PageQuery)
def list_campaigns(group: Group, query: PageQuery) -> CampaignList:
    """Campaigns

    The group's campaigns, oldest first, with how far their targets have got."""
    rows, next_cursor = keyset.page(
        sa.select(Campaign.id, Campaign).where(Campaign.group_id == group.id),
        Campaign.id,
        kind="campaigns",
        group_id=group.id,
        limit=query.limit,
        cursor=query.cursor,
    )
    campaigns = [row[1] for row in rows]
    targets = target_rows(c.id for c in campaigns)
    items = [CampaignSummaryOut(**summary_values(c, targets[c.id])) for c in campaigns]
    return CampaignList(items=items, next_cursor=next_cursor)


@bp.post("/campaigns")
@operation(tags=TAGS, responses={201: CampaignOut}, body=CampaignCreate, status=201)
def create_campaign(group: Group, body: CampaignCreate) -> Response:
    """Plan a campaign

    Its name, action day, kind of letter, demands and how the letters go out; add its targets
    next."""
    name = body.name.strip()
    if not name or has_forbidden(name):
        invalid([{"pointer": "/name", "detail": _("Give the campaign a name of one line.")}])
    library = documents.default_library()
    template = body.template or library.slugs()[0]
    if template not in library.slugs():
        invalid([{"pointer": "/template", "detail": _("There is no such kind of letter.")}])
    try:
        campaign = ops.create_campaign(
            group,
            None,
            name=name,
            template=template,
            action_date=body.action_date,
            demand_slugs=body.demands,
            method=str(body.method),
        )
    except ops.CampaignError as error:
        invalid([{"pointer": "/demands", "detail": _message(error)}])
    result = campaign_out(campaign)
    location = url_for("api.get_campaign", campaign_id=campaign.public_id)
    return Response(
        result.model_dump_json(),
        status=201,
        mimetype="application/json",
        headers={"Location": location},
    )


@bp.get("/campaigns/<campaign_id>")
@operation(tags=TAGS, responses={200: CampaignOut}, errors=(404,))
def get_campaign(group: Group, campaign_id: str) -> CampaignOut:
    """One campaign

    Every target with its letter, its dispatch and the dispatch's state."""
    return campaign_out(group_campaign(group, campaign_id))


@bp.post("/campaigns/<campaign_id>/targets")
@operation(tags=TAGS, responses={200: CampaignOut}, body=TargetsAdd, errors=(404,))
def add_targets(group: Group, campaign_id: str, body: TargetsAdd) -> CampaignOut:
    """Add targets

    Add authorities of the catalogue (shipped or the group's own) by slug; each one's letter
    language is chosen as on the target page. An unknown slug adds nothing (422)."""
    campaign = group_campaign(group, campaign_id)
    try:
        ops.add_targets(campaign, group, None, body.authorities)
    except ops.CampaignError as error:
        invalid([{"pointer": "/authorities", "detail": _message(error)}], _message(error))
    return campaign_out(campaign)


@bp.delete("/campaigns/<campaign_id>/targets/<slug>")
@operation(tags=TAGS, responses={204: None}, errors=(404, 409))
def remove_target(group: Group, campaign_id: str, slug: str) -> None:
    """Remove a target

    Take an authority out of the campaign, with its draft letter. A target whose letter was
    finalised and is tracked stays (409)."""
    campaign = group_campaign(group, campaign_id)
    target = next((t for t in campaign.targets if t.authority_slug == slug), None)
    if target is None:
        problem(404)
    try:
        ops.remove_target(campaign, group, None, target)
    except ops.CampaignError as error:
        problem(409, _message(error))


@bp.post("/campaigns/<campaign_id>/letters")
@operation(tags=TAGS, responses={200: CampaignOut}, errors=(404, 409))
def write_letters(group: Group, campaign_id: str) -> CampaignOut:
    """Write the draft letters

    Make a draft letter for every target that has none, from the campaign's kind of letter,
    demands and texts; drafts already made are kept. Refused (409) when a target's authority or a
    demand is no longer in the catalogue."""
    campaign = group_campaign(group, campaign_id)
    try:
        ops.generate_letters(campaign, group, None)
    except (letters.LetterError, ops.CampaignError) as error:
        problem(409, _message(error))
    return campaign_out(campaign)


# --- finalising and printing ---------------------------------------------------------------------

NOT_FINALISED = "tag:letterkit,2026:problem:not-finalised"
ZIP_TYPE = "application/zip"


class CampaignFinaliseBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"confirm_mixed_languages": False}]})

    confirm_mixed_languages: bool = Field(
        default=False,
        description=(
            "Finalise although some printed parts of the letters are not in their letter's "
            "language (the 422 answer without it lists them, with each target's authority)."
        ),
    )


def _refuse_mixed(campaign: Campaign, group: Group, mixed: dict[int, Any]) -> NoReturn:
    """Stop with the mixed-languages problem of POST /letters/<letter_id>/finalise, its parts
    named with the target's authority and letter."""
    catalogue = group_catalogue(group.id)
    rows = target_rows([campaign.id])[campaign.id]
    parts = [
        {
            **item,
            "authority": target.authority_slug,
            "letter": letter.public_id if letter is not None else "",
        }
        for target, letter, _dispatch in rows
        if target.id in mixed
        for item in describe_mixed(mixed[target.id], catalogue)
    ]
    problem(
        422,
        _(language_check.M_CONFIRM_NEEDED),
        kind=MIXED_LANGUAGES,
        mixed_parts=parts,
    )


def _nothing_to_finalise(campaign: Campaign) -> str | None:
    """Why finalising the campaign has nothing to do, if it has nothing to do."""
    rows = target_rows([campaign.id])[campaign.id]
    with_letter = [(target, letter) for target, letter, _dispatch in rows if letter is not None]
    if not with_letter:
        return _("There are no letters yet. Make them first.")
    if all(letter.is_final and target.dispatch_id is not None for target, letter in with_letter):
        return _("Every letter of this campaign is already final and tracked.")
    return None


@bp.post("/campaigns/<campaign_id>/finalise")
@operation(tags=TAGS, responses={200: CampaignOut}, body=CampaignFinaliseBody, errors=(404, 409))
def finalise_campaign(group: Group, campaign_id: str, body: CampaignFinaliseBody) -> CampaignOut:
    """Finalise the letters

    Finalise every draft letter of the campaign and track each target as a dispatch planned for
    the action day, as the campaign page does; targets without a letter are left as they are.
    All or nothing: when a letter cannot be finalised (a required text missing in its language,
    the holder's form of address not recorded where the language needs it) nothing is finalised
    and the answer (422) names each such target in `failures`. Refused (422, type
    `tag:letterkit,2026:problem:mixed-languages`) while a letter has parts printed in another
    language, unless `confirm_mixed_languages` is true: `mixed_parts` lists them with their
    target's `authority` and `letter`. 409 when there is nothing to finalise."""
    campaign = group_campaign(group, campaign_id)
    reason = _nothing_to_finalise(campaign)
    if reason is not None:
        problem(409, reason)
    confirmed = body.confirm_mixed_languages
    if not confirmed:
        mixed = ops.mixed_by_target(campaign, group)
        if mixed:
            _refuse_mixed(campaign, group, mixed)
    try:
        _done, failures = ops.finalise_all(campaign, group, None, mixing_confirmed=confirmed)
    except TrackingError as error:
        problem(422, tracking_message(error))
    if failures:
        named = [
            {
                "authority": failure.target.authority_slug,
                "detail": _(
                    "Not finalised: %(authority)s: %(reason)s",
                    authority=failure.target.authority_name,
                    reason=_message(failure),
                ),
            }
            for failure in failures
        ]
        problem(422, named[0]["detail"], kind=NOT_FINALISED, failures=named)
    return campaign_out(campaign)


def _bulk(group: Group, campaign_id: str, writer: Any, mimetype: str, extension: str) -> Response:
    """The campaign's letters written by ``writer`` as the page gives them; 409 without any."""
    campaign = group_campaign(group, campaign_id)
    if not ops.letter_count(campaign):
        problem(409, _("There are no letters yet. Make them first."))
    out = ops.spooled()
    try:
        writer(campaign, group, out)
    except (letters.LetterError, documents.DocumentError) as error:
        out.close()
        problem(422, _message(error))
    out.seek(0)
    with out:
        data = out.read()  # the documentation's response check reads the body: not streamed
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{campaign.public_id}{extension}"'
    )
    return response


@bp.get("/campaigns/<campaign_id>/zip")
@operation(tags=TAGS, responses={200: None}, errors=(404, 409), binary=(ZIP_TYPE,))
def download_campaign_zip(group: Group, campaign_id: str) -> Response:
    """The letters as a ZIP

    One DOCX per target that has a letter, in the targets' order: final letters exactly as
    issued, drafts rendered as they stand (422 while one cannot be built). 409 while the
    campaign has no letters."""
    return _bulk(group, campaign_id, ops.write_zip, ZIP_TYPE, ".zip")


@bp.get("/campaigns/<campaign_id>/docx")
@operation(tags=TAGS, responses={200: None}, errors=(404, 409), binary=(DOCX_TYPE,))
def download_campaign_docx(group: Group, campaign_id: str) -> Response:
    """The letters as one DOCX

    Every target's letter on its own pages, in the targets' order, for printing in one go
    (422 while a draft cannot be built). 409 while the campaign has no letters."""
    return _bulk(group, campaign_id, ops.write_combined, DOCX_TYPE, ".docx")
