"""The members' minimum rates, tried below the floor through every entry point, pages and API alike.

The entry points: sending a proposal (with or without a milestone plan), a counter-offer (with or
without a plan), accepting terms (the floor in force at acceptance: accepting starts a new contract),
a milestone added to a running fixed-price contract, and hours on an hourly contract (the floor that
contract started under, never one decided since). Each is refused with the floor and the decision
that set it, and leaves the database as it was.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Notification
from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Job, Milestone, Proposal, ProposalRevision, Timesheet, WorkPolicy
from marketplace.services.proposals import proposal_accept, proposal_revise, proposal_submit
from marketplace.services.timesheets import timesheet_submit
from marketplace.services.work_rules import work_policy_create
from marketplace.work_decisions import MINIMUM_RATES_KEY
from tests.factories import MemberFactory
from tests.marketplace.work_rules_helpers import decide, starts_now

pytestmark = pytest.mark.django_db

FLOOR = "€50.00 an hour"
TERMS = {"hourly_cents": 5000, "fixed_hourly_cents": 4000, "hours_per_day": 8}
# The members' decision the floor below stands for (a governance proposal's number).
DECISION = 4711


def set_floor(*, at: Any = None, proposal_id: int | None = DECISION) -> WorkPolicy:
    return work_policy_create(
        kind=WorkPolicy.Kind.MINIMUM_RATES,
        terms=TERMS,
        valid_from=at or timezone.now() - timedelta(minutes=1),
        actor=None,
        governance_proposal_id=proposal_id,
    )


@pytest.fixture
def hourly_job(make_job: Any) -> Job:
    return make_job(title="Weekly support", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=6000)


def last_monday() -> Any:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7)


def stated(text: str, floor: str = FLOOR) -> bool:
    """Whether a refusal states the floor and the members' decision that set it."""
    return f"{floor} (minimum rates, version 1, set by decision {DECISION})" in text


def assert_below(response: Any, floor: str = FLOOR) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == ErrorCode.BELOW_MINIMUM_RATE
    assert body["detail"]["floor_cents"] == (5000 if floor == FLOOR else 4000)
    assert body["detail"]["decision_id"] == DECISION
    assert stated(body["message"], floor), body["message"]


