"""Clients can fund a milestone by card from the contract page when Stripe is on."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from marketplace.models import Contract, Milestone
from payouts.models import PaymentRequest
from tests.stripe_gateway.conftest import connect_fake, localstripe, stripe_on  # noqa: F401

pytestmark = pytest.mark.django_db


def test_without_stripe_the_contract_page_offers_bank_transfer_only(contract: Contract, client_for: Any) -> None:
    body = client_for(contract.client).get(reverse("marketplace:contract-detail", args=[contract.pk])).content.decode()
    assert "Fund this milestone" in body
    assert "Fund by card" not in body


@pytest.mark.usefixtures("stripe_on")
def test_funding_by_card_leads_to_the_card_payment_page(contract: Contract, client_for: Any) -> None:
    client = client_for(contract.client)
    page = client.get(reverse("marketplace:contract-detail", args=[contract.pk])).content.decode()
    assert "Fund by card" in page and "Fund by bank transfer" in page
    milestone = contract.milestones.get(position=1)

    response = client.post(reverse("marketplace:milestone-fund-card", args=[milestone.pk]))

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDING
    assert response["Location"] == reverse("payouts:payment_request", args=[milestone.payment_reference])
    payment_page = client.get(response["Location"]).content.decode()
    assert "Pay by card" in payment_page
    contract_page = client.get(reverse("marketplace:contract-detail", args=[contract.pk])).content.decode()
    assert "counts once Stripe confirms it" in contract_page
    assert "to the cooperative's account with payment reference" not in contract_page
    payment_request = PaymentRequest.objects.get(reference=milestone.payment_reference)
    assert payment_request.provider == "stripe"
    assert f'href="{reverse("stripe_gateway:checkout", args=[payment_request.pk])}"' in payment_page


@pytest.mark.usefixtures("stripe_on")
def test_only_the_client_funds_by_card(contract: Contract, client_for: Any) -> None:
    milestone = contract.milestones.get(position=1)
    response = client_for(contract.freelancer).post(reverse("marketplace:milestone-fund-card", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    # Refused by the permission table: the 403 page says why, rather than a redirect with a message.
    assert response.status_code == 403
    assert "Only the client can do this." in response.content.decode()
