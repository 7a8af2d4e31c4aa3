"""Building a letter: from the group, the catalogue and a draft to the document model; reference
numbers; finalising (the DOCX stored exactly as issued, with its SHA-256). Shared by compose,
tracking (follow-ups), petitions (the public text), campaigns and the CLI. Verbs flush; the
request commits."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import date
from typing import Any

from letterkit import documents
from letterkit.catalogue import Authority, Catalogue, NotInCatalogue, get_catalogue
from letterkit.catalogue.governments import government_of
from letterkit.catalogue.holders import salutation_for
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    Group,
    Letter,
    LetterDocument,
    LetterStatus,
    ReferenceCounter,
    User,
    utcnow,
)
from letterkit.services import law
from letterkit.services.catalogue import group_catalogue
from letterkit.services.holders import M_FORM_NEEDED, Holder, form_needed, holder_for
from letterkit.services.language_check import M_CONFIRM_NEEDED, as_params, mixed_parts
from letterkit.services.letterheads import letterhead_of
from letterkit.services.names import printed_names


class LetterError(Exception):
    """The letter cannot be built or changed; ``message`` is an untranslated template."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


# --- from the group and the catalogue to the document model ------------------------------------


def sender_for(group: Group, lang: str | None = None) -> documents.Sender:
    """The group as the sender of a letter in ``lang`` (default: the group's default letter
    language): its name and address in the form of the language's script (services/names.py)."""
    names = printed_names(group, lang or group.default_letter_language)
    contacts = tuple(c for c in (group.email, group.phone, group.website) if c)
    return documents.Sender(
        name=names.name.value, address_lines=names.address_lines, contacts=contacts
    )


def signer_for(
    group: Group, letter: Letter | None = None, lang: str | None = None
) -> documents.Signer:
    """Who signs: the letter's own signer when it has one, else the group's usual signer in
    the form of the letter's script (``lang``, else the letter's, else the group's default)."""
    lang = lang or (letter.language if letter is not None else group.default_letter_language)
    names = printed_names(group, lang)
    if letter is not None and letter.signer_name:
        return documents.Signer(
            name=letter.signer_name, title=letter.signer_title, organisation=names.name.value
        )
    return documents.Signer(
        name=names.signer_name.value or names.name.value,
        title=names.signer_title.value,
        organisation=names.name.value,
    )


def addressee_for(
    authority: Authority,
    lang: str,
    holder: Holder | None = None,
    catalogue: Catalogue | None = None,
) -> documents.Addressee:
    """The authority as the addressee of a letter in ``lang``: the holder's name (when the
    group gave it) printed under the addressee line, the salutation in the holder's form."""
    holder = holder or Holder()
    post = authority.contacts_of("post")
    address = (
        tuple(line.strip() for line in post[0].value.splitlines() if line.strip()) if post else ()
    )
    salutation = salutation_for(
        catalogue or get_catalogue(), authority, lang, holder.form, holder.salutation_name
    )
    return documents.Addressee(
        line=authority.addressee(lang).text,
        name=holder.addressee_name,
        address_lines=address,
        salutation=salutation.text,
    )


def authority_of(letter: Letter, catalogue: Catalogue) -> Authority:
    """The letter's authority in the group's catalogue."""
    try:
        return catalogue.authority(letter.authority_slug)
    except NotInCatalogue:
        raise LetterError(
            N_("The authority of this letter is no longer in your catalogue: {slug}"),
            slug=letter.authority_slug,
        ) from None


def demands_of(letter: Letter, catalogue: Catalogue) -> list[documents.DemandText]:
    """The letter's demands in its language, in order (unknown slugs are left out)."""
    texts = []
    for slug in letter.demand_slugs:
        demand = catalogue.demands.get(slug)
        if demand is not None:
            texts.append(
                documents.DemandText(
                    demand.title(letter.language).text, demand.text(letter.language).text
                )
            )
    return texts


