"""Errors raised by the deadline engine.

Every error a user may read carries an English template marked with ``N_()`` and its parameters,
so the web layer can translate first and format after:
``gettext(error.template).format(**error.params)``. ``str(error)`` is the English text.
"""

from __future__ import annotations

from letterkit.markers import N_
from letterkit.tomldata import Problem


class DeadlineError(Exception):
    """Base class for every error of the deadline engine."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template.format(**params))


class RuleFileError(DeadlineError):
    """The rules data file is malformed; the message names the file and the rule."""

    def __init__(self, path: str, rule_id: str | None, problem: str) -> None:
        where = f"rule {rule_id!r}" if rule_id else "top level"
        # Operator-facing (a broken data file), so not marked for translation.
        super().__init__("{path}: {where}: {problem}", path=path, where=where, problem=problem)
        self.path = path
        self.rule_id = rule_id
        self.problem = problem

    @classmethod
    def from_problem(cls, problem: Problem) -> RuleFileError:
        """The error for a problem the TOML reader found (file, rule, field path and text)."""
        return cls(problem.file or "", problem.entry, problem.detail)


class UnknownCountryError(DeadlineError):
    """No rules exist for the country code asked for."""

    def __init__(self, country: object) -> None:
        super().__init__(N_("Unknown country for reply deadlines: {country}"), country=country)
        self.country = country


class UnknownKindError(DeadlineError):
    """The kind of authority or proceeding is not one the rules know."""

    def __init__(self, kind: object) -> None:
        super().__init__(N_("Unknown kind of authority or proceeding: {kind}"), kind=kind)
        self.kind = kind


class NoRuleInForceError(DeadlineError):
    """The country is known, but no rule was in force on the day asked for."""

    def __init__(self, country: str, on: object) -> None:
        super().__init__(
            N_("No reply-deadline rule for {country} was in force on {day}"),
            country=country,
            day=on,
        )


class UnknownVariantError(DeadlineError):
    """The rule has no alternative term with the code asked for."""

    def __init__(self, rule_id: str, variant: object, known: str) -> None:
        super().__init__(
            N_("Rule {rule} has no alternative term {variant} (known: {known})"),
            rule=rule_id,
            variant=variant,
            known=known,
        )


class InvalidSubdivisionError(DeadlineError):
    """The subdivision is not one the holiday calendar of the country knows."""

    def __init__(self, country: str, subdiv: object, known: str) -> None:
        super().__init__(
            N_("Unknown subdivision {subdiv} for {country} (known: {known})"),
            country=country,
            subdiv=subdiv,
            known=known,
        )


class InvalidInputError(DeadlineError):
    """A date or number given to the engine is unusable."""


class TargetNotAllowedError(DeadlineError):
    """A coordinator target was asked for where the law sets a term."""

    def __init__(self, country: str, rule_id: str) -> None:
        super().__init__(
            N_(
                "The law sets a reply term for {country} (rule {rule}); a coordinator target "
                "is only for cases without a statutory term"
            ),
            country=country,
            rule=rule_id,
        )


class ExtensionError(DeadlineError):
    """An extension cannot be applied as asked."""
