"""Dispatches, replies and reply deadlines: record them, watch the dashboard, export them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
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
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from letterkit import deadlines
from letterkit.core import transaction
from letterkit.core.access import (
    coordinator_required,
    current_group,
    get_in_group_or_404,
    is_coordinator,
    member_required,
)
from letterkit.core.i18n import interface_language
from letterkit.deadlines.explanation import HEADINGS
from letterkit.extensions import db
from letterkit.models import (
    Campaign,
    Dispatch,
    DispatchMethod,
    DispatchReply,
    DispatchState,
    FileKind,
    Letter,
    ReplyChannel,
    ReplyOutcome,
    TrackingFile,
)
from letterkit.services.catalogue import group_catalogue

from . import exports, files, queries
from . import operations as ops
from .forms import (
    ConfirmForm,
    DispatchForm,
    ExtensionForm,
    ForwardForm,
    ProofForm,
    RegistrationForm,
    ReplyForm,
    SendForm,
    TargetForm,
)

bp = Blueprint("tracking", __name__, url_prefix="/tracking", template_folder="templates")

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


# --- helpers -------------------------------------------------------------------------------------


_lang = interface_language


def message(error: ops.TrackingError | deadlines.DeadlineError) -> str:
    """Translate an error first and format it after."""
    if isinstance(error, deadlines.DeadlineError):
        return _(error.template).format(**error.params)
    params = {
        key: (_(value) if key in error.translate else value) for key, value in error.params.items()
    }
    return _(error.message).format(**params)


def attach(form: FlaskForm, error: ops.TrackingError) -> None:
    """Put an operation's refusal next to the field it concerns (or above the form)."""
    text = message(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(text)
    else:
        field.errors = [*field.errors, text]


def upload(field: Any) -> bytes | None:
    """The bytes of an uploaded file, read no further than needed to refuse a large one."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", None):
        return None
    return files.read_limited(storage.stream, files.MAX_FILE_BYTES)


def due_heading(dispatch: Dispatch) -> str:
    """One line: the due date and what kind of date it is."""
    if dispatch.method is DispatchMethod.REFUSED:
        return _("Refused at the door: no reply is due. Send the letter by registered post.")
    if dispatch.due_kind is None:
        return _("Not sent yet: no due date.")
    if dispatch.due_kind == "error":
        return _("The due date could not be computed.")
    heading = _(HEADINGS[deadlines.ResultKind(dispatch.due_kind)])
    day = deadlines.format_day(dispatch.due_on, _) if dispatch.due_on else ""
    return heading.format(day=day)


def explanation_lines(data: dict[str, Any] | None) -> list[str]:
    """The stored explanation, sentence by sentence, in the interface language."""
    if not data:
        return []
    lines = []
    for step in data.get("steps", []):
        try:
            lines.append(
                deadlines.render_step(
                    deadlines.Step(step["code"], tuple(step.get("params", {}).items())), _
                )
            )
        except (KeyError, ValueError):
            lines.append(step.get("code", ""))
    return lines


def status_of(dispatch: Dispatch, today: date) -> str:
    """The dispatch's state, or lateness where that is what matters."""
    if ops.is_very_overdue(dispatch, today):
        return "very_overdue"
    if ops.is_overdue(dispatch, today):
        return "overdue"
    return dispatch.state.value


STATUS_LABELS = {
    "very_overdue": queries.VIEW_LABELS[queries.View.VERY_OVERDUE],
    "overdue": queries.VIEW_LABELS[queries.View.OVERDUE],
}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    today = ops.today()
    return {
        "tracking_status": lambda d: status_of(d, today),
        "tracking_status_label": lambda d: _(
            STATUS_LABELS.get(status_of(d, today)) or d.state.label
        ),
        "tracking_day": lambda day: deadlines.format_day(day, _) if day else "",
    }


def _filters() -> queries.Filters:
    country = request.args.get("country", "").strip().upper()
    authority = request.args.get("authority", "").strip()
    catalogue = group_catalogue(current_group().id)
    campaign = request.args.get("campaign", type=int)
    if campaign is not None:
        found = db.session.get(Campaign, campaign)
        campaign = found.id if found is not None and found.group_id == current_group().id else None
    return queries.Filters(
        country=country if country in catalogue.countries else None,
        authority=authority if _SLUG.match(authority) else None,
        campaign=campaign,
    )


def _filter_choices() -> dict[str, Any]:
    catalogue = group_catalogue(current_group().id)
    lang = _lang()
    countries = sorted(
        ((code, c.name(lang).text) for code, c in catalogue.countries.items()),
        key=lambda item: item[1],
    )

    campaigns = db.session.execute(
        sa.select(Campaign.id, Campaign.name)
        .where(Campaign.group_id == current_group().id)
        .order_by(Campaign.id.desc())
    ).all()
    return {"filter_countries": countries, "filter_campaigns": campaigns}


def _authorities_for(country: str | None) -> list[tuple[str, str]]:
    catalogue = group_catalogue(current_group().id)
    lang = _lang()
    found = catalogue.authorities_for(country) if country else catalogue.authorities.values()
    return sorted(((a.slug or "", a.name(lang).text) for a in found), key=lambda item: item[1])


def _new_dispatch_input(form: DispatchForm, *, coordinator: bool) -> ops.DispatchInput:
    planned = bool(form.planned.data)
    return ops.DispatchInput(
        method=DispatchMethod(form.method.data),
        sent_on=None if planned else form.sent_on.data,
        planned_on=form.planned_on.data if planned else None,
        delivered_on=None if planned else form.delivered_on.data,
        handed_by_id=int(form.handed_by_id.data) if form.handed_by_id.data else None,
        handed_by_name=form.handed_by_name.data or "",
        registration_number="" if planned else (form.registration_number.data or ""),
        registered_on=None if planned else form.registered_on.data,
        proceeding_kind=form.proceeding_kind.data or None,
        target_days=form.target_days.data if coordinator else None,
    )


def _forward_input(form: ForwardForm) -> ops.DispatchInput:
    return ops.DispatchInput(
        method=DispatchMethod.FORWARDED,
        sent_on=form.sent_on.data,
        delivered_on=form.delivered_on.data,
        registration_number=form.registration_number.data or "",
        registered_on=form.registered_on.data,
        proceeding_kind=form.proceeding_kind.data or None,
    )


def _bad_request(text: str) -> BadRequest:
    error = BadRequest()
    error.letterkit_message = text  # type: ignore[attr-defined]
    return error


# --- dashboard and lists -------------------------------------------------------------------------


@bp.get("/")
@member_required
def dashboard() -> str:
    """Show what is due soon, overdue, very overdue, answered and refused."""
    group = current_group()
    filters = _filters()
    today = ops.today()
    counts = queries.counts(group.id, filters, today)
    sections = [
        (
            view,
            counts[view],
            queries.page(group.id, view, filters, today, 1, queries.DASHBOARD_ROWS),
        )
        for view in queries.DASHBOARD_VIEWS
    ]
    return render_template(
        "tracking/dashboard.html",
        sections=sections,
        filters=filters,
        authorities=_authorities_for(filters.country),
        stale=ops.stale_count(group.id) if is_coordinator() else 0,
        coordinator=is_coordinator(),
        **_filter_choices(),
    )


@bp.get("/dispatches")
@member_required
def dispatches() -> str:
    """List one view of the group's dispatches, a page at a time."""
    group = current_group()
    try:
        view = queries.View(request.args.get("view", "all"))
    except ValueError:
        abort(404)
    number = request.args.get("page", 1, type=int) or 1
    filters = _filters()
    today = ops.today()
    total = queries.count(group.id, view, filters, today)
    pages = max(1, math.ceil(total / queries.PER_PAGE))
    if number < 1 or number > pages:
        abort(404)
    return render_template(
        "tracking/list.html",
        view=view,
        views=list(queries.View),
        rows=queries.page(group.id, view, filters, today, number),
        total=total,
        number=number,
        pages=pages,
        filters=filters,
        authorities=_authorities_for(filters.country),
        coordinator=is_coordinator(),
        **_filter_choices(),
    )


@bp.get("/authorities")
@member_required
def authorities() -> str:
    """Show how each authority answers: share answered in time, median days to answer."""
    group = current_group()
    filters = _filters()
    stats = queries.authority_stats(group.id, filters, ops.today())
    catalogue = group_catalogue(group.id)
    lang = _lang()
    missing = [s.slug for s in stats if s.slug not in catalogue.authorities]
    stored = queries.stored_names(group.id, missing)
    for row in stats:
        if row.slug in catalogue.authorities:
            row.name = catalogue.authorities[row.slug].name(lang).text
        else:
            row.name = stored.get(row.slug, row.slug)
    stats.sort(key=lambda s: s.name)
    return render_template(
        "tracking/authorities.html",
        stats=stats,
        filters=filters,
        authorities=_authorities_for(filters.country),
        **_filter_choices(),
    )


CSV_HEADER = (
    "dispatch",
    "letter_reference",
    "country",
    "authority",
    "authority_name",
    "method",
    "state",
    "planned_on",
    "sent_on",
    "delivered_on",
    "registration_number",
    "registered_on",
    "due_on",
    "due_kind",
    "due_estimate",
    "rule",
    "very_overdue_on",
    "lateness",
    "answered_on",
    "days_to_answer",
    "outcome",
)


@bp.get("/dispatches.csv")
@coordinator_required
def export_csv() -> Response:
    """Download the group's dispatches as CSV (no names of people)."""
    group = current_group()
    filters = _filters()
    today = ops.today()

    def rows() -> Iterator[list[object]]:
        for d in queries.stream(group.id, queries.View.ALL, filters, today):
            yield [
                d.id,
                d.letter.reference,
                d.country,
                d.authority_slug,
                d.authority_name,
                d.method.value,
                d.state.value,
                d.planned_on,
                d.sent_on,
                d.delivered_on,
                d.registration_number,
                d.registered_on,
                d.due_on,
                d.due_kind,
                d.due_estimate,
                d.rule_id,
                d.very_overdue_on,
                status_of(d, today) if status_of(d, today).endswith("overdue") else "",
                d.answered_on,
                d.days_to_answer,
                d.outcome.value if d.outcome else "",
            ]

    body = stream_with_context(exports.csv_lines(CSV_HEADER, rows()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="dispatches-{today.isoformat()}.csv"'
    )
    return response


# --- recording a dispatch ------------------------------------------------------------------------


@bp.route("/letters/<int:letter_id>/dispatch", methods=["GET", "POST"])
@member_required
def new_dispatch(letter_id: int) -> str | Response | tuple[str, int]:
    """Record that a final letter was handed over or sent to its authority."""
    group = current_group()
    letter = get_in_group_or_404(Letter, letter_id)
    if not letter.is_final:
        raise _bad_request(_("Only a final letter can be recorded as sent. Finalise it first."))
    form = DispatchForm()
    form.set_choices(list(ops.members_of(group)))
    if request.method == "GET":
        form.method.data = DispatchMethod.HAND.value
        form.sent_on.data = ops.today()
        form.handed_by_id.data = str(current_user.id)
    status = 200
    if form.validate_on_submit():
        proof = upload(form.proof)
        try:
            if proof is not None:
                ops.check_file(proof, "proof")
            dispatch = ops.record_dispatch(
                letter, group, current_user, _new_dispatch_input(form, coordinator=is_coordinator())
            )
            if proof is not None:
                ops.store_file(dispatch, group, current_user, proof, kind=FileKind.PROOF)
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            flash(_("The dispatch was recorded."), "success")
            return redirect(url_for("tracking.dispatch", dispatch_id=dispatch.id))
    if request.method == "POST":
        status = 422
    return render_template(
        "tracking/new_dispatch.html",
        form=form,
        letter=letter,
        existing=queries.of_letter(letter.group_id, letter.id),
        coordinator=is_coordinator(),
    ), status


# --- one dispatch --------------------------------------------------------------------------------


def _forms(dispatch: Dispatch, **given: FlaskForm) -> dict[str, FlaskForm]:
    forms: dict[str, FlaskForm] = {
        "send_form": given.get("send_form") or SendForm(prefix="send"),
        "registration_form": given.get("registration_form")
        or RegistrationForm(prefix="reg", obj=dispatch),
        "target_form": given.get("target_form") or TargetForm(prefix="target", obj=dispatch),
        "extension_form": given.get("extension_form") or ExtensionForm(prefix="ext"),
        "reply_form": given.get("reply_form") or ReplyForm(prefix="reply"),
        "proof_form": given.get("proof_form") or ProofForm(prefix="proof"),
    }
    forms["send_form"].set_choices()  # type: ignore[attr-defined]
    forms["reply_form"].set_choices()  # type: ignore[attr-defined]
    if not forms["send_form"].is_submitted():
        forms["send_form"].method.data = dispatch.method.value  # type: ignore[attr-defined]
    return forms


def _show(dispatch: Dispatch, status: int = 200, **given: FlaskForm) -> tuple[str, int]:
    today = ops.today()
    return render_template(
        "tracking/dispatch.html",
        dispatch=dispatch,
        heading=due_heading(dispatch),
        overdue=ops.is_overdue(dispatch, today),
        very_overdue=ops.is_very_overdue(dispatch, today),
        stale=ops.is_stale(dispatch),
        can=lambda state: ops.can_move(dispatch, DispatchState(state)),
        coordinator=is_coordinator(),
        ReplyOutcome=ReplyOutcome,
        DispatchMethod=DispatchMethod,
        follow_up_possible=ops.is_overdue(dispatch, today)
        and dispatch.due_kind == deadlines.ResultKind.STATUTORY.value,
        **_forms(dispatch, **given),
    ), status


def _after(dispatch: Dispatch, text: str) -> Response:
    flash(text, "success")
    return redirect(url_for("tracking.dispatch", dispatch_id=dispatch.id))


@bp.get("/dispatches/<int:dispatch_id>")
@member_required
def dispatch(dispatch_id: int) -> tuple[str, int]:
    """Show a dispatch: its due date, registration, extensions, replies and proofs."""
    return _show(get_in_group_or_404(Dispatch, dispatch_id))


@bp.get("/dispatches/<int:dispatch_id>/due")
@member_required
def due(dispatch_id: int) -> str:
    """Explain how the dispatch's due date was computed."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    return render_template(
        "tracking/due.html",
        dispatch=found,
        heading=due_heading(found),
        lines=explanation_lines(found.due_explanation),
        stale=ops.is_stale(found),
    )


@bp.post("/dispatches/<int:dispatch_id>/send")
@member_required
def send(dispatch_id: int) -> tuple[str, int] | Response:
    """Record that a planned dispatch went out."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = SendForm(prefix="send")
    form.set_choices()
    if form.validate_on_submit():
        try:
            ops.mark_sent(
                found,
                current_group(),
                current_user,
                method=DispatchMethod(form.method.data),
                sent_on=form.sent_on.data,
                delivered_on=form.delivered_on.data,
            )
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            return _after(found, _("The dispatch was recorded as sent."))
    return _show(found, 422, send_form=form)


@bp.post("/dispatches/<int:dispatch_id>/registration")
@member_required
def registration(dispatch_id: int) -> tuple[str, int] | Response:
    """Enter the delivery day and the registration number and date; recompute the due date."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = RegistrationForm(prefix="reg")
    if form.validate_on_submit():
        try:
            ops.set_registration(
                found,
                current_group(),
                current_user,
                delivered_on=form.delivered_on.data,
                registration_number=form.registration_number.data or "",
                registered_on=form.registered_on.data,
            )
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            return _after(found, _("The registration was saved and the due date recomputed."))
    return _show(found, 422, registration_form=form)


@bp.post("/dispatches/<int:dispatch_id>/target")
@coordinator_required
def target(dispatch_id: int) -> tuple[str, int] | Response:
    """Set or remove a target where the law sets no term."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = TargetForm(prefix="target")
    if form.validate_on_submit():
        try:
            ops.set_target(found, current_group(), current_user, form.target_days.data)
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            return _after(found, _("The target was saved."))
    return _show(found, 422, target_form=form)


@bp.post("/dispatches/<int:dispatch_id>/extension")
@member_required
def extension(dispatch_id: int) -> tuple[str, int] | Response:
    """Record the authority's notice that it extends the term."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = ExtensionForm(prefix="ext")
    if form.validate_on_submit():
        try:
            ops.record_extension(
                found,
                current_group(),
                current_user,
                notice_on=form.notice_on.data,
                new_due_on=form.new_due_on.data,
            )
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            return _after(found, _("The extension was recorded."))
    return _show(found, 422, extension_form=form)


@bp.post("/dispatches/<int:dispatch_id>/replies")
@member_required
def reply(dispatch_id: int) -> tuple[str, int] | Response:
    """Record a reply from the authority, with its scan."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = ReplyForm(prefix="reply")
    form.set_choices()
    if form.validate_on_submit():
        try:
            ops.record_reply(
                found,
                current_group(),
                current_user,
                received_on=form.received_on.data,
                channel=ReplyChannel(form.channel.data),
                outcome=ReplyOutcome(form.outcome.data),
                summary=form.summary.data or "",
                scan=upload(form.scan),
            )
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            return _after(found, _("The reply was recorded."))
    return _show(found, 422, reply_form=form)


@bp.post("/dispatches/<int:dispatch_id>/files")
@member_required
def add_proof(dispatch_id: int) -> tuple[str, int] | Response:
    """Keep another proof of delivery."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = ProofForm(prefix="proof")
    if form.validate_on_submit():
        try:
            ops.store_file(
                found,
                current_group(),
                current_user,
                upload(form.proof) or b"",
                kind=FileKind.PROOF,
                field="proof",
            )
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            return _after(found, _("The file was kept."))
    return _show(found, 422, proof_form=form)


@bp.get("/files/<int:file_id>")
@member_required
def download(file_id: int) -> Response:
    """Download a proof or a reply scan."""
    stored = get_in_group_or_404(TrackingFile, file_id)
    extension_ = files.EXTENSIONS.get(stored.content_type, "bin")
    response = Response(stored.data, mimetype=stored.content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{stored.kind.value}-{stored.id}.{extension_}"'
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/dispatches/<int:dispatch_id>/recompute")
@member_required
def recompute(dispatch_id: int) -> Response:
    """Compute the due date again with the rules and holidays in use now."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changed = ops.recompute(found, group=current_group(), actor=current_user)
    return _after(
        found,
        _("The due date was recomputed and has changed.")
        if changed
        else _("The due date was recomputed; it is the same."),
    )


@bp.post("/dispatches/<int:dispatch_id>/close")
@coordinator_required
def close(dispatch_id: int) -> tuple[str, int] | Response:
    """Stop tracking a dispatch."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.close(found, current_group(), current_user)
    except ops.TrackingError as error:
        transaction.discard()
        flash(message(error), "error")
        return redirect(url_for("tracking.dispatch", dispatch_id=found.id))
    return _after(found, _("The dispatch was closed."))


@bp.post("/dispatches/<int:dispatch_id>/follow-up")
@member_required
def follow_up(dispatch_id: int) -> Response:
    """Start a reminder letter citing the law and the due date that passed."""
    found = get_in_group_or_404(Dispatch, dispatch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        draft = ops.create_follow_up(found, current_group(), current_user)
    except ops.TrackingError as error:
        transaction.discard()
        flash(message(error), "error")
        return redirect(url_for("tracking.dispatch", dispatch_id=found.id))
    flash(_("A draft reminder was started. Check it, then finalise it."), "success")
    return redirect(url_for("compose.letter", letter_id=draft.id))


@bp.route("/replies/<int:reply_id>/forward", methods=["GET", "POST"])
@member_required
def forward(reply_id: int) -> tuple[str, int] | Response:
    """Start tracking the body the authority forwarded the letter to."""
    found = get_in_group_or_404(DispatchReply, reply_id)
    if found.outcome is not ReplyOutcome.FORWARDED:
        raise _bad_request(_("Only a reply that says the letter was forwarded can start this."))
    group = current_group()
    form = ForwardForm()
    form.set_choices(group_catalogue(group.id), _lang())
    if request.method == "GET":
        form.sent_on.data = found.received_on
    if form.validate_on_submit():
        try:
            new = ops.forward(
                found,
                group,
                current_user,
                form.authority.data,
                _forward_input(form),
            )
        except ops.TrackingError as error:
            transaction.discard()
            attach(form, error)
        else:
            flash(_("The dispatch to the other body was recorded."), "success")
            return redirect(url_for("tracking.dispatch", dispatch_id=new.id))
    return render_template(
        "tracking/forward.html", form=form, reply=found, dispatch=found.dispatch
    ), (422 if request.method == "POST" else 200)


@bp.post("/recompute")
@coordinator_required
def recompute_stale() -> Response:
    """Recompute due dates computed with older rules or holidays (a batch at a time)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    group = current_group()
    done, changed = ops.recompute_stale(group, actor=current_user, limit=500)
    remaining = ops.stale_count(group.id)
    flash(
        _("Due dates recomputed: {done}; changed: {changed}.").format(done=done, changed=changed),
        "success",
    )
    if remaining:
        flash(
            _("Still to recompute: {remaining}. Press the button again.").format(
                remaining=remaining
            ),
            "info",
        )
    return redirect(url_for("tracking.dashboard"))


# --- calendar feed -------------------------------------------------------------------------------


@bp.get("/calendar")
@coordinator_required
def calendar() -> str:
    """Show the group's calendar link, to create or revoke it."""
    return render_template(
        "tracking/calendar.html",
        feed=ops.active_feed(current_group()),
        link=None,
    )


@bp.post("/calendar")
@coordinator_required
def create_calendar() -> str:
    """Make a new secret calendar link (the old one stops working)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    feed, token = ops.create_feed(current_group(), current_user)
    return render_template(
        "tracking/calendar.html",
        feed=feed,
        link=url_for("tracking.calendar_feed", token=token, _external=True),
    )


@bp.post("/calendar/revoke")
@coordinator_required
def revoke_calendar() -> Response:
    """Make the calendar link stop working."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if ops.revoke_feed(current_group(), current_user):
        flash(
            _("The calendar link was revoked. Calendars that used it get nothing more."), "success"
        )
    return redirect(url_for("tracking.calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str) -> Response:
    """Serve the group's due dates as an iCalendar feed to whoever holds the secret link."""
    feed = ops.find_feed(token)
    if feed is None:
        abort(404)
    group_id = feed.group_id
    now = datetime.now(UTC)
    summary = _("Reply due: {authority} ({reference})")
    kinds = {
        "statutory": _("Due by law."),
        "guidance": _("Expected under guidance, not law."),
        "target": _("The group's target, not a legal deadline."),
    }

    def events() -> Iterator[exports.Event]:
        for row in queries.open_due(group_id):
            reference = row.reference or "—"
            yield exports.Event(
                uid=f"dispatch-{row.id}@letterkit",
                day=row.due_on,
                summary=summary.format(authority=row.authority_name, reference=reference),
                description=kinds.get(row.due_kind or "", ""),
                stamp=row.updated_at,
            )

    body = stream_with_context(
        exports.calendar_lines(_("letterkit: replies due"), events(), now=now)
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="letterkit.ics"'
    return response
