"""Invoice pages and API: the parties and finance see a document, others do not; bad input gets its message;
list pages and endpoints run a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Invoice
from tests.factories import UserFactory
from tests.marketplace.invoice_helpers import NL_CLIENT, NL_FREELANCER, give_details, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any) -> Invoice:
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    release(contract.milestones.get(position=1), contract, finance, fund, django_capture_on_commit_callbacks)
    return Invoice.objects.get(kind=Invoice.Kind.WORK)


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_client_the_freelancer_and_finance_download_an_invoice_and_others_cannot(
    issued: Invoice, finance: Any
) -> None:
    for user in (issued.recipient_user, issued.issuer_user, finance):
        web = _as(user)
        assert web.get(f"/invoices/{issued.number}/").status_code == 200
        assert web.get(f"/invoices/{issued.number}/pdf/?language=nl")["Content-Type"] == "application/pdf"
        assert web.get(f"/api/invoices/{issued.number}/xml/").status_code == 200
    stranger = _as(UserFactory())
    assert stranger.get(f"/invoices/{issued.number}/").status_code == 403
    assert stranger.get(f"/api/invoices/{issued.number}/").status_code == 403
    assert stranger.get("/invoices/all/").status_code == 403
    assert stranger.get("/invoices/NO-SUCH-1/").status_code == 404


def test_the_contract_page_lists_the_clients_invoice_with_its_downloads(issued: Invoice) -> None:
    page = _as(issued.recipient_user).get(f"/contracts/{issued.milestone.contract_id}/").content.decode()
    assert f"/invoices/{issued.number}/pdf/" in page and f"/invoices/{issued.number}/xml/" in page


def test_the_api_refuses_a_bad_vat_number_with_its_code_and_saves_nothing() -> None:
    user = UserFactory()
    response = _as(user).post(
        "/api/business-details/",
        {**NL_FREELANCER, "vat_number": "NL123456789B02", "self_billing_consent": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == ErrorCode.VAT_NUMBER_INVALID
    assert _as(user).get("/api/business-details/").status_code == 404


def test_the_form_shows_the_message_for_a_bad_kvk_number() -> None:
    user = UserFactory()
    data = {**NL_FREELANCER, "kvk_number": "123", "self_billing_consent": "on"}
    page = _as(user).post("/account/business-details/", data).content.decode()
    assert "A KVK number has eight digits." in page


@pytest.mark.parametrize("url", ["/invoices/", "/invoices/all/", "/api/invoices/"])
def test_invoice_lists_run_the_same_queries_for_one_or_many_documents(
    url: str, contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    viewer = finance if "all" in url else contract.freelancer
    release(contract.milestones.get(position=1), contract, finance, fund, django_capture_on_commit_callbacks)
    web = _as(viewer)
    web.get(url)
    with CaptureQueriesContext(connection) as one:
        assert web.get(url).status_code == 200
    release(contract.milestones.get(position=2), contract, finance, fund, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as two:
        web.get(url)
    assert len(two) == len(one)
