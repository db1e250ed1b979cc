"""Governance API: allowed and forbidden cases, exact error bodies, fixed query counts on lists."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from governance.builtin import GENERAL_RESOLUTION
from governance.exceptions import ErrorCode
from governance.models import Proposal
from governance.services.proposals import proposal_create_for_decision, proposal_publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_member_creates_and_publishes_a_proposal(members: list[Any]) -> None:
    client = api(members[0].user)
    response = client.post(
        "/api/governance/proposals/new/", {"decision_key": GENERAL_RESOLUTION, "title": "Garden"}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.post(f"/api/governance/proposals/{pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "discussion"


def test_a_non_member_gets_the_error_format(members: list[Any]) -> None:
    response = api(UserFactory()).post(
        "/api/governance/proposals/new/", {"decision_key": GENERAL_RESOLUTION, "title": "Garden"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"code": "members_only", "message": "Only active members can do this.", "detail": {}}


def test_an_unverified_user_cannot_vote_through_the_api(open_proposal: Any) -> None:
    proposal = open_proposal()
    response = api(UserFactory(verified=False)).post(
        f"/api/governance/proposals/{proposal.pk}/vote/", {"choice": "yes"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == ErrorCode.EMAIL_NOT_VERIFIED


def test_a_vote_with_a_bad_choice_is_refused_field_by_field(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    response = api(members[1].user).post(
        f"/api/governance/proposals/{proposal.pk}/vote/", {"choice": "maybe"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"] == "The input is not valid: see detail for each field."
    assert body["detail"]["choice"] == ['"maybe" is not a valid choice.']


def test_a_member_votes_through_the_api(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    response = api(members[1].user).post(
        f"/api/governance/proposals/{proposal.pk}/vote/", {"choice": "no", "reason": "Costly"}, format="json"
    )
    assert response.json() == {"recorded": True, "choice": "no", "via_proxy": False}
    detail = api(members[2].user).get(f"/api/governance/proposals/{proposal.pk}/").json()
    assert detail["turnout"] == 1 and detail["counts"] == {"yes": 0, "no": 1, "abstain": 0}


def test_only_the_board_retries_an_execution(members: list[Any]) -> None:
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="x", author=members[0].user)
    response = api(members[0].user).post(f"/api/governance/proposals/{proposal.pk}/execute/")
    assert response.status_code == 403 and response.json()["code"] == ErrorCode.BOARD_ONLY


def test_the_proposal_list_runs_a_fixed_number_of_queries(
    members: list[Any], django_assert_max_num_queries: Any
) -> None:
    client = api(members[1].user)

    def publish(n: int) -> None:
        for i in range(n):
            p = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title=f"M{i}", author=members[0].user)
            proposal_publish(proposal_id=p.pk, actor=members[0].user)

    publish(2)
    with django_assert_max_num_queries(10) as few:
        assert client.get("/api/governance/proposals/").status_code == 200
    publish(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/governance/proposals/")
    assert response.json()["count"] == Proposal.objects.count()


def test_the_openapi_schema_documents_the_vote_endpoint(client: Any) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/governance/proposals/{id}/vote/" in schema
