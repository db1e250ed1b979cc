"""DAC7 (Council Directive (EU) 2021/514): a seller's details, the gate before their first payout,
and the yearly report to the tax authority with a stored record of what it said.

A seller is a freelancer paid for a milestone (released, or their part of a settled dispute); the
report's figures are the ledger's postings for those payments. Their name, address and country are
their business details; Dac7Details adds the tax identification number, the country that issued
it, for a person their date of birth and first and last name, and for a business its registration
number and the country of the register (a Dutch business's KVK number from its business details
when it gives none here).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError, Conflict
from core.permissions import authorize
from core.services import audit_log
from marketplace.models import Dac7Details, Dac7Report, Dac7ReportLine
from marketplace.selectors.tax import QuarterFigures, is_seller, quarter_figures, seller_activities, year_bounds
from marketplace.tax import dpi
from marketplace.tax.countries import country_codes
from marketplace.tax.errors import TaxErrorCode

if TYPE_CHECKING:
    from marketplace.models.invoices import BusinessDetails
    from membership.models import User

# The de-minimis of the issue: a seller with fewer than 30 activities AND less than EUR 2,000 of
# consideration in the year is left out. (The directive's own exclusion, Annex V Section I(B)(4)(d),
# is for sales of goods, at "did not exceed EUR 2 000"; the coop applies this one to all its sellers.)
DE_MINIMIS_ACTIVITIES = 30
DE_MINIMIS_CONSIDERATION_CENTS = 200_000

MISSING_LABELS = {
    "business_details": gettext_lazy("your business details (legal name and address)"),
    "tin": gettext_lazy("your tax identification number and the country that issued it"),
    "date_of_birth": gettext_lazy("your date of birth"),
    "name": gettext_lazy("your first and last name"),
    "registration_number": gettext_lazy(
        "your business's registration number (in the Netherlands your KVK number) and the country of the register"
    ),
}


def business_details_of(user_id: int) -> BusinessDetails | None:
    from marketplace.models.invoices import BusinessDetails

    return BusinessDetails.objects.filter(user_id=user_id).first()


def dac7_missing(user: User) -> list[str]:
    """Return the keys of MISSING_LABELS the person still has to give (none when complete)."""
    business = business_details_of(user.pk)
    details = Dac7Details.objects.filter(user_id=user.pk).first()
    missing = []
    if business is None:
        missing.append("business_details")
    if details is None or not details.tin:
        missing.append("tin")
    entity = business is not None and business.kind == business.Kind.ENTITY
    if entity:
        assert business is not None
        if not registration_of(business, details)[0]:
            missing.append("registration_number")
    else:
        if details is None or details.date_of_birth is None:
            missing.append("date_of_birth")
        if details is None or not (details.first_name and details.last_name):
            missing.append("name")
    return missing


def registration_of(business: BusinessDetails, details: Dac7Details | None) -> tuple[str, str]:
    """Return a business's registration number and the country of its register, as reported.

    The number given with the DAC7 details wins; a Dutch business that gave none is named by the
    KVK number of its business details. ("", "") when there is neither.
    """
    if details is not None and details.registration_number:
        return details.registration_number, details.registration_country or business.country
    if business.country == "NL" and business.kvk_number:
        return business.kvk_number, "NL"
    return "", ""


# Business registers' numbers differ by country (KVK 12345678, HRB 12345 B, 0123.456.789, SIREN):
# letters and digits with the separators registers print, and at least one digit.
REGISTRATION_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-/")


def clean_registration_number(value: str, country: str) -> str:
    """Return a business registration number as printed (spaces collapsed, upper case); a Dutch one
    is a KVK number of eight digits."""
    from marketplace.services.business import clean_kvk_number

    number = " ".join(value.split()).upper()
    if country == "NL" and number:
        try:
            return clean_kvk_number(number)
        except ApplicationError:
            message = _("A Dutch business registration number is its KVK number: eight digits.")
            raise ApplicationError(
                message, code=TaxErrorCode.REGISTRATION_NUMBER_INVALID, detail={"registration_number": [message]}
            ) from None
    if not number:
        message = _("Enter your business's registration number, as the business register of its country gives it.")
    elif len(number) > 200 or not set(number) <= REGISTRATION_CHARACTERS or not any(c.isdigit() for c in number):
        message = _(
            "A business registration number has digits, and may have letters, spaces, dots, dashes and slashes; "
            "enter it as the business register gives it."
        )
    else:
        return number
    raise ApplicationError(
        message, code=TaxErrorCode.REGISTRATION_NUMBER_INVALID, detail={"registration_number": [message]}
    )


def withdrawal_gate(user: User) -> None:
    """Refuse a seller's payout until their DAC7 details are complete (Annex V, Section II(B)).

    Registered with payouts' withdrawal gates; people who never sold through the coop (a member
    paid a profit share) pass.
    """
    if not is_seller(user_id=user.pk):
        return
    missing = dac7_missing(user)
    if not missing:
        return
    url = reverse("marketplace:tax-details")
    things = "; ".join(str(MISSING_LABELS[key]) for key in missing)
    raise Conflict(
        _(
            "Before we can pay you out, EU law (DAC7) asks us for your tax details: %(things)s. "
            "Add them on your tax details page, then ask for the withdrawal again."
        )
        % {"things": things},
        code=TaxErrorCode.DAC7_DETAILS_MISSING,
        detail={"url": url, "missing": missing},
    )


def clean_country(value: str, field: str) -> str:
    code = value.strip().upper()
    if code not in country_codes():
        raise ApplicationError(
            _("Choose a country."), code=TaxErrorCode.COUNTRY_INVALID, detail={field: [_("Choose a country.")]}
        )
    return code


def clean_tin(value: str, country: str) -> str:
    """Return the TIN compact; a Dutch one (BSN or RSIN) must pass its eleven-test."""
    from stdnum.nl import bsn

    tin = "".join(value.split()).replace(".", "").upper()
    if not tin or len(tin) > 200:
        message = _("Enter your tax identification number.")
        raise ApplicationError(message, code=TaxErrorCode.TIN_INVALID, detail={"tin": [message]})
    if country == "NL" and not bsn.is_valid(tin):
        message = _("This is not a valid Dutch BSN or RSIN: it has 9 digits and passes the eleven-test.")
        raise ApplicationError(message, code=TaxErrorCode.TIN_INVALID, detail={"tin": [message]})
    return tin


@transaction.atomic
def dac7_details_set(
    *,
    user: User,
    actor: User,
    tin: str,
    tin_country: str,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: dt.date | None = None,
    registration_number: str = "",
    registration_country: str = "",
) -> Dac7Details:
    """Save the person's DAC7 details (all at once, checked first; bad input changes nothing).

    A business gives its registration number and the country of the register (its own country
    when not named); a Dutch business may leave it out when its business details have its KVK number.
    """
    authorize(actor, "tax_papers.dac7_edit", user)
    business = business_details_of(user.pk)
    entity = business is not None and business.kind == business.Kind.ENTITY
    tin_country = clean_country(tin_country, "tin_country")
    tin = clean_tin(tin, tin_country)
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    if not entity:
        if not first_name or not last_name:
            message = _("Enter your first and last name as on your passport or identity card.")
            raise ApplicationError(message, code=TaxErrorCode.NAME_MISSING, detail={"first_name": [message]})
        today = timezone.localdate()
        if date_of_birth is None or date_of_birth < dt.date(1900, 1, 1) or date_of_birth > today:
            message = _("Enter your date of birth: a date between 1 January 1900 and today.")
            raise ApplicationError(message, code=TaxErrorCode.BIRTH_DATE_INVALID, detail={"date_of_birth": [message]})
        registration_number = registration_country = ""
    else:
        assert business is not None
        first_name = last_name = ""
        date_of_birth = None
        registration_country = clean_country(registration_country or business.country, "registration_country")
        if registration_number.strip() or not (registration_country == "NL" and business.kvk_number):
            registration_number = clean_registration_number(registration_number, registration_country)
        else:
            registration_number = registration_country = ""
    details, _created = Dac7Details.objects.update_or_create(
        user=user,
        defaults={
            "tin": tin[:200],
            "tin_country": tin_country,
            "first_name": first_name[:200],
            "last_name": last_name[:200],
            "date_of_birth": date_of_birth,
            "registration_number": registration_number,
            "registration_country": registration_country,
        },
    )
    audit_log(actor=actor, action="dac7_details.set", target=details, subject=user, data={"tin_country": tin_country})
    return details


@dataclass(frozen=True)
class ReportPlan:
    """Who a year's report names, with their figures, and who falls under the de-minimis."""

    year: int
    currency: str
    reportable: dict[int, QuarterFigures]
    excluded: dict[int, QuarterFigures]


