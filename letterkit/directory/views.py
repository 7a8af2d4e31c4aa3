"""Browse the catalogue; coordinators keep their group's own entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from letterkit import deadlines
from letterkit.catalogue import (
    AUTHORITY_KINDS,
    Authority,
    Catalogue,
    Demand,
    NotInCatalogue,
    Problem,
)
from letterkit.config import letter_languages
from letterkit.core import transaction
from letterkit.core.access import coordinator_required, current_group, member_required
from letterkit.core.i18n import interface_language
from letterkit.core.speech import interface_speech
from letterkit.models import GroupAuthority, GroupDemand, GroupDemandSet
from letterkit.services.catalogue import group_catalogue

from . import operations as ops
from .check_forms import checks_context
from .forms import (
    AuthorityForm,
    DemandForm,
    DemandSetForm,
    authority_entry_from,
    authority_form_data,
    country_choices,
    demand_entry_from,
    demand_form_data,
    required_languages,
)

bp = Blueprint("directory", __name__, url_prefix="/catalogue", template_folder="templates")


_lang = interface_language


def _catalogue() -> Catalogue:
    return group_catalogue(current_group().id)


def _lookup(kind: str, slug: str) -> Any:
    catalogue = _catalogue()
    try:
        return getattr(catalogue, kind)(slug)
    except NotInCatalogue:
        abort(404)


def problem_text(problem: Problem) -> str:
    """Translate a catalogue problem first and format it after."""
    return _(problem.message).format(**problem.param_dict)


def attach_problems(form: Any, problems: dict[str, list[Problem]], fields: dict[str, str]) -> None:
    """Put the catalogue's problems next to the form fields they concern."""
    for problem_list in problems.values():
        for problem in problem_list:
            path = problem.field or ""
            name = fields.get(path) or fields.get(problem.top_field) or path.replace(".", "_")
            field = getattr(form, name, None)
            if field is None:
                form.form_errors.append(problem_text(problem))
            else:
                field.errors = [*field.errors, problem_text(problem)]


def example_due(country: str, kind: str | None = None) -> deadlines.DueResult | None:
    """The due date of a letter delivered today, to show what the rule means."""
    try:
        return deadlines.compute_due(
            country,
            date.today(),
            authority_kind=kind,
            holiday_language=interface_language(),
        )
    except deadlines.DeadlineError:
        return None


def explain(result: deadlines.DueResult) -> list[str]:
    """The explanation in the interface language."""
    return deadlines.explain(result, interface_speech())


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "kind_label": lambda kind: _(AUTHORITY_KINDS.get(kind, kind)),
        "format_day": lambda day: deadlines.format_day(day, interface_speech()) if day else "",
        "explain_due": explain,
    }


# --- browsing ------------------------------------------------------------------------------------


@bp.get("/")
@member_required
def countries() -> str:
    """List the countries with their reply rule."""
    catalogue = _catalogue()
    lang = _lang()
    rows = []
    for code, country in sorted(catalogue.countries.items(), key=lambda i: i[1].name(lang).text):
        rows.append(
            {
                "country": country,
                "name": country.name(lang).text,
                "authorities": len(catalogue.authorities_for(code)),
                "example": example_due(code),
            }
        )
    return render_template("directory/countries.html", rows=rows)


@bp.get("/countries/<code>")
@member_required
def country(code: str) -> str:
    """Show a country's reply rules, authorities and demand sets."""
    catalogue = _catalogue()
    found = _lookup("country", code.upper())
    rules = deadlines.load_rules().rules_for(found.code) if found.code else ()
    examples = [(rule, example_due(found.code, rule.kind)) for rule in rules]
    return render_template(
        "directory/country.html",
        country=found,
        examples=examples,
        authorities=catalogue.authorities_for(found.code),
        missions_here=[a for a in catalogue.authorities_in(found.code) if a.country != found.code],
        sets=[s for s in catalogue.demand_sets.values() if s.country == found.code],
        lang=_lang(),
    )


@bp.get("/authorities/<slug>")
@member_required
def authority(slug: str) -> str:
    """Show an authority: its names, addressee lines, contacts, reply rule and checks."""
    found: Authority = _lookup("authority", slug)
    return authority_page(found, checks_context(slug))


