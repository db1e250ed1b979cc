"""Amounts and due dates typed into milestones, proposals and jobs: refused clearly, nothing saved.

The same rule holds for the web form and the API, because both call the service.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.exceptions import ErrorCode as CoreErrorCode
from core.models import AuditEvent
from core.money import MAX_AMOUNT_CENTS
from marketplace.exceptions import ErrorCode
from marketplace.forms import MilestoneForm, ProposalForm
from marketplace.models import Contract, Job, Milestone, MilestoneStatusChange, Proposal, ProposalRevision
from marketplace.services.jobs import job_create, job_update
from marketplace.services.milestones import milestone_add
from marketplace.services.proposals import proposal_accept, proposal_revise, proposal_submit

pytestmark = pytest.mark.django_db

TOO_MUCH = "An amount can be at most €999,999.99."
PAST = "A due date cannot be in the past."
OUT_OF_ORDER = "Put the milestones in the order they are due: each due date on or after the one before."


def today() -> Any:
    return timezone.localdate()


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Job, Proposal, ProposalRevision, Contract, Milestone, MilestoneStatusChange, AuditEvent)
    }


# Milestones added to a contract


def test_milestone_above_the_ceiling_is_refused_and_nothing_is_saved(contract: Contract, hirer: Any) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        milestone_add(contract_id=contract.pk, actor=hirer, title="More", amount_cents=999_999_999_900)

    assert (refused.value.code, refused.value.message) == (ErrorCode.AMOUNT_TOO_LARGE, TOO_MUCH)
    assert rows() == before


def test_milestone_due_in_the_past_is_refused_and_nothing_is_saved(contract: Contract, hirer: Any) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        milestone_add(
            contract_id=contract.pk, actor=hirer, title="More", amount_cents=10_000, due_date=today() - timedelta(1)
        )

    assert (refused.value.code, refused.value.message) == (ErrorCode.DUE_DATE_PAST, PAST)
    assert rows() == before


def test_milestone_at_the_ceiling_due_today_is_added(contract: Contract, hirer: Any) -> None:
    milestone = milestone_add(
        contract_id=contract.pk, actor=hirer, title="More", amount_cents=MAX_AMOUNT_CENTS, due_date=today()
    )

    assert (milestone.amount_cents, milestone.due_date) == (MAX_AMOUNT_CENTS, today())


def test_contract_page_refuses_the_qa_milestone_with_the_message(
    client_for: Any, contract: Contract, hirer: Any
) -> None:
    before = rows()

    response = client_for(hirer).post(
        reverse("marketplace:milestone-add", args=[contract.pk]),
        {"title": "More", "amount": "9999999999", "due_date": "2020-01-01"},
        follow=True,
    )

    body = response.content.decode()
    assert TOO_MUCH in body
    assert PAST in body
    assert rows() == before


def test_api_refuses_a_milestone_above_the_ceiling(client_for: Any, contract: Contract, hirer: Any) -> None:
    before = rows()

    response = client_for(hirer).post(
        f"/api/contracts/{contract.pk}/milestones/",
        {"title": "More", "amount_cents": MAX_AMOUNT_CENTS + 1},
        content_type="application/json",
    )

    # The API's input fields share the ceiling and may refuse first; either way it is a 400 in the
    # one error format and nothing is saved.
    assert response.status_code == 400
    assert response.json()["code"] in {ErrorCode.AMOUNT_TOO_LARGE, CoreErrorCode.INVALID}
    assert rows() == before


def test_api_refuses_a_milestone_due_in_the_past(client_for: Any, contract: Contract, hirer: Any) -> None:
    response = client_for(hirer).post(
        f"/api/contracts/{contract.pk}/milestones/",
        {"title": "More", "amount_cents": 10_000, "due_date": "2020-01-01"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"], response.json()["message"]) == (
        400,
        ErrorCode.DUE_DATE_PAST,
        PAST,
    )


def test_milestone_form_refuses_a_past_due_date_and_a_huge_amount() -> None:
    form = MilestoneForm({"title": "More", "amount": "1000000", "due_date": "2020-01-01"})

    assert not form.is_valid()
    assert form.errors == {"amount": [TOO_MUCH], "due_date": [PAST]}


# Proposals and their milestone plans


def test_proposal_plan_with_past_due_dates_out_of_order_is_refused(job: Job, freelancer: Any) -> None:
    before = rows()
    future = today() + timedelta(days=30)

    with pytest.raises(ApplicationError) as past:
        proposal_submit(
            job_id=job.pk,
            freelancer=freelancer,
            cover_letter="Hello",
            amount_cents=100_000,
            duration_days=14,
            milestone_plan=[
                {"title": "Design", "amount_cents": 40_000, "due_date": "2020-02-01"},
                {"title": "Build", "amount_cents": 60_000, "due_date": "2020-01-01"},
            ],
        )
    with pytest.raises(ApplicationError) as order:
        proposal_submit(
            job_id=job.pk,
            freelancer=freelancer,
            cover_letter="Hello",
            amount_cents=100_000,
            duration_days=14,
            milestone_plan=[
                {"title": "Design", "amount_cents": 40_000, "due_date": (future + timedelta(days=1)).isoformat()},
                {"title": "Build", "amount_cents": 60_000, "due_date": future.isoformat()},
            ],
        )

    assert (past.value.code, past.value.message) == (ErrorCode.DUE_DATE_PAST, PAST)
    assert (order.value.code, order.value.message) == (ErrorCode.PLAN_DUE_DATES_OUT_OF_ORDER, OUT_OF_ORDER)
    assert rows() == before


def test_proposal_plan_due_today_in_order_with_gaps_is_accepted(job: Job, freelancer: Any) -> None:
    later = today() + timedelta(days=10)

    proposal = proposal_submit(
        job_id=job.pk,
        freelancer=freelancer,
        cover_letter="Hello",
        amount_cents=100_000,
        duration_days=14,
        milestone_plan=[
            {"title": "Design", "amount_cents": 30_000, "due_date": today().isoformat()},
            {"title": "Review", "amount_cents": 10_000},
            {"title": "Build", "amount_cents": 30_000, "due_date": later.isoformat()},
            {"title": "Launch", "amount_cents": 30_000, "due_date": later.isoformat()},
        ],
    )

    assert [item["due_date"] for item in proposal.milestone_plan] == [
        today().isoformat(),
        None,
        later.isoformat(),
        later.isoformat(),
    ]


def test_proposal_price_above_the_ceiling_is_refused(job: Job, freelancer: Any) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        proposal_submit(
            job_id=job.pk,
            freelancer=freelancer,
            cover_letter="Hello",
            amount_cents=MAX_AMOUNT_CENTS + 1,
            duration_days=14,
        )

    assert (refused.value.code, refused.value.message) == (ErrorCode.AMOUNT_TOO_LARGE, TOO_MUCH)
    assert rows() == before


def test_counter_offer_with_a_past_due_date_changes_nothing(proposal: Proposal, hirer: Any) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        proposal_revise(
            proposal_id=proposal.pk,
            actor=hirer,
            amount_cents=100_000,
            duration_days=14,
            milestone_plan=[{"title": "All", "amount_cents": 100_000, "due_date": "2020-01-01"}],
        )

    assert refused.value.message == PAST
    assert rows() == before
    proposal.refresh_from_db()
    assert proposal.terms_by == Proposal.Party.FREELANCER


def test_api_refuses_the_qa_plan(client_for: Any, job: Job, freelancer: Any) -> None:
    future = today() + timedelta(days=30)
    response = client_for(freelancer).post(
        f"/api/jobs/{job.pk}/propose/",
        {
            "cover_letter": "Hello",
            "amount_cents": 100_000,
            "duration_days": 14,
            "milestone_plan": [
                {"title": "Design", "amount_cents": 40_000, "due_date": (future + timedelta(days=1)).isoformat()},
                {"title": "Build", "amount_cents": 60_000, "due_date": future.isoformat()},
            ],
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == ErrorCode.PLAN_DUE_DATES_OUT_OF_ORDER
    assert response.json()["message"] == OUT_OF_ORDER
    assert not Proposal.objects.exists()


def plan_rows(*rows: tuple[str, str, Any]) -> dict[str, str]:
    """The milestone-plan editor's fields as a page posts them, one (title, amount, due date) a row."""
    data = {"plan-TOTAL_FORMS": str(len(rows)), "plan-INITIAL_FORMS": "0"}
    for index, (title, amount, due) in enumerate(rows):
        data |= {f"plan-{index}-title": title, f"plan-{index}-amount": amount, f"plan-{index}-due_date": str(due)}
    return data


