"""Demo DAC7 details for the freelancers the demo pays enough to be reported: Eva (a person, paid
EUR 2,400 for the accessibility audit this year), Ada and Bram (a person and a business, paid for
the payout cycles' demo months as well). Farid (paid EUR 800 for the widget) is below the
de-minimis and has given no tax details, so the report leaves him out and his withdrawals are
refused until he gives them. Called from the marketplace's seeder, after the contracts are paid."""

from __future__ import annotations

import datetime as dt


def seed() -> None:
    from core.demo import demo_user
    from marketplace.models import Dac7Details
    from marketplace.models.invoices import BusinessDetails
    from marketplace.services.dac7 import dac7_details_set

    people = [
        (
            "ada@example.org",
            {
                "kind": "individual",
                "legal_name": "Ada de Vries",
                "street": "Prinsengracht 263",
                "postal_code": "1016 GV",
                "city": "Amsterdam",
                "country": "NL",
                "vat_number": "NL861000006B01",
                "vat_scheme": "vat",
            },
            {
                "first_name": "Ada",
                "last_name": "de Vries",
                "date_of_birth": dt.date(1991, 9, 3),
                "tin": "123456782",
                "tin_country": "NL",
            },
        ),
        (
            "eva@example.org",
            {
                "kind": "individual",
                "legal_name": "Eva Bakker",
                "street": "Oudegracht 120",
                "postal_code": "3511 AX",
                "city": "Utrecht",
                "country": "NL",
                "vat_scheme": "kor",
            },
            {
                "first_name": "Eva",
                "last_name": "Bakker",
                "date_of_birth": dt.date(1988, 4, 12),
                "tin": "111222333",
                "tin_country": "NL",
            },
        ),
        (
            "bram@example.org",
            {
                "kind": "entity",
                "legal_name": "Bram Jansen Illustratie B.V.",
                "street": "Zeestraat 44",
                "postal_code": "2518 AB",
                "city": "Den Haag",
                "country": "NL",
                "kvk_number": "69599084",
                "vat_number": "NL854000008B01",
                "vat_scheme": "vat",
            },
            {"tin": "854000008", "tin_country": "NL"},
        ),
    ]
    for email, business, details in people:
        user = demo_user(email)
        if not BusinessDetails.objects.filter(user=user).exists():
            BusinessDetails.objects.create(user=user, **business)
        if not Dac7Details.objects.filter(user=user).exists():
            dac7_details_set(user=user, actor=user, **details)
