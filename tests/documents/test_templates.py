"""Templates: every shipped template renders in every language; errors name file and line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from letterkit.catalogue import get_catalogue
from letterkit.documents import (
    LetterValidationError,
    TemplateError,
    TemplateLibrary,
    build_letter,
    default_library,
    render_docx,
)
from letterkit.documents.templates import BLOCKS

from .conftest import SAMPLES, sample_letter, simple_context

# The letter languages of the registry (languages.toml, letter_template = true).
LANGS = get_catalogue().template_languages


def test_shipped_templates_and_languages() -> None:
    library = default_library()
    assert {"appeal", "embassy-letter", "sign-on", "follow-up"} <= set(library.slugs())
    assert {"en", "ru", "uk", "ka", "hy", "az"} <= set(LANGS)
    for spec in library.all():
        assert {"en", "ru", "uk", "ro", "lt", "lv", "et", "kk", "ka"} <= set(LANGS)
        assert set(spec.languages) == set(LANGS), spec.slug
        assert all(spec.title(lang) for lang in LANGS)
        assert spec.kind in ("letter", "sign-on", "follow-up")
        for field in spec.fields:
            assert all(field.label(lang) for lang in LANGS)
    assert library.get("sign-on").kind == "sign-on"
    assert library.get("follow-up").kind == "follow-up"


@pytest.mark.parametrize(("slug", "lang"), SAMPLES)
def test_sample_renders(slug: str, lang: str, docx_text) -> None:
    letter = sample_letter(slug, lang)
    assert letter.subject and letter.paragraphs and letter.closing
    assert letter.template == slug
    read = docx_text(render_docx(letter))
    text = read.text
    assert letter.addressee.line.split("\n")[0] in text
    assert letter.subject in text
    assert letter.signature.name in text
    # the demands, in order
    positions = [text.index(d) for d in letter.demands]
    assert positions == sorted(positions)
    demand_styles = [s for s in read.styles if s == "Demand"]
    assert len(demand_styles) == len(letter.demands)


def test_idiomatic_parts() -> None:
    ru = sample_letter("appeal", "ru")
    uk = sample_letter("appeal", "uk")
    en = sample_letter("appeal", "en")
    assert ru.closing == "С уважением,"
    assert uk.closing == "З повагою,"
    assert ru.demands_intro.endswith("просим Вас:")
    assert uk.demands_intro.endswith("просимо Вас:")
    assert en.closing in ("Yours faithfully,", "Yours sincerely,")
    embassy = sample_letter("embassy-letter", "en")
    assert "forward this letter to the Government of the Russian Federation" in " ".join(
        embassy.paragraphs
    )
    follow = sample_letter("follow-up", "ru")
    body = " ".join(follow.paragraphs)
    for needle in ("26.06.2019", "ГС-2019/07", "59-ФЗ", "статьи 12", "29.07.2019"):
        assert needle in body or needle in follow.subject


def test_sign_on_mentions_count() -> None:
    letter = sample_letter("sign-on", "en")
    assert "(total: 12)" in " ".join(letter.paragraphs_after)
    assert letter.annex is not None and letter.annex.title == "List of signatories"


def test_user_text_is_data_not_template() -> None:
    context = simple_context()
    fields = dict(context.fields)
    fields["subject"] = "О {{ 7*7 }} и {% if 1 %}x{% endif %} {{ ''.__class__ }}"
    fields["background"] = "{{ sender.name }}\n\n{# comment #}"
    context = dataclasses.replace(context, fields=fields)
    letter = build_letter("appeal", "ru", context)
    assert letter.subject == "О {{ 7*7 }} и {% if 1 %}x{% endif %} {{ ''.__class__ }}"
    assert "{{ sender.name }}" in letter.paragraphs
    assert "{# comment #}" in letter.paragraphs


def test_field_validation() -> None:
    context = simple_context()
    with pytest.raises(LetterValidationError) as info:
        build_letter("appeal", "ru", dataclasses.replace(context, fields={"campaign": "x"}))
    assert info.value.field == "fields.subject"
    with pytest.raises(LetterValidationError) as info:
        build_letter(
            "appeal", "ru", dataclasses.replace(context, fields={**context.fields, "nope": "x"})
        )
    assert info.value.field == "fields.nope"
    with pytest.raises(LetterValidationError, match="too long"):
        build_letter(
            "appeal",
            "ru",
            dataclasses.replace(context, fields={**context.fields, "subject": "О" * 301}),
        )


def test_follow_up_field_types() -> None:
    spec = default_library().get("follow-up")
    context = spec.sample_context("en")
    fields = dict(context.fields)
    fields["due_date"] = "2019-07-29"  # a date as it comes from a form
    letter = build_letter("follow-up", "en", dataclasses.replace(context, fields=fields))
    assert "29 July 2019" in " ".join(letter.paragraphs)
    fields["due_date"] = "29/07/2019"
    with pytest.raises(LetterValidationError) as info:
        build_letter("follow-up", "en", dataclasses.replace(context, fields=fields))
    assert info.value.field == "fields.due_date"


def test_unknown_template_and_language() -> None:
    with pytest.raises(TemplateError):
        build_letter("no-such-template", "ru", simple_context())
    with pytest.raises(TemplateError):
        build_letter("../etc", "ru", simple_context())
    with pytest.raises(LetterValidationError):
        build_letter("appeal", "de", simple_context())


# --- template errors name the template, the file and the line -------------------------------

GOOD_TOML = """
kind = "letter"
[title]
en = "Test"
ru = "Тест"
"""

GOOD_BODY = """{% block subject %}Subject{% endblock %}
{% block salutation %}Dear Sir or Madam,{% endblock %}
{% block body %}
First line.
"""


@pytest.mark.parametrize(
    ("body_tail", "line", "needle"),
    [
        (
            "{{ no_such_variable }}\n{% endblock %}\n{% block closing %}x{% endblock %}",
            5,
            "undefined",
        ),
        ("{{ sender.nmae }}\n{% endblock %}\n{% block closing %}x{% endblock %}", 5, "undefined"),
        ("{% if %}\n{% endblock %}\n{% block closing %}x{% endblock %}", 5, "syntax"),
        ("{% endblock %}\n{% block closing %}{{ 1 + }}{% endblock %}", 6, "syntax"),
        (
            "{{ ''.__class__.__mro__ }}\n{% endblock %}\n{% block closing %}x{% endblock %}",
            5,
            "sandbox",
        ),
        (
            "{{ sender.__init__.__globals__ }}\n{% endblock %}\n{% block closing %}x{% endblock %}",
            5,
            "sandbox",
        ),
        ("{{ 'x' * 10000000 }}\n{% endblock %}\n{% block closing %}x{% endblock %}", 5, "sandbox"),
        (
            "{{ 'x'|center(10**9) }}\n{% endblock %}\n{% block closing %}x{% endblock %}",
            5,
            "sandbox",
        ),
        ("{{ reference }}\n{% endblock %}\n{% block closing %}x{% endblock %}", 5, "None"),
        ("\n{% endblock %}\nstray text\n{% block closing %}x{% endblock %}", 7, "outside"),
        ("\n{% endblock %}\n{% block closing %}{% endblock %}", 7, "empty"),
        ("\n{% endblock %}\n{% block signature %}x{% endblock %}", 7, "unknown block"),
        ("\n{% endblock %}\n{% include 'x' %}", 7, "top level"),
    ],
    ids=[
        "undefined-variable",
        "undefined-attribute",
        "syntax-error",
        "syntax-error-later-block",
        "sandbox-escape-class",
        "sandbox-escape-globals",
        "huge-string",
        "huge-filter-width",
        "none-printed",
        "text-outside-block",
        "empty-closing",
        "unknown-block",
        "include",
    ],
)
def test_template_errors_name_file_and_line(
    tmp_path: Path, body_tail: str, line: int, needle: str
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "template.toml").write_text(GOOD_TOML, encoding="utf-8")
    (folder / "en.j2").write_text(GOOD_BODY + body_tail, encoding="utf-8")
    library = TemplateLibrary(tmp_path)
    context = dataclasses.replace(simple_context(reference=None), fields={})
    with pytest.raises(TemplateError) as info:
        build_letter("broken", "en", context, library=library)
    err = info.value
    assert err.slug == "broken"
    assert err.filename == "en.j2"
    assert err.lineno == line, str(err)
    assert needle.lower() in str(err).lower()
    assert f"broken/en.j2, line {line}" in str(err)


def test_missing_required_block(tmp_path: Path) -> None:
    folder = tmp_path / "short"
    folder.mkdir()
    (folder / "template.toml").write_text(GOOD_TOML, encoding="utf-8")
    (folder / "en.j2").write_text("{% block subject %}S{% endblock %}", encoding="utf-8")
    with pytest.raises(TemplateError, match="required block missing"):
        build_letter("short", "en", simple_context(), library=TemplateLibrary(tmp_path))


def test_bad_template_toml(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "template.toml").write_text('kind = "letter"\n[title\n', encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        TemplateLibrary(tmp_path).get("bad")
    assert info.value.filename == "template.toml"
    assert info.value.lineno == 2


FIELD = '[[fields]]\nname = "{name}"\ntype = "{type}"\nlabel = {{ en = "Label" }}\n'


@pytest.mark.parametrize(
    ("toml", "detail"),
    [
        ('[title]\nen = "T"\n', "kind: This is required."),
        (
            'kind = "memo"\n[title]\nen = "T"\n',
            "kind: must be one of letter, sign-on, follow-up, not 'memo'",
        ),
        ('kind = "letter"\n', "title: This is required."),
        ('kind = "letter"\ntitle = "T"\n', "title: This must be a table of texts by language."),
        ('kind = "letter"\ntitle = { xx = "T" }\n', "title.xx: Unknown language: xx."),
        (
            'kind = "letter"\ntitle = { en = "T\\u0007" }\n',
            "title.en: This contains characters that cannot be used in a letter.",
        ),
        (
            GOOD_TOML + FIELD.format(name="Subject", type="text"),
            "fields.0.name: must be a lower-case identifier, not 'Subject'",
        ),
        (
            GOOD_TOML + FIELD.format(name="subject", type="blob"),
            "fields.0.type: must be one of text, textarea, date, integer, not 'blob'",
        ),
        (
            GOOD_TOML + FIELD.format(name="a", type="text") + FIELD.format(name="a", type="date"),
            "fields.1.name: a is listed twice.",
        ),
        (
            GOOD_TOML + '[[fields]]\nname = "a"\ntype = "text"\n',
            "fields.0.label: This is required.",
        ),
        (
            GOOD_TOML + FIELD.format(name="a", type="text") + "required = 1\n",
            "fields.0.required: This must be true or false.",
        ),
        (
            GOOD_TOML + FIELD.format(name="a", type="text") + "max_length = 0\n",
            "fields.0.max_length: This must be at least 1.",
        ),
    ],
    ids=[
        "no-kind",
        "unknown-kind",
        "no-title",
        "title-not-a-table",
        "title-unknown-language",
        "title-control-character",
        "field-name",
        "field-type",
        "field-twice",
        "field-label",
        "field-required",
        "field-max-length",
    ],
)
def test_template_toml_problems_name_the_field(tmp_path: Path, toml: str, detail: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "template.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        TemplateLibrary(tmp_path).get("bad")
    err = info.value
    assert (err.slug, err.filename, err.lineno) == ("bad", "template.toml", None)
    assert err.detail == detail
    assert str(err) == f"Template bad/template.toml: {detail}"


def test_edited_template_is_reloaded(tmp_path: Path) -> None:
    shutil.copytree(default_library().root / "appeal", tmp_path / "appeal")
    library = TemplateLibrary(tmp_path)
    context = simple_context()
    assert build_letter("appeal", "ru", context, library=library).closing == "С уважением,"
    path = tmp_path / "appeal" / "ru.j2"
    source = path.read_text(encoding="utf-8").replace("С уважением,", "С глубоким уважением,")
    path.write_text(source, encoding="utf-8")
    import os

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert build_letter("appeal", "ru", context, library=library).closing == "С глубоким уважением,"


def test_blocks_documented() -> None:
    readme = (default_library().root / "README.md").read_text(encoding="utf-8")
    for name in BLOCKS:
        assert f"`{name}`" in readme
    for variable in ("sender.name", "addressee.line", "fields.", "signatory_count", "reference"):
        assert variable in readme


def test_dates_in_letter_language() -> None:
    letter = build_letter(
        "follow-up", "uk", default_library().get("follow-up").sample_context("uk")
    )
    assert "26.06.2019" in letter.subject
    assert dt.date(2019, 8, 12) == letter.date
