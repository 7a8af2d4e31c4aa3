"""Reading the catalogue's demands and demand sets, and groups' own demands."""

from __future__ import annotations

from collections.abc import Collection

from letterkit.catalogue.entry_reader import (
    M_BAD_SLUG,
    M_CITATION,
    M_SET_DEMAND_LANGUAGE,
    M_TAKEN,
    M_UNKNOWN_DEMAND,
    M_UNKNOWN_SOURCE,
    SLUG_RE,
    Context,
    EntryReader,
    primary,
)
from letterkit.catalogue.model import Citation, Demand, DemandSet, Origin, Texts
from letterkit.catalogue.vocabulary import AUTHORITY_KINDS, ORIGINAL_LANGUAGE
from letterkit.tomldata import M_REQUIRED, NOTE_MAX, TEXT_MAX, Problem, read_reviews

# -- demands -----------------------------------------------------------------------------------

DEMAND_FIELDS = frozenset(
    {"slug", "title", "text", "rationale", "quote", "sources", "tags", "language", "review"}
)
CITATION_FIELDS = frozenset({"ref", "name", "note"})


def read_demand(
    raw: object, ctx: Context, *, taken: Collection[str] = ()
) -> tuple[Demand | None, list[Problem]]:
    """Read a ``[[demand]]`` entry, or a group's demand in the same shape."""
    r = EntryReader(raw, DEMAND_FIELDS, ctx)
    strict = ctx.strict
    slug = r.slug(required=strict)
    if slug is not None and slug in taken:
        r.add("slug", M_TAKEN, slug=slug)
    own = r.language("language")
    needed = ctx.required_languages if strict else ()
    titles = r.languages("title", required=needed, plain_language=own)
    texts = r.languages("text", required=needed, limit=TEXT_MAX, multiline=True, plain_language=own)
    rationales = r.languages(
        "rationale",
        required=(ORIGINAL_LANGUAGE,) if strict else (),
        at_least_one=strict,
        limit=TEXT_MAX,
        multiline=True,
        plain_language=own,
    )
    quote = r.text("quote", limit=TEXT_MAX, multiline=True)
    citations: list[Citation] = []
    entries = r.tables("sources")
    if entries is not None:
        for path, item in entries:
            sub = r.sub(path, item, CITATION_FIELDS)
            ref = sub.slug("ref", required=False)
            name = sub.text("name")
            note = sub.text("note", limit=NOTE_MAX, multiline=True)
            if ref is not None and ref not in ctx.sources and ref not in ctx.broken:
                sub.add("ref", M_UNKNOWN_SOURCE, slug=ref)
            if ref is None and name is None and not sub.problems:
                sub.add(None, M_CITATION)
            citations.append(Citation(ref, name, note))
        if strict and not entries:
            r.add("sources", M_REQUIRED)
    tags = r.strings("tags")
    reviews = read_reviews(r, "review", ctx.known_languages) or {}
    for index, tag in enumerate(tags or ()):
        if not SLUG_RE.match(tag):
            r.add(f"tags.{index}", M_BAD_SLUG)
    if r.problems or titles is None or texts is None or rationales is None or tags is None:
        return None, r.problems
    main = primary(own, (ORIGINAL_LANGUAGE,), texts)
    return (
        Demand(
            slug=slug,
            titles=Texts.of(titles, primary(own, (ORIGINAL_LANGUAGE,), titles)),
            texts=Texts.of(texts, main),
            rationales=Texts.of(rationales, primary(own, (ORIGINAL_LANGUAGE,), rationales))
            if rationales
            else None,
            quote=quote,
            citations=tuple(citations),
            tags=tuple(tags),
            origin="shipped" if strict else "group",
            reviews=tuple(reviews.items()),
        ),
        [],
    )


# -- demand sets -------------------------------------------------------------------------------

SET_FIELDS = frozenset(
    {
        "slug",
        "title",
        "description",
        "demands",
        "country",
        "target_kinds",
        "suggested_kinds",
        "origin",
    }
)
ORIGIN_FIELDS = frozenset({"seed", "document", "action", "place", "date", "explicit", "note"})


def read_demand_set(raw: object, ctx: Context) -> tuple[DemandSet | None, list[Problem]]:
    """Read a ``[[set]]`` entry: demands in order, their origin and target kinds."""
    r = EntryReader(raw, SET_FIELDS, ctx)
    slug = r.slug(required=True)
    titles = r.languages("title", required=ctx.required_languages if ctx.strict else ())
    descriptions = r.languages("description", at_least_one=False, limit=TEXT_MAX, multiline=True)
    country = r.country("country")
    slugs = r.strings("demands", required=True)
    demands: list[Demand] = []
    for index, demand_slug in enumerate(slugs or ()):
        demand = ctx.demands.get(demand_slug)
        if demand is None:
            if demand_slug not in ctx.broken:
                r.add(f"demands.{index}", M_UNKNOWN_DEMAND, slug=demand_slug)
            continue
        demands.append(demand)
    if ctx.strict and country is not None:
        lang = ctx.countries[country].letter_language
        for index, demand in enumerate(demands):
            if lang not in demand.texts:
                r.add(
                    f"demands.{index}",
                    M_SET_DEMAND_LANGUAGE,
                    slug=demand.slug,
                    lang=lang,
                    country=country,
                )
    targets = r.kinds("target_kinds", AUTHORITY_KINDS)
    suggested = r.kinds("suggested_kinds", AUTHORITY_KINDS)
    origin: Origin | None = None
    table = r.table("origin", required=ctx.strict)
    if table is not None:
        sub = r.sub("origin", table, ORIGIN_FIELDS)
        document = sub.text("document", required=True, limit=NOTE_MAX)
        action = sub.text("action", required=True, limit=NOTE_MAX)
        seed = sub.text("seed", limit=40)
        place = sub.text("place", limit=NOTE_MAX)
        day = sub.day("date")
        explicit = sub.flag("explicit", required=ctx.strict, default=True)
        note = sub.text("note", limit=NOTE_MAX, multiline=True)
        if not sub.problems and document and action and explicit is not None:
            origin = Origin(document, action, seed, place, day, explicit, note)
    if r.problems or None in (slug, titles, descriptions, slugs, targets, suggested):
        return None, r.problems
    assert slug and titles is not None and targets is not None and suggested is not None
    return (
        DemandSet(
            slug=slug,
            titles=Texts.of(titles, ORIGINAL_LANGUAGE),
            demands=tuple(demands),
            origin=origin or Origin(document="", action=""),
            descriptions=Texts.of(descriptions, ORIGINAL_LANGUAGE) if descriptions else None,
            country=country,
            target_kinds=tuple(targets),
            suggested_kinds=tuple(suggested),
        ),
        [],
    )
