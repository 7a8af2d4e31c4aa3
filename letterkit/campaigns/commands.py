"""CLI: load the seed campaigns as examples."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from letterkit.extensions import db
from letterkit.models import Group, Membership, Role, User

from . import jobs as _campaign_jobs  # noqa: F401 - registers the campaign PDF job
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


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (campaign PDFs) from the RQ queue at LETTERKIT_JOB_QUEUE_URL."""
    url = current_app.config.get("JOB_QUEUE_URL")
    if not url:
        raise click.ClickException(
            "LETTERKIT_JOB_QUEUE_URL is not set: jobs run inside the web server's process."
        )
    from redis import Redis
    from rq import Queue, SimpleWorker

    connection = Redis.from_url(url)
    queue = Queue(current_app.config["JOB_QUEUE_NAME"], connection=connection)
    # SimpleWorker runs each job in this process, inside the app context of this command.
    SimpleWorker([queue], connection=connection).work(burst=burst)


@click.command("purge-jobs")
@with_appcontext
def purge_jobs_command() -> None:
    """Delete finished background jobs whose results have expired."""
    from letterkit.services import jobs

    removed = jobs.purge()
    db.session.commit()
    click.echo(f"Removed {removed} job(s).")


def register(app: Flask) -> None:
    """Add ``load-examples``, ``worker`` and ``purge-jobs`` to the ``letterkit`` command group."""
    group = app.cli.commands.get("letterkit")
    if not isinstance(group, click.Group):
        raise RuntimeError("register the letterkit command group first")
    group.add_command(load_examples_command)
    group.add_command(worker_command)
    group.add_command(purge_jobs_command)
