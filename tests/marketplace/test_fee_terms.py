"""Fee terms are checked when a change is proposed, so a passed decision cannot fail when carried out."""

import pytest

from core.exceptions import ApplicationError
from core.money import MAX_AMOUNT_CENTS
from marketplace.decisions import fee_policy_validate
from marketplace.exceptions import ErrorCode

WHEN = "2027-01-01T00:00:00+01:00"


@pytest.mark.parametrize("field", ["min_cents", "max_cents"])
def test_a_fee_above_the_amount_ceiling_is_refused_when_proposed(field: str) -> None:
    payload = {"percent": "8", "min_cents": 0, "max_cents": None, "effective_from": WHEN}
    payload[field] = 10**30
    with pytest.raises(ApplicationError) as refused:
        fee_policy_validate(payload)
    assert refused.value.code == ErrorCode.FEE_TOO_LARGE
    assert refused.value.message == f"A fee can be at most {MAX_AMOUNT_CENTS} cents."


def test_a_fee_at_the_ceiling_is_accepted() -> None:
    payload = {"percent": "8", "min_cents": 0, "max_cents": MAX_AMOUNT_CENTS, "effective_from": WHEN}
    assert fee_policy_validate(payload)["max_cents"] == MAX_AMOUNT_CENTS
