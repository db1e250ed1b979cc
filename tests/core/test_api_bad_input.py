"""Bad input to the API gets a clear JSON error and changes nothing; no input the API accepts is a 500.

Covers numbers too large for the database, the schema under concurrent requests, 404s and 500s
outside the API's views, and the Swagger UI page.
"""

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import DataError, transaction
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from core.api.docs import SchemaView
from core.money import MAX_AMOUNT_CENTS
from governance.models import Proposal as GovernanceProposal
from governance.models import Vote
from marketplace.models import Contract, Job, Milestone, Proposal, Skill
from tests.core.test_page_audit import problems_of
from tests.factories import MemberFactory, UserFactory

HUGE = 10**30
INVALID = "The input is not valid: see detail for each field."
CENTS_RANGE = f"Enter an amount in cents from 0 to {MAX_AMOUNT_CENTS}."
ID_RANGE = f"Enter an id from 1 to {2**63 - 1}."
JOB = {
    "title": "Build a booking page",
    "description": "A small Django site where customers book repair slots.",
    "budget_min_cents": 50_000,
    "budget_max_cents": 150_000,
    "skills": ["Quantum basket weaving"],
}


def api_for(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def invalid(response: Any, field: str, message: str) -> None:
    """Assert a 400 in the project's error format that names `field` with `message`."""
    assert response.status_code == 400, response.content
    assert response.json() == {"code": "invalid", "message": INVALID, "detail": {field: [message]}}


@pytest.fixture
def contract(db: Any) -> Contract:
    """A running contract between a client and a freelancer, built through the services."""
    from marketplace.services.fees import fee_policy_create
    from marketplace.services.jobs import job_create
    from marketplace.services.profiles import client_profile_save, freelancer_profile_save
    from marketplace.services.proposals import proposal_accept, proposal_submit

    fee_policy_create(percent=Decimal("10"), actor=None, effective_from=timezone.now() - timedelta(days=1))
    client, freelancer = UserFactory(), UserFactory()
    client_profile_save(user=client)
    freelancer_profile_save(user=freelancer, headline="Django developer", hourly_rate_cents=6000)
    fields = {k: v for k, v in JOB.items() if k != "skills"}
    job = job_create(client=client, publish=True, **fields)
    proposal = proposal_submit(
        job_id=job.pk, freelancer=freelancer, cover_letter="I built three.", amount_cents=100_000, duration_days=14
    )
    return proposal_accept(proposal_id=proposal.pk, actor=client)


# Numbers too large for the database -------------------------------------------------------------


@pytest.mark.django_db
def test_job_with_a_budget_too_large_to_store_is_refused_and_nothing_is_created() -> None:
    client = UserFactory()
    response = api_for(client).post("/api/jobs/new/", {**JOB, "budget_min_cents": HUGE}, format="json")
    invalid(response, "budget_min_cents", CENTS_RANGE)
    assert not Job.objects.exists()
    assert not Skill.objects.filter(name="Quantum basket weaving").exists()


@pytest.mark.django_db
def test_negative_amount_beyond_range_is_refused_with_the_same_message() -> None:
    response = api_for(UserFactory()).post("/api/jobs/new/", {**JOB, "budget_max_cents": -HUGE}, format="json")
    invalid(response, "budget_max_cents", CENTS_RANGE)


@pytest.mark.django_db
def test_largest_amount_is_accepted() -> None:
    job = {**JOB, "budget_min_cents": MAX_AMOUNT_CENTS, "budget_max_cents": MAX_AMOUNT_CENTS}
    response = api_for(UserFactory()).post("/api/jobs/new/", job, format="json")
    assert response.status_code == 201, response.content
    assert Job.objects.get().budget_max_cents == MAX_AMOUNT_CENTS


def test_proposal_with_a_price_too_large_to_store_is_refused(contract: Contract) -> None:
    job = contract.job
    other = UserFactory()
    before = Proposal.objects.count()
    body = {"cover_letter": "Hire me.", "amount_cents": 10**20, "duration_days": 14}
    response = api_for(other).post(f"/api/jobs/{job.pk}/propose/", body, format="json")
    invalid(response, "amount_cents", CENTS_RANGE)
    assert Proposal.objects.count() == before


def test_milestone_with_an_amount_too_large_to_store_is_refused(contract: Contract) -> None:
    before = Milestone.objects.count()
    response = api_for(contract.client).post(
        f"/api/contracts/{contract.pk}/milestones/", {"title": "More", "amount_cents": 10**20}, format="json"
    )
    invalid(response, "amount_cents", CENTS_RANGE)
    assert Milestone.objects.count() == before


def test_timesheet_with_more_minutes_than_the_database_holds_is_refused(contract: Contract) -> None:
    body = {"week_start": "2025-01-06", "minutes": HUGE, "description": "Work"}
    response = api_for(contract.freelancer).post(f"/api/contracts/{contract.pk}/timesheets/new/", body, format="json")
    invalid(response, "minutes", "Enter a whole number from 0 to 1000000.")


@pytest.mark.django_db
def test_vote_on_behalf_of_an_impossible_member_id_is_refused() -> None:
    from governance.builtin import GENERAL_RESOLUTION
    from governance.rules_defaults import ensure_founding_rules
    from governance.services.proposals import proposal_create

    ensure_founding_rules()
    member = MemberFactory()
    proposal = proposal_create(
        decision_key=GENERAL_RESOLUTION, payload={}, title="Adopt a code", author=member.user, actor=member.user
    )
    response = api_for(member.user).post(
        f"/api/governance/proposals/{proposal.pk}/vote/", {"choice": "yes", "on_behalf_of": 10**20}, format="json"
    )
    invalid(response, "on_behalf_of", ID_RANGE)
    assert not Vote.objects.exists()
    assert GovernanceProposal.objects.get().pk == proposal.pk


@pytest.mark.django_db
def test_too_many_ids_at_once_are_refused() -> None:
    response = api_for(UserFactory()).post("/api/notifications/read/", {"ids": list(range(1, 1002))}, format="json")
    invalid(response, "ids", "Send at most 1000 ids.")


def test_a_plan_with_more_milestones_than_allowed_is_refused(contract: Contract) -> None:
    plan = [{"title": f"Part {n}", "amount_cents": 1_000} for n in range(21)]
    body = {"cover_letter": "Hire me.", "amount_cents": 21_000, "duration_days": 14, "milestone_plan": plan}
    response = api_for(UserFactory()).post(f"/api/jobs/{contract.job_id}/propose/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == {
        "milestone_plan": {"non_field_errors": ["A plan can have at most 20 milestones."]}
    }


@pytest.mark.django_db
def test_an_url_id_too_large_for_the_database_is_a_json_404() -> None:
    response = APIClient().get(f"/api/jobs/{HUGE}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_job_search_with_a_budget_too_large_for_the_database_finds_nothing() -> None:
    response = APIClient().get(f"/api/jobs/?budget_min_cents={HUGE}&budget_max_cents=-{HUGE}")
    assert response.status_code == 200
    assert response.json()["results"] == []


def request_bodies(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return every schema that describes input: request components and inline request bodies."""
    found = {name: s for name, s in schema["components"]["schemas"].items() if name.endswith("Request")}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if "$ref" not in media["schema"]:
                    found[f"{method} {path}"] = media["schema"]
    return found


def unbounded(name: str, node: Any) -> list[str]:
    """List the integers without a minimum and maximum, and the lists of integers without maxItems."""
    if not isinstance(node, dict):
        return []
    problems = []
    if node.get("type") == "integer" and not ("minimum" in node and "maximum" in node):
        problems.append(name)
    if node.get("type") == "array" and node.get("items", {}).get("type") == "integer" and "maxItems" not in node:
        problems.append(f"{name} (list length)")
    for key, child in node.get("properties", {}).items():
        problems += unbounded(f"{name}.{key}", child)
    if "items" in node:
        problems += unbounded(f"{name}[]", node["items"])
    return problems


@pytest.mark.django_db
def test_every_integer_the_api_accepts_is_bounded_in_the_schema(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    bodies = request_bodies(schema)
    assert {"JobCreateInputRequest", "VoteInputRequest", "ElectionVoteInputRequest"} <= set(bodies)
    assert [p for name, body in bodies.items() for p in unbounded(name, body)] == []


# The safety net: anything the database still refuses is a 400, and nothing changed ---------------


@pytest.mark.django_db
def test_a_value_the_database_refuses_is_a_400_out_of_range_and_changes_nothing(monkeypatch: Any) -> None:
    """A service that writes, then hands the database a number it cannot hold (a bound forgotten)."""
    from marketplace.services import jobs

    @transaction.atomic
    def job_create(*, client: Any, **kwargs: Any) -> None:
        Skill.objects.create(name="Written first", slug="written-first")
        Job.objects.filter(client=client).update(budget_min_cents=HUGE)

    monkeypatch.setattr(jobs, "job_create", job_create)
    response = api_for(UserFactory()).post("/api/jobs/new/", JOB, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {
        "code": "out_of_range",
        "message": "A value in the request is too large to store. Nothing was changed.",
        "detail": {},
    }
    assert not Skill.objects.filter(name__in=["Written first", "Quantum basket weaving"]).exists()
    # The connection is still good for the next request.
    monkeypatch.undo()
    assert api_for(UserFactory()).post("/api/jobs/new/", JOB, format="json").status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("error", [DataError("integer out of range"), OverflowError("int too large")])
def test_database_range_errors_from_a_service_are_a_400(monkeypatch: Any, error: Exception) -> None:
    from marketplace.services import jobs

    def refuse(**kwargs: Any) -> None:
        raise error

    monkeypatch.setattr(jobs, "job_create", refuse)
    response = api_for(UserFactory()).post("/api/jobs/new/", JOB, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_range"
    assert not Skill.objects.filter(name="Quantum basket weaving").exists()


# The schema under concurrent requests ------------------------------------------------------------


def fetch_at_once(paths: list[str]) -> list[tuple[int, str]]:
    """GET every path from its own thread, all released at the same moment."""
    start = threading.Barrier(len(paths))
    results: list[tuple[int, str]] = [(0, "")] * len(paths)

    def fetch(i: int, path: str) -> None:
        start.wait()
        response = Client(raise_request_exception=False).get(path, HTTP_ACCEPT="application/vnd.oai.openapi+json")
        results[i] = (response.status_code, response.content[:200].decode(errors="replace"))

    threads = [threading.Thread(target=fetch, args=(i, path)) for i, path in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_schema_requested_by_several_clients_at_once_is_served_to_all() -> None:
    SchemaView.forget()
    results = fetch_at_once(["/api/schema/"] * 6 + ["/api/schema/?lang=nl"] * 2)
    assert [status for status, _body in results] == [200] * 8, results


@pytest.mark.django_db
def test_schema_is_kept_per_language_and_unknown_languages_do_not_grow_the_cache(client: Client) -> None:
    SchemaView.forget()
    accept = "application/vnd.oai.openapi+json"
    english = client.get("/api/schema/?lang=en", HTTP_ACCEPT=accept).json()
    dutch = client.get("/api/schema/?lang=nl", HTTP_ACCEPT=accept).json()
    for lang in ("xx", "zz-top", "nl-BE"):
        assert client.get(f"/api/schema/?lang={lang}", HTTP_ACCEPT=accept).status_code == 200
    assert set(SchemaView._schemas) == {"en", "nl"}
    assert english["paths"].keys() == dutch["paths"].keys()


# 404 and 500 outside the API's views -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/jobs/abc/"), ("post", "/api/threads/abc/send/"), ("get", "/api/no-such-endpoint/")],
)
def test_an_api_url_that_matches_nothing_is_a_json_404(method: str, path: str) -> None:
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "Not found.", "detail": {}}


@pytest.mark.django_db
def test_the_json_404_speaks_the_users_language() -> None:
    response = APIClient().get("/api/jobs/abc/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.json()["message"] == "Niet gevonden."


@pytest.mark.django_db
def test_a_page_that_matches_nothing_is_still_the_sites_html_404(client: Client) -> None:
    response = client.get("/jobs/abc/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]
    assert "Page not found" in response.content.decode()


def test_a_crash_outside_an_api_view_is_a_json_500_under_api_and_the_html_page_elsewhere() -> None:
    from coop_platform.urls import handler500

    response = handler500(RequestFactory().get("/api/jobs/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"code": "server_error", "message": "A server error occurred.", "detail": {}}'
    page = handler500(RequestFactory().get("/jobs/"))
    assert page.status_code == 500
    assert "text/html" in page["Content-Type"]


# The Swagger UI page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_docs_page_has_a_language_one_h1_and_no_inline_code(client: Client) -> None:
    response = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    found, _links = problems_of(html)
    assert found == []
    assert '<html lang="nl">' in html
