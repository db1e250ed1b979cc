"""Issuing invoices and credit notes for milestones, from the ledger batches that moved their money.

A release (or the released part of a dispute decision) produces two invoices: the freelancer's
invoice to the client for the work, issued by the coop in the freelancer's name (self-billing, with
the freelancer's recorded consent), and the coop's invoice to the freelancer for the platform fee.
A refund after release produces a credit note for each of them, referencing the invoice it corrects.

Amounts are VAT-inclusive: what the ledger moved is each line's gross; net and VAT come from
core.money.split_vat_inclusive, the one rounding rule. Totals are the sums of the lines.

Issuing is idempotent: one document per kind per ledger batch (a unique constraint), checked again
after the milestone's row lock, so a task run twice issues nothing twice. Numbers are gapless per
issuer and year: the counter row is locked (select_for_update) and incremented in the transaction
that inserts the invoice, so a rollback gives the number back. Lock order: milestone, then the
counters, the freelancer's before the coop's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.notifications import notify
from core.outbox import enqueue
from core.services import audit_log
from marketplace.models import BusinessDetails, Invoice, InvoiceCounter, InvoiceLine, Milestone
from marketplace.services.vat import VatTreatment, vat_treatment
from membership.models import User
from payouts.models import AccountPurpose, Batch

COOP_ISSUER_KEY = "coop"
COOP_NUMBER_PREFIX = "COOP"
RELEASE_KINDS = ("escrow_release", "dispute_settle")
REVERSAL_KIND = "release_reversal"
CREDIT_KIND = {Invoice.Kind.WORK: Invoice.Kind.WORK_CREDIT, Invoice.Kind.FEE: Invoice.Kind.FEE_CREDIT}

Party = dict[str, str]


def coop_party() -> Party:
    """Return the coop's details as an issuer (from settings)."""
    return {
        "name": settings.COOP_LEGAL_NAME,
        "street": settings.COOP_STREET,
        "postal_code": settings.COOP_POSTAL_CODE,
        "city": settings.COOP_CITY,
        "country": settings.COOP_COUNTRY,
        "kvk_number": settings.COOP_KVK_NUMBER,
        "vat_number": settings.COOP_VAT_NUMBER,
        "vat_scheme": "vat",
        "kind": "entity",
        "identifier": "coop",
    }


def party_of(details: BusinessDetails) -> Party:
    """Return a person's business details as the snapshot an invoice keeps."""
    return {
        "name": details.legal_name,
        "street": details.street,
        "postal_code": details.postal_code,
        "city": details.city,
        "country": details.country,
        "kvk_number": details.kvk_number,
        "vat_number": details.vat_number,
        "vat_scheme": details.vat_scheme,
        "kind": details.kind,
        "identifier": f"member-{details.user_id}",
    }


def freelancer_issuer_key(user_id: int) -> str:
    return f"u{user_id}"


def _number_prefix(issuer_key: str) -> str:
    # Self-billed invoices carry the freelancer's own series ("SB42-2026-00001"), so each issuer's
    # numbers run on without a gap and no two issuers share a number.
    return COOP_NUMBER_PREFIX if issuer_key == COOP_ISSUER_KEY else f"SB{issuer_key[1:]}"


