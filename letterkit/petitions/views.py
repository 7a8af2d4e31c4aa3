"""Petitions: coordinators open letters for signatures; supporters sign on a public page.

Public pages (``/s/<code>``) work without an account and without JavaScript and show none of the
group's navigation. Nothing a signer types goes into a URL or a log line: the signing form posts
to its own page and redirects to a thank-you page whose address carries only the petition code.
A supporter's browser holds no session: only the signing form's cookie and, for ten minutes, the
thank-you page's (see ``signing``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit import documents
from letterkit.core import transaction
from letterkit.core.access import (
    coordinator_required,
    current_group,
    get_in_group_or_404,
    is_coordinator,
    member_required,
)
from letterkit.core.i18n import autonym
from letterkit.core.ratelimit import within_limit
from letterkit.core.security import cookie_flags
from letterkit.extensions import csrf, db
from letterkit.models import (
    Display,
    Group,
    Letter,
    LetterStatus,
    Petition,
    Signature,
    SignerKind,
    utcnow,
)
from letterkit.services import annexes
from letterkit.services.countries import country_choices, country_codes, country_name

from . import keys, reach, signing
from . import operations as ops
from . import private_views as private_views  # its routes join the blueprint
from .blueprint import (
    ConfirmForm,
    FullExportForm,
    bp,
    csv_response,
    group_petition,
    message,
    page_args,
)
from .forms import PetitionForm, SignForm

bp.register_blueprint(reach.bp)  # the QR code and the printable flyer

ANNEX_PREVIEW_ROWS = 200


def _as_public() -> None:
    """Render as for a visitor: no group navigation, also when a member is signed in."""
    g.membership = None


def _public_petition(code: str) -> Petition:
    petition = ops.find_by_code(code)
    if petition is None:
        abort(404)
    _as_public()
    return petition


def _paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (split at blank lines) as lists of lines."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block.split("\n") for block in blocks if block]


def _text_language(petition: Petition) -> str:
    """The language of the text to show: asked for, the interface's, or the letter's."""
    wanted = request.args.get("text", "")
    if wanted in petition.texts:
        return wanted
    interface = str(get_locale())
    return interface if interface in petition.texts else petition.language


# --- coordinator and member pages ----------------------------------------------------------------


@bp.get("/petitions")
@member_required
def index() -> str:
    """List the group's petitions, and drafts a coordinator may open for signatures."""
    group = current_group()
    petitions = db.session.scalars(
        sa.select(Petition).where(Petition.group_id == group.id).order_by(Petition.id.desc())
    ).all()
    totals = dict(
        db.session.execute(
            sa.select(Signature.petition_id, sa.func.count())
            .join(Petition, Petition.id == Signature.petition_id)
            .where(Petition.group_id == group.id, Signature.hidden.is_(False))
            .group_by(Signature.petition_id)
        ).all()
    )
    drafts: list[Letter] = []
    if is_coordinator():
        opened = sa.select(Petition.letter_id).where(Petition.letter_id.is_not(None))
        drafts = list(
            db.session.scalars(
                sa.select(Letter)
                .where(
                    Letter.group_id == group.id,
                    Letter.status == LetterStatus.DRAFT,
                    Letter.id.not_in(opened),
                )
                .order_by((Letter.template == "sign-on").desc(), Letter.updated_at.desc())
                .limit(50)
            )
        )
    return render_template(
        "petitions/index.html",
        petitions=petitions,
        totals=totals,
        drafts=drafts,
        accepts=ops.accepts_signatures,
    )


def _settings_from(form: PetitionForm) -> ops.Settings:
    return ops.Settings(
        default_display=Display(form.default_display.data),
        goal=form.goal.data,
        closes_on=form.closes_on.data,
        retention_days=form.retention_days.data,
        translations=form.translations(),
    )


