"""The letter model: frozen dataclasses shared by the template renderer and the writers.

Input side (what the catalogue / database layer fills in): :class:`Sender`, :class:`Addressee`,
:class:`Signer`, :class:`DemandText`, :class:`Annex` and :class:`LetterContext`.
Output side: :class:`Letter`, the parts of one letter ready to be written as DOCX or HTML.

Every text field is cleaned on construction (see :mod:`letterkit.documents.text`): XML-illegal
characters are removed and oversized text is refused with a :class:`LetterValidationError`, so a
``Letter`` that exists can always be written.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from typing import Any

from letterkit.documents.errors import LetterValidationError
from letterkit.documents.locales import get_locale
from letterkit.documents.text import (
    MAX_ANNEX_COLUMNS,
    MAX_ANNEX_ROWS,
    MAX_DEMANDS,
    MAX_LETTER_CHARS,
    MAX_LINE,
    MAX_TEXT,
    MAX_TEXTAREA,
    clean_line,
    clean_lines,
    clean_text,
)
from letterkit.markers import N_

__all__ = [
    "Addressee",
    "Annex",
    "DemandText",
    "Letter",
    "LetterContext",
    "Sender",
    "Signer",
]

#: a letter kind as declared in template.toml, with a translatable name for the interface
KINDS: Mapping[str, str] = types.MappingProxyType(
    {
        "letter": N_("Letter"),
        "sign-on": N_("Sign-on letter"),
        "follow-up": N_("Follow-up letter"),
    }
)

MAX_REFERENCE = 100


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _required(value: str, field_name: str) -> str:
    if not value.strip():
        raise LetterValidationError(N_("{field} is required."), field=field_name)
    return value


@dataclass(frozen=True)
class Sender:
    """The organisation that writes: name, postal address lines, contact lines."""

    name: str
    address_lines: Sequence[str] = ()
    contacts: Sequence[str] = ()

    def __post_init__(self) -> None:
        _set(self, "name", _required(clean_line(self.name, field="sender.name"), "sender.name"))
        _set(self, "address_lines", clean_lines(self.address_lines, field="sender.address_lines"))
        _set(self, "contacts", clean_lines(self.contacts, field="sender.contacts"))


@dataclass(frozen=True)
class Addressee:
    """Who the letter is addressed to, as printed.

    ``line`` is the addressee line in the letter's language and grammatical case, e.g. the
    Russian dative «Министру здравоохранения Российской Федерации»; it may hold line breaks.
    ``name`` is the person (optional), ``address_lines`` the postal address, ``salutation`` the
    greeting stored for this authority («Уважаемый Михаил Альбертович!», "Dear Minister,").
    """

    line: str
    name: str = ""
    address_lines: Sequence[str] = ()
    salutation: str = ""

    def __post_init__(self) -> None:
        line = clean_text(self.line, field="addressee.line", limit=1_000).strip()
        line = "\n".join(" ".join(part.split()) for part in line.split("\n") if part.strip())
        _set(self, "line", _required(line, "addressee.line"))
        _set(self, "name", clean_line(self.name, field="addressee.name"))
        _set(
            self, "address_lines", clean_lines(self.address_lines, field="addressee.address_lines")
        )
        _set(self, "salutation", clean_line(self.salutation, field="addressee.salutation"))


@dataclass(frozen=True)
class Signer:
    """Who signs: name, position title, organisation."""

    name: str
    title: str = ""
    organisation: str = ""

    def __post_init__(self) -> None:
        _set(self, "name", _required(clean_line(self.name, field="signer.name"), "signer.name"))
        _set(self, "title", clean_line(self.title, field="signer.title"))
        _set(self, "organisation", clean_line(self.organisation, field="signer.organisation"))


@dataclass(frozen=True)
class DemandText:
    """One demand in the letter's language: a short title (for lists) and the text printed."""

    title: str
    text: str

    def __post_init__(self) -> None:
        _set(self, "title", clean_line(self.title, field="demand.title"))
        text = " ".join(clean_text(self.text, field="demand.text", limit=MAX_TEXT).split())
        _set(self, "text", _required(text or self.title, "demand.text"))


@dataclass(frozen=True, eq=False)
class Annex:
    """A titled table appended to the letter, e.g. the signatories of a sign-on letter.

    ``rows`` is a list/tuple of rows or any iterable of rows to stream (an iterator is consumed
    by the first writer that reads it: render the DOCX once and keep its bytes). Cells are text;
    ``None`` prints as empty, numbers as digits. ``numbered`` adds a first column with 1, 2, ….
    ``row_count`` is taken from ``len(rows)`` when rows is sized; for an iterator, pass it if
    known (templates may print it).
    """

    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    numbered: bool = True
    row_count: int | None = None

    def __post_init__(self) -> None:
        _set(self, "title", clean_line(self.title, field="annex.title"))
        columns = clean_lines(
            tuple(self.columns), field="annex.columns", max_lines=MAX_ANNEX_COLUMNS
        )
        if not columns:
            raise LetterValidationError(N_("{field} is required."), field="annex.columns")
        _set(self, "columns", columns)
        count = self.row_count
        if isinstance(self.rows, Sized):
            count = len(self.rows)
        if count is not None and count > MAX_ANNEX_ROWS:
            raise LetterValidationError(
                N_("{field} has too many rows: {count}, at most {limit} are allowed."),
                field="annex.rows",
                count=count,
                limit=MAX_ANNEX_ROWS,
            )
        _set(self, "row_count", count)


