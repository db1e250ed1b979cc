"""The client compares proposals on cards: rating, reviews, completed contracts, member mark, cover letter."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Contract, Review

pytestmark = pytest.mark.django_db


def test_the_comparison_cards_show_each_freelancers_track_record_and_cover_letter(
    client_for: Any, job: Any, contract: Contract, make_proposal: Any, make_freelancer: Any, hirer: Any, make_job: Any
) -> None:
    # The hired freelancer has one revealed review (5, 4, 3 → 4.0) and proposes on a second job.
    Review.objects.create(
        contract=contract,
        author=hirer,
        subject=contract.freelancer,
        side=Review.Side.CLIENT,
        rating_quality=5,
        rating_communication=4,
        rating_reliability=3,
        text="Careful work.",
        revealed_at=timezone.now(),
    )
    second = make_job(title="Second job")
    make_proposal(on=second, by=contract.freelancer, cover_letter="I know your booking site well already.")
    make_proposal(on=second, by=make_freelancer(), cover_letter="New here, keen to start.")
    page = client_for(hirer).get(reverse("marketplace:job-proposals", args=[second.pk])).content.decode()
    assert "★ 4.0 of 5 from 1 review" in page
    assert "No reviews yet" in page
    assert "I know your booking site well already." in page
    assert "New here, keen to start." in page
    assert page.count('class="card hire-card"') == 2
