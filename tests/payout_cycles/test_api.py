"""Every endpoint: allowed, forbidden, bad input with the exact message; list endpoints pin queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from payouts.cycles.models import CycleStatus, PayoutCycle
from payouts.cycles.services import cycle_compute_start, cycle_open

pytestmark = pytest.mark.django_db


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def computed(
    second_staff: Any, coop: Any, staff: Any, last_month: Any, django_capture_on_commit_callbacks: Any
) -> PayoutCycle:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_compute_start(cycle_id=cycle.pk, actor=second_staff)
    return PayoutCycle.objects.get(pk=cycle.pk)


def test_open_compute_approve_execute_through_the_api(
    staff: Any, second_staff: Any, coop: Any, last_month: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = api(staff)
    opened = c.post("/api/payout-cycles/open/", {"period_start": str(last_month[0]), "period_end": str(last_month[1])})
    assert opened.status_code == 201, opened.json()
    pk = opened.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(f"/api/payout-cycles/{pk}/compute/").status_code == 200
    digest = c.get(f"/api/payout-cycles/{pk}/").json()["allocation_hash"]
    # Four eyes: who computed cannot approve; nothing changes and the refusal names the rule.
    alone = c.post(f"/api/payout-cycles/{pk}/approve/", {"allocation_hash": digest})
    assert alone.status_code == 403
    assert alone.json()["code"] == "same_person_approve"
    assert PayoutCycle.objects.get(pk=pk).status == "computed"
    assert (
        api(second_staff).post(f"/api/payout-cycles/{pk}/approve/", {"allocation_hash": digest}).json()["status"]
        == "approved"
    )
    # ... and who approved cannot pay it out.
    refused = api(second_staff).post(f"/api/payout-cycles/{pk}/execute/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "same_person_execute"
    assert PayoutCycle.objects.get(pk=pk).status == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(f"/api/payout-cycles/{pk}/execute/").status_code == 200
    assert PayoutCycle.objects.get(pk=pk).status == CycleStatus.PAID


def test_cycle_endpoints_are_forbidden_to_members(computed: Any, coop: Any) -> None:
    c = api(coop["quiet"].user)
    for method, url in [
        ("get", "/api/payout-cycles/"),
        ("post", "/api/payout-cycles/open/"),
        ("get", f"/api/payout-cycles/{computed.pk}/"),
        ("post", f"/api/payout-cycles/{computed.pk}/compute/"),
        ("post", f"/api/payout-cycles/{computed.pk}/approve/"),
        ("post", f"/api/payout-cycles/{computed.pk}/vote/"),
        ("post", f"/api/payout-cycles/{computed.pk}/execute/"),
        ("get", f"/api/payout-cycles/{computed.pk}/statements/"),
        ("get", "/api/earnings-payouts/"),
        ("post", "/api/earnings-payouts/run/"),
    ]:
        response = getattr(c, method)(url)
        assert response.status_code == 403, url
        # The permission table's refusal: finance runs cycles, the board approves them.
        assert response.json()["code"] == "staff_only", url


def test_open_with_a_bad_period_gives_the_exact_message(staff: Any, policy: Any) -> None:
    response = api(staff).post("/api/payout-cycles/open/", {"period_start": "2024-03-01", "period_end": "2024-02-01"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_period",
        "message": "The period must end after it starts.",
        "detail": {"field": "period_end"},
    }


def test_approve_with_a_malformed_hash_is_refused(staff: Any, computed: Any) -> None:
    response = api(staff).post(f"/api/payout-cycles/{computed.pk}/approve/", {"allocation_hash": "nope"})
    assert response.status_code == 400
    assert response.json()["message"] == "The input is not valid: see detail for each field."


def test_approve_twice_conflicts(staff: Any, computed: Any) -> None:
    c = api(staff)
    c.post(f"/api/payout-cycles/{computed.pk}/approve/", {"allocation_hash": computed.allocation_hash})
    again = c.post(f"/api/payout-cycles/{computed.pk}/approve/", {"allocation_hash": computed.allocation_hash})
    assert again.status_code == 409
    assert again.json()["message"] == "Only a computed cycle can be approved."


def test_member_reads_own_statement_and_not_others(computed: Any, coop: Any) -> None:
    from tests.factories import MemberFactory

    mine = api(coop["client"].user).get(f"/api/payout-cycles/{computed.pk}/my-statement/")
    assert mine.status_code == 200 and mine.json()["statement"]["classes"]
    outsider = api(MemberFactory().user).get(f"/api/payout-cycles/{computed.pk}/my-statement/")
    assert outsider.status_code == 404
    assert outsider.json()["message"] == "You have no statement in this cycle."


def test_list_endpoints_run_a_fixed_number_of_queries(staff: Any, computed: Any, coop: Any) -> None:
    counts = []
    for user, url in [
        (staff, "/api/payout-cycles/"),
        (staff, f"/api/payout-cycles/{computed.pk}/statements/"),
        (coop["client"].user, "/api/payout-cycles/mine/"),
        (staff, "/api/earnings-payouts/"),
    ]:
        c = api(user)
        with CaptureQueriesContext(connection) as queries:
            assert c.get(url).status_code == 200
        counts.append(len(queries))
    # A member's own statements: their roles (members only, or a former member's own), then the page.
    assert counts == [2, 6, 3, 1], counts


def test_policy_endpoints(staff: Any, policy: Any, member: Any) -> None:
    current = api(member.user).get("/api/surplus-policy/")
    assert current.status_code == 200 and current.json()["version"] == 1
    bad = api(member.user).post(
        "/api/surplus-policy/propose/",
        {
            "title": "New policy",
            "policy": {
                "classes": [{"name": "all", "percent": "90", "basis": "equal"}],
                "min_cash_percent": "20",
                "redemption_terms": "Five years.",
            },
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["message"] == "The class percentages must add up to 100; they add up to 90."


def test_earnings_payout_with_nothing_to_pay_is_refused(staff: Any) -> None:
    response = api(staff).post("/api/earnings-payouts/run/")
    assert response.status_code == 409
    assert response.json()["message"] == "No freelancer has a balance to pay out."


def test_schema_documents_the_endpoints(staff: Any) -> None:
    schema = api(staff).get("/api/schema/", {"format": "json"}).json()
    assert "/api/payout-cycles/{id}/approve/" in schema["paths"]
