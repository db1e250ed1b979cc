"""Queued and periodic work for payout cycles. Each task takes ids, calls a service, and is safe to run twice."""

from celery import shared_task

from payouts.cycles.models import EarningsPayout


@shared_task(acks_late=True)
def cycle_compute_task(cycle_id: int) -> str:
    """Compute (or resume computing) the cycle; return its status."""
    from payouts.cycles.services import cycle_compute

    return cycle_compute(cycle_id=cycle_id).status


@shared_task(acks_late=True)
def cycle_execute_task(cycle_id: int) -> str:
    """Pay out (or resume paying out) the cycle; return its status."""
    from payouts.cycles.services import cycle_execute

    return cycle_execute(cycle_id=cycle_id).status


@shared_task
def earnings_payout_scheduled() -> int:
    """Pay freelancers' available balances out in a batch; return the run's id."""
    from payouts.cycles.services import earnings_payout_run

    return earnings_payout_run(actor=None, trigger=EarningsPayout.Trigger.SCHEDULE).pk
