from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.exceptions import Conflict, NotAllowed
from core.exceptions import ErrorCode as KernelCode
from membership import services
from membership.exceptions import ErrorCode
from membership.models import BylawsAcceptance, BylawsVersion, Member, MembershipPolicy, MemberStatusChange
from membership.selectors import capital_statement
from membership.tasks import complete_due_resignations
from tests.factories import UserFactory
from tests.membership.conftest import pay_share

pytestmark = pytest.mark.django_db


def ledger_ok() -> str:
    out = StringIO()
    call_command("ledger_check", stdout=out)
    return out.getvalue()


def test_apply_records_class_motivation_exact_bylaws_version_and_time(applicant: Member, bylaws: BylawsVersion) -> None:
    acceptance = applicant.bylaws_acceptance
    assert applicant.status == Member.Status.APPLICANT
    assert applicant.motivation == "I work here."
    assert acceptance.bylaws_version == bylaws
    assert abs(acceptance.accepted_at - timezone.now()) < timedelta(minutes=1)
    assert list(applicant.status_changes.values_list("to_status", flat=True)) == ["applicant"]


def test_apply_asks_for_the_share_payment_with_the_share_purchase_purpose(applicant: Member) -> None:
    from payouts.payments import PaymentRequest

    request = PaymentRequest.objects.get(reference=applicant.share_payment_reference)
    assert (request.purpose, request.amount_cents, request.currency, request.payer_id) == (
        "share_purchase",
        10000,
        "EUR",
        applicant.user_id,
    )


def test_apply_with_outdated_bylaws_is_refused(bylaws: BylawsVersion, worker_class: Any) -> None:
    BylawsVersion.objects.create(version="2026.1", text="New text", effective_on=timezone.localdate())
    user = UserFactory()
    with pytest.raises(Conflict) as error:
        services.member_apply(user=user, member_class=worker_class, bylaws_version=bylaws, actor=user)
    assert error.value.code == ErrorCode.BYLAWS_OUTDATED
    assert not Member.objects.filter(user=user).exists()


def test_second_application_is_refused(applicant: Member, bylaws: BylawsVersion) -> None:
    with pytest.raises(Conflict) as error:
        services.member_apply(user=applicant.user, member_class=applicant.member_class, bylaws_version=bylaws)
    assert error.value.message == "You already have a membership record."


def test_admission_before_the_share_is_paid_is_refused(applicant: Member, finance: Any) -> None:
    with pytest.raises(Conflict) as error:
        services.member_admit(member_id=applicant.pk, actor=finance)
    assert error.value.message == "The applicant has not paid for their share yet."
    assert error.value.code == ErrorCode.SHARE_UNPAID


def test_paid_share_is_posted_to_the_members_capital_account(applicant: Member, finance: Any) -> None:
    member = pay_share(applicant, finance)
    assert member.share_paid_at is not None
    statement = capital_statement(member)
    assert statement.shares_cents == 10000
    assert [(m.kind, m.amount_cents, m.balance_cents) for m in statement.movements] == [
        ("share_purchase", 10000, 10000)
    ]
    assert "Ledger OK" in ledger_ok()


def test_board_admission_gives_the_next_member_number_and_the_class_shares(admitted: Member, finance: Any) -> None:
    assert admitted.status == Member.Status.ACTIVE
    assert admitted.member_number == 1
    assert admitted.shares == 2
    assert admitted.joined_at is not None
    change = admitted.status_changes.last()
    assert (change.from_status, change.to_status, change.actor) == ("applicant", "active", finance)


def test_admission_by_vote_policy_refuses_the_board_path(applicant: Member, finance: Any, policy: Any) -> None:
    MembershipPolicy.objects.filter(pk=1).update(admission="vote")
    pay_share(applicant, finance)
    with pytest.raises(NotAllowed) as error:
        services.member_admit(member_id=applicant.pk, actor=finance)
    assert error.value.message == "Under the coop's policy the members admit applicants by vote."
    member = services.member_admit(member_id=applicant.pk, actor=None, proposal_id=77)
    assert member.status_changes.last().proposal_id == 77


def test_activity_requirement_blocks_admission_until_met(applicant: Member, finance: Any, policy: Any) -> None:
    from membership.activity import register_activity_check

    done = {"count": 1}
    register_activity_check("test_contracts", "completed contracts", lambda user: done["count"])
    MembershipPolicy.objects.filter(pk=1).update(activity_check="test_contracts", activity_required=3)
    pay_share(applicant, finance)
    with pytest.raises(Conflict) as error:
        services.member_admit(member_id=applicant.pk, actor=finance)
    assert error.value.message == "The applicant has 1 of the 3 completed contracts the policy asks for."
    done["count"] = 3
    assert services.member_admit(member_id=applicant.pk, actor=finance).status == Member.Status.ACTIVE


