"""The fixed vocabularies of the catalogue: kinds of authority, country and contact, and labels.

Labels are shown to users, so they are marked with ``N_()``; the web layer translates them with
``gettext(label)``. The keys are data: they appear in the TOML files and in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from letterkit.markers import N_

#: Kinds of authority, in the order a list of one country's authorities is shown.
AUTHORITY_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "head-of-state": N_("Head of state"),
        "government": N_("Government"),
        "parliament": N_("Parliament"),
        "ministry-health": N_("Ministry of health"),
        "ministry-interior": N_("Ministry of the interior"),
        "ministry-justice": N_("Ministry of justice"),
        "ministry-foreign-affairs": N_("Ministry of foreign affairs"),
        "prosecutor": N_("Prosecutor's office"),
        "ombudsperson": N_("Ombudsperson"),
        "drug-control": N_("Drug-control body"),
        "embassy": N_("Embassy"),
        "consulate": N_("Consulate"),
        "local-health": N_("Local health service"),
        "local-police": N_("Local police"),
        "mayor": N_("Mayor's office"),
        "court": N_("Court"),
        "other": N_("Other authority"),
    }
)

#: Kinds whose entries sit abroad: they need a ``host_country`` besides their ``country``.
MISSION_KINDS: frozenset[str] = frozenset({"embassy", "consulate"})

#: The national authorities every country with full coverage has (or declares absent, with a
#: reason, in ``countries.toml`` under ``absent_kinds``).
NATIONAL_KINDS: tuple[str, ...] = (
    "head-of-state",
    "government",
    "parliament",
    "ministry-health",
    "ministry-interior",
    "ministry-justice",
    "ministry-foreign-affairs",
    "prosecutor",
    "ombudsperson",
    "drug-control",
)

#: Kinds of addressee in ``countries.toml``: a state, or a body that is not one.
COUNTRY_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "country": N_("Country"),
        "supranational": N_("Supranational body"),
        "international": N_("International organisation"),
    }
)

#: Ways to reach an authority.
CONTACT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "post": N_("Postal address"),
        "email": N_("E-mail"),
        "portal": N_("Online portal"),
        "web": N_("Website"),
        "phone": N_("Telephone"),
        "fax": N_("Fax"),
    }
)

#: Kinds of source a demand may cite.
SOURCE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "organisation": N_("Organisation"),
        "document": N_("Document"),
        "law": N_("Law or regulation"),
        "campaign": N_("Campaign document"),
    }
)

#: The language the shipped catalogue and letter templates were first written in (the seeds'
#: English): their original wording, and the last fallback of a text missing in a language.
#: The languages every shipped entry must also have are data: ``catalogue_required = true`` in
#: ``data/languages.toml`` (``Context.required_languages``).
ORIGINAL_LANGUAGE: str = "en"

#: Shown next to anything not checked against a source.
UNVERIFIED: str = N_("unverified")

#: Shown when a text is not available in the language asked for (see ``Localized``).
FALLBACK_NOTICE: str = N_("Not available in {requested}; shown in {shown}.")


def kind_label(kind: str) -> str:
    """Return the untranslated label of an authority kind (the kind itself if unknown)."""
    return AUTHORITY_KINDS.get(kind, kind)