def authority_page(found: Authority, extra: dict[str, Any]) -> str:
    """The authority page (``extra``: what it shows about checks of its printed details)."""
    catalogue = _catalogue()
    return render_template(
        "directory/authority.html",
        authority=found,
        country=catalogue.country(found.country),
        example=example_due(found.country),
        letter_languages=letter_languages(),
        shipped=found.slug in ops.get_catalogue().authorities,
        lang=_lang(),
        **extra,
    )


@bp.get("/demands")
@member_required
def demands() -> str:
    """List demand sets and demands, with a search over their texts."""
    catalogue = _catalogue()
    query = request.args.get("q", "").strip()[:100]
    found: list[Demand] = list(catalogue.demands.values())
    if query:
        needle = query.casefold()
        found = [
            d
            for d in found
            if any(
                needle in t.casefold()
                for t in (*d.titles.as_dict().values(), *d.texts.as_dict().values())
            )
        ]
    return render_template(
        "directory/demands.html",
        sets=list(catalogue.demand_sets.values()),
        demands=found,
        query=query,
        lang=_lang(),
    )


@bp.get("/demands/<slug>")
@member_required
def demand(slug: str) -> str:
    """Show a demand in every letter language, with its rationale and sources."""
    found: Demand = _lookup("demand", slug)
    catalogue = _catalogue()
    return render_template(
        "directory/demand.html",
        demand=found,
        sets=catalogue.sets_with(slug),
        letter_languages=letter_languages(),
        shipped=slug in ops.get_catalogue().demands,
        lang=_lang(),
    )


@bp.get("/sets/<slug>")
@member_required
def demand_set(slug: str) -> str:
    """Show a demand set with its demands in order and where it comes from."""
    return render_template(
        "directory/set.html",
        demand_set=_lookup("demand_set", slug),
        shipped=slug in ops.get_catalogue().demand_sets,
        lang=_lang(),
    )


# --- a group's own authorities -----------------------------------------------------------------

AUTHORITY_FIELDS = {
    "name": "name",
    "addressee": "addressee_en",
    "salutation": "salutation_en",
    "contacts": "post",
    "country": "country",
    "kind": "kind",
}


def _edit_authority(slug: str | None) -> str | Response:
    catalogue = _catalogue()
    existing: Authority | None = _lookup("authority", slug) if slug else None
    base = ops.authority_entry(existing) if existing else None
    form = AuthorityForm(data=authority_form_data(base) if base else None)
    if existing is None and request.method == "GET":
        wanted = request.args.get("country", "").upper()
        if wanted in catalogue.countries:
            form.country.data = wanted
            form.language.data = (
                catalogue.country(wanted).official_languages[0]
                if catalogue.country(wanted).official_languages
                else "en"
            )
    form.set_choices(catalogue, _lang())
    if form.validate_on_submit():
        entry = authority_entry_from(form, base)
        try:
            row = ops.save_authority(current_group(), current_user, entry, slug=slug)
        except ops.EntryError as error:
            transaction.discard()
            contact_fields = {
                f"contacts.{i}.value": contact["kind"]
                for i, contact in enumerate(entry["contacts"])
            }
            attach_problems(form, error.problems, {**AUTHORITY_FIELDS, **contact_fields})
        else:
            flash(_("The authority was saved for your group."), "success")
            return redirect(url_for("directory.authority", slug=row.slug))
    return render_template(
        "directory/authority_form.html",
        form=form,
        existing=existing,
        slug=slug,
        shipped=slug in ops.get_catalogue().authorities if slug else False,
    )


@bp.route("/authorities/new", methods=["GET", "POST"])
@coordinator_required
def new_authority() -> str | Response:
    """Add an authority the group writes to (a dispensary, a court, a mayor's office …)."""
    return _edit_authority(None)


