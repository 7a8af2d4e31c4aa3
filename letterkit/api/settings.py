"""API tokens in the group settings: coordinators make, list and revoke them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit.core.access import coordinator_required, current_group

from . import tokens as ops
from .forms import RevokeForm, TokenForm

bp = Blueprint("api_tokens", __name__, template_folder="templates")


def _page(form: TokenForm, new_token: str | None = None, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "api/tokens.html",
            form=form,
            revoke_form=RevokeForm(),
            tokens=ops.tokens_of(current_group()),
            new_token=new_token,
        ),
        status,
    )


@bp.get("/group/api-tokens")
@coordinator_required
def tokens() -> tuple[str, int]:
    """The group's API tokens."""
    return _page(TokenForm())


@bp.post("/group/api-tokens")
@coordinator_required
def create_token() -> tuple[str, int]:
    """Make a token and show it, once (never in a URL, a flash message or a log)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    _row, token = ops.create_token(
        current_group(), form.name.data or "", read_only=form.read_only.data, actor=current_user
    )
    return _page(TokenForm(formdata=None), new_token=token)


@bp.post("/group/api-tokens/<public_id>/revoke")
@coordinator_required
def revoke_token(public_id: str) -> Response:
    """Make a token stop working now."""
    if not RevokeForm().validate_on_submit():
        abort(400)
    row = ops.token_of(current_group(), public_id)
    if row is None:
        abort(404)
    if ops.revoke_token(row, current_group(), current_user):
        flash(_("The token was revoked. Requests with it are refused from now on."), "success")
    return redirect(url_for("api_tokens.tokens"))
