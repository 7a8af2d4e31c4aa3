"""``flask letterkit api-token``: an operator makes a token for a group's tools."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from letterkit.extensions import db
from letterkit.models import Group

from .tokens import NAME_MAX, TokenError, create_token


@click.command("api-token")
@click.option("--group", "group_slug", required=True, help="The group's slug.")
@click.option("--name", required=True, help=f"What uses the token (at most {NAME_MAX} characters).")
@click.option("--read-only", is_flag=True, help="The token can only read.")
@with_appcontext
def api_token_command(group_slug: str, name: str, read_only: bool) -> None:
    """Make an API token for a group and print it, once, on the last line."""
    group = db.session.scalar(sa.select(Group).where(Group.slug == group_slug))
    if group is None:
        raise click.ClickException(f"There is no group {group_slug!r}.")
    try:
        row, token = create_token(group, name, read_only=read_only, actor=None)
    except TokenError:
        raise click.ClickException(
            f"Give the token a name of 1 to {NAME_MAX} characters."
        ) from None
    db.session.commit()
    access = "read only" if read_only else "read and write"
    click.echo(f"Made API token {row.public_id} ({access}) for {group.slug}: {row.name}.")
    click.echo(
        "It is shown only now; letterkit keeps only its hash. Revoke it in the group settings."
    )
    click.echo(token)


def register(app: Flask) -> None:
    """Add ``api-token`` to the ``letterkit`` command group."""
    group = app.cli.commands.get("letterkit")
    if not isinstance(group, click.Group):
        raise RuntimeError("register the letterkit command group first")
    group.add_command(api_token_command)
