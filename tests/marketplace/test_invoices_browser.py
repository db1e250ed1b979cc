"""Done-when (b), in a real Chromium: a freelancer enters business details, a milestone is released,
the client downloads the PDF and the e-invoice from the contract page; a refund yields a credit note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marketplace.models import Contract, Invoice
from marketplace.services.milestones import milestone_submit
from tests.marketplace.invoice_helpers import NL_CLIENT, give_details
from tests.marketplace.test_journey_browser import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_details_release_downloads_and_a_credit_note(
    page: Any, live_server: Any, contract: Contract, finance: Any, fund: Any
) -> None:
    page.url_base = live_server.url
    give_details(contract.client, NL_CLIENT, consent=False)
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="The design.")

    login_as(page, contract.freelancer)
    page.goto("/account/business-details/")
    page.get_by_label("Individual (a person or sole trader)").check()
    page.get_by_label("Legal name").fill("Ada de Vries Design")
    page.get_by_label("Street and number").fill("Prinsengracht 10")
    page.get_by_label("Postal code").fill("1015 DV")
    page.get_by_label("City").fill("Amsterdam")
    page.get_by_label("Country").select_option("NL")
    page.get_by_label("Registered for VAT", exact=True).check()
    page.locator("#id_vat_number").fill("NL 8537.46333.B01")
    page.get_by_label("I agree that the coop issues invoices for my work in my name (self-billing)").check()
    page.get_by_role("button", name="Save business details").click()
    page.get_by_text("Your business details are saved.").wait_for()

    login_as(page, contract.client)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("button", name="Approve and release payment").click()
    invoices = page.locator("section[aria-labelledby='invoices-title']")
    work = Invoice.objects.get(kind=Invoice.Kind.WORK)
    invoices.get_by_role("link", name=work.number, exact=True).wait_for()
    with page.expect_download() as pdf:
        invoices.get_by_role("link", name=f"PDF of {work.number}").click()
    assert pdf.value.suggested_filename == f"{work.number}.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with page.expect_download() as xml:
        invoices.get_by_role("link", name=f"e-invoice (XML) of {work.number}").click()
    assert f"<cbc:ID>{work.number}</cbc:ID>" in Path(xml.value.path()).read_text(encoding="utf-8")

    login_as(page, finance)
    page.goto(f"/invoices/{work.number}/")
    page.get_by_label("Why the money goes back").fill("The design was not what was agreed.")
    page.get_by_role("button", name="Refund the client").click()
    page.get_by_text("The milestone is paid back to the client").wait_for()
    credit = Invoice.objects.get(kind=Invoice.Kind.WORK_CREDIT)
    assert credit.corrects_id == work.pk

    login_as(page, contract.client)
    page.goto(f"/contracts/{contract.pk}/")
    page.locator("section[aria-labelledby='invoices-title']").get_by_role(
        "link", name=credit.number, exact=True
    ).wait_for()
