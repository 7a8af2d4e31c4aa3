"""Letters through the API: drafts made, changed and deleted, finalised, downloaded as DOCX and
PDF. The same operations as the compose pages (services/drafts.py, services/letters.py); a final
letter never changes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any, NoReturn

import sqlalchemy as sa
from flask import Response, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from letterkit import documents
from letterkit.catalogue import Catalogue, NotInCatalogue
from letterkit.config import letter_languages
from letterkit.core.i18n import language_name
from letterkit.extensions import db
from letterkit.models import Group, Letter, LetterStatus
from letterkit.services import drafts, language_check, letterheads, reviews
from letterkit.services import letters as issuing
from letterkit.services.annexes import annex_for_letter
from letterkit.services.catalogue import group_catalogue

from . import pagination
from .base import bp, operation
from .letter_models import (
    DownloadQuery,
    FinaliseBody,
    LetterChanges,
    LetterCreate,
    LetterList,
    LetterOut,
    LetterQuery,
    LetterSummary,
    LetterUpdate,
    UnreviewedTexts,
)
from .problems import invalid, problem

TAGS = ("letters",)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
MIXED_LANGUAGES = "tag:letterkit,2026:problem:mixed-languages"


# --- reading -------------------------------------------------------------------------------------


def find_letter(group: Group, letter_id: str) -> Letter:
    """The group's letter of this public id; 404 for a missing one or another group's."""
    letter = db.session.scalar(
        sa.select(Letter).where(Letter.public_id == letter_id, Letter.group_id == group.id)
    )
    if letter is None:
        problem(404)
    return letter


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def letter_out(letter: Letter) -> LetterOut:
    document = letter.document if letter.is_final else None
    return LetterOut(
        id=letter.public_id,
        status=letter.status.value,
        authority=letter.authority_slug,
        authority_name=letter.authority_name,
        country=letter.country,
        language=letter.language,
        template=letter.template,
        demands=list(letter.demand_slugs),
        paragraphs=list(letter.paragraphs),
        fields={name: _text(value) for name, value in (letter.fields or {}).items()},
        subject=letter.subject,
        place=letter.place,
        signer_name=letter.signer_name,
        signer_title=letter.signer_title,
        reference=letter.reference,
        letter_date=letter.letter_date,
        created_at=letter.created_at,
        updated_at=letter.updated_at,
        finalised_at=letter.finalised_at,
        sha256=document.sha256 if document is not None else None,
        unreviewed=_unreviewed(letter),
    )


def _unreviewed(letter: Letter) -> UnreviewedTexts | None:
    found = reviews.of_letter(group_catalogue(letter.group_id), letter)
    notice = reviews.describe(found, language_name(letter.language), _, ngettext)
    if notice is None:
        return None
    return UnreviewedTexts(
        language=found.language,
        template=found.template,
        addressee=found.addressee,
        demands=found.demands,
        notice=notice,
    )


def summary_out(letter: Letter) -> LetterSummary:
    return LetterSummary(
        id=letter.public_id,
        status=letter.status.value,
        authority=letter.authority_slug,
        authority_name=letter.authority_name,
        country=letter.country,
        language=letter.language,
        subject=letter.subject,
        reference=letter.reference,
        letter_date=letter.letter_date,
        updated_at=letter.updated_at,
    )


def error_text(error: issuing.LetterError | documents.DocumentError) -> str:
    """A domain error's message in the requester's language."""
    return str(_(error.message).format(**error.params))


def refuse(error: issuing.LetterError | documents.DocumentError) -> NoReturn:
    """Stop with 422: a domain rule refused the request (nothing is stored)."""
    problem(422, error_text(error))


# --- from a body to the changes of a draft -------------------------------------------------------


def _template(
    slug: str | None, letter: Letter, errors: list[dict[str, str]]
) -> documents.TemplateSpec | None:
    """The template the draft will have, or None (with an error) for an unknown one."""
    try:
        return documents.default_library().get(slug or letter.template)
    except documents.TemplateError:
        errors.append({"pointer": "/template", "detail": _("There is no such kind of letter.")})
        return None


def _check_language(
    body: LetterChanges,
    letter: Letter,
    spec: documents.TemplateSpec | None,
    errors: list[dict[str, str]],
) -> None:
    language = body.language or letter.language
    if body.language is not None and body.language not in letter_languages():
        errors.append(
            {"pointer": "/language", "detail": _("Letters cannot be written in this language.")}
        )
    elif spec is not None and language not in spec.languages:
        errors.append(
            {
                "pointer": "/language" if body.language is not None else "/template",
                "detail": _("This kind of letter has no version in that language."),
            }
        )


def _check_demands(demands: list[str], catalogue: Catalogue, errors: list[dict[str, str]]) -> None:
    seen: set[str] = set()
    for index, slug in enumerate(demands):
        if slug not in catalogue.demands:
            detail = _("Unknown demand: {slug}").format(slug=slug)
        elif slug in seen:
            detail = _("This demand is listed twice.")
        else:
            seen.add(slug)
            continue
        errors.append({"pointer": f"/demands/{index}", "detail": detail})


def _fields(
    body: LetterChanges,
    letter: Letter,
    spec: documents.TemplateSpec | None,
    errors: list[dict[str, str]],
) -> dict[str, Any] | None:
    """The draft's fields after the change: checked against the template's own fields, merged
    into the stored ones (those the new template does not have are dropped, as on the pages)."""
    if spec is None or (body.fields is None and spec.slug == letter.template):
        return None
    names = {f.name for f in spec.fields}
    merged = {k: v for k, v in (letter.fields or {}).items() if k in names}
    for name, value in (body.fields or {}).items():
        if name not in names:
            detail = _("The kind of letter «{slug}» has no field of this name.").format(
                slug=spec.slug
            )
            errors.append({"pointer": f"/fields/{name}", "detail": detail})
            continue
        try:
            coerced = spec.field(name).coerce(value)
        except documents.LetterValidationError as error:
            errors.append({"pointer": f"/fields/{name}", "detail": error_text(error)})
            continue
        merged[name] = _text(coerced) if isinstance(coerced, date) else coerced
    return merged


def _signer(
    body: LetterChanges, letter: Letter, errors: list[dict[str, str]]
) -> tuple[str, str] | None:
    if body.signer_name is None and body.signer_title is None:
        return None
    name = (body.signer_name if body.signer_name is not None else letter.signer_name).strip()
    if body.signer_title is not None:
        title = body.signer_title.strip()
    else:
        title = letter.signer_title if name else ""
    if title and not name:
        errors.append(
            {"pointer": "/signer_title", "detail": _("Give the name of who signs with the title.")}
        )
    return name, title


def draft_changes(letter: Letter, group: Group, body: LetterChanges) -> drafts.DraftChanges:
    """What ``body`` changes in ``letter``, checked; 422 naming each refused part."""
    errors: list[dict[str, str]] = []
    spec = _template(body.template, letter, errors)
    _check_language(body, letter, spec, errors)
    changes = drafts.DraftChanges()
    if isinstance(body, LetterUpdate) and body.authority is not None:
        if body.authority not in group_catalogue(group.id).authorities:
            errors.append(authority_error())
        changes["authority_slug"] = body.authority
    if body.template is not None:
        changes["template"] = body.template
    if body.language is not None:
        changes["language"] = body.language
    if body.demands is not None:
        _check_demands(body.demands, group_catalogue(group.id), errors)
        changes["demand_slugs"] = list(body.demands)
    if body.paragraphs is not None:
        changes["paragraphs"] = [p.strip() for p in body.paragraphs]
    fields = _fields(body, letter, spec, errors)
    if fields is not None:
        changes["fields"] = fields
    if body.place is not None:
        changes["place"] = body.place.strip()
    if "letter_date" in body.model_fields_set:
        changes["letter_date"] = body.letter_date
    signer = _signer(body, letter, errors)
    if signer is not None:
        changes["signer"] = signer
    if errors:
        invalid(errors)
    return changes


def authority_error() -> dict[str, str]:
    return {"pointer": "/authority", "detail": _("Choose an authority from the catalogue.")}


def _update(letter: Letter, group: Group, changes: drafts.DraftChanges) -> None:
    try:
        drafts.update_draft(letter, group, None, **changes)
    except issuing.LetterError as error:
        refuse(error)


# --- the operations -------------------------------------------------------------------------------


@bp.get("/letters")
@operation(tags=TAGS, responses={200: LetterList}, query=LetterQuery)
def list_letters(group: Group, query: LetterQuery) -> LetterList:
    """Letters

    The group's letters, drafts and final ones, oldest first."""
    after = pagination.decode(query.cursor, "letters", group.id)
    statement = sa.select(Letter).where(Letter.group_id == group.id)
    if query.status is not None:
        statement = statement.where(Letter.status == LetterStatus(query.status))
    if after:
        statement = statement.where(Letter.id > int(after[0]))
    rows = list(db.session.scalars(statement.order_by(Letter.id).limit(query.limit + 1)))
    page = rows[: query.limit]
    more = len(rows) > query.limit
    return LetterList(
        items=[summary_out(letter) for letter in page],
        next_cursor=pagination.encode("letters", group.id, [page[-1].id]) if more else None,
    )


