"""Languages are data: the registry (``catalogue/data/languages.toml``) and nothing in Python.

No module of the package lists language codes: a scan of every ``letterkit/**/*.py`` finds no
registry code as a string inside a list, tuple, set or dict literal or a ``Choice(...)`` call.
The scan is shown to catch the lists the code had before (``LETTER_LANGUAGES``, the CLI's
choices, the petitions' autonyms). The registry fails fast, with the file, entry and field, on
a bad script, locale, quotation marks or a missing name; the interface languages come from the
registry and the translation folders, and a country's offered letter languages from its data.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from letterkit.catalogue import DEFAULT_DATA_DIR, CatalogueError, get_catalogue, load_catalogue
from letterkit.config import interface_languages

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "letterkit"
CODES = frozenset(get_catalogue().languages)


def code_lists(source: str, codes: frozenset[str] = CODES) -> list[tuple[int, str]]:
    """(line, code) for each language code written in a collection literal or ``Choice()``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        items: list[ast.expr | None] = []
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = list(node.keys)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "Choice":
                items = [*node.args, *(k.value for k in node.keywords)]
        for item in items:
            if isinstance(item, ast.Constant) and item.value in codes:
                found.append((node.lineno, item.value))
    return found


# What the code held before the registry: each must be caught.
OLD_CODE = [
    'LETTER_LANGUAGES = ("en", "ru", "uk")',
    'LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}',
    '@click.option("--lang", required=True, type=click.Choice(["en", "ru", "uk"]))\ndef f(): ...',
    'for lang in (authority.letter_language, group.default_letter_language, "en"): pass',
    'FIELDS = {"ro": {"subject": "x"}}',
]


@pytest.mark.parametrize("source", OLD_CODE)
def test_the_scan_catches_a_written_out_list_of_languages(source: str) -> None:
    assert code_lists(source)


@pytest.mark.parametrize(
    "source",
    [
        'ORIGINAL_LANGUAGE = "en"',
        'if lang == "ru": pass',
        'names = {"title": "x", "body": "y"}',  # not codes
        "codes = [code for code in registry]",
    ],
)
def test_the_scan_leaves_single_values_and_other_strings_alone(source: str) -> None:
    assert not code_lists(source)


def test_no_module_of_the_package_lists_language_codes() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {code!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, code in code_lists(path.read_text(encoding="utf-8"))
    ]
    assert not offences, "language codes written in Python (read the registry):\n" + "\n".join(
        offences
    )


# -- the registry ------------------------------------------------------------------------------


def test_every_language_has_a_script_a_babel_locale_quotes_and_names_in_every_interface_language() -> (
    None
):
    catalogue = get_catalogue()
    interface = [code for code, lang in catalogue.languages.items() if lang.interface]
    assert interface and "en" in interface
    for code, language in catalogue.languages.items():
        assert re.fullmatch(r"[A-Z][a-z]{3}", language.script), code
        assert language.babel_locale, code
        assert all(language.quotes), code
        for ui in interface:
            assert language.names.exact(ui), (code, ui)


def test_a_language_is_named_never_as_a_code() -> None:
    catalogue = get_catalogue()
    for code in catalogue.template_languages:
        for ui in (c for c, lang in catalogue.languages.items() if lang.interface):
            label = catalogue.language(code).label(ui)
            assert label != code and catalogue.language(code).autonym.casefold() in label.casefold()


def copy_catalogue(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue data to change in a test."""
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    return data


def replace_in(path: Path, old: str, new: str, *, every: bool = False) -> None:
    """Replace ``old`` (which must be there) by ``new`` in ``path``: the first time, or every
    time."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, -1 if every else 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('script = "Cyrl"', 'script = "CYRL"', "ISO 15924"),
        ('locale = "ru"', 'locale = "xx_nowhere"', "not a locale Babel knows"),
        ('quotes = ["«", "»"]', 'quotes = ["«"]', "two quotation marks"),
        ('name.uk = "російська"', 'name.de = "Russisch"', "Missing the text in uk"),
        ('script = "Cyrl"\n', "", "This is required"),
        ("interface = true", 'interface = "yes"', "true or false"),
        ('interface_review = "draft"', 'interface_review = "checked"', 'Give "original", "draft"'),
        ('interface_review = "draft"', 'interface_review = { reviewer = "A" }', "This is required"),
        (
            'interface_review = "draft"',
            "interface_review = { reviewed_on = 2999-01-01 }",
            "cannot be dated in the future",
        ),
        ('code = "be"\n', 'code = "be"\ninterface_review = "draft"\n', "interface = true has"),
    ],
)
def test_a_broken_registry_entry_is_refused_naming_file_entry_and_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    data = copy_catalogue(tmp_path)
    replace_in(data / "languages.toml", old, new)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data)
    text = str(caught.value)
    assert message in text
    assert "languages.toml" in text


