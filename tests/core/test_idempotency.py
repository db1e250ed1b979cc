"""Idempotency keys on API writes: a retry with the same key gets the first answer and does nothing twice.

The real endpoint (creating a governance proposal) shows the promise end to end; small views mounted
under /api/ for this module only show the edges: answers that are not kept (5xx, 429, no-store),
bodies (JSON key order, multipart boundaries, a large upload), anonymous owners, stale claims, and
two concurrent requests over two real PostgreSQL connections.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.test.client import encode_multipart
from django.urls import include, path
from django.utils import timezone
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from core import idempotency
from core.exceptions import ErrorCode
from core.models import AuditEvent, IdempotencyKey
from core.services import audit_log
from governance.builtin import GENERAL_RESOLUTION
from governance.models import Proposal
from tests.concurrency import run_concurrently
from tests.factories import MemberFactory, UserFactory
from tests.services import need_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_idempotency")]

WORK = "test.idempotent_work"
WORK_URL = "/api/test-idempotency/work/"
SLOW = threading.Event()


class WorkApi(APIView):
    """Do one piece of work (an audit row) and answer with it; `?status=` picks another answer."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, *APIView.parser_classes]

    def post(self, request: Request) -> Response:
        if SLOW.is_set():
            time.sleep(1)
        files = {name: f.read().decode() for name, f in request.FILES.items()}
        event = audit_log(actor=None, action=WORK, data={"fields": dict(request.POST.items()), "files": files})
        status = int(request.query_params.get("status", 201))
        response = Response({"work": event.pk, "files": files, "motto": "Één voor allen"}, status=status)
        if "secret" in request.query_params:
            response["Cache-Control"] = "no-store"
        return response

    def delete(self, request: Request) -> Response:
        audit_log(actor=None, action=WORK)
        return Response(status=204)


urlpatterns = [
    path("api/test-idempotency/work/", WorkApi.as_view()),
    path("api/test-idempotency/other/", WorkApi.as_view()),
    path("", include("coop_platform.urls")),
]


def work_done() -> int:
    return AuditEvent.objects.filter(action=WORK).count()


def send(
    client: Client, key: str | None, body: Any = None, url: str = "/api/test-idempotency/work/", **extra: Any
) -> Any:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(url, body if body is not None else {"a": 1}, content_type="application/json", **headers, **extra)


@pytest.fixture
def member_client(db: Any) -> tuple[APIClient, Any]:
    user = MemberFactory().user
    client = APIClient()
    client.force_login(user)
    return client, user


# --- The promise, on a real endpoint ------------------------------------------------------------------


