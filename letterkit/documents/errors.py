"""Errors raised by the documents layer.

Every error carries an untranslated message (marked with ``N_``) and its parameters, so the web
layer can translate first and format after: ``_(err.message).format(**err.params)``.
``str(err)`` gives the English text for logs and tests.
"""

from __future__ import annotations

import re
from typing import Any

from letterkit.markers import N_
from letterkit.tomldata import M_NOT_TOML, Problem

#: where a TOML syntax error says it is ("… (at line 2, column 7)")
_TOML_LINE = re.compile(r"\bline (\d+)")


class DocumentError(Exception):
    """Base class: a message template (translatable) and the values to format it with."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(self.__str__())

    def __str__(self) -> str:
        try:
            return self.message.format(**self.params)
        except (KeyError, IndexError, ValueError):  # a malformed template must not hide the error
            return f"{self.message} {self.params!r}"


class LetterValidationError(DocumentError, ValueError):
    """Input that cannot become a letter: too long, wrong type, missing required field."""

    def __init__(self, message: str, *, field: str = "", **params: Any) -> None:
        self.field = field
        super().__init__(message, field=field, **params)


class TemplateError(DocumentError):
    """A letter template failed to load or render; names the template, language file and line."""

    def __init__(
        self,
        detail: str,
        *,
        slug: str,
        filename: str,
        lineno: int | None = None,
    ) -> None:
        self.slug = slug
        self.filename = filename
        self.lineno = lineno
        self.detail = detail
        if lineno is None:
            message = N_("Template {slug}/{filename}: {detail}")
        else:
            message = N_("Template {slug}/{filename}, line {lineno}: {detail}")
        super().__init__(message, slug=slug, filename=filename, lineno=lineno, detail=detail)

    @classmethod
    def from_problem(cls, problem: Problem, *, slug: str, filename: str) -> TemplateError:
        """The error for a problem the TOML reader found in ``filename`` of template ``slug``.

        The detail is the field path and the text (``kind: must be one of …``); a TOML syntax
        error also gives the line.
        """
        line = None
        if problem.message == M_NOT_TOML:
            line = _TOML_LINE.search(problem.param_dict.get("error", ""))
        lineno = int(line.group(1)) if line else None
        return cls(problem.detail, slug=slug, filename=filename, lineno=lineno)


class LetterheadError(DocumentError, ValueError):
    """An uploaded letterhead is refused (not a .docx, macro-enabled, too large, ...)."""


class PdfUnavailable(DocumentError, RuntimeError):
    """PDF output needs LibreOffice (``soffice``), which is not installed or failed."""