@bp.post("/letters")
@operation(tags=TAGS, responses={201: LetterOut}, body=LetterCreate, status=201)
def create_letter(group: Group, body: LetterCreate) -> Response:
    """Start a letter

    A draft to an authority. What is left out is chosen as the pages choose it: the kind of
    letter its office calls for, its letter language, the demands meant for its country."""
    try:
        authority = group_catalogue(group.id).authority(body.authority)
    except NotInCatalogue:
        invalid([authority_error()])
    letter = drafts.start_letter(group, None, authority)
    _update(letter, group, draft_changes(letter, group, body))
    # As the details page does: a letter to a mission names the sending state's government.
    spec = documents.default_library().get(letter.template)
    prefilled = issuing.with_government(spec, dict(letter.fields), authority, letter.language)
    if prefilled != letter.fields:
        _update(letter, group, drafts.DraftChanges(fields=prefilled))
    return Response(
        letter_out(letter).model_dump_json(),
        status=201,
        mimetype="application/json",
        headers={"Location": url_for("api.get_letter", letter_id=letter.public_id)},
    )


@bp.get("/letters/<letter_id>")
@operation(tags=TAGS, responses={200: LetterOut}, errors=(404,))
def get_letter(group: Group, letter_id: str) -> LetterOut:
    """One letter"""
    return letter_out(find_letter(group, letter_id))