def test_proposal_form_marks_the_row_with_a_past_due_date_and_refuses_the_wrong_order() -> None:
    future = today() + timedelta(days=30)
    past = ProposalForm(
        {"cover_letter": "Hi", "amount": "1000", "duration_days": "5", **plan_rows(("Design", "1000", "01-02-2020"))}
    )
    order = ProposalForm(
        {
            "cover_letter": "Hi",
            "amount": "1000",
            "duration_days": "5",
            **plan_rows(("Design", "400", future + timedelta(days=1)), ("Build", "600", future)),
        }
    )

    assert not past.is_valid() and past.plan.forms[0].errors["due_date"] == ["A due date cannot be in the past."]
    assert not order.is_valid() and order.plan.non_form_errors() == [OUT_OF_ORDER]


def test_proposal_page_refuses_a_plan_out_of_order_and_saves_nothing(
    client_for: Any, job: Job, freelancer: Any
) -> None:
    future = today() + timedelta(days=30)

    response = client_for(freelancer).post(
        reverse("marketplace:proposal-create", args=[job.pk]),
        {
            "cover_letter": "Hi",
            "amount": "1000",
            "duration_days": "5",
            **plan_rows(("Design", "400", future + timedelta(days=1)), ("Build", "600", future)),
        },
    )

    assert OUT_OF_ORDER in response.content.decode()
    assert not Proposal.objects.exists()


