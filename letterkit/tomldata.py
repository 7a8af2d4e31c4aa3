"""The one reader of letterkit's TOML data files: typed access, and one style of problem.

Every data file (the catalogue, ``rules.toml``, ``template.toml``, ``locales.toml``) is read
through :func:`load_toml` and :class:`Fields`. A :class:`Problem` names where it is (file, entry,
dotted field path) and what is wrong as an English template with parameters; templates a group
may read are marked with ``N_()``, so the web layer can translate first and format after:
``gettext(problem.message).format(**problem.param_dict)``.

:class:`Fields` either collects every problem (the catalogue reports them all at once) or, with
``fail_fast=True``, raises :class:`TomlDataError` at the first one (the rules, templates and
locales stop there). Each reader turns the problems into its own outward error type.

Pure: no Flask, no SQLAlchemy; every layer may import this module.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from letterkit.markers import N_
from letterkit.textchars import has_forbidden

# Length limits, in characters.
SLUG_MAX = 80
LINE_MAX = 300
ADDRESSEE_MAX = 600
TEXT_MAX = 4000
NOTE_MAX = 2000

# Messages. Those a group may see are marked for translation.
M_REQUIRED = N_("This is required.")
M_TEXT = N_("This must be text.")
M_BOOL = N_("This must be true or false.")
M_INTEGER = N_("This must be a whole number.")
M_TOO_SMALL = N_("This must be at least {minimum}.")
M_LIST = N_("This must be a list.")
M_TABLE = N_("This must be a table of fields.")
M_LANG_TABLE = N_("This must be a table of texts by language.")
M_DATE = N_("This must be a date (YYYY-MM-DD).")
M_TOO_LONG = N_("This is too long: at most {limit} characters.")
M_ONE_LINE = N_("This must fit on one line.")
M_BAD_CHARACTERS = N_("This contains characters that cannot be used in a letter.")
M_UNKNOWN_FIELD = N_("Unknown field.")
M_UNKNOWN_LANGUAGE = N_("Unknown language: {lang}.")
M_MISSING_LANGUAGE = N_("Missing the text in {lang}.")
M_NEED_ONE_LANGUAGE = N_("Give this in at least one language.")
M_PLAIN_NEEDS_LANGUAGE = N_("Say which language the texts are written in.")
M_LISTED_TWICE = N_("{value} is listed twice.")
M_EMPTY_LIST = N_("Give at least one.")
# Operator-facing: only data files shipped with letterkit can have these problems.
M_NOT_TOML = "not valid TOML: {error}"
M_NO_FILE = "missing data file"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field of one entry of one file."""

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

    @property
    def detail(self) -> str:
        """The field path and the English text, without file and entry (``kind: Unknown …``)."""
        return f"{self.field}: {self.text}" if self.field else self.text

    def located(self, file: str | None, entry: str | None) -> Problem:
        """Return the same problem placed in ``file`` and ``entry``."""
        return replace(self, file=file, entry=entry)

    def __str__(self) -> str:
        where = [part for part in (self.file, self.entry, self.field) if part]
        return ": ".join([*where, self.text])


