"""People with business details and released milestones, for the invoice tests."""

from __future__ import annotations

from typing import Any

from marketplace.models import BusinessDetails, Contract, Milestone
from marketplace.services.business import business_details_save

NL_FREELANCER = {
    "kind": "individual",
    "legal_name": "Ana de Vries Design",
    "street": "Prinsengracht 10",
    "postal_code": "1015 DV",
    "city": "Amsterdam",
    "country": "NL",
    "kvk_number": "87654321",
    "vat_number": "NL853746333B01",
    "vat_scheme": "vat",
}
KOR_FREELANCER = {**NL_FREELANCER, "legal_name": "Bram Klein", "vat_number": "NL000099998B57", "vat_scheme": "kor"}
NL_CLIENT = {
    "kind": "entity",
    "legal_name": "Fietsenmaker B.V.",
    "street": "Damrak 5",
    "postal_code": "1012 LG",
    "city": "Amsterdam",
    "country": "NL",
    "kvk_number": "11223344",
    "vat_number": "",
    "vat_scheme": "none",
}
BE_CLIENT = {
    "kind": "entity",
    "legal_name": "Brusselse Koffie NV",
    "street": "Grote Markt 1",
    "postal_code": "1000",
    "city": "Brussel",
    "country": "BE",
    "vat_number": "BE0403170701",
    "vat_scheme": "vat",
}
US_CLIENT = {
    "kind": "entity",
    "legal_name": "Hudson Bikes Inc.",
    "street": "5th Avenue 100",
    "postal_code": "10001",
    "city": "New York",
    "country": "US",
    "vat_scheme": "none",
}


def give_details(user: Any, details: dict[str, str], *, consent: bool = True) -> BusinessDetails:
    return business_details_save(actor=user, self_billing_consent=consent, **details)


def release(milestone: Milestone, contract: Contract, finance: Any, fund: Any, capture: Any) -> Milestone:
    """Fund and approve a milestone, running the after-commit work (the invoice task) as it would."""
    from marketplace.services.milestones import milestone_approve

    with capture(execute=True):
        milestone = fund(milestone, contract.client, finance)
        milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    milestone.refresh_from_db()
    return milestone
