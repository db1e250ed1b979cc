"""Fixtures for membership tests: bylaws, a member class, a finance admin and a share payment."""

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from membership.models import BylawsVersion, Member, MembershipPolicy
from tests.factories import MemberClassFactory, UserFactory


@pytest.fixture
def bylaws(db: Any) -> BylawsVersion:
    return BylawsVersion.objects.create(
        version="2025.1", text="Article 1. One member, one vote.", effective_on=date(2025, 1, 1)
    )


@pytest.fixture
def worker_class(db: Any) -> Any:
    return MemberClassFactory(slug="worker", name="Worker members", share_price_cents=5000, shares_required=2)


@pytest.fixture
def finance(db: Any) -> Any:
    return UserFactory(is_staff=True, is_superuser=True, display_name="Femke Finance")


@pytest.fixture
def policy(db: Any) -> MembershipPolicy:
    from membership.selectors import membership_policy

    return membership_policy()


def pay_share(member: Member, actor: Any) -> Member:
    """Record the bank transfer for the member's share, as the finance admin would."""
    from payouts.payments import bank_payment_record

    bank_payment_record(
        reference=member.share_payment_reference,
        amount_cents=member.member_class.share_total_cents,
        currency=member.member_class.currency,
        received_on=timezone.localdate(),
        actor=actor,
    )
    member.refresh_from_db()
    return member


@pytest.fixture
def applicant(bylaws: BylawsVersion, worker_class: Any) -> Member:
    from membership.services import member_apply

    user = UserFactory(is_freelancer=True)
    return member_apply(
        user=user, member_class=worker_class, motivation="I work here.", bylaws_version=bylaws, actor=user
    )


@pytest.fixture
def admitted(applicant: Member, finance: Any) -> Member:
    from membership.services import member_admit

    pay_share(applicant, finance)
    return member_admit(member_id=applicant.pk, actor=finance)
