"""Recording a dispatch and everything that happens to it: sent, registered, extended,
answered, forwarded, closed, followed up."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

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
from letterkit.models import (
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
from letterkit.tracking import files, queries
from letterkit.tracking import operations as ops
from letterkit.tracking.forms import (
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
from letterkit.tracking.views.common import (
    attach,
    bad_request,
    bp,
    due_heading,
    explanation_lines,
    forward_input,
    message,
    new_dispatch_input,
    upload,
)

# --- recording a dispatch ------------------------------------------------------------------------


@bp.route("/letters/<int:letter_id>/dispatch", methods=["GET", "POST"])
@member_required
def new_dispatch(letter_id: int) -> str | Response | tuple[str, int]:
    """Record that a final letter was handed over or sent to its authority."""
    group = current_group()
    letter = get_in_group_or_404(Letter, letter_id)
    if not letter.is_final:
        raise bad_request(_("Only a final letter can be recorded as sent. Finalise it first."))
    form = DispatchForm()
    form.set_choices(list(ops.members_of(group)), letter.country)
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
                letter, group, current_user, new_dispatch_input(form, coordinator=is_coordinator())
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
        raise bad_request(_("Only a reply that says the letter was forwarded can start this."))
    group = current_group()
    form = ForwardForm()
    form.set_choices(group_catalogue(group.id), interface_language(), found.dispatch.country)
    if request.method == "GET":
        form.sent_on.data = found.received_on
    if form.validate_on_submit():
        try:
            new = ops.forward(
                found,
                group,
                current_user,
                form.authority.data,
                forward_input(form),
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
