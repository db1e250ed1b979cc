"""Each decision in words where it is listed (issue 13, point 1): the decisions list and the API carry the
summary in the reader's language, written with the payload so the list runs a fixed number of queries
whatever the kinds of decision (some name members or jobs, which would be a query each)."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from governance.models import Proposal
from governance.services.proposals import proposal_create_for_decision, proposal_publish
from marketplace.decisions import FEE_POLICY_KEY
from membership.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def fee_change(author: Any) -> Proposal:
    start = timezone.localdate() + timedelta(days=60)
    midnight = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    proposal = proposal_create_for_decision(
        key=FEE_POLICY_KEY,
        payload={"percent": 8, "min_cents": 50, "effective_from": midnight.isoformat()},
        title="Lower the fee",
        author=author,
    )
    return proposal_publish(proposal_id=proposal.pk, actor=author)


def admission(author: Any) -> Proposal:
    applicant = MemberFactory(status=Member.Status.APPLICANT, member_number=None, joined_at=None)
    proposal = proposal_create_for_decision(
        key="membership.admit", payload={"member_id": applicant.pk}, title="Admit", author=author
    )
    return proposal_publish(proposal_id=proposal.pk, actor=author)


def test_the_list_shows_each_decision_in_words_in_the_readers_language(members: list[Any], client: Any) -> None:
    proposal = fee_change(members[0].user)
    start = timezone.localdate() + timedelta(days=60)
    url = reverse("governance:proposal_list") + "?show=all"

    english = client.get(url).content.decode()
    assert f"Platform fee 8% from {date_format(start, 'DATE_FORMAT')}, minimum €0.50" in english
    assert "min_cents" not in english and "None" not in english and start.isoformat() not in english

    client.cookies["django_language"] = "nl"
    dutch = client.get(url).content.decode()
    assert "Platformbijdrage 8%" in dutch or "Platformvergoeding 8%" in dutch, proposal.summary["nl"]
    assert proposal.summary["nl"] in dutch and proposal.summary["en"] not in dutch


def test_the_list_runs_the_same_queries_with_decisions_that_name_members(
    members: list[Any], client: Any, django_assert_max_num_queries: Any
) -> None:
    fee_change(members[0].user)
    admission(members[0].user)
    url = reverse("governance:proposal_list") + "?show=all"
    with django_assert_max_num_queries(3) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        admission(members[0].user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    # Each admission names its applicant and class, though the page read no member for it.
    assert page.count(" as a member.") == 5


def test_the_api_gives_the_summary_in_the_requests_language(members: list[Any]) -> None:
    proposal = fee_change(members[0].user)
    api = APIClient()
    api.force_authenticate(members[1].user)
    english = api.get(f"/api/governance/proposals/{proposal.pk}/").json()
    assert english["summary"] == proposal.summary["en"] and english["summary"].startswith("Platform fee 8%")
    dutch = api.get(f"/api/governance/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert dutch["summary"] == proposal.summary["nl"] != proposal.summary["en"]
