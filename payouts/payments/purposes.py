"""What happens when a payment request is fully paid, registered by the app that asked for it.

marketplace registers "milestone_funding", membership "share_purchase", each from its
AppConfig.ready(). The handler runs inside the confirming transaction, exactly once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from payouts.models import PaymentRequest

PaidHandler = Callable[["PaymentRequest"], None]

_PURPOSES: dict[str, PaidHandler] = {}


def register_payment_purpose(purpose: str, on_paid: PaidHandler) -> None:
    """Register the handler run when a payment request of this purpose becomes fully paid."""
    _PURPOSES[purpose] = on_paid


def purpose_handler(purpose: str) -> PaidHandler:
    try:
        return _PURPOSES[purpose]
    except KeyError:
        raise ApplicationError(
            _("Unknown payment purpose: %(purpose)s.") % {"purpose": purpose},
            code="unknown_payment_purpose",
            detail={"purpose": purpose},
        ) from None


def registered_purposes() -> list[str]:
    return sorted(_PURPOSES)