@bp.route("/authorities/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_authority(slug: str) -> str | Response:
    """Change the group's version of an authority."""
    return _edit_authority(slug)


def _remove(model: type[Any], slug: str, endpoint: str) -> Response:
    if not ops.remove_entry(model, current_group(), current_user, slug):
        abort(404)
    if slug.startswith(model.PREFIX):
        flash(_("The entry was deleted."), "success")
        return redirect(
            url_for("directory.countries" if model is GroupAuthority else "directory.demands")
        )
    flash(_("Your group's changes were removed; the shipped entry shows again."), "success")
    return redirect(url_for(endpoint, slug=slug))


@bp.post("/authorities/<slug>/remove")
@coordinator_required
def remove_authority(slug: str) -> Response:
    """Delete the group's own authority, or undo its changes to a shipped one."""
    return _remove(GroupAuthority, slug, "directory.authority")


# --- a group's own demands -----------------------------------------------------------------------

DEMAND_FIELDS = {
    "title": "title_en",
    "text": "text_en",
    "rationale": "rationale",
    "sources": "sources",
}


def _edit_demand(slug: str | None) -> str | Response:
    existing: Demand | None = _lookup("demand", slug) if slug else None
    base = ops.demand_entry(existing) if existing else None
    form = DemandForm(data=demand_form_data(base, _lang()) if base else None)
    if form.validate_on_submit():
        entry = demand_entry_from(form, base, _lang())
        try:
            row = ops.save_demand(current_group(), current_user, entry, slug=slug)
        except ops.EntryError as error:
            transaction.discard()
            attach_problems(form, error.problems, DEMAND_FIELDS)
        else:
            flash(_("The demand was saved for your group."), "success")
            return redirect(url_for("directory.demand", slug=row.slug))
    return render_template(
        "directory/demand_form.html",
        form=form,
        existing=existing,
        slug=slug,
        shipped=slug in ops.get_catalogue().demands if slug else False,
    )


@bp.route("/demands/new", methods=["GET", "POST"])
@coordinator_required
def new_demand() -> str | Response:
    """Write a demand of the group's own."""
    return _edit_demand(None)


@bp.route("/demands/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_demand(slug: str) -> str | Response:
    """Change the group's version of a demand."""
    return _edit_demand(slug)


@bp.post("/demands/<slug>/remove")
@coordinator_required
def remove_demand(slug: str) -> Response:
    """Delete the group's own demand, or undo its changes to a shipped one."""
    return _remove(GroupDemand, slug, "directory.demand")


# --- a group's own demand sets -------------------------------------------------------------------


def _chosen_demands(catalogue: Catalogue) -> list[str]:
    """Demands ticked in the form, ordered by the positions typed next to them."""
    chosen: list[tuple[float, int, str]] = []
    for index, slug in enumerate(request.form.getlist("demand")):
        if slug not in catalogue.demands:
            continue
        raw = request.form.get(f"position-{slug}", "").strip()
        try:
            position = float(raw) if raw else float(index + 1)
        except ValueError:
            position = float(index + 1)
        chosen.append((position, index, slug))
    return [slug for _pos, _i, slug in sorted(chosen)]


def _edit_set(slug: str | None) -> str | Response:
    catalogue = _catalogue()
    existing = _lookup("demand_set", slug) if slug else None
    form = DemandSetForm(
        data={
            **{f"title_{code}": existing.titles.exact(code) or "" for code in required_languages()},
            "description": (existing.description(_lang()).text if existing.descriptions else ""),
            "country": existing.country or "",
        }
        if existing
        else None
    )
    form.country.choices = country_choices(catalogue, _lang(), blank=True)
    selected = list(existing.slugs) if existing else []
    if request.method == "POST":
        selected = _chosen_demands(catalogue)
    if form.validate_on_submit():
        data = {
            "title": {code: title.data for code, title in form.title_fields() if title.data},
            "demands": selected,
            "country": form.country.data or None,
        }
        if form.description.data:
            data["description"] = {_lang(): form.description.data}
        try:
            row = ops.save_demand_set(current_group(), current_user, data, slug=slug)
        except ops.EntryError as error:
            transaction.discard()
            attach_problems(form, error.problems, {"title": "title_en"})
        else:
            flash(_("The demand set was saved for your group."), "success")
            return redirect(url_for("directory.demand_set", slug=row.slug))
    return render_template(
        "directory/set_form.html",
        form=form,
        existing=existing,
        slug=slug,
        demands=list(catalogue.demands.values()),
        selected=selected,
        lang=_lang(),
        shipped=slug in ops.get_catalogue().demand_sets if slug else False,
    )


@bp.route("/sets/new", methods=["GET", "POST"])
@coordinator_required
def new_set() -> str | Response:
    """Put demands together in a set of the group's own."""
    return _edit_set(None)


@bp.route("/sets/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit_set(slug: str) -> str | Response:
    """Change the group's version of a demand set."""
    return _edit_set(slug)


@bp.post("/sets/<slug>/remove")
@coordinator_required
def remove_set(slug: str) -> Response:
    """Delete the group's own set, or undo its changes to a shipped one."""
    return _remove(GroupDemandSet, slug, "directory.demand_set")