def _next_sequence(*, issuer_key: str, year: int) -> int:
    """Take the issuer's next number for the year under the counter row's lock."""
    # ON CONFLICT DO NOTHING: two first invoices of a year both try to create the row; the second
    # waits for the first to commit, then finds it and queues on its lock.
    InvoiceCounter.objects.bulk_create(
        [InvoiceCounter(issuer_key=issuer_key, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = InvoiceCounter.objects.select_for_update().get(issuer_key=issuer_key, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _create(
    *,
    kind: str,
    issuer_key: str,
    issuer_user: User | None,
    issuer: Party,
    recipient_user: User,
    recipient: Party,
    milestone: Milestone,
    batch: Batch,
    currency: str,
    lines: list[tuple[str, int, VatTreatment]],
    issue_date: date,
    corrects: Invoice | None = None,
) -> Invoice:
    sequence = _next_sequence(issuer_key=issuer_key, year=issue_date.year)
    split = [(description, gross, treatment, *treatment.split(gross)) for description, gross, treatment in lines]
    invoice = Invoice.objects.create(
        kind=kind,
        number=f"{_number_prefix(issuer_key)}-{issue_date.year}-{sequence:05d}",
        issuer_key=issuer_key,
        year=issue_date.year,
        sequence=sequence,
        issue_date=issue_date,
        issuer_user=issuer_user,
        recipient_user=recipient_user,
        issuer=issuer,
        recipient=recipient,
        issuer_name=issuer["name"],
        recipient_name=recipient["name"],
        currency=currency,
        net_cents=sum(net for *_rest, net, _vat in split),
        vat_cents=sum(vat for *_rest, vat in split),
        gross_cents=sum(gross for _d, gross, *_rest in split),
        milestone=milestone,
        ledger_batch=batch,
        corrects=corrects,
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                position=position,
                description=description[:300],
                vat_category=treatment.category,
                vat_percent=treatment.percent,
                vat_exemption_reason=treatment.note,
                net_cents=net,
                vat_cents=vat,
                gross_cents=gross,
            )
            for position, (description, gross, treatment, net, vat) in enumerate(split, start=1)
        ]
    )
    audit_log(actor=None, action="invoice.issued", target=invoice, data={"number": invoice.number, "kind": kind})
    return invoice


def _released_parts(batch: Batch) -> tuple[int, int]:
    """Return (gross for the work, fee) a release batch moved out of escrow."""
    work = fee = 0
    for posting in batch.postings.select_related("to_account"):
        if posting.to_account.purpose == AccountPurpose.PAYABLE:
            work += posting.amount_cents
        elif posting.to_account.purpose == AccountPurpose.FEE_INCOME:
            fee += posting.amount_cents
    return work + fee, fee


def _details(user_id: int) -> BusinessDetails | None:
    return BusinessDetails.objects.filter(user_id=user_id).first()


def invoice_url(invoice: Invoice) -> str:
    from django.urls import reverse

    return reverse("marketplace:invoice-detail", args=[invoice.number])


def _tell(invoice: Invoice) -> None:
    """Tell both parties a document was issued, with a link to it (in the app and by email as they chose)."""
    data = {"number": invoice.number, "milestone": invoice.milestone.title}
    users = [invoice.recipient_user]
    if invoice.issuer_user is not None:
        users.append(invoice.issuer_user)
    for user in users:
        notify(user=user, kind="invoice_issued", data=data, url=invoice_url(invoice))


@transaction.atomic
def invoices_issue_for_batch(*, batch_id: int) -> list[Invoice]:
    """Issue the invoices (or credit notes) a ledger batch calls for; return the ones issued now.

    Safe to call again: documents that exist are not issued twice. A document whose parties have
    not entered their business details (or the freelancer not agreed to self-billing) waits; the
    freelancer is told, and saving the details issues it (`invoices_issue_pending`).
    """
    batch = Batch.objects.get(pk=batch_id)
    if batch.kind == REVERSAL_KIND and batch.reverses_id is not None:
        return _credit_notes_for(batch=batch)
    if batch.kind not in RELEASE_KINDS:
        return []
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("contract__client", "contract__freelancer")
        .get(pk=int(batch.data["milestone_id"]))
    )
    contract = milestone.contract
    existing = set(Invoice.objects.filter(ledger_batch=batch).values_list("kind", flat=True))
    gross, fee = _released_parts(batch)
    freelancer_details = _details(contract.freelancer_id)
    client_details = _details(contract.client_id)
    issue_date = timezone.localdate(batch.created_at)
    issued: list[Invoice] = []
    wants_work = gross > 0 and Invoice.Kind.WORK not in existing
    wants_fee = fee > 0 and Invoice.Kind.FEE not in existing
    can_work = (
        freelancer_details is not None
        and freelancer_details.self_billing_consent_at is not None
        and client_details is not None
    )
    if wants_work and can_work:
        assert freelancer_details is not None and client_details is not None
        seller, buyer = party_of(freelancer_details), party_of(client_details)
        issued.append(
            _create(
                kind=Invoice.Kind.WORK,
                issuer_key=freelancer_issuer_key(contract.freelancer_id),
                issuer_user=contract.freelancer,
                issuer=seller,
                recipient_user=contract.client,
                recipient=buyer,
                milestone=milestone,
                batch=batch,
                currency=contract.currency,
                lines=[(milestone.title, gross, vat_treatment(seller=seller, buyer=buyer, on=issue_date))],
                issue_date=issue_date,
            )
        )
    if wants_fee and freelancer_details is not None:
        coop, buyer = coop_party(), party_of(freelancer_details)
        issued.append(
            _create(
                kind=Invoice.Kind.FEE,
                issuer_key=COOP_ISSUER_KEY,
                issuer_user=None,
                issuer=coop,
                recipient_user=contract.freelancer,
                recipient=buyer,
                milestone=milestone,
                batch=batch,
                currency=contract.currency,
                lines=[
                    (
                        f"Platform fee: {milestone.title}",
                        fee,
                        vat_treatment(seller=coop, buyer=buyer, on=issue_date),
                    )
                ],
                issue_date=issue_date,
            )
        )
    if (wants_work and not can_work) or (wants_fee and freelancer_details is None):
        _ask_for_details(contract=contract, freelancer_ok=can_work or freelancer_details is not None)
    for invoice in issued:
        _tell(invoice)
    return issued


def _ask_for_details(*, contract: Any, freelancer_ok: bool) -> None:
    from django.urls import reverse

    url = reverse("marketplace:business-details")
    freelancer = BusinessDetails.objects.filter(user_id=contract.freelancer_id).first()
    if freelancer is None or freelancer.self_billing_consent_at is None:
        notify(user=contract.freelancer, kind="business_details_needed", data={}, url=url)
    if not BusinessDetails.objects.filter(user_id=contract.client_id).exists():
        notify(user=contract.client, kind="business_details_needed", data={}, url=url)


def _credit_notes_for(*, batch: Batch) -> list[Invoice]:
    assert batch.reverses_id is not None
    original_batch = Batch.objects.get(pk=batch.reverses_id)
    milestone = Milestone.objects.select_for_update().get(pk=int(original_batch.data["milestone_id"]))
    existing = set(Invoice.objects.filter(ledger_batch=batch).values_list("kind", flat=True))
    # The freelancer's series first, then the coop's: the documented lock order of the counters.
    originals = sorted(
        Invoice.objects.filter(ledger_batch=original_batch, kind__in=list(CREDIT_KIND)).prefetch_related("lines"),
        key=lambda invoice: invoice.issuer_key == COOP_ISSUER_KEY,
    )
    issue_date = timezone.localdate(batch.created_at)
    issued = []
    for original in originals:
        kind = CREDIT_KIND[Invoice.Kind(original.kind)]
        if kind in existing:
            continue
        lines = [
            (
                line.description,
                line.gross_cents,
                VatTreatment(line.vat_category, line.vat_percent, line.vat_exemption_reason),
            )
            for line in original.lines.all()
        ]
        issued.append(
            _create(
                kind=kind,
                issuer_key=original.issuer_key,
                issuer_user=original.issuer_user,
                issuer=original.issuer,
                recipient_user=original.recipient_user,
                recipient=original.recipient,
                milestone=milestone,
                batch=batch,
                currency=original.currency,
                lines=lines,
                issue_date=issue_date,
                corrects=original,
            )
        )
    for invoice in issued:
        _tell(invoice)
    return issued


def invoices_queue_for_batch(*, batch: Batch) -> None:
    """Have the invoices of a committed ledger batch issued by a task (through the outbox, after commit)."""
    from marketplace.tasks import invoices_issue

    enqueue(invoices_issue, batch.pk)


def _batches_waiting_for(user_id: int) -> QuerySet[Batch]:
    """Release and reversal batches of the person's milestones (as freelancer or client)."""
    milestone_ids = list(
        Milestone.objects.filter(Q(contract__freelancer_id=user_id) | Q(contract__client_id=user_id))
        .filter(status__in=[Milestone.Status.RELEASED, Milestone.Status.SETTLED, Milestone.Status.REFUNDED])
        .values_list("pk", flat=True)
    )
    keys = [f"milestone:{pk}:{event}" for pk in milestone_ids for event in ("release", "dispute", "release-reversal")]
    return Batch.objects.filter(idempotency_key__in=keys).order_by("pk")


def invoices_issue_pending(*, user_id: int) -> int:
    """Issue what waited for this person's business details; return how many documents were issued."""
    count = 0
    for batch_id in _batches_waiting_for(user_id).values_list("pk", flat=True):
        count += len(invoices_issue_for_batch(batch_id=batch_id))
    return count