def is_below_de_minimis(figures: QuarterFigures) -> bool:
    return (
        figures.activities_total < DE_MINIMIS_ACTIVITIES
        and figures.consideration_total < DE_MINIMIS_CONSIDERATION_CENTS
    )


def dac7_plan(*, year: int, currency: str | None = None) -> ReportPlan:
    """Return the sellers of `year` split into reportable and below the de-minimis."""
    from core.money import default_currency

    currency = currency or default_currency()
    start, end = year_bounds(year)
    figures = quarter_figures(seller_activities(start=start, end=end, currency=currency))
    reportable = {uid: f for uid, f in sorted(figures.items()) if not is_below_de_minimis(f)}
    excluded = {uid: f for uid, f in sorted(figures.items()) if is_below_de_minimis(f)}
    return ReportPlan(year=year, currency=currency, reportable=reportable, excluded=excluded)


def operator() -> dpi.Operator:
    """Return the platform operator's details from settings (README: configuration)."""
    return dpi.Operator(
        name=settings.DAC7_OPERATOR_NAME,
        tin=settings.DAC7_OPERATOR_TIN,
        country=settings.DAC7_OPERATOR_COUNTRY,
        address=dpi.Address(
            country=settings.DAC7_OPERATOR_COUNTRY,
            street=settings.DAC7_OPERATOR_STREET,
            postcode=settings.DAC7_OPERATOR_POSTCODE,
            city=settings.DAC7_OPERATOR_CITY,
        ),
    )