def cell_text(value: object) -> str:
    """The printed text of one annex cell value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise LetterValidationError(
            N_("{field} must be text, not {kind}."), field="annex.cell", kind="bool"
        )
    if isinstance(value, int | float | dt.date):
        return str(value)
    raise LetterValidationError(
        N_("{field} must be text, not {kind}."), field="annex.cell", kind=type(value).__name__
    )


def _as_date(value: object, field_name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise LetterValidationError(
        N_("{field} must be a date, not {kind}."), field=field_name, kind=type(value).__name__
    )


@dataclass(frozen=True)
class LetterContext:
    """What :func:`build_letter` needs besides the template: the people, the demands, the data.

    ``fields`` holds the template's extra fields (see its ``template.toml``) by name; values may
    be typed (``date``, ``int``) or text as it came from a form.
    """

    sender: Sender
    addressee: Addressee
    signer: Signer
    date: dt.date
    demands: Sequence[DemandText] = ()
    reference: str | None = None
    place: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)
    annex: Annex | None = None

    def __post_init__(self) -> None:
        _set(self, "date", _as_date(self.date, "date"))
        demands = tuple(self.demands)
        if len(demands) > MAX_DEMANDS:
            raise LetterValidationError(
                N_("{field} has too many items: {count}, at most {limit} are allowed."),
                field="demands",
                count=len(demands),
                limit=MAX_DEMANDS,
            )
        for demand in demands:
            if not isinstance(demand, DemandText):
                raise LetterValidationError(
                    N_("{field} must be a list of DemandText."), field="demands"
                )
        _set(self, "demands", demands)
        if self.reference is not None:
            ref = clean_line(self.reference, field="reference", limit=MAX_REFERENCE)
            _set(self, "reference", ref or None)
        _set(self, "place", clean_line(self.place, field="place"))
        _set(self, "fields", types.MappingProxyType(dict(self.fields)))


@dataclass(frozen=True, eq=False)
class Letter:
    """One letter, rendered into its parts and ready for a writer.

    ``reference`` is ``None`` for a draft (printed as "draft" in the letter's language).
    ``paragraphs`` come before the numbered ``demands`` (introduced by ``demands_intro``),
    ``paragraphs_after`` after them.
    """

    language: str
    sender: Sender
    addressee: Addressee
    date: dt.date
    reference: str | None
    subject: str
    salutation: str
    paragraphs: Sequence[str]
    demands: Sequence[str]
    closing: str
    signature: Signer
    place: str = ""
    demands_intro: str = ""
    paragraphs_after: Sequence[str] = ()
    annex: Annex | None = None
    template: str = ""
    kind: str = "letter"

    def __post_init__(self) -> None:
        get_locale(self.language)  # refuses unknown languages
        for name, kind in (("sender", Sender), ("addressee", Addressee), ("signature", Signer)):
            if not isinstance(getattr(self, name), kind):
                raise LetterValidationError(
                    N_("{field} must be a {kind}."), field=name, kind=kind.__name__
                )
        if self.annex is not None and not isinstance(self.annex, Annex):
            raise LetterValidationError(
                N_("{field} must be a {kind}."), field="annex", kind="Annex"
            )
        _set(self, "date", _as_date(self.date, "date"))
        if self.reference is not None:
            ref = clean_line(self.reference, field="reference", limit=MAX_REFERENCE)
            _set(self, "reference", ref or None)
        _set(self, "place", clean_line(self.place, field="place"))
        _set(self, "subject", _required(clean_line(self.subject, field="subject"), "subject"))
        _set(self, "salutation", clean_line(self.salutation, field="salutation", limit=MAX_LINE))
        _set(self, "demands_intro", clean_text(self.demands_intro, field="demands_intro").strip())
        _set(self, "closing", clean_line(self.closing, field="closing"))
        _set(self, "paragraphs", self._paragraphs(self.paragraphs, "paragraphs"))
        _set(self, "paragraphs_after", self._paragraphs(self.paragraphs_after, "paragraphs_after"))
        demands = tuple(
            clean_text(d, field=f"demands[{i}]", limit=MAX_TEXT).strip()
            for i, d in enumerate(self.demands, start=1)
        )
        if len(demands) > MAX_DEMANDS:
            raise LetterValidationError(
                N_("{field} has too many items: {count}, at most {limit} are allowed."),
                field="demands",
                count=len(demands),
                limit=MAX_DEMANDS,
            )
        _set(self, "demands", tuple(d for d in demands if d))
        total = sum(len(p) for p in (*self.paragraphs, *self.paragraphs_after, *self.demands))
        if total > MAX_LETTER_CHARS:
            raise LetterValidationError(
                N_("{field} is too long: {length} characters, at most {limit} are allowed."),
                field="letter",
                length=total,
                limit=MAX_LETTER_CHARS,
            )

    @staticmethod
    def _paragraphs(values: Iterable[str], name: str) -> tuple[str, ...]:
        if isinstance(values, str):
            raise LetterValidationError(N_("{field} must be a list of paragraphs."), field=name)
        cleaned = (
            clean_text(v, field=f"{name}[{i}]", limit=MAX_TEXTAREA).strip()
            for i, v in enumerate(values, start=1)
        )
        return tuple(p for p in cleaned if p)

    @property
    def is_draft(self) -> bool:
        """A letter without a reference number is a draft."""
        return self.reference is None
