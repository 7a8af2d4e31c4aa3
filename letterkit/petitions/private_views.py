"""Coordinator pages that touch signers' personal data: the group's signer key (set, unlock,
lock, change the passphrase), moderation with the audited "reveal" of counted-only signers, and
the full export.

An unlock lasts for one browser session: the session cookie (signed by Flask, HttpOnly) keeps
the unlock's id and a random key; the ``KeyUnlock`` row keeps the private key in a secret box
under that random key (see ``keys``). Neither half opens anything alone, and the row ends at
its expiry, on "Lock", and when the user's session token changes (logout, a new password).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from nacl.public import PrivateKey
from werkzeug.wrappers import Response

from letterkit.core import transaction
from letterkit.core.access import coordinator_required, current_group
from letterkit.extensions import db
from letterkit.models import Display, Group, KeyUnlock, Signature, SignerKind
from letterkit.services.countries import country_name

from . import keys
from . import operations as ops
from .blueprint import (
    ConfirmForm,
    FullExportForm,
    bp,
    csv_response,
    group_petition,
    page_args,
    when,
)
from .forms import ChangeKeyForm, CreateKeyForm, UnlockForm

PAGE_SIZE = 50
_SESSION_KEY = "signer_unlock"


def current_unlock(group: Group) -> tuple[KeyUnlock, PrivateKey] | None:
    """This browser session's unlock of the group's key, if it is still valid."""
    entry = session.get(_SESSION_KEY, {}).get(str(group.id))
    if not isinstance(entry, list) or len(entry) != 2:
        return None
    return keys.unlocked(group, current_user, int(entry[0]), str(entry[1]))


def _forget_unlock(group: Group) -> None:
    entries = dict(session.get(_SESSION_KEY, {}))
    if entries.pop(str(group.id), None) is not None:
        session[_SESSION_KEY] = entries


def _back_to(petition_id: int | None) -> Response:
    if petition_id:
        return redirect(url_for("petitions.signatures", petition_id=petition_id))
    return redirect(url_for("petitions.key"))


def _key_page(status: int = 200, **forms: Any) -> tuple[str, int]:
    group = current_group()
    unlock = current_unlock(group)
    context: dict[str, Any] = {
        "create_form": CreateKeyForm(),
        "unlock_form": UnlockForm(),
        "change_form": ChangeKeyForm(),
        **forms,
    }
    return render_template(
        "petitions/key.html",
        key=keys.key_of(group),
        unlock=unlock[0] if unlock else None,
        waiting=keys.clear_signatures(group),
        confirm_form=ConfirmForm(),
        back=request.args.get("petition", type=int),
        min_length=keys.MIN_PASSPHRASE,
        **context,
    ), status


def _refused(
    error: keys.KeyProblem, form: Any, name: str, fields: dict[str | None, str] | None = None
) -> tuple[str, int]:
    """The key page again with the refusal next to the field it concerns."""
    transaction.discard()
    fields = fields or {}
    target = getattr(form, fields.get(error.field, error.field or "passphrase"))
    target.errors = [*target.errors, _(error.message)]
    return _key_page(422, **{name: form})


@bp.get("/petitions/key")
@coordinator_required
def key() -> tuple[str, int]:
    """Show the group's signer key: set its passphrase, unlock, lock or change it."""
    return _key_page()


@bp.post("/petitions/key/create")
@coordinator_required
def create_key() -> Response | tuple[str, int]:
    """Make the group's signer key under a new passphrase; seal signatures held in clear."""
    form = CreateKeyForm()
    if not form.validate_on_submit():
        return _key_page(422, create_form=form)
    group = current_group()
    try:
        sealed = keys.create_key(group, current_user, form.passphrase.data, form.repeat.data)
    except keys.KeyProblem as error:
        return _refused(error, form, "create_form")
    flash(
        _("The key is set. Signing works now; unlock the key to read signers' details."), "success"
    )
    if sealed:
        flash(_("%(num)d signatures kept in clear until now are sealed.", num=sealed), "info")
    return redirect(url_for("petitions.key"))


@bp.post("/petitions/key/unlock")
@coordinator_required
def unlock_key() -> Response | tuple[str, int]:
    """Unlock the group's signer key for this browser session."""
    form = UnlockForm()
    back = request.args.get("petition", type=int)
    if not form.validate_on_submit():
        return _key_page(422, unlock_form=form)
    group = current_group()
    try:
        unlock_id, cookie_key = keys.unlock(group, current_user, form.passphrase.data)
    except keys.KeyProblem as error:
        return _refused(error, form, "unlock_form")
    session[_SESSION_KEY] = {
        **session.get(_SESSION_KEY, {}),
        str(group.id): [unlock_id, cookie_key],
    }
    flash(_("The key is unlocked in this browser for a while."), "success")
    return _back_to(back)


