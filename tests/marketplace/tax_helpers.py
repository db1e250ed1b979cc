"""Complete DAC7 details for a test person, so their payouts pass the DAC7 gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marketplace.models import BusinessDetails


def give_dac7_details(user: Any) -> None:
    """Give the person business details (if they have none) and DAC7 details, as a Dutch sole trader."""
    from marketplace.services.dac7 import dac7_details_set

    if not BusinessDetails.objects.filter(user=user).exists():
        BusinessDetails.objects.create(
            user=user,
            kind="individual",
            legal_name="Test Seller",
            street="Damrak 1",
            postal_code="1012 LG",
            city="Amsterdam",
            country="NL",
            vat_scheme="kor",
        )
    dac7_details_set(
        user=user,
        actor=user,
        first_name="Test",
        last_name="Seller",
        date_of_birth=dt.date(1985, 5, 6),
        tin="111222333",
        tin_country="NL",
    )
