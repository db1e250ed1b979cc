"""A party to a running contract cannot delete their account until the contract has ended."""

from typing import Any

import pytest

from core.exceptions import Conflict
from marketplace.models import Contract
from membership.services import account_delete

pytestmark = pytest.mark.django_db


def test_a_party_to_a_running_contract_cannot_delete_their_account(contract: Contract) -> None:
    for person in (contract.client, contract.freelancer):
        with pytest.raises(Conflict) as refused:
            account_delete(user=person, actor=person)
        assert refused.value.code == "account_deletion_blocked"
        assert refused.value.message == (
            "You are still a party to 1 running contract. End it first; then you can delete your account."
        )
        person.refresh_from_db()
        assert person.is_active


def test_once_the_contract_has_ended_the_guard_lets_deletion_through(contract: Contract) -> None:
    from marketplace.privacy import _running_contracts

    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.COMPLETED)
    assert _running_contracts(contract.client) is None
    assert _running_contracts(contract.freelancer) is None


def test_the_refusal_is_in_dutch_for_a_dutch_reader(contract: Contract) -> None:
    from django.utils import translation

    from marketplace.privacy import _running_contracts

    with translation.override("nl"):
        message: Any = _running_contracts(contract.client)
    assert message.startswith("Je bent nog partij in 1 lopend contract.")