@bp.route("/petitions/new/<int:letter_id>", methods=["GET", "POST"])
@coordinator_required
def new(letter_id: int) -> str | Response | tuple[str, int]:
    """Open a letter for signatures through a public link."""
    letter = get_in_group_or_404(Letter, letter_id)
    existing = annexes.petition_of(letter)
    if existing is not None:
        flash(_("This letter is already open for signatures."), "info")
        return redirect(url_for("petitions.petition", petition_id=existing.id))
    if keys.key_of(current_group()) is None:
        # Signing seals each signer's data to the group's key: set it up first.
        flash(_("Set the passphrase of the group's key for signers' data first."), "info")
        return redirect(url_for("petitions.key"))
    form = PetitionForm(
        own_language=letter.language,
        today=utcnow().date(),
        retention_days=current_app.config["PETITION_RETENTION_DAYS"],
    )
    not_ready = False
    if form.validate_on_submit():
        try:
            petition = ops.open_petition(
                letter, current_group(), current_user, _settings_from(form)
            )
        except ops.PetitionError as error:
            transaction.discard()
            flash(message(error), "error")
            not_ready = isinstance(error, ops.DraftNotReady)
        else:
            flash(_("The letter is open for signatures. Pass the public link on."), "success")
            return redirect(url_for("petitions.petition", petition_id=petition.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "petitions/new.html", form=form, letter=letter, not_ready=not_ready
    ), status


@bp.get("/petitions/<int:petition_id>")
@member_required
def petition(petition_id: int) -> str:
    """Show a petition's public link, counts and the first rows of its annex."""
    item = group_petition(petition_id)
    letter = db.session.get(Letter, item.letter_id) if item.letter_id else None
    return render_template(
        "petitions/petition.html",
        petition=item,
        letter=letter,
        counts=annexes.counts(item),
        public_link=url_for("petitions.public", code=item.code, _external=True),
        accepts=ops.accepts_signatures(item),
        closed_since=ops.closed_since(item),
        purge_after=ops.purge_after(item),
        confirm_form=ConfirmForm(),
        export_form=FullExportForm(),
        has_key=keys.key_of(current_group()) is not None,
        Display=Display,
    )


@bp.get("/petitions/<int:petition_id>/annex")
@member_required
def annex(petition_id: int) -> str:
    """Preview the annex as it will be printed with the letter, in the letter's language."""
    item = group_petition(petition_id)
    number = annexes.counts(item)
    lang = item.language
    return render_template(
        "petitions/annex.html",
        petition=item,
        counts=number,
        title=annexes.annex_title(lang, number.listed, number.by_display[Display.COUNT]),
        columns=(documents.get_locale(lang).row_number, *documents.get_locale(lang).annex_columns),
        rows=list(annexes.annex_rows(item, lang, limit=ANNEX_PREVIEW_ROWS)),
        lang=lang,
    )


def _moderate(petition_id: int, signature_id: int, action: str) -> Response:
    item = group_petition(petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    signature = ops.signature_in(item, signature_id)
    if signature is None:
        abort(404)
    group = current_group()
    if action == "remove":
        ops.remove(signature, group, current_user)
        message = _("The signature was removed.")
    else:
        ops.set_hidden(signature, action == "hide", group, current_user)
        message = (
            _("The signature is hidden.") if action == "hide" else _("The signature is shown.")
        )
    flash(message, "success")
    page, show = page_args()
    return redirect(url_for("petitions.signatures", petition_id=item.id, page=page, show=show))


@bp.post("/petitions/<int:petition_id>/signatures/<int:signature_id>/hide")
@coordinator_required
def hide(petition_id: int, signature_id: int) -> Response:
    """Leave a signature out of the annex and the public count."""
    return _moderate(petition_id, signature_id, "hide")


@bp.post("/petitions/<int:petition_id>/signatures/<int:signature_id>/show")
@coordinator_required
def show(petition_id: int, signature_id: int) -> Response:
    """Count and list a hidden signature again."""
    return _moderate(petition_id, signature_id, "show")


@bp.post("/petitions/<int:petition_id>/signatures/<int:signature_id>/remove")
@coordinator_required
def remove(petition_id: int, signature_id: int) -> Response:
    """Delete a signature for good."""
    return _moderate(petition_id, signature_id, "remove")


@bp.route("/petitions/<int:petition_id>/settings", methods=["GET", "POST"])
@coordinator_required
def settings(petition_id: int) -> str | Response | tuple[str, int]:
    """Change a petition's goal, closing date, default display, retention and translations."""
    item = group_petition(petition_id)
    data: dict[str, Any] = {
        "default_display": item.default_display.value,
        "goal": item.goal,
        "closes_on": item.closes_on,
        "retention_days": item.retention_days,
    }
    for lang, text in item.texts.items():
        if lang != item.language:
            data[f"title_{lang}"] = text.get("title", "")
            data[f"body_{lang}"] = text.get("body", "")
    form = PetitionForm(
        data=data,
        own_language=item.language,
        today=utcnow().date(),
        saved_closes_on=item.closes_on,
    )
    if form.validate_on_submit():
        ops.update_settings(item, current_group(), current_user, _settings_from(form))
        flash(_("The petition's settings were saved."), "success")
        return redirect(url_for("petitions.petition", petition_id=item.id))
    status = 422 if form.is_submitted() else 200
    return render_template("petitions/settings.html", form=form, petition=item), status


@bp.post("/petitions/<int:petition_id>/close")
@coordinator_required
def close(petition_id: int) -> Response:
    """Stop taking signatures."""
    item = group_petition(petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ops.close(item, current_group(), current_user)
    flash(_("Signing is closed."), "success")
    return redirect(url_for("petitions.petition", petition_id=item.id))


@bp.post("/petitions/<int:petition_id>/reopen")
@coordinator_required
def reopen(petition_id: int) -> Response:
    """Take signatures again."""
    item = group_petition(petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.reopen(item, current_group(), current_user)
    except ops.PetitionError as error:
        transaction.discard()
        flash(message(error), "error")
    else:
        flash(_("Signing is open again."), "success")
    return redirect(url_for("petitions.petition", petition_id=item.id))


@bp.post("/petitions/<int:petition_id>/refresh-text")
@coordinator_required
def refresh_text(petition_id: int) -> Response:
    """Show the letter's current draft text on the public page."""
    item = group_petition(petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.refresh_text(item, current_group(), current_user)
    except ops.PetitionError as error:
        transaction.discard()
        flash(message(error), "error")
    else:
        flash(_("The public page shows the letter's current text."), "success")
    return redirect(url_for("petitions.petition", petition_id=item.id))


# --- export --------------------------------------------------------------------------------------


def _shown_rows(item: Petition, lang: str) -> Iterator[list[str]]:
    for row in ops.export_rows(item):
        yield [
            str(row.number),
            row.signed_at.date().isoformat(),
            _(row.kind.label),
            row.shown_name,
            row.shown_city,
            country_name(row.shown_country, lang),
            _(row.display.label),
            _("hidden") if row.hidden else _("visible"),
        ]


@bp.get("/petitions/<int:petition_id>/export.csv")
@coordinator_required
def export(petition_id: int) -> Response:
    """Download the signatures as CSV, each as its signer chose to appear."""
    item = group_petition(petition_id)
    ops.record_export(item, current_group(), current_user, full=False)
    lang = str(get_locale())
    header = [
        _("No."),
        _("Signed on"),
        _("Kind"),
        _("Name"),
        _("City"),
        _("Country"),
        _("Appears as"),
        _("Moderation"),
    ]
    lines = ops.csv_lines(header, _shown_rows(item, lang))
    return csv_response(lines, f"signatures-{item.code}.csv")


# --- public pages --------------------------------------------------------------------------------


def _public_page(
    petition: Petition, form: SignForm, status: int = 200, notice: str | None = None
) -> Response:
    """The letter and its signing form."""
    lang = _text_language(petition)
    text = petition.texts.get(lang) or petition.texts.get(petition.language) or {}
    group = db.session.get(Group, petition.group_id)
    form.country.choices = [("", _("Choose a country")), *country_choices(str(get_locale()))]
    return _with_form_token(
        "petitions/public.html",
        status,
        petition=petition,
        group=group,
        form=form,
        notice=notice,
        text_lang=lang,
        title=text.get("title", ""),
        paragraphs=_paragraphs(text.get("body", "")),
        count=annexes.public_count(petition),
        accepts=ops.accepts_signatures(petition),
        autonym=autonym,
    )


def _country_of(petition: Petition) -> str:
    """The country of the petition's letter, which the signing form preselects."""
    if petition.letter_id is None:
        return ""
    country = db.session.scalar(sa.select(Letter.country).where(Letter.id == petition.letter_id))
    country = (country or "").upper()
    return country if country in country_codes() else ""


def _with_form_token(template: str, status: int, **context: Any) -> Response:
    """Render a public form page with ``sign_token`` for its form, setting the signing cookie
    the token belongs to when the browser has none yet."""
    nonce = request.cookies.get(signing.NONCE_COOKIE)
    fresh = not signing.well_formed(nonce)
    if fresh:
        nonce = signing.new_nonce()
    sign_token = signing.form_token(current_app.secret_key, nonce)
    response = make_response(render_template(template, sign_token=sign_token, **context), status)
    if fresh:
        path = request.script_root + "/s/"  # every public page, also under a prefix
        response.set_cookie(signing.NONCE_COOKIE, nonce, path=path, **cookie_flags())
    return response


def _form_token_matches() -> bool:
    """Whether this POST's form token belongs to its signing cookie."""
    return signing.token_matches(
        current_app.secret_key,
        request.cookies.get(signing.NONCE_COOKIE),
        request.form.get("csrf_token"),
    )


def _refused(code: str, form: SignForm, status: int, notice: str | None = None) -> Response:
    """The signing page again, with the form as it was sent and its errors."""
    return _public_page(_public_petition(code), form, status, notice)


def _signed(code: str, token: str) -> Response:
    """Send the signer to the thank-you page, which alone receives the withdrawal token."""
    thanks_page = url_for("petitions.thanks", code=code)
    response = redirect(thanks_page, 303)
    response.set_cookie(
        signing.THANKS_COOKIE,
        token,
        max_age=signing.THANKS_SECONDS,
        path=thanks_page,
        **cookie_flags(),
    )
    return response


@bp.route("/s/<code>", methods=["GET", "POST"])
@csrf.exempt  # checked below with the signing cookie: supporters have no session
def public(code: str) -> Response:
    """Show the letter and its signing form; take a signature."""
    if request.method != "POST":
        petition = _public_petition(code)
        form = SignForm(display=petition.default_display.value, country=_country_of(petition))
        return _public_page(petition, form)
    if len(code) > 16:
        abort(404)
    _as_public()
    form = SignForm()
    if not _form_token_matches():
        # Expired, blocked cookies or another site's form: keep what was typed, sign nothing.
        # Checked before the rate limit, so that forms another site makes its visitors' browsers
        # send cannot use up the limit of their network.
        notice = _(
            "This form was not sent from this page, or your browser did not keep its cookie. "
            "Nothing was signed. Check your details below and send the form again."
        )
        return _refused(code, form, 400, notice)
    if not within_limit(current_app.config["SIGNING_RATE_LIMIT"], "petitions.sign"):
        notice = _(
            "Too many signatures were sent from your network in a short time. Nothing was "
            "signed. Wait a few minutes and send the form again."
        )
        return _refused(code, form, 429, notice)
    if form.is_robot:
        # Looks accepted to the robot; nothing is stored or counted.
        return _signed(code, signing.new_withdraw_token(current_app.secret_key, code))
    if not form.validate():
        return _refused(code, form, 422)
    details = ops.SignerDetails(
        kind=SignerKind(form.kind.data),
        name=form.name.data,
        city=form.city.data,
        country=form.country.data,
        display=Display(form.display.data),
        email=form.email.data or "",
        contact_person=form.contact_person.data or "",
    )
    try:
        # The request's one transaction: the petition is found, checked open and signed in
        # one statement (see ops.sign), committed when the block ends, rolled back on errors.
        # The one documented exception to core.transaction: a Core connection, not the session.
        with db.engine.begin() as connection:
            _signature_id, token = ops.sign(connection, code, details, language=str(get_locale()))
    except ops.UnknownPetition:
        abort(404)
    except ops.PetitionError as error:
        notice = None
        field = getattr(form, error.field or "", None)
        if field is not None:
            field.errors = [*field.errors, message(error)]
        else:
            notice = message(error)
        status = 422 if type(error) is ops.PetitionError else 409
        return _refused(code, form, status, notice)
    return _signed(code, token)


@bp.get("/s/<code>/thanks")
def thanks(code: str) -> Response:
    """Thank the signer and show their private withdrawal link and code, once."""
    petition = _public_petition(code)
    token = request.cookies.get(signing.THANKS_COOKIE)
    if not signing.well_formed(token):
        token = None
    response = make_response(
        render_template(
            "petitions/thanks.html",
            petition=petition,
            title=petition.texts.get(_text_language(petition), {}).get("title", petition.title),
            count=annexes.public_count(petition),
            withdraw_code=token,
            # The token rides in the fragment, which browsers never send to a server.
            withdraw_link=(
                url_for("petitions.withdraw", code=petition.code, _external=True) + "#" + token
                if token
                else None
            ),
        )
    )
    if request.cookies.get(signing.THANKS_COOKIE) is not None:
        response.delete_cookie(
            signing.THANKS_COOKIE,
            path=url_for("petitions.thanks", code=petition.code),
            **cookie_flags(),
        )
    return response


@bp.route("/s/<code>/withdraw", methods=["GET", "POST"])
@csrf.exempt  # checked below with the signing cookie, as on the signing page
def withdraw(code: str) -> Response:
    """Withdraw a signature with the private code its signer was given (never in a URL the
    server sees: the link carries it after ``#``, a small script copies it into the form, and
    without scripts the signer pastes it)."""
    petition = _public_petition(code)
    notice = None
    status = 200
    token_error = None
    if request.method == "POST":
        if not _form_token_matches():
            status = 400
            notice = _(
                "This form was not sent from this page, or your browser did not keep its "
                "cookie. Nothing was withdrawn. Send the form again."
            )
        else:
            try:
                ops.withdraw_with_token(petition, request.form.get("token", ""))
            except ops.PetitionError as error:
                transaction.discard()
                status, token_error = 422, message(error)
            else:
                return redirect(url_for("petitions.withdrawn", code=petition.code), 303)
    return _with_form_token(
        "petitions/withdraw.html",
        status,
        petition=petition,
        title=petition.title,
        notice=notice,
        token_error=token_error,
    )


@bp.get("/s/<code>/withdrawn")
def withdrawn(code: str) -> str:
    """Confirm that a signature was withdrawn (the page says nothing about whose)."""
    return render_template("petitions/withdrawn.html", petition=_public_petition(code))
