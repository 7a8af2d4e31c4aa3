"""The two campaigns of the seeds, as examples a new group can load in one click.

- 1 December 2011: INPUD's letter with six demands, handed in at the Russian missions in London,
  Stockholm, Berlin, Bucharest, New York, Canberra, Barcelona and Toronto.
- 26 June 2019, "Support. Don't Punish": the common demands taken to the ministries of health of
  nine countries of Eastern Europe and Central Asia, each letter in that country's letter language.

The letters are made as drafts: nothing is claimed about when or how they were handed over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from letterkit.extensions import db
from letterkit.models import Group, Membership, User
from letterkit.models.campaigns import Campaign
from letterkit.services.catalogue import group_catalogue
from letterkit.tomldata import Fields, got, load_toml

from . import operations as ops

EXAMPLES_PATH = Path(__file__).with_name("examples.toml")
EXAMPLE_FIELDS = frozenset({"name", "template", "action_date", "demand_set", "targets", "fields"})


@dataclass(frozen=True)
class Example:
    """One example campaign of ``examples.toml``."""

    name: str
    template: str
    action_date: date
    demand_set: str
    targets: tuple[str, ...]
    #: The template's own fields by letter language: ``{"ru": {"subject": "…"}}``.
    fields: Mapping[str, Mapping[str, str]]


def read_examples(path: Path = EXAMPLES_PATH) -> list[Example]:
    """Read the example campaigns; the first problem raises ``TomlDataError`` naming it."""
    data = load_toml(path, path.name)
    top = Fields(data, {"example"}, file=path.name, fail_fast=True)
    examples = []
    for where, raw in got(top.tables("example")):
        f = top.sub(where, raw, EXAMPLE_FIELDS)
        by_lang = f.table("fields", required=True) or {}
        fields = {
            lang: {key: got(sub.text(key, required=True)) for key in sub.raw}
            for lang, sub in ((lang, f.sub(f"fields.{lang}", raw)) for lang, raw in by_lang.items())
        }
        examples.append(
            Example(
                name=got(f.text("name", required=True)),
                template=got(f.text("template", required=True)),
                action_date=got(f.day("action_date", allow_text=False)),
                demand_set=got(f.text("demand_set", required=True)),
                targets=tuple(got(f.strings("targets", required=True))),
                fields=fields,
            )
        )
    return examples


def load_examples(group: Group, actor: User) -> list[Campaign]:
    """Create the example campaigns in ``group`` with draft letters (skipped if already there)."""
    catalogue = group_catalogue(group.id)
    made = []
    for example in read_examples():
        exists = db.session.scalar(
            sa.select(
                sa.exists().where(Campaign.group_id == group.id, Campaign.name == example.name)
            )
        )
        if exists:
            continue
        campaign = ops.create_campaign(
            group,
            actor,
            name=example.name,
            template=example.template,
            action_date=example.action_date,
            demand_slugs=list(catalogue.demand_set(example.demand_set).slugs),
        )
        ops.add_targets(campaign, group, actor, list(example.targets))
        for language in ops.languages_of(campaign):
            ops.set_fields(campaign, group, actor, language, dict(example.fields[language]))
        ops.generate_letters(campaign, group, actor)
        made.append(campaign)
    return made


def on_group_set_up(sender: object, *, membership: Membership, with_examples: bool) -> None:
    """Load the examples into a new installation's first group when its coordinator asked."""
    if with_examples:
        load_examples(membership.group, membership.user)
