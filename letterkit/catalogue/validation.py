"""Reading and checking catalogue entries: one set of rules for shipped data and groups' entries.

Every ``read_*`` function takes one raw entry (a table from a TOML file, or a group's form data in
the same shape), checks it against a ``Context`` (what is already known: languages, countries,
sources, demands, authorities) and returns the record, or None, with the problems found.

``Context.strict`` separates the two uses. Shipped data (strict) must be complete: slugs,
addressee lines and salutations in English, Russian and the letter language of the country,
names in the country's official languages, a source for everything and a note on whatever is not
verified. A group's own entry (not strict) needs only what a letter cannot do without: for an
authority a name, a country, a kind and one addressee line with its salutation in one language;
for a demand a title and a text in one language. Other letter languages are never
machine-translated: ``Authority.addressee(lang)`` falls back to the entry's own language and says
so (see ``letterkit.catalogue.model``).

This module is the public face: the readers live in ``read_places`` (languages, countries,
sources), ``read_demands`` (demands, demand sets) and ``read_authorities``, all built on
``entry_reader.EntryReader``, the one TOML reader of ``letterkit.tomldata`` with the catalogue's
context.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from letterkit.catalogue.entry_reader import (
    M_KIND_DECLARED_ABSENT,
    M_PARENT_COUNTRY,
    M_UNKNOWN_AUTHORITY,
    Context,
)
from letterkit.catalogue.errors import CatalogueError, Problem
from letterkit.catalogue.model import Authority, Catalogue, Demand
from letterkit.catalogue.read_authorities import AUTHORITY_FIELDS, read_authority
from letterkit.catalogue.read_demands import DEMAND_FIELDS, SET_FIELDS, read_demand, read_demand_set
from letterkit.catalogue.read_places import (
    COUNTRY_FIELDS,
    LANGUAGE_FIELDS,
    SOURCE_FIELDS,
    read_country,
    read_language,
    read_source,
)
from letterkit.tomldata import M_UNKNOWN_FIELD

__all__ = [
    "AUTHORITY_FIELDS",
    "COUNTRY_FIELDS",
    "DEMAND_FIELDS",
    "LANGUAGE_FIELDS",
    "M_KIND_DECLARED_ABSENT",
    "M_PARENT_COUNTRY",
    "M_UNKNOWN_AUTHORITY",
    "M_UNKNOWN_FIELD",
    "SET_FIELDS",
    "SOURCE_FIELDS",
    "Context",
    "authority_from_entry",
    "check_authority",
    "check_demand",
    "demand_from_entry",
    "read_authority",
    "read_country",
    "read_demand",
    "read_demand_set",
    "read_language",
    "read_source",
]

# -- groups' own entries -----------------------------------------------------------------------


def _by_field(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.top_field, []).append(problem)
    return grouped


def check_authority(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> dict[str, list[Problem]]:
    """Check a group's own authority; return its problems by top-level field (empty: fine).

    ``data`` has the shape of a catalogue entry. Required: ``name``, ``country``, ``kind``, and
    ``addressee`` with ``salutation`` in at least one language, each either a table by language
    (``{"ru": "Главному врачу …"}``) or a plain string with ``language`` saying which.
    ``taken`` lists slugs already in use. A problem with no field is keyed by ``""``.
    """
    _, problems = read_authority(data, Context.for_catalogue(catalogue), taken=taken)
    return _by_field(problems)


def authority_from_entry(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> Authority:
    """Build an ``Authority`` from a group's entry; raise ``CatalogueError`` if it is invalid."""
    authority, problems = read_authority(data, Context.for_catalogue(catalogue), taken=taken)
    if authority is None:
        raise CatalogueError(problems)
    return authority


def check_demand(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> dict[str, list[Problem]]:
    """Check a group's own demand; return its problems by top-level field (empty: fine).

    Required: ``title`` and ``text`` in at least one language (tables by language, or plain
    strings with ``language``). Sources may cite catalogue sources (``ref``) or give a ``name``.
    """
    _, problems = read_demand(data, Context.for_catalogue(catalogue), taken=taken)
    return _by_field(problems)


def demand_from_entry(
    data: Mapping[str, Any], catalogue: Catalogue, *, taken: Collection[str] = ()
) -> Demand:
    """Build a ``Demand`` from a group's entry; raise ``CatalogueError`` if it is invalid."""
    demand, problems = read_demand(data, Context.for_catalogue(catalogue), taken=taken)
    if demand is None:
        raise CatalogueError(problems)
    return demand
