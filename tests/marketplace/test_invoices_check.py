"""`invoices_check`: every paid milestone has its invoices, every refund after release its credit notes,
and their totals equal what the ledger moved; a milestone paid without its invoices is named."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from marketplace.models import Contract, Milestone
from marketplace.services.refunds import milestone_refund_released
from marketplace.tax.invoice_check import invoice_report
from tests.marketplace.invoice_helpers import NL_CLIENT, NL_FREELANCER, give_details, release

pytestmark = pytest.mark.django_db


def _paid(contract: Contract, finance: Any, fund: Any, capture: Any, position: int = 1) -> Milestone:
    return release(contract.milestones.get(position=position), contract, finance, fund, capture)


def test_released_and_refunded_milestones_with_their_documents_pass(
    contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    first = _paid(contract, finance, fund, django_capture_on_commit_callbacks)
    _paid(contract, finance, fund, django_capture_on_commit_callbacks, position=2)
    with django_capture_on_commit_callbacks(execute=True):
        milestone_refund_released(milestone_id=first.pk, actor=finance, reason="Not usable.")
    report = invoice_report()
    assert report.discrepancies == []
    assert report.invoices == 6  # two work and fee invoices, two credit notes
    # 40,000 + 60,000 released, 40,000 taken back.
    assert report.released_cents == {"EUR": 60_000} == report.invoiced_cents
    out = io.StringIO()
    call_command("invoices_check", stdout=out)
    assert "Invoices OK: 6 documents for 3 ledger payments" in out.getvalue()


def test_a_paid_milestone_without_its_invoices_is_named(
    contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from marketplace.services.milestones import milestone_approve

    give_details(contract.freelancer, NL_FREELANCER)
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    # After-commit work never ran: the invoice task was lost.
    with django_capture_on_commit_callbacks(execute=False):
        milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    report = invoice_report()
    assert f"milestone {milestone.pk} (release, batch" in report.discrepancies[0]
    assert any("no work document" in line for line in report.discrepancies)
    assert any("no fee document" in line for line in report.discrepancies)
    assert any("the ledger released 40000" in line for line in report.discrepancies)
    with pytest.raises(CommandError, match="discrepancies"):
        call_command("invoices_check", stdout=io.StringIO(), stderr=io.StringIO())
