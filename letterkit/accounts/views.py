"""Set-up, log in and out, members, invitations, password and group details."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from letterkit import documents
from letterkit.catalogue import get_catalogue
from letterkit.catalogue.scripts import SCRIPT_NAMES
from letterkit.core import ratelimit, signals, transaction
from letterkit.core.access import (
    coordinator_required,
    current_group,
    current_membership,
    get_in_group_or_404,
    is_coordinator,
    member_required,
)
from letterkit.core.i18n import interface_language, remember_language
from letterkit.core.setup import setup_needed
from letterkit.core.views import safe_next
from letterkit.extensions import db, limiter
from letterkit.models import (
    NAME_FORM_FIELDS,
    Group,
    GroupLetterhead,
    Invitation,
    Membership,
    Role,
    utcnow,
)
from letterkit.services import names
from letterkit.services.letterheads import remove_letterhead, save_letterhead
from letterkit.services.letters import reference_prefix

from . import operations as ops
from .forms import (
    AcceptInvitationForm,
    ConfirmForm,
    InviteForm,
    LetterheadForm,
    LoginForm,
    PasswordForm,
    RoleForm,
    SetupForm,
    group_form,
    name_field_id,
    role_choices,
)

bp = Blueprint("accounts", __name__, template_folder="templates")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


ACCOUNT_SCOPE = "login-account"


def _account_allows(email: str) -> str:
    """The account's counter key, after checking that it may try again (else 429)."""
    key = ratelimit.account_key(email)
    if not ratelimit.account_allows(_account_limit(), ACCOUNT_SCOPE, key):
        error = TooManyRequests()
        error.letterkit_message = _(  # type: ignore[attr-defined]
            "Too many failed attempts to log in to this account. Wait a few minutes and try again."
        )
        raise error
    return key


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _start_session(membership: Membership) -> None:
    session.clear()
    login_user(membership.user)
    session["group_id"] = membership.group_id
    remember_language(membership.user.interface_language)


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | Response:
    """Create the first group and its coordinator on a new installation."""
    if not setup_needed():
        return redirect(url_for("accounts.login"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            membership = ops.set_up(
                form.group_name.data,
                form.default_letter_language.data,
                ops.NewAccount(
                    display_name=form.display_name.data,
                    email=form.email.data,
                    password=form.password.data,
                    interface_language=form.interface_language.data,
                ),
            )
        except ops.OperationError as error:
            transaction.discard()
            flash(str(error.message), "error")
        else:
            signals.group_set_up.send(
                current_app._get_current_object(),
                membership=membership,
                with_examples=bool(form.load_examples.data),
            )
            _start_session(membership)
            flash(_("Your group is ready. Fill in its details for your letters."), "success")
            return redirect(url_for("accounts.group_settings"))
    return render_template("accounts/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    """Log in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        # Per account as well as per address (the decorator); see core/ratelimit.py.
        account = _account_allows(form.email.data)
        user = ops.authenticate(form.email.data, form.password.data)
        if user is None:
            ratelimit.count_failure(_account_limit(), ACCOUNT_SCOPE, account)
        membership = None
        if user is not None:
            membership = db.session.scalar(
                sa.select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
            )
        if user is None:
            form.password.errors.append(_("The e-mail or the password is not right."))
        elif membership is None:
            transaction.discard()  # a refused login stores nothing, not even a rehashed password
            form.email.errors.append(_("This account is not a member of any group any more."))
        else:
            _start_session(membership)
            return redirect(safe_next(request.args.get("next"), url_for("core.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """Log out and end the session: a copy of its cookie taken before stops working too."""
    if current_user.is_authenticated:
        ops.end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have logged out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change the signed-in user's password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            ops.change_password(current_user, form.current_password.data, form.password.data)
        except ops.OperationError as error:
            transaction.discard()
            form.current_password.errors.append(str(error.message))
        else:
            login_user(current_user._get_current_object())  # the session token changed
            flash(_("Your password was changed. Other sessions have been logged out."), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/password.html", form=form)


def _name_scripts(group: Group) -> list[str]:
    """The scripts the group keeps its printed details in: those of the letter languages
    (languages.toml), and any it already has a form in."""
    catalogue = get_catalogue()
    scripts = [catalogue.languages[code].script for code in catalogue.template_languages] + [
        form.script for form in group.name_forms
    ]
    return [s for s in catalogue.scripts if s in scripts] + [
        s for s in dict.fromkeys(scripts) if s not in catalogue.scripts
    ]


def _suggest_latin(form: Any, scripts: list[str]) -> bool:
    """Fill the empty Latin fields with a Latin spelling of the Cyrillic ones (nothing saved);
    return whether anything was suggested."""
    if "Latn" not in scripts or "Cyrl" not in scripts:
        return False
    cyrillic = {f: form[name_field_id("Cyrl", f)].data or "" for f in NAME_FORM_FIELDS}
    suggested = False
    for field, value in names.latin_suggestion(cyrillic).items():
        target = form[name_field_id("Latn", field)]
        if not target.data:
            target.data, suggested = value, True
    return suggested


@bp.route("/group/settings", methods=["GET", "POST"])
@coordinator_required
def group_settings() -> str | Response:
    """Edit the group's name, address, contacts and letter signer."""
    group = current_group()
    form, scripts = _group_form(group)
    suggested = None
    if request.method == "POST" and request.form.get("suggest") == "latin":
        form.validate()
        suggested = _suggest_latin(form, scripts)
    elif form.validate_on_submit():
        fields = {
            name: (getattr(form, name).data or "")
            for name in (
                "name",
                "email",
                "phone",
                "website",
                "default_letter_language",
                "reference_prefix",
            )
        }
        forms = {
            script: {f: form[name_field_id(script, f)].data or "" for f in NAME_FORM_FIELDS}
            for script in scripts
        }
        ops.update_group(group, current_user, forms=forms, **fields)
        flash(_("The group's details were saved."), "success")
        return redirect(url_for("accounts.group_settings"))
    return _settings_page(group, form, scripts, suggested=suggested)


def _settings_page(
    group: Group,
    form: Any,
    scripts: list[str],
    *,
    letterhead_form: LetterheadForm | None = None,
    suggested: bool | None = None,
) -> tuple[str, int]:
    """The group settings page (422 when a form on it has errors)."""
    letterhead_form = letterhead_form or LetterheadForm()
    return render_template(
        "accounts/group.html",
        form=form,
        group=group,
        scripts=[(s, _(SCRIPT_NAMES.get(s, s))) for s in scripts],
        field_id=name_field_id,
        suggested=suggested,
        letterhead_form=letterhead_form,
        letterhead=db.session.get(GroupLetterhead, group.id),
        example_reference=f"{reference_prefix(group)}-{date.today().year}/001",
    ), (422 if form.errors or letterhead_form.errors else 200)


def _group_form(group: Group) -> tuple[Any, list[str]]:
    """The group settings form filled from the group, with the scripts it offers."""
    scripts = _name_scripts(group)
    data = {
        name_field_id(script, field): value
        for script, values in names.form_values(group, scripts).items()
        for field, value in values.items()
    }
    return group_form(scripts, obj=group, data=data), scripts


@bp.post("/group/letterhead")
@coordinator_required
def upload_letterhead() -> str | Response:
    """Keep the group's letterhead for its letters, after checking the file."""
    group = current_group()
    form = LetterheadForm()
    if form.validate_on_submit():
        upload = form.letterhead.data
        data = upload.read()  # the request size is capped by MAX_CONTENT_LENGTH
        try:
            save_letterhead(group, current_user, upload.filename or "letterhead.docx", data)
        except documents.LetterheadError as error:
            transaction.discard()
            form.letterhead.errors.append(_(error.message).format(**error.params))
        else:
            flash(_("The letterhead was saved. Your letters now print on it."), "success")
            return redirect(url_for("accounts.group_settings"))
    settings, scripts = _group_form(group)
    page, _status = _settings_page(group, settings, scripts, letterhead_form=form)
    return page, 422


@bp.post("/group/letterhead/remove")
@coordinator_required
def remove_letterhead_view() -> Response:
    """Print letters without the group's letterhead again."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    remove_letterhead(current_group(), current_user)
    flash(_("The letterhead was removed."), "success")
    return redirect(url_for("accounts.group_settings"))


@bp.get("/members")
@member_required
def members() -> str:
    """List the group's members and, for coordinators, open invitations."""
    group = current_group()
    memberships = db.session.scalars(
        sa.select(Membership)
        .where(Membership.group_id == group.id)
        .options(sa.orm.joinedload(Membership.user))
        .order_by(Membership.role, Membership.id)
    ).all()
    invitations = []
    if is_coordinator():
        invitations = [
            inv
            for inv in db.session.scalars(
                sa.select(Invitation)
                .where(Invitation.group_id == group.id, Invitation.used_at.is_(None))
                .order_by(Invitation.created_at.desc())
            )
            if inv.is_open(utcnow())
        ]
    return render_template(
        "accounts/members.html",
        group=group,
        memberships=memberships,
        invitations=invitations,
        invite_form=InviteForm(),
        confirm_form=ConfirmForm(),
        role_choices=role_choices(),
        me=current_membership(),
        coordinator=is_coordinator(),
        Role=Role,
    )


@bp.post("/members/invite")
@coordinator_required
def invite() -> str | Response:
    """Create a one-time invitation link to pass on to a new member."""
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Choose a role for the invitation."), "error")
        return redirect(url_for("accounts.members"))
    invitation, token = ops.create_invitation(current_group(), Role(form.role.data), current_user)
    link = url_for("accounts.accept_invitation", token=token, _external=True)
    return render_template("accounts/invitation.html", invitation=invitation, link=link)


@bp.post("/invitations/<int:invitation_id>/revoke")
@coordinator_required
def revoke_invitation(invitation_id: int) -> Response:
    """Make an invitation link unusable."""
    invitation = get_in_group_or_404(Invitation, invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.revoke_invitation(invitation, current_user)
    except ops.OperationError as error:
        transaction.discard()
        flash(str(error.message), "error")
    else:
        flash(_("The invitation was revoked."), "success")
    return redirect(url_for("accounts.members"))


@bp.post("/members/<int:membership_id>/role")
@coordinator_required
def change_role(membership_id: int) -> Response:
    """Give a member another role."""
    membership = get_in_group_or_404(Membership, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role."), "error")
        return redirect(url_for("accounts.members"))
    try:
        ops.change_role(membership, Role(form.role.data), current_user)
    except ops.OperationError as error:
        transaction.discard()
        flash(str(error.message), "error")
    else:
        flash(_("The role was changed."), "success")
    return redirect(url_for("accounts.members"))


@bp.post("/members/<int:membership_id>/remove")
@coordinator_required
def remove_member(membership_id: int) -> Response:
    """Take a member out of the group."""
    membership = get_in_group_or_404(Membership, membership_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.remove_member(membership, current_user)
    except ops.OperationError as error:
        transaction.discard()
        flash(str(error.message), "error")
    else:
        flash(_("The member was removed from the group."), "success")
    return redirect(url_for("accounts.members"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response:
    """Join a group through an invitation link."""
    invitation = ops.find_open_invitation(token)
    if invitation is None:
        if current_user.is_authenticated and ops.invitation_used_by(token, current_user):
            return redirect(url_for("core.home"))  # joined with it before logging in
        return render_template("accounts/invitation_invalid.html"), 404
    if current_user.is_authenticated:
        return _join(invitation)
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.interface_language.data = interface_language()
    if form.validate_on_submit():
        account = ops.NewAccount(
            display_name=form.display_name.data,
            email=form.email.data,
            password=form.password.data,
            interface_language=form.interface_language.data,
        )
        try:
            ops.answer_invitation(invitation, account)
        except ops.OperationError as error:
            transaction.discard()
            flash(str(error.message), "error")
        else:
            # The same answer for a new e-mail and one with an account: see answer_invitation.
            flash(
                _(
                    "Thank you. Log in with this e-mail to join %(group)s: with the password you "
                    "just chose if you are new here, or with your account's own password if you "
                    "already had one.",
                    group=invitation.group.name,
                ),
                "success",
            )
            return redirect(url_for("accounts.login", next=request.path))
    return render_template("accounts/accept.html", form=form, invitation=invitation)


def _join(invitation: Invitation) -> str | Response:
    """A logged-in user joins the invitation's group after confirming."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            membership = ops.accept_invitation(invitation, current_user)
        except ops.OperationError as error:
            transaction.discard()
            flash(str(error.message), "error")
            return redirect(url_for("core.home"))
        session["group_id"] = membership.group_id
        flash(_("You have joined %(group)s.", group=invitation.group.name), "success")
        return redirect(url_for("core.home"))
    return render_template("accounts/join.html", form=form, invitation=invitation)
