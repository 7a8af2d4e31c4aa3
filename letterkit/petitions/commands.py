"""CLI command for petitions: reduce signers' personal data after retention (a daily job).

The output gives numbers only, never a signer.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from letterkit.extensions import db

from . import operations as ops


@click.command("purge-signatures")
@with_appcontext
def purge_signatures_command() -> None:
    """Reduce signers' data to what they chose to show, once a petition's retention has ended."""
    result = ops.purge_due()
    db.session.commit()
    click.echo(
        f"Reduced the personal data of {result.signatures} signature(s) "
        f"in {result.petitions} petition(s)."
    )


def register(app: Flask) -> None:
    """Add ``purge-signatures`` to the ``letterkit`` command group."""
    group = app.cli.commands.get("letterkit")
    if not isinstance(group, click.Group):
        raise RuntimeError("register the letterkit command group first")
    group.add_command(purge_signatures_command)
