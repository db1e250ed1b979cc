"""Skills are named by jobs and profiles and created by the service that saves them, inside its transaction."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from marketplace.exceptions import ErrorCode
from marketplace.forms import skill_names_from_text
from marketplace.models import FreelancerProfile, Job, Skill
from marketplace.services.jobs import job_create

NEW = "Quantum basket weaving"
JOB = {
    "title": "Build a booking page",
    "description": "A small Django site where customers book repair slots.",
    "budget_min_cents": 50_000,
    "budget_max_cents": 150_000,
    "skills": [NEW],
}


def post_json(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_a_job_the_service_refuses_through_the_api_leaves_no_new_skill(client_for: Any, hirer: Any) -> None:
    response = post_json(client_for(hirer), "/api/jobs/new/", {**JOB, "budget_max_cents": 10})
    assert (response.status_code, response.json()["code"]) == (400, ErrorCode.BUDGET_INVALID)
    assert not Job.objects.exists()
    assert not Skill.objects.filter(name=NEW).exists()


def test_an_edit_the_service_refuses_through_the_api_leaves_no_new_skill(
    client_for: Any, job: Job, freelancer: Any
) -> None:
    response = post_json(client_for(freelancer), f"/api/jobs/{job.pk}/update/", JOB)
    assert (response.status_code, response.json()["code"]) == (403, ErrorCode.NOT_JOB_OWNER)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = post_json(client_for(job.client), f"/api/jobs/{job.pk}/update/", {**JOB, "deadline": past})
    assert (response.status_code, response.json()["code"]) == (400, ErrorCode.DEADLINE_PAST)
    assert not Skill.objects.filter(name=NEW).exists()
    assert list(job.skills.values_list("name", flat=True)) == ["Django"]


def test_a_profile_the_service_refuses_through_the_api_leaves_no_new_skill(client_for: Any, hirer: Any) -> None:
    body = {"headline": "Weaver", "skills": [NEW], "hourly_rate_cents": 0}
    response = post_json(client_for(hirer), "/api/profiles/freelancer/", body)
    assert (response.status_code, response.json()["code"]) == (400, ErrorCode.RATE_NOT_POSITIVE)
    assert not FreelancerProfile.objects.filter(user=hirer).exists()
    assert not Skill.objects.filter(name=NEW).exists()


def test_a_job_the_service_refuses_from_the_form_leaves_no_new_skill(client_for: Any, hirer: Any) -> None:
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    form = {
        "title": "Logo",
        "description": "A logo",
        "pricing_type": "fixed",
        "budget_min": "100",
        "budget_max": "200",
        "skills": f"Design, {NEW}",
        "deadline": past,
    }
    response = client_for(hirer).post(reverse("marketplace:job-create"), form)
    assert response.status_code == 200
    assert "The deadline cannot be in the past." in response.content.decode()
    assert not Skill.objects.filter(name__in=["Design", NEW]).exists()


def test_a_profile_the_service_refuses_from_the_form_leaves_no_new_skill(client_for: Any, hirer: Any) -> None:
    form = {"headline": "Weaver", "availability": "part_time", "skills_text": f"{NEW}, !!!"}
    response = client_for(hirer).post(reverse("marketplace:freelancer-profile-edit"), form)
    assert response.status_code == 200
    assert "A skill needs a name." in response.content.decode()
    assert not FreelancerProfile.objects.filter(user=hirer).exists()
    assert not Skill.objects.filter(name=NEW).exists()


def test_the_api_saves_a_job_with_its_skills_counting_repeats_once(client_for: Any, hirer: Any) -> None:
    body = {**JOB, "skills": ["Django", NEW, " django ", NEW]}
    response = post_json(client_for(hirer), "/api/jobs/new/", body)
    assert response.status_code == 201, response.content
    job = Job.objects.get()
    assert sorted(job.skills.values_list("name", flat=True)) == ["Django", NEW]
    assert job.skill_text == f"Django {NEW}"


def test_a_skill_without_a_name_refuses_the_whole_job(hirer: Any) -> None:
    fields = {k: v for k, v in JOB.items() if k != "skills"}
    with pytest.raises(ApplicationError) as refused:
        job_create(client=hirer, skill_names=[NEW, "!!!"], **fields)
    assert (refused.value.code, refused.value.message) == (ErrorCode.SKILL_NAME_BLANK, "A skill needs a name.")
    assert not Job.objects.exists()
    assert not Skill.objects.filter(name=NEW).exists()


def test_the_form_reads_at_most_fifteen_skill_names_and_repeats_once() -> None:
    text = ", ".join(["Django", "Django", *(f"Skill {n}" for n in range(20))])
    assert skill_names_from_text(text) == ["Django", *(f"Skill {n}" for n in range(14))]