@bp.post("/petitions/key/lock")
@coordinator_required
def lock_key() -> Response:
    """Lock the group's signer key again in every browser of this coordinator."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    group = current_group()
    keys.lock(group, current_user)
    _forget_unlock(group)
    flash(_("The key is locked."), "success")
    return redirect(url_for("petitions.key"))


@bp.post("/petitions/key/change")
@coordinator_required
def change_key() -> Response | tuple[str, int]:
    """Give the group's signer key a new passphrase."""
    form = ChangeKeyForm()
    if not form.validate_on_submit():
        return _key_page(422, change_form=form)
    try:
        keys.change_passphrase(
            current_group(),
            current_user,
            form.old.data,
            form.new_passphrase.data,
            form.new_repeat.data,
        )
    except keys.KeyProblem as error:
        fields = {"passphrase": "old", "repeat": "new_repeat", None: "new_passphrase"}
        return _refused(error, form, "change_form", fields)
    flash(_("The passphrase is changed. Tell the other coordinators the new one."), "success")
    return redirect(url_for("petitions.key"))


# --- moderation ----------------------------------------------------------------------------------


def _row(signature: Signature, private_key: PrivateKey | None, revealed: bool) -> dict[str, Any]:
    """What the moderation list shows of a signature: counted-only ones only after "reveal",
    sealed details only while the key is unlocked."""
    counted = signature.display is Display.COUNT
    row: dict[str, Any] = {"s": signature, "withheld": counted and not revealed}
    if row["withheld"]:
        row.update(name="", city="", country="", contact="")
        return row
    data = ops.private_data(signature, private_key)
    if private_key is None and signature.sealed is not None:
        row.update(
            name=signature.name or signature.initials,
            city=signature.city,
            country=signature.country,
            contact=None,
        )
        return row
    row.update(
        name=data["name"],
        city=data["city"],
        country=data["country"],
        contact=data["email"] or data["contact_person"],
    )
    return row


@bp.get("/petitions/<int:petition_id>/signatures")
@coordinator_required
def signatures(petition_id: int) -> str:
    """List the signatures for moderation, newest first, a page at a time."""
    item = group_petition(petition_id)
    page, show = page_args()
    query = sa.select(Signature).where(Signature.petition_id == item.id)
    if show != "all":
        query = query.where(Signature.hidden.is_(show == "hidden"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.order_by(Signature.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    unlock = current_unlock(current_group())
    private_key = unlock[1] if unlock else None
    revealed = unlock is not None and item.id in unlock[0].revealed
    return render_template(
        "petitions/signatures.html",
        petition=item,
        rows=[_row(signature, private_key, revealed) for signature in found],
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        show=show,
        total=total,
        unlocked=unlock is not None,
        revealed=revealed,
        confirm_form=ConfirmForm(),
        country_name=country_name,
        Display=Display,
        SignerKind=SignerKind,
    )


@bp.post("/petitions/<int:petition_id>/signatures/reveal")
@coordinator_required
def reveal(petition_id: int) -> Response:
    """Show the counted-only signers on the moderation page; the audit log names who asked."""
    item = group_petition(petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    unlock = current_unlock(current_group())
    if unlock is None:
        flash(_("Unlock the group's key first."), "error")
        return redirect(url_for("petitions.key", petition=item.id))
    keys.reveal(unlock[0], item, current_group(), current_user)
    flash(_("Counted-only signers are shown to you until the key is locked."), "info")
    return redirect(url_for("petitions.signatures", petition_id=item.id))


# --- the full export -----------------------------------------------------------------------------


def _full_rows(item: Any, lang: str, private_key: PrivateKey) -> Iterator[list[str]]:
    for row in ops.export_rows(item, private_key):
        yield [
            str(row.number),
            when(row.signed_at),
            _(row.kind.label),
            row.name,
            row.city,
            country_name(row.country, lang),
            row.email,
            row.contact_person,
            _(row.display.label),
            _("hidden") if row.hidden else _("visible"),
            when(row.consented_at),
            when(row.reduced_at),
        ]


@bp.post("/petitions/<int:petition_id>/export-full")
@coordinator_required
def export_full(petition_id: int) -> Response:
    """Download every signer's full personal data as CSV; the export is audit-logged."""
    item = group_petition(petition_id)
    form = FullExportForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to export the full data."), "error")
        return redirect(url_for("petitions.petition", petition_id=item.id))
    unlock = current_unlock(current_group())
    if unlock is None:
        flash(_("Unlock the group's key first."), "error")
        return redirect(url_for("petitions.key", petition=item.id))
    ops.record_export(item, current_group(), current_user, full=True)
    # core.transaction commits this record before the first row of the file is streamed
    lang = str(get_locale())
    header = [
        _("No."),
        _("Signed at"),
        _("Kind"),
        _("Name"),
        _("City"),
        _("Country"),
        _("E-mail"),
        _("Contact person"),
        _("Appears as"),
        _("Moderation"),
        _("Consent given at"),
        _("Personal data reduced at"),
    ]
    lines = ops.csv_lines(header, _full_rows(item, lang, unlock[1]))
    return csv_response(lines, f"signatures-{item.code}-full.csv")
