"""The board's applications page pages through open applications, at a fixed number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership.models import BylawsVersion, Member
from membership.views.staff import APPLICATIONS_PER_PAGE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _apply(applicant: Member, bylaws: BylawsVersion, until: int) -> None:
    from membership.services import member_apply

    open_now = Member.objects.filter(status=Member.Status.APPLICANT).count()
    for n in range(open_now, until):
        user = UserFactory.create(display_name=f"Applicant {n:03d}")
        member_apply(user=user, member_class=applicant.member_class, bylaws_version=bylaws, actor=user)


def _queries(c: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_applications_page_reads_as_many_queries_with_30_as_with_3(
    client_for: Any, applicant: Member, finance: Any, bylaws: BylawsVersion
) -> None:
    c = client_for(finance)
    url = reverse("membership:staff_applications")
    _apply(applicant, bylaws, 3)
    c.get(url)
    few = _queries(c, url)
    _apply(applicant, bylaws, 30)
    assert _queries(c, url) == few


def test_newer_applications_are_on_the_next_page(
    client_for: Any, applicant: Member, finance: Any, bylaws: BylawsVersion
) -> None:
    _apply(applicant, bylaws, APPLICATIONS_PER_PAGE + 2)
    c = client_for(finance)
    first = c.get(reverse("membership:staff_applications")).content.decode()
    last = f"Applicant {APPLICATIONS_PER_PAGE + 1:03d}"
    assert "Applicant 001" in first and last not in first
    assert 'href="?page=2"' in first
    second = c.get(reverse("membership:staff_applications"), {"page": 2}).content.decode()
    assert last in second and "Applicant 001" not in second
