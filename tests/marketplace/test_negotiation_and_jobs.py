"""Jobs move through their transition table; proposals negotiate with history; one per freelancer per job."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from core.exceptions import ApplicationError, Conflict, NotAllowed
from marketplace.exceptions import ErrorCode
from marketplace.models import Job, JobAttachment, JobStatusChange, Proposal
from marketplace.services import jobs as job_services
from marketplace.services import proposals as proposal_services

pytestmark = pytest.mark.django_db


def test_job_moves_only_through_its_transition_table_and_keeps_history(make_job: Any, hirer: Any) -> None:
    job = make_job(publish=False)
    job_services.job_publish(job_id=job.pk, actor=hirer)
    job_services.job_close(job_id=job.pk, actor=hirer)
    job_services.job_reopen(job_id=job.pk, actor=hirer)
    job_services.job_cancel(job_id=job.pk, actor=hirer)
    with pytest.raises(Conflict) as refused:
        job_services.job_publish(job_id=job.pk, actor=hirer)
    assert refused.value.message == "Job cannot move from “Cancelled” to “Open”."
    assert list(JobStatusChange.objects.filter(job=job).values_list("to_status", flat=True)) == [
        "draft",
        "open",
        "closed",
        "open",
        "cancelled",
    ]


def test_only_the_jobs_client_changes_it(job: Job, freelancer: Any) -> None:
    with pytest.raises(NotAllowed) as refused:
        job_services.job_close(job_id=job.pk, actor=freelancer)
    assert refused.value.message == "Only the client who posted this job can change it."


def test_a_bad_budget_is_refused_with_a_clear_message(hirer: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        job_services.job_create(client=hirer, title="T", description="D", budget_min_cents=500, budget_max_cents=100)
    assert refused.value.message == "The budget must be more than zero, and its upper end at least its lower end."
    assert not Job.objects.exists()


def test_one_proposal_per_freelancer_per_job(proposal: Proposal, make_proposal: Any) -> None:
    with pytest.raises(Conflict) as refused:
        make_proposal()
    assert refused.value.message == "You have already sent a proposal for this job."
    with pytest.raises(IntegrityError):
        Proposal.objects.create(
            job=proposal.job, freelancer=proposal.freelancer, cover_letter="x", amount_cents=1, duration_days=1
        )


def test_a_milestone_plan_must_add_up_to_the_price(make_proposal: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        make_proposal(amount_cents=100_000, milestone_plan=[{"title": "All", "amount_cents": 90_000}])
    assert refused.value.message == "The milestones must add up to the total price."


def test_counter_offer_needs_the_freelancers_agreement_before_acceptance(proposal: Proposal, hirer: Any) -> None:
    proposal_services.proposal_revise(
        proposal_id=proposal.pk, actor=hirer, amount_cents=90_000, duration_days=10, note="Can you do 900?"
    )
    with pytest.raises(Conflict) as refused:
        proposal_services.proposal_accept(proposal_id=proposal.pk, actor=hirer)
    assert refused.value.message == "The freelancer has not agreed to your counter-offer yet."
    proposal_services.proposal_agree(proposal_id=proposal.pk, actor=proposal.freelancer)
    contract = proposal_services.proposal_accept(proposal_id=proposal.pk, actor=hirer)
    assert contract.amount_cents == 90_000
    assert [(r.party, r.amount_cents) for r in proposal.revisions.order_by("id")] == [
        ("freelancer", 100_000),
        ("client", 90_000),
        ("freelancer", 90_000),
    ]
    # The counter-offer had no plan: one milestone for the whole price.
    assert list(contract.milestones.values_list("amount_cents", flat=True)) == [90_000]


def test_withdrawn_proposal_cannot_be_accepted(proposal: Proposal, hirer: Any) -> None:
    proposal_services.proposal_withdraw(proposal_id=proposal.pk, actor=proposal.freelancer)
    with pytest.raises(Conflict) as refused:
        proposal_services.proposal_accept(proposal_id=proposal.pk, actor=hirer)
    assert refused.value.message == "Proposal cannot move from “Withdrawn” to “Accepted”."


def test_cancelling_a_job_declines_its_live_proposals(proposal: Proposal, hirer: Any) -> None:
    job_services.job_cancel(job_id=proposal.job_id, actor=hirer)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED


def test_proposing_on_a_closed_job_is_refused(job: Job, hirer: Any, make_proposal: Any) -> None:
    job_services.job_close(job_id=job.pk, actor=hirer)
    with pytest.raises(Conflict) as refused:
        make_proposal()
    assert refused.value.message == "This job is not taking proposals."


def test_contract_keeps_the_fee_policy_of_its_start(proposal: Proposal, hirer: Any) -> None:
    from decimal import Decimal

    from marketplace.services.fees import fee_policy_create

    contract = proposal_services.proposal_accept(proposal_id=proposal.pk, actor=hirer)
    fee_policy_create(percent=Decimal("5"), actor=None, governance_proposal_id=77)
    contract.refresh_from_db()
    assert contract.fee_percent == Decimal("10.00")


def test_a_second_hire_on_a_filled_job_is_refused_and_the_other_proposals_are_declined(
    job: Any, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    first, second = (make_proposal(by=make_freelancer()) for _ in range(2))
    proposal_services.proposal_accept(proposal_id=first.pk, actor=hirer)
    second.refresh_from_db()
    assert second.status == Proposal.Status.DECLINED
    with pytest.raises(Conflict) as refused:
        proposal_services.proposal_accept(proposal_id=second.pk, actor=hirer)
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.JOB_FILLED,
        "Someone was already hired for this job.",
    )


def _job_form(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Logo for a bakery",
        "description": "A simple logo.",
        "pricing_type": "fixed",
        "budget_min": "100",
        "budget_max": "300",
        "skills": "Design",
        "remote": "on",
        **extra,
    }


def test_a_job_posted_from_the_form_keeps_its_attachments(client_for: Any, hirer: Any) -> None:
    brief = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief")
    response = client_for(hirer).post(reverse("marketplace:job-create"), _job_form(publish="1", attachments=[brief]))

    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == Job.Status.OPEN
    assert list(job.attachments.values_list("name", flat=True)) == ["brief.pdf"]


def test_a_refused_attachment_leaves_no_new_job_behind(client_for: Any, hirer: Any) -> None:
    good = SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief")
    bad = SimpleUploadedFile("setup.exe", b"MZ")
    response = client_for(hirer).post(
        reverse("marketplace:job-create"), _job_form(publish="1", attachments=[good, bad])
    )

    assert response.status_code == 200
    assert "Files of type .exe are not accepted." in response.content.decode()
    assert not Job.objects.exists()
    assert not JobAttachment.objects.exists()


def test_a_refused_attachment_leaves_the_edited_job_as_it_was(client_for: Any, job: Job, hirer: Any) -> None:
    bad = SimpleUploadedFile("setup.exe", b"MZ")
    response = client_for(hirer).post(
        reverse("marketplace:job-edit", args=[job.pk]), _job_form(title="Renamed", attachments=[bad])
    )

    assert response.status_code == 200
    assert "Files of type .exe are not accepted." in response.content.decode()
    job.refresh_from_db()
    assert job.title == "Build a booking page"
    assert not job.attachments.exists()
