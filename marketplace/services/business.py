"""Business details: a person enters their legal name, address, KVK and VAT number and VAT status once.

VAT numbers are checked by format and check digits (python-stdnum, stdnum.eu.vat), KVK numbers by
format (eight digits: the KVK publishes no check digit since 2016, and stdnum has no nl.kvk), and
countries against the ISO 3166-1 list. A live check of the VAT number in the EU's VIES service is
an option (INVOICES_VIES_CHECK, off by default; it needs the network, so tests never turn it on).
Saving issues the invoices that waited for these details.
"""

from __future__ import annotations

import logging
from functools import cache

from babel import Locale
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from core.exceptions import ApplicationError
from core.outbox import enqueue
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import BusinessDetails
from membership.models import User

logger = logging.getLogger(__name__)

# VAT numbers carry the country's prefix, which is the ISO code except for Greece (EL).
VAT_PREFIX = {"GR": "EL"}


@cache
def country_codes() -> frozenset[str]:
    """Return the ISO 3166-1 alpha-2 codes of countries (babel's territories, without regions)."""
    codes = (str(code) for code in Locale.parse("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def _field_error(message: str, code: str, field: str) -> ApplicationError:
    return ApplicationError(message, code=code, detail={"field": field})


def clean_vat_number(value: str, *, country: str) -> str:
    """Return the VAT number compact ("NL853746333B01"); refuse a bad one or another country's."""
    try:
        number = eu_vat.validate(value)
    except StdnumError:
        raise _field_error(
            _("This is not a valid EU VAT number: check the country prefix and the digits."),
            ErrorCode.VAT_NUMBER_INVALID,
            "vat_number",
        ) from None
    if number[:2] != VAT_PREFIX.get(country, country):
        raise _field_error(
            _("The VAT number must be one of the country you chose (it starts with %(prefix)s).")
            % {"prefix": VAT_PREFIX.get(country, country)},
            ErrorCode.VAT_NUMBER_COUNTRY,
            "vat_number",
        )
    if settings.INVOICES_VIES_CHECK and not _known_to_vies(number):
        raise _field_error(
            _("The EU's VIES service does not know this VAT number."), ErrorCode.VAT_NUMBER_UNKNOWN, "vat_number"
        )
    return str(number)


def _known_to_vies(number: str) -> bool:
    """Ask VIES; when it cannot be reached, accept the number (the check digits already passed)."""
    try:
        return bool(eu_vat.check_vies(number)["valid"])
    except Exception:  # VIES is often down; an outage must not stop people from saving their details.
        logger.warning("VIES could not be reached to check a VAT number")
        return True


def clean_kvk_number(value: str) -> str:
    """Return a KVK number as its eight digits; refuse anything else."""
    digits = "".join(value.split()).replace(".", "")
    if not (len(digits) == 8 and digits.isdigit()):
        raise _field_error(_("A KVK number has eight digits."), ErrorCode.KVK_NUMBER_INVALID, "kvk_number")
    return digits


@transaction.atomic
def business_details_save(
    *,
    actor: User,
    kind: str,
    legal_name: str,
    street: str,
    postal_code: str,
    city: str,
    country: str,
    kvk_number: str = "",
    vat_number: str = "",
    vat_scheme: str,
    self_billing_consent: bool = False,
) -> BusinessDetails:
    """Enter or change the actor's business details; issued invoices keep the details they were issued with."""
    authorize(actor, "business_details.edit")
    if kind not in BusinessDetails.Kind.values:
        raise _field_error(_("Choose individual or organisation."), ErrorCode.KIND_INVALID, "kind")
    if vat_scheme not in BusinessDetails.TaxStatus.values:
        raise _field_error(_("Choose your VAT status."), ErrorCode.TAX_STATUS_INVALID, "vat_scheme")
    legal_name = " ".join(legal_name.split())
    if not legal_name:
        raise _field_error(_("Give the legal name invoices should carry."), ErrorCode.LEGAL_NAME_BLANK, "legal_name")
    street, postal_code, city = (" ".join(part.split()) for part in (street, postal_code, city))
    for field, value in (("street", street), ("postal_code", postal_code), ("city", city)):
        if not value:
            raise _field_error(
                _("Give the full address: street and number, postal code and city."),
                ErrorCode.ADDRESS_INCOMPLETE,
                field,
            )
    country = country.strip().upper()
    if country not in country_codes():
        raise _field_error(_("Choose a country from the list."), ErrorCode.COUNTRY_INVALID, "country")
    kvk = clean_kvk_number(kvk_number) if kvk_number.strip() else ""
    vat = clean_vat_number(vat_number, country=country) if vat_number.strip() else ""
    if vat_scheme == BusinessDetails.TaxStatus.VAT and not vat:
        raise _field_error(_("Registered for VAT: give your VAT number."), ErrorCode.VAT_NUMBER_REQUIRED, "vat_number")
    if self_billing_consent and (vat_scheme == BusinessDetails.TaxStatus.NONE or not vat):
        # An invoice in a supplier's name must carry their VAT identification (EN 16931 BR-S-02,
        # BR-E-02); businesses under the KOR have one too.
        raise _field_error(
            _("To have invoices issued in your name, choose your VAT status and give your VAT number."),
            ErrorCode.VAT_NUMBER_REQUIRED,
            "vat_number",
        )
    details = BusinessDetails.objects.select_for_update().filter(user=actor).first() or BusinessDetails(user=actor)
    details.kind = kind
    details.legal_name = legal_name[:200]
    details.street = street[:200]
    details.postal_code = postal_code[:20]
    details.city = city[:100]
    details.country = country
    details.kvk_number = kvk
    details.vat_number = vat
    details.vat_scheme = vat_scheme
    consented_now = self_billing_consent and details.self_billing_consent_at is None
    if consented_now:
        # Agreed once and kept: every self-billed invoice relies on it (art. 224 Directive 2006/112/EC).
        details.self_billing_consent_at = timezone.now()
    details.save()
    audit_log(
        actor=actor,
        action="business_details.saved",
        target=details,
        data={"country": country, "vat_scheme": vat_scheme, "self_billing_consent": consented_now},
    )
    from marketplace.tasks import invoices_issue_pending

    enqueue(invoices_issue_pending, actor.pk)
    return details