class TomlDataError(Exception):
    """A data file is unreadable or invalid; ``problems`` lists what was found, each placed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))

    @property
    def first(self) -> Problem:
        """The first problem found."""
        return self.problems[0]


def parse_toml(data: bytes, file: str) -> dict[str, Any]:
    """Parse TOML bytes; a syntax or encoding error is a :class:`TomlDataError` naming ``file``."""
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TomlDataError([Problem(M_NOT_TOML, (("error", str(exc)),), file=file)]) from None


def load_toml(path: Path, file: str | None = None) -> dict[str, Any]:
    """Read and parse the TOML file at ``path``, named ``file`` in problems (default: the path)."""
    label = file if file is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise TomlDataError([Problem(M_NO_FILE, file=label)]) from None
    return parse_toml(data, label)


class Fields:
    """Typed access to the fields of one TOML table, recording problems with their field paths.

    ``allowed`` (when given) names the keys the table may have; others are problems. A nested
    table is read with :meth:`sub`, whose problems carry the prefix and go to the parent too.
    """

    def __init__(
        self,
        raw: object,
        allowed: Collection[str] | None = None,
        *,
        file: str | None = None,
        entry: str | None = None,
        prefix: str = "",
        parent: Fields | None = None,
        fail_fast: bool = False,
    ) -> None:
        self.file = file
        self.entry = entry
        self.prefix = prefix
        self.parent = parent
        self.fail_fast = fail_fast
        self.problems: list[Problem] = []
        if isinstance(raw, Mapping):
            self.raw: Mapping[str, Any] = raw
        else:
            self.raw = {}
            self.add(None, M_TABLE)
        if allowed is not None:
            for key in self.raw:
                if key not in allowed:
                    self.add(str(key), M_UNKNOWN_FIELD)

    # -- problems -----------------------------------------------------------------------------

    def path(self, key: str | None) -> str | None:
        """The full dotted path of ``key`` in this table (the table itself for None)."""
        if not self.prefix:
            return key
        return f"{self.prefix}.{key}" if key else self.prefix

    def problem(self, key: str | None, message: str, **params: object) -> Problem:
        """A problem with the field ``key``, placed in this reader's file and entry."""
        problem = Problem.of(self.path(key), message, **params)
        if self.file is not None or self.entry is not None:
            problem = problem.located(self.file, self.entry)
        return problem

    def error(self, key: str | None, message: str, **params: object) -> TomlDataError:
        """A problem with the field ``key`` as an error to raise at once."""
        return TomlDataError([self.problem(key, message, **params)])

    def add(self, key: str | None, message: str, **params: object) -> None:
        """Record a problem with the field ``key`` (raised at once when failing fast)."""
        if self.fail_fast:
            raise self.error(key, message, **params)
        self._record(self.problem(key, message, **params))

    def _record(self, problem: Problem) -> None:
        self.problems.append(problem)
        if self.parent is not None:
            self.parent._record(problem)

    def reported(self, path: str) -> bool:
        """True if a problem was already recorded for the full field path ``path``."""
        return any(problem.field == path for problem in self.problems)

    def sub(self, key: str, raw: object, allowed: Collection[str] | None = None) -> Fields:
        """Return the reader of a nested table found at ``key`` (a path relative to this one)."""
        return Fields(
            raw,
            allowed,
            file=self.file,
            entry=self.entry,
            prefix=self.path(key) or "",
            parent=self,
            fail_fast=self.fail_fast,
        )

    # -- scalars ------------------------------------------------------------------------------

    def has(self, key: str) -> bool:
        """Tell whether the table sets ``key`` at all."""
        return key in self.raw

    def get(self, key: str) -> Any:
        """The raw value of ``key``, None for a blank string or when absent."""
        value = self.raw.get(key)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def check_string(self, key: str, value: str, limit: int, multiline: bool) -> None:
        """Record the problems of a string: forbidden characters, line breaks, length."""
        if has_forbidden(value):
            self.add(key, M_BAD_CHARACTERS)
        elif not multiline and ("\n" in value or "\r" in value or "\t" in value):
            self.add(key, M_ONE_LINE)
        if len(value) > limit:
            self.add(key, M_TOO_LONG, limit=limit)

    def text(
        self, key: str, *, required: bool = False, limit: int = LINE_MAX, multiline: bool = False
    ) -> str | None:
        """Read a string (stripped); None when absent, blank or wrong."""
        value = self.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
            return None
        if not isinstance(value, str):
            self.add(key, M_TEXT)
            return None
        before = len(self.problems)
        value = value.strip()
        self.check_string(key, value, limit, multiline)
        return value if len(self.problems) == before else None

    def flag(self, key: str, *, required: bool = False, default: bool = False) -> bool | None:
        """Read a boolean; ``default`` when absent, None when wrong."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
                return None
            return default
        if not isinstance(value, bool):
            self.add(key, M_BOOL)
            return None
        return value

    def integer(
        self, key: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        """Read a whole number (not a boolean, not a float), at least ``minimum`` if given."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key, M_INTEGER)
            return None
        if minimum is not None and value < minimum:
            self.add(key, M_TOO_SMALL, minimum=minimum)
            return None
        return value

    def number(
        self, key: str, *, required: bool = False, minimum: float | None = None
    ) -> float | None:
        """Read a number (whole or decimal, not a boolean) as a float."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(key, M_INTEGER)
            return None
        if minimum is not None and value < minimum:
            self.add(key, M_TOO_SMALL, minimum=minimum)
            return None
        return float(value)

    def day(self, key: str, *, allow_text: bool = True) -> date | None:
        """Read a date: a TOML date, or (``allow_text``) a ``YYYY-MM-DD`` string; not a datetime."""
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and allow_text:
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(key, M_DATE)
        return None

    # -- collections --------------------------------------------------------------------------

    def strings(
        self, key: str, *, required: bool = False, limit: int = LINE_MAX
    ) -> list[str] | None:
        """Read a list of one-line strings (stripped); duplicates are problems."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
                return None
            return []
        if not isinstance(value, list):
            self.add(key, M_LIST)
            return None
        before = len(self.problems)
        seen: set[str] = set()
        out: list[str] = []
        for index, item in enumerate(value):
            path = f"{key}.{index}"
            if not isinstance(item, str) or not item.strip():
                self.add(path, M_TEXT)
                continue
            item = item.strip()
            self.check_string(path, item, limit, False)
            if item in seen:
                self.add(path, M_LISTED_TWICE, value=item)
            seen.add(item)
            out.append(item)
        if required and not out and len(self.problems) == before:
            self.add(key, M_EMPTY_LIST)
        return out if len(self.problems) == before else None

    def table(self, key: str, *, required: bool = False) -> Mapping[str, Any] | None:
        """Read a nested table as a raw mapping (see :meth:`sub` to read its fields)."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.add(key, M_REQUIRED)
            return None
        if not isinstance(value, Mapping):
            self.add(key, M_TABLE)
            return None
        return value

    def tables(self, key: str) -> list[tuple[str, Mapping[str, Any]]] | None:
        """Read an array of tables as ``(path, raw table)`` pairs; absent is an empty list."""
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, M_LIST)
            return None
        out = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.add(f"{key}.{index}", M_TABLE)
                continue
            out.append((f"{key}.{index}", item))
        return out

    def texts(
        self,
        key: str,
        known: Collection[str],
        *,
        required: Iterable[str] = (),
        at_least_one: bool = True,
        limit: int = LINE_MAX,
        multiline: bool = False,
        plain: bool = False,
        plain_language: str | None = None,
    ) -> dict[str, str] | None:
        """Read a table of texts by language (``{en = "…", ru = "…"}``) in ``known`` languages.

        With ``plain``, a plain string is accepted as the text in ``plain_language`` (which the
        entry's ``language`` field must then give).
        """
        value = self.raw.get(key)
        if isinstance(value, str) and not value.strip():
            value = None
        needed = list(required)
        if value is None:
            if at_least_one or needed:
                self.add(key, M_REQUIRED)
            return None if (at_least_one or needed) else {}
        if isinstance(value, str) and plain:
            if plain_language is None:
                if not self.reported(self.path("language") or "language"):
                    self.add("language", M_PLAIN_NEEDS_LANGUAGE)
                return None
            value = {plain_language: value}
        if not isinstance(value, Mapping):
            self.add(key, M_LANG_TABLE)
            return None
        return self._texts(key, value, known, needed, at_least_one, limit, multiline)

    def _texts(
        self,
        key: str,
        value: Mapping[str, Any],
        known: Collection[str],
        needed: list[str],
        at_least_one: bool,
        limit: int,
        multiline: bool,
    ) -> dict[str, str] | None:
        before = len(self.problems)
        out: dict[str, str] = {}
        reported: set[str] = set()
        for lang, text in value.items():
            path = f"{key}.{lang}"
            if lang not in known:
                self.add(path, M_UNKNOWN_LANGUAGE, lang=lang)
                reported.add(lang)
                continue
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            if not isinstance(text, str):
                self.add(path, M_TEXT)
                reported.add(lang)
                continue
            text = text.strip()
            checked = len(self.problems)
            self.check_string(path, text, limit, multiline)
            if len(self.problems) != checked:
                reported.add(lang)
            out[lang] = text
        for lang in needed:
            if lang not in out and lang not in reported:
                self.add(f"{key}.{lang}", M_MISSING_LANGUAGE, lang=lang)
        if at_least_one and not out and not reported:
            self.add(key, M_NEED_ONE_LANGUAGE)
        return out if len(self.problems) == before else None


_T = TypeVar("_T")


def got(value: _T | None) -> _T:
    """The value of a required read: a fail-fast reader has raised if there was none."""
    assert value is not None
    return value


# -- review status of a text in each language --------------------------------------------------

#: ``original``: the wording as first written (the seeds' English), not a translation;
#: ``draft``: not yet reviewed by a native speaker (the default of every other text);
#: ``reviewed``: reviewed by a native speaker on a date (``reviewed_on``; ``reviewer`` optional).
REVIEW_STATUSES = ("original", "draft", "reviewed")
M_REVIEW_STATUS = N_(
    'Give "original", "draft", or a table with reviewed_on (a date) and optionally reviewer.'
)
M_REVIEW_FUTURE = N_("A review cannot be dated in the future.")


@dataclass(frozen=True, slots=True)
class Review:
    """The review status of one text in one language."""

    status: str = "draft"
    reviewed_on: date | None = None
    reviewer: str | None = None

    @property
    def is_reviewed(self) -> bool:
        """True for the original wording and for a text a native speaker reviewed."""
        return self.status != "draft"


DRAFT = Review()


def read_reviews(
    f: Fields, key: str, known: Collection[str], *, today: date | None = None
) -> dict[str, Review] | None:
    """Read a table of review statuses by language: ``{ en = "original", ro = "draft",
    lt = { reviewed_on = 2027-01-10, reviewer = "…" } }``. Absent: ``{}`` (every text a draft)."""
    table = f.table(key)
    if table is None:
        return None if f.reported(f.path(key) or key) else {}
    sub = f.sub(key, table)
    out: dict[str, Review] = {}
    for lang, value in table.items():
        if lang not in known:
            sub.add(lang, M_UNKNOWN_LANGUAGE, lang=lang)
            continue
        review = _review(sub, lang, value, today)
        if review is not None:
            out[lang] = review
    return out if not sub.problems else None


def read_review(f: Fields, key: str, *, today: date | None = None) -> Review | None:
    """Read one review status: ``"original"``, ``"draft"`` or ``{ reviewed_on = …, reviewer =
    "…" }``. Absent: a draft. None when it is wrong (the problem is recorded)."""
    if not f.has(key):
        return DRAFT
    return _review(f, key, f.raw[key], today)


def _review(f: Fields, key: str, value: object, today: date | None) -> Review | None:
    """The review status ``value`` found at ``key`` of ``f``; None (and a problem) if wrong."""
    if isinstance(value, str) and value in ("original", "draft"):
        return Review(value)
    if not isinstance(value, Mapping):
        f.add(key, M_REVIEW_STATUS)
        return None
    review = f.sub(key, value, ("reviewed_on", "reviewer"))
    day = review.day("reviewed_on", allow_text=False)
    if day is None and not review.reported(review.path("reviewed_on") or ""):
        review.add("reviewed_on", M_REQUIRED)
    elif day is not None and day > (today or date.today()):
        review.add("reviewed_on", M_REVIEW_FUTURE)
    reviewer = review.text("reviewer", limit=200)
    if day is None or review.problems:
        return None
    return Review("reviewed", day, reviewer)
