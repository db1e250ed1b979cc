"""Forms that edit an amount start from its exact value in major units, never a float."""

from typing import Any

import pytest
from django.urls import reverse

from marketplace.models import Job, Proposal

pytestmark = pytest.mark.django_db


def test_the_job_edit_form_starts_from_the_exact_budget(make_job: Any, hirer: Any, client_for: Any) -> None:
    job: Job = make_job(budget_min_cents=50_001, budget_max_cents=150_000)

    form = client_for(hirer).get(reverse("marketplace:job-edit", args=[job.pk])).context["form"]

    assert (str(form["budget_min"].value()), str(form["budget_max"].value())) == ("500.01", "1500.00")


def test_the_revise_form_starts_from_the_exact_terms(proposal: Proposal, freelancer: Any, client_for: Any) -> None:
    form = client_for(freelancer).get(reverse("marketplace:proposal-detail", args=[proposal.pk])).context["revise_form"]

    assert str(form["amount"].value()) == "1000.00"
    rows = [(row["title"].value(), str(row["amount"].value())) for row in form.plan if row["title"].value()]
    assert rows == [("Design", "400.00"), ("Build", "600.00")]


def test_the_profile_form_starts_from_the_exact_hourly_rate(freelancer: Any, client_for: Any) -> None:
    form = client_for(freelancer).get(reverse("marketplace:freelancer-profile-edit")).context["form"]

    assert str(form["hourly_rate"].value()) == "60.00"
