"""Membership tells people, in the app and by email, when their application is decided and their capital moves."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from core import ports
from core.models import Notification
from core.registry import NotRegistered
from membership import services
from membership.models import BylawsVersion, Member
from membership.notifications import ADMITTED, CAPITAL_CHANGED, REJECTED
from tests.factories import UserFactory
from tests.membership.conftest import pay_share

pytestmark = pytest.mark.django_db


def notices(member: Member, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=member.user, kind=kind).order_by("id"))


def emails_to(member: Member, text: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [member.user.email] and text in m.subject]


def test_an_admitted_applicant_gets_a_notice_in_the_app_and_an_email(
    applicant: Member, finance: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pay_share(applicant, finance)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_admit(member_id=applicant.pk, actor=finance)
    [notice] = notices(applicant, ADMITTED)
    assert notice.in_app and notice.url == reverse("membership:home")
    assert len(emails_to(applicant, "Welcome to the coop: you are now member 1.")) == 1
    page = client_for(applicant.user).get(reverse("notifications")).content.decode()
    assert "Welcome to the coop: you are now member 1." in page


def test_a_turned_down_applicant_is_told_why(
    applicant: Member, finance: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.member_application_reject(member_id=applicant.pk, actor=finance, reason="Not a freelancer")
    [notice] = notices(applicant, REJECTED)
    assert notice.data == {"reason": "Not a freelancer"}
    assert emails_to(applicant, "Your membership application was turned down. Reason: Not a freelancer")


def test_a_share_payment_and_its_redemption_each_change_the_capital_statement_with_a_link_to_it(
    admitted: Member, finance: Any
) -> None:
    [paid] = notices(admitted, CAPITAL_CHANGED)
    assert (paid.url, paid.data) == (reverse("membership:capital"), {"movement": "share_purchase"})
    services.member_exit(member_id=admitted.pk, actor=finance, reason="Moved away")
    assert [n.data["movement"] for n in notices(admitted, CAPITAL_CHANGED)] == ["share_purchase", "share_redeem"]


def test_withdrawing_an_unpaid_application_moves_no_capital_and_tells_nothing(applicant: Member) -> None:
    services.member_application_withdraw(user=applicant.user, actor=applicant.user)
    assert notices(applicant, CAPITAL_CHANGED) == []


@pytest.fixture
def no_payment_requests() -> Iterator[None]:
    provided = ports.payment_requests.get()
    ports.payment_requests._impl = None
    yield
    ports.payment_requests.provide(provided)


def test_applying_without_payment_requests_fails_loudly_and_records_nothing(
    no_payment_requests: None, bylaws: BylawsVersion, worker_class: Any
) -> None:
    user = UserFactory()
    with pytest.raises(NotRegistered):
        services.member_apply(user=user, member_class=worker_class, bylaws_version=bylaws, actor=user)
    assert not Member.objects.filter(user=user).exists()