def test_rejected_application_pays_the_share_back(applicant: Member, finance: Any) -> None:
    pay_share(applicant, finance)
    member = services.member_application_reject(member_id=applicant.pk, actor=finance, reason="Not a fit")
    assert member.status == Member.Status.EXITED
    assert member.member_number is None
    assert capital_statement(member).shares_cents == 0
    assert "Ledger OK" in ledger_ok()


def test_resignation_ends_after_the_notice_period_and_redeems_the_shares(admitted: Member, policy: Any) -> None:
    MembershipPolicy.objects.filter(pk=1).update(notice_period_days=30)
    member = services.member_resign(user=admitted.user, actor=admitted.user)
    assert member.exit_effective_on == timezone.localdate() + timedelta(days=30)
    assert complete_due_resignations() == 0
    Member.objects.filter(pk=member.pk).update(exit_effective_on=timezone.localdate())
    assert complete_due_resignations() == 1
    assert complete_due_resignations() == 0
    member.refresh_from_db()
    assert (member.status, member.shares, member.member_number) == ("exited", 0, 1)
    statement = capital_statement(member)
    assert statement.shares_cents == 0
    assert [m.kind for m in statement.movements] == ["share_purchase", "share_redeem"]
    assert "Ledger OK" in ledger_ok()


def test_resigning_twice_is_refused(admitted: Member) -> None:
    services.member_resign(user=admitted.user, actor=admitted.user)
    with pytest.raises(Conflict) as error:
        services.member_resign(user=admitted.user, actor=admitted.user)
    assert error.value.message == "You have already resigned."


def test_withdrawn_resignation_keeps_the_membership(admitted: Member) -> None:
    services.member_resign(user=admitted.user, actor=admitted.user)
    member = services.member_resignation_withdraw(user=admitted.user, actor=admitted.user)
    assert member.exit_effective_on is None
    assert member.status == Member.Status.ACTIVE


def test_former_member_can_apply_again_and_keeps_the_number(
    admitted: Member, bylaws: BylawsVersion, finance: Any
) -> None:
    services.member_exit(member_id=admitted.pk, actor=finance, reason="Moved away")
    again = services.member_apply(
        user=admitted.user, member_class=admitted.member_class, bylaws_version=bylaws, actor=admitted.user
    )
    assert (again.status, again.application_round, again.share_paid_at) == ("applicant", 2, None)
    assert again.share_payment_reference != admitted.share_payment_reference
    pay_share(again, finance)
    readmitted = services.member_admit(member_id=again.pk, actor=finance)
    assert readmitted.member_number == 1
    assert BylawsAcceptance.objects.filter(user=admitted.user).count() == 1


def test_suspension_and_reinstatement_go_through_the_transition_table(admitted: Member, finance: Any) -> None:
    services.member_suspend(member_id=admitted.pk, actor=finance, reason="Unpaid dues")
    with pytest.raises(Conflict) as error:
        services.member_suspend(member_id=admitted.pk, actor=finance, reason="again")
    assert (error.value.code, error.value.message) == (
        KernelCode.BAD_TRANSITION,
        "Member cannot move from “Suspended” to “Suspended”.",
    )
    member = services.member_reinstate(member_id=admitted.pk, actor=finance)
    assert list(member.status_changes.values_list("to_status", flat=True)) == [
        "applicant",
        "active",
        "suspended",
        "active",
    ]


def test_expulsion_exits_the_member_with_the_proposal_on_record(admitted: Member) -> None:
    member = services.member_expel(member_id=admitted.pk, actor=None, proposal_id=12, reason="Fraud")
    change = MemberStatusChange.objects.filter(member=member).last()
    assert (member.status, change.proposal_id, change.reason) == ("exited", 12, "Fraud")
    assert capital_statement(member).shares_cents == 0


def test_withdrawn_application_can_be_followed_by_a_new_one(applicant: Member, bylaws: BylawsVersion) -> None:
    services.member_application_withdraw(user=applicant.user, actor=applicant.user)
    again = services.member_apply(
        user=applicant.user, member_class=applicant.member_class, bylaws_version=bylaws, actor=applicant.user
    )
    assert again.status == Member.Status.APPLICANT
