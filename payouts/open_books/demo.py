"""Demo data for the open books: 2025 as a whole year of books (marketplace fees each month, a budget,
expenses with receipts approved by finance, the year closed, its surplus shared by a payout cycle the
board approved), 2026's budget and expenses with one waiting for a decision, and the open data published.

The ledger dates every event "now"; the demo's 2025 events are dated in 2025, as payouts.cycles'
demo does for last month.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date, datetime, time
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.demo import demo_user

YEAR = 2025
BUDGET_2025 = {
    "hosting": 150_000,
    "software": 60_000,
    "accounting": 120_000,
    "insurance": 50_000,
    "travel": 40_000,
    "events": 80_000,
    "outreach": 30_000,
}
# (month, category, cents, description, kind, claimant's email): the year's costs as the coop booked them.
EXPENSES_2025: list[tuple[int, str, int, str, str, str]] = [
    (1, "insurance", 48_000, "Liability insurance for the year", "invoice", "finance@example.org"),
    (1, "hosting", 11_000, "Servers, January to March", "invoice", "finance@example.org"),
    (2, "software", 4_900, "Video calls for members' meetings", "claim", "kim@example.org"),
    (3, "accounting", 30_000, "Bookkeeping, first quarter", "invoice", "finance@example.org"),
    (4, "hosting", 11_000, "Servers, April to June", "invoice", "finance@example.org"),
    (5, "travel", 6_420, "Train to the platform co-op meetup in Utrecht", "claim", "jan@example.org"),
    (6, "events", 24_500, "Room and coffee for the general meeting", "claim", "kim@example.org"),
    (6, "accounting", 30_000, "Bookkeeping, second quarter", "invoice", "finance@example.org"),
    (7, "hosting", 11_000, "Servers, July to September", "invoice", "finance@example.org"),
    (8, "outreach", 8_950, "Flyers for the freelancers' fair", "claim", "jan@example.org"),
    (9, "accounting", 30_000, "Bookkeeping, third quarter", "invoice", "finance@example.org"),
    (10, "hosting", 11_000, "Servers, October to December", "invoice", "finance@example.org"),
    (11, "software", 12_000, "Accounting software for the year", "invoice", "finance@example.org"),
    (12, "accounting", 30_000, "Bookkeeping, fourth quarter", "invoice", "finance@example.org"),
]
SUPPLIERS = {
    "insurance": "Verzekeraar Coöperatief",
    "hosting": "Groene Servers BV",
    "accounting": "Boekhouding Samen",
    "software": "Open Tools Cooperative",
}


def _moment(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def receipt_png(text: str) -> bytes:
    """Return a small grey PNG standing in for a scanned receipt (its text only changes the shade)."""
    width, height = 60, 80
    shade = 180 + sum(text.encode()) % 60
    raw = b"".join(b"\x00" + bytes([shade]) * width for _row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _payout_account(email: str, account_code: str) -> Any:
    from schwifty import IBAN

    from payouts.models import PayoutAccount
    from payouts.payments.withdrawals import payout_account_set

    person = demo_user(email)
    if not PayoutAccount.objects.filter(user=person).exists():
        payout_account_set(
            user=person,
            iban=IBAN.generate("NL", bank_code="INGB", account_code=account_code).compact,
            holder_name=person.get_full_name() or email,
            actor=person,
        )
    return person


def _expense(
    *, when: date, category: str, cents: int, description: str, kind: str, claimant: Any, approver: Any | None
) -> Any:
    from payouts.open_books.services.expenses import expense_approve, expense_submit

    with mock.patch("django.utils.timezone.now", return_value=_moment(when)):
        claim = expense_submit(
            actor=claimant,
            kind=kind,
            category=category,
            description=description,
            amount_cents=cents,
            spent_on=when,
            receipt=SimpleUploadedFile("receipt.png", receipt_png(description), content_type="image/png"),
            supplier_name=SUPPLIERS.get(category, "Leverancier BV") if kind == "invoice" else "",
        )
    if approver is not None:
        with mock.patch("django.utils.timezone.now", return_value=_moment(when, hour=16)):
            expense_approve(claim_id=claim.pk, actor=approver)
    return claim


def _year_of_fees() -> None:
    """Give 2025 a year of marketplace fees: five milestones released each month, one per demo freelancer."""
    from membership.selectors import active_members
    from payouts import ledger
    from payouts.cycles.demo import backdated_activity

    if ledger.Batch.objects.filter(idempotency_key__startswith=f"demo:hosting:{YEAR}-").exists():
        return
    members = list(active_members().order_by("pk"))
    freelancers = [m.user for m in members if getattr(m.user, "is_freelancer", False)]
    clients = [m.user for m in members if getattr(m.user, "is_client", False)]
    if not freelancers or not clients:
        return
    for month in range(1, 13):
        backdated_activity(
            start=date(YEAR, month, 1),
            freelancers=freelancers,
            clients=clients,
            amounts=[240_000 + 10_000 * month, 185_000, 96_500, 131_000, 77_250],
        )


def _settle_reimbursements(finance: Any, board: Any) -> None:
    """Pay 2025's reimbursements out in a withdrawal batch dated in 2025, settled by a second person."""
    from payouts.models import Withdrawal
    from payouts.open_books.models import ExpenseClaim
    from payouts.payments.withdrawals import withdrawal_batch_create, withdrawal_batch_settle

    withdrawal_ids = list(
        ExpenseClaim.objects.filter(spent_on__year=YEAR)
        .exclude(withdrawal=None)
        .values_list("withdrawal_id", flat=True)
    )
    pending = Withdrawal.objects.filter(pk__in=withdrawal_ids, status=Withdrawal.Status.REQUESTED)
    if not pending.exists():
        return
    with mock.patch("django.utils.timezone.now", return_value=_moment(date(YEAR, 12, 15))):
        batch = withdrawal_batch_create(
            actor=finance, execution_date=date(YEAR, 12, 16), withdrawal_ids=list(pending.values_list("pk", flat=True))
        )
    with mock.patch("django.utils.timezone.now", return_value=_moment(date(YEAR, 12, 16))):
        withdrawal_batch_settle(batch_id=batch.pk, actor=board)


