"""A payout cycle's status and next step in words, for the cycle page and its live progress fragment."""

from django import template

from payouts.cycles import labels
from payouts.cycles.models import CycleStatus, PayoutCycle
from payouts.cycles.selectors.next_steps import CycleState, cycle_state
from payouts.cycles.selectors.notice import period_text

register = template.Library()


@register.simple_tag
def cycle_state_of(cycle: PayoutCycle) -> CycleState:
    """Return where the cycle stands and what an admin does next (nothing once it is paid)."""
    return cycle_state(cycle)


@register.filter
def cycle_status_label(status: str) -> str:
    """Return a cycle status in the reader's language ("computing" -> "Computing"), for the history."""
    return str(CycleStatus(status).label) if status in CycleStatus.values else status


@register.filter
def cycle_change_reason(reason: str) -> str:
    """Return the reason a history entry gives, in the reader's language when the platform wrote it."""
    return labels.change_reason(reason)


@register.filter
def cycle_period(cycle: PayoutCycle) -> str:
    """Return the cycle's period as people say it: "November 2026" (its end date is not part of it)."""
    return period_text(cycle.period_start, cycle.period_end)


@register.filter
def fund_label(name: str) -> str:
    """Return a fund's name in the reader's language ("reserve" -> "reserve" / "reserve")."""
    return labels.fund_name(name)


@register.filter
def redemption_terms(text: str) -> str:
    """Return a policy's redemption terms in the reader's language when they are the shipped ones."""
    return labels.redemption_terms(text)
