"""The DAC7 report as DPI XML (OECD DPI XML schema v1.0), written and checked against the schema.

This module knows the message's shape only: callers pass the operator's and the sellers' details
and figures already decided (marketplace.services.dac7). `validate` checks a message against the
schema files in dpi_schema/ (see its README for where they come from); `dac7_report` refuses to
write a message that fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

NS = "urn:oecd:ties:dpi:v1"
STF = "urn:oecd:ties:dpistf:v1"
SCHEMA_DIR = Path(__file__).resolve().parent / "dpi_schema"
SCHEMA_FILE = SCHEMA_DIR / "DPIXML_v1.0.xsd"
# The root element the OECD's schema declares, and the schema's version attribute.
ROOT = "DPI_OECD"
VERSION = "1.0"
# The schema's [EU Specific] message type: the only one allowed for reports under Directive 2021/514.
MESSAGE_TYPE = "DAC7"
NEW_MESSAGE = "DPI401"
NEW_DOCUMENT = "OECD1"

ET.register_namespace("dpi", NS)
ET.register_namespace("stf", STF)


@dataclass(frozen=True)
class Address:
    country: str
    street: str
    postcode: str
    city: str


@dataclass(frozen=True)
class Operator:
    """The platform operator: the coop itself."""

    name: str
    tin: str
    country: str
    address: Address


@dataclass(frozen=True)
class Seller:
    """One reportable seller as the report names them, with their figures per quarter (in cents)."""

    doc_ref_id: str
    is_entity: bool
    name: str
    first_name: str
    last_name: str
    address: Address
    tin: str
    tin_country: str
    date_of_birth: dt.date | None
    registration_number: str
    registration_country: str
    consideration_cents: Sequence[int]
    fees_cents: Sequence[int]
    activities: Sequence[int]


def _el(parent: ET.Element, tag: str, text: str | None = None, ns: str = NS, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _major(cents: int) -> str:
    """DPI amounts are whole units of the currency (MonAmnt_Type is an integer); round half away from zero.

    The stored report line keeps the cents, so the seller's page shows the exact figures behind it.
    """
    sign = -1 if cents < 0 else 1
    whole, rest = divmod(abs(cents), 100)
    return str(sign * (whole + (1 if rest >= 50 else 0)))


def _address(parent: ET.Element, address: Address) -> None:
    element = _el(parent, "Address", legalAddressType="OECD303")
    _el(element, "CountryCode", address.country)
    fixed = _el(element, "AddressFix")
    if address.street:
        _el(fixed, "Street", address.street)
    if address.postcode:
        _el(fixed, "PostCode", address.postcode)
    _el(fixed, "City", address.city)


def _doc_spec(parent: ET.Element, doc_ref_id: str) -> None:
    spec = _el(parent, "DocSpec")
    _el(spec, "DocTypeIndic", NEW_DOCUMENT, ns=STF)
    _el(spec, "DocRefId", doc_ref_id, ns=STF)


def _quarters(parent: ET.Element, tag: str, prefix: str, values: Sequence[int], currency: str | None) -> None:
    element = _el(parent, tag)
    for index, value in enumerate(values, start=1):
        if currency is None:
            _el(element, f"{prefix}{index}", str(value))
        else:
            _el(element, f"{prefix}{index}", _major(value), currCode=currency)


def _seller(body: ET.Element, seller: Seller, currency: str) -> None:
    element = _el(body, "ReportableSeller")
    identity = _el(element, "Identity")
    if seller.is_entity:
        standard = _el(_el(identity, "EntitySeller"), "Standard")
        party = _el(standard, "EntSellerID")
        _el(party, "ResCountryCode", seller.address.country)
        _el(party, "TIN", seller.tin, issuedBy=seller.tin_country)
        if seller.registration_number:
            issued_by = seller.registration_country or seller.address.country
            _el(party, "IN", seller.registration_number, issuedBy=issued_by, INType="BRN")
        _el(party, "Name", seller.name)
        _address(party, seller.address)
    else:
        standard = _el(_el(identity, "IndividualSeller"), "Standard")
        party = _el(standard, "IndSellerID")
        _el(party, "ResCountryCode", seller.address.country)
        _el(party, "TIN", seller.tin, issuedBy=seller.tin_country)
        name = _el(party, "Name")
        _el(name, "FirstName", seller.first_name)
        _el(name, "LastName", seller.last_name)
        _address(party, seller.address)
        birth = _el(party, "BirthInfo")
        assert seller.date_of_birth is not None
        _el(birth, "BirthDate", seller.date_of_birth.isoformat())
    services = _el(_el(element, "RelevantActivities"), "PersonalServices")
    _quarters(services, "Consideration", "ConsQ", seller.consideration_cents, currency)
    _quarters(services, "NumberOfActivities", "NumbQ", seller.activities, None)
    _quarters(services, "Fees", "FeesQ", seller.fees_cents, currency)
    # The coop withholds no taxes from what it pays sellers.
    _quarters(services, "Taxes", "TaxQ", [0, 0, 0, 0], currency)
    _doc_spec(element, seller.doc_ref_id)


def build(
    *,
    year: int,
    message_ref_id: str,
    timestamp: dt.datetime,
    operator: Operator,
    sellers: Sequence[Seller],
    currency: str,
    contact: str = "",
) -> bytes:
    """Return the DPI message for `year` as UTF-8 XML bytes."""
    root = ET.Element(f"{{{NS}}}{ROOT}", {"version": VERSION})
    spec = _el(root, "MessageSpec")
    _el(spec, "SendingEntityIN", operator.tin)
    # A platform operator files with the tax authority of its own country, which sends the
    # message on to the sellers' countries: both are the operator's country here.
    _el(spec, "TransmittingCountry", operator.country)
    _el(spec, "ReceivingCountry", operator.country)
    _el(spec, "MessageType", MESSAGE_TYPE)
    if contact:
        _el(spec, "Contact", contact)
    _el(spec, "MessageRefId", message_ref_id)
    _el(spec, "MessageTypeIndic", NEW_MESSAGE)
    _el(spec, "ReportingPeriod", f"{year}-12-31")
    _el(spec, "Timestamp", timestamp.replace(microsecond=0, tzinfo=None).isoformat())
    body = _el(root, "DPIBody")
    platform = _el(body, "PlatformOperator")
    _el(platform, "ResCountryCode", operator.country)
    _el(platform, "TIN", operator.tin, issuedBy=operator.country)
    _el(platform, "Name", operator.name)
    _address(platform, operator.address)
    _doc_spec(platform, f"{message_ref_id}-OP")
    for seller in sellers:
        _seller(body, seller, currency)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@cache
def _schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema10(str(SCHEMA_FILE))


def validate(document: bytes) -> list[str]:
    """Return the schema's complaints about a DPI message (none when it is valid)."""
    schema = _schema()
    return [f"{error.path}: {error.reason}" for error in schema.iter_errors(document.decode("utf-8"))]
