"""An invoice or credit note as a PDF, in English or Dutch, with the shared builder (core.pdf)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.money import Money
from core.pdf import Column, Party, PdfDocument
from marketplace.models import Invoice, VatCategory


def _party_lines(party: dict[str, str]) -> list[str]:
    from marketplace.selectors.invoices import country_name

    lines = [party["name"], party["street"], f"{party['postal_code']} {party['city']}", country_name(party["country"])]
    if party.get("kvk_number"):
        lines.append(_("KVK number: %(number)s") % {"number": party["kvk_number"]})
    if party.get("vat_number"):
        lines.append(_("VAT number: %(number)s") % {"number": party["vat_number"]})
    return lines


def vat_label(category: str, percent: Decimal) -> str:
    """Return a line's VAT as the reader reads it ("21%", "reverse charge")."""
    if category in (VatCategory.STANDARD, VatCategory.REDUCED, VatCategory.ZERO):
        return f"{formats.number_format(Decimal(percent).normalize(), use_l10n=True)}%"
    return str(VatCategory(category).label)


def vat_note(category: str, vat_scheme: str = "") -> str:
    """Return the legal note a document carries for a VAT category, in the reader's language."""
    if category == VatCategory.EXEMPT:
        if vat_scheme == "kor":
            return _("No VAT charged: the supplier uses the small-business scheme (KOR, art. 25 Wet OB 1968).")
        return _("No VAT charged: the supplier is not registered for VAT.")
    if category == VatCategory.REVERSE_CHARGE:
        return _("VAT reverse charged: the customer accounts for the VAT (art. 196 VAT Directive 2006/112/EC).")
    if category == VatCategory.OUTSIDE_SCOPE:
        return _("Outside the scope of EU VAT: a service to a customer outside the EU (art. 44 VAT Directive).")
    return ""


def title_of(invoice: Invoice) -> str:
    if invoice.is_credit_note:
        return _("Credit note %(number)s") % {"number": invoice.number}
    return _("Invoice %(number)s") % {"number": invoice.number}


def invoice_pdf(invoice: Invoice, *, language: str) -> bytes:
    """Return the invoice or credit note as a PDF in `language` ("en" or "nl")."""
    with translation.override(language):
        money = lambda cents: Money(cents, invoice.currency).format(language)  # noqa: E731
        title = title_of(invoice)
        footer = _("%(coop)s · KVK %(kvk)s · VAT %(vat)s") % {
            "coop": settings.COOP_LEGAL_NAME,
            "kvk": settings.COOP_KVK_NUMBER,
            "vat": settings.COOP_VAT_NUMBER,
        }
        doc = PdfDocument(title=title, footer=footer, author=invoice.issuer_name, language=language)
        doc.heading(title)
        facts = [
            (_("Number"), invoice.number),
            (_("Date"), formats.date_format(invoice.issue_date, "DATE_FORMAT", use_l10n=True)),
            (_("Milestone"), invoice.milestone.title),
        ]
        if invoice.corrects is not None:
            facts.append((_("Corrects invoice"), invoice.corrects.number))
        doc.key_values(facts)
        doc.parties(
            Party(_("Supplier"), _party_lines(invoice.issuer)),
            Party(_("Customer"), _party_lines(invoice.recipient)),
        )
        lines = list(invoice.lines.all())
        doc.table(
            [
                Column(_("Description"), 4),
                Column(_("VAT"), 1.3, align="R"),
                Column(_("Net"), 1.3, align="R"),
                Column(_("VAT amount"), 1.3, align="R"),
                Column(_("Total"), 1.3, align="R"),
            ],
            [
                [
                    line.description,
                    vat_label(line.vat_category, line.vat_percent),
                    money(line.net_cents),
                    money(line.vat_cents),
                    money(line.gross_cents),
                ]
                for line in lines
            ],
        )
        doc.totals(
            [
                (_("Total excluding VAT"), money(invoice.net_cents)),
                (_("VAT"), money(invoice.vat_cents)),
                (_("Total including VAT"), money(invoice.gross_cents)),
                (_("Paid through the coop's escrow"), money(invoice.gross_cents)),
                (_("Amount due"), money(0)),
            ]
        )
        for category in dict.fromkeys(line.vat_category for line in lines):
            note = vat_note(category, invoice.issuer.get("vat_scheme", ""))
            if note:
                doc.note(note)
        if invoice.is_self_billed:
            doc.note(
                _("Self-billing: issued by %(coop)s in the name and on behalf of %(supplier)s, who agreed to it.")
                % {"coop": settings.COOP_LEGAL_NAME, "supplier": invoice.issuer_name}
            )
        if invoice.is_credit_note:
            doc.note(_("This credit note cancels the amounts of the invoice it corrects; the money was paid back."))
        return doc.output()