def test_the_same_write_sent_twice_with_one_key_creates_one_row_and_answers_the_same(
    member_client: tuple[APIClient, Any],
) -> None:
    client, _user = member_client
    body = {"decision_key": GENERAL_RESOLUTION, "title": "A garden on the roof"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "3f1c2a7e-0b7d-4d7e-9a53-2f1d0c7a9e11"}

    first = client.post("/api/governance/proposals/new/", body, format="json", **headers)
    second = client.post("/api/governance/proposals/new/", body, format="json", **headers)

    assert first.status_code == 201, first.content
    assert Proposal.objects.count() == 1
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_the_same_key_with_another_body_is_a_409_and_does_nothing(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    headers = {"HTTP_IDEMPOTENCY_KEY": "key-1"}
    client.post(
        "/api/governance/proposals/new/", {"decision_key": GENERAL_RESOLUTION, "title": "One"}, format="json", **headers
    )

    reused = client.post(
        "/api/governance/proposals/new/", {"decision_key": GENERAL_RESOLUTION, "title": "Two"}, format="json", **headers
    )

    assert reused.status_code == 409
    assert reused.json() == {
        "code": ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "message": "This Idempotency-Key was used for another request (another method, path or body) in the last "
        "24 hours. Use a new key for a new request.",
        "detail": {"header": "Idempotency-Key"},
    }
    assert list(Proposal.objects.values_list("title", flat=True)) == ["One"]


def test_without_a_key_every_write_does_its_work(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    body = {"decision_key": GENERAL_RESOLUTION, "title": "Twice"}
    client.post("/api/governance/proposals/new/", body, format="json")
    client.post("/api/governance/proposals/new/", body, format="json")
    assert Proposal.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_the_refusal_is_in_the_readers_language(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    send(client, "k", {"a": 1})
    refused = send(client, "k", {"a": 2}, HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.status_code == 409
    assert refused.json()["message"].startswith("Deze Idempotency-Key")


# --- What counts as the same request ------------------------------------------------------------------


def test_another_path_or_method_with_the_same_key_is_a_409(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    send(client, "k")
    assert send(client, "k", url="/api/test-idempotency/other/").json()["code"] == ErrorCode.IDEMPOTENCY_KEY_REUSED
    deleted = client.delete("/api/test-idempotency/work/", HTTP_IDEMPOTENCY_KEY="k")
    assert deleted.status_code == 409
    assert work_done() == 1


def test_a_json_body_is_compared_by_content_not_by_spelling(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    first = send(client, "k", '{"a": 1, "b": [1, 2]}')
    second = send(client, "k", '{ "b":[1,2],"a":1 }')
    assert second.status_code == 201 and second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert work_done() == 1


def test_a_multipart_body_ignores_its_random_boundary(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client

    def upload(boundary: str) -> Any:
        body = encode_multipart(boundary, {"note": "invoice", "file": _file("total: 12.50")})
        return client.post(
            "/api/test-idempotency/work/",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first = upload("AaB03x")
    second = upload("zZ9-different")
    assert first.status_code == 201 and first.json()["files"] == {"file": "total: 12.50"}
    assert second["Idempotent-Replayed"] == "true" and second.json() == first.json()
    assert work_done() == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024, FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_upload_larger_than_memory_reaches_the_view_whole(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    content = "line of a big file\n" * 500
    body = encode_multipart("B0undary", {"note": "big", "file": _file(content)})
    response = client.post(
        "/api/test-idempotency/work/",
        body,
        content_type="multipart/form-data; boundary=B0undary",
        HTTP_IDEMPOTENCY_KEY="big-upload",
    )
    assert response.status_code == 201, response.content
    assert response.json()["files"] == {"file": content}
    assert AuditEvent.objects.get(action=WORK).data["fields"] == {"note": "big"}


def _file(text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("invoice.txt", text.encode(), content_type="text/plain")


# --- Whose key it is -----------------------------------------------------------------------------------


def test_keys_are_per_user(db: Any) -> None:
    alice, bob = APIClient(), APIClient()
    alice.force_login(UserFactory())
    bob.force_login(UserFactory())
    assert "Idempotent-Replayed" not in send(alice, "shared-key")
    assert "Idempotent-Replayed" not in send(bob, "shared-key")
    assert work_done() == 2


def test_anonymous_keys_are_per_client_address(db: Any) -> None:
    client = Client()
    first = send(client, "anon", REMOTE_ADDR="198.51.100.7")
    again = send(client, "anon", REMOTE_ADDR="198.51.100.7")
    elsewhere = send(client, "anon", REMOTE_ADDR="203.0.113.9")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert "Idempotent-Replayed" not in elsewhere
    assert work_done() == 2
    assert set(IdempotencyKey.objects.values_list("client_address", flat=True)) == {"198.51.100.7", "203.0.113.9"}


def test_a_token_request_is_the_tokens_user(db: Any) -> None:
    from core.tokens import token_create

    user = UserFactory()
    key = token_create(user=user, name="script", expires_in_days=1).key
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    send(client, "t")
    replay = send(client, "t")
    assert replay["Idempotent-Replayed"] == "true"
    assert IdempotencyKey.objects.get().user == user


def test_refused_credentials_claim_nothing(db: Any) -> None:
    client = APIClient(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = send(client, "k")
    assert response.status_code in {401, 403} and response.json()["code"] == ErrorCode.TOKEN_INVALID
    assert not IdempotencyKey.objects.exists()
    assert work_done() == 0


# --- What is kept ------------------------------------------------------------------------------------


def test_a_refusal_below_500_is_kept_and_replayed(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    headers = {"HTTP_IDEMPOTENCY_KEY": "bad-input"}
    first = client.post("/api/governance/proposals/new/", {"title": ""}, format="json", **headers)
    second = client.post("/api/governance/proposals/new/", {"title": ""}, format="json", **headers)
    assert first.status_code == 400
    assert (second.status_code, second.json(), second["Idempotent-Replayed"]) == (400, first.json(), "true")


@pytest.mark.parametrize("status", [500, 503, 429, 401])
def test_an_answer_a_retry_could_improve_is_not_kept(member_client: tuple[APIClient, Any], status: int) -> None:
    client, _user = member_client
    url = f"/api/test-idempotency/work/?status={status}"
    assert send(client, "k", url=url).status_code == status
    assert not IdempotencyKey.objects.exists()
    retried = send(client, "k", url=url)
    assert "Idempotent-Replayed" not in retried
    assert work_done() == 2


def test_an_answer_marked_no_store_is_not_kept(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    send(client, "k", url="/api/test-idempotency/work/?secret=1")
    assert not IdempotencyKey.objects.exists()


def test_an_empty_answer_is_replayed_empty(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    client.delete("/api/test-idempotency/work/", HTTP_IDEMPOTENCY_KEY="d")
    replay = client.delete("/api/test-idempotency/work/", HTTP_IDEMPOTENCY_KEY="d")
    assert (replay.status_code, replay.content, replay["Idempotent-Replayed"]) == (204, b"", "true")
    assert work_done() == 1


def test_the_stored_answer_keeps_its_unicode(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    send(client, "u")
    replay = send(client, "u")
    assert "Één voor allen" in replay.content.decode()


# --- The key itself, and where it applies -------------------------------------------------------------


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "tab\tinside", "ключ"])
def test_a_key_that_is_not_1_to_255_printable_characters_is_a_400(
    member_client: tuple[APIClient, Any], key: str
) -> None:
    client, _user = member_client
    response = send(client, key)
    assert response.status_code == 400
    assert response.json() == {
        "code": ErrorCode.IDEMPOTENCY_KEY_INVALID,
        "message": "The Idempotency-Key header must be 1 to 255 printable ASCII characters, such as a UUID.",
        "detail": {"header": "Idempotency-Key"},
    }
    assert work_done() == 0


def test_a_key_of_255_characters_is_accepted(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    send(client, "k" * 255)
    assert send(client, "k" * 255)["Idempotent-Replayed"] == "true"


def test_reads_and_pages_ignore_the_header(member_client: tuple[APIClient, Any]) -> None:
    client, _user = member_client
    assert client.get("/api/me/", HTTP_IDEMPOTENCY_KEY="").status_code == 200
    client.post("/notifications/settings/", {}, HTTP_IDEMPOTENCY_KEY="")
    assert not IdempotencyKey.objects.exists()


# --- Time: running, abandoned and expired keys --------------------------------------------------------


def _row(user: Any, key: str, *, age: timedelta, status: int | None, body: Any = None) -> IdempotencyKey:
    identity = idempotency.RequestIdentity(
        method="POST", path="/api/test-idempotency/work/", body_sha256=_sha_of({"a": 1})
    )
    return IdempotencyKey.objects.create(
        user=user,
        key=key,
        method=identity.method,
        path=identity.path,
        request_sha256=identity.body_sha256,
        response_status=status,
        response_body=body,
        created_at=timezone.now() - age,
    )


def _sha_of(body: Any) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def test_a_key_whose_first_request_is_still_running_is_a_409(member_client: tuple[APIClient, Any]) -> None:
    client, user = member_client
    _row(user, "busy", age=timedelta(seconds=5), status=None)
    response = send(client, "busy")
    assert response.status_code == 409
    assert response.json()["code"] == ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS
    assert response.json()["message"] == (
        "The first request with this Idempotency-Key is still running. Try again in a moment."
    )
    assert work_done() == 0


def test_a_claim_abandoned_by_a_dead_process_is_taken_over(member_client: tuple[APIClient, Any]) -> None:
    client, user = member_client
    _row(user, "orphan", age=idempotency.ABANDONED_AFTER + timedelta(seconds=1), status=None)
    assert send(client, "orphan").status_code == 201
    assert work_done() == 1
    assert IdempotencyKey.objects.get(key="orphan").response_status == 201


def test_after_24_hours_the_key_is_new_again_and_the_purge_removes_old_rows(
    member_client: tuple[APIClient, Any],
) -> None:
    client, user = member_client
    _row(user, "old", age=timedelta(hours=24, seconds=1), status=201, body={"work": 0})
    _row(user, "stale", age=timedelta(hours=25), status=201, body={"work": 0})
    _row(user, "fresh", age=timedelta(hours=23), status=201, body={"work": 7})
    assert "Idempotent-Replayed" not in send(client, "old")
    assert send(client, "fresh").json() == {"work": 7}
    assert idempotency.purge() == 1
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"old", "fresh"}


def test_the_purge_runs_every_hour() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["core-idempotency-purge"]
    assert entry == {"task": "core.tasks.idempotency_purge", "schedule": 3600}


# --- The schema ----------------------------------------------------------------------------------------


def test_the_schema_offers_the_header_and_its_409_on_every_write_and_only_there(db: Any) -> None:
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    writes = reads = 0
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            if method in {"post", "put", "patch", "delete"}:
                writes += 1
                assert ("header", "Idempotency-Key") in names, (route, method)
                assert "409" in operation["responses"], (route, method)
            else:
                reads += 1
                assert ("header", "Idempotency-Key") not in names, (route, method)
    assert writes > 20 and reads > 20
    parameter = next(
        p for p in schema["paths"]["/api/governance/proposals/new/"]["post"]["parameters"] if p["in"] == "header"
    )
    assert parameter["schema"]["maxLength"] == 255 and parameter["required"] is False


# --- Two requests at once, over two real connections --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_do_the_work_once() -> None:
    need_postgres()
    user = UserFactory()
    SLOW.set()
    try:

        def post(_i: int) -> tuple[int, Any, str]:
            client = APIClient()
            client.force_login(user)
            response = send(client, "race")
            return response.status_code, response.json(), response.get("Idempotent-Replayed", "")

        results = run_concurrently(post, 2)
    finally:
        SLOW.clear()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert work_done() == 1
    statuses = sorted(status for status, _body, _replayed in results)
    worked = next(body for status, body, replayed in results if status == 201 and not replayed)
    other = next(r for r in results if r[1] is not worked)
    # The second either found the first still running, or (had it been slower) its answer.
    assert statuses in ([201, 409], [201, 201])
    if other[0] == 409:
        assert other[1]["code"] == ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS
    else:
        assert other[1] == worked and other[2] == "true"
    # Once the first is done, a retry is answered from it.
    client = APIClient()
    client.force_login(user)
    retry = send(client, "race")
    assert retry.json() == worked and retry["Idempotent-Replayed"] == "true"


def test_a_new_api_token_is_never_stored_with_its_key(db: Any) -> None:
    user = UserFactory()
    body = {"email": user.email, "password": "correct-horse-battery", "name": "script"}
    client = APIClient()
    first = client.post("/api/auth/token/", body, format="json", HTTP_IDEMPOTENCY_KEY="token-1")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert not IdempotencyKey.objects.exists()
    second = client.post("/api/auth/token/", body, format="json", HTTP_IDEMPOTENCY_KEY="token-1")
    assert second.json()["token"] != first.json()["token"]
    assert "Idempotent-Replayed" not in second
