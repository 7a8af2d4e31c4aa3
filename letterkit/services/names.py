"""The group's printed details per script: its name, postal address and signer (name and title)
as a letter prints them.

A group keeps these once per script (``GroupNameForm``: Latin, Cyrillic, and optionally Georgian
and Armenian). A letter prints the form of its language's script (``script`` in
``catalogue/data/languages.toml``); a field that form lacks is taken from another form, in the
order the scripts appear in languages.toml (Latin first). The group's interface name counts as
the printed name of the form of its own script when that form has none. Nothing is transliterated here: what is printed in another
script is reported by :func:`letterkit.services.language_check.mixed_parts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from letterkit.catalogue import Catalogue, get_catalogue
from letterkit.catalogue.scripts import script_of, suggest_latin
from letterkit.models import NAME_FORM_FIELDS, Group, GroupNameForm


@dataclass(frozen=True, slots=True)
class Printed:
    """One of the group's details as a letter prints it, and the script it is written in
    (None: no letters that tell, e.g. a postcode only)."""

    field: str
    value: str

    @property
    def script(self) -> str | None:
        """The script the value is written in."""
        return script_of(self.value)

    def mixed(self, wanted: str | None) -> bool:
        """True when the value is printed in a script other than ``wanted``."""
        return bool(self.value) and wanted is not None and self.script not in (None, wanted)


@dataclass(frozen=True, slots=True)
class PrintedNames:
    """The group's details as a letter in a language of script ``wanted`` prints them."""

    wanted: str | None
    name: Printed
    address: Printed
    signer_name: Printed
    signer_title: Printed

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The postal address, one line per line."""
        lines = (line.strip() for line in self.address.value.splitlines())
        return tuple(line for line in lines if line)


def script_of_language(lang: str, catalogue: Catalogue | None = None) -> str | None:
    """The script letters in ``lang`` are printed in, from languages.toml."""
    return (catalogue or get_catalogue()).script_of_language(lang)


def _value(group: Group, field: str, order: Sequence[str]) -> str:
    # The group's interface name stands for the printed name in its own script's form.
    own_script = script_of(group.name) if field == "name" else None
    for script in order:
        form = group.name_form(script)
        if form is not None and getattr(form, field):
            return str(getattr(form, field))
        if own_script == script:
            return group.name
    # A form of a script no language uses any more: still better than nothing.
    return next((getattr(f, field) for f in group.name_forms if getattr(f, field)), "")


def printed_names(group: Group, lang: str, catalogue: Catalogue | None = None) -> PrintedNames:
    """The group's name, address and signer for a letter in ``lang``: the form of the
    language's script, field by field, else another form's (see the module docstring)."""
    catalogue = catalogue or get_catalogue()
    wanted = catalogue.script_of_language(lang)
    order = [s for s in catalogue.scripts if s != wanted]
    if wanted is not None:
        order.insert(0, wanted)
    values = {field: _value(group, field, order) for field in NAME_FORM_FIELDS}
    values["name"] = values["name"] or group.name
    return PrintedNames(wanted, **{field: Printed(field, value) for field, value in values.items()})


def save_forms(group: Group, forms: dict[str, dict[str, str]]) -> None:
    """Store the group's details per script (``{script: {field: value}}``); a form left
    wholly empty is removed. Flushes nothing: the caller's verb flushes."""
    for script, values in forms.items():
        form = group.name_form(script, create=True)
        assert form is not None
        for field in NAME_FORM_FIELDS:
            setattr(form, field, values.get(field, "") or "")
        if not any(getattr(form, field) for field in NAME_FORM_FIELDS):
            group.name_forms.remove(form)


def form_values(group: Group, scripts: Sequence[str]) -> dict[str, dict[str, str]]:
    """The group's details per script, every field present (empty where not kept)."""
    result = {}
    for script in scripts:
        form: GroupNameForm | None = group.name_form(script)
        result[script] = {
            field: (getattr(form, field) if form is not None else "") for field in NAME_FORM_FIELDS
        }
    return result


def latin_suggestion(cyrillic: dict[str, str]) -> dict[str, str]:
    """A Latin spelling of the Cyrillic form's fields, to suggest (never stored by itself)."""
    return {field: suggest_latin(value) for field, value in cyrillic.items() if value}