def _seller_entry(user_id: int, figures: QuarterFigures, doc_ref_id: str) -> dpi.Seller:
    business = business_details_of(user_id)
    details = Dac7Details.objects.filter(user_id=user_id).first()
    assert business is not None and details is not None
    entity = business.kind == business.Kind.ENTITY
    registration_number, registration_country = registration_of(business, details) if entity else ("", "")
    return dpi.Seller(
        doc_ref_id=doc_ref_id,
        is_entity=entity,
        name=business.legal_name if entity else f"{details.first_name} {details.last_name}",
        first_name=details.first_name,
        last_name=details.last_name,
        address=dpi.Address(
            country=business.country, street=business.street, postcode=business.postal_code, city=business.city
        ),
        tin=details.tin,
        tin_country=details.tin_country,
        date_of_birth=None if entity else details.date_of_birth,
        registration_number=registration_number,
        registration_country=registration_country,
        consideration_cents=list(figures.consideration_cents),
        fees_cents=list(figures.fees_cents),
        activities=list(figures.activities),
    )


def _address_line(address: dpi.Address) -> str:
    return ", ".join(
        part for part in (address.street, f"{address.postcode} {address.city}".strip(), address.country) if part
    )


def _runner_label(actor: User | None) -> str:
    if actor is not None:
        return str(actor.get_full_name() or actor.email)
    try:
        return _("command line (%(user)s)") % {"user": getpass.getuser()}
    except (KeyError, OSError):
        return _("command line")


