"""An invoice or credit note as UBL 2.1 XML conforming to EN 16931 (the European e-invoicing standard).

Rendered from the immutable record, so the same invoice always gives the same XML. The money was
paid through escrow before the document is issued, so each document shows its total as prepaid
and an amount due of zero (EN 16931 BT-113 and BT-115); a credit note's refund went out the same way.
Type codes (UNTDID 1001): 389 self-billed invoice, 380 invoice, 261 self-billed credit note,
381 credit note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from xml.etree import ElementTree as ET

from core.money import Money
from marketplace.models import Invoice, InvoiceLine, VatCategory

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017"
SELF_BILLING_NOTE = "Self-billed invoice: issued by {coop} in the name and on behalf of the supplier."

TYPE_CODES = {
    Invoice.Kind.WORK: "389",
    Invoice.Kind.FEE: "380",
    Invoice.Kind.WORK_CREDIT: "261",
    Invoice.Kind.FEE_CREDIT: "381",
}

ET.register_namespace("", NS_INVOICE)
ET.register_namespace("cac", NS_CAC)
ET.register_namespace("cbc", NS_CBC)


def _cbc(parent: ET.Element, name: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS_CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _amount(parent: ET.Element, name: str, cents: int, currency: str) -> None:
    _cbc(parent, name, f"{Money(cents, currency).to_decimal():f}", currencyID=currency)


def _percent(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _tax_scheme(parent: ET.Element) -> None:
    _cbc(_cac(parent, "TaxScheme"), "ID", "VAT")


def _party(parent: ET.Element, party: dict[str, str], *, with_vat_number: bool) -> None:
    element = _cac(parent, "Party")
    _cbc(_cac(element, "PartyIdentification"), "ID", party.get("identifier") or party["name"])
    _cbc(_cac(element, "PartyName"), "Name", party["name"])
    address = _cac(element, "PostalAddress")
    _cbc(address, "StreetName", party["street"])
    _cbc(address, "CityName", party["city"])
    _cbc(address, "PostalZone", party["postal_code"])
    _cbc(_cac(address, "Country"), "IdentificationCode", party["country"])
    if with_vat_number and party.get("vat_number"):
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party["vat_number"])
        _tax_scheme(scheme)
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party["name"])
    if party.get("kvk_number"):
        _cbc(legal, "CompanyID", party["kvk_number"], schemeID="0106")


def _tax_category(parent: ET.Element, name: str, category: str, percent: Decimal, reason: str = "") -> None:
    element = _cac(parent, name)
    _cbc(element, "ID", category)
    if category != VatCategory.OUTSIDE_SCOPE:
        _cbc(element, "Percent", _percent(percent))
    if reason:
        _cbc(element, "TaxExemptionReason", reason)
    _tax_scheme(element)


def _breakdown(lines: Iterable[InvoiceLine]) -> list[tuple[str, Decimal, str, int, int]]:
    """Group lines by VAT category and rate: (category, rate, reason, taxable, tax), in line order."""
    groups: dict[tuple[str, Decimal], list[int]] = defaultdict(lambda: [0, 0])
    reasons: dict[tuple[str, Decimal], str] = {}
    for line in lines:
        key = (line.vat_category, Decimal(line.vat_percent))
        groups[key][0] += line.net_cents
        groups[key][1] += line.vat_cents
        reasons.setdefault(key, line.vat_exemption_reason)
    return [(category, rate, reasons[(category, rate)], net, vat) for (category, rate), (net, vat) in groups.items()]


def invoice_xml(invoice: Invoice, *, coop_name: str) -> bytes:
    """Return the invoice or credit note as EN 16931 UBL 2.1 XML (UTF-8)."""
    credit = invoice.is_credit_note
    namespace = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = ET.Element(f"{{{namespace}}}{'CreditNote' if credit else 'Invoice'}")
    currency = invoice.currency
    lines = list(invoice.lines.all())
    outside_scope = any(line.vat_category == VatCategory.OUTSIDE_SCOPE for line in lines)
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issue_date.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", TYPE_CODES[Invoice.Kind(invoice.kind)])
    if invoice.is_self_billed:
        _cbc(root, "Note", SELF_BILLING_NOTE.format(coop=coop_name))
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "BuyerReference", f"Contract {invoice.milestone.contract_id}, milestone {invoice.milestone_id}")
    if invoice.corrects is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.corrects.number)
        _cbc(reference, "IssueDate", invoice.corrects.issue_date.isoformat())
    # An out-of-scope invoice names no VAT numbers (EN 16931 BR-O-02); the party identifier remains.
    _party(_cac(root, "AccountingSupplierParty"), invoice.issuer, with_vat_number=not outside_scope)
    _party(_cac(root, "AccountingCustomerParty"), invoice.recipient, with_vat_number=not outside_scope)
    _cbc(_cac(root, "Delivery"), "ActualDeliveryDate", invoice.issue_date.isoformat())
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", invoice.vat_cents, currency)
    for category, rate, reason, taxable, tax in _breakdown(lines):
        subtotal = _cac(tax_total, "TaxSubtotal")
        _amount(subtotal, "TaxableAmount", taxable, currency)
        _amount(subtotal, "TaxAmount", tax, currency)
        _tax_category(subtotal, "TaxCategory", category, rate, reason)
    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", invoice.net_cents, currency)
    _amount(totals, "TaxExclusiveAmount", invoice.net_cents, currency)
    _amount(totals, "TaxInclusiveAmount", invoice.gross_cents, currency)
    _amount(totals, "PrepaidAmount", invoice.gross_cents, currency)
    _amount(totals, "PayableAmount", 0, currency)
    for line in lines:
        element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(element, "ID", str(line.position))
        _cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", "1", unitCode="C62")
        _amount(element, "LineExtensionAmount", line.net_cents, currency)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description)
        _tax_category(item, "ClassifiedTaxCategory", line.vat_category, Decimal(line.vat_percent))
        _amount(_cac(element, "Price"), "PriceAmount", line.net_cents, currency)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
