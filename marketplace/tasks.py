"""Background work of the marketplace. Tasks take ids, call a service, and are safe to run twice."""

from typing import Any

from celery import shared_task

from core.exceptions import ApplicationError
from marketplace.models import SavedSearch
from payouts.stripe_gateway.exceptions import ErrorCode as StripeErrorCode


@shared_task
def milestones_auto_release_due() -> int:
    """Beat: release delivered milestones whose client let the auto-release timer run out."""
    from marketplace.services.milestones import milestones_auto_release_due as release_due

    return release_due()


@shared_task
def reviews_reveal_due() -> int:
    """Beat: reveal reviews whose blind period has passed."""
    from marketplace.services.reviews import reviews_reveal_due as reveal_due

    return reveal_due()


@shared_task
def saved_searches_alert() -> int:
    """Beat: queue one alert task per saved search that wants email."""
    ids = list(SavedSearch.objects.filter(email_alerts=True).order_by("pk").values_list("pk", flat=True))
    for saved_search_id in ids:
        saved_search_alert.delay(saved_search_id)
    return len(ids)


@shared_task
def saved_search_alert(saved_search_id: int) -> int:
    from marketplace.services.searches import saved_search_alert as alert

    return alert(saved_search_id=saved_search_id)


@shared_task(bind=True, max_retries=8)
def milestone_card_refund(self: Any, payment_request_id: int, ledger_key: str, actor_id: int | None = None) -> int:
    """Send a milestone's committed ledger refund back to the card; the ledger key makes it once only.

    Only Stripe being unreachable or refusing for now is retried (with a growing delay); a refusal
    of the refund itself would fail the same way every time.
    """
    from django.contrib.auth import get_user_model

    from marketplace.services.escrow import card_refund_send

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    try:
        return card_refund_send(payment_request_id=payment_request_id, ledger_key=ledger_key, actor=actor).pk
    except ApplicationError as exc:
        if exc.code != StripeErrorCode.STRIPE_ERROR:
            raise
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task
def invoices_issue(batch_id: int) -> int:
    """Issue the invoices or credit notes of a committed ledger batch; a second run issues nothing."""
    from marketplace.services.invoices import invoices_issue_for_batch

    return len(invoices_issue_for_batch(batch_id=batch_id))


@shared_task
def invoices_issue_pending(user_id: int) -> int:
    """Issue the documents that waited for this person's business details."""
    from marketplace.services.invoices import invoices_issue_pending as issue_pending

    return issue_pending(user_id=user_id)
