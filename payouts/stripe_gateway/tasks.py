"""Background work of the Stripe gateway: thin, safe to run twice."""

from celery import shared_task


@shared_task
def stripe_fees_post_pending_task() -> int:
    """Book the Stripe fees still pending (run periodically while Stripe is on)."""
    from payouts.stripe_gateway.services.funding import stripe_fees_post_pending

    return stripe_fees_post_pending()
