"""Invalid catalogue data is refused with every problem named by file, entry and field.

Each case copies the shipped data to ``tmp_path`` and breaks one thing in it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from letterkit.catalogue import DEFAULT_DATA_DIR, CatalogueError, load_catalogue


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_value(v)}' for k, v in value.items()) + " }"
    raise TypeError(value)


def toml(table: str, *entries: dict[str, object]) -> str:
    """Write entries as ``[[table]]`` TOML (enough for these tests)."""
    out = []
    for entry in entries:
        out.append(f"[[{table}]]")
        out.extend(f'"{key}" = {_value(value)}' for key, value in entry.items())
        out.append("")
    return "\n".join(out)


def authority(**changes: object) -> dict[str, object]:
    """A valid shipped authority entry, with ``changes`` (``None`` removes a field)."""
    entry: dict[str, object] = {
        "slug": "ru-test-dispensary",
        "country": "RU",
        "kind": "local-health",
        "name": {"en": "Test dispensary", "ru": "Тестовый диспансер"},
        "addressee": {"en": "The Chief Physician", "ru": "Главному врачу"},
        "salutation": {"en": "Dear Chief Physician,", "ru": "Уважаемый господин главный врач!"},
        "verified": False,
        "source": "test",
        "note": "test entry",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def demand(**changes: object) -> dict[str, object]:
    """A valid shipped demand entry, with ``changes`` (``None`` removes a field)."""
    entry: dict[str, object] = {
        "slug": "test-demand",
        "title": {"en": "Test", "ru": "Тест"},
        "text": {"en": "Do the test.", "ru": "Провести тест."},
        "rationale": {"en": "Because."},
        "sources": [{"ref": "who"}],
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def demand_set(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "slug": "test-set",
        "title": {"en": "Test", "ru": "Тест"},
        "demands": ["inpud-2011-art"],
        "origin": {"document": "test", "action": "test", "explicit": True},
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


@dataclass(frozen=True)
class Case:
    """Write ``content`` to ``path`` (or replace ``old`` by ``content`` in it); expect a problem."""

    path: str
    content: str | None
    file: str
    entry: str | None
    field: str | None
    old: str | None = None


CASES = {
    "demand without Russian text": Case(
        "demands/bad.toml",
        toml("demand", demand(text={"en": "Do the test."})),
        "demands/bad.toml",
        "test-demand",
        "text.ru",
    ),
    "demand without sources": Case(
        "demands/bad.toml",
        toml("demand", demand(sources=None)),
        "demands/bad.toml",
        "test-demand",
        "sources",
    ),
    "demand citing an unknown source": Case(
        "demands/bad.toml",
        toml("demand", demand(sources=[{"ref": "no-such-source"}])),
        "demands/bad.toml",
        "test-demand",
        "sources.0.ref",
    ),
    "demand in an unknown language": Case(
        "demands/bad.toml",
        toml("demand", demand(title={"en": "Test", "ru": "Тест", "xx": "?"})),
        "demands/bad.toml",
        "test-demand",
        "title.xx",
    ),
    "duplicate demand in one file": Case(
        "demands/bad.toml",
        toml("demand", demand(), demand()),
        "demands/bad.toml",
        "test-demand",
        "slug",
    ),
    "authority without English addressee": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(addressee={"ru": "Главному врачу"})),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "addressee.en",
    ),
    "salutation in fewer languages than the addressee": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(salutation={"ru": "Уважаемый господин главный врач!"})),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "salutation.en",
    ),
    "Ukrainian authority without Ukrainian addressee": Case(
        "authorities/ua.toml",
        "",
        "authorities/ua.toml",
        "ua-moz",
        "addressee.uk",
        old='addressee.uk = "Міністру охорони здоров\'я України"\n',
    ),
    "authority without a name in an official language": Case(
        "authorities/ua.toml",
        "",
        "authorities/ua.toml",
        "ua-mzs",
        "name.uk",
        old='name.uk = "Міністерство закордонних справ України"\n',
    ),
    "unknown country": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(country="XX")),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "country",
    ),
    "unknown kind": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(kind="ministry-of-magic")),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "kind",
    ),
    "misspelt field": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(adressee={"en": "x"})),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "adressee",
    ),
    "duplicate slug across files": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(slug="ru-minzdrav")),
        "authorities/zz-bad.toml",
        "ru-minzdrav",
        "slug",
    ),
    "unverified without a note": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(note=None)),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "note",
    ),
    "unverified with a blank note": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(note="   ")),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "note",
    ),
    "verified without a source": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(verified=True, source=None)),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "source",
    ),
    "verified contact without a source": Case(
        "authorities/zz-bad.toml",
        toml(
            "authority",
            authority(contacts=[{"kind": "email", "value": "a@b.org", "verified": True}]),
        ),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "contacts.0.source",
    ),
    "contact e-mail that is not one": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(contacts=[{"kind": "email", "value": "not an address"}])),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "contacts.0.value",
    ),
    "embassy without host country": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(kind="embassy")),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "host_country",
    ),
    "unknown parent": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(parent="ru-no-such-body")),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "parent",
    ),
    "letter language without a template": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(letter_language="tg")),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "letter_language",
    ),
    "XML-illegal character": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(addressee={"en": "The Chief\x07", "ru": "Главному врачу"})),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "addressee.en",
    ),
    "C1 control character (the writer would drop it silently)": Case(
        "authorities/zz-bad.toml",
        toml("authority", authority(salutation={"en": "Dear\x85Sir,", "ru": "Уважаемый!"})),
        "authorities/zz-bad.toml",
        "ru-test-dispensary",
        "salutation.en",
    ),
    "kind said to be absent but present": Case(
        "authorities/zz-bad.toml",
        toml(
            "authority",
            authority(
                slug="by-ombudsperson",
                country="BY",
                kind="ombudsperson",
                name={"en": "Ombudsperson", "ru": "Омбудсмен", "be": "Амбудсмен"},
            ),
        ),
        "countries.toml",
        "BY",
        "absent_kinds.ombudsperson",
    ),
    "unknown demand in a set": Case(
        "demand_sets/bad.toml",
        toml("set", demand_set(demands=["inpud-2011-art", "no-such-demand"])),
        "demand_sets/bad.toml",
        "test-set",
        "demands.1",
    ),
    "same demand twice in a set": Case(
        "demand_sets/bad.toml",
        toml("set", demand_set(demands=["inpud-2011-art", "inpud-2011-art"])),
        "demand_sets/bad.toml",
        "test-set",
        "demands.1",
    ),
    "set for Ukraine with a demand without Ukrainian": Case(
        "demand_sets/bad.toml",
        toml("set", demand_set(country="UA")),
        "demand_sets/bad.toml",
        "test-set",
        "demands.0",
    ),
    "set without origin": Case(
        "demand_sets/bad.toml",
        toml("set", demand_set(origin=None)),
        "demand_sets/bad.toml",
        "test-set",
        "origin",
    ),
    "set with an unknown target kind": Case(
        "demand_sets/bad.toml",
        toml("set", demand_set(target_kinds=["police-station"])),
        "demand_sets/bad.toml",
        "test-set",
        "target_kinds.0",
    ),
    "country letter language without a template": Case(
        "countries.toml",
        'letter_language = "tg"\n',
        "countries.toml",
        "TJ",
        "letter_language",
        old='official_languages = ["tg"]\nletter_language = "ru"\n',
    ),
    "country without a name in its official language": Case(
        "countries.toml",
        'name = { en = "Lithuania", ru = "Литва", uk = "Литва" }\n',
        "countries.toml",
        "LT",
        "name.lt",
        old='name = { en = "Lithuania", ru = "Литва", uk = "Литва", lt = "Lietuva" }\n',
    ),
    "TOML syntax error": Case(
        "authorities/zz-bad.toml",
        "[[authority]\nslug = ",
        "authorities/zz-bad.toml",
        None,
        None,
    ),
    "unknown top-level table": Case(
        "authorities/zz-bad.toml",
        "[[authorty]]\nslug = 'x'\n",
        "authorities/zz-bad.toml",
        None,
        "authorty",
    ),
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, root)
    return root


def test_the_copied_data_loads(data_dir: Path) -> None:
    assert load_catalogue(data_dir).data_dir == data_dir


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_data_is_refused_naming_file_and_entry(data_dir: Path, case: Case) -> None:
    target = data_dir / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.old is not None:
        text = target.read_text(encoding="utf-8")
        assert case.old in text, "the case no longer matches the shipped data"
        target.write_text(text.replace(case.old, case.content or "", 1), encoding="utf-8")
    else:
        assert case.content is not None
        target.write_text(case.content, encoding="utf-8")

    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_dir)

    problems = caught.value.problems
    assert all(p.file == case.file for p in problems), [str(p) for p in problems]
    assert any(
        p.entry == case.entry and (case.field is None or p.field == case.field) for p in problems
    ), [str(p) for p in problems]
    message = str(caught.value)
    assert case.file in message
    if case.entry:
        assert case.entry in message


def test_a_missing_required_file_is_named(data_dir: Path) -> None:
    (data_dir / "countries.toml").unlink()
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_dir)
    assert [p.file for p in caught.value.problems] == ["countries.toml"]


def test_every_problem_is_reported_at_once(data_dir: Path) -> None:
    (data_dir / "authorities" / "zz-bad.toml").write_text(
        toml("authority", authority(kind="nope"), authority(slug="ru-other", country="XX")),
        encoding="utf-8",
    )
    (data_dir / "demands" / "bad.toml").parent.mkdir()
    (data_dir / "demands" / "bad.toml").write_text(
        toml("demand", demand(text={"en": "x"})), encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_dir)
    located = {(p.file, p.entry, p.field) for p in caught.value.problems}
    assert located == {
        ("authorities/zz-bad.toml", "ru-test-dispensary", "kind"),
        ("authorities/zz-bad.toml", "ru-other", "country"),
        ("demands/bad.toml", "test-demand", "text.ru"),
    }


def test_defaults_with_an_unknown_field_are_refused(data_dir: Path) -> None:
    path = data_dir / "authorities" / "ru.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[defaults]\n", "[defaults]\ncolour = 'red'\n"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_dir)
    assert [(p.file, p.field) for p in caught.value.problems] == [
        ("authorities/ru.toml", "defaults.colour")
    ]