def seed() -> None:
    from payouts.open_books.models import AccountingPeriod, Budget, ExpenseClaim
    from payouts.open_books.services.budgets import budget_adopt
    from payouts.open_books.services.open_data import open_data_regenerate
    from payouts.open_books.services.periods import period_close

    finance = demo_user("finance@example.org")
    board = demo_user("admin@example.org")
    if not ExpenseClaim.objects.exists():
        _year_of_fees()
        people = {
            "kim@example.org": _payout_account("kim@example.org", "0001234567"),
            "jan@example.org": _payout_account("jan@example.org", "0007654321"),
            "finance@example.org": finance,
        }
        with mock.patch("django.utils.timezone.now", return_value=_moment(date(YEAR - 1, 12, 10))):
            budget_adopt(payload={"year": YEAR, "lines": _lines(BUDGET_2025)}, proposal_id=None, actor=None)
        for month, category, cents, description, kind, email in EXPENSES_2025:
            # Finance's own invoices are approved by the board (a superuser, so finance too): never by finance itself.
            approver = board if email == "finance@example.org" else finance
            _expense(
                when=date(YEAR, month, 14),
                category=category,
                cents=cents,
                description=description,
                kind=kind,
                claimant=people[email],
                approver=approver,
            )
        _settle_reimbursements(finance, board)
        this_year = timezone.localdate().year
        if this_year > YEAR:
            budget_adopt(
                payload={"year": this_year, "lines": _lines({k: v * 11 // 10 for k, v in BUDGET_2025.items()})},
                proposal_id=None,
                actor=None,
            )
            today = timezone.localdate()
            _expense(
                when=today.replace(day=1),
                category="hosting",
                cents=12_500,
                description="Servers, this quarter",
                kind="invoice",
                claimant=finance,
                approver=board,
            )
            _expense(
                when=today.replace(day=1),
                category="travel",
                cents=3_860,
                description="Train to a client workshop",
                kind="claim",
                claimant=people["kim@example.org"],
                approver=None,
            )
    closed = AccountingPeriod.objects.filter(year=YEAR, status=AccountingPeriod.Status.CLOSED).exists()
    if not closed and timezone.localdate() >= date(YEAR + 1, 1, 1) and Budget.objects.filter(year=YEAR).exists():
        period_close(year=YEAR, actor=finance)
    _year_cycle_approved(finance, board)
    open_data_regenerate()


def _year_cycle_approved(finance: Any, board: Any) -> None:
    """Share 2025's surplus: a payout cycle for the closed year, computed by finance, approved by the board.

    It gives the open data's "surplus and its distribution by class" its rows (only approved cycles
    are published) and the 2025 accounts the cycle that distributes their surplus. Every patronage
    class has at least OPEN_DATA_MIN_GROUP members, so no figure is blanked. It is not paid out: finance
    has an approved cycle to pay out, and until then the members who share in it cannot delete their
    accounts (payout cycles' deletion guard), as in any coop with an approved, unpaid profit share.
    """
    from payouts.cycles.models import PayoutCycle
    from payouts.cycles.services import cycle_approve, cycle_compute, cycle_compute_start, cycle_open

    start, end = date(YEAR, 1, 1), date(YEAR + 1, 1, 1)
    if timezone.localdate() < end or PayoutCycle.objects.filter(period_start__lt=end, period_end__gt=start).exists():
        return
    cycle = cycle_open(period_start=start, period_end=end, actor=finance)
    cycle_compute_start(cycle_id=cycle.pk, actor=finance)
    cycle = cycle_compute(cycle_id=cycle.pk)
    if cycle.allocation_hash:
        cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=board)


def _lines(amounts: dict[str, int]) -> list[dict[str, Any]]:
    return [{"category": category, "amount_cents": cents} for category, cents in amounts.items()]