# Job budgets


def test_job_budget_above_the_ceiling_is_refused_on_create_and_edit(hirer: Any, job: Job) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as created:
        job_create(client=hirer, title="Big", description="Big job", budget_min_cents=1_000, budget_max_cents=10**15)
    with pytest.raises(ApplicationError) as edited:
        job_update(
            job_id=job.pk,
            actor=hirer,
            title=job.title,
            description=job.description,
            budget_min_cents=1_000,
            budget_max_cents=MAX_AMOUNT_CENTS + 1,
            pricing_type=job.pricing_type,
        )

    assert (created.value.code, created.value.message) == (ErrorCode.AMOUNT_TOO_LARGE, TOO_MUCH)
    assert created.value.detail["field"] == "budget_max"
    assert edited.value.message == TOO_MUCH
    assert rows() == before
    job.refresh_from_db()
    assert job.budget_max_cents == 150_000


def test_job_budget_at_the_ceiling_is_accepted(hirer: Any) -> None:
    job = job_create(
        client=hirer, title="Big", description="Big job", budget_min_cents=1_000, budget_max_cents=MAX_AMOUNT_CENTS
    )

    assert job.budget_max_cents == MAX_AMOUNT_CENTS


def test_job_edit_refuses_a_new_past_deadline_but_keeps_one_that_has_passed(hirer: Any, job: Job) -> None:
    def edit(deadline: Any) -> Job:
        return job_update(
            job_id=job.pk,
            actor=hirer,
            title="New title",
            description=job.description,
            budget_min_cents=job.budget_min_cents,
            budget_max_cents=job.budget_max_cents,
            pricing_type=job.pricing_type,
            deadline=deadline,
        )

    with pytest.raises(ApplicationError) as refused:
        edit(today() - timedelta(days=1))
    assert refused.value.code == ErrorCode.DEADLINE_PAST

    # A deadline set in time and passed since stays while the rest of the job is edited.
    Job.objects.filter(pk=job.pk).update(deadline=today() - timedelta(days=3))
    assert edit(today() - timedelta(days=3)).title == "New title"


def test_job_api_refuses_a_budget_above_the_ceiling(client_for: Any, hirer: Any) -> None:
    response = client_for(hirer).post(
        "/api/jobs/new/",
        {"title": "Big", "description": "Big job", "budget_min_cents": 1_000, "budget_max_cents": MAX_AMOUNT_CENTS + 1},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] in {ErrorCode.AMOUNT_TOO_LARGE, CoreErrorCode.INVALID}
    assert not Job.objects.exists()


# Rows the platform writes itself keep their dates


def test_an_agreed_plan_whose_dates_have_passed_still_becomes_the_contract(proposal: Proposal, hirer: Any) -> None:
    # The plan was valid when sent; the client accepts after its first date has passed.
    Proposal.objects.filter(pk=proposal.pk).update(
        milestone_plan=[{"title": "All", "amount_cents": 100_000, "due_date": "2020-01-01"}]
    )

    contract = proposal_accept(proposal_id=proposal.pk, actor=hirer)

    assert [m.due_date.isoformat() for m in contract.milestones.all()] == ["2020-01-01"]
