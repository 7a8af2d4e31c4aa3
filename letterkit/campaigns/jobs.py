"""A campaign's letters as one PDF, made in the background (letterkit.services.jobs).

LibreOffice converts one combined document; for 200 letters that takes longer than a request
may hold a worker (gunicorn's timeout). The job writes its progress as it prepares the letters
(n of N), then while LibreOffice converts them; the result is kept in the job's row.
"""

from __future__ import annotations

from letterkit import documents
from letterkit.documents.bulk import PDF_SECONDS_PER_LETTER
from letterkit.documents.pdf import DEFAULT_TIMEOUT
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import Group, Job
from letterkit.models.campaigns import Campaign
from letterkit.services import jobs

from . import operations as ops

KIND = "campaign-pdf"


def campaign_pdf(job: Job, progress: jobs.Progress) -> tuple[bytes, str]:
    """Make the PDF of every letter of the job's campaign; report n of N letters prepared."""
    campaign = db.session.get(Campaign, job.subject_id)
    group = db.session.get(Group, job.group_id)
    if campaign is None or group is None or campaign.group_id != group.id:
        raise jobs.JobFailed(N_("The campaign no longer exists."))
    total = ops.letter_count(campaign)
    if not total:
        raise jobs.JobFailed(N_("There are no letters yet. Make them first."))
    progress(0, total)
    with ops.spooled() as out:
        ops.write_combined(campaign, group, out, on_letter=lambda n: progress(n, total))
        out.seek(0)
        data = out.read()
    progress(total, total)  # every letter prepared: LibreOffice converts them now
    pdf = documents.docx_to_pdf(data, timeout=DEFAULT_TIMEOUT + PDF_SECONDS_PER_LETTER * total)
    return pdf, f"campaign-{campaign.id}.pdf"


jobs.register(KIND, campaign_pdf)