def _with_law(letter: Letter, authority: Authority, day: date) -> dict[str, Any]:
    spec = documents.default_library().get(letter.template)
    return law.with_law(spec, letter.fields, authority, letter.language, day)


GOVERNMENT_FIELD = "government"


def with_government(
    spec: documents.TemplateSpec, fields: dict[str, Any], authority: Authority, language: str
) -> dict[str, Any]:
    """``fields`` with an empty ``government`` field prefilled, for a letter to a mission, with
    the sending state's government in the letter's language (``catalogue/data/governments.toml``);
    a government the user typed is kept."""
    if GOVERNMENT_FIELD not in {f.name for f in spec.fields} or not authority.is_mission:
        return fields
    if str(fields.get(GOVERNMENT_FIELD) or "").strip():
        return fields
    government = government_of(authority.country, language)
    return {**fields, GOVERNMENT_FIELD: government} if government else fields


def fields_with_law(letter: Letter, group: Group) -> dict[str, Any]:
    """The letter's fields as the details step shows them: an empty ``law`` field prefilled
    from the rule of the authority's state (see :mod:`letterkit.services.law`), and an empty
    ``government`` field of a letter to a mission from the sending state."""
    try:
        authority = authority_of(letter, group_catalogue(group.id))
        fields = _with_law(letter, authority, letter.letter_date or date.today())
        spec = documents.default_library().get(letter.template)
        return with_government(spec, fields, authority, letter.language)
    except (LetterError, documents.DocumentError):
        return dict(letter.fields)


def build(
    letter: Letter,
    group: Group,
    *,
    reference: str | None = None,
    annex: documents.Annex | None = None,
    today: date | None = None,
) -> documents.Letter:
    """Render the letter's template with the group, the authority and the demands."""
    catalogue = group_catalogue(group.id)
    authority = authority_of(letter, catalogue)
    day = letter.letter_date or today or date.today()
    context = documents.LetterContext(
        sender=sender_for(group, letter.language),
        addressee=addressee_for(
            authority,
            letter.language,
            holder_for(group.id, letter.authority_slug, letter.language),
            catalogue,
        ),
        signer=signer_for(group, letter),
        date=day,
        demands=demands_of(letter, catalogue),
        reference=reference if reference is not None else letter.reference,
        place=letter.place,
        fields=_with_law(letter, authority, day),
        annex=annex,
    )
    built = documents.build_letter(letter.template, letter.language, context)
    if letter.paragraphs:
        built = dataclasses.replace(built, paragraphs=(*built.paragraphs, *letter.paragraphs))
    return built


def content_of(built: documents.Letter) -> dict[str, Any]:
    """The letter's text as issued, for showing it again without the DOCX."""
    return {
        "language": built.language,
        "reference": built.reference,
        "date": built.date.isoformat(),
        "place": built.place,
        "sender": {
            "name": built.sender.name,
            "address_lines": list(built.sender.address_lines),
            "contacts": list(built.sender.contacts),
        },
        "addressee": built.addressee.line,
        "addressee_name": built.addressee.name,
        "addressee_lines": list(built.addressee.address_lines),
        "subject": built.subject,
        "salutation": built.salutation,
        "paragraphs": list(built.paragraphs),
        "demands_intro": built.demands_intro,
        "demands": list(built.demands),
        "paragraphs_after": list(built.paragraphs_after),
        "closing": built.closing,
        "signer": built.signature.name,
        "signer_title": built.signature.title,
    }


