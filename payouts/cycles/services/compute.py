"""Compute a cycle: the surplus and every member's basis from the ledger, fed to the engine, frozen.

Resumable: the allocation is a pure function of the closed period's postings, so a worker that
was killed recomputes it, checks it against the hash it froze the first time, and writes only the
member rows still missing. Each batch of rows commits together with the progress counter.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.money import allocate
from core.payout_bases import payout_basis
from core.registry import NotRegistered
from core.transitions import transition
from payouts.allocation import Allocation, Fund, PatronageClass, allocate_surplus, exact_text
from payouts.allocation import SurplusPolicy as EnginePolicy
from payouts.cycles.exceptions import ErrorCode
from payouts.cycles.models import CycleAllocation, CycleFund, CycleStatus, PayoutCycle
from payouts.cycles.selectors.sums import (
    PeriodFigures,
    SurplusSums,
    period_bounds,
    period_figures,
    surplus_from_pairs,
)

# Percents handed to the engine when an empty class's share is spread: 8 decimals, its limit.
PERCENT_SCALE = 10**8

# The per-member row's columns, in the order `_row` builds its values.
ROW_FIELDS = (
    "cycle_id",
    "member_id",
    "allocated_cents",
    "cash_cents",
    "retained_cents",
    "weights",
    "parts",
    "retained_done",
    "cash_done",
)
_BOOL = {True: "t", False: "f"}

Row = tuple[int, int, int, int, int, list[str | None], list[int | None], bool, bool]


def cycle_fail(cycle: PayoutCycle, reason: str) -> PayoutCycle:
    """Move a locked cycle to failed, keeping the phase it failed in (to resume) and why."""
    cycle.failure_reason = reason[:500]
    cycle.failed_from = cycle.status
    transition(
        cycle,
        CycleStatus.FAILED,
        actor=None,
        update_fields=("failure_reason", "failed_from"),
        history_data={"reason": cycle.failure_reason},
        audit_data={"reason": cycle.failure_reason},
    )
    return cycle


# A cycle's rows commit in at most about this many batches, however many members share in it.
PROGRESS_STEPS = 5


def batch_size(rows: int = 0) -> int:
    """Return how many member rows commit together with one progress update.

    2,000 (PAYOUT_CYCLES_BATCH_SIZE) moves the progress bar in five steps for 10,000 members while
    keeping each batch's lock on the cycle row and its progress write to a handful per cycle. For
    more members the batches grow so that there are still about five (`rows`: how many to write):
    100,000 members in fifty batches spent half a second on their commits alone.
    """
    return max(int(getattr(settings, "PAYOUT_CYCLES_BATCH_SIZE", 2000)), -(-rows // PROGRESS_STEPS))


def _members(cycle: PayoutCycle) -> list[tuple[int, int, datetime | None]]:
    """Return (member id, user id, joined at) of the members sharing in the cycle, by member id."""
    from membership.selectors import active_members

    _start, end = period_bounds(cycle.period_start, cycle.period_end)
    rows = active_members().filter(joined_at__lt=end).order_by("pk").values_list("pk", "user_id", "joined_at")
    return list(rows)


def _figures(cycle: PayoutCycle, members: list[tuple[int, int, datetime | None]]) -> PeriodFigures:
    """Read the period once: its ledger movement per account pair, with the members sharing in it."""
    start, end = period_bounds(cycle.period_start, cycle.period_end)
    sharing = [(user_id, joined) for _pk, user_id, joined in members if joined is not None]
    return period_figures(start, end, cycle.currency, sharing)


def _bases(
    cycle: PayoutCycle, members: list[tuple[int, int, datetime | None]], figures: PeriodFigures | None = None
) -> dict[str, dict[int, Decimal | int]]:
    """Return {basis: {member id: weight}} for every basis the policy's classes use.

    Each basis's numbers come from its app's registration: derived from the period's figures read
    once (the ledger per account pair, the members) where it can be, else from its own source. A
    basis nobody registered fails the cycle, naming it, rather than leave its class empty and hand
    its share to the others.
    """
    if figures is None:
        figures = _figures(cycle, members)
    start, end = figures.start, figures.end
    needed = {cls["basis"] for cls in cycle.policy.classes}
    bases: dict[str, dict[int, Decimal | int]] = {}
    for basis in sorted(needed):
        try:
            registered = payout_basis(basis)
        except NotRegistered:
            raise ApplicationError(
                _("The basis “%(basis)s” of the surplus policy has no source of numbers: nothing registers it.")
                % {"basis": basis},
                code=ErrorCode.BASIS_UNAVAILABLE,
                detail={"basis": basis},
            ) from None
        if registered.derive is not None:
            per_user = registered.derive(figures)
        else:
            per_user = registered.source(start, end, cycle.currency)
        # Members come by id (one member per user), so the weights are in member order without sorting.
        found = per_user.get
        bases[basis] = {
            member_id: weight for member_id, user_id, _joined in members if (weight := found(user_id, 0)) > 0
        }
    return bases


def _engine_policy(
    cycle: PayoutCycle, distributable: int, bases: dict[str, dict[int, Decimal | int]]
) -> tuple[EnginePolicy, list[dict[str, Any]]]:
    """Return the engine's policy for the cycle, and notes on classes nobody had a basis in."""
    policy = cycle.policy
    live = [cls for cls in policy.classes if bases[cls["basis"]]]
    if not live:
        raise ApplicationError(
            _("No member has a basis in any patronage class for this period."), code=ErrorCode.NO_PATRONAGE
        )
    notes = [
        {"class": cls["name"], "basis": cls["basis"], "percent": cls["percent"]}
        for cls in policy.classes
        if not bases[cls["basis"]]
    ]
    percents = [Decimal(cls["percent"]) for cls in live]
    if notes:
        # A class nobody qualifies for hands its share to the others in proportion to theirs,
        # split by largest remainder so the percents still add up to exactly 100.
        scaled = allocate(100 * PERCENT_SCALE, percents)
        percents = [Decimal(part) / PERCENT_SCALE for part in scaled]
    classes = tuple(
        PatronageClass(
            name=cls["name"],
            percent=percent,
            weights={str(member_id): weight for member_id, weight in bases[cls["basis"]].items()},
        )
        for cls, percent in zip(live, percents, strict=True)
    )
    engine = EnginePolicy(
        currency=cycle.currency,
        distributable_cents=distributable,
        funds=tuple(Fund(name=f["name"], percent=f["percent"]) for f in policy.funds),
        classes=classes,
        min_cash_percent=policy.min_cash_percent,
    )
    return engine, notes


