"""Binding project acceptance: the members' rules hold a job for their vote, or refuse its sector."""

from typing import Any

import pytest
from django.urls import reverse

from core.exceptions import Conflict
from core.models import AuditEvent, Notification
from governance.models import Proposal
from governance.services.execution import decision_execute
from marketplace.decisions import PROJECT_ACCEPTANCE_KEY
from marketplace.exceptions import ErrorCode
from marketplace.models import Job, JobStatusChange
from marketplace.services.proposals import proposal_submit
from marketplace.work_decisions import ACCEPTANCE_RULES_KEY
from tests.factories import MemberFactory
from tests.marketplace.work_rules_helpers import decide, starts_now, vote_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def members() -> list[Any]:
    from governance.rules_defaults import ensure_founding_rules

    ensure_founding_rules()
    return [MemberFactory() for _ in range(3)]


@pytest.fixture
def rules(members: list[Any]) -> Proposal:
    terms = {"budget_over_cents": 1_000_000, "excluded_sectors": ["arms", "fossil_fuels"], "client_kinds": []}
    return decide(ACCEPTANCE_RULES_KEY, {"terms": terms, "valid_from": starts_now()}, members)


def test_a_job_under_every_condition_publishes_as_before(rules: Proposal, make_job: Any) -> None:
    job = make_job(budget_max_cents=900_000)
    assert job.status == Job.Status.OPEN and job.members_decision_id is None


def test_a_job_above_the_budget_waits_and_a_decision_opens_with_its_summary(
    rules: Proposal, make_job: Any, hirer: Any, freelancer: Any
) -> None:
    job = make_job(budget_max_cents=2_000_000, sector="culture")
    assert job.status == Job.Status.AWAITING_MEMBERS
    decision = Proposal.objects.get(pk=job.members_decision_id)
    assert decision.decision_key == PROJECT_ACCEPTANCE_KEY
    assert decision.status == Proposal.Status.DISCUSSION
    assert decision.payload["job_id"] == job.pk
    assert "€10,000.00" in decision.payload["summary"] and "Arts and culture" in decision.payload["summary"]
    assert Notification.objects.filter(user=hirer, kind="job_awaiting_members").exists()
    with pytest.raises(Conflict) as refused:
        proposal_submit(
            job_id=job.pk, freelancer=freelancer, cover_letter="Hello", amount_cents=2_000_000, duration_days=30
        )
    assert refused.value.code == ErrorCode.JOB_AWAITING_MEMBERS


def test_the_members_vote_publishes_the_job_exactly_once(
    rules: Proposal, members: list[Any], make_job: Any, hirer: Any, freelancer: Any
) -> None:
    job = make_job(budget_max_cents=2_000_000)
    decision = vote_through(job.members_decision_id, members)
    assert decision.status == Proposal.Status.EXECUTED
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN and job.published_at is not None
    assert Notification.objects.filter(user=hirer, kind="job_accepted_by_members").count() == 1
    # Carrying the decision out again changes nothing: the job moved once, with one history row.
    decision_execute(proposal_id=decision.pk, actor=None)
    assert JobStatusChange.objects.filter(job=job, to_status=Job.Status.OPEN).count() == 1
    assert AuditEvent.objects.filter(action__startswith="job.", target_id=str(job.pk)).exists()
    proposal_submit(job_id=job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=1_500_000, duration_days=30)


def test_a_rejected_vote_declines_the_job_with_the_reason(
    rules: Proposal, members: list[Any], make_job: Any, hirer: Any
) -> None:
    job = make_job(budget_max_cents=2_000_000)
    decision = vote_through(job.members_decision_id, members, choice="no")
    assert decision.status == Proposal.Status.REJECTED
    job.refresh_from_db()
    assert job.status == Job.Status.DECLINED
    assert Notification.objects.filter(user=hirer, kind="job_declined_by_members").exists()


def test_an_excluded_sector_is_refused_at_once_with_the_reason(
    rules: Proposal, make_job: Any, hirer: Any, client_for: Any
) -> None:
    job = make_job(sector="arms")
    assert job.status == Job.Status.DECLINED and job.members_decision_id is None
    page = client_for(hirer).get(reverse("marketplace:job-detail", args=[job.pk]))
    text = page.content.decode()
    assert "The members do not take on work in the sector Arms and defence" in text
    assert f"decision {rules.pk}" in text
    assert Notification.objects.filter(user=hirer, kind="job_refused_sector").exists()


def test_the_job_form_refuses_an_excluded_sector_and_says_why(rules: Proposal, hirer: Any, client_for: Any) -> None:
    response = client_for(hirer).post(
        reverse("marketplace:job-create"),
        {
            "title": "Brochure for a weapons fair",
            "description": "Twelve pages.",
            "skills": "Design",
            "pricing_type": "fixed",
            "budget_min": "500",
            "budget_max": "900",
            "remote": "on",
            "hires_wanted": "1",
            "sector": "arms",
            "publish": "1",
        },
        follow=True,
    )
    assert "The members do not take on work in the sector Arms and defence" in response.content.decode()
    assert Job.objects.get(title="Brochure for a weapons fair").status == Job.Status.DECLINED


def test_an_awaiting_job_is_shown_to_its_client_and_members_only(
    rules: Proposal, members: list[Any], make_job: Any, hirer: Any, freelancer: Any, client_for: Any
) -> None:
    job = make_job(budget_max_cents=2_000_000)
    url = reverse("marketplace:job-detail", args=[job.pk])
    assert "waits for the members" in client_for(hirer).get(url).content.decode()
    assert client_for(members[1].user).get(url).status_code == 200
    assert client_for(freelancer).get(url).status_code == 404


def test_the_api_reports_the_awaiting_status_and_refuses_proposals(
    rules: Proposal, make_job: Any, freelancer: Any, client_for: Any
) -> None:
    job = make_job(budget_max_cents=2_000_000)
    response = client_for(freelancer).post(
        reverse("api-proposal-submit", args=[job.pk]),
        {"cover_letter": "Hi", "amount_cents": 1_500_000, "duration_days": 30},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == ErrorCode.JOB_AWAITING_MEMBERS


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_two_executions_of_the_decision_at_the_same_moment_publish_the_job_once(
    members: list[Any], make_job: Any
) -> None:
    from marketplace.services.project_acceptance import job_decide_by_members
    from marketplace.services.work_rules import work_policy_create
    from tests.concurrency import run_concurrently
    from tests.services import need_postgres

    need_postgres()
    work_policy_create(kind="acceptance", terms={"budget_over_cents": 1_000_000}, actor=None)
    job = make_job(budget_max_cents=2_000_000)

    def execute(i: int) -> Any:
        from django.db import transaction

        with transaction.atomic():
            return job_decide_by_members(job_id=job.pk, proposal_id=job.members_decision_id, accepted=True, actor=None)

    results = run_concurrently(execute, 2)
    assert all(isinstance(result, Job) for result in results), results
    assert JobStatusChange.objects.filter(job=job, to_status=Job.Status.OPEN).count() == 1
    assert Notification.objects.filter(kind="job_accepted_by_members").count() == 1
