"""The fee policy: versions set at bootstrap by an admin, later only by a members' decision."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.money import MAX_AMOUNT_CENTS, default_currency
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import FeePolicy
from membership.models import User


def fee_policy_in_force(*, at: datetime | None = None) -> FeePolicy | None:
    """Return the version in force at `at` (now by default): the latest that has started."""
    return FeePolicy.objects.filter(effective_from__lte=at or timezone.now()).order_by("-effective_from", "-id").first()


def fee_terms_clean(*, percent: object, min_cents: object, max_cents: object) -> tuple[Decimal, int, int | None]:
    """Return the terms as (Decimal, int, int | None) or refuse them with a clear message.

    The terms come from a decision's payload (JSON) as well as from code, so their types are checked here.
    """
    try:
        value = Decimal(str(percent))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("The fee percentage must be a number."), code=ErrorCode.FEE_PERCENT_INVALID) from None
    if not value.is_finite() or value < 0 or value > 100 or value != value.quantize(Decimal("0.01")):
        raise ApplicationError(
            _("The fee percentage must be between 0 and 100, with at most two decimals."),
            code=ErrorCode.FEE_PERCENT_INVALID,
        )
    if isinstance(min_cents, bool) or not isinstance(min_cents, int) or min_cents < 0:
        raise ApplicationError(
            _("The minimum fee must be a whole number of cents, zero or more."), code=ErrorCode.FEE_MIN_INVALID
        )
    if max_cents is not None and (
        isinstance(max_cents, bool) or not isinstance(max_cents, int) or max_cents < min_cents
    ):
        raise ApplicationError(
            _("The maximum fee must be a whole number of cents, at least the minimum."), code=ErrorCode.FEE_MAX_INVALID
        )
    if min_cents > MAX_AMOUNT_CENTS or (max_cents is not None and max_cents > MAX_AMOUNT_CENTS):
        # Checked when the change is proposed, not only when a passed decision is carried out.
        raise ApplicationError(
            _("A fee can be at most %(max)s cents.") % {"max": MAX_AMOUNT_CENTS}, code=ErrorCode.FEE_TOO_LARGE
        )
    return value, min_cents, max_cents


@transaction.atomic
def fee_policy_create(
    *,
    percent: Decimal | str,
    min_cents: int = 0,
    max_cents: int | None = None,
    effective_from: datetime | None = None,
    currency: str | None = None,
    actor: User | None,
    governance_proposal_id: int | None = None,
) -> FeePolicy:
    """Add a fee policy version; with a governance proposal id, at most one per proposal."""
    value, min_cents, max_cents = fee_terms_clean(percent=percent, min_cents=min_cents, max_cents=max_cents)
    if governance_proposal_id is not None:
        existing = FeePolicy.objects.filter(governance_proposal_id=governance_proposal_id).first()
        if existing is not None:
            return existing
    effective_from = effective_from or timezone.now()
    if timezone.is_naive(effective_from):
        raise ApplicationError(_("Give the start time with a time zone."), code=ErrorCode.NAIVE_DATETIME)
    try:
        with transaction.atomic():
            policy = FeePolicy.objects.create(
                percent=value,
                min_cents=min_cents,
                max_cents=max_cents,
                currency=currency or default_currency(),
                effective_from=effective_from,
                governance_proposal_id=governance_proposal_id,
                created_by=actor,
            )
    except IntegrityError:
        # Another execution of the same decision won the race: its version is this one.
        winner = FeePolicy.objects.filter(governance_proposal_id=governance_proposal_id).first()
        if winner is None:
            raise Conflict(_("The fee policy could not be saved."), code=ErrorCode.FEE_POLICY_CONFLICT) from None
        return winner
    audit_log(
        actor=actor,
        action="fee_policy.created",
        target=policy,
        data={
            "percent": str(value),
            "min_cents": min_cents,
            "max_cents": max_cents,
            "effective_from": effective_from.isoformat(),
            "governance_proposal_id": governance_proposal_id,
        },
    )
    return policy


@transaction.atomic
def fee_policy_bootstrap(
    *, percent: Decimal | str, min_cents: int = 0, max_cents: int | None = None, actor: User
) -> FeePolicy:
    """An admin sets the first fee policy; every later change needs a members' decision (governance)."""
    authorize(actor, "fee_policy.bootstrap")
    if FeePolicy.objects.select_for_update().exists():
        raise Conflict(
            _("A fee policy exists: the fee can now only be changed by a members' decision."),
            code=ErrorCode.FEE_POLICY_BY_DECISION,
        )
    return fee_policy_create(percent=percent, min_cents=min_cents, max_cents=max_cents, actor=actor)
