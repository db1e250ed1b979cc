"""Reads for invoices and business details: who sees which documents, and country names."""

from __future__ import annotations

from babel import Locale
from django.db.models import Q, QuerySet
from django.utils import translation

from core.money import babel_locale
from marketplace.models import BusinessDetails, Contract, Invoice
from membership.models import User


def country_name(code: str, language: str | None = None) -> str:
    """Return a country's name in the reader's language ("NL" -> "Netherlands" / "Nederland")."""
    locale: Locale = babel_locale(language or translation.get_language() or "en")
    return str(locale.territories.get(code, code))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Return (code, name) of every country, sorted by name in the reader's language."""
    from marketplace.services.business import country_codes

    locale: Locale = babel_locale(language or translation.get_language() or "en")
    return sorted(((code, str(locale.territories.get(code, code))) for code in country_codes()), key=lambda c: c[1])


def business_details_of(*, user: User) -> BusinessDetails | None:
    """Return the person's business details, or None before they entered them."""
    return BusinessDetails.objects.filter(user_id=user.pk).first()


def _documents() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("milestone", "corrects").order_by("-issue_date", "-id")


def invoices_of_user(*, user: User) -> QuerySet[Invoice]:
    """Return the documents issued in the person's name or to them, newest first."""
    return _documents().filter(Q(issuer_user_id=user.pk) | Q(recipient_user_id=user.pk))


def invoices_of_contract(*, contract: Contract, user: User) -> QuerySet[Invoice]:
    """Return a contract's documents that this party may see (the client the work invoices, the freelancer all)."""
    documents = _documents().filter(milestone__contract_id=contract.pk)
    return documents.filter(Q(issuer_user_id=user.pk) | Q(recipient_user_id=user.pk))


def invoices_all() -> QuerySet[Invoice]:
    """Every document, newest first (finance)."""
    return _documents()


def invoice_by_number(*, number: str) -> Invoice | None:
    return _documents().prefetch_related("lines").filter(number=number).first()


def invoices_in_period(*, start: object, end: object) -> QuerySet[Invoice]:
    """Documents issued from `start` to `end` inclusive, by issuer and number (for the export)."""
    return (
        Invoice.objects.select_related("milestone", "corrects", "ledger_batch")
        .prefetch_related("lines")
        .filter(issue_date__gte=start, issue_date__lte=end)
        .order_by("issuer_key", "year", "sequence")
    )
