"""CLI commands for tracking: what is due (for a daily job) and recomputing stale due dates.

The output names authorities, reference numbers and dates only, never people.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from letterkit.extensions import db
from letterkit.models import Group

from . import operations as ops
from . import queries


def _group(slug: str | None) -> Group | None:
    if slug is None:
        return None
    group = db.session.scalar(sa.select(Group).where(Group.slug == slug))
    if group is None:
        raise click.ClickException(f"There is no group {slug!r}.")
    return group


@click.command("due")
@click.option(
    "--within", type=click.IntRange(0, 3650), default=7, show_default=True, help="Days ahead."
)
@click.option("--group", "group_slug", help="Only this group (its slug).")
@with_appcontext
def due_command(within: int, group_slug: str | None) -> None:
    """List open dispatches due within DAYS, and those overdue, one line each."""
    group = _group(group_slug)
    today = ops.today()
    rows = queries.due_within(within, today, group.id if group else None)
    if not rows:
        click.echo(f"Nothing due by {today.isoformat()} + {within} days.")
        return
    for row in rows:
        if row.very_overdue_on is not None and row.very_overdue_on < today:
            status = f"very overdue ({(today - row.due_on).days} days)"
        elif row.due_on < today:
            status = f"overdue ({(today - row.due_on).days} days)"
        elif row.due_on == today:
            status = "due today"
        else:
            status = f"due in {(row.due_on - today).days} days"
        click.echo(
            "\t".join(
                [
                    row.slug,
                    row.due_on.isoformat(),
                    status,
                    row.due_kind or "",
                    row.country,
                    row.authority_slug,
                    row.reference or "-",
                    f"dispatch {row.id}",
                ]
            )
        )


@click.command("recompute-due")
@click.option("--group", "group_slug", help="Only this group (its slug).")
@click.option("--batch", type=click.IntRange(1, 100000), default=500, show_default=True)
@with_appcontext
def recompute_command(group_slug: str | None, batch: int) -> None:
    """Recompute due dates computed with older reply rules or holiday calendars."""
    group = _group(group_slug)
    total = changed = 0
    while True:
        done, moved = ops.recompute_stale(group, actor=None, limit=batch)
        db.session.commit()
        total += done
        changed += moved
        if done < batch:  # the last batch; every recomputed date now has the current versions
            break
    click.echo(f"Recomputed {total} due dates; {changed} changed.")


def register(app: Flask) -> None:
    """Add ``due`` and ``recompute-due`` to the ``letterkit`` command group."""
    group = app.cli.commands.get("letterkit")
    if not isinstance(group, click.Group):
        raise RuntimeError("register the letterkit command group first")
    group.add_command(due_command)
    group.add_command(recompute_command)
