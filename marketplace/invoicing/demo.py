"""Demo invoices: business details for the demo's freelancers and clients, the invoices of every
released milestone, and a credit note (Farid's widget refunded after release). Eva works under
the KOR (no VAT), Iris's Stadslab invoices from Antwerp as a Belgian company (EU reverse charge),
Hugo is a private client. Called from the marketplace's seeder after the contracts are paid and
the DAC7 details are in, so the details entered there are kept and only completed."""

from __future__ import annotations

from typing import Any

FREELANCERS: dict[str, dict[str, str]] = {
    "ada@example.org": {
        "kind": "individual",
        "legal_name": "Ada de Vries",
        "street": "Prinsengracht 263",
        "postal_code": "1016 GV",
        "city": "Amsterdam",
        "country": "NL",
        "vat_number": "NL861000006B01",
        "vat_scheme": "vat",
    },
    "eva@example.org": {
        "kind": "individual",
        "legal_name": "Eva Bakker",
        "street": "Oudegracht 120",
        "postal_code": "3511 AX",
        "city": "Utrecht",
        "country": "NL",
        "vat_number": "NL100000009B01",
        "vat_scheme": "kor",
    },
    "bram@example.org": {
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
    "farid@example.org": {
        "kind": "individual",
        "legal_name": "Farid El Amrani",
        "street": "Witte de Withstraat 12",
        "postal_code": "3012 BP",
        "city": "Rotterdam",
        "country": "NL",
        "kvk_number": "70111222",
        "vat_number": "NL100000010B01",
        "vat_scheme": "vat",
    },
}
CLIENTS: dict[str, dict[str, str]] = {
    "gemma@example.org": {
        "kind": "entity",
        "legal_name": "Stichting Fietsbieb Utrecht",
        "street": "Twijnstraat 40",
        "postal_code": "3511 ZL",
        "city": "Utrecht",
        "country": "NL",
        "kvk_number": "41234567",
        "vat_number": "NL100000022B01",
        "vat_scheme": "vat",
    },
    "iris@example.org": {
        "kind": "entity",
        "legal_name": "Stadslab BV",
        "street": "Meir 50",
        "postal_code": "2000",
        "city": "Antwerpen",
        "country": "BE",
        "vat_number": "BE0403170701",
        "vat_scheme": "vat",
    },
    "hugo@example.org": {
        "kind": "individual",
        "legal_name": "Hugo Smit",
        "street": "Nieuwegracht 3",
        "postal_code": "3512 LB",
        "city": "Utrecht",
        "country": "NL",
        "vat_scheme": "none",
    },
}
REFUNDED_AFTER_RELEASE = "Android widget for the repair bookings"


def _complete(user: Any, values: dict[str, str], *, consent: bool) -> None:
    from marketplace.models import BusinessDetails
    from marketplace.services.business import business_details_save

    existing = BusinessDetails.objects.filter(user=user).first()
    if existing is not None and (existing.self_billing_consent_at is not None or not consent):
        return
    if existing is not None:
        # Keep what was entered (the DAC7 demo's name and address); add what invoicing needs.
        values = {
            **values,
            **{f: getattr(existing, f) for f in ("kind", "legal_name", "street", "postal_code", "city", "country")},
            "kvk_number": existing.kvk_number or values.get("kvk_number", ""),
            "vat_number": existing.vat_number or values.get("vat_number", ""),
        }
    business_details_save(actor=user, self_billing_consent=consent, **values)


def seed() -> None:
    from core.demo import demo_user
    from marketplace.models import Milestone
    from marketplace.services.invoices import invoices_issue_pending
    from marketplace.services.refunds import milestone_refund_released

    people = [(demo_user(e), v, True) for e, v in FREELANCERS.items()]
    people += [(demo_user(e), v, False) for e, v in CLIENTS.items()]
    for user, values, consent in people:
        _complete(user, values, consent=consent)
    for user, _values, _consent in people:
        invoices_issue_pending(user_id=user.pk)
    widget = Milestone.objects.filter(contract__job__title=REFUNDED_AFTER_RELEASE, position=1).first()
    if widget is not None and widget.status == Milestone.Status.RELEASED:
        milestone_refund_released(
            milestone_id=widget.pk,
            actor=demo_user("finance@example.org"),
            reason="The widget drained the battery on older phones; the client was paid back in full.",
        )
        invoices_issue_pending(user_id=widget.contract.freelancer_id)
