"""Profile pages and the profile API follow the person's membership privacy settings, the one source."""

from typing import Any

import pytest
from django.urls import reverse

from marketplace.models import Job
from membership.services import privacy_settings_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(freelancer: Any) -> Any:
    from marketplace.services.profiles import freelancer_profile_save

    freelancer_profile_save(
        user=freelancer,
        headline="Django developer",
        skill_names=["Django"],
        hourly_rate_cents=7_250,
        location="Utrecht",
    )
    return freelancer


def test_a_hidden_rate_and_location_do_not_show_to_a_visitor_but_show_to_the_owner(
    client: Any, client_for: Any, rated: Any
) -> None:
    privacy_settings_update(
        user=rated, actor=rated, profile_audience="everyone", show_hourly_rate=False, show_location=False
    )
    url = reverse("marketplace:freelancer-public", args=[rated.pk])

    seen = client.get(url).content.decode()
    assert "Django developer" in seen
    assert "72.50" not in seen and "Utrecht" not in seen

    own = client_for(rated).get(url).content.decode()
    assert "72.50" in own and "Utrecht" in own
    assert reverse("membership:privacy_settings") in own

    api = f"/api/freelancers/{rated.pk}/"
    assert (client.get(api).json()["hourly_rate_cents"], client.get(api).json()["location"]) == (None, "")
    assert client_for(rated).get(api).json()["hourly_rate_cents"] == 7_250


def test_a_profile_for_signed_in_people_is_hidden_from_visitors(client: Any, client_for: Any, rated: Any) -> None:
    privacy_settings_update(user=rated, actor=rated, profile_audience="signed_in")
    url = reverse("marketplace:freelancer-public", args=[rated.pk])
    assert client.get(url).status_code == 404
    assert client.get(f"/api/freelancers/{rated.pk}/").status_code == 404
    assert client_for(UserFactory()).get(url).status_code == 200


def test_a_profile_for_nobody_shows_only_to_the_people_the_person_works_with(
    client_for: Any, rated: Any, make_proposal: Any, job: Job
) -> None:
    privacy_settings_update(user=rated, actor=rated, profile_audience="nobody")
    url = reverse("marketplace:freelancer-public", args=[rated.pk])
    assert client_for(job.client).get(url).status_code == 404
    make_proposal(by=rated)
    assert client_for(job.client).get(url).status_code == 200
    assert client_for(UserFactory()).get(url).status_code == 404


def test_hidden_reviews_and_a_private_client_page(client: Any, client_for: Any, hirer: Any, job: Job) -> None:
    privacy_settings_update(user=hirer, actor=hirer, profile_audience="everyone", show_reviews=False)
    page = client.get(reverse("marketplace:client-public", args=[hirer.pk])).content.decode()
    assert "<h2>Reviews</h2>" not in page
    assert client.get(f"/api/clients/{hirer.pk}/").json()["reviews"] == []
    assert (
        "<h2>Reviews</h2>"
        in client_for(hirer).get(reverse("marketplace:client-public", args=[hirer.pk])).content.decode()
    )

    job_url = reverse("marketplace:job-detail", args=[job.pk])
    assert reverse("marketplace:client-public", args=[hirer.pk]) in client.get(job_url).content.decode()
    privacy_settings_update(user=hirer, actor=hirer, profile_audience="nobody")
    assert client.get(reverse("marketplace:client-public", args=[hirer.pk])).status_code == 404
    assert reverse("marketplace:client-public", args=[hirer.pk]) not in client.get(job_url).content.decode()


def test_the_profile_api_refuses_the_visibility_fields_that_moved_to_privacy_settings(
    client_for: Any, rated: Any
) -> None:
    response = client_for(rated).post(
        "/api/profiles/freelancer/", {"headline": "Still here", "is_public": False}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]["is_public"] == ["Choose who sees your profile in your privacy settings."]
