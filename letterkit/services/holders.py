"""Who holds an authority's office, as a group knows it: the name printed in the addressee block
and in the salutation (per letter language) and the form of address. Remembered per group
(``AuthorityHolder``), audited, and used by every letter the group builds to that authority.
Verbs flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from letterkit.catalogue import Catalogue, get_catalogue
from letterkit.catalogue.holders import form_missing
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import AuthorityHolder, Group, HolderForm, User

NAME_MAX = 200
M_FORM_NEEDED = N_(
    "Say how the holder of this office is addressed (woman or man) before the letter is "
    "finalised: in this language the salutation depends on it."
)


@dataclass(frozen=True)
class Holder:
    """The holder of an office for one letter language: form and names (empty when unknown)."""

    form: str | None = None
    addressee_name: str = ""
    salutation_name: str = ""


def holder_record(group_id: int, authority_slug: str) -> AuthorityHolder | None:
    """The group's record of who holds the office of ``authority_slug``, if any."""
    return db.session.scalar(
        sa.select(AuthorityHolder).where(
            AuthorityHolder.group_id == group_id,
            AuthorityHolder.authority_slug == authority_slug,
        )
    )


def holder_for(group_id: int, authority_slug: str, lang: str) -> Holder:
    """The holder as the group recorded it, with the names for a letter in ``lang``."""
    row = holder_record(group_id, authority_slug)
    if row is None:
        return Holder()
    names = (row.names or {}).get(lang) or {}
    return Holder(
        form=row.form.value if row.form is not None else None,
        addressee_name=str(names.get("addressee") or ""),
        salutation_name=str(names.get("salutation") or ""),
    )


def form_needed(holder: Holder, lang: str, catalogue: Catalogue | None = None) -> bool:
    """True when a letter in ``lang`` cannot be finalised before the holder's form is given."""
    languages = (catalogue or get_catalogue()).languages
    return form_missing(languages.get(lang), holder.form)


def remember_holder(
    group: Group,
    authority_slug: str,
    lang: str,
    *,
    form: HolderForm,
    addressee_name: str,
    salutation_name: str,
    actor: User | None,
) -> AuthorityHolder:
    """Record for ``group`` who holds the office and how they are addressed (names for ``lang``;
    other languages' names are kept)."""
    row = holder_record(group.id, authority_slug)
    if row is None:
        row = AuthorityHolder(group_id=group.id, authority_slug=authority_slug, names={})
        db.session.add(row)
    names = {k: dict(v) for k, v in (row.names or {}).items()}
    entry = {"addressee": addressee_name.strip(), "salutation": salutation_name.strip()}
    if any(entry.values()):
        names[lang] = entry
    else:
        names.pop(lang, None)
    row.form = form
    row.names = names  # a new dict, so the JSON column sees the change
    row.updated_by_id = actor.id if actor is not None else None
    db.session.flush()
    # Identifiers only: the holder's name stays out of the audit details.
    record(
        "authority.holder_recorded",
        row,
        group=group,
        actor=actor,
        authority=authority_slug,
        form=form.value,
        lang=lang,
        named=bool(entry["addressee"] or entry["salutation"]),
    )
    return row
