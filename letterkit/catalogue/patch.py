"""A group's checks and corrections of shipped authorities as a patch to the shipped files.

The result is a unified diff against ``letterkit/catalogue/data/authorities/*.toml``, paths
relative to the repository's root, so the maintainers review it and apply it with ``git apply``
(or ``patch -p1``). Only the entries concerned change, and within them only the lines whose
values change: an entry is read back from its own lines, changed as data, and a line is written
anew only where its value differs.

- A correction (a group's own version of a shipped entry) replaces the entry's values.
- A check adds a comment line per check (date, source, parts, note) and marks what it confirms:
  the postal address on the first postal contact (``verified = true`` with a ``source``), the
  addressee line and the salutation together on the entry (``verified = true``, the check
  appended to its ``source``). A check of only one of those two leaves the entry unverified.

Pure: no Flask, no database; the caller passes what the group recorded.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from letterkit.catalogue.model import Authority, Catalogue

#: Where the shipped data lives, relative to the repository's root (the diff's paths).
REPOSITORY_PATH = "letterkit/catalogue/data"
_KEY_LINE = re.compile(r"^([A-Za-z0-9_.-]+) = ")
_PART_NAMES = {
    "addressee": "addressee line",
    "address": "postal address",
    "salutation": "salutation",
}


@dataclass(frozen=True, slots=True)
class CheckNote:
    """A group's check of a shipped authority, as it goes to the maintainers (no person)."""

    checked_on: date
    source: str
    parts: tuple[str, ...]
    note: str = ""

    @property
    def summary(self) -> str:
        """``checked on 2026-05-01 against https://…`` (for a ``source`` field)."""
        return f"checked on {self.checked_on.isoformat()} against {self.source}"


