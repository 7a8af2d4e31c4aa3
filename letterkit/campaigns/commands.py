"""CLI: load the seed campaigns as examples."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from letterkit.extensions import db
from letterkit.models import Group, Membership, Role, User

from .examples import load_examples


@click.command("load-examples")
@click.option("--group", "group_slug", help="Group to load them into (default: the only one).")
@with_appcontext
def load_examples_command(group_slug: str | None) -> None:
    """Load the 2011 and 2019 campaigns of the seeds, with draft letters, into a group."""
    if group_slug:
        group = db.session.scalar(sa.select(Group).where(Group.slug == group_slug))
        if group is None:
            raise click.ClickException(f"There is no group {group_slug!r}.")
    else:
        groups = db.session.scalars(sa.select(Group).limit(2)).all()
        if len(groups) != 1:
            raise click.ClickException(
                "Name the group with --group." if groups else "Create a group first."
            )
        group = groups[0]
    coordinator = db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, Membership.role == Role.COORDINATOR)
        .order_by(Membership.id)
    )
    if coordinator is None:
        raise click.ClickException(f"Group {group.slug!r} has no coordinator yet.")
    made = load_examples(group, coordinator)
    db.session.commit()
    click.echo(f"Loaded {len(made)} example campaign(s) into {group.slug!r}.")


def register(app: Flask) -> None:
    """Add ``load-examples`` to the ``letterkit`` command group."""
    group = app.cli.commands.get("letterkit")
    if not isinstance(group, click.Group):
        raise RuntimeError("register the letterkit command group first")
    group.add_command(load_examples_command)
