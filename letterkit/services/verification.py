"""Unverified addresses say so: which printed parts of a letter's addressee (the addressee line,
the postal address, the salutation) are unverified for a group, and the checks a coordinator
records against a source. Shared by compose, directory and campaigns. Verbs flush; the request
commits.

A part is unverified when the shipped entry does not mark it verified and no check of the group
covers it. A group's own entry, and its own version of a shipped one, is the group's own data:
letterkit cannot vouch for it, and says so instead of warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa

from letterkit.catalogue import Authority, Catalogue, get_catalogue
from letterkit.catalogue.patch import CheckNote
from letterkit.catalogue.patch import catalogue_patch as _catalogue_patch
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import AuthorityCheck, Group, GroupAuthority, User
from letterkit.services.catalogue import group_catalogue
from letterkit.textchars import has_forbidden

#: The printed parts a check confirms, in the order they are printed, with their labels.
PARTS: Mapping[str, str] = MappingProxyType(
    {
        "addressee": N_("the addressee line"),
        "address": N_("the postal address"),
        "salutation": N_("the salutation"),
    }
)
SOURCE_MAX = 500
NOTE_MAX = 2000
#: Checks older than this are not accepted (a typing slip, not a check of today's catalogue).
EARLIEST_CHECK = date(2000, 1, 1)


class CheckError(Exception):
    """A check cannot be recorded; ``problems`` maps a field to an untranslated message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("invalid check")
        self.problems = dict(problems)


@dataclass(frozen=True)
class Verification:
    """What a group knows about the printed parts of one authority."""

    slug: str
    #: True for the group's own entry or its own version of a shipped one.
    own: bool
    #: Printed parts neither the shipped data nor a check of the group confirms, in print order.
    unverified: tuple[str, ...] = ()
    #: The group's checks of this authority, newest first.
    checks: tuple[AuthorityCheck, ...] = field(default=(), compare=False)

    @property
    def warns(self) -> bool:
        """True when at least one printed part is unverified."""
        return bool(self.unverified)

    @property
    def labels(self) -> tuple[str, ...]:
        """The untranslated labels of the unverified parts (``gettext`` them to show them)."""
        return tuple(PARTS[part] for part in self.unverified)


def shipped_unverified(authority: Authority) -> tuple[str, ...]:
    """The printed parts the shipped entry does not mark verified (in print order).

    The addressee line and the salutation follow the entry's ``verified``; the postal address
    its first postal contact's (the one a letter prints). No postal contact: none is printed.
    """
    post = authority.contacts_of("post")
    unverified = {
        "addressee": not authority.verified,
        "address": bool(post) and not post[0].verified,
        "salutation": not authority.verified,
    }
    return tuple(part for part in PARTS if unverified[part])


def _checks(group_id: int, slugs: Iterable[str] | None = None) -> list[AuthorityCheck]:
    query = sa.select(AuthorityCheck).where(AuthorityCheck.group_id == group_id)
    if slugs is not None:
        query = query.where(AuthorityCheck.authority_slug.in_(list(slugs)))
    return list(
        db.session.scalars(
            query.order_by(AuthorityCheck.checked_on.desc(), AuthorityCheck.id.desc())
        )
    )


def _overridden(group_id: int, slugs: Iterable[str] | None = None) -> set[str]:
    query = sa.select(GroupAuthority.overrides).where(
        GroupAuthority.group_id == group_id, GroupAuthority.overrides.is_not(None)
    )
    if slugs is not None:
        query = query.where(GroupAuthority.overrides.in_(list(slugs)))
    return {slug for slug in db.session.scalars(query) if slug}


def verifications(group_id: int, slugs: Iterable[str]) -> dict[str, Verification]:
    """What ``group_id`` knows about each authority in ``slugs`` (two queries for all)."""
    wanted = list(dict.fromkeys(slugs))
    shipped = get_catalogue().authorities
    overridden = _overridden(group_id, wanted)
    checks: dict[str, list[AuthorityCheck]] = {}
    for check in _checks(group_id, wanted):
        checks.setdefault(check.authority_slug, []).append(check)
    found = {}
    for slug in wanted:
        own_checks = tuple(checks.get(slug, ()))
        entry = shipped.get(slug)
        if entry is None or slug in overridden:
            found[slug] = Verification(slug, own=True, checks=own_checks)
            continue
        covered = {part for check in own_checks for part in check.parts}
        unverified = tuple(p for p in shipped_unverified(entry) if p not in covered)
        found[slug] = Verification(slug, own=False, unverified=unverified, checks=own_checks)
    return found


def verification(group_id: int, slug: str) -> Verification:
    """What ``group_id`` knows about the printed parts of the authority ``slug``."""
    return verifications(group_id, [slug])[slug]


# --- recording a check -------------------------------------------------------------------------

