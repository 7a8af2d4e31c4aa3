"""Problems found in catalogue data, and the errors that carry them.

``Problem`` is the one problem type of ``letterkit.tomldata``: it names where it is (file,
entry, field) and what is wrong as an English template with parameters. Templates users may read
are marked with ``N_()``, so the web layer can translate first and format after:
``gettext(problem.message).format(**problem.param_dict)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from letterkit.tomldata import Problem

__all__ = ["CatalogueError", "NotInCatalogue", "Problem"]


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
