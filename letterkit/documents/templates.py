"""Letter templates as data: loading ``letter_templates/<slug>/`` and rendering the parts.

A template folder holds ``template.toml`` (titles, kind, extra fields, sample data) and one Jinja
file per letter language (``en.j2``, ``ru.j2``, ``uk.j2``). A language file consists of named
blocks only, one per part of the letter::

    {% block subject %}…{% endblock %}          required, one line
    {% block salutation %}…{% endblock %}       required (may render empty), one line
    {% block body %}…{% endblock %}             required: paragraphs before the demands
    {% block demands_intro %}…{% endblock %}    optional: the sentence that opens the demands
    {% block after_demands %}…{% endblock %}    optional: paragraphs after the demands
    {% block closing %}…{% endblock %}          required, one line («С уважением,»)

Top-level ``{% set %}`` and ``{% macro %}`` are allowed; any other text outside a block is an
error (it would silently vanish). Paragraphs inside a block are separated by a blank line.

Templates render in a :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` with ``StrictUndefined`` and
autoescape off (the output is plain text; the writers escape it). User values are passed as
data and never compiled, so ``{{ 7*7 }}`` typed into a field prints as those characters. Any
failure (syntax, undefined variable, sandbox violation, ``None`` printed) becomes a
:class:`TemplateError` naming the template slug, the language file and the line.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
import traceback
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from letterkit.documents.errors import TemplateError
from letterkit.documents.locales import get_locale
from letterkit.documents.model import LetterContext
from letterkit.documents.template_spec import (
    FIELD_TYPES,
    SPEC_FILE,
    FieldSpec,
    TemplateSpec,
    read_spec,
)
from letterkit.documents.text import MAX_LETTER_CHARS, one_line, split_paragraphs
from letterkit.markers import N_
from letterkit.resources import resource_dir

__all__ = [
    "BLOCKS",
    "FIELD_TYPES",
    "FieldSpec",
    "TemplateLibrary",
    "TemplateSpec",
    "default_library",
    "default_templates_dir",
]

#: block name -> required?
BLOCKS: Mapping[str, bool] = types.MappingProxyType(
    {
        "subject": True,
        "salutation": True,
        "body": True,
        "demands_intro": False,
        "after_demands": False,
        "closing": True,
    }
)
#: blocks whose text is one line (whitespace collapsed); the others are split into paragraphs
ONE_LINE_BLOCKS = frozenset({"subject", "salutation", "demands_intro", "closing"})
#: blocks that must not render empty
NON_EMPTY_BLOCKS = frozenset({"subject", "body", "closing"})

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_MAX_REPEAT = MAX_LETTER_CHARS
_MAX_WIDTH = 1_000
_PERCENT_WIDTH = re.compile(r"%[-+ #0]*(\*|\d{4,})")


def default_templates_dir() -> Path:
    """The shipped ``letter_templates/`` folder (of the checkout, or inside the installed package)."""
    return resource_dir("letter_templates")


class _LetterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, plus guards against templates that build huge strings or numbers."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int):
                    if len(seq) * n > _MAX_REPEAT:
                        raise SecurityError("the result of * would be too large")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 256:
                raise SecurityError("the exponent of ** is too large")
        elif operator == "%" and isinstance(left, str) and _PERCENT_WIDTH.search(left):
            raise SecurityError("the field width in % formatting is too large")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format_string(value.__self__)
        return wrapped


def _check_format_string(fmt: str) -> None:
    for _text, _name, spec, _conv in string.Formatter().parse(fmt):
        if spec and re.search(r"\d{4,}", spec):
            raise SecurityError("the field width in str.format is too large")


def _bounded_filters(env: jinja2.Environment) -> None:
    """Filters that could build huge strings from a small template get a size check."""
    # Jinja's own filters (``do_center`` and friends), typed as what they return.
    center: Callable[[str, int], str] = env.filters["center"]
    indent: Callable[..., str] = env.filters["indent"]
    format_: Callable[..., str] = env.filters["format"]

    def safe_center(value: str, width: int = 80) -> str:
        if isinstance(width, int) and width > _MAX_WIDTH:
            raise SecurityError("the width of center is too large")
        return center(value, width)

    def safe_indent(value: str, width: int | str = 4, *args: Any, **kwargs: Any) -> str:
        if (isinstance(width, int) and width > _MAX_WIDTH) or len(str(width)) > _MAX_WIDTH:
            raise SecurityError("the width of indent is too large")
        return indent(value, width, *args, **kwargs)

    def safe_format(value: str, *args: Any, **kwargs: Any) -> str:
        if isinstance(value, str) and _PERCENT_WIDTH.search(value):
            raise SecurityError("the field width in format is too large")
        return format_(value, *args, **kwargs)

    env.filters.update(center=safe_center, indent=safe_indent, format=safe_format)


def _finalize(value: Any) -> Any:
    if value is None:
        raise jinja2.UndefinedError(
            "a value printed is None; test it with {% if … %} or use `or` to give a default"
        )
    return value


class _FolderLoader(jinja2.BaseLoader):
    """Serves ``<slug>/<lang>.j2`` from the templates root, and nothing else."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        slug, _, filename = template.partition("/")
        if not _SLUG.match(slug) or not re.fullmatch(r"[a-z]{2}\.j2", filename):
            raise jinja2.TemplateNotFound(template)
        path = self.root / slug / filename
        try:
            source = path.read_text(encoding="utf-8")
            mtime = path.stat().st_mtime
        except (OSError, UnicodeDecodeError) as exc:
            raise jinja2.TemplateNotFound(template) from exc

        def uptodate() -> bool:
            try:
                return path.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(path), uptodate