@transaction.atomic
def dac7_report_run(
    *, year: int, actor: User | None, now: dt.datetime | None = None
) -> tuple[Dac7Report, bytes, ReportPlan]:
    """Write `year`'s DPI message, refuse it unless the schema accepts it, and record what it said.

    Refused (nothing stored) when a reportable seller's details are incomplete: the report must
    name each seller fully.
    """
    authorize(actor, "dac7_report.run")
    now = now or timezone.now()
    if year < 2023 or year > timezone.localdate().year:
        raise ApplicationError(
            _("DAC7 reports start with 2023; choose a year from 2023 to this year."), code=TaxErrorCode.YEAR_INVALID
        )
    plan = dac7_plan(year=year)
    from membership.models import User as UserModel

    people = UserModel.objects.in_bulk(list(plan.reportable))
    incomplete = [uid for uid in plan.reportable if dac7_missing(people[uid])]
    if incomplete:
        names = ", ".join(f"{people[uid].email} (user {uid})" for uid in incomplete)
        raise Conflict(
            _("These sellers' DAC7 details are incomplete, so the report cannot name them: %(names)s.")
            % {"names": names},
            code=TaxErrorCode.SELLERS_INCOMPLETE,
            detail={"user_ids": incomplete},
        )
    platform = operator()
    message_ref_id = f"{platform.country}{year}-{platform.tin}-{now:%Y%m%d%H%M%S}-{secrets.token_hex(4).upper()}"
    sellers = [_seller_entry(uid, figures, f"{message_ref_id}-S{uid}") for uid, figures in plan.reportable.items()]
    document = dpi.build(
        year=year,
        message_ref_id=message_ref_id,
        timestamp=now.astimezone(dt.UTC),
        operator=platform,
        sellers=sellers,
        currency=plan.currency,
        contact=settings.DAC7_CONTACT,
    )
    errors = dpi.validate(document)
    if errors:
        raise ApplicationError(
            _("The report does not match the DPI schema, so it was not written: %(errors)s")
            % {"errors": "; ".join(errors[:5])},
            code=TaxErrorCode.REPORT_INVALID,
            detail={"errors": errors[:20]},
        )
    report = Dac7Report.objects.create(
        year=year,
        message_ref_id=message_ref_id,
        run_by=actor if actor is not None and actor.is_authenticated else None,
        run_by_label=_runner_label(actor),
        xml=document.decode("utf-8"),
        sha256=hashlib.sha256(document).hexdigest(),
        excluded_count=len(plan.excluded),
    )
    Dac7ReportLine.objects.bulk_create(
        [
            Dac7ReportLine(
                report=report,
                seller_id=uid,
                doc_ref_id=seller.doc_ref_id,
                is_entity=seller.is_entity,
                name=seller.name,
                address=_address_line(seller.address),
                country=seller.address.country,
                tin=seller.tin,
                tin_country=seller.tin_country,
                date_of_birth=seller.date_of_birth,
                registration_number=seller.registration_number,
                registration_country=seller.registration_country,
                currency=plan.currency,
                consideration_cents=list(seller.consideration_cents),
                fees_cents=list(seller.fees_cents),
                activities=list(seller.activities),
            )
            for uid, seller in zip(plan.reportable, sellers, strict=True)
        ]
    )
    if actor is not None and actor.is_authenticated:
        from membership.models import AccessLogEntry
        from membership.services.privacy import access_log_record

        # The sellers see on their access log that finance exported their details to the tax authority.
        access_log_record(
            accessor=actor,
            subject_ids=list(plan.reportable),
            action=AccessLogEntry.Action.EXPORTED,
            context="dac7:report",
        )
    audit_log(
        actor=actor,
        action="dac7_report.run",
        target=report,
        data={"year": year, "sellers": list(plan.reportable), "excluded": len(plan.excluded)},
    )
    return report, document, plan
