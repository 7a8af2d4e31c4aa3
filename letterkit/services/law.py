"""The law a letter cites, taken from the reply-deadline rule of the addressee's state.

One place for every feature (compose, campaigns, follow-ups, the CLI, the seed campaigns): for
an authority (an embassy: the *sending* state, ``Authority.country``) and a letter date, the
rule in force gives the law and article as a letter in that language cites them (``citation``
in ``rules.toml``; the rule's own text where it has none for the language). A rule without a
statutory term (no term, term unknown, guidance only) gives no law: the letter makes no legal
claim. Where the reference leaves the claim unverified (the article number, the term, whom the
law covers, or whether the law binds a mission abroad), the letter words it as the group's own
reading: the ``law_hedge`` field carries the words for that in the letter's language, from
``letter_templates/wording.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from letterkit import deadlines, documents
from letterkit.catalogue import Authority
from letterkit.deadlines.rules import Citation
from letterkit.tomldata import load_toml

LAW_FIELD = "law"
HEDGE_FIELD = "law_hedge"
#: Fields the law fills; a template's sample values for them are never used for a real letter.
LAW_FIELDS = frozenset({LAW_FIELD, HEDGE_FIELD})
#: Unverified parts of a rule that make "the law sets a time limit for this letter" a reading.
CLAIM_FIELDS = frozenset({"article", "term", "scope"})
#: Unverified parts that make a follow-up's "the reply was due by …" a reckoning.
DUE_FIELDS = CLAIM_FIELDS


@dataclass(frozen=True)
class CitedLaw:
    """What a letter cites: ``text`` ("" = no legal claim) and whether it is a reading only."""

    text: str
    unverified: bool
    rule_id: str | None


NO_LAW = CitedLaw("", False, None)


@lru_cache(maxsize=1)
def _wording() -> Mapping[str, Mapping[str, str]]:
    """``letter_templates/wording.toml``: the hedges per letter language."""
    path = documents.default_library().root / "wording.toml"
    data: dict[str, Any] = load_toml(path, "letter_templates/wording.toml")
    return {key: dict(value) for key, value in data.items() if isinstance(value, dict)}


def hedge(kind: str, language: str) -> str:
    """The words of ``kind`` (``reading`` in a letter, ``reckoning`` in a follow-up) in
    ``language``, English where the language has none."""
    words = _wording().get(kind, {})
    return words.get(language) or words.get("en") or ""


def citation_text(citation: Citation) -> str:
    """The law and article as one line: «Закон … , ст. 17»."""
    return f"{citation.law}, {citation.article}" if citation.article else citation.law


def rule_for(authority: Authority, on: date) -> deadlines.Rule | None:
    """The rule of the authority's (sending) state in force on ``on``; None if there is none."""
    try:
        return deadlines.load_rules().rule_for(authority.country, None, on)
    except deadlines.DeadlineError:
        return None


def cited_law(authority: Authority, language: str, on: date) -> CitedLaw:
    """The law a letter in ``language`` to ``authority`` dated ``on`` cites, if any."""
    rule = rule_for(authority, on)
    if rule is None or rule.status is not deadlines.Status.STATUTORY:
        return CitedLaw("", False, rule.id if rule else None)
    unverified = bool(CLAIM_FIELDS & rule.unverified_fields()) or authority.is_mission
    return CitedLaw(citation_text(rule.citation(language)), unverified, rule.id)


def law_fields(authority: Authority, language: str, on: date) -> dict[str, str]:
    """The ``law`` and ``law_hedge`` fields of a letter from the rule."""
    cited = cited_law(authority, language, on)
    return {
        LAW_FIELD: cited.text,
        HEDGE_FIELD: hedge("reading", language) if cited.text and cited.unverified else "",
    }


def with_law(
    spec: documents.TemplateSpec,
    fields: Mapping[str, Any],
    authority: Authority,
    language: str,
    on: date,
) -> dict[str, Any]:
    """``fields`` with an empty ``law`` filled from the rule (a law the user typed is kept,
    with the hedge the user left); only for templates that declare a ``law`` field."""
    out = dict(fields)
    names = {f.name for f in spec.fields}
    if LAW_FIELD not in names or str(out.get(LAW_FIELD) or "").strip():
        return out
    filled = law_fields(authority, language, on)
    out[LAW_FIELD] = filled[LAW_FIELD]
    if HEDGE_FIELD in names:
        out[HEDGE_FIELD] = filled[HEDGE_FIELD]
    return out


def due_is_reckoning(explanation: Mapping[str, Any], *, to_mission: bool) -> bool:
    """Whether a stored due date (``DueResult.to_dict()``) is only the group's reckoning: the
    rule's article, term or scope is unverified, the end day is a day off whose roll-forward
    is unverified, or the letter went to a mission abroad (whether the sending state's law
    binds it is unverified)."""
    rule = explanation.get("rule") or {}
    fields = {str(u.get("field")) for u in rule.get("unverified") or [] if isinstance(u, dict)}
    if to_mission or DUE_FIELDS & fields:
        return True
    return bool(explanation.get("end_on_non_working_day")) and "end_day" in fields


def reckoning_hedge(explanation: Mapping[str, Any], language: str, *, to_mission: bool) -> str:
    """The follow-up's ``law_hedge``: «по нашему расчёту» where the due date is a reckoning."""
    return (
        hedge("reckoning", language) if due_is_reckoning(explanation, to_mission=to_mission) else ""
    )
