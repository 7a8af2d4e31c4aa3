"""Problems found in catalogue data, and the errors that carry them.

A ``Problem`` names where it is (file, entry, field) and what is wrong as an English template
with parameters. Templates users may read are marked with ``N_()``, so the web layer can translate
first and format after: ``gettext(problem.message).format(**problem.params)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field of one entry."""

    message: str
    params: tuple[tuple[str, str], ...] = ()
    field: str | None = None
    entry: str | None = None
    file: str | None = None

    @classmethod
    def of(cls, field: str | None, message: str, **params: object) -> Problem:
        """Build a problem for ``field`` with the template ``message`` and its parameters."""
        return cls(message, tuple((k, str(v)) for k, v in params.items()), field)

    @property
    def param_dict(self) -> Mapping[str, str]:
        """The parameters as a mapping, for ``gettext(message).format(**param_dict)``."""
        return dict(self.params)

    @property
    def text(self) -> str:
        """The message in English, formatted."""
        return self.message.format(**self.param_dict)

    @property
    def top_field(self) -> str:
        """The top-level field the problem belongs to (``addressee`` for ``addressee.ru``)."""
        return (self.field or "").split(".", 1)[0]

    def located(self, file: str | None, entry: str | None) -> Problem:
        """Return the same problem placed in ``file`` and ``entry``."""
        return replace(self, file=file, entry=entry)

    def __str__(self) -> str:
        where = [part for part in (self.file, self.entry, self.field) if part]
        return ": ".join([*where, self.text])


class CatalogueError(Exception):
    """Catalogue data is invalid; ``problems`` lists every problem found, each with its place."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the catalogue data"
        return "\n  - ".join([head + ":", *map(str, self.problems)])

    def __str__(self) -> str:
        return self._summary()


class NotInCatalogue(KeyError):
    """A lookup by slug or code found nothing."""

    def __init__(self, what: str, key: object) -> None:
        self.what = what
        self.key = key
        super().__init__(f"no {what} {key!r} in the catalogue")

    def __str__(self) -> str:
        return str(self.args[0])
