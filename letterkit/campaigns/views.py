"""Plan a campaign, make and finalise its letters, print them in one go, follow every target."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from letterkit import documents
from letterkit.campaigns.progress import progress as progress_of
from letterkit.catalogue import AUTHORITY_KINDS
from letterkit.core import transaction
from letterkit.core.access import (
    coordinator_required,
    current_group,
    get_in_group_or_404,
    member_required,
)
from letterkit.core.i18n import interface_language
from letterkit.extensions import db
from letterkit.models import Dispatch, DispatchMethod, Job, JobState, Letter
from letterkit.models.campaigns import Campaign, CampaignTarget
from letterkit.services import jobs, language_check, letters
from letterkit.services.catalogue import group_catalogue
from letterkit.services.verification import verifications

from . import follow_ups as follow
from . import jobs as pdf_jobs
from . import operations as ops
from .examples import load_examples
from .forms import CampaignForm, fields_form, holder_field_name, holders_form

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns", template_folder="templates")


_lang = interface_language


def _message(error: Any) -> str:
    return _(error.message).format(**error.params)


@bp.get("/")
@member_required
def campaigns() -> str:
    """List the group's campaigns."""
    group = current_group()
    rows = db.session.execute(
        sa.select(Campaign, sa.func.count(CampaignTarget.id))
        .outerjoin(CampaignTarget, CampaignTarget.campaign_id == Campaign.id)
        .where(Campaign.group_id == group.id)
        .group_by(Campaign.id)
        .order_by(Campaign.action_date.desc(), Campaign.id.desc())
    ).all()
    return render_template("campaigns/campaigns.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def new() -> str | Response:
    """Plan a campaign: its name, day, kind of letter and demands."""
    catalogue = group_catalogue(current_group().id)
    lang = _lang()
    form = CampaignForm()
    form.template.choices = [(s.slug, s.title(lang)) for s in documents.default_library().all()]
    form.demand_set.choices = [(s.slug, s.title(lang).text) for s in catalogue.demand_sets.values()]
    form.method.choices = [
        (m.value, _(m.label)) for m in DispatchMethod if m is not DispatchMethod.FORWARDED
    ]
    if form.validate_on_submit():
        try:
            campaign = ops.create_campaign(
                current_group(),
                current_user,
                name=form.name.data,
                template=form.template.data,
                action_date=form.action_date.data,
                demand_slugs=list(catalogue.demand_set(form.demand_set.data).slugs),
                method=form.method.data,
            )
        except ops.CampaignError as error:
            transaction.discard()
            form.form_errors.append(_message(error))
        else:
            return redirect(url_for("campaigns.targets", campaign_id=campaign.id))
    return render_template("campaigns/new.html", form=form), (422 if form.errors else 200)


def _campaign(campaign_id: int) -> Campaign:
    return get_in_group_or_404(Campaign, campaign_id)


@bp.get("/<int:campaign_id>")
@member_required
def campaign(campaign_id: int) -> str:
    """Show a campaign: per target its letter, dispatch state, due date and reply."""
    return _page(_campaign(campaign_id))


def _holders_form(found: Campaign, needed: list[ops.HolderNeeded], **kwargs: Any) -> Any:
    return holders_form(needed, _("Not recorded yet"), **kwargs)


def _page(found: Campaign, holders: Any = None, finalise_error: str | None = None) -> str:
    """The campaign page; ``holders`` is the office holders' form as submitted, if it was;
    ``finalise_error`` why finalising was refused."""
    rows = db.session.execute(
        sa.select(CampaignTarget, Letter, Dispatch)
        .outerjoin(Letter, Letter.id == CampaignTarget.letter_id)
        .outerjoin(Dispatch, Dispatch.id == CampaignTarget.dispatch_id)
        .where(CampaignTarget.campaign_id == found.id)
        .order_by(CampaignTarget.position)
    ).all()
    spec = documents.default_library().get(found.template)
    missing_fields = [
        lang
        for lang in ops.languages_of(found)
        if any(f.required and not found.fields.get(lang, {}).get(f.name) for f in spec.fields)
    ]
    if holders is None:
        holders = _holders_form(found, ops.holders_needed(found, current_group()), formdata=None)
    catalogue = group_catalogue(found.group_id)
    mixed = {
        target_id: language_check.describe_all(parts, _, _lang(), catalogue)
        for target_id, parts in ops.mixed_by_target(found, current_group()).items()
    }
    return render_template(
        "campaigns/campaign.html",
        campaign=found,
        rows=rows,
        spec=spec,
        languages=ops.languages_of(found),
        missing_fields=missing_fields,
        holders_form=holders,
        progress=progress_of(rows),
        drafts=sum(1 for _t, letter, _d in rows if letter is not None and not letter.is_final),
        without_letter=sum(1 for _t, letter, _d in rows if letter is None),
        pdf=documents.pdf_available(),
        overdue=follow.overdue_count(found),
        follow_ups=_follow_up_letters(rows),
        today=date.today(),
        lang=_lang(),
        verifications=verifications(found.group_id, [row[0].authority_slug for row in rows]),
        mixed=mixed,
        finalise_error=finalise_error,
        confirmed=request.form.get("confirm_mixed") == "1",
    )


def _follow_up_letters(rows: Any) -> dict[int, Letter]:
    """The follow-up letters of the targets, by target id."""
    ids = {t.id: t.follow_up_letter_id for t, _l, _d in rows if t.follow_up_letter_id}
    if not ids:
        return {}
    found = db.session.scalars(sa.select(Letter).where(Letter.id.in_(ids.values())))
    by_id = {letter.id: letter for letter in found}
    return {target: by_id[letter] for target, letter in ids.items() if letter in by_id}


@bp.post("/<int:campaign_id>/follow-ups")
@coordinator_required
def write_follow_ups(campaign_id: int) -> Response:
    """Start a follow-up draft to every target whose reply is overdue."""
    found = _campaign(campaign_id)
    result = follow.write_follow_ups(found, current_group(), current_user)
    flash(
        _(
            "Follow-ups written: %(count)s. Check each draft, then finalise it.",
            count=len(result.created),
        ),
        "success",
    )
    by_reason: dict[str, list[str]] = {}
    for skipped in result.skipped:
        reason = _(skipped.message).format(**skipped.params)
        by_reason.setdefault(reason, []).append(skipped.target.authority_name)
    for reason, names in by_reason.items():
        shown = ", ".join(names[:SHOWN_NAMES])
        if len(names) > SHOWN_NAMES:
            shown = _("%(names)s and %(count)s more", names=shown, count=len(names) - SHOWN_NAMES)
        flash(
            _(
                "Skipped (%(count)s), %(reason)s: %(names)s",
                count=len(names),
                reason=reason,
                names=shown,
            ),
            "info",
        )
    return redirect(url_for("campaigns.campaign", campaign_id=found.id) + "#follow-ups")


#: How many skipped targets a message names before it says "and N more".
SHOWN_NAMES = 10


@bp.post("/<int:campaign_id>/holders")
@coordinator_required
def record_holders(campaign_id: int) -> tuple[str, int] | Response:
    """Record how the holders of the targets' offices are addressed, where a letter's language
    needs it (ru, uk) before the letters are finalised; remembered for the group."""
    found = _campaign(campaign_id)
    needed = ops.holders_needed(found, current_group())
    form = _holders_form(found, needed)
    if not form.validate_on_submit():
        transaction.discard()
        return _page(found, form), 422
    chosen = [
        (item.target, form[holder_field_name(item.target.id)].data)
        for item in needed
        if form[holder_field_name(item.target.id)].data
    ]
    ops.record_holders(current_group(), current_user, chosen)
    flash(_("Saved for your group: how the holders of these offices are addressed."), "success")
    return redirect(url_for("campaigns.campaign", campaign_id=found.id))


@bp.route("/<int:campaign_id>/targets", methods=["GET", "POST"])
@coordinator_required
def targets(campaign_id: int) -> str | Response:
    """Choose the targets: by country and kind of authority, or one by one."""
    found = _campaign(campaign_id)
    catalogue = group_catalogue(current_group().id)
    if request.method == "POST":
        try:
            added = ops.add_targets(
                found, current_group(), current_user, request.form.getlist("authority")
            )
        except ops.CampaignError as error:
            transaction.discard()
            flash(_message(error), "error")
        else:
            flash(_("Targets added: %(count)s.", count=len(added)), "success")
            return redirect(url_for("campaigns.campaign", campaign_id=found.id))
    countries = [c for c in request.args.getlist("country") if c in catalogue.countries]
    kinds = [k for k in request.args.getlist("kind") if k in AUTHORITY_KINDS]
    matches = (
        ops.matching_authorities(catalogue, countries=countries, kinds=kinds)
        if countries or kinds
        else []
    )
    present = {t.authority_slug for t in found.targets}
    lang = _lang()
    return render_template(
        "campaigns/targets.html",
        campaign=found,
        countries=sorted(catalogue.countries.values(), key=lambda c: c.name(lang).text),
        kinds=AUTHORITY_KINDS,
        chosen_countries=countries,
        chosen_kinds=kinds,
        matches=[a for a in matches if a.slug not in present],
        lang=lang,
    )


@bp.post("/<int:campaign_id>/targets/<int:target_id>/remove")
@coordinator_required
def remove_target(campaign_id: int, target_id: int) -> Response:
    """Take a target out of the campaign."""
    found = _campaign(campaign_id)
    target = get_in_group_or_404(CampaignTarget, target_id)
    if target.campaign_id != found.id:
        abort(404)
    try:
        ops.remove_target(found, current_group(), current_user, target)
    except ops.CampaignError as error:
        transaction.discard()
        flash(_message(error), "error")
    else:
        flash(_("The target was removed."), "success")
    return redirect(url_for("campaigns.campaign", campaign_id=found.id))


def _prefilled(found: Campaign, spec: documents.TemplateSpec, lang: str) -> dict[str, Any]:
    """The stored texts of one language; an empty ``government`` is prefilled when every target
    in that language is a mission of one sending state."""
    stored = dict(found.fields.get(lang, {}))
    catalogue = group_catalogue(current_group().id)
    slugs = {t.authority_slug for t in found.targets if t.language == lang}
    authorities = [catalogue.authorities[s] for s in slugs if s in catalogue.authorities]
    if len(authorities) != len(slugs) or len({a.country for a in authorities}) != 1:
        return stored
    if not all(a.is_mission for a in authorities):
        return stored
    return letters.with_government(spec, stored, authorities[0], lang)


@bp.route("/<int:campaign_id>/fields/<lang>", methods=["GET", "POST"])
@coordinator_required
def fields(campaign_id: int, lang: str) -> str | Response:
    """Fill in the kind of letter's own fields for the letters in one language."""
    found = _campaign(campaign_id)
    if lang not in ops.languages_of(found):
        abort(404)
    spec = documents.default_library().get(found.template)
    stored = _prefilled(found, spec, lang)
    form = fields_form(spec, _lang(), data={f"f_{k}": v for k, v in stored.items()})
    if form.validate_on_submit():
        values = {}
        for field in form:
            if field.name.startswith("f_"):
                value = field.data
                values[field.name[2:]] = value.isoformat() if isinstance(value, date) else value
        ops.set_fields(found, current_group(), current_user, lang, values)
        flash(_("Saved. Letters made from now on use these texts."), "success")
        return redirect(url_for("campaigns.campaign", campaign_id=found.id))
    return render_template(
        "campaigns/fields.html",
        campaign=found,
        form=form,
        letter_lang=lang,
        own_fields=[f for f in form if f.name.startswith("f_")],
    ), (422 if form.errors else 200)


@bp.post("/<int:campaign_id>/letters")
@coordinator_required
def make_letters(campaign_id: int) -> Response:
    """Make a draft letter for every target that has none."""
    found = _campaign(campaign_id)
    try:
        made = ops.generate_letters(found, current_group(), current_user)
    except (letters.LetterError, ops.CampaignError) as error:
        transaction.discard()
        flash(_message(error), "error")
    else:
        flash(_("Draft letters made: %(count)s.", count=made), "success")
    return redirect(url_for("campaigns.campaign", campaign_id=found.id))


@bp.post("/<int:campaign_id>/finalise")
@coordinator_required
def finalise(campaign_id: int) -> Response | tuple[str, int]:
    """Finalise every draft letter and track each target as a planned dispatch."""
    found = _campaign(campaign_id)
    confirmed = request.form.get("confirm_mixed") == "1"
    if not confirmed and ops.mixed_by_target(found, current_group()):
        return _page(found, finalise_error=_(language_check.M_CONFIRM_NEEDED)), 422
    done, failures = ops.finalise_all(
        found, current_group(), current_user, mixing_confirmed=confirmed
    )
    flash(_("Letters finalised: %(count)s. Each target is now tracked.", count=done), "success")
    for failure in failures:
        flash(
            _(
                "Not finalised: %(authority)s: %(reason)s",
                authority=failure.target.authority_name,
                reason=_message(failure),
            ),
            "error",
        )
    return redirect(url_for("campaigns.campaign", campaign_id=found.id))


def _no_letters(found: Campaign) -> Response | None:
    """Send the user back when the campaign has no letters to print yet."""
    if ops.letter_count(found):
        return None
    flash(_("There are no letters yet. Make them first."), "error")
    return redirect(url_for("campaigns.campaign", campaign_id=found.id))


def _bulk(found: Campaign, writer: Any, name: str, mimetype: str) -> Response:
    back = _no_letters(found)
    if back is not None:
        return back
    out = ops.spooled()
    writer(found, current_group(), out)
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/<int:campaign_id>/letters.zip")
@member_required
def download_zip(campaign_id: int) -> Response:
    """Download a ZIP with one DOCX per target."""
    found = _campaign(campaign_id)
    return _bulk(found, ops.write_zip, f"campaign-{found.id}.zip", "application/zip")


@bp.get("/<int:campaign_id>/letters.docx")
@member_required
def download_combined(campaign_id: int) -> Response:
    """Download one DOCX with every letter on its own pages, for printing in one go."""
    found = _campaign(campaign_id)
    return _bulk(
        found,
        ops.write_combined,
        f"campaign-{found.id}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@bp.post("/<int:campaign_id>/letters.pdf")
@member_required
def request_pdf(campaign_id: int) -> Response:
    """Start making every letter as one PDF, in the background; show its progress."""
    found = _campaign(campaign_id)
    back = _no_letters(found)
    if back is not None:
        return back
    job = jobs.create(current_group(), current_user, pdf_jobs.KIND, found.id)
    return redirect(url_for("campaigns.pdf_job", campaign_id=found.id, job_id=job.id))


def _pdf_job(campaign_id: int, job_id: int) -> tuple[Campaign, Job]:
    """The campaign and its PDF job, both of the current group (else 404)."""
    found = _campaign(campaign_id)
    job = get_in_group_or_404(Job, job_id)
    if job.kind != pdf_jobs.KIND or job.subject_id != found.id:
        abort(404)
    return found, job


@bp.get("/<int:campaign_id>/pdf/<int:job_id>")
@member_required
def pdf_job(campaign_id: int, job_id: int) -> str:
    """Show how far the campaign's PDF is; it reloads itself until the PDF is ready."""
    found, job = _pdf_job(campaign_id, job_id)
    error = None
    if job.state is JobState.FAILED:
        error = _(job.error).format(**job.error_params)
    elif jobs.interrupted(job):
        error = _(jobs.M_INTERRUPTED)
    return render_template(
        "campaigns/pdf_job.html", campaign=found, job=job, error=error, JobState=JobState
    )


@bp.get("/<int:campaign_id>/pdf/<int:job_id>/download")
@member_required
def download_pdf(campaign_id: int, job_id: int) -> Response:
    """Download the campaign's PDF once it is made."""
    found, job = _pdf_job(campaign_id, job_id)
    if job.state is not JobState.DONE or job.result is None:
        return redirect(url_for("campaigns.pdf_job", campaign_id=found.id, job_id=job.id))
    return Response(
        job.result,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{job.result_name}"'},
    )


@bp.post("/examples")
@coordinator_required
def examples() -> Response:
    """Load the 2011 and 2019 campaigns as examples."""
    made = load_examples(current_group(), current_user)
    flash(_("Example campaigns loaded: %(count)s.", count=len(made)), "success")
    return redirect(url_for("campaigns.campaigns"))