def database() -> dict[str, Any]:
    """What a refused attempt must leave as it was: the terms on the table, contracts and their work,
    notices and the audit trail."""
    return {
        "proposals": list(
            Proposal.objects.order_by("pk").values_list(
                "pk", "status", "amount_cents", "duration_days", "milestone_plan", "terms_by"
            )
        ),
        "revisions": ProposalRevision.objects.count(),
        "contracts": list(Contract.objects.order_by("pk").values_list("pk", "status", "amount_cents")),
        "milestones": list(Milestone.objects.order_by("pk").values_list("pk", "status", "amount_cents")),
        "timesheets": Timesheet.objects.count(),
        "jobs": list(Job.objects.order_by("pk").values_list("pk", "status")),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def plan_rows(rows: list[tuple[str, str]]) -> dict[str, str]:
    """The milestone plan's formset as the proposal page posts it (title, amount in euros)."""
    data = {"plan-TOTAL_FORMS": str(len(rows)), "plan-INITIAL_FORMS": "0", "plan-MIN_NUM_FORMS": "0"}
    data["plan-MAX_NUM_FORMS"] = "1000"
    for index, (title, amount) in enumerate(rows):
        data.update({f"plan-{index}-title": title, f"plan-{index}-amount": amount, f"plan-{index}-due_date": ""})
    return data


def test_a_decided_floor_refuses_a_low_hourly_proposal_naming_the_floor_and_decision(
    hourly_job: Job, freelancer: Any
) -> None:
    from governance.rules_defaults import ensure_founding_rules

    ensure_founding_rules()
    members = [MemberFactory() for _ in range(3)]
    decision = decide(MINIMUM_RATES_KEY, {"terms": TERMS, "valid_from": starts_now()}, members)
    with pytest.raises(ApplicationError) as refused:
        proposal_submit(
            job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10
        )
    assert refused.value.code == ErrorCode.BELOW_MINIMUM_RATE
    assert FLOOR in refused.value.message and f"set by decision {decision.pk}" in refused.value.message
    assert refused.value.detail["decision_id"] == decision.pk
    proposal_submit(job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=5000, duration_days=10)


def test_proposal_below_the_floor_is_refused_on_the_page_and_by_the_api(
    hourly_job: Job, freelancer: Any, client_for: Any
) -> None:
    set_floor()
    before = database()
    web = client_for(freelancer)
    page = web.post(
        reverse("marketplace:proposal-create", args=[hourly_job.pk]),
        {"cover_letter": "Hi", "amount": "45.00", "duration_days": "10"},
    )
    assert page.status_code == 200 and stated(page.content.decode())
    api = web.post(
        reverse("api-proposal-submit", args=[hourly_job.pk]),
        {"cover_letter": "Hi", "amount_cents": 4500, "duration_days": 10},
        content_type="application/json",
    )
    assert_below(api)
    assert database() == before and not Proposal.objects.exists()


def test_fixed_price_and_its_milestone_plan_below_the_floor_per_estimated_hour_are_refused(
    job: Job, freelancer: Any, client_for: Any
) -> None:
    set_floor()
    before = database()
    plan = [{"title": "Design", "amount_cents": 40_000}, {"title": "Build", "amount_cents": 60_000}]
    # 14 days of 8 hours at €40 is €4,480.00; €1,000.00 is below it, plan or no plan.
    response = client_for(freelancer).post(
        reverse("api-proposal-submit", args=[job.pk]),
        {"cover_letter": "Hi", "amount_cents": 100_000, "duration_days": 14, "milestone_plan": plan},
        content_type="application/json",
    )
    assert_below(response, "€40.00 an hour")
    assert "at least €4,480.00" in response.json()["message"]
    assert database() == before
    proposal_submit(
        job_id=job.pk,
        freelancer=freelancer,
        cover_letter="Hi",
        amount_cents=100_000,
        duration_days=3,
        milestone_plan=plan,
    )


def test_a_milestone_plan_below_the_floor_is_refused_on_the_proposal_page(
    job: Job, freelancer: Any, client_for: Any
) -> None:
    set_floor()
    before = database()
    page = client_for(freelancer).post(
        reverse("marketplace:proposal-create", args=[job.pk]),
        {
            "cover_letter": "Hi",
            "amount": "1000.00",
            "duration_days": "14",
            **plan_rows([("Design", "400.00"), ("Build", "600.00")]),
        },
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "at least €4,480.00" in text and stated(text, "€40.00 an hour")
    assert database() == before and not Proposal.objects.exists()


def test_a_counter_offer_below_the_floor_is_refused_on_the_page_and_by_the_api(
    hourly_job: Job, freelancer: Any, hirer: Any, client_for: Any
) -> None:
    proposal = proposal_submit(
        job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=6000, duration_days=10
    )
    set_floor()
    before = database()
    web = client_for(hirer)
    page = web.post(
        reverse("marketplace:proposal-revise", args=[proposal.pk]),
        {"amount": "40.00", "duration_days": "10", "note": "Less?"},
        follow=True,
    )
    assert stated(page.content.decode())
    api = web.post(
        reverse("api-proposal-revise", args=[proposal.pk]),
        {"amount_cents": 4000, "duration_days": 10},
        content_type="application/json",
    )
    assert_below(api)
    with pytest.raises(ApplicationError):
        proposal_revise(proposal_id=proposal.pk, actor=freelancer, amount_cents=4999, duration_days=10)
    assert database() == before
    proposal.refresh_from_db()
    assert proposal.amount_cents == 6000


def test_a_counter_offer_with_a_milestone_plan_below_the_floor_is_refused_on_the_page_and_by_the_api(
    job: Job, freelancer: Any, hirer: Any, client_for: Any
) -> None:
    proposal = proposal_submit(
        job_id=job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=500_000, duration_days=14
    )
    set_floor()
    before = database()
    web = client_for(hirer)
    page = web.post(
        reverse("marketplace:proposal-revise", args=[proposal.pk]),
        {
            "amount": "1000.00",
            "duration_days": "14",
            "note": "Cheaper, in two steps?",
            **plan_rows([("Design", "400.00"), ("Build", "600.00")]),
        },
        follow=True,
    )
    text = page.content.decode()
    assert "at least €4,480.00" in text and stated(text, "€40.00 an hour")
    api = web.post(
        reverse("api-proposal-revise", args=[proposal.pk]),
        {
            "amount_cents": 100_000,
            "duration_days": 14,
            "milestone_plan": [{"title": "Design", "amount_cents": 40_000}, {"title": "Build", "amount_cents": 60_000}],
        },
        content_type="application/json",
    )
    assert_below(api, "€40.00 an hour")
    assert database() == before


def test_terms_put_on_the_table_before_a_floor_cannot_be_accepted_below_it(
    hourly_job: Job, freelancer: Any, hirer: Any
) -> None:
    proposal = proposal_submit(
        job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10
    )
    set_floor()
    before = database()
    with pytest.raises(ApplicationError) as refused:
        proposal_accept(proposal_id=proposal.pk, actor=hirer)
    assert refused.value.code == ErrorCode.BELOW_MINIMUM_RATE
    assert stated(refused.value.message)
    assert database() == before and not Contract.objects.exists()


def test_accepting_terms_below_the_floor_in_force_is_refused_on_the_page_and_by_the_api(
    hourly_job: Job, job: Job, freelancer: Any, make_freelancer: Any, hirer: Any, client_for: Any
) -> None:
    # Terms sent before the members decided a floor: accepting them now would start a new contract
    # below it, so the floor in force at acceptance applies.
    hourly = proposal_submit(
        job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10
    )
    fixed = proposal_submit(
        job_id=job.pk, freelancer=make_freelancer(), cover_letter="Hi", amount_cents=100_000, duration_days=14
    )
    set_floor()
    before = database()
    web = client_for(hirer)
    page = web.post(reverse("marketplace:proposal-accept", args=[hourly.pk]), follow=True)
    assert page.redirect_chain[-1][0] == reverse("marketplace:proposal-detail", args=[hourly.pk])
    assert stated(page.content.decode())
    page = web.post(reverse("marketplace:proposal-accept", args=[fixed.pk]), follow=True)
    text = page.content.decode()
    assert "at least €4,480.00" in text and stated(text, "€40.00 an hour")
    assert_below(web.post(reverse("api-proposal-accept", args=[hourly.pk]), content_type="application/json"))
    assert_below(
        web.post(reverse("api-proposal-accept", args=[fixed.pk]), content_type="application/json"), "€40.00 an hour"
    )
    assert database() == before and not Contract.objects.exists()


def test_a_floor_decided_to_start_later_does_not_stop_an_acceptance_before_it(
    hourly_job: Job, freelancer: Any, hirer: Any, client_for: Any
) -> None:
    proposal = proposal_submit(
        job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10
    )
    set_floor(at=timezone.now() + timedelta(days=1))
    response = client_for(hirer).post(
        reverse("api-proposal-accept", args=[proposal.pk]), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Contract.objects.get().amount_cents == 4500


def test_an_added_milestone_below_the_floor_is_refused_on_the_page_and_by_the_api(
    job: Job, freelancer: Any, hirer: Any, client_for: Any
) -> None:
    set_floor(at=timezone.now() - timedelta(days=1))
    proposal = proposal_submit(
        job_id=job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=100_000, duration_days=3
    )
    contract = proposal_accept(proposal_id=proposal.pk, actor=hirer)
    before = database()
    web = client_for(hirer)
    url = reverse("marketplace:milestone-add", args=[contract.pk])
    page = web.post(url, {"title": "Extra page", "amount": "300.00"}, follow=True)
    assert "Say how many hours this milestone takes" in page.content.decode()
    page = web.post(url, {"title": "Extra page", "amount": "300.00", "estimated_hours": "10"}, follow=True)
    text = page.content.decode()
    assert "at least €400.00" in text and stated(text, "€40.00 an hour")
    api = web.post(
        reverse("api-milestone-add", args=[contract.pk]),
        {"title": "Extra page", "amount_cents": 30_000, "estimated_hours": 10},
        content_type="application/json",
    )
    assert_below(api, "€40.00 an hour")
    missing = web.post(
        reverse("api-milestone-add", args=[contract.pk]),
        {"title": "Extra page", "amount_cents": 30_000},
        content_type="application/json",
    )
    assert missing.status_code == 400 and missing.json()["code"] == ErrorCode.ESTIMATED_HOURS_REQUIRED
    assert database() == before and contract.milestones.count() == 1
    ok = web.post(
        reverse("api-milestone-add", args=[contract.pk]),
        {"title": "Extra page", "amount_cents": 40_000, "estimated_hours": 10},
        content_type="application/json",
    )
    assert ok.status_code == 201


def test_hours_on_an_hourly_contract_below_the_floor_it_started_under_are_refused(
    hourly_job: Job, freelancer: Any, hirer: Any, client_for: Any
) -> None:
    proposal = proposal_submit(
        job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10
    )
    contract = proposal_accept(proposal_id=proposal.pk, actor=hirer)
    # A floor in force when this contract started (its terms came in before the checks did).
    set_floor(at=contract.created_at - timedelta(minutes=1))
    before = database()
    web = client_for(freelancer)
    page = web.post(
        reverse("marketplace:timesheet-submit", args=[contract.pk]),
        {"week_start": last_monday().strftime("%d-%m-%Y"), "hours": "10", "description": "Support"},
        follow=True,
    )
    assert stated(page.content.decode())
    api = web.post(
        reverse("api-timesheet-submit", args=[contract.pk]),
        {"week_start": last_monday().isoformat(), "minutes": 600, "description": "Support"},
        content_type="application/json",
    )
    assert_below(api)
    assert database() == before and not Timesheet.objects.exists()


def test_a_floor_is_never_applied_to_a_contract_that_started_before_it(
    hourly_job: Job, freelancer: Any, hirer: Any
) -> None:
    proposal = proposal_submit(
        job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10
    )
    contract = proposal_accept(proposal_id=proposal.pk, actor=hirer)
    set_floor(at=timezone.now() + timedelta(seconds=1))
    Contract.objects.filter(pk=contract.pk).update(created_at=timezone.now() - timedelta(days=1))
    timesheet = timesheet_submit(
        contract_id=contract.pk, actor=freelancer, week_start=last_monday(), minutes=600, description="Support"
    )
    assert timesheet.amount_cents == 45_000


def test_a_floor_with_an_end_date_stops_applying_after_it(hourly_job: Job, freelancer: Any) -> None:
    work_policy_create(
        kind=WorkPolicy.Kind.MINIMUM_RATES,
        terms=TERMS,
        valid_from=timezone.now() - timedelta(days=30),
        valid_until=timezone.now() - timedelta(days=1),
        actor=None,
    )
    proposal_submit(job_id=hourly_job.pk, freelancer=freelancer, cover_letter="Hi", amount_cents=4500, duration_days=10)


def test_the_job_form_shows_the_floor_before_the_client_posts(hirer: Any, client_for: Any) -> None:
    set_floor()
    page = client_for(hirer).get(reverse("marketplace:job-create")).content.decode()
    assert "hourly work at least €50.00 an hour" in page
    assert "fixed-price work at least €40.00 per estimated hour (8 hours a day)" in page