# -- interface languages -----------------------------------------------------------------------


def test_the_interface_translations_we_wrote_are_drafts_until_a_native_speaker_reviews_them() -> (
    None
):
    """The interface is written in English; its Russian and Ukrainian are the developers' own
    translations, so no page may pass them off as reviewed."""
    languages = get_catalogue().languages
    assert languages["en"].interface_review.status == "original"
    for code in interface_languages():
        if code != "en":
            assert languages[code].interface_review.status == "draft", code


def test_a_review_is_recorded_with_its_date_and_reviewer(tmp_path: Path) -> None:
    data = copy_catalogue(tmp_path)
    review = 'interface_review = { reviewed_on = 2026-11-30, reviewer = "A. Reviewer" }'
    replace_in(data / "languages.toml", 'interface_review = "draft"', review)
    catalogue = load_catalogue(data)
    first = next(c for c, lang in catalogue.languages.items() if lang.interface and c != "en")
    recorded = catalogue.languages[first].interface_review
    assert recorded.is_reviewed and recorded.status == "reviewed"
    assert (str(recorded.reviewed_on), recorded.reviewer) == ("2026-11-30", "A. Reviewer")
    # a language without the field is a draft
    assert not catalogue.languages["be"].interface_review.is_reviewed


def test_interface_languages_are_the_registry_s_with_a_translation_folder(tmp_path: Path) -> None:
    catalogue = get_catalogue()
    flagged = [code for code, lang in catalogue.languages.items() if lang.interface]
    translations = tmp_path / "translations"
    translations.mkdir()
    # Only the source language without any folder.
    assert interface_languages(translations) == ("en",)
    for code in flagged:
        (translations / code / "LC_MESSAGES").mkdir(parents=True)
    assert interface_languages(translations) == tuple(flagged)
    # A folder for a language the registry does not mark as an interface language is ignored.
    (translations / "xx" / "LC_MESSAGES").mkdir(parents=True)
    assert interface_languages(translations) == tuple(flagged)


def test_the_shipped_interface_languages_follow_the_translation_folders() -> None:
    shipped = {p.parent.name for p in (PACKAGE / "translations").glob("*/LC_MESSAGES")}
    assert set(interface_languages()) == {"en"} | (
        shipped & {c for c, lang in get_catalogue().languages.items() if lang.interface}
    )


# -- languages offered first for a country -----------------------------------------------------


def test_a_country_offers_its_default_first_then_its_official_languages_with_templates() -> None:
    catalogue = get_catalogue()
    templates = set(catalogue.template_languages)
    for code, country in catalogue.countries.items():
        offered = country.offered_languages
        assert offered[0] == country.letter_language, code
        assert set(offered) <= templates, code
        assert len(set(offered)) == len(offered), code
        for official in country.official_languages:
            if official in templates:
                assert official in offered, (code, official)


def test_letter_languages_in_countries_toml_sets_the_order(tmp_path: Path) -> None:
    catalogue = get_catalogue()
    others = [c for c in catalogue.template_languages if c != "en"]
    data = copy_catalogue(tmp_path)
    listed = ", ".join(f'"{c}"' for c in [*reversed(others), "en"])
    replace_in(
        data / "countries.toml", 'code = "GB"\n', f'code = "GB"\nletter_languages = [{listed}]\n'
    )
    country = load_catalogue(data).country("GB")
    assert country.offered_languages == ("en", *reversed(others))


@pytest.mark.parametrize(
    ("listed", "message"),
    [('["xx"]', "Unknown language: xx"), ('["tg"]', "There is no letter template in tg")],
)
def test_an_offered_language_must_be_known_and_have_templates(
    tmp_path: Path, listed: str, message: str
) -> None:
    if "tg" in get_catalogue().template_languages:
        pytest.skip("tg has templates now; pick another language without them")
    data = copy_catalogue(tmp_path)
    replace_in(
        data / "countries.toml", 'code = "GB"\n', f'code = "GB"\nletter_languages = {listed}\n'
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data)
    assert message in str(caught.value)
    assert "countries.toml: GB: letter_languages.0" in str(caught.value)


def test_a_default_letter_language_without_templates_is_refused(tmp_path: Path) -> None:
    without = next(c for c, lang in get_catalogue().languages.items() if not lang.letter_template)
    data = copy_catalogue(tmp_path)
    text = (data / "countries.toml").read_text(encoding="utf-8")
    start = text.index('code = "GB"')
    end = text.index("letter_language = ", start)
    line_end = text.index("\n", end)
    text = text[:end] + f'letter_language = "{without}"' + text[line_end:]
    (data / "countries.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data)
    assert f"There is no letter template in {without}" in str(caught.value)
