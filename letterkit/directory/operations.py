"""The verbs that change a group's own catalogue entries (and its changes to shipped ones).
They flush; the request commits. The merged view lives in :mod:`letterkit.services.catalogue`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from letterkit.catalogue import (
    Authority,
    Demand,
    Problem,
    Texts,
    check_authority,
    check_demand,
    get_catalogue,
)
from letterkit.core.audit import record
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import Group, GroupAuthority, GroupDemand, GroupDemandSet, User
from letterkit.services.catalogue import forget_group_catalogue, group_catalogue


class EntryError(Exception):
    """A group's entry is invalid; ``problems`` maps a field path to its problems."""

    def __init__(self, problems: Mapping[str, list[Problem]]) -> None:
        super().__init__("invalid entry")
        self.problems = dict(problems)


# --- turning records back into entry data (for editing and overriding) ------------------------


def _texts(texts: Texts | None) -> dict[str, str]:
    return texts.as_dict() if texts else {}


def authority_entry(authority: Authority) -> dict[str, Any]:
    """Return the entry data of an authority, in the shape the catalogue files use."""
    entry: dict[str, Any] = {
        "country": authority.country,
        "kind": authority.kind,
        "name": _texts(authority.names),
        "addressee": _texts(authority.addressees),
        "salutation": _texts(authority.salutations),
        "letter_language": authority.letter_language,
        "verified": authority.verified,
        "contacts": [
            {k: v for k, v in dataclasses.asdict(c).items() if v not in (None, "")}
            for c in authority.contacts
        ],
    }
    for key, value in (
        ("short_name", _texts(authority.short_names)),
        ("host_country", authority.host_country),
        ("city", authority.city),
        ("seat_subdiv", authority.seat_subdiv),
        ("source", authority.source),
        ("note", authority.note),
    ):
        if value:
            entry[key] = value
    return entry


def demand_entry(demand: Demand) -> dict[str, Any]:
    """Return the entry data of a demand, in the shape the catalogue files use."""
    entry: dict[str, Any] = {"title": _texts(demand.titles), "text": _texts(demand.texts)}
    if demand.rationales:
        entry["rationale"] = _texts(demand.rationales)
    if demand.citations:
        entry["sources"] = [
            {k: v for k, v in dataclasses.asdict(c).items() if v} for c in demand.citations
        ]
    if demand.tags:
        entry["tags"] = list(demand.tags)
    return entry


# --- changing a group's entries ----------------------------------------------------------------


def _row(model: type[Any], group: Group, slug: str) -> Any:
    """The group's row behind ``slug`` (own entry or override), or None."""
    if slug.startswith(model.PREFIX) and slug[len(model.PREFIX) :].isdigit():
        return db.session.scalar(
            sa.select(model).where(
                model.group_id == group.id, model.id == int(slug[len(model.PREFIX) :])
            )
        )
    return db.session.scalar(
        sa.select(model).where(model.group_id == group.id, model.overrides == slug)
    )


def save_authority(
    group: Group, actor: User, data: dict[str, Any], *, slug: str | None = None
) -> GroupAuthority:
    """Add an authority, or change the group's version of ``slug`` (own or shipped)."""
    shipped = get_catalogue()
    problems = check_authority(data, shipped)
    if problems:
        raise EntryError(problems)
    row = _row(GroupAuthority, group, slug) if slug else None
    if row is None:
        overrides = slug if slug in shipped.authorities else None
        row = GroupAuthority(group_id=group.id, overrides=overrides, country="", data={})
        db.session.add(row)
    row.data = data
    row.country = data["country"]
    db.session.flush()
    record("authority.saved", row, group=group, actor=actor, overrides=row.overrides or None)
    forget_group_catalogue()
    return row


def save_demand(
    group: Group, actor: User, data: dict[str, Any], *, slug: str | None = None
) -> GroupDemand:
    """Add a demand, or change the group's version of ``slug`` (own or shipped)."""
    shipped = get_catalogue()
    problems = check_demand(data, shipped)
    if problems:
        raise EntryError(problems)
    row = _row(GroupDemand, group, slug) if slug else None
    if row is None:
        overrides = slug if slug in shipped.demands else None
        row = GroupDemand(group_id=group.id, overrides=overrides, data={})
        db.session.add(row)
    row.data = data
    db.session.flush()
    record("demand.saved", row, group=group, actor=actor, overrides=row.overrides or None)
    forget_group_catalogue()
    return row


def save_demand_set(
    group: Group, actor: User, data: dict[str, Any], *, slug: str | None = None
) -> GroupDemandSet:
    """Add a demand set, or change the group's version of ``slug``.

    ``data``: ``title`` and optional ``description`` by language, ``demands`` (slugs known to the
    group's catalogue, in order, at least one), optional ``country``.
    """
    catalogue = group_catalogue(group.id)
    problems: dict[str, list[Problem]] = {}
    if not any(v.strip() for v in data.get("title", {}).values()):
        problems["title"] = [Problem.of("title", N_("Give the set a title."))]
    unknown = [d for d in data.get("demands", []) if d not in catalogue.demands]
    if unknown:
        problems["demands"] = [Problem.of("demands", N_("Unknown demand: {slug}"), slug=unknown[0])]
    elif not data.get("demands"):
        problems["demands"] = [Problem.of("demands", N_("Choose at least one demand."))]
    if data.get("country") and data["country"] not in catalogue.countries:
        problems["country"] = [
            Problem.of("country", N_("Unknown country: {code}"), code=data["country"])
        ]
    if problems:
        raise EntryError(problems)
    row = _row(GroupDemandSet, group, slug) if slug else None
    if row is None:
        overrides = slug if slug in get_catalogue().demand_sets else None
        row = GroupDemandSet(group_id=group.id, overrides=overrides, data={})
        db.session.add(row)
    row.data = data
    db.session.flush()
    record("demand_set.saved", row, group=group, actor=actor, overrides=row.overrides or None)
    forget_group_catalogue()
    return row


def remove_entry(model: type[Any], group: Group, actor: User, slug: str) -> bool:
    """Delete the group's own entry, or its override (the shipped entry shows again)."""
    row = _row(model, group, slug)
    if row is None:
        return False
    record(f"{model.__tablename__}.removed", row, group=group, actor=actor, overrides=row.overrides)
    db.session.delete(row)
    db.session.flush()
    forget_group_catalogue()
    return True