@bp.patch("/letters/<letter_id>")
@operation(tags=TAGS, responses={200: LetterOut}, body=LetterUpdate, errors=(404, 409))
def update_letter(group: Group, letter_id: str, body: LetterUpdate) -> LetterOut:
    """Change a draft

    Only the parts sent change. A final letter never changes (409): duplicate it instead."""
    letter = find_letter(group, letter_id)
    if letter.is_final:
        problem(409, _("This letter is final and cannot be changed. Duplicate it instead."))
    _update(letter, group, draft_changes(letter, group, body))
    return letter_out(letter)


@bp.delete("/letters/<letter_id>")
@operation(tags=TAGS, responses={204: None}, errors=(404, 409))
def delete_letter(group: Group, letter_id: str) -> None:
    """Delete a draft

    Final letters are kept (409)."""
    letter = find_letter(group, letter_id)
    if letter.is_final:
        problem(409, _("A final letter cannot be deleted."))
    drafts.delete_draft(letter, group, None)


def describe_mixed(
    parts: Iterable[language_check.MixedPart], catalogue: Catalogue
) -> list[dict[str, str]]:
    """The items of a mixed-languages problem's ``mixed_parts``: each printed part not in its
    letter's language, described in the requester's language."""
    ui_lang = str(get_locale() or "en")
    return [
        {
            "part": part.part,
            "printed_in": part.printed_in,
            "description": part.describe(_, ui_lang, catalogue),
        }
        for part in parts
    ]


