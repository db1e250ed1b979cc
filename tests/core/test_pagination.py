"""paged_lists: a page of each list, each pager on its own parameter keeping the other lists' places."""

from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.pagination import paged_lists
from membership.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: Any) -> Any:
    UserFactory.create_batch(7)
    return User.objects.order_by("pk")


def test_each_list_gets_its_page_and_a_query_keeping_the_others(people: Any) -> None:
    request = RequestFactory().get("/", {"a": "2", "b": "3", "status": "open", "other": "x"})
    context = paged_lists(request, 3, keep=["status"], a=people, b=people.reverse())
    assert [u.pk for u in context["a"]] == [u.pk for u in people[3:6]]
    assert context["b"].number == 3 and len(context["b"]) == 1
    # The kept filter first, then the other lists; parameters of nobody's are left out.
    assert context["a_query"] == "status=open&b=3"
    assert context["b_query"] == "status=open&a=2"


@pytest.mark.parametrize(("value", "number"), [("", 1), ("abc", 1), ("0", 3), ("-4", 3), ("99", 3), ("last", 1)])
def test_a_bad_page_number_is_the_first_or_last_page(people: Any, value: str, number: int) -> None:
    context = paged_lists(RequestFactory().get("/", {"a": value}), 3, a=people)
    assert context["a"].number == number and context["a_query"] == ""


def test_a_page_costs_two_queries_however_long_the_list(people: Any) -> None:
    request = RequestFactory().get("/", {"a": "2"})
    with CaptureQueriesContext(connection) as ctx:
        list(paged_lists(request, 3, a=people)["a"])
    assert len(ctx.captured_queries) == 2
