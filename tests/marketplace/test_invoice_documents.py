"""Every kind of document the app issues passes the official EN 16931 validator, and adds up in cents."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from marketplace.invoicing.pdf import invoice_pdf
from marketplace.invoicing.ubl import invoice_xml
from marketplace.models import Contract, Invoice
from marketplace.services.refunds import milestone_refund_released
from tests.en16931 import fatal_failures, need_validator
from tests.marketplace.invoice_helpers import (
    BE_CLIENT,
    KOR_FREELANCER,
    NL_CLIENT,
    NL_FREELANCER,
    US_CLIENT,
    give_details,
    release,
)

pytestmark = pytest.mark.django_db


def _issue(contract: Contract, finance: Any, fund: Any, capture: Any) -> list[Invoice]:
    release(contract.milestones.get(position=1), contract, finance, fund, capture)
    return list(Invoice.objects.filter(milestone__contract=contract).order_by("pk"))


def _valid(invoice: Invoice) -> None:
    assert fatal_failures(invoice_xml(invoice, coop_name=settings.COOP_LEGAL_NAME)) == [], invoice.number


@pytest.mark.parametrize(
    ("freelancer_details", "client_details", "category", "vat_cents"),
    [
        (NL_FREELANCER, NL_CLIENT, "S", 6942),  # 40,000 incl. 21%: net 33,058
        (NL_FREELANCER, BE_CLIENT, "AE", 0),
        (KOR_FREELANCER, NL_CLIENT, "E", 0),
        (NL_FREELANCER, US_CLIENT, "O", 0),
    ],
    ids=["standard", "reverse-charge", "kor", "outside-scope"],
)
def test_each_vat_case_gives_a_valid_work_invoice_and_fee_invoice(
    contract: Contract,
    finance: Any,
    fund: Any,
    django_capture_on_commit_callbacks: Any,
    freelancer_details: dict[str, str],
    client_details: dict[str, str],
    category: str,
    vat_cents: int,
) -> None:
    need_validator()
    give_details(contract.freelancer, freelancer_details)
    give_details(contract.client, client_details, consent=False)
    work, fee = _issue(contract, finance, fund, django_capture_on_commit_callbacks)
    assert (work.kind, fee.kind) == (Invoice.Kind.WORK, Invoice.Kind.FEE)
    assert work.gross_cents == 40_000 and fee.gross_cents == 4_000
    assert work.lines.get().vat_category == category
    assert work.vat_cents == vat_cents
    assert work.net_cents + work.vat_cents == work.gross_cents
    _valid(work)
    _valid(fee)


def test_a_refund_after_release_issues_valid_credit_notes_that_reference_the_invoices(
    contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    need_validator()
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    work, fee = _issue(contract, finance, fund, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        milestone_refund_released(milestone_id=work.milestone_id, actor=finance, reason="Work was not usable.")
    credits = {c.corrects_id: c for c in Invoice.objects.filter(corrects__isnull=False)}
    assert set(credits) == {work.pk, fee.pk}
    work_credit, fee_credit = credits[work.pk], credits[fee.pk]
    assert work_credit.kind == Invoice.Kind.WORK_CREDIT and work_credit.gross_cents == work.gross_cents
    assert fee_credit.kind == Invoice.Kind.FEE_CREDIT and fee_credit.vat_cents == fee.vat_cents
    assert b"<cac:BillingReference>" in invoice_xml(work_credit, coop_name="Coop")
    _valid(work_credit)
    _valid(fee_credit)


def test_the_pdf_renders_in_english_and_dutch(
    contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, BE_CLIENT, consent=False)
    work, _fee = _issue(contract, finance, fund, django_capture_on_commit_callbacks)
    english, dutch = invoice_pdf(work, language="en"), invoice_pdf(work, language="nl")
    assert english.startswith(b"%PDF-") and dutch.startswith(b"%PDF-")
    assert english != dutch


def test_a_dispute_decision_invoices_only_the_part_released(
    contract: Contract, finance: Any, fund: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    need_validator()
    from marketplace.services.disputes import dispute_open, dispute_resolve, dispute_respond
    from marketplace.services.milestones import milestone_submit

    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    dispute = dispute_open(milestone_id=milestone.pk, actor=contract.client, reason="quality", statement="Half.")
    dispute_respond(dispute_id=dispute.pk, actor=contract.freelancer, response="It is all there.")
    with django_capture_on_commit_callbacks(execute=True):
        dispute_resolve(dispute_id=dispute.pk, actor=staff, release_cents=20_000, decision="Half was delivered.")
    work = Invoice.objects.get(kind=Invoice.Kind.WORK)
    fee = Invoice.objects.get(kind=Invoice.Kind.FEE)
    assert (work.gross_cents, fee.gross_cents) == (20_000, 2_000)
    _valid(work)
    _valid(fee)
