"""Who holds an authority's office, as the group knows it: the form of address (the grammar of
a Russian, Ukrainian, Romanian … salutation follows it) and the names printed for it.

Letters in a language without a neutral salutation cannot be finalised before this is known;
the preview page asks it, and so can a group's tool through these two operations. Both call
``services.holders``, as the page does.
"""

from __future__ import annotations

from typing import Annotated, Literal

from flask_babel import gettext as _
from pydantic import Field

from letterkit.catalogue.holders import forms_for
from letterkit.models import Group, HolderForm
from letterkit.services import holders
from letterkit.services.catalogue import group_catalogue

from .base import bp, operation
from .problems import invalid, problem
from .schemas import EXAMPLE_LANGUAGE, LINE_PATTERN, Body, Language, Out

TAGS = ("catalogue",)

HolderName = Annotated[str, Field(max_length=holders.NAME_MAX, pattern=LINE_PATTERN)]


class HolderNames(Out):
    addressee_name: str = Field(description="Printed under the addressee line (may be empty).")
    salutation_name: str = Field(description="Printed in the salutation (may be empty).")


class HolderOut(Out):
    authority: str
    form_of_address: Literal["female", "male", "neutral"] | None = Field(
        description="How the holder is addressed; null while the group has not said."
    )
    names: dict[str, HolderNames] = Field(description="The names by letter language.")
    needed_for: list[str] = Field(
        description="Letter languages that cannot address this office before the form is known."
    )


class HolderBody(Body):
    form_of_address: Literal["female", "male", "neutral"] = Field(examples=["female"])
    language: Language = Field(
        description="The letter language the names are written in (and whose forms apply).",
        examples=[EXAMPLE_LANGUAGE],
    )
    addressee_name: HolderName = Field(default="", examples=["Ana Popescu"])
    salutation_name: HolderName = Field(default="", examples=["Popescu"])


def _authority_or_404(group: Group, slug: str) -> None:
    if slug not in group_catalogue(group.id).authorities:
        problem(404)


def holder_out(group: Group, slug: str) -> HolderOut:
    catalogue = group_catalogue(group.id)
    row = holders.holder_record(group.id, slug)
    names = {
        lang: HolderNames(
            addressee_name=str(entry.get("addressee") or ""),
            salutation_name=str(entry.get("salutation") or ""),
        )
        for lang, entry in sorted(((row.names if row else None) or {}).items())
    }
    form = row.form.value if row is not None and row.form is not None else None
    needed = sorted(
        code
        for code, language in catalogue.languages.items()
        if language.letter_template and holders.form_needed(holders.Holder(), code, catalogue)
    )
    return HolderOut(
        authority=slug,
        form_of_address=form,  # type: ignore[arg-type]
        names=names,
        needed_for=needed,
    )


@bp.get("/authorities/<slug>/holder")
@operation(tags=TAGS, responses={200: HolderOut}, errors=(404,))
def get_holder(group: Group, slug: str) -> HolderOut:
    """Who holds the office

    The form of address and names the group recorded for this authority's office."""
    _authority_or_404(group, slug)
    return holder_out(group, slug)


@bp.put("/authorities/<slug>/holder")
@operation(tags=TAGS, responses={200: HolderOut}, body=HolderBody, errors=(404,))
def put_holder(group: Group, slug: str, body: HolderBody) -> HolderOut:
    """Record who holds the office

    Every later letter of the group to this authority uses it, as on the preview page."""
    _authority_or_404(group, slug)
    catalogue = group_catalogue(group.id)
    language = catalogue.languages.get(body.language)
    if language is None or not language.letter_template:
        invalid([{"pointer": "/language", "detail": _("This is not a letter language.")}])
    if body.form_of_address not in forms_for(language):
        invalid(
            [
                {
                    "pointer": "/form_of_address",
                    "detail": _(
                        "This language has no neutral salutation: choose a woman or a man."
                    ),
                }
            ]
        )
    holders.remember_holder(
        group,
        slug,
        body.language,
        form=HolderForm(body.form_of_address),
        addressee_name=body.addressee_name,
        salutation_name=body.salutation_name,
        actor=None,
    )
    return holder_out(group, slug)
