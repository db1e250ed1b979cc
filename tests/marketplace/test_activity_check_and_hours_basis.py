"""The hooks other apps offer, filled in by the marketplace: admission's activity check, the hours basis."""

from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from core.exceptions import Conflict
from marketplace.models import Contract
from marketplace.services.milestones import milestone_approve, milestone_submit
from marketplace.services.proposals import proposal_accept
from marketplace.services.timesheets import timesheet_approve, timesheet_submit
from tests.factories import MemberClassFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _complete(contract: Contract, fund: Any, finance: Any) -> None:
    for milestone in contract.milestones.order_by("position"):
        fund(milestone, contract.client, finance)
        milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
        milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED


def test_admission_waits_for_the_completed_contract_the_policy_asks_for(
    contract: Contract, finance: Any, fund: Any
) -> None:
    from membership.models import BylawsVersion, Member, MembershipPolicy
    from membership.selectors import membership_policy
    from membership.services import member_admit, member_apply
    from payouts.payments import bank_payment_record

    membership_policy()
    MembershipPolicy.objects.filter(pk=1).update(activity_check="completed_contracts", activity_required=1)
    bylaws = BylawsVersion.objects.create(version="2025.1", text="Article 1.", effective_on=date(2025, 1, 1))
    worker = MemberClassFactory(slug="worker", share_price_cents=5000, shares_required=1)
    user = contract.freelancer
    applicant = member_apply(
        user=user, member_class=worker, motivation="I work here.", bylaws_version=bylaws, actor=user
    )
    bank_payment_record(
        reference=applicant.share_payment_reference,
        amount_cents=5000,
        currency="EUR",
        received_on=timezone.localdate(),
        actor=finance,
    )
    # Finance records the share payment; the board decides admissions (the permission table).
    board = UserFactory(is_staff=True, staff_roles=["board"])
    with pytest.raises(Conflict) as refused:
        member_admit(member_id=applicant.pk, actor=board)
    assert refused.value.message == "The applicant has 0 of the 1 completed contracts the policy asks for."
    assert refused.value.code == "activity_requirement_unmet"

    _complete(contract, fund, finance)
    assert member_admit(member_id=applicant.pk, actor=board).status == Member.Status.ACTIVE


def test_completed_contracts_count_on_both_sides_and_only_when_completed(
    contract: Contract, finance: Any, fund: Any
) -> None:
    from membership.activity import activity_check

    check = activity_check("completed_contracts")
    assert check is not None
    assert (check.count(contract.freelancer), check.count(contract.client)) == (0, 0)
    _complete(contract, fund, finance)
    assert (check.count(contract.freelancer), check.count(contract.client), check.count(UserFactory())) == (1, 1, 0)


@pytest.fixture
def last_month() -> tuple[date, date]:
    end = timezone.localdate().replace(day=1)
    return (end - timedelta(days=1)).replace(day=1), end


def _at(day: date) -> Any:
    moment = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_an_hours_class_is_weighted_by_the_timesheets_approved_in_the_period(
    make_job: Any, make_proposal: Any, make_freelancer: Any, hirer: Any, finance: Any, last_month: tuple[date, date]
) -> None:
    from payouts.cycles.models import CycleStatus
    from payouts.cycles.services import cycle_compute, cycle_compute_start, cycle_open, surplus_policy_adopt
    from payouts.payments import bank_payment_record

    surplus_policy_adopt(
        data={
            "currency": "EUR",
            "funds": [{"name": "reserve", "percent": "20"}],
            "classes": [{"name": "hours worked", "percent": "100", "basis": "hours"}],
            "min_cash_percent": "20",
            "redemption_terms": "Paid back within five years.",
            "requires_member_vote": False,
        },
        actor=None,
    )
    joined = timezone.now() - timedelta(days=400)

    def hourly_job() -> Any:
        return make_job(title="Weekly support", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=6000)

    # The second week of the period, so every timesheet and payment happens inside it.
    monday = last_month[0] + timedelta(days=7 - last_month[0].weekday())
    members: dict[int, Any] = {}
    # Approved 150 and 450 minutes in the period; a third freelancer's week is still awaiting approval.
    for minutes, approve in ((150, True), (450, True), (300, False)):
        person = make_freelancer()
        members[person.pk] = MemberFactory(user=person, joined_at=joined)
        contract = proposal_accept(
            proposal_id=make_proposal(on=hourly_job(), by=person, amount_cents=6000, milestone_plan=None).pk,
            actor=hirer,
        )
        with _at(monday + timedelta(days=7)):
            sheet = timesheet_submit(
                contract_id=contract.pk, actor=person, week_start=monday, minutes=minutes, description="Support"
            )
            if approve:
                milestone = timesheet_approve(timesheet_id=sheet.pk, actor=hirer).milestone
                milestone.refresh_from_db()
                bank_payment_record(
                    reference=milestone.payment_reference,
                    amount_cents=sheet.amount_cents,
                    currency="EUR",
                    received_on=timezone.localdate(),
                    actor=finance,
                )
    # Approved after the period ends: it counts in the next period, not this one.
    late = make_freelancer()
    late_contract = proposal_accept(
        proposal_id=make_proposal(on=hourly_job(), by=late, amount_cents=6000, milestone_plan=None).pk, actor=hirer
    )
    MemberFactory(user=late, joined_at=joined)
    sheet = timesheet_submit(contract_id=late_contract.pk, actor=late, week_start=monday, minutes=600, description="x")
    timesheet_approve(timesheet_id=sheet.pk, actor=hirer)

    staff = UserFactory(is_staff=True, is_superuser=True)
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    cycle = cycle_compute(cycle_id=cycle.pk)

    assert cycle.status == CycleStatus.COMPUTED, cycle.failure_reason
    rows = {row.member.user_id: row for row in cycle.allocations.select_related("member")}
    first, second, _waiting = members
    assert set(rows) == {first, second}
    assert (rows[first].bases, rows[second].bases) == ({"hours": "150"}, {"hours": "450"})
    # Fees of 1,500 and 4,500 cents; 80% of the 6,000 is the pool, shared 1 : 3 by minutes.
    assert (rows[first].allocated_cents, rows[second].allocated_cents) == (1_200, 3_600)


def test_approved_hours_are_summed_in_one_grouped_query(
    make_job: Any, make_proposal: Any, hirer: Any, freelancer: Any, django_assert_num_queries: Any
) -> None:
    from marketplace.selectors.timesheets import approved_minutes_by_user

    job = make_job(title="Weekly support", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=6000)
    contract = proposal_accept(
        proposal_id=make_proposal(on=job, amount_cents=6000, milestone_plan=None).pk, actor=hirer
    )
    today = timezone.localdate()
    for weeks_ago, minutes in ((1, 90), (2, 30)):
        week = today - timedelta(days=today.weekday() + 7 * weeks_ago)
        sheet = timesheet_submit(
            contract_id=contract.pk, actor=freelancer, week_start=week, minutes=minutes, description="Support"
        )
        timesheet_approve(timesheet_id=sheet.pk, actor=hirer)
    start, end = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)
    with django_assert_num_queries(1):
        assert approved_minutes_by_user(start, end, "EUR") == {freelancer.pk: 120}
    assert approved_minutes_by_user(start, end, "USD") == {}
