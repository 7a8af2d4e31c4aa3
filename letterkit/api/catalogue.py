"""The catalogue through the API: countries, authorities, demands and demand sets, shipped and
the group's own (the group's edits replace shipped entries, as on the pages)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from flask_babel import get_locale
from pydantic import Field

from letterkit.catalogue import Authority, Catalogue, Demand, DemandSet
from letterkit.models import Group
from letterkit.services.catalogue import group_catalogue

from . import pagination
from .base import bp, operation
from .problems import problem
from .schemas import Cursor, Limit, Out, Query, optional_query

T = TypeVar("T")
TAGS = ("catalogue",)


def interface_language() -> str:
    return str(get_locale() or "en")


def page_by_slug(
    kind: str,
    group: Group,
    items: Sequence[T],
    slug: Callable[[T], str],
    limit: int,
    cursor: str | None,
) -> tuple[list[T], str | None]:
    """One page of a list sorted by slug, and the cursor of the next page."""
    after = pagination.decode(cursor, kind, group.id)
    ordered = sorted(items, key=slug)
    if after:
        ordered = [item for item in ordered if slug(item) > str(after[0])]
    page = ordered[:limit]
    more = len(ordered) > limit
    return page, pagination.encode(kind, group.id, [slug(page[-1])]) if more and page else None


class CountryOut(Out):
    code: str
    name: str
    kind: str
    official_languages: list[str]
    letter_language: str = Field(description="The language letters to this country use by default.")


class CountryList(Out):
    items: list[CountryOut]


class ContactOut(Out):
    kind: str = Field(description="`post`, `email`, `portal` … as the catalogue names them.")
    value: str
    verified: bool = Field(description="False: taken from a source not yet checked; check first.")
    source: str | None


class AuthorityOut(Out):
    slug: str
    country: str
    kind: str
    name: str = Field(description="In the requester's language where the catalogue has it.")
    official_name: str = Field(description="In the authority's letter language.")
    addressee: str = Field(description="The addressee line in the letter language.")
    letter_language: str
    city: str | None
    host_country: str | None = Field(description="For an embassy: the country it is in.")
    verified: bool
    origin: str = Field(description="`shipped` or `group` (the group's own or edited entry).")
    contacts: list[ContactOut] = Field(description="Postal address, e-mail, portal … if known.")


class AuthorityList(Out):
    items: list[AuthorityOut]
    next_cursor: str | None


CountryFilter = optional_query({"type": "string", "pattern": "^[A-Z]{2}$"}, pattern=r"^[A-Z]{2}$")
KindFilter = optional_query(
    {"type": "string", "maxLength": 40, "pattern": "^[a-z_]+$"}, max_length=40, pattern=r"^[a-z_]+$"
)


class AuthorityQuery(Query):
    country: CountryFilter
    kind: KindFilter
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


class PageQuery(Query):
    limit: Limit = pagination.DEFAULT_LIMIT
    cursor: Cursor


class DemandOut(Out):
    slug: str
    titles: dict[str, str] = Field(description="Title by language code.")
    texts: dict[str, str] = Field(description="Text by language code.")
    tags: list[str]
    origin: str


class DemandList(Out):
    items: list[DemandOut]
    next_cursor: str | None


class DemandSetOut(Out):
    slug: str
    titles: dict[str, str]
    demands: list[str] = Field(description="Slugs of the demands, in order.")
    country: str | None


class DemandSetList(Out):
    items: list[DemandSetOut]
    next_cursor: str | None


def country_out(catalogue: Catalogue, code: str, lang: str) -> CountryOut:
    country = catalogue.country(code)
    return CountryOut(
        code=country.code,
        name=str(country.name(lang)),
        kind=country.kind,
        official_languages=list(country.official_languages),
        letter_language=country.letter_language,
    )


def authority_out(authority: Authority, lang: str) -> AuthorityOut:
    assert authority.slug is not None
    return AuthorityOut(
        slug=authority.slug,
        country=authority.country,
        kind=authority.kind,
        name=str(authority.name(lang)),
        official_name=str(authority.name(authority.letter_language)),
        addressee=str(authority.addressee(authority.letter_language)),
        letter_language=authority.letter_language,
        city=authority.city,
        host_country=authority.host_country,
        verified=authority.verified,
        origin=authority.origin,
        contacts=[
            ContactOut(kind=c.kind, value=c.value, verified=c.verified, source=c.source)
            for c in authority.contacts
        ],
    )


def demand_out(demand: Demand) -> DemandOut:
    assert demand.slug is not None
    return DemandOut(
        slug=demand.slug,
        titles=demand.titles.as_dict(),
        texts=demand.texts.as_dict(),
        tags=list(demand.tags),
        origin=demand.origin,
    )


def demand_set_out(demand_set: DemandSet) -> DemandSetOut:
    return DemandSetOut(
        slug=demand_set.slug,
        titles=demand_set.titles.as_dict(),
        demands=list(demand_set.slugs),
        country=demand_set.country,
    )


@bp.get("/countries")
@operation(tags=TAGS, responses={200: CountryList})
def list_countries(group: Group) -> CountryList:
    """Countries

    Every country of the catalogue, with the languages its letters may use."""
    catalogue = group_catalogue(group.id)
    lang = interface_language()
    return CountryList(
        items=[country_out(catalogue, code, lang) for code in sorted(catalogue.countries)]
    )


@bp.get("/authorities")
@operation(tags=TAGS, responses={200: AuthorityList}, query=AuthorityQuery)
def list_authorities(group: Group, query: AuthorityQuery) -> AuthorityList:
    """Authorities

    The shipped authorities and the group's own, filtered by country and kind."""
    catalogue = group_catalogue(group.id)
    found: list[Authority] = [
        a
        for a in catalogue.authorities.values()
        if (query.country is None or a.country == query.country)
        and (query.kind is None or a.kind == query.kind)
    ]
    page, next_cursor = page_by_slug(
        "authorities", group, found, lambda a: a.slug or "", query.limit, query.cursor
    )
    lang = interface_language()
    return AuthorityList(items=[authority_out(a, lang) for a in page], next_cursor=next_cursor)