def catalogue_patch(
    catalogue: Catalogue,
    corrections: Mapping[str, Mapping[str, Any]],
    checks: Mapping[str, Sequence[CheckNote]],
) -> str:
    """Return the unified diff of the shipped authority files with ``corrections`` (shipped slug
    -> the group's entry data) and ``checks`` (shipped slug -> checks, oldest first) applied.
    Slugs not shipped are left out. An empty string when nothing changes."""
    by_file: dict[str, set[str]] = {}
    for slug in (*corrections, *checks):
        file = catalogue.files.get(("authorities", slug))
        if file is not None:
            by_file.setdefault(file, set()).add(slug)
    chunks: list[str] = []
    for file in sorted(by_file):
        original = (catalogue.data_dir / file).read_text(encoding="utf-8")
        changed = _patched_file(original, catalogue, corrections, checks)
        path = f"{REPOSITORY_PATH}/{file}"
        chunks.extend(
            difflib.unified_diff(
                original.splitlines(keepends=True),
                changed.splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        )
    return "".join(chunks)


# --- one file ----------------------------------------------------------------------------------


def _patched_file(
    text: str,
    catalogue: Catalogue,
    corrections: Mapping[str, Mapping[str, Any]],
    checks: Mapping[str, Sequence[CheckNote]],
) -> str:
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        if line.rstrip("\r\n") != "[[authority]]":
            continue
        end = index
        while end < len(lines) and lines[end].strip() and not lines[end].startswith("["):
            end += 1
        body = lines[index:end]
        raw = tomllib.loads("".join(body))
        slug = raw.get("slug")
        if isinstance(slug, str) and (slug in corrections or slug in checks):
            implied = _implied(catalogue.authorities[slug])
            body = _patched_entry(
                body, raw, implied, corrections.get(slug), tuple(checks.get(slug, ()))
            )
        out.extend(body)
        index = end
    return "".join(out)


def _implied(authority: Authority) -> dict[str, Any]:
    """Values an entry has without writing them (the file's defaults, the country's letter
    language): a correction that repeats them adds no line."""
    return {
        "country": authority.country,
        "verified": authority.verified,
        "source": authority.source,
        "note": authority.note,
        "letter_language": authority.letter_language,
        "language": authority.letter_language,
    }


def _flat(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data with texts by language as dotted keys (``name.en``), as the files write them;
    contacts without their default values."""
    flat: dict[str, Any] = {}
    for key, value in entry.items():
        if isinstance(value, Mapping):
            for lang, text in value.items():
                flat[f"{key}.{lang}"] = text
        elif key == "contacts" and isinstance(value, list):
            flat[key] = [
                {k: v for k, v in contact.items() if v not in (None, "", False)}
                for contact in value
            ]
        else:
            flat[key] = value
    return flat


def _patched_entry(
    body: list[str],
    raw: Mapping[str, Any],
    implied: Mapping[str, Any],
    correction: Mapping[str, Any] | None,
    checks: tuple[CheckNote, ...],
) -> list[str]:
    old = _flat(raw)
    if correction is None:
        new = dict(old)
    else:
        new = {"slug": raw["slug"], **_flat(correction)}
        for name, value in list(new.items()):
            if name not in old and implied.get(name) == value:
                del new[name]  # the file's default says it already
    _apply_checks(new, old, implied, checks)
    segments = _segments(body)
    result: list[str] = []
    for key, text in segments:
        if key is None:
            result.extend(text)
        elif key in new and old.get(key) == new[key]:
            result.extend(text)
        elif key in new:
            result.append(f"{key} = {_value(new[key])}\n")
    written = {key for key, _text in segments}
    result.extend(f"{key} = {_value(value)}\n" for key, value in new.items() if key not in written)
    for check in checks:
        parts = ", ".join(_PART_NAMES.get(part, part) for part in check.parts)
        result.append(_comment(f"A letterkit group {check.summary}. Parts: {parts}."))
        if check.note:
            result.append(_comment(f"  Its note: {check.note}"))
    return result


def _apply_checks(
    new: dict[str, Any],
    old: Mapping[str, Any],
    implied: Mapping[str, Any],
    checks: tuple[CheckNote, ...],
) -> None:
    """Mark what the checks confirm: the first postal contact, and the entry when both the
    addressee line and the salutation were checked."""
    by_part = {part: check for check in checks for part in check.parts}
    address = by_part.get("address")
    contacts = [dict(c) for c in new.get("contacts", [])]
    post = next((c for c in contacts if c.get("kind") == "post"), None)
    if address is not None and post is not None and not post.get("verified"):
        post.update(verified=True, source=f"A letterkit group {address.summary}.")
        new["contacts"] = contacts
    line, salutation = by_part.get("addressee"), by_part.get("salutation")
    if line is None or salutation is None or new.get("verified", implied.get("verified")):
        return
    confirmed = dict.fromkeys((line.summary, salutation.summary))
    said = "; ".join(confirmed)
    own_source = new.get("source")
    new["verified"] = True
    new["source"] = (
        f"{own_source} Addressee line and salutation: a letterkit group {said}."
        if own_source
        else f"Addressee line and salutation: a letterkit group {said}."
    )


def _segments(body: list[str]) -> list[tuple[str | None, list[str]]]:
    """The entry's lines, grouped as ``key = value`` (with the value's further lines)."""
    segments: list[tuple[str | None, list[str]]] = []
    for line in body:
        match = _KEY_LINE.match(line)
        if match:
            segments.append((match.group(1), [line]))
        elif segments and segments[-1][0] is not None and line[:1] in (" ", "\t", "]"):
            segments[-1][1].append(line)
        else:
            segments.append((None, [line]))
    return segments


def _comment(text: str, further: str = "#   ") -> str:
    lines = text.splitlines() or [""]
    return "".join(
        f"{'# ' if i == 0 else further}{line}".rstrip() + "\n" for i, line in enumerate(lines)
    )


def _value(value: Any) -> str:
    """Write a value as the catalogue files do (basic strings, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        if len(value) > 1 and all(isinstance(v, Mapping) for v in value):
            return "[\n" + "".join(f"  {_value(v)},\n" for v in value) + "]"
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
