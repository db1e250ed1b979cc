"""Who may see and do what: proposals, contracts, messages, funding, approval and delivery."""

from typing import Any

import pytest
from django.urls import reverse

from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Milestone, Proposal

pytestmark = pytest.mark.django_db


def test_a_freelancer_cannot_see_other_freelancers_proposals(
    client_for: Any, job: Any, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    mine = make_proposal()
    rival = make_freelancer()
    theirs = make_proposal(by=rival)
    me = client_for(mine.freelancer)

    assert me.get(reverse("marketplace:proposal-detail", args=[theirs.pk])).status_code == 404
    assert me.get(reverse("marketplace:job-proposals", args=[job.pk])).status_code == 404
    assert me.get(f"/api/proposals/{theirs.pk}/").status_code == 404
    assert me.get(f"/api/jobs/{job.pk}/proposals/").status_code == 404
    listed = me.get("/api/proposals/mine/").json()["results"]
    assert [p["id"] for p in listed] == [mine.pk]
    # The client sees both.
    both = client_for(hirer).get(f"/api/jobs/{job.pk}/proposals/").json()["results"]
    assert {p["id"] for p in both} == {mine.pk, theirs.pk}


def test_nobody_outside_a_contract_can_read_it_or_its_messages(
    client_for: Any, contract: Contract, make_freelancer: Any, staff: Any
) -> None:
    from marketplace.services.messaging import message_send

    message_send(thread_id=contract.thread.pk, sender=contract.client, body="Welcome aboard.")
    for outsider in (make_freelancer(), staff):
        c = client_for(outsider)
        assert c.get(reverse("marketplace:contract-detail", args=[contract.pk])).status_code == 404
        assert c.get(reverse("marketplace:thread-detail", args=[contract.thread.pk])).status_code == 404
        assert c.get(reverse("marketplace:thread-partial", args=[contract.thread.pk])).status_code == 404
        assert c.get(f"/api/contracts/{contract.pk}/").status_code == 404
        assert c.get(f"/api/threads/{contract.thread.pk}/messages/").status_code == 404
        response = c.post(f"/api/threads/{contract.thread.pk}/send/", {"body": "hi"}, content_type="application/json")
        assert response.status_code == 403
        assert response.json() == {
            "code": ErrorCode.NOT_PARTY,
            "message": "You are not a party to this conversation.",
            "detail": {},
        }
    party = client_for(contract.freelancer)
    assert party.get(reverse("marketplace:contract-detail", args=[contract.pk])).status_code == 200
    assert (
        "Welcome aboard." in party.get(reverse("marketplace:thread-detail", args=[contract.thread.pk])).content.decode()
    )


def test_only_the_client_funds_and_approves(
    client_for: Any, contract: Contract, finance: Any, fund: Any, make_client: Any
) -> None:
    first = contract.milestones.get(position=1)
    for user in (contract.freelancer, make_client()):
        response = client_for(user).post(f"/api/milestones/{first.pk}/fund/")
        assert response.status_code == 403
    response = client_for(contract.freelancer).post(f"/api/milestones/{first.pk}/fund/")
    assert response.json()["message"] == "Only the client can do this."
    first = fund(first, contract.client, finance)
    client_for(contract.freelancer).post(
        f"/api/milestones/{first.pk}/deliver/", {"message": "Done"}, content_type="application/json"
    )
    response = client_for(contract.freelancer).post(f"/api/milestones/{first.pk}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == ErrorCode.NOT_CLIENT
    first.refresh_from_db()
    assert first.status == Milestone.Status.SUBMITTED
    response = client_for(contract.client).post(f"/api/milestones/{first.pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "released"


def test_only_the_freelancer_delivers(client_for: Any, contract: Contract, finance: Any, fund: Any) -> None:
    first = fund(contract.milestones.get(position=1), contract.client, finance)
    response = client_for(contract.client).post(
        f"/api/milestones/{first.pk}/deliver/", {"message": "Done"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": ErrorCode.NOT_FREELANCER,
        "message": "Only the freelancer can do this.",
        "detail": {},
    }
    response = client_for(contract.freelancer).post(
        f"/api/milestones/{first.pk}/deliver/", {"message": "Done"}, content_type="application/json"
    )
    assert response.status_code == 201
    first.refresh_from_db()
    assert first.status == Milestone.Status.SUBMITTED


def test_posting_and_proposing_need_a_verified_email(client_for: Any, job: Any, make_freelancer: Any) -> None:
    from tests.factories import UserFactory

    unverified = UserFactory(verified=False)
    c = client_for(unverified)
    response = c.post(
        "/api/jobs/new/",
        {"title": "T", "description": "D", "budget_min_cents": 100, "budget_max_cents": 200},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["message"] == "Verify your email address before doing this."
    assert c.get(reverse("marketplace:job-create")).status_code == 302
    assert c.get(reverse("marketplace:proposal-create", args=[job.pk])).status_code == 302


def test_drafts_are_visible_only_to_their_client(client_for: Any, make_job: Any, hirer: Any, freelancer: Any) -> None:
    draft = make_job(publish=False)
    assert client_for(freelancer).get(reverse("marketplace:job-detail", args=[draft.pk])).status_code == 404
    assert client_for(hirer).get(reverse("marketplace:job-detail", args=[draft.pk])).status_code == 200


def test_a_private_profile_is_hidden_from_visitors(client: Any, client_for: Any, freelancer: Any) -> None:
    from membership.services import privacy_settings_update

    privacy_settings_update(user=freelancer, actor=freelancer, profile_audience="nobody")
    assert client.get(reverse("marketplace:freelancer-public", args=[freelancer.pk])).status_code == 404
    assert client_for(freelancer).get(reverse("marketplace:freelancer-public", args=[freelancer.pk])).status_code == 200


def test_accepting_is_for_the_client_only(client_for: Any, proposal: Proposal) -> None:
    response = client_for(proposal.freelancer).post(f"/api/proposals/{proposal.pk}/accept/")
    assert response.status_code == 403
    assert response.json()["message"] == "Only the client who posted the job can do this."
