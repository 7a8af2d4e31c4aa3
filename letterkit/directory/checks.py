"""Checks of an authority's printed details: coordinators record "checked on DATE against SOURCE";
members see them; the group downloads its checks and corrections as a patch for the maintainers.
The rules live in :mod:`letterkit.services.verification`; these views are thin."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit.catalogue import Authority, NotInCatalogue
from letterkit.core import transaction
from letterkit.core.access import coordinator_required, current_group, member_required
from letterkit.core.i18n import interface_language
from letterkit.services import verification as checks
from letterkit.services.catalogue import group_catalogue

from .check_forms import CheckForm, checker_names, checks_context
from .views import authority_page, bp


def _authority(slug: str) -> Authority:
    try:
        return group_catalogue(current_group().id).authority(slug)
    except NotInCatalogue:
        abort(404)


@bp.post("/authorities/<slug>/checks")
@coordinator_required
def record_check(slug: str) -> tuple[str, int] | Response:
    """Record that the group checked the authority's printed details against a source."""
    found = _authority(slug)
    form = CheckForm()
    form.set_choices()
    if form.validate_on_submit():
        try:
            checks.record_check(
                current_group(),
                current_user,
                slug,
                checked_on=form.checked_on.data,
                source=checks.source_text(form.source_kind.data or "", form.source.data or ""),
                parts=form.parts.data or [],
                note=form.note.data or "",
            )
        except checks.CheckError as error:
            transaction.discard()
            for name, message in error.problems.items():
                target = getattr(form, name, None)
                if target is None:
                    form.form_errors.append(_(message))
                else:
                    target.errors = [*target.errors, _(message)]
        else:
            flash(_("The check was recorded for your group."), "success")
            return redirect(url_for("directory.authority", slug=slug, _anchor="checks"))
    return authority_page(found, checks_context(slug, form)), 422


@bp.get("/checks")
@member_required
def group_checks() -> str:
    """The group's checks and corrections, and the patch for the maintainers."""
    group_id = current_group().id
    found = checks.group_checks(group_id)
    catalogue = group_catalogue(group_id)
    return render_template(
        "directory/checks.html",
        checks=found,
        checked_by=checker_names(found),
        authorities=catalogue.authorities,
        corrections=sorted(checks.corrections(group_id)),
        patch=checks.catalogue_patch(group_id),
        part_labels=checks.PARTS,
        lang=interface_language(),
    )


@bp.get("/checks.patch")
@member_required
def download_patch() -> Response:
    """The patch itself, to send to the maintainers."""
    response = Response(checks.catalogue_patch(current_group().id), mimetype="text/x-diff")
    response.headers["Content-Disposition"] = 'attachment; filename="letterkit-catalogue.patch"'
    return response
