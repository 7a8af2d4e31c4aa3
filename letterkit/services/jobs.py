"""Background jobs: a well-kept queue when one is configured, a thread pool otherwise.

A job that takes longer than a request may (a campaign's PDF of 200 letters) is a row in the
``job`` table (:class:`~letterkit.models.Job`) that a worker picks up:

- ``LETTERKIT_JOB_QUEUE_URL=redis://…``: the job is put on an RQ queue (``JOB_QUEUE_NAME``,
  default ``letterkit``) and run by ``flask --app letterkit letterkit worker``, any number of them,
  on any machine that reaches the same database and Redis;
- otherwise, in-process: a :class:`concurrent.futures.ThreadPoolExecutor` of ``JOB_WORKERS``
  threads (default 2) in the web server's process. Right for one machine; a job of a server
  that is stopped or killed ends with it, and its page then says that it was interrupted.

Nothing of the queue is home-made: RQ or the standard library run the jobs, and the database
keeps their state, progress and result. A job is submitted only after the request that created
it has committed (:func:`letterkit.core.transaction.on_commit`), so a worker always finds it.

A kind of job is a function registered with :func:`register`: it gets the job and a
``progress(done, total)`` callback and returns the result's bytes and file name. Progress is
written on a connection of its own, committed at once, so the job's page shows it while the job
still reads. The job's own session commits when it ends: a job is not a request (like a CLI
command, it is its own unit of work).

The result is kept in the row, never in a file, for ``JOB_RESULT_MINUTES`` (default 60) after it
was made, so that a download that broke can be tried again; :func:`purge` then deletes it (every
new job purges, as does ``flask letterkit purge-jobs``).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from letterkit.core import transaction
from letterkit.documents import DocumentError
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import Group, Job, JobState, User, utcnow

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Handler = Callable[[Job, Progress], tuple[bytes, str]]
HANDLERS: dict[str, Handler] = {}
_EXTENSION = "letterkit.jobs"

M_INTERRUPTED = N_("The job was interrupted (the server stopped). Ask for it again.")
M_QUEUE_DOWN = N_("The job queue did not answer. Try again in a minute.")
M_UNEXPECTED = N_("The job failed unexpectedly. Ask for it again.")


class JobFailed(Exception):
    """A job cannot finish; ``message`` is untranslated, ``params`` format it."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def register(kind: str, handler: Handler) -> None:
    """Name the function that does the work of jobs of ``kind``."""
    HANDLERS[kind] = handler


def create(group: Group, actor: User, kind: str, subject_id: int) -> Job:
    """Record a new job and submit it once this request has committed."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for jobs of kind {kind!r}")
    purge()
    job = Job(
        group_id=group.id,
        kind=kind,
        subject_id=subject_id,
        requested_by_id=actor.id,
        state=JobState.QUEUED,
        error_params={},
    )
    db.session.add(job)
    db.session.flush()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_id = job.id
    transaction.on_commit(lambda: submit(app, job_id))
    return job


def submit(app: Flask, job_id: int) -> None:
    """Hand a stored job to the queue (RQ) or to this process's threads; a queue that does not
    answer fails the job (its page says so), not the request."""
    try:
        _submit(app, job_id)
    except Exception as error:  # noqa: BLE001 - Redis down, say: one line, no traceback
        log.error("job %s could not be queued: %s", job_id, type(error).__name__)
        _write(job_id, state=JobState.FAILED, error=M_QUEUE_DOWN, error_params={})


def _submit(app: Flask, job_id: int) -> None:
    url = app.config.get("JOB_QUEUE_URL")
    if url:
        from redis import Redis
        from rq import Queue

        queue = Queue(app.config["JOB_QUEUE_NAME"], connection=Redis.from_url(url))
        queue.enqueue(
            perform,
            job_id,
            job_timeout=int(app.config["JOB_TIMEOUT"]),
            result_ttl=0,  # the result is in the database
            failure_ttl=24 * 3600,
        )
        return
    executor = app.extensions.get(_EXTENSION)
    if executor is None:
        executor = ThreadPoolExecutor(
            max_workers=int(app.config["JOB_WORKERS"]), thread_name_prefix="letterkit-job"
        )
        app.extensions[_EXTENSION] = executor
    executor.submit(_perform_in, app, job_id)


def wait_idle(app: Flask) -> None:
    """Wait for this process's job threads to finish what they have (tests, shutdown)."""
    executor = app.extensions.pop(_EXTENSION, None)
    if executor is not None:
        executor.shutdown(wait=True)


def _perform_in(app: Flask, job_id: int) -> None:
    with app.app_context():
        perform(job_id)


def _write(job_id: int, **values: Any) -> None:
    """Change the job's row on a connection of its own, committed at once."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(Job).where(Job.id == job_id).values(updated_at=utcnow(), **values)
        )


def perform(job_id: int) -> None:
    """Run a job (in a worker, inside the app context): its state, progress and result go to
    its row. Only a queued job is run, once."""
    job = db.session.get(Job, job_id)
    if job is None or job.state is not JobState.QUEUED:
        return
    _write(job_id, state=JobState.RUNNING)

    def progress(done: int, total: int) -> None:
        _write(job_id, done=done, total=total)

    try:
        data, name = HANDLERS[job.kind](job, progress)
    except (JobFailed, DocumentError) as error:
        db.session.rollback()
        _write(job_id, state=JobState.FAILED, error=error.message, error_params=error.params)
        return
    except Exception as error:  # noqa: BLE001 - the page says it failed; the log says where
        db.session.rollback()
        stack = traceback.extract_tb(error.__traceback__)
        where = " <- ".join(f"{f.name} ({f.filename}:{f.lineno})" for f in reversed(stack))
        log.error("job %s (%s) failed: %s at %s", job_id, job.kind, type(error).__name__, where)
        _write(job_id, state=JobState.FAILED, error=M_UNEXPECTED, error_params={})
        return
    db.session.rollback()  # the handler only read
    minutes = int(current_app.config["JOB_RESULT_MINUTES"])
    _write(
        job_id,
        state=JobState.DONE,
        result=data,
        result_name=name,
        expires_at=utcnow() + timedelta(minutes=minutes),
    )


def interrupted(job: Job) -> bool:
    """Whether an unfinished job has stopped moving: its worker died (``JOB_STALE_MINUTES``)."""
    if job.finished:
        return False
    stale = timedelta(minutes=int(current_app.config["JOB_STALE_MINUTES"]))
    return utcnow() - job.updated_at > stale


def purge() -> int:
    """Delete expired results and jobs that ended or stopped long ago; count them."""
    now = utcnow()
    old = now - timedelta(days=1)
    result = db.session.execute(
        sa.delete(Job).where(
            sa.or_(Job.expires_at < now, Job.updated_at < old),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
