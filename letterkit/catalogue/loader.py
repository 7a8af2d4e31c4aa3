"""Loading the catalogue from its TOML files, validating everything, and caching the shipped one.

A collection lives in ``<name>.toml``, in ``<name>/*.toml``, or both (read in that order, the
folder's files sorted by name). Each file holds an array of tables (``[[authority]]``, …) and
optionally a ``[defaults]`` table whose fields every entry of that file gets unless it sets its
own. Collections are read in dependency order, so that references can be checked: languages,
countries, sources, demands, demand sets, authorities. Every problem in every file is collected
before ``CatalogueError`` is raised, each naming its file and entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from letterkit.catalogue.errors import CatalogueError, Problem
from letterkit.catalogue.model import Authority, Catalogue, Country
from letterkit.catalogue.validation import (
    AUTHORITY_FIELDS,
    COUNTRY_FIELDS,
    DEMAND_FIELDS,
    LANGUAGE_FIELDS,
    M_KIND_DECLARED_ABSENT,
    M_PARENT_COUNTRY,
    M_UNKNOWN_AUTHORITY,
    M_UNKNOWN_FIELD,
    SET_FIELDS,
    SOURCE_FIELDS,
    Context,
    read_authority,
    read_country,
    read_demand,
    read_demand_set,
    read_language,
    read_source,
)
from letterkit.tomldata import M_NO_FILE, M_TABLE, TomlDataError, load_toml

DEFAULT_DATA_DIR: Path = Path(__file__).resolve().parent / "data"

_Read = Callable[[object, Context], tuple[Any, list[Problem]]]


@dataclass(frozen=True)
class _Collection:
    name: str  # file or folder name
    table: str  # the array-of-tables key in each file
    key: str  # the field that identifies an entry
    fields: Collection[str]
    read: _Read
    required: bool


LANGUAGES = _Collection("languages", "language", "code", LANGUAGE_FIELDS, read_language, True)
COUNTRIES = _Collection("countries", "country", "code", COUNTRY_FIELDS, read_country, True)
SOURCES = _Collection("sources", "source", "slug", SOURCE_FIELDS, read_source, False)
DEMANDS = _Collection("demands", "demand", "slug", DEMAND_FIELDS, read_demand, False)
SETS = _Collection("demand_sets", "set", "slug", SET_FIELDS, read_demand_set, False)
AUTHORITIES = _Collection(
    "authorities", "authority", "slug", AUTHORITY_FIELDS, read_authority, False
)


def load_catalogue(data_dir: Path | str = DEFAULT_DATA_DIR) -> Catalogue:
    """Read and validate the catalogue in ``data_dir``; raise ``CatalogueError`` if invalid.

    This parses the files on every call; use ``get_catalogue()`` for the cached shipped one.
    """
    return _Loader(Path(data_dir)).load()


@functools.cache
def get_catalogue() -> Catalogue:
    """Return the shipped catalogue, loaded once per process."""
    return load_catalogue(DEFAULT_DATA_DIR)


def _flagged(entries: list[tuple[Mapping[str, Any], str, str]], flag: str) -> tuple[str, ...]:
    """The codes of the raw language entries that set ``flag = true``."""
    return tuple(
        raw["code"]
        for raw, _, _ in entries
        if raw.get(flag) is True and isinstance(raw.get("code"), str)
    )


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.where: dict[tuple[str, str], str] = {}

    def load(self) -> Catalogue:
        raw_languages = self._entries(LANGUAGES)
        codes = frozenset(
            raw["code"] for raw, _, _ in raw_languages if isinstance(raw.get("code"), str)
        )
        ctx = Context(
            languages={},
            language_codes=codes,
            interface_codes=_flagged(raw_languages, "interface"),
            required_codes=_flagged(raw_languages, "catalogue_required"),
        )
        languages = self._read(LANGUAGES, raw_languages, ctx)
        ctx = Context(languages=languages)
        countries = self._read(COUNTRIES, self._entries(COUNTRIES), ctx)
        if self.problems:
            # Everything else refers to languages and countries: stop before the noise.
            raise CatalogueError(self.problems)
        ctx.countries = countries
        ctx.sources = self._read(SOURCES, self._entries(SOURCES), ctx)
        ctx.demands = self._read(DEMANDS, self._entries(DEMANDS), ctx)
        sets = self._read(SETS, self._entries(SETS), ctx)
        authorities = self._read(AUTHORITIES, self._entries(AUTHORITIES), ctx)
        self._check_authorities(authorities, countries)
        if self.problems:
            raise CatalogueError(self.problems)
        return Catalogue(
            data_dir=self.root,
            languages=MappingProxyType(languages),
            countries=MappingProxyType(countries),
            sources=MappingProxyType(dict(ctx.sources)),
            demands=MappingProxyType(dict(ctx.demands)),
            demand_sets=MappingProxyType(sets),
            authorities=MappingProxyType(authorities),
            files=MappingProxyType(dict(self.where)),
        )

    # -- files ---------------------------------------------------------------------------------

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _files(self, collection: _Collection) -> list[Path]:
        files = []
        single = self.root / f"{collection.name}.toml"
        if single.is_file():
            files.append(single)
        folder = self.root / collection.name
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.toml")))
        if not files and collection.required:
            self.problems.append(Problem(M_NO_FILE, file=f"{collection.name}.toml"))
        return files

    def _entries(self, collection: _Collection) -> list[tuple[Mapping[str, Any], str, str]]:
        """Return ``(raw entry, file, entry label)`` for every entry of the collection."""
        out: list[tuple[Mapping[str, Any], str, str]] = []
        for path in self._files(collection):
            file = self._rel(path)
            try:
                document = load_toml(path, file)
            except TomlDataError as exc:
                self.problems.extend(exc.problems)
                continue
            out += self._document_entries(collection, document, file)
        return out

    def _document_entries(
        self, collection: _Collection, document: Mapping[str, Any], file: str
    ) -> list[tuple[Mapping[str, Any], str, str]]:
        """Return the entries of one file, each merged with the file's ``[defaults]``."""
        for key in document:
            if key not in (collection.table, "defaults"):
                self.problems.append(Problem(M_UNKNOWN_FIELD, field=key, file=file))
        defaults = document.get("defaults", {})
        if not isinstance(defaults, dict):
            self.problems.append(Problem(M_TABLE, field="defaults", file=file))
            defaults = {}
        for key in defaults:
            if key not in collection.fields or key == collection.key:
                self.problems.append(Problem(M_UNKNOWN_FIELD, field=f"defaults.{key}", file=file))
        entries = document.get(collection.table, [])
        if not isinstance(entries, list):
            self.problems.append(
                Problem(f"must be an array of tables [[{collection.table}]]", file=file)
            )
            return []
        out: list[tuple[Mapping[str, Any], str, str]] = []
        for index, raw in enumerate(entries, start=1):
            if not isinstance(raw, dict):
                self.problems.append(Problem(M_TABLE, entry=f"#{index}", file=file))
                continue
            ident = raw.get(collection.key)
            label = ident if isinstance(ident, str) and ident else f"#{index}"
            merged = {**{k: v for k, v in defaults.items() if k in collection.fields}, **raw}
            out.append((merged, file, label))
        return out

    # -- entries -------------------------------------------------------------------------------

    def _read(
        self,
        collection: _Collection,
        entries: list[tuple[Mapping[str, Any], str, str]],
        ctx: Context,
    ) -> dict[str, Any]:
        records: dict[str, Any] = {}
        for raw, file, label in entries:
            ident = raw.get(collection.key)
            if isinstance(ident, str) and ident:
                first = self.where.get((collection.name, ident))
                if first is not None:
                    self.problems.append(
                        Problem(
                            "duplicate {key} {value}: already defined in {first}",
                            (("key", collection.key), ("value", ident), ("first", first)),
                            field=collection.key,
                            entry=label,
                            file=file,
                        )
                    )
                    continue
                self.where[(collection.name, ident)] = file
            record, problems = collection.read(raw, ctx)
            if record is None:
                self.problems.extend(problem.located(file, label) for problem in problems)
                if isinstance(ident, str):
                    ctx.broken.add(ident)
                continue
            assert isinstance(ident, str)  # a record is only read from an entry with its key
            records[ident] = record
        return records

    def _check_authorities(
        self, authorities: Mapping[str, Authority], countries: Mapping[str, Country]
    ) -> None:
        """Check what needs every authority read: parents, and kinds said to be absent."""
        for slug, authority in authorities.items():
            file = self.where[(AUTHORITIES.name, slug)]
            if authority.parent is None:
                continue
            parent = authorities.get(authority.parent)
            if parent is None:
                self.problems.append(
                    Problem.of("parent", M_UNKNOWN_AUTHORITY, slug=authority.parent).located(
                        file, slug
                    )
                )
            elif parent.country != authority.country:
                self.problems.append(Problem.of("parent", M_PARENT_COUNTRY).located(file, slug))
        for code, country in countries.items():
            file = self.where[(COUNTRIES.name, code)]
            for kind, _ in country.absent_kinds:
                for authority in authorities.values():
                    if authority.country == code and authority.kind == kind:
                        self.problems.append(
                            Problem.of(
                                f"absent_kinds.{kind}",
                                M_KIND_DECLARED_ABSENT,
                                kind=kind,
                                slug=authority.slug,
                            ).located(file, code)
                        )
