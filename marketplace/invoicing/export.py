"""Write a period's invoices and credit notes to a folder: `<number>.xml`, `<number>.pdf`, index.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from core.money import Money
from marketplace.invoicing.pdf import invoice_pdf
from marketplace.invoicing.ubl import invoice_xml
from marketplace.selectors.invoices import invoices_in_period

INDEX_COLUMNS = (
    "number",
    "kind",
    "issuer",
    "recipient",
    "date",
    "net",
    "vat",
    "gross",
    "currency",
    "milestone",
    "ledger_batch",
)


@dataclass(frozen=True)
class ExportResult:
    documents: int
    folder: Path


def invoices_export(*, start: date, end: date, folder: Path, language: str = "en") -> ExportResult:
    """Write every document issued from `start` to `end` (inclusive). Credit notes' amounts are negative
    in index.csv, so a column's sum is the period's net figure."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "index.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(INDEX_COLUMNS)
        for invoice in invoices_in_period(start=start, end=end).iterator(chunk_size=200):
            (folder / f"{invoice.number}.xml").write_bytes(invoice_xml(invoice, coop_name=settings.COOP_LEGAL_NAME))
            (folder / f"{invoice.number}.pdf").write_bytes(invoice_pdf(invoice, language=language))
            sign = -1 if invoice.is_credit_note else 1
            writer.writerow(
                [
                    invoice.number,
                    invoice.kind,
                    invoice.issuer_name,
                    invoice.recipient_name,
                    invoice.issue_date.isoformat(),
                    *(
                        f"{Money(sign * cents, invoice.currency).to_decimal():f}"
                        for cents in (invoice.net_cents, invoice.vat_cents, invoice.gross_cents)
                    ),
                    invoice.currency,
                    invoice.milestone_id,
                    invoice.ledger_batch.idempotency_key,
                ]
            )
            count += 1
    return ExportResult(documents=count, folder=folder)