def _mixed_parts(letter: Letter, group: Group) -> list[dict[str, str]]:
    catalogue = group_catalogue(group.id)
    return describe_mixed(language_check.mixed_parts(letter, group, catalogue), catalogue)


@bp.post("/letters/<letter_id>/finalise")
@operation(tags=TAGS, responses={200: LetterOut}, body=FinaliseBody, errors=(404, 409))
def finalise_letter(group: Group, letter_id: str, body: FinaliseBody) -> LetterOut:
    """Finalise a letter

    Fix its text, give it the group's next reference number and keep the DOCX as issued.
    Refused (422) while a part prints in another language than the letter's, unless
    `confirm_mixed_languages` is true (the answer lists the parts in `mixed_parts`), and while
    the group has not said how the holder of the office is addressed where the language needs
    it (on the letter's preview page)."""
    letter = find_letter(group, letter_id)
    if letter.is_final:
        problem(409, _("This letter is already final."))
    try:
        issuing.finalise(
            letter,
            group,
            None,
            annex=annex_for_letter(letter),
            require_holder=True,
            mixing_confirmed=body.confirm_mixed_languages,
        )
    except (issuing.LetterError, documents.DocumentError) as error:
        if getattr(error, "message", None) == language_check.M_CONFIRM_NEEDED:
            problem(
                422,
                error_text(error),
                kind=MIXED_LANGUAGES,
                mixed_parts=_mixed_parts(letter, group),
            )
        refuse(error)
    return letter_out(letter)


# --- downloads -----------------------------------------------------------------------------------


def _filename(letter: Letter, extension: str) -> str:
    """The reference number, or the public id of a draft: never a name or a subject."""
    base = letter.reference or letter.public_id
    return re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-") + extension


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def letter_docx(letter: Letter, group: Group, query: DownloadQuery) -> bytes:
    """The DOCX as issued for a final letter, a fresh render of a draft; with the stamp copy
    (a final letter's rebuilt from its stored text), as the pages give them."""
    stamp_copy = query.stamp_copy == "true"
    if letter.is_final:
        try:
            if not stamp_copy:
                return issuing.issued_document(letter)
            built = issuing.issued_letter(letter)
        except issuing.LetterError as error:
            problem(409, error_text(error))
    else:
        try:
            built = issuing.build(letter, group)
        except (issuing.LetterError, documents.DocumentError) as error:
            refuse(error)
    try:
        return documents.render_docx(built, letterheads.letterhead_of(group), stamp_copy=stamp_copy)
    except documents.DocumentError as error:
        refuse(error)


@bp.get("/letters/<letter_id>/docx")
@operation(
    tags=TAGS,
    responses={200: None},
    query=DownloadQuery,
    errors=(404, 409),
    binary=(DOCX_TYPE,),
)
def download_letter_docx(group: Group, letter_id: str, query: DownloadQuery) -> Response:
    """The letter as DOCX

    A final letter exactly as issued (its SHA-256 is the letter's `sha256`); a draft rendered
    as it stands (422 while it cannot be built, e.g. a required field is empty)."""
    letter = find_letter(group, letter_id)
    return _download(letter_docx(letter, group, query), _filename(letter, ".docx"), DOCX_TYPE)


@bp.get("/letters/<letter_id>/pdf")
@operation(
    tags=TAGS,
    responses={200: None},
    query=DownloadQuery,
    errors=(404, 409, 503),
    binary=(PDF_TYPE,),
)
def download_letter_pdf(group: Group, letter_id: str, query: DownloadQuery) -> Response:
    """The letter as PDF

    The DOCX converted by LibreOffice; 503 where the server has none."""
    letter = find_letter(group, letter_id)
    data = letter_docx(letter, group, query)
    try:
        pdf = documents.docx_to_pdf(data)
    except documents.PdfUnavailable as error:
        problem(503, error_text(error))
    return _download(pdf, _filename(letter, ".pdf"), PDF_TYPE)