class TemplateLibrary:
    """The templates under one root folder, loaded on demand and cached."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_templates_dir()
        self.env = _LetterSandbox(
            loader=_FolderLoader(self.root),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=False,
            lstrip_blocks=True,
            finalize=_finalize,
            auto_reload=True,
        )
        _bounded_filters(self.env)
        self.env.filters["letter_date"] = _date_filter("numeric")
        self.env.filters["long_date"] = _date_filter("long")
        self._specs: dict[str, tuple[float, TemplateSpec]] = {}
        self._checked: dict[str, jinja2.Template] = {}

    # -- metadata -------------------------------------------------------------------------

    def slugs(self) -> list[str]:
        """Slugs of all template folders (those with a ``template.toml``), sorted."""
        if not self.root.is_dir():
            return []
        return sorted(
            p.name for p in self.root.iterdir() if (p / SPEC_FILE).is_file() and _SLUG.match(p.name)
        )

    def all(self) -> list[TemplateSpec]:
        """Every template's spec, sorted by slug."""
        return [self.get(slug) for slug in self.slugs()]

    def get(self, slug: str) -> TemplateSpec:
        """The :class:`TemplateSpec` of ``slug``; a bad ``template.toml`` is a TemplateError."""
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise TemplateError(N_("no such template"), slug=str(slug)[:64], filename="")
        path = self.root / slug / SPEC_FILE
        try:
            mtime = path.stat().st_mtime
        except OSError:
            raise TemplateError(N_("no such template"), slug=slug, filename=SPEC_FILE) from None
        cached = self._specs.get(slug)
        if cached and cached[0] == mtime:
            return cached[1]
        spec = read_spec(slug, path)
        self._specs[slug] = (mtime, spec)
        return spec

    # -- rendering ------------------------------------------------------------------------

    def _template(self, spec: TemplateSpec, lang: str) -> jinja2.Template:
        filename = f"{lang}.j2"
        if lang not in spec.languages:
            raise TemplateError(
                N_("this template has no {lang} version").format(lang=lang),
                slug=spec.slug,
                filename=filename,
            )
        try:
            template = self.env.get_template(f"{spec.slug}/{filename}")
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"syntax error: {exc.message}", slug=spec.slug, filename=filename, lineno=exc.lineno
            ) from None
        except jinja2.TemplateNotFound:
            raise TemplateError(
                N_("the file cannot be read"), slug=spec.slug, filename=filename
            ) from None
        self._check_structure(spec, filename, template)
        return template

    def _check_structure(
        self, spec: TemplateSpec, filename: str, template: jinja2.Template
    ) -> None:
        assert template.filename is not None
        if self._checked.get(template.filename) is template:
            return
        source = Path(template.filename).read_text(encoding="utf-8")
        ast = self.env.parse(source, name=template.name, filename=template.filename)

        def fail(detail: str, lineno: int | None) -> TemplateError:
            return TemplateError(detail, slug=spec.slug, filename=filename, lineno=lineno)

        seen: set[str] = set()
        for node in ast.body:
            if isinstance(node, nodes.Block):
                if node.name not in BLOCKS:
                    raise fail(
                        f"unknown block {node.name!r}; blocks are: {', '.join(BLOCKS)}", node.lineno
                    )
                for inner in node.find_all((nodes.Block, nodes.Extends, nodes.Include)):
                    raise fail("blocks cannot be nested, extended or included", inner.lineno)
                seen.add(node.name)
            elif isinstance(node, nodes.Output):
                for child in node.nodes:
                    if isinstance(child, nodes.TemplateData) and not child.data.strip():
                        continue
                    lineno = child.lineno
                    if isinstance(child, nodes.TemplateData):  # the line of the first letter
                        data = child.data
                        lineno += data.count("\n", 0, len(data) - len(data.lstrip()))
                    raise fail(
                        "text outside a {% block %} would be lost; move it into a block", lineno
                    )
            elif not isinstance(node, nodes.Macro | nodes.Assign | nodes.AssignBlock):
                raise fail(
                    f"only blocks, macros and set are allowed at the top level, "
                    f"not {type(node).__name__.lower()}",
                    node.lineno,
                )
        missing = [name for name, required in BLOCKS.items() if required and name not in seen]
        if missing:
            raise fail(f"required block missing: {', '.join(missing)}", None)
        self._checked[template.filename] = template

    def variables(self, spec: TemplateSpec, lang: str, context: LetterContext) -> dict[str, Any]:
        """The variables a template sees (listed in ``letter_templates/README.md``)."""
        loc = get_locale(lang)
        annex = context.annex
        return {
            "lang": lang,
            "template": {"slug": spec.slug, "kind": spec.kind, "title": spec.title(lang)},
            "sender": context.sender,
            "addressee": context.addressee,
            "signer": context.signer,
            "demands": list(context.demands),
            "demand_count": len(context.demands),
            "date": context.date,
            "reference": context.reference,
            "reference_text": loc.reference_text(context.reference),
            "is_draft": context.reference is None,
            "place": context.place,
            "fields": spec.coerce_fields(context.fields),
            "has_annex": annex is not None,
            "annex_title": (annex.title or loc.annex_default_title) if annex else "",
            "signatory_count": annex.row_count if annex else None,
        }

    def render_parts(
        self, slug: str, lang: str, context: LetterContext
    ) -> dict[str, str | tuple[str, ...]]:
        """Render the blocks of ``slug`` in ``lang``: one-line parts as str, the others as
        tuples of paragraphs."""
        spec = self.get(slug)
        template = self._template(spec, lang)
        filename = f"{lang}.j2"
        variables = self.variables(spec, lang, context)
        ctx = template.new_context(variables)
        raw: dict[str, str] = {}
        try:
            for _ in template.root_render_func(ctx):  # runs top-level set/macro
                pass
            for name in BLOCKS:
                if name in template.blocks:
                    raw[name] = "".join(template.blocks[name](ctx))
        except Exception as exc:  # every failure inside the sandbox names file and line
            raise _runtime_error(exc, spec.slug, filename, template) from None
        parts: dict[str, str | tuple[str, ...]] = {}
        for name in BLOCKS:
            text = raw.get(name, "")
            if len(text) > MAX_LETTER_CHARS:
                raise TemplateError(
                    f"block {name} rendered {len(text)} characters, too long",
                    slug=spec.slug,
                    filename=filename,
                )
            value: str | tuple[str, ...] = (
                one_line(text) if name in ONE_LINE_BLOCKS else split_paragraphs(text)
            )
            if name in NON_EMPTY_BLOCKS and not value:
                raise TemplateError(
                    f"block {name} rendered empty",
                    slug=spec.slug,
                    filename=filename,
                    lineno=_block_lineno(template, name),
                )
            parts[name] = value
        return parts


