"""Growing lists page through every row at a fixed cost: the fee's history, a profile's reviews and work
history, and a contract's milestones in the API (the contract shows its first page and says where the rest are).
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.api.contracts import INLINE_MILESTONES
from marketplace.models import Contract, FeePolicy, Milestone, Review
from marketplace.views.contracts import FEE_POLICIES_PER_PAGE
from marketplace.views.profiles import PUBLIC_LIST_PAGE
from tests.factories import UserFactory
from tests.queries import settled_queries

pytestmark = pytest.mark.django_db


def _policies(first: int, count: int) -> None:
    long_ago = timezone.now() - timedelta(days=1000)
    FeePolicy.objects.bulk_create(
        FeePolicy(percent=Decimal(5), effective_from=long_ago + timedelta(days=n), governance_proposal_id=100 + n)
        for n in range(first, first + count)
    )


def test_the_fee_history_pages_through_every_version_at_a_fixed_cost(client: Any) -> None:
    url = reverse("marketplace:fees")
    _policies(0, 3)
    few = settled_queries(client, url)
    _policies(3, FEE_POLICIES_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    first = client.get(url).content.decode()
    assert "decision 100<" not in first and 'aria-label="Pages of the fee\'s history"' in first
    second = client.get(url, {"page": 2}).content.decode()
    # The one in force (from the fixture) and the newest 49 fill page 1; the oldest six are on page 2.
    assert "decision 100<" in second and "decision 105<" in second and "decision 106<" not in second


@pytest.fixture
def worked(hirer: Any, freelancer: Any, make_job: Any, make_proposal: Any) -> Any:
    """Return a function giving the freelancer `count` more completed contracts, each with a revealed review."""
    from marketplace.services.proposals import proposal_accept

    def more(count: int) -> None:
        start = Contract.objects.filter(freelancer=freelancer).count()
        for n in range(start, start + count):
            job = make_job(title=f"Job {n:03d}")
            contract = proposal_accept(proposal_id=make_proposal(on=job).pk, actor=hirer)
            moment = timezone.now() - timedelta(days=1000 - n)
            Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.COMPLETED, completed_at=moment)
            Review.objects.create(
                contract=contract,
                author=hirer,
                subject=freelancer,
                side=Review.Side.CLIENT,
                rating_quality=5,
                rating_communication=4,
                rating_reliability=4,
                text=f"Review number {n:03d}",
                revealed_at=moment,
            )

    return more


def test_a_profile_pages_through_its_reviews_and_work_history_at_a_fixed_cost(
    client_for: Any, hirer: Any, freelancer: Any, worked: Any
) -> None:
    client, url = client_for(hirer), reverse("marketplace:freelancer-public", args=[freelancer.pk])
    worked(3)
    few = settled_queries(client, url)
    worked(PUBLIC_LIST_PAGE)
    assert settled_queries(client, url) == few

    first = client.get(url).content.decode()
    assert first.count("Review number ") == PUBLIC_LIST_PAGE and "Review number 000" not in first
    assert first.count("<li>Job ") == PUBLIC_LIST_PAGE and "<li>Job 000 " not in first
    assert 'aria-label="Pages of reviews"' in first and 'aria-label="Pages of the work history"' in first
    # Each pager keeps the other's place.
    second = client.get(url, {"reviews": 2, "history": 2}).content.decode()
    assert "Review number 000" in second and second.count("Review number ") == 3
    assert "<li>Job 000 " in second and second.count("<li>Job ") == 3
    assert 'href="?history=2&amp;reviews=1" rel="prev"' in second
    assert 'href="?reviews=2&amp;history=1" rel="prev"' in second
    client_page = client_for(freelancer).get(reverse("marketplace:client-public", args=[hirer.pk]))
    assert client_page.content.decode().count("<li>Job ") == PUBLIC_LIST_PAGE


def test_the_profile_api_shows_the_first_reviews_and_work_and_pages_through_all_of_them(
    client: Any, client_for: Any, hirer: Any, freelancer: Any, worked: Any
) -> None:
    from marketplace.api.profiles import FIRST

    viewer = client_for(hirer)
    url = f"/api/freelancers/{freelancer.pk}/"
    worked(3)
    few = settled_queries(viewer, url)
    worked(FIRST + 5)
    assert settled_queries(viewer, url) == few

    profile = viewer.get(url).json()
    assert profile["review_count"] == profile["work_history_count"] == FIRST + 8
    assert len(profile["reviews"]) == len(profile["work_history"]) == FIRST
    assert profile["reviews"][0]["text"] == f"Review number {FIRST + 7:03d}"
    reviews_url, work_url = profile["reviews_url"], profile["work_history_url"]
    assert reviews_url == f"http://testserver/api/freelancers/{freelancer.pk}/reviews/"
    # Every review and every finished job, newest first, a page at a time (25) at a fixed cost.
    few = settled_queries(viewer, reviews_url)
    everything = viewer.get(reviews_url, {"page_size": 100}).json()
    assert [r["text"] for r in everything["results"]] == [f"Review number {n:03d}" for n in range(FIRST + 7, -1, -1)]
    assert viewer.get(reviews_url, {"page": 2}).json()["results"][-1]["text"] == "Review number 000"
    worked(2)
    assert settled_queries(viewer, reviews_url) == few
    work = viewer.get(work_url, {"page": 2}).json()
    assert work["count"] == FIRST + 10 and [w["title"] for w in work["results"]] == [
        "Job 004",
        "Job 003",
        "Job 002",
        "Job 001",
        "Job 000",
    ]
    # A client's reviews likewise; a bad page is a 404, never a 500.
    assert viewer.get(f"/api/clients/{hirer.pk}/").json()["review_count"] == 0
    assert viewer.get(reviews_url, {"page": 99}).status_code == 404
    assert viewer.get(reviews_url, {"page": "x"}).status_code == 404


def test_the_profile_lists_follow_what_the_person_shows(
    client: Any, client_for: Any, freelancer: Any, worked: Any
) -> None:
    from marketplace.models import FreelancerProfile
    from membership.models import PrivacySettings

    worked(2)
    FreelancerProfile.objects.filter(user=freelancer).update(show_work_history=False)
    PrivacySettings.objects.update_or_create(user=freelancer, defaults={"show_reviews": False})
    viewer = client_for(UserFactory())
    profile = viewer.get(f"/api/freelancers/{freelancer.pk}/").json()
    assert (profile["reviews"], profile["review_count"], profile["work_history"], profile["work_history_count"]) == (
        [],
        0,
        [],
        0,
    )
    assert viewer.get(profile["reviews_url"]).json()["results"] == []
    assert viewer.get(profile["work_history_url"]).json()["count"] == 0


def _milestones(contract: Contract, first: int, count: int) -> None:
    Milestone.objects.bulk_create(
        Milestone(contract=contract, position=n + 3, title=f"Part {n:03d}", amount_cents=10_000)
        for n in range(first, first + count)
    )


def test_the_contract_api_shows_its_first_milestones_and_where_the_rest_are(
    client_for: Any, contract: Contract
) -> None:
    client, url = client_for(contract.client), f"/api/contracts/{contract.pk}/"
    few = settled_queries(client, url)
    small = client.get(url).json()
    assert small["milestone_count"] == 2 and [m["title"] for m in small["milestones"]] == ["Design", "Build"]
    assert small["milestones_url"] == f"http://testserver/api/contracts/{contract.pk}/milestones/"

    _milestones(contract, 0, INLINE_MILESTONES + 8)
    assert settled_queries(client, url) == few
    large = client.get(url).json()
    assert large["milestone_count"] == INLINE_MILESTONES + 10
    assert len(large["milestones"]) == INLINE_MILESTONES and large["milestones"][-1]["title"] == "Part 047"
    assert large["milestones"][:2] == small["milestones"]
    assert {"fee_destination", "fee_percent", "status"} <= set(large)


def test_the_milestones_list_pages_through_every_milestone_at_a_fixed_cost(
    client: Any, client_for: Any, contract: Contract
) -> None:
    party, url = client_for(contract.freelancer), f"/api/contracts/{contract.pk}/milestones/"
    few = settled_queries(party, url)
    _milestones(contract, 0, 58)
    assert settled_queries(party, url) == few

    first = party.get(url).json()
    assert first["count"] == 60 and len(first["results"]) == 25 and first["previous"] is None
    assert first["results"][0]["title"] == "Design" and first["results"][0]["currency"] == contract.currency
    assert first["next"] == f"http://testserver{url}?page=2"
    last = party.get(url, {"page": 3}).json()
    assert [m["title"] for m in last["results"]] == [f"Part {n:03d}" for n in range(48, 58)]
    assert [m["position"] for m in party.get(url, {"page_size": 100}).json()["results"]] == list(range(1, 61))

    # Only the contract's two parties: anyone else is told there is no such contract; visitors sign in.
    assert client_for(UserFactory()).get(url).status_code == 404
    assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize("page", ["0", "-1", "4", "abc", "1.5", "", "99999999999999999999999", "last"])
def test_a_bad_page_of_milestones_is_a_404_or_the_last_page_never_a_500(
    client_for: Any, contract: Contract, page: str
) -> None:
    _milestones(contract, 0, 58)
    response = client_for(contract.client).get(f"/api/contracts/{contract.pk}/milestones/", {"page": page})
    if page in ("", "last"):
        assert response.status_code == 200
        assert response.json()["results"][0]["title"] == ("Design" if page == "" else "Part 048")
    else:
        assert response.status_code == 404
        assert set(response.json()) >= {"code", "message"}
    odd_size = client_for(contract.client).get(f"/api/contracts/{contract.pk}/milestones/", {"page_size": "abc"})
    assert odd_size.status_code == 200 and len(odd_size.json()["results"]) == 25
