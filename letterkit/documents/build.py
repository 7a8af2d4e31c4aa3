"""``build_letter``: render a template's parts and assemble the :class:`Letter`."""

from __future__ import annotations

import dataclasses

from letterkit.documents.locales import get_locale
from letterkit.documents.model import Letter, LetterContext
from letterkit.documents.templates import TemplateLibrary, default_library


def build_letter(
    template_slug: str,
    lang: str,
    context: LetterContext,
    *,
    library: TemplateLibrary | None = None,
) -> Letter:
    """Render template ``template_slug`` in ``lang`` with ``context`` into a :class:`Letter`.

    Raises :class:`TemplateError` when the template fails (naming file and line) and
    :class:`LetterValidationError` when the input is refused (missing field, text too long).
    ``library`` defaults to the shipped ``letter_templates/`` folder.
    """
    library = library or default_library()
    loc = get_locale(lang)
    spec = library.get(template_slug)
    parts = library.render_parts(template_slug, lang, context)
    annex = context.annex
    if annex is not None and not annex.title:
        annex = dataclasses.replace(annex, title=loc.annex_default_title)
    return Letter(
        language=lang,
        sender=context.sender,
        addressee=context.addressee,
        date=context.date,
        reference=context.reference,
        place=context.place,
        subject=_str(parts["subject"]),
        salutation=_str(parts["salutation"]),
        paragraphs=_paras(parts["body"]),
        demands_intro=_str(parts["demands_intro"]),
        demands=tuple(d.text for d in context.demands),
        paragraphs_after=_paras(parts["after_demands"]),
        closing=_str(parts["closing"]),
        signature=context.signer,
        annex=annex,
        template=spec.slug,
        kind=spec.kind,
    )


def _str(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else " ".join(value)


def _paras(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value