def _by_class(allocation: Allocation) -> dict[str, tuple[list[str | None], list[int | None]]]:
    """Return each member's weight (exact text) and cents in each class, in class order, None where
    they are not in it.

    Read straight off the class splits in one pass. The class-wide numbers (pot, exact pot, weight
    total, leftover cents) are stored once on the cycle, and a statement's fractions and roundings
    are derived from both when it is shown, so computing 10,000 statements costs no exact
    arithmetic and writes two short arrays per member (payouts.cycles.selectors.statements).
    """
    count = len(allocation.class_splits)
    rows: dict[str, tuple[list[str | None], list[int | None]]] = {
        key: ([None] * count, [None] * count) for key in allocation.members
    }
    for index, split in enumerate(allocation.class_splits):
        weights = split.weights
        for key, cents in split.parts.items():
            row = rows[key]
            weight = weights[key]
            # Whole numbers (every ledger basis) are their own text; exact_text for the rest.
            row[0][index] = str(weight) if type(weight) is int else exact_text(weight)
            row[1][index] = cents
    return rows


def _row(
    cycle_id: int, key: str, allocation: Allocation, by_class: dict[str, tuple[list[str | None], list[int | None]]]
) -> Row:
    """Return a member's frozen row as plain values, in the order of ROW_FIELDS."""
    share = allocation.members[key]
    weights, parts = by_class[key]
    return (
        cycle_id,
        int(key),
        share.allocated_cents,
        share.cash_cents,
        share.retained_cents,
        weights,
        parts,
        False,
        False,
    )


def _array(values: list[Any]) -> str:
    """Return a list as a PostgreSQL array literal, NULL for None.

    The elements are whole numbers and exact numbers as text ("2.5", "1650/2447"): digits, a sign, a
    point or a slash, none of which an array literal needs quoted.
    """
    return "{" + ",".join("NULL" if value is None else str(value) for value in values) + "}"


@transaction.atomic
def _freeze(cycle_id: int, sums: SurplusSums, allocation: Allocation, notes: list[dict[str, Any]], total: int) -> bool:
    """Store the cycle's totals and funds once; on a rerun, check the recomputation matches them."""
    cycle = PayoutCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.COMPUTING:
        return False
    digest = allocation.sha256()
    if cycle.allocation_hash and cycle.allocation_hash != digest:
        cycle_fail(cycle, _("The ledger of the period changed while the cycle was being computed."))
        return False
    if not cycle.allocation_hash:
        cycle.fee_income_cents = sums.fee_income_cents
        cycle.expenses_cents = sums.expenses_cents
        cycle.provider_costs_cents = sums.provider_costs_cents
        cycle.surplus_cents = sums.surplus_cents
        cycle.distributable_cents = allocation.distributable_cents
        cycle.patronage_pool_cents = allocation.patronage_pool_cents
        basis_of = {cls["name"]: cls["basis"] for cls in cycle.policy.classes}
        cycle.class_pots = [
            {
                "name": split.name,
                "basis": basis_of[split.name],
                "percent": f"{split.percent:f}",
                "cents": split.pot_cents,
                "exact_cents": exact_text(split.pot_exact_cents),
                "weight_total": exact_text(split.weight_total),
                "leftover_cents": split.leftover_cents,
                "members": len(split.weights),
            }
            for split in allocation.class_splits
        ]
        cycle.class_notes = notes
        cycle.allocation_hash = digest
        cycle.progress_total = total
        cycle.progress_done = 0
        cycle.save()
        CycleFund.objects.bulk_create(
            [
                CycleFund(cycle=cycle, position=index, name=fund["name"], percent=fund["percent"], amount_cents=cents)
                for index, (fund, cents) in enumerate(zip(cycle.policy.funds, allocation.funds.values(), strict=True))
            ]
        )
    return True


