"""Races on PostgreSQL: two connections admitting at once, two applications by one person at once."""

from typing import Any

import pytest
from django.utils import timezone

from membership.exceptions import ErrorCode
from membership.models import BylawsVersion, Member
from membership.services import member_admit, member_apply
from tests.concurrency import run_concurrently
from tests.factories import MemberClassFactory, UserFactory
from tests.services import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture
def setup(transactional_db: Any) -> dict[str, Any]:
    need_postgres()
    from membership.models import MembershipPolicy

    MembershipPolicy.objects.get_or_create(pk=1, defaults={"require_share_payment": False})
    bylaws = BylawsVersion.objects.create(version="1", text="One member, one vote.", effective_on=timezone.localdate())
    return {"class": MemberClassFactory(), "bylaws": bylaws, "staff": UserFactory(is_staff=True, staff_roles=["board"])}


def test_simultaneous_admissions_get_distinct_consecutive_numbers(setup: dict[str, Any]) -> None:
    applicants = [
        member_apply(user=UserFactory(), member_class=setup["class"], bylaws_version=setup["bylaws"]) for _ in range(4)
    ]
    results = run_concurrently(lambda i: member_admit(member_id=applicants[i].pk, actor=setup["staff"]), 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Member.objects.values_list("member_number", flat=True)) == [1, 2, 3, 4]


def test_simultaneous_applications_by_one_person_make_one_record(setup: dict[str, Any]) -> None:
    user = UserFactory()
    results = run_concurrently(
        lambda i: member_apply(user=user, member_class=setup["class"], bylaws_version=setup["bylaws"], actor=user), 3
    )
    assert sum(isinstance(r, Member) for r in results) == 1
    assert [getattr(r, "code", None) for r in results if not isinstance(r, Member)] == [ErrorCode.MEMBER_EXISTS] * 2
    assert Member.objects.filter(user=user).count() == 1
