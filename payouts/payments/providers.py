"""The payment provider interface and its registry, keyed "bank_transfer" and "stripe".

A provider tells the payer how to pay a request and, where it has an API, reconciles its balance
with the ledger's clearing account. Bank transfer needs no account anywhere and is always on;
the Stripe provider registers itself the same way and is on only when its keys are set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import IBAN

from core.exceptions import ApplicationError
from payouts.exceptions import ErrorCode

if TYPE_CHECKING:
    from membership.models import User
    from payouts.models import PaymentRequest


@runtime_checkable
class PaymentProvider(Protocol):
    key: str
    label: Any

    def is_enabled(self) -> bool:
        """Return whether the provider can take payments now (its settings are present)."""
        ...

    def payment_instructions(self, payment_request: PaymentRequest) -> dict[str, Any]:
        """Return what the payer needs to pay the request (bank details, or a checkout to open)."""
        ...

    def reconcile(self) -> list[str]:
        """Compare the provider's own balance with the ledger; return the differences found."""
        ...


@runtime_checkable
class PayoutSender(Protocol):
    """A provider that can pay one withdrawal out through its own API (Stripe Connect)."""

    key: str

    def send_payout(self, *, withdrawal_id: int, actor: User | None) -> None:
        """Move the withdrawal's amount at the provider, once; raise ApplicationError if it cannot."""
        ...


class BankTransferProvider:
    """Payment by bank transfer to the coop's account, quoting the request's reference."""

    key = "bank_transfer"
    label = gettext_lazy("Bank transfer")

    def is_enabled(self) -> bool:
        return bool(settings.COOP_IBAN)

    def payment_instructions(self, payment_request: PaymentRequest) -> dict[str, Any]:
        return {
            "method": self.key,
            "iban": IBAN(settings.COOP_IBAN).formatted,
            "bic": settings.COOP_BIC,
            "account_name": settings.COOP_ACCOUNT_NAME,
            "reference": payment_request.reference,
            "amount_cents": payment_request.outstanding_cents,
            "currency": payment_request.currency,
        }

    def reconcile(self) -> list[str]:
        # The bank has no API here: finance reconciles the statement by recording each payment.
        return []


_PROVIDERS: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    _PROVIDERS[provider.key] = provider


def get_payout_sender(key: str) -> PayoutSender:
    """Return the enabled provider that pays withdrawals out through its API, or refuse clearly."""
    provider = get_provider(key)
    if not isinstance(provider, PayoutSender):
        raise ApplicationError(
            _("The payment method %(key)s cannot pay out withdrawals.") % {"key": key},
            code=ErrorCode.PROVIDER_CANNOT_PAY_OUT,
            detail={"provider": key},
        )
    return provider


def get_provider(key: str) -> PaymentProvider:
    """Return the enabled provider registered under key, or refuse with a clear error."""
    provider = _PROVIDERS.get(key)
    if provider is None or not provider.is_enabled():
        raise ApplicationError(
            _("The payment method %(key)s is not available.") % {"key": key},
            code=ErrorCode.PROVIDER_UNAVAILABLE,
            detail={"provider": key},
        )
    return provider


def enabled_providers() -> list[PaymentProvider]:
    return [provider for provider in _PROVIDERS.values() if provider.is_enabled()]


register_provider(BankTransferProvider())
