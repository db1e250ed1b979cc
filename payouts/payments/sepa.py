"""Withdrawal batches as a SEPA credit transfer file (pain.001.001.03) and as CSV."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from django.conf import settings
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError, try_valid_xml

from core.exceptions import ApplicationError
from core.money import Money
from payouts.exceptions import ErrorCode
from payouts.models import Withdrawal, WithdrawalBatch

SCHEMA = "pain.001.001.03"


def _payable(batch: WithdrawalBatch) -> list[Withdrawal]:
    return list(batch.withdrawals.exclude(status=Withdrawal.Status.FAILED).order_by("pk"))


def batch_sepa_xml(batch: WithdrawalBatch) -> bytes:
    """Return the batch as a pain.001.001.03 document, validated against the bundled XSD."""
    config = {
        "name": settings.COOP_ACCOUNT_NAME,
        "IBAN": settings.COOP_IBAN.replace(" ", ""),
        "BIC": settings.COOP_BIC,
        "batch": True,
        "currency": batch.currency,
    }
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    # A stable message id, so a file downloaded twice is recognised by the bank as one.
    transfer.msg_id = batch.message_id
    transfer._xml.find("CstmrCdtTrfInitn/GrpHdr/MsgId").text = batch.message_id
    withdrawals = _payable(batch)
    if not withdrawals:
        raise ApplicationError(_("This batch has no withdrawals left to pay."), code=ErrorCode.EMPTY_BATCH)
    for withdrawal in withdrawals:
        payment = {
            "name": withdrawal.holder_name,
            "IBAN": withdrawal.iban,
            "amount": withdrawal.amount_cents,
            "execution_date": batch.execution_date,
            "description": f"{settings.COOP_NAME} withdrawal W{withdrawal.pk}",
            "endtoend_id": f"W{withdrawal.pk}",
        }
        if withdrawal.bic:
            payment["BIC"] = withdrawal.bic
        transfer.add_payment(payment)
    try:
        exported: bytes = transfer.export(validate=True)
    except ValidationError as exc:
        raise ApplicationError(
            _("The SEPA file did not pass the schema check: %(error)s") % {"error": exc.__cause__ or exc},
            code=ErrorCode.SEPA_INVALID,
        ) from exc
    return exported


def validate_sepa_xml(document: bytes) -> None:
    """Raise sepaxml's ValidationError unless the document is valid pain.001.001.03."""
    ET.fromstring(document)  # noqa: S314 - our own output, parsed to fail fast on broken XML
    try_valid_xml(document, SCHEMA)


def batch_csv(batch: WithdrawalBatch) -> str:
    """Return the batch as CSV: one row per withdrawal, amounts in major units."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["withdrawal", "name", "iban", "bic", "amount", "currency", "execution_date", "description"])
    for withdrawal in _payable(batch):
        writer.writerow(
            [
                f"W{withdrawal.pk}",
                withdrawal.holder_name,
                withdrawal.iban,
                withdrawal.bic,
                str(Money(withdrawal.amount_cents, withdrawal.currency).to_decimal()),
                withdrawal.currency,
                batch.execution_date.isoformat(),
                f"{settings.COOP_NAME} withdrawal W{withdrawal.pk}",
            ]
        )
    return out.getvalue()
