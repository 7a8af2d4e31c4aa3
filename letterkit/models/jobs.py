"""Background jobs (a campaign's PDF): their state, progress and result, kept per group.

The result's bytes live in this row, not in a file: like a stored letter, it goes wherever the
database goes (backups included) and nowhere else, and it is deleted when it expires
(``JOB_RESULT_MINUTES`` after it was made) by :func:`letterkit.services.jobs.purge`.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .base import Model, enum_type, utcnow


class JobState(enum.StrEnum):
    """Where a job is: waiting for a worker, running, finished with a result, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Model):
    """One background job of a group, e.g. the PDF of a campaign's letters."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("group.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # What the job works on (a campaign's id for "campaign-pdf").
    subject_id: Mapped[int]
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    state: Mapped[JobState] = mapped_column(enum_type(JobState), default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # Why it failed: an untranslated message and its parameters.
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    error_params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    result: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    result_name: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        """Whether the job has ended, well or not."""
        return self.state in {JobState.DONE, JobState.FAILED}
