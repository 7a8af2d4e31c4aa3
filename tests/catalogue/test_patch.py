"""The patch of a group's checks and corrections: only what changes, applied as data."""

from __future__ import annotations

import tomllib
from datetime import date

from letterkit.catalogue import get_catalogue
from letterkit.catalogue.patch import CheckNote, catalogue_patch


def added_lines(patch: str) -> list[str]:
    return [
        line[1:]
        for line in patch.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]


def test_nothing_to_send_is_an_empty_patch() -> None:
    assert catalogue_patch(get_catalogue(), {}, {}) == ""
    assert catalogue_patch(get_catalogue(), {"own-1": {}}, {"own-1": []}) == ""


def test_a_check_of_the_addressee_line_alone_leaves_the_entry_unverified() -> None:
    note = CheckNote(date(2026, 3, 2), "phone call: the reception", ("addressee",))
    patch = catalogue_patch(get_catalogue(), {}, {"ru-minzdrav": [note]})
    added = added_lines(patch)
    assert added == [
        "# A letterkit group checked on 2026-03-02 against phone call: the reception. "
        "Parts: addressee line."
    ]
    assert patch.startswith("--- a/letterkit/catalogue/data/authorities/ru.toml\n")


def test_a_check_writes_strings_toml_reads_back() -> None:
    source = 'https://example.org/a "quoted" \\ path'
    note = CheckNote(date(2026, 3, 2), source, ("address",))
    patch = catalogue_patch(get_catalogue(), {}, {"ru-minzdrav": [note]})
    contact_line = next(line for line in added_lines(patch) if line.startswith("contacts"))
    contacts = tomllib.loads(contact_line)["contacts"]
    assert contacts[0]["verified"] is True
    assert source in contacts[0]["source"]
