"""The yearly statement's rows, as the page, the PDF (core.pdf) and the CSV all show them.

One list of rows, so the three never disagree; amounts are the statement's cents, formatted for
the reader's language on the page and in the PDF, and written as plain decimals in the CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.money import Money, cents_to_major
from core.pdf import Column, PdfDocument
from marketplace.selectors.tax import YearlyStatement


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cents: int
    note: str = ""


def statement_rows(statement: YearlyStatement) -> list[Row]:
    """Return the statement's summary rows in the reader's language (the ones with nothing to say left out)."""
    rows = [
        Row("income", _("Income from your work (what clients paid)"), statement.income_cents),
        Row("fees", _("Platform fees"), statement.fees_cents),
        Row("net", _("Your earnings after fees"), statement.net_cents),
        Row(
            "vat",
            _("VAT charged to your clients"),
            statement.vat_cents,
            _("Included in the income above, from the invoices the coop issued in your name."),
        ),
        Row("profit_share", _("Profit share paid to you"), statement.profit_share_cents),
        Row("payouts", _("Paid out to your bank account"), statement.payouts_cents),
        Row("other", _("Other movements"), statement.other_cents),
        Row("opening", _("Held for you on 1 January"), statement.opening_cents),
        Row("closing", _("Held for you on 31 December"), statement.closing_cents),
    ]
    optional = {"profit_share", "other"}
    return [row for row in rows if row.key not in optional or row.cents]


def payment_rows(statement: YearlyStatement, titles: dict[int, str]) -> list[dict[str, object]]:
    """Return each payment for work (and each one taken back) of the year, oldest first."""
    return [
        {
            "date": activity.posted_at,
            "title": titles.get(activity.milestone_id or 0, _("Milestone")),
            "reversal": activity.reversal,
            "income": activity.gross_cents,
            "fees": activity.fee_cents,
            "net": activity.net_cents,
        }
        for activity in statement.activities
    ]


def statement_pdf(statement: YearlyStatement, *, name: str, titles: dict[int, str], language: str) -> bytes:
    """Return the statement as a PDF in the active language."""
    title = _("Yearly statement %(year)s") % {"year": statement.year}

    def money(cents: int) -> str:
        return Money(cents, statement.currency).format()

    doc = PdfDocument(title=title, footer=settings.COOP_NAME, author=settings.COOP_NAME, language=language)
    doc.heading(title)
    doc.key_values([(_("Freelancer"), name), (_("Issued by"), settings.COOP_NAME)])
    doc.paragraph(
        _(
            "What you earned through the coop in %(year)s, the fees the coop kept and what it paid out to you, "
            "as recorded in the coop's books."
        )
        % {"year": statement.year}
    )
    rows = statement_rows(statement)
    doc.table(
        [Column(_("Item"), 4), Column(_("Amount"), 1.4, align="R")],
        [[row.label, money(row.cents)] for row in rows],
    )
    for row in rows:
        if row.note and row.cents:
            doc.note(f"{row.label}: {row.note}")
    doc.subheading(_("By quarter"))
    doc.table(
        [
            Column(_("Quarter"), 1),
            Column(_("Income"), 1.4, align="R"),
            Column(_("Platform fees"), 1.4, align="R"),
            Column(_("After fees"), 1.4, align="R"),
        ],
        [
            [_("Q%(quarter)s") % {"quarter": q["quarter"]}, money(q["income"]), money(q["fees"]), money(q["net"])]
            for q in statement.quarters()
        ],
    )
    payments = payment_rows(statement, titles)
    if payments:
        doc.subheading(_("Payments for your work"))
        doc.table(
            [
                Column(_("Date"), 1.2),
                Column(_("Milestone"), 3),
                Column(_("Income"), 1.3, align="R"),
                Column(_("Platform fees"), 1.3, align="R"),
                Column(_("After fees"), 1.3, align="R"),
            ],
            [
                [
                    date_format(p["date"], "SHORT_DATE_FORMAT"),  # type: ignore[arg-type]
                    (_("Taken back: %(title)s") % {"title": p["title"]}) if p["reversal"] else str(p["title"]),
                    money(int(p["income"])),  # type: ignore[call-overload]
                    money(int(p["fees"])),  # type: ignore[call-overload]
                    money(int(p["net"])),  # type: ignore[call-overload]
                ]
                for p in payments
            ],
        )
    return doc.output()


def statement_csv(statement: YearlyStatement, *, titles: dict[int, str]) -> str:
    """Return the statement as CSV: the summary rows, then each payment for work (amounts in major units)."""
    out = io.StringIO()
    writer = csv.writer(out)
    currency = statement.currency

    def amount(cents: int) -> str:
        return str(cents_to_major(cents, currency))

    writer.writerow([_("Item"), _("Amount"), _("Currency")])
    for row in statement_rows(statement):
        writer.writerow([row.label, amount(row.cents), currency])
    writer.writerow([])
    writer.writerow([_("Date"), _("Milestone"), _("Income"), _("Platform fees"), _("After fees"), _("Currency")])
    for p in payment_rows(statement, titles):
        title = (_("Taken back: %(title)s") % {"title": p["title"]}) if p["reversal"] else str(p["title"])
        writer.writerow(
            [
                date_format(p["date"], "SHORT_DATE_FORMAT"),  # type: ignore[arg-type]
                title,
                amount(int(p["income"])),  # type: ignore[call-overload]
                amount(int(p["fees"])),  # type: ignore[call-overload]
                amount(int(p["net"])),  # type: ignore[call-overload]
                currency,
            ]
        )
    return out.getvalue()
