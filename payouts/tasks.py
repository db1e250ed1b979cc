"""Background jobs of the payouts app: thin, by id, safe to run twice."""

import logging

from celery import shared_task

from payouts.ledger.checks import ledger_report

logger = logging.getLogger(__name__)


@shared_task
def ledger_check_scheduled() -> int:
    """Check the whole ledger and log every discrepancy; return how many were found."""
    report = ledger_report()
    for line in report.discrepancies:
        logger.error("ledger discrepancy: %s", line)
    return len(report.discrepancies)
