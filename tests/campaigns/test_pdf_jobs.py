"""A campaign's PDF is a background job: in-process threads by default, RQ on Redis when
configured. Its page shows the progress without JavaScript; another group cannot see or download
it; the finished PDF has the pages of the letters."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.campaigns import operations as ops
from letterkit.extensions import db
from letterkit.models import Group, Job, JobState, User
from letterkit.models.campaigns import Campaign
from letterkit.services import jobs
from tests.conftest import Client, login
from tests.documents.conftest import need_soffice

from .test_campaigns import campaign_id

REDIS_URL = "redis://127.0.0.1:6379/0"
PAGE = re.compile(rb"/Type\s*/Page[^s]")


@pytest.fixture
def examples(app: Flask, group_with_details: dict[str, Any], client: Client) -> dict[str, int]:
    login(client, group_with_details)
    assert client.post("/campaigns/examples").status_code == 302
    with app.app_context():
        return {c.name[:4]: c.id for c in db.session.scalars(sa.select(Campaign))}


def pages(pdf: bytes) -> int:
    return len(PAGE.findall(pdf))


def job_of(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def ask(client: Client, cid: int) -> tuple[str, int]:
    """Ask for the campaign's PDF; return the job page's path and the job's id."""
    response = client.post(f"/campaigns/{cid}/letters.pdf")
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    match = re.fullmatch(rf"/campaigns/{cid}/pdf/(\d+)", path)
    assert match, path
    return path, int(match.group(1))


def direct_pdf(app: Flask, cid: int) -> bytes:
    """The same campaign's PDF made in the test, without a job."""
    from letterkit import documents

    with app.app_context():
        campaign = db.session.get(Campaign, cid)
        group = db.session.get(Group, campaign.group_id)
        with ops.spooled() as out:
            ops.write_combined(campaign, group, out)
            out.seek(0)
            return documents.docx_to_pdf(out.read())