def issued_letter(letter: Letter) -> documents.Letter:
    """The document model of a final letter, rebuilt from its stored text (for previews and
    combined printing; the stored DOCX stays the letter as issued)."""
    content = letter.content
    if not content:
        raise LetterError(N_("This letter has no stored document."))
    sender = content["sender"]
    return documents.Letter(
        language=content["language"],
        sender=documents.Sender(
            name=sender["name"],
            address_lines=tuple(sender["address_lines"]),
            contacts=tuple(sender["contacts"]),
        ),
        addressee=documents.Addressee(
            line=content["addressee"],
            name=content.get("addressee_name", ""),
            address_lines=tuple(content["addressee_lines"]),
        ),
        date=date.fromisoformat(content["date"]),
        reference=content["reference"],
        subject=content["subject"],
        salutation=content["salutation"],
        paragraphs=content["paragraphs"],
        demands=content["demands"],
        closing=content["closing"],
        signature=documents.Signer(
            name=content["signer"], title=content["signer_title"], organisation=sender["name"]
        ),
        place=content.get("place", ""),
        demands_intro=content.get("demands_intro", ""),
        paragraphs_after=content.get("paragraphs_after", []),
        template=letter.template,
    )


# --- reference numbers and finalising ---------------------------------------------------------


def reference_prefix(group: Group) -> str:
    """The group's prefix for reference numbers, derived from its slug when not set."""
    prefix = group.reference_prefix or re.sub(r"[^A-Z0-9]", "", group.slug.upper())[:12]
    return prefix or "LK"


def next_reference(group: Group, year: int) -> str:
    """Take the group's next reference number for ``year`` (``PREFIX-2026/014``).

    One atomic upsert (SQLite and PostgreSQL both have ``ON CONFLICT … RETURNING``), so two
    letters finalised at the same moment never get the same number.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(ReferenceCounter)
        .values(group_id=group.id, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["group_id", "year"],
            set_={"last_number": ReferenceCounter.last_number + 1},
        )
        .returning(ReferenceCounter.last_number)
    )
    number = db.session.execute(statement).scalar_one()
    return f"{reference_prefix(group)}-{year}/{number:03d}"


def finalise(
    letter: Letter,
    group: Group,
    actor: User | None,
    *,
    annex: documents.Annex | None = None,
    require_holder: bool = False,
    mixing_confirmed: bool | None = None,
) -> Letter:
    """Fix the text, give the reference number and store the DOCX exactly as issued.

    With ``require_holder``, a letter in a language without a neutral form of address (ru, uk)
    is refused while the group has not said how the holder of the office is addressed.
    With ``mixing_confirmed=False``, a letter with parts not in its language
    (:mod:`letterkit.services.language_check`) is refused; None does not check (the CLI and
    callers that have shown and confirmed the parts themselves).
    """
    if letter.is_final:
        raise LetterError(N_("This letter is already final."))
    holder = holder_for(group.id, letter.authority_slug, letter.language)
    if require_holder and form_needed(holder, letter.language):
        raise LetterError(M_FORM_NEEDED)
    mixed = mixed_parts(letter, group, group_catalogue(group.id), holder)
    if mixed and mixing_confirmed is False:
        raise LetterError(M_CONFIRM_NEEDED)
    issued_on = letter.letter_date or date.today()
    reference = next_reference(group, issued_on.year)
    letter.letter_date = issued_on
    built = build(letter, group, reference=reference, annex=annex)
    data = documents.render_docx(built, letterhead_of(group))
    letter.reference = reference
    letter.status = LetterStatus.FINAL
    letter.content = content_of(built)
    letter.finalised_at = utcnow()
    letter.finalised_by_id = actor.id if actor is not None else None
    letter.document = LetterDocument(data=data, sha256=documents.sha256(data), size=len(data))
    db.session.flush()
    record(
        "letter.finalised",
        letter,
        group=group,
        actor=actor,
        reference=reference,
        **(as_params(mixed) if mixed else {}),
    )
    return letter


def issued_document(letter: Letter) -> bytes:
    """The stored DOCX of a final letter, checked against its SHA-256."""
    if letter.document is None:
        raise LetterError(N_("This letter has no stored document."))
    data = letter.document.data
    if hashlib.sha256(data).hexdigest() != letter.document.sha256:
        raise LetterError(N_("The stored document does not match its SHA-256: it was altered."))
    return data
