"""The catalogue as a group sees it: the shipped data merged with the group's own entries and
its changes to shipped ones. Built once per request and shared by every feature."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import sqlalchemy as sa
from flask import g

from letterkit.catalogue import (
    Catalogue,
    CatalogueError,
    Demand,
    DemandSet,
    Origin,
    Texts,
    authority_from_entry,
    demand_from_entry,
    get_catalogue,
)
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import GroupAuthority, GroupDemand, GroupDemandSet

OWN_SET_ORIGIN = Origin(document=N_("The group's own set"), action="", explicit=True)


def _load(group_id: int) -> Catalogue:
    shipped = get_catalogue()
    rows = {
        model: db.session.scalars(sa.select(model).where(model.group_id == group_id)).all()
        for model in (GroupAuthority, GroupDemand, GroupDemandSet)
    }
    authorities = dict(shipped.authorities)
    for row in rows[GroupAuthority]:
        try:
            entry = authority_from_entry(row.data, shipped)
        except CatalogueError:
            continue  # stored data no longer valid (e.g. a country removed): shown as missing
        authorities[row.slug] = dataclasses.replace(entry, slug=row.slug, origin="group")
    demands = dict(shipped.demands)
    for row in rows[GroupDemand]:
        try:
            demand = demand_from_entry(row.data, shipped)
        except CatalogueError:
            continue
        demands[row.slug] = dataclasses.replace(demand, slug=row.slug, origin="group")
    demand_sets = {
        slug: dataclasses.replace(s, demands=tuple(demands[d] for d in s.slugs if d in demands))
        for slug, s in shipped.demand_sets.items()
    }
    for row in rows[GroupDemandSet]:
        demand_sets[row.slug] = _set_from_row(row, demands, shipped)
    return dataclasses.replace(
        shipped, authorities=authorities, demands=demands, demand_sets=demand_sets
    )


def _set_from_row(
    row: GroupDemandSet, demands: Mapping[str, Demand], shipped: Catalogue
) -> DemandSet:
    data = row.data
    base = shipped.demand_sets.get(row.overrides or "")
    return DemandSet(
        slug=row.slug,
        titles=Texts.of(data["title"]),
        demands=tuple(demands[d] for d in data["demands"] if d in demands),
        origin=base.origin if base else OWN_SET_ORIGIN,
        descriptions=Texts.of(data["description"]) if data.get("description") else None,
        country=data.get("country") or None,
        target_kinds=base.target_kinds if base else (),
        suggested_kinds=base.suggested_kinds if base else (),
    )


def group_catalogue(group_id: int) -> Catalogue:
    """Return the catalogue as ``group_id`` sees it, built once per request."""
    cache = g.setdefault("_group_catalogues", {})
    if group_id not in cache:
        cache[group_id] = _load(group_id)
    return cache[group_id]


def forget_group_catalogue() -> None:
    """Drop the request's cached view after a change."""
    g.pop("_group_catalogues", None)
