import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_schema_is_served_and_documents_the_error_format(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/me/" in schema["paths"]
    assert "Error" in schema["components"]["schemas"]


def test_api_docs_use_only_assets_served_by_the_app(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script" in body
    assert not re.search(r"""(src|href)=["'](https?:)?//""", body)
    for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", body):
        assert client.get(asset).status_code == 200, asset
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200


def test_unauthenticated_requests_get_the_one_error_format() -> None:
    response = APIClient().get("/api/me/")
    assert response.status_code in {401, 403}
    assert set(response.json()) == {"code", "message", "detail"}
    assert response.json()["code"] == "not_authenticated"


def test_token_login_and_me() -> None:
    user = UserFactory(email="ada@example.org", is_freelancer=True)
    api = APIClient()
    response = api.post("/api/auth/token/", {"email": "ada@example.org", "password": "correct-horse-battery"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api.get("/api/me/").json()
    assert me["id"] == user.pk
    assert me["roles"] == ["freelancer"]
    assert me["email_verified"] is True


def test_token_login_with_a_wrong_password_is_refused_with_a_clear_message() -> None:
    UserFactory(email="ada@example.org")
    response = APIClient().post("/api/auth/token/", {"email": "ada@example.org", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_credentials",
        "message": "The email address, password or two-factor code is not correct.",
        "detail": {},
    }


def test_invalid_input_names_each_field_in_the_users_language() -> None:
    response = APIClient().post("/api/auth/token/", {"email": "not-an-email"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "De invoer is niet geldig: zie detail per veld."
    assert set(body["detail"]) == {"email", "password"}