def _date_filter(style: str) -> Callable[..., str]:
    """A filter formatting a date in the letter's language (``lang`` of the template context)."""

    @jinja2.pass_context
    def format_date(context: jinja2.runtime.Context, value: object) -> str:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            raise TypeError(f"expected a date, got {type(value).__name__}")
        loc = get_locale(context["lang"])
        return loc.long_date(value) if style == "long" else loc.numeric_date(value)

    return format_date


def _block_lineno(template: jinja2.Template, name: str) -> int | None:
    if template.filename is None:
        return None
    try:
        source = Path(template.filename).read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r"{%-?\s*block\s+" + re.escape(name) + r"\b", source)
    return source.count("\n", 0, match.start()) + 1 if match else None


def _runtime_error(
    exc: BaseException, slug: str, filename: str, template: jinja2.Template
) -> TemplateError:
    lineno = None
    for frame, tb_lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == template.filename:
            lineno = template.get_corresponding_lineno(tb_lineno)
    if isinstance(exc, SecurityError):
        detail = f"forbidden by the sandbox: {exc}"
    elif isinstance(exc, jinja2.UndefinedError):
        detail = f"undefined: {exc}"
    else:
        detail = f"{type(exc).__name__}: {exc}"
    return TemplateError(detail, slug=slug, filename=filename, lineno=lineno)


@functools.cache
def default_library() -> TemplateLibrary:
    """The library of the shipped ``letter_templates/`` folder (one per process)."""
    return TemplateLibrary()
