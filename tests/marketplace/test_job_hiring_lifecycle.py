"""A job hires as many people as it asked for, then leaves search; it closes when its last contract ends."""

from typing import Any

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError, Conflict
from core.models import Notification
from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Job, JobStatusChange, Proposal
from marketplace.selectors.search import JobSearch, job_search
from marketplace.services import contracts as contract_services
from marketplace.services import jobs as job_services
from marketplace.services import proposals as proposal_services

pytestmark = pytest.mark.django_db


def _in_search(job: Job) -> bool:
    return job.pk in {j.pk for j in job_search(JobSearch())}


def test_the_one_hire_fills_the_job_takes_it_out_of_search_and_declines_the_others_with_a_notice(
    job: Job, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    assert _in_search(job)
    first, second = (make_proposal(by=make_freelancer()) for _ in range(2))
    proposal_services.proposal_accept(proposal_id=first.pk, actor=hirer)
    job.refresh_from_db()
    second.refresh_from_db()
    assert job.status == Job.Status.FILLED
    assert not _in_search(job)
    assert second.status == Proposal.Status.DECLINED
    assert Notification.objects.filter(user=second.freelancer, kind="proposal_declined_job_filled").count() == 1
    with pytest.raises(Conflict) as refused:
        make_proposal(by=make_freelancer())
    assert (refused.value.code, refused.value.message) == (
        ErrorCode.JOB_FILLED,
        "This job has hired everyone it was looking for and takes no more proposals.",
    )


def test_a_job_for_two_people_stays_open_after_the_first_hire_and_fills_at_the_second(
    make_job: Any, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    job = make_job(hires_wanted=2)
    proposals = [make_proposal(on=job, by=make_freelancer()) for _ in range(3)]
    proposal_services.proposal_accept(proposal_id=proposals[0].pk, actor=hirer)
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN and _in_search(job)
    proposal_services.proposal_accept(proposal_id=proposals[1].pk, actor=hirer)
    job.refresh_from_db()
    proposals[2].refresh_from_db()
    assert job.status == Job.Status.FILLED
    assert proposals[2].status == Proposal.Status.DECLINED
    assert Contract.objects.filter(job=job).count() == 2


def test_the_client_reopens_a_filled_job_for_more_hires_but_not_without_raising_the_number(
    contract: Contract, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    job = contract.job
    with pytest.raises(ApplicationError) as refused:
        job_services.job_reopen(job_id=job.pk, actor=hirer)
    assert refused.value.code == ErrorCode.JOB_FILLED
    job_services.job_reopen(job_id=job.pk, actor=hirer, hires_wanted=2)
    job.refresh_from_db()
    assert (job.status, job.hires_wanted) == (Job.Status.OPEN, 2)
    extra = make_proposal(on=job, by=make_freelancer())
    proposal_services.proposal_accept(proposal_id=extra.pk, actor=hirer)
    job.refresh_from_db()
    assert job.status == Job.Status.FILLED


def test_closing_declines_the_live_proposals_with_a_notice_saying_why(
    job: Job, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    waiting = make_proposal(by=make_freelancer())
    job_services.job_close(job_id=job.pk, actor=hirer)
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.DECLINED
    assert Notification.objects.filter(user=waiting.freelancer, kind="proposal_declined_job_closed").exists()


def test_ending_the_last_contract_closes_the_filled_job(contract: Contract, freelancer: Any) -> None:
    contract_services.contract_end_by_party(contract_id=contract.pk, actor=freelancer)
    job = Job.objects.get(pk=contract.job_id)
    assert job.status == Job.Status.CLOSED
    assert list(JobStatusChange.objects.filter(job=job).values_list("to_status", flat=True))[-2:] == [
        "filled",
        "closed",
    ]


def test_the_api_refuses_a_proposal_on_a_filled_job_with_its_code(
    contract: Contract, make_freelancer: Any, client: Any
) -> None:
    other = make_freelancer()
    client.force_login(other)
    answer = client.post(
        reverse("api-proposal-submit", args=[contract.job_id]),
        {"cover_letter": "Me too", "amount_cents": 1000, "currency": "EUR", "duration_days": 3},
        content_type="application/json",
    )
    assert answer.status_code == 409, answer.content
    assert answer.json()["code"] == "job_filled"


def test_hires_wanted_out_of_range_is_refused_with_its_code(make_job: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        make_job(hires_wanted=0)
    assert refused.value.code == ErrorCode.HIRES_WANTED_INVALID


def test_a_job_description_past_its_limit_is_refused_in_the_service_the_form_and_the_api(
    make_job: Any, hirer: Any, client: Any
) -> None:
    from marketplace import limits
    from marketplace.forms import JobForm

    too_long = "x" * (limits.JOB_DESCRIPTION + 1)
    with pytest.raises(ApplicationError) as refused:
        make_job(description=too_long)
    assert refused.value.code == ErrorCode.TEXT_TOO_LONG
    assert refused.value.message == "This text is 10,001 characters long; it can be at most 10,000."
    form = JobForm(
        {"title": "Logo", "description": too_long, "pricing_type": "fixed", "budget_min": "10", "budget_max": "20"}
    )
    assert not form.is_valid() and "description" in form.errors
    assert 'maxlength="10000"' in str(form["description"])
    assert "data-count-text" in str(form["description"])
    client.force_login(hirer)
    answer = client.post(
        reverse("api-job-create"),
        {"title": "Logo", "description": too_long, "budget_min_cents": 1000, "budget_max_cents": 2000},
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    assert Job.objects.filter(title="Logo").count() == 0


def test_the_skill_filter_offers_any_skill_in_words() -> None:
    from marketplace.forms import JobSearchForm

    assert "Any skill" in str(JobSearchForm()["skill"])
    assert "---------" not in str(JobSearchForm()["skill"])
