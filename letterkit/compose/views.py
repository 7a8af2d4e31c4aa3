"""Compose a letter step by step, preview it, finalise it and download it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from letterkit import documents
from letterkit.catalogue import Authority, Catalogue
from letterkit.compose.demand_sets import set_in_use
from letterkit.core import transaction
from letterkit.core.access import current_group, get_in_group_or_404, member_required
from letterkit.core.i18n import interface_language, language_name, remember_language
from letterkit.extensions import db
from letterkit.models import Letter, LetterStatus
from letterkit.services import drafts, language_check, languages, letterheads, reviews
from letterkit.services import letters as issuing
from letterkit.services.annexes import annex_for_letter
from letterkit.services.catalogue import group_catalogue
from letterkit.services.verification import verification

from .forms import OWN_PARAGRAPH_SLOTS, OwnParagraphs, TemplateForm, details_form, template_fields
from .holder import holder_helpers, record_holder

bp = Blueprint("compose", __name__, url_prefix="/letters", template_folder="templates")
# Who holds the office (asked on the preview step): compose/holder.py.
bp.add_url_rule("/<int:letter_id>/holder", view_func=record_holder, methods=["POST"])
bp.context_processor(holder_helpers)

STEPS = ("authority", "template", "demands", "details", "preview")
PAGE_SIZE = 25


_lang = interface_language


def _catalogue() -> Catalogue:
    return group_catalogue(current_group().id)


def _letter(letter_id: int, *, draft: bool = False) -> Letter:
    letter = get_in_group_or_404(Letter, letter_id)
    if draft and letter.is_final:
        flash(_("This letter is final and cannot be changed. Duplicate it instead."), "error")
        abort(redirect(url_for("compose.letter", letter_id=letter.id)))
    return letter


def _error_text(error: issuing.LetterError | documents.DocumentError) -> str:
    return _(error.message).format(**error.params)


def _switch_language() -> bool:
    """Apply a language switch sent with a step form (the form's input was saved first)."""
    lang = request.form.get("switch_lang")
    if lang in current_app.config["LANGUAGES"]:
        remember_language(lang)
        if current_user.interface_language != lang:
            current_user.interface_language = lang
        return True
    return False


def _after_save(letter: Letter, step: str, next_step: str | None) -> Response:
    """Where a step form goes after saving: the same step on autosave or language switch."""
    if request.form.get("autosave") == "1":
        return Response("saved", mimetype="text/plain")
    stay = _switch_language() or request.form.get("action") in {"apply", "move", "add"}
    target = step if stay or next_step is None else next_step
    return redirect(url_for(f"compose.step_{target}", letter_id=letter.id))


@bp.app_context_processor
def _compose_helpers() -> dict[str, Any]:
    return {"compose_steps": STEPS}


# --- the list ----------------------------------------------------------------------------------


@bp.get("/")
@member_required
def letters() -> str:
    """List the group's letters, with search and filters."""
    group = current_group()
    query = sa.select(Letter).where(Letter.group_id == group.id)
    q = request.args.get("q", "").strip()[:100]
    if q:
        like = f"%{q}%"
        query = query.where(
            sa.or_(
                Letter.subject.ilike(like),
                Letter.authority_name.ilike(like),
                Letter.reference.ilike(like),
            )
        )
    country = request.args.get("country", "").upper()[:8]
    if country:
        query = query.where(Letter.country == country)
    authority = request.args.get("authority", "")[:80]
    if authority:
        query = query.where(Letter.authority_slug == authority)
    status = request.args.get("status", "")
    if status in {s.value for s in LetterStatus}:
        query = query.where(Letter.status == LetterStatus(status))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Letter.updated_at.desc(), Letter.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    countries = db.session.scalars(
        sa.select(Letter.country).where(Letter.group_id == group.id).distinct()
    ).all()
    catalogue = _catalogue()
    return render_template(
        "compose/letters.html",
        letters=rows,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        q=q,
        country=country,
        authority=authority,
        status=status,
        countries=sorted(
            (c, catalogue.countries[c].name(_lang()).text if c in catalogue.countries else c)
            for c in countries
        ),
        statuses=list(LetterStatus),
    )


# --- step 1: country and authority ---------------------------------------------------------------


def _authorities(catalogue: Catalogue, country: str, q: str) -> list[Authority]:
    found = list(catalogue.authorities_for(country)) + [
        a for a in catalogue.authorities_in(country) if a.country != country
    ]
    if q:
        needle = q.casefold()
        found = [
            a
            for a in found
            if any(needle in text.casefold() for text in a.names.as_dict().values())
            or needle in (a.city or "").casefold()
        ]
    return found


def _authority_step(letter: Letter | None) -> str | Response:
    catalogue = _catalogue()
    lang = _lang()
    country = (request.values.get("country") or (letter.country if letter else "")).upper()
    if country and country not in catalogue.countries:
        abort(404)
    if request.method == "POST":
        slug = request.form.get("authority", "")
        try:
            authority = catalogue.authority(slug)
        except KeyError:
            flash(_("Choose an authority from the list."), "error")
            return redirect(request.url)
        group = current_group()
        try:
            if letter is None:
                letter = drafts.start_letter(group, current_user, authority)
            else:
                letter = drafts.update_draft(letter, group, current_user, authority_slug=slug)
        except issuing.LetterError as error:
            transaction.discard()
            flash(_error_text(error), "error")
            return redirect(request.url)
        return redirect(url_for("compose.step_template", letter_id=letter.id))
    q = request.args.get("q", "").strip()[:100]
    return render_template(
        "compose/step_authority.html",
        letter=letter,
        step="authority",
        country=catalogue.countries.get(country),
        countries=sorted(catalogue.countries.values(), key=lambda c: c.name(lang).text),
        authorities=_authorities(catalogue, country, q) if country else [],
        q=q,
        lang=lang,
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def new() -> str | Response:
    """Start a letter: choose the country, then the authority."""
    return _authority_step(None)


@bp.route("/<int:letter_id>/authority", methods=["GET", "POST"])
@member_required
def step_authority(letter_id: int) -> str | Response:
    """Choose another authority for a draft."""
    return _authority_step(_letter(letter_id, draft=True))


# --- step 2: template and language ---------------------------------------------------------------


@bp.route("/<int:letter_id>/template", methods=["GET", "POST"])
@member_required
def step_template(letter_id: int) -> str | Response:
    """Choose the kind of letter and the language it is written in."""
    letter = _letter(letter_id, draft=True)
    library = documents.default_library()
    form = TemplateForm(data={"template": letter.template, "language": letter.language})
    authority = issuing.authority_of(letter, _catalogue())
    form.set_choices(library.all(), _lang(), languages.offered_for(authority))
    if form.validate_on_submit():
        spec = library.get(form.template.data)
        if form.language.data not in spec.languages:
            form.language.errors.append(_("This kind of letter has no version in that language."))
        else:
            drafts.update_draft(
                letter,
                current_group(),
                current_user,
                template=form.template.data,
                language=form.language.data,
                fields={k: v for k, v in letter.fields.items() if k in _field_names(spec)},
            )
            return _after_save(letter, "template", "demands")
    elif request.method == "POST" and _switch_language():
        return redirect(url_for("compose.step_template", letter_id=letter.id))
    return render_template(
        "compose/step_template.html",
        letter=letter,
        step="template",
        form=form,
        specs=library.all(),
        authority=authority,
        lang=_lang(),
    )


def _field_names(spec: documents.TemplateSpec) -> set[str]:
    return {f.name for f in spec.fields}


# --- step 3: demands and the group's own paragraphs ----------------------------------------------


def _ordered_demands(form: Any, catalogue: Catalogue) -> list[str]:
    chosen: list[tuple[float, int, str]] = []
    for index, slug in enumerate(form.getlist("demand")):
        if slug not in catalogue.demands:
            continue
        raw = form.get(f"position-{slug}", "").strip()
        try:
            position = float(raw) if raw else float(index + 1)
        except ValueError:
            position = float(index + 1)
        chosen.append((position, index, slug))
    return [slug for _p, _i, slug in sorted(chosen)]


@bp.route("/<int:letter_id>/demands", methods=["GET", "POST"])
@member_required
def step_demands(letter_id: int) -> str | Response:
    """Choose the demands, their order and the group's own paragraphs."""
    letter = _letter(letter_id, draft=True)
    catalogue = _catalogue()
    problems: list[str] = []
    demand_slugs = list(letter.demand_slugs)
    paragraphs = list(letter.paragraphs)
    if request.method == "POST":
        action = request.form.get("action", "")
        demand_slugs = _ordered_demands(request.form, catalogue)
        if action == "apply":
            chosen_set = catalogue.demand_sets.get(request.form.get("demand_set", ""))
            if chosen_set is None:
                problems.append(_("Choose a demand set."))
            else:
                demand_slugs = list(chosen_set.slugs)
        elif action == "add":
            extra = request.form.get("add_demand", "")
            if extra in catalogue.demands and extra not in demand_slugs:
                demand_slugs.append(extra)
        elif action.startswith("move:"):
            _command, slug, direction = (action.split(":") + ["", ""])[:3]
            if slug in demand_slugs:
                i = demand_slugs.index(slug)
                j = i - 1 if direction == "up" else i + 1
                if 0 <= j < len(demand_slugs):
                    demand_slugs[i], demand_slugs[j] = demand_slugs[j], demand_slugs[i]
            action = "move"
        elif action.startswith("remove:"):
            slug = action.split(":", 1)[1]
            demand_slugs = [s for s in demand_slugs if s != slug]
            action = "move"
        paragraphs, problems_in_paragraphs = OwnParagraphs.read(request.form.getlist("paragraph"))
        problems += problems_in_paragraphs
        if not problems:
            try:
                drafts.update_draft(
                    letter,
                    current_group(),
                    current_user,
                    demand_slugs=demand_slugs,
                    paragraphs=paragraphs,
                )
            except issuing.LetterError as error:
                transaction.discard()
                problems.append(_error_text(error))
            else:
                request_action = "move" if action == "move" else action
                if request_action in {"apply", "add", "move"}:
                    return redirect(url_for("compose.step_demands", letter_id=letter.id))
                return _after_save(letter, "demands", "details")
    lang = letter.language
    chosen = [catalogue.demands[s] for s in demand_slugs if s in catalogue.demands]
    return render_template(
        "compose/step_demands.html",
        letter=letter,
        step="demands",
        chosen=chosen,
        others=[d for slug, d in catalogue.demands.items() if slug not in demand_slugs],
        sets=list(catalogue.demand_sets.values()),
        in_use=set_in_use(demand_slugs, catalogue.demand_sets.values()),
        paragraphs=paragraphs + [""] * max(OWN_PARAGRAPH_SLOTS - len(paragraphs), 1),
        problems=problems,
        letter_lang=lang,
        lang=_lang(),
    ), (422 if problems else 200)


# --- step 4: details and the template's own fields -----------------------------------------------


@bp.route("/<int:letter_id>/details", methods=["GET", "POST"])
@member_required
def step_details(letter_id: int) -> str | Response:
    """Fill in the place, the date and the template's own fields."""
    letter = _letter(letter_id, draft=True)
    spec = documents.default_library().get(letter.template)
    group = current_group()
    usual = issuing.signer_for(group, lang=letter.language)
    form = details_form(spec, _lang(), data=_details_data(letter, group, spec, usual))
    if request.method == "POST":
        valid = form.validate_on_submit()
        autosave = request.form.get("autosave") == "1"
        if valid or autosave:
            # Only values that passed their checks are stored: the draft stays valid. A field
            # with an error keeps its stored value (an autosave stores the others); a page
            # answered 422 stores nothing and shows what was typed.
            changes = _details_changes(form, letter, usual)
            drafts.update_draft(letter, group, current_user, **changes)
            if not valid:
                return Response("partly saved", mimetype="text/plain")
            return _after_save(letter, "details", "preview")
        if request.form.get("switch_lang"):  # switching would drop what was typed
            flash(_("Correct the marked fields first, then switch the language."), "error")
    return render_template(
        "compose/step_details.html",
        letter=letter,
        step="details",
        form=form,
        own_fields=template_fields(form),
        sender=issuing.sender_for(group, letter.language),
        lang=_lang(),
    ), (422 if form.errors else 200)


def _details_data(
    letter: Letter, group: Any, spec: documents.TemplateSpec, usual: Any
) -> dict[str, Any]:
    """The details form's values as the draft has them (the group's usual signer if none)."""
    data: dict[str, Any] = {
        "place": letter.place,
        "letter_date": letter.letter_date,
        "signer_name": letter.signer_name or usual.name,
        "signer_title": letter.signer_title if letter.signer_name else usual.title,
    }
    prefilled = issuing.fields_with_law(letter, group)
    for field_spec in spec.fields:
        value = prefilled.get(field_spec.name)
        if field_spec.type == "date" and isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        data[f"f_{field_spec.name}"] = value
    return data


def _details_changes(form: Any, letter: Letter, usual: Any) -> drafts.DraftChanges:
    """What the details form changes in the draft: each value that passed its checks."""
    fields = {}
    for field in template_fields(form):
        name = field.name[2:]
        if field.errors:
            fields[name] = letter.fields.get(name, "")
            continue
        value = field.data.isoformat() if isinstance(field.data, date) else field.data
        fields[name] = "" if value is None else value
    changes = drafts.DraftChanges(fields=fields)
    if not form.place.errors:
        changes["place"] = form.place.data or ""
    if not form.letter_date.errors:
        changes["letter_date"] = form.letter_date.data
    if not (form.signer_name.errors or form.signer_title.errors):
        name, title = form.signer_name.data or "", form.signer_title.data or ""
        # The group's usual signer is not copied into the letter: it follows the group.
        changes["signer"] = (
            ("", "") if (name, title) == (usual.name, usual.title) else (name, title)
        )
    return changes


# --- step 5: preview, finalise -------------------------------------------------------------------


def _built(letter: Letter) -> tuple[documents.Letter | None, str | None]:
    """Build the letter, or say (translated) why it cannot be built yet."""
    try:
        return issuing.build(letter, current_group()), None
    except issuing.LetterError as error:
        return None, _error_text(error)
    except documents.LetterValidationError as error:
        return None, _error_text(error)


def _preview_page(letter: Letter, error: str | None = None) -> tuple[str, int]:
    """The preview step: the letter as it will print, the parts not in its language, and the
    finalise form (answered with 422 and ``error`` when finalising was refused)."""
    built, problem = _built(letter)
    group = current_group()
    catalogue = _catalogue()
    mixed = language_check.mixed_parts(letter, group, catalogue)
    page = render_template(
        "compose/step_preview.html",
        letter=letter,
        step="preview",
        preview=documents.render_html(built) if built else None,
        problem=problem,
        mixed=language_check.describe_all(mixed, _, _lang(), catalogue),
        letter_language=catalogue.language(letter.language).name(_lang()).text
        if letter.language in catalogue.languages
        else letter.language,
        finalise_error=error,
        confirmed=request.form.get("confirm_mixed") == "1",
        pdf=documents.pdf_available(),
        verification=verification(group.id, letter.authority_slug),
        review_notice=_review_notice(letter, catalogue),
    )
    return page, (422 if error or not built else 200)


@bp.get("/<int:letter_id>/preview")
@member_required
def step_preview(letter_id: int) -> tuple[str, int]:
    """Show the letter exactly as it will print."""
    return _preview_page(_letter(letter_id, draft=True))


def _review_notice(letter: Letter, catalogue: Catalogue) -> str | None:
    """Which texts of the letter no native speaker has reviewed, said in the interface."""
    found = reviews.of_letter(catalogue, letter)
    return reviews.describe(found, language_name(letter.language), _, ngettext)


@bp.post("/<int:letter_id>/finalise")
@member_required
def finalise(letter_id: int) -> Response | tuple[str, int]:
    """Fix the text, give the reference number and keep the DOCX as issued."""
    letter = _letter(letter_id, draft=True)
    annex = annex_for_letter(letter)
    try:
        issuing.finalise(
            letter,
            current_group(),
            current_user,
            annex=annex,
            require_holder=True,
            mixing_confirmed=request.form.get("confirm_mixed") == "1",
        )
    except (issuing.LetterError, documents.LetterValidationError) as error:
        transaction.discard()
        if getattr(error, "message", None) == language_check.M_CONFIRM_NEEDED:
            return _preview_page(letter, _error_text(error))
        flash(_error_text(error), "error")
        return redirect(url_for("compose.step_preview", letter_id=letter.id))
    flash(_("The letter is final: %(reference)s.", reference=letter.reference), "success")
    review_notice = _review_notice(letter, _catalogue())
    if review_notice:
        flash(review_notice, "warning")
    known = verification(current_group().id, letter.authority_slug)
    if known.warns:
        parts = ", ".join(_(label) for label in known.labels)
        flash(
            _(
                "Not checked against an official source: %(parts)s. Check them before you send the letter.",
                parts=parts,
            ),
            "warning",
        )
    return redirect(url_for("compose.letter", letter_id=letter.id))


# --- a letter ----------------------------------------------------------------------------------


def _final_preview(letter: Letter) -> Markup | None:
    try:
        return documents.render_html(issuing.issued_letter(letter))
    except issuing.LetterError:
        return None


@bp.get("/<int:letter_id>")
@member_required
def letter(letter_id: int) -> str:
    """Show a letter: where it stands, what it says, what can be done with it."""
    found = _letter(letter_id)
    preview = _final_preview(found) if found.is_final else None
    return render_template(
        "compose/letter.html",
        letter=found,
        preview=preview,
        pdf=documents.pdf_available(),
        authority=_catalogue().authorities.get(found.authority_slug),
        verification=verification(current_group().id, found.authority_slug),
        lang=_lang(),
    )


def _filename(letter: Letter, extension: str) -> str:
    base = letter.reference or f"draft-{letter.id}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-") + extension


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _stamp_copy_asked() -> bool:
    """Whether the download adds the copy for the registration stamp (delivery by hand)."""
    return request.args.get("stamp_copy") == "1"


def _final_with_stamp_copy(letter: Letter) -> bytes:
    """A final letter, rebuilt from its stored text, followed by its stamp copy (the DOCX as
    issued stays what :func:`issuing.issued_document` gives)."""
    letterhead = letterheads.letterhead_of(current_group())
    return documents.render_docx(issuing.issued_letter(letter), letterhead, stamp_copy=True)


@bp.get("/<int:letter_id>/letter.docx")
@member_required
def download_docx(letter_id: int) -> Response:
    """Download the DOCX: as issued for a final letter, marked as a draft otherwise."""
    found = _letter(letter_id)
    stamp_copy = _stamp_copy_asked()
    if found.is_final:
        try:
            if stamp_copy:
                data = _final_with_stamp_copy(found)
            else:
                data = issuing.issued_document(found)
        except issuing.LetterError as error:
            abort(500, description=_error_text(error))
    else:
        built, problem = _built(found)
        if built is None:
            flash(problem or "", "error")
            return redirect(url_for("compose.step_details", letter_id=found.id))
        letterhead = letterheads.letterhead_of(current_group())
        data = documents.render_docx(built, letterhead, stamp_copy=stamp_copy)
    return _download(data, _filename(found, ".docx"), DOCX_TYPE)


@bp.get("/<int:letter_id>/letter.pdf")
@member_required
def download_pdf(letter_id: int) -> Response:
    """Download the letter as PDF, where LibreOffice is installed."""
    found = _letter(letter_id)
    stamp_copy = _stamp_copy_asked()
    try:
        if found.is_final and stamp_copy:
            data = documents.docx_to_pdf(_final_with_stamp_copy(found))
        elif found.is_final:
            data = documents.docx_to_pdf(issuing.issued_document(found))
        else:
            built, problem = _built(found)
            if built is None:
                flash(problem or "", "error")
                return redirect(url_for("compose.step_details", letter_id=found.id))
            letterhead = letterheads.letterhead_of(current_group())
            data = documents.docx_to_pdf(
                documents.render_docx(built, letterhead, stamp_copy=stamp_copy)
            )
    except documents.PdfUnavailable as error:
        flash(_error_text(error), "error")
        return redirect(url_for("compose.letter", letter_id=found.id))
    return _download(data, _filename(found, ".pdf"), "application/pdf")


@bp.post("/<int:letter_id>/duplicate")
@member_required
def duplicate(letter_id: int) -> Response:
    """Start a new draft from this letter, for the same or another authority."""
    found = _letter(letter_id)
    copy = drafts.duplicate(found, current_group(), current_user)
    flash(_("A new draft was made from the letter. Choose its authority."), "success")
    return redirect(url_for("compose.step_authority", letter_id=copy.id, country=found.country))


@bp.post("/<int:letter_id>/delete")
@member_required
def delete(letter_id: int) -> Response:
    """Delete a draft."""
    found = _letter(letter_id, draft=True)
    drafts.delete_draft(found, current_group(), current_user)
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("compose.letters"))