def _copy_rows(rows: list[Row]) -> bool:
    """Write the rows with one COPY on PostgreSQL (psycopg2); return False where that is not available.

    COPY takes well under half the time of a multi-row INSERT for 10,000 rows: Django's
    bulk_create builds and adapts every value in Python. The two arrays go as array literals.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if not hasattr(raw, "copy_expert"):
            return False
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(
            (*numbers, _array(weights), _array(parts), _BOOL[retained_done], _BOOL[cash_done])
            for *numbers, weights, parts, retained_done, cash_done in rows
        )
        buffer.seek(0)
        meta = CycleAllocation._meta
        quote = connection.ops.quote_name
        column_of = {field.attname: field.column for field in meta.concrete_fields if field.column is not None}
        columns = ", ".join(quote(column_of[name]) for name in ROW_FIELDS)
        raw.copy_expert(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
    return True


@transaction.atomic
def _write_batch(cycle_id: int, rows: list[Row]) -> int | None:
    """Write a batch of member rows and advance the progress counter in the same transaction."""
    cycle = PayoutCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.COMPUTING:
        return None
    if not _copy_rows(rows):
        CycleAllocation.objects.bulk_create(
            [CycleAllocation(**dict(zip(ROW_FIELDS, row, strict=True))) for row in rows], batch_size=1000
        )
    cycle.progress_done += len(rows)
    cycle.save(update_fields=["progress_done", "updated_at"])
    return cycle.progress_done


@transaction.atomic
def _finish(cycle_id: int) -> PayoutCycle:
    cycle = PayoutCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.COMPUTING:
        return cycle
    # Read back from the table, not from memory: rows written by an earlier, killed run count too.
    totals = cycle.allocations.aggregate(allocated=Sum("allocated_cents"), count=Count("pk"))
    funds = cycle.funds.aggregate(total=Sum("amount_cents"))["total"] or 0
    count = totals["count"]
    allocated = totals["allocated"] or 0
    if count != cycle.progress_total or allocated != cycle.patronage_pool_cents:
        reason = _("The stored allocation does not add up to the pool.")
        return cycle_fail(cycle, reason)
    if funds + allocated != cycle.distributable_cents:
        reason = _("The funds and the pool do not add up to the distributable amount.")
        return cycle_fail(cycle, reason)
    cycle.progress_done = count
    cycle.save(update_fields=["progress_done", "updated_at"])
    transition(cycle, CycleStatus.COMPUTED, actor=None)
    return cycle


@transaction.atomic
def _fail(cycle_id: int, reason: str) -> PayoutCycle:
    cycle = PayoutCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.COMPUTING:
        return cycle
    return cycle_fail(cycle, reason)


def cycle_compute(*, cycle_id: int) -> PayoutCycle:
    """Compute a cycle in the computing state; safe to run again, and after a crash, to resume."""
    cycle = PayoutCycle.objects.select_related("policy").get(pk=cycle_id)
    if cycle.status != CycleStatus.COMPUTING:
        return cycle
    try:
        members = _members(cycle)
        # The one read of the period's ledger: its movement per account pair. The surplus and every
        # ledger basis are derived from it.
        figures = _figures(cycle, members)
        sums = surplus_from_pairs(figures.pairs)
        bases = _bases(cycle, members, figures)
        engine, notes = _engine_policy(cycle, max(sums.surplus_cents, 0), bases)
        allocation = allocate_surplus(engine)
    except ApplicationError as error:
        return _fail(cycle_id, str(error.message))
    if not _freeze(cycle_id, sums, allocation, notes, len(allocation.members)):
        return PayoutCycle.objects.get(pk=cycle_id)
    written = set(CycleAllocation.objects.filter(cycle_id=cycle_id).values_list("member_id", flat=True))
    by_class = _by_class(allocation)
    pending = [key for key in allocation.members if int(key) not in written]
    size = batch_size(len(pending))
    for offset in range(0, len(pending), size):
        rows = [_row(cycle_id, key, allocation, by_class) for key in pending[offset : offset + size]]
        done = _write_batch(cycle_id, rows)
        if done is None:
            return PayoutCycle.objects.get(pk=cycle_id)
    return _finish(cycle_id)
