"""The job API's written-out rows say exactly what DRF's field-by-field serializer says."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from marketplace.api.serializers import JobOut
from marketplace.services.jobs import job_create
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_fast_job_row_equals_the_model_serializers_output() -> None:
    client = UserFactory(is_client=True)
    plain = job_create(
        client=client,
        title="Translate a booking page",
        description="Dutch to English",
        budget_min_cents=50_000,
        budget_max_cents=90_000,
        skill_names=["Translation", "Copywriting"],
        publish=True,
    )
    dated = job_create(
        client=client,
        title="Design a logo",
        description="For a bakery",
        budget_min_cents=20_000,
        budget_max_cents=40_000,
        deadline=timezone.localdate() + timedelta(days=30),
        location="Utrecht",
        remote=False,
    )
    for job in (plain, dated):
        job.refresh_from_db()
        fast = JobOut(job).data
        generic = serializers.ModelSerializer.to_representation(JobOut(), job)
        assert dict(fast) == dict(generic)
        assert list(fast) == list(JobOut.Meta.fields), "every declared field, in the declared order"
    assert JobOut(dated).data["published_at"] is None and JobOut(plain).data["published_at"] is not None