@bp.get("/authorities/<slug>")
@operation(tags=TAGS, responses={200: AuthorityOut}, errors=(404,))
def get_authority(group: Group, slug: str) -> AuthorityOut:
    """One authority"""
    catalogue = group_catalogue(group.id)
    if slug not in catalogue.authorities:
        problem(404)
    return authority_out(catalogue.authorities[slug], interface_language())


@bp.get("/demands")
@operation(tags=TAGS, responses={200: DemandList}, query=PageQuery)
def list_demands(group: Group, query: PageQuery) -> DemandList:
    """Demands

    Every demand with its title and text in each language it has."""
    catalogue = group_catalogue(group.id)
    page, next_cursor = page_by_slug(
        "demands",
        group,
        list(catalogue.demands.values()),
        lambda d: d.slug or "",
        query.limit,
        query.cursor,
    )
    return DemandList(items=[demand_out(d) for d in page], next_cursor=next_cursor)


@bp.get("/demand-sets")
@operation(tags=TAGS, responses={200: DemandSetList}, query=PageQuery)
def list_demand_sets(group: Group, query: PageQuery) -> DemandSetList:
    """Demand sets

    Demands grouped as campaigns used them (the 2011 INPUD demands …) and the group's own sets."""
    catalogue = group_catalogue(group.id)
    page, next_cursor = page_by_slug(
        "demand-sets",
        group,
        list(catalogue.demand_sets.values()),
        lambda s: s.slug,
        query.limit,
        query.cursor,
    )
    return DemandSetList(items=[demand_set_out(s) for s in page], next_cursor=next_cursor)
