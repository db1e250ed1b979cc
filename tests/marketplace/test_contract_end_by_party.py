"""Either party ends a contract early: unfunded milestones lapse, money in flight blocks it."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.exceptions import Conflict, NotAllowed
from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, ContractStatusChange, Milestone
from marketplace.services.contracts import contract_end_by_party
from marketplace.services.milestones import milestone_approve, milestone_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IN_FLIGHT = "Money for this contract is still in escrow or on its way: settle those milestones first."


def statuses(contract: Contract) -> tuple[str, list[str]]:
    contract.refresh_from_db()
    return contract.status, list(contract.milestones.order_by("position").values_list("status", flat=True))


def test_a_party_ends_an_unfunded_contract_and_it_is_cancelled(contract: Contract, hirer: Any) -> None:
    ended = contract_end_by_party(contract_id=contract.pk, actor=hirer)

    assert ended.status == Contract.Status.CANCELLED
    assert statuses(contract) == ("cancelled", ["cancelled", "cancelled"])
    change = ContractStatusChange.objects.filter(contract=contract).latest("pk")
    assert (change.to_status, change.actor) == ("cancelled", hirer)


def test_the_freelancer_ends_after_a_paid_milestone_and_the_contract_is_completed(
    contract: Contract, hirer: Any, freelancer: Any, finance: Any, fund: Any
) -> None:
    first = fund(contract.milestones.order_by("position").first(), hirer, finance)
    milestone_submit(milestone_id=first.pk, actor=freelancer, message="Designs attached.")
    milestone_approve(milestone_id=first.pk, actor=hirer)

    contract_end_by_party(contract_id=contract.pk, actor=freelancer)

    assert statuses(contract) == ("completed", ["released", "cancelled"])


def test_someone_outside_the_contract_cannot_end_it(contract: Contract) -> None:
    with pytest.raises(NotAllowed) as refused:
        contract_end_by_party(contract_id=contract.pk, actor=UserFactory())

    assert (refused.value.code, refused.value.message) == (ErrorCode.NOT_PARTY, "You are not a party to this contract.")
    assert statuses(contract) == ("active", ["pending", "pending"])


def test_ending_with_money_in_escrow_is_refused_with_the_reason(
    contract: Contract, hirer: Any, finance: Any, fund: Any
) -> None:
    fund(contract.milestones.order_by("position").first(), hirer, finance)

    with pytest.raises(Conflict) as refused:
        contract_end_by_party(contract_id=contract.pk, actor=hirer)

    assert (refused.value.code, refused.value.message) == (ErrorCode.MONEY_IN_FLIGHT, IN_FLIGHT)
    assert statuses(contract) == ("active", ["funded", "pending"])


def test_ending_an_ended_contract_is_refused(contract: Contract, hirer: Any, freelancer: Any) -> None:
    contract_end_by_party(contract_id=contract.pk, actor=hirer)

    with pytest.raises(Conflict) as refused:
        contract_end_by_party(contract_id=contract.pk, actor=freelancer)

    assert (refused.value.code, refused.value.message) == (
        ErrorCode.CONTRACT_NOT_ACTIVE,
        "This contract has already ended.",
    )
    assert ContractStatusChange.objects.filter(contract=contract, to_status="cancelled").count() == 1


def test_the_end_button_ends_the_contract_for_a_party(contract: Contract, hirer: Any, client_for: Any) -> None:
    response = client_for(hirer).post(reverse("marketplace:contract-end", args=[contract.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:contract-detail", args=[contract.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The contract has ended."]
    assert statuses(contract)[0] == "cancelled"


def test_the_end_button_says_why_for_someone_outside_the_contract(contract: Contract, client_for: Any) -> None:
    response = client_for(UserFactory()).post(reverse("marketplace:contract-end", args=[contract.pk]))

    assert response.status_code == 403
    assert "You are not a party to this contract." in response.content.decode()
    assert statuses(contract)[0] == "active"


def test_the_end_button_shows_the_exact_refusal_when_money_is_in_escrow(
    contract: Contract, hirer: Any, finance: Any, fund: Any, client_for: Any
) -> None:
    fund(contract.milestones.order_by("position").first(), hirer, finance)

    response = client_for(hirer).post(reverse("marketplace:contract-end", args=[contract.pk]), follow=True)

    assert IN_FLIGHT in [str(m) for m in response.context["messages"]]
    assert statuses(contract) == ("active", ["funded", "pending"])


def test_the_end_button_takes_only_posts(contract: Contract, hirer: Any, client_for: Any) -> None:
    response = client_for(hirer).get(reverse("marketplace:contract-end", args=[contract.pk]))

    assert response.status_code == 405
    assert statuses(contract)[0] == "active"
    assert Milestone.objects.filter(contract=contract, status="cancelled").count() == 0
