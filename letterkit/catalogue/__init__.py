"""The catalogue: countries, authorities, demands and demand sets letters are built from.

Pure Python (no Flask, no SQLAlchemy). The shipped data lives in ``data/`` as TOML (its layout
and fields are described in ``data/README.md``); ``get_catalogue()`` loads and validates it once
per process. Groups' own authorities and demands are checked with the same rules through
``check_authority`` / ``check_demand`` and built with ``authority_from_entry`` /
``demand_from_entry``.

    >>> catalogue = get_catalogue()
    >>> minzdrav = catalogue.authority("ru-minzdrav")
    >>> minzdrav.addressee("ru").text
    'Министру здравоохранения Российской Федерации'
    >>> [d.slug for d in catalogue.demand_set("inpud-2011-russia").demands][:1]
    ['inpud-2011-ost-nsp']
"""

from letterkit.catalogue.errors import CatalogueError, NotInCatalogue, Problem
from letterkit.catalogue.loader import DEFAULT_DATA_DIR, get_catalogue, load_catalogue
from letterkit.catalogue.model import (
    Authority,
    Catalogue,
    Citation,
    Contact,
    Country,
    Demand,
    DemandSet,
    Language,
    Localized,
    Origin,
    Source,
    Texts,
)
from letterkit.catalogue.validation import (
    authority_from_entry,
    check_authority,
    check_demand,
    demand_from_entry,
)
from letterkit.catalogue.vocabulary import (
    AUTHORITY_KINDS,
    CONTACT_KINDS,
    COUNTRY_KINDS,
    FALLBACK_NOTICE,
    MISSION_KINDS,
    NATIONAL_KINDS,
    ORIGINAL_LANGUAGE,
    SOURCE_KINDS,
    UNVERIFIED,
    kind_label,
)

__all__ = [
    "AUTHORITY_KINDS",
    "CONTACT_KINDS",
    "COUNTRY_KINDS",
    "DEFAULT_DATA_DIR",
    "FALLBACK_NOTICE",
    "MISSION_KINDS",
    "NATIONAL_KINDS",
    "ORIGINAL_LANGUAGE",
    "SOURCE_KINDS",
    "UNVERIFIED",
    "Authority",
    "Catalogue",
    "CatalogueError",
    "Citation",
    "Contact",
    "Country",
    "Demand",
    "DemandSet",
    "Language",
    "Localized",
    "NotInCatalogue",
    "Origin",
    "Problem",
    "Source",
    "Texts",
    "authority_from_entry",
    "check_authority",
    "check_demand",
    "demand_from_entry",
    "get_catalogue",
    "kind_label",
    "load_catalogue",
]
