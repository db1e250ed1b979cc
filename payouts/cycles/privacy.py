"""The personal data of payout cycles, for "download my data" and account deletion (core.privacy).

A member's allocation is the record of a profit share paid or credited to them, so it is kept with
the books; the policies, cycles and payout runs only name the admin who acted.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.privacy import KEEP, register_deletion_guard, register_personal_data
from payouts.privacy import BOOKKEEPING

ACCOUNTABILITY = _("It shows who decided on the coop's money, which the coop must be able to prove.")


def _profit_share_unpaid(user: Any) -> str | None:
    """Refuse deletion while an approved cycle still owes the person the cash part of their share."""
    from django.utils.translation import gettext

    from payouts.cycles.models import CycleAllocation, CycleStatus

    approved = Q(cycle__status__in=[CycleStatus.APPROVED, CycleStatus.EXECUTING]) | Q(
        cycle__status=CycleStatus.FAILED, cycle__failed_from=CycleStatus.EXECUTING
    )
    unpaid = CycleAllocation.objects.filter(approved, member__user_id=user.pk, cash_cents__gt=0, cash_done=False)
    if unpaid.exists():
        return gettext(
            "Your profit share from a payout cycle has been approved but not yet paid to you. "
            "You can delete your account once it has been paid out."
        )
    return None


def register() -> None:
    from payouts.cycles.models import CycleAllocation, CycleStatusChange, EarningsPayout, PayoutCycle, SurplusPolicy

    register_personal_data(
        CycleAllocation,
        "member__user",
        erase=KEEP,
        purpose=_("Your profit shares: how each was computed, what was paid in cash and what was retained."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        SurplusPolicy,
        "adopted_by",
        erase=KEEP,
        purpose=_("The versions of the surplus policy you adopted, as an admin."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        PayoutCycle,
        ("opened_by", "approved_by"),
        erase=KEEP,
        purpose=_("The payout cycles you opened or approved, as an admin."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        CycleStatusChange,
        "actor",
        erase=KEEP,
        purpose=_("The steps you took in payout cycles, as an admin."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        EarningsPayout,
        "created_by",
        erase=KEEP,
        purpose=_("The earnings payout runs you started, as an admin."),
        keep_reason=BOOKKEEPING,
    )
    register_deletion_guard(_profit_share_unpaid)