#: Kinds of source, and how each is written into the stored source (data, not translated).
SOURCE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "web": N_("A web page (its address)"),
        "phone": N_("A phone call"),
        "visit": N_("A visit"),
        "other": N_("Another source"),
    }
)
_SOURCE_PREFIX = {"phone": "phone call", "visit": "visit"}
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


def source_text(kind: str, detail: str) -> str:
    """The stored source: the address of a web page, ``phone call: …``, ``visit: …`` or the
    text as given. Raises ``CheckError`` when it does not fit its kind."""
    detail = (detail or "").strip()
    if kind not in SOURCE_KINDS:
        raise CheckError({"source_kind": N_("Choose what you checked against.")})
    if kind == "web" and not _URL.match(detail):
        raise CheckError({"source": N_("Give the page's full address, starting with https://.")})
    if kind in _SOURCE_PREFIX:
        return f"{_SOURCE_PREFIX[kind]}: {detail}" if detail else _SOURCE_PREFIX[kind]
    return detail


def _text(problems: dict[str, str], name: str, value: str, limit: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        problems[name] = N_("Say what you checked against.")
    elif len(value) > limit:
        problems[name] = (
            N_("Keep the source within 500 characters.")
            if name == "source"
            else N_("Keep the note within 2000 characters.")
        )
    elif has_forbidden(value):
        problems[name] = N_("Remove the invisible control characters from this field.")
    elif name == "source" and ("\n" in value or "\r" in value):
        problems[name] = N_("This field takes a single line.")
    return value


def check_problems(
    checked_on: date | None,
    source: str,
    parts: Iterable[str],
    note: str,
    *,
    today: date,
) -> tuple[dict[str, str], str, str, list[str]]:
    """Validate a check: the problems by field, and the cleaned source, note and parts."""
    problems: dict[str, str] = {}
    if checked_on is None:
        problems["checked_on"] = N_("Give the date of the check.")
    elif checked_on > today:
        problems["checked_on"] = N_("A check cannot be dated in the future.")
    elif checked_on < EARLIEST_CHECK:
        problems["checked_on"] = N_("A check cannot be dated before the year 2000.")
    source = _text(problems, "source", source, SOURCE_MAX, required=True)
    note = _text(problems, "note", note, NOTE_MAX, required=False)
    chosen = [part for part in PARTS if part in set(parts)]
    if not chosen or set(parts) - set(PARTS):
        problems["parts"] = N_("Tick at least one printed part you checked.")
    return problems, source, note, chosen


def record_check(
    group: Group,
    actor: User,
    slug: str,
    *,
    checked_on: date | None,
    source: str,
    parts: Iterable[str],
    note: str = "",
    today: date | None = None,
) -> AuthorityCheck:
    """Record that ``actor`` checked the printed ``parts`` of ``slug`` against ``source`` on
    ``checked_on``; the warning for those parts clears for ``group`` only. Audited."""
    if slug not in group_catalogue(group.id).authorities:
        raise CheckError({"": N_("This authority is not in your catalogue.")})
    problems, source, note, chosen = check_problems(
        checked_on, source, list(parts), note, today=today or date.today()
    )
    if problems:
        raise CheckError(problems)
    assert checked_on is not None
    check = AuthorityCheck(
        group_id=group.id,
        authority_slug=slug,
        checked_on=checked_on,
        source=source,
        parts=chosen,
        note=note,
        checked_by_id=actor.id,
    )
    db.session.add(check)
    db.session.flush()
    record(
        "authority.checked",
        check,
        group=group,
        actor=actor,
        authority=slug,
        parts=chosen,
        checked_on=checked_on.isoformat(),
    )
    return check


def group_checks(group_id: int) -> list[AuthorityCheck]:
    """All checks of a group, newest first."""
    return _checks(group_id)


# --- the group's checks and corrections for the maintainers ------------------------------------


def corrections(group_id: int) -> dict[str, dict[str, Any]]:
    """The group's own versions of shipped authorities: shipped slug -> entry data."""
    rows = db.session.scalars(
        sa.select(GroupAuthority)
        .where(GroupAuthority.group_id == group_id, GroupAuthority.overrides.is_not(None))
        .order_by(GroupAuthority.overrides)
    )
    shipped = get_catalogue().authorities
    return {row.overrides: dict(row.data) for row in rows if row.overrides in shipped}


def catalogue_patch(group_id: int, shipped: Catalogue | None = None) -> str:
    """The group's checks and corrections of shipped authorities as a unified diff against the
    shipped catalogue files. It names no person: only dates, sources, parts and notes."""
    catalogue = shipped or get_catalogue()
    notes: dict[str, list[CheckNote]] = {}
    for check in reversed(_checks(group_id)):  # oldest first, as they happened
        if check.authority_slug in catalogue.authorities:
            notes.setdefault(check.authority_slug, []).append(
                CheckNote(check.checked_on, check.source, tuple(check.parts), check.note)
            )
    return _catalogue_patch(catalogue, corrections(group_id), notes)
