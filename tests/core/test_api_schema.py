"""The OpenAPI schema says what the API answers: page objects for paginated lists, every error status.

The schemathesis suite (test_api_schemathesis.py) checks the answers against the schema; these
tests pin the schema's shape itself, so a regression names the operation and what it lost.
"""

from typing import Any

import pytest
from django.test import Client

from core.api.docs import SchemaView
from core.api.fields import MAX_ID

# The lists the API answers one page at a time, by hand (APIView) or through ListAPIView.
PAGINATED = [
    ("/api/membership/register/", "get"),
    ("/api/membership/applications/", "get"),
    ("/api/privacy/exports/", "get"),
    ("/api/privacy/access-log/", "get"),
    ("/api/money/postings/", "get"),
    ("/api/money/withdrawals/", "get"),
    ("/api/money/finance/bank-payments/", "get"),
    ("/api/money/finance/withdrawals/", "get"),
    ("/api/money/finance/batches/", "get"),
    ("/api/payout-cycles/", "get"),
    ("/api/payout-cycles/{id}/statements/", "get"),
    ("/api/payout-cycles/mine/", "get"),
    ("/api/earnings-payouts/", "get"),
    ("/api/jobs/", "get"),
    ("/api/contracts/{contract_id}/milestones/", "get"),
    ("/api/notifications/", "get"),
    ("/api/governance/proposals/", "get"),
]
# Lists answered whole, as arrays.
WHOLE = [
    ("/api/membership/classes/", "get"),
    ("/api/privacy/catalogue/", "get"),
    ("/api/governance/decision-types/", "get"),
    ("/api/contracts/{contract_id}/reviews/", "get"),
    ("/api/threads/{thread_id}/messages/", "get"),
    ("/api/notifications/settings/", "get"),
]


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    SchemaView.forget()
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return dict(response.json())


def success_schema(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    if "$ref" in body:
        return dict(schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]])
    return dict(body)


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


@pytest.mark.parametrize(("path", "method"), PAGINATED)
def test_a_paginated_list_is_described_as_a_page_object(schema: dict[str, Any], path: str, method: str) -> None:
    page = success_schema(schema, path, method)
    assert page["type"] == "object"
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    parameters = {p["name"] for p in schema["paths"][path][method].get("parameters", [])}
    assert {"page", "page_size"} <= parameters
    # A page past the end is a 404.
    assert "404" in schema["paths"][path][method]["responses"]


@pytest.mark.parametrize(("path", "method"), WHOLE)
def test_a_list_answered_whole_is_described_as_an_array(schema: dict[str, Any], path: str, method: str) -> None:
    assert success_schema(schema, path, method)["type"] == "array"


def test_every_array_answer_is_a_list_the_view_answers_whole(schema: dict[str, Any]) -> None:
    arrays = []
    for path, method, operation in operations(schema):
        for media in operation["responses"].get("200", {}).get("content", {}).values():
            if media["schema"].get("type") == "array":
                arrays.append((path, method))
    assert sorted(arrays) == sorted([*WHOLE, ("/api/notifications/settings/save/", "post")])


def test_every_error_answer_has_the_error_body_and_a_description(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                assert response["description"], (method, path, status)


def test_every_write_documents_bad_input_refusal_conflict_and_throttling(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        if method in {"post", "put", "patch", "delete"}:
            assert {"400", "409", "429"} <= set(operation["responses"]), (method, path)


def test_signed_out_callers_get_403_from_every_operation_that_authenticates(schema: dict[str, Any]) -> None:
    """Session authentication comes first, so DRF answers missing credentials with 403, not 401."""
    for path, method, operation in operations(schema):
        if operation.get("security") != [{}] and path != "/api/auth/token/":
            assert "403" in operation["responses"], (method, path)
            assert "401" not in operation["responses"], (method, path)


def test_every_operation_with_ids_in_its_path_documents_404_and_bounds_the_ids(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        if "{" not in path:
            continue
        assert "404" in operation["responses"], (method, path)
        for parameter in operation["parameters"]:
            if parameter["in"] == "path" and parameter["schema"]["type"] == "integer":
                assert parameter["schema"].get("maximum") == MAX_ID, (method, path, parameter["name"])


def test_the_token_endpoint_documents_its_refusals_and_its_rate_limit(schema: dict[str, Any]) -> None:
    responses = schema["paths"]["/api/auth/token/"]["post"]["responses"]
    assert {"200", "400", "429"} <= set(responses)
    assert "Retry-After" in responses["429"]["headers"]


def test_the_api_token_is_a_security_scheme(schema: dict[str, Any]) -> None:
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert {"tokenAuth": []} in schema["paths"]["/api/me/"]["get"]["security"]


def test_a_read_without_input_documents_no_400(schema: dict[str, Any]) -> None:
    assert "400" not in schema["paths"]["/api/membership/me/"]["get"]["responses"]
    assert "409" not in schema["paths"]["/api/membership/me/"]["get"]["responses"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/clients/{}/", "/api/freelancers/{}/", "/api/jobs/{}/"])
def test_an_id_past_the_largest_the_schema_allows_is_a_404_as_any_missing_id(client: Client, path: str) -> None:
    """It was a 400 "too large to store", from the database: schemathesis found it."""
    for pk in (MAX_ID, MAX_ID + 1, 10**30):
        response = client.get(path.format(pk))
        assert response.status_code == 404, (pk, response.content)
        assert response.json()["code"] == "not_found"