def test_the_job_page_works_without_javascript(app: Flask, examples, client: Client) -> None:
    cid = campaign_id(examples, "2011")
    with app.app_context():  # a job waiting for a worker (none is asked to run it here)
        group = db.session.scalar(sa.select(Group))
        job = Job(group_id=group.id, kind="campaign-pdf", subject_id=cid, error_params={})
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    page = client.get(f"/campaigns/{cid}/pdf/{job_id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Waiting for its turn." in page
    assert f'href="/campaigns/{cid}/pdf/{job_id}">Check again</a>' in page
    with app.app_context():
        db.session.execute(sa.update(Job).values(state=JobState.RUNNING, done=3, total=8))
        db.session.commit()
    page = client.get(f"/campaigns/{cid}/pdf/{job_id}").get_data(as_text=True)
    assert "Preparing the letters: 3 of 8." in page and 'value="3"' in page
    # Not ready: the download leads back to the page.
    response = client.get(f"/campaigns/{cid}/pdf/{job_id}/download")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/campaigns/{cid}/pdf/{job_id}"


@pytest.mark.slow
def test_an_in_process_job_makes_the_pdf_of_every_letter(
    app: Flask, examples, client: Client, factory
) -> None:
    need_soffice()
    cid = campaign_id(examples, "2011")
    path, job_id = ask(client, cid)
    jobs.wait_idle(app)  # the thread pool finishes the job
    job = job_of(app, job_id)
    assert job.state is JobState.DONE, (job.error, job.error_params)
    with app.app_context():
        letters = ops.letter_count(db.session.get(Campaign, cid))
    assert (job.done, job.total) == (letters, letters) and letters == 8
    page = client.get(path).get_data(as_text=True)
    assert "refresh" not in page and "The PDF of 8 letters is ready." in page
    response = client.get(f"{path}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="campaign-{cid}.pdf"'
    assert response.data.startswith(b"%PDF")
    assert pages(response.data) == pages(direct_pdf(app, cid)) >= letters

    # Another group can neither see nor download it.
    stranger = app.test_client()
    login(stranger, factory.user(factory.group("Other group"), "coordinator"))
    assert stranger.get(path).status_code == 404
    assert stranger.get(f"{path}/download").status_code == 404
    assert stranger.post(f"/campaigns/{cid}/letters.pdf").status_code == 404


def test_a_job_of_another_campaign_or_group_is_not_found(
    app: Flask, examples, client: Client, factory
) -> None:
    cid = campaign_id(examples, "2011")
    other_cid = campaign_id(examples, "2019")
    other_group = factory.group("Other group")
    with app.app_context():
        own = db.session.scalar(sa.select(Group).where(Group.id != other_group))
        mine = Job(group_id=own.id, kind="campaign-pdf", subject_id=cid, error_params={})
        theirs = Job(group_id=other_group, kind="campaign-pdf", subject_id=cid, error_params={})
        db.session.add_all([mine, theirs])
        db.session.commit()
        mine_id, theirs_id = mine.id, theirs.id
    assert client.get(f"/campaigns/{cid}/pdf/{mine_id}").status_code == 200
    assert client.get(f"/campaigns/{other_cid}/pdf/{mine_id}").status_code == 404
    assert client.get(f"/campaigns/{cid}/pdf/{theirs_id}").status_code == 404
    assert client.get(f"/campaigns/{cid}/pdf/{theirs_id}/download").status_code == 404


def test_an_interrupted_job_says_so(app: Flask, examples, client: Client) -> None:
    from datetime import timedelta

    from letterkit.models import utcnow

    cid = campaign_id(examples, "2011")
    with app.app_context():
        group = db.session.scalar(sa.select(Group))
        long_ago = utcnow() - timedelta(hours=2)
        job = Job(
            group_id=group.id,
            kind="campaign-pdf",
            subject_id=cid,
            state=JobState.RUNNING,
            error_params={},
            updated_at=long_ago,
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    page = client.get(f"/campaigns/{cid}/pdf/{job_id}").get_data(as_text=True)
    assert "The job was interrupted" in page and "refresh" not in page


class TestRq:
    """With LETTERKIT_JOB_QUEUE_URL, the job goes to RQ on the real Redis; ``letterkit worker``
    (an rq SimpleWorker inside the app context) runs it."""

    @pytest.fixture
    def app_config(self) -> Iterator[dict[str, Any]]:
        redis = pytest.importorskip("redis")
        pytest.importorskip("rq")
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        try:
            client.ping()
        except redis.exceptions.ConnectionError as error:
            pytest.skip(f"Redis at {REDIS_URL} is not running: {error}")
        name = f"letterkit-test-{uuid.uuid4().hex[:8]}"
        yield {"JOB_QUEUE_URL": REDIS_URL, "JOB_QUEUE_NAME": name}
        from rq import Queue

        Queue(name, connection=client).delete(delete_jobs=True)
        client.close()

    @pytest.mark.slow
    def test_an_rq_worker_makes_the_pdf(self, app: Flask, examples, client: Client) -> None:
        need_soffice()
        from redis import Redis
        from rq import Queue

        cid = campaign_id(examples, "2011")
        path, job_id = ask(client, cid)
        assert app.extensions.get("letterkit.jobs") is None  # not run in-process
        connection = Redis.from_url(REDIS_URL)
        queue = Queue(app.config["JOB_QUEUE_NAME"], connection=connection)
        assert queue.count == 1
        assert job_of(app, job_id).state is JobState.QUEUED
        assert "Waiting for its turn." in client.get(path).get_data(as_text=True)
        # What an operator runs: flask --app letterkit letterkit worker (here: until empty).
        result = app.test_cli_runner().invoke(args=["letterkit", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert queue.count == 0
        job = job_of(app, job_id)
        assert job.state is JobState.DONE, (job.error, job.error_params)
        response = client.get(f"{path}/download")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert pages(response.data) >= 8
        connection.close()

    def test_a_queue_that_does_not_answer_fails_the_job_not_the_request(
        self, app: Flask, examples, client: Client
    ) -> None:
        app.config["JOB_QUEUE_URL"] = "redis://127.0.0.1:1/0"
        cid = campaign_id(examples, "2011")
        path, job_id = ask(client, cid)
        job = job_of(app, job_id)
        assert job.state is JobState.FAILED
        assert "The job queue did not answer" in client.get(path).get_data(as_text=True)


def test_expired_results_are_purged(app: Flask, examples) -> None:
    from datetime import timedelta

    from letterkit.models import utcnow

    cid = campaign_id(examples, "2011")
    with app.app_context():
        group = db.session.scalar(sa.select(Group))
        user = db.session.scalar(sa.select(User))
        db.session.add(
            Job(
                group_id=group.id,
                kind="campaign-pdf",
                subject_id=cid,
                state=JobState.DONE,
                result=b"%PDF old",
                error_params={},
                expires_at=utcnow() - timedelta(minutes=1),
            )
        )
        db.session.commit()
        with app.test_request_context():
            jobs.create(group, user, "campaign-pdf", cid)
            db.session.commit()
        assert db.session.scalars(sa.select(Job.state)).all() == [JobState.QUEUED]


def test_the_worker_needs_a_queue(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["letterkit", "worker", "--burst"])
    assert result.exit_code != 0 and "LETTERKIT_JOB_QUEUE_URL is not set" in result.output
