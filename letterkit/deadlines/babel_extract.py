"""A Babel extractor for the user-facing texts of ``rules.toml``.

Registered in ``babel.cfg``, so ``make extract-messages`` puts every title, law, article,
condition, note, unverified text, kind label and country name of the rules file into the
message catalogue (``rulefile.translatable_texts`` decides which keys those are). The web layer
translates them when it shows them, e.g. ``gettext(rule.title)``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import Any, BinaryIO

from letterkit.deadlines.rulefile import translatable_texts
from letterkit.tomldata import parse_toml


def _line_of(message: str, lines: list[str]) -> int:
    """The first line (1-based) of the file holding ``message`` as written in TOML, else 1."""
    for needle in (message, json.dumps(message, ensure_ascii=False)[1:-1]):
        for number, line in enumerate(lines, start=1):
            if needle in line:
                return number
    return 1


def extract(
    fileobj: BinaryIO,
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield ``(lineno, funcname, message, comments)`` for each user-facing text of a rules file."""
    data = fileobj.read()
    name = str(getattr(fileobj, "name", "rules.toml"))
    lines = data.decode("utf-8").splitlines()
    for message in translatable_texts(parse_toml(data, name)):
        yield _line_of(message, lines), None, message, []
