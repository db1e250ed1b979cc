"""Disputes split escrow by a mediator's decision; hourly weeks are approved, paid and released."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.models import AuditEvent
from marketplace.models import Contract, Dispute, Milestone, Timesheet
from marketplace.services import escrow
from marketplace.services.disputes import dispute_open, dispute_resolve, dispute_respond
from marketplace.services.milestones import milestone_submit
from marketplace.services.timesheets import timesheet_approve, timesheet_reject, timesheet_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(contract: Contract, finance: Any, fund: Any) -> Dispute:
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    return dispute_open(
        milestone_id=milestone.pk, actor=contract.client, reason="quality", statement="Half of it is missing."
    )


def test_a_mediator_splits_a_disputed_milestone_through_the_ledger(disputed: Dispute, staff: Any) -> None:
    contract = disputed.milestone.contract
    dispute_respond(dispute_id=disputed.pk, actor=contract.freelancer, response="It is all there.")
    dispute_resolve(dispute_id=disputed.pk, actor=staff, release_cents=20_000, decision="Half was delivered.")
    disputed.refresh_from_db()
    assert disputed.status == Dispute.Status.RESOLVED
    assert (disputed.release_cents, disputed.refund_cents) == (20_000, 20_000)
    assert disputed.milestone.status == Milestone.Status.SETTLED
    assert escrow.balances(user_id=contract.freelancer_id, currency="EUR")["available"] == 18_000
    actions = set(AuditEvent.objects.filter(target_type="marketplace.dispute").values_list("action", flat=True))
    assert {"dispute.opened", "dispute.responded", "dispute.resolved"} <= actions


def test_only_staff_outside_the_contract_mediate(disputed: Dispute) -> None:
    contract = disputed.milestone.contract
    with pytest.raises(NotAllowed) as refused:
        dispute_resolve(dispute_id=disputed.pk, actor=contract.freelancer, release_cents=0, decision="Mine")
    assert refused.value.message == "Only a mediator can decide a dispute."


def test_mediator_waits_for_the_response_until_the_deadline(disputed: Dispute, staff: Any) -> None:
    with pytest.raises(Conflict) as refused:
        dispute_resolve(dispute_id=disputed.pk, actor=staff, release_cents=0, decision="Too early")
    assert refused.value.message == "The other side still has time to respond."
    Dispute.objects.filter(pk=disputed.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ApplicationError) as refused:
        dispute_resolve(dispute_id=disputed.pk, actor=staff, release_cents=10**9, decision="Too much")
    assert refused.value.message == "The amount to release must be between 0 and the milestone's amount."
    dispute_resolve(dispute_id=disputed.pk, actor=staff, release_cents=0, decision="No answer; full refund.")


def test_the_opener_cannot_respond_to_their_own_dispute(disputed: Dispute) -> None:
    with pytest.raises(NotAllowed) as refused:
        dispute_respond(dispute_id=disputed.pk, actor=disputed.opened_by, response="Me again")
    assert refused.value.message == "Only the other party responds to a dispute."


@pytest.fixture
def hourly(make_job: Any, make_proposal: Any, hirer: Any) -> Contract:
    from marketplace.services.proposals import proposal_accept

    job = make_job(title="Weekly copywriting", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=6000)
    proposal = make_proposal(on=job, amount_cents=6000, milestone_plan=None)
    return proposal_accept(proposal_id=proposal.pk, actor=hirer)


def _monday(weeks_ago: int = 1) -> Any:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7 * weeks_ago)


def test_an_approved_week_is_paid_and_released_at_once(hourly: Contract, finance: Any) -> None:
    from payouts.payments import bank_payment_record

    sheet = timesheet_submit(
        contract_id=hourly.pk, actor=hourly.freelancer, week_start=_monday(), minutes=150, description="Two posts"
    )
    assert sheet.amount_cents == 15_000
    sheet = timesheet_approve(timesheet_id=sheet.pk, actor=hourly.client)
    milestone = sheet.milestone
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDING
    bank_payment_record(
        reference=milestone.payment_reference,
        amount_cents=15_000,
        currency="EUR",
        received_on=timezone.localdate(),
        actor=finance,
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    assert escrow.balances(user_id=hourly.freelancer_id, currency="EUR")["available"] == 13_500


def test_a_week_at_an_odd_rate_is_billed_rounded_down_to_the_cent(
    make_job: Any, make_proposal: Any, hirer: Any
) -> None:
    from marketplace.services.proposals import proposal_accept

    job = make_job(title="Odd rate", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=9000)
    contract = proposal_accept(
        proposal_id=make_proposal(on=job, amount_cents=7777, milestone_plan=None).pk, actor=hirer
    )
    sheet = timesheet_submit(
        contract_id=contract.pk, actor=contract.freelancer, week_start=_monday(), minutes=61, description="Edits"
    )
    # 77.77 an hour for 61 minutes is 79.0661...: the fraction of a cent stays with the client.
    assert sheet.amount_cents == 7906


def test_a_rejected_week_can_be_sent_again(hourly: Contract) -> None:
    sheet = timesheet_submit(
        contract_id=hourly.pk, actor=hourly.freelancer, week_start=_monday(), minutes=600, description="Posts"
    )
    timesheet_reject(timesheet_id=sheet.pk, actor=hourly.client, note="We agreed on four hours.")
    sheet = timesheet_submit(
        contract_id=hourly.pk, actor=hourly.freelancer, week_start=_monday(), minutes=240, description="Posts"
    )
    assert (sheet.status, sheet.minutes) == (Timesheet.Status.SUBMITTED, 240)


def test_timesheet_weeks_start_on_monday(hourly: Contract) -> None:
    with pytest.raises(ApplicationError) as refused:
        timesheet_submit(
            contract_id=hourly.pk,
            actor=hourly.freelancer,
            week_start=_monday() + timedelta(days=1),
            minutes=60,
            description="x",
        )
    assert refused.value.message == "A timesheet week starts on a Monday."
