"""The written notice of allocation in words: a plain summary, a chart of the classes, the exact steps.

Everything here is read from the member's stored allocation row and the cycle's class totals, through
the same derivation as the statement (statements.statement_full): the summary's amounts are the
row's, to the cent, and the steps show how the engine reached them. Amounts are in the currency's
units as the reader writes them; an exact fraction of a cent appears only where it explains a
rounding, and then as a decimal amount ("exactly €10.012"), never as a fraction of cents.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.money import Money, minor_unit_exponent
from payouts.cycles.labels import fund_name, patronage_class_name
from payouts.cycles.models import CycleAllocation, CycleStatus, PayoutCycle
from payouts.cycles.selectors.cycles import basis_label
from payouts.cycles.selectors.statements import statement_full

# Extra decimals an exact amount shows beyond the currency's own, to explain a rounding: €10.012.
EXACT_EXTRA_PLACES = 2
# The chart's drawing units; the SVG scales to the width of its box.
CHART_WIDTH = 360
CHART_ROW = 40
CHART_BAR = 14


def _locale() -> str:
    return (translation.get_language() or "en").replace("-", "_")


class Amounts:
    """Amounts in one currency as the reader writes them."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.exponent = minor_unit_exponent(currency)

    def money(self, cents: int) -> str:
        return Money(int(cents), self.currency).format()

    def exact(self, cents: Fraction | int) -> str:
        """Return an exact amount: "€27.56" when whole cents, else "€27.564…" (truncated, marked)."""
        value = Fraction(cents)
        if value.denominator == 1:
            return self.money(int(value))
        major = Decimal(value.numerator) / Decimal(value.denominator) / Decimal(10) ** self.exponent
        shown = major.quantize(Decimal(1).scaleb(-(self.exponent + EXACT_EXTRA_PLACES)), rounding=ROUND_DOWN)
        text = format_currency(shown, self.currency, locale=_locale(), decimal_quantization=False)
        return text if Fraction(shown) * 10**self.exponent == value else f"{text}…"


def percent(value: Decimal | Fraction | str, *, places: int = 2) -> str:
    """Return a percentage given in percent: "20%", "12.5%" (never "20.00000000%")."""
    number = Fraction(value) / 100
    decimal = Decimal(number.numerator) / Decimal(number.denominator)
    return format_percent(decimal, format="#,##0." + "#" * places + "%", locale=_locale())


def share(part: Fraction) -> str:
    """Return a share of a whole as a percentage, at most one decimal; "less than 0.1%" for a sliver."""
    if 0 < part < Fraction(1, 1000):
        return _("less than %(percent)s") % {"percent": percent(Fraction(1, 10), places=1)}
    return percent(part * 100, places=1)


def period_text(start: date, end: date) -> str:
    """Return a period [start, end) in words: "November 2026", or "1 November 2026 – 14 February 2027"."""
    last = end - timedelta(days=1)
    whole_month = start.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if whole_month and (start.year, start.month) == (last.year, last.month):
        return date_format(start, "F Y")
    return f"{date_format(start, 'j F Y')} – {date_format(last, 'j F Y')}"


def names_list(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# ----------------------------------------------------------------------------------------------
# What a basis's weights are, in words


def _weight_text(basis: str, weight: Fraction, amounts: Amounts) -> str:
    if basis in ("net_fees", "earnings"):
        return amounts.money(int(weight))
    if basis == "years":
        return ngettext("%(n)s day", "%(n)s days", int(weight)) % {"n": _count(weight)}
    if basis == "hours":
        return ngettext("%(n)s hour", "%(n)s hours", 1 if weight == 60 else 2) % {"n": _count(weight / 60)}
    if basis == "equal":
        return ngettext("%(n)s share", "%(n)s shares", 1 if weight == 1 else 2) % {"n": _count(weight)}
    return _count(weight)


def _count(value: Fraction) -> str:
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return format_decimal(decimal.quantize(Decimal("0.01")).normalize(), format="#,##0.##", locale=_locale())


def _reason(basis: str, mine: Fraction, whole: Fraction, amounts: Amounts) -> str:
    values = {
        "mine": _weight_text(basis, mine, amounts),
        "all": _weight_text(basis, whole, amounts),
        "share": share(mine / whole) if whole else share(Fraction(0)),
        "count": _count(whole),
        "basis": basis_label(basis),
    }
    if basis == "net_fees":
        return (
            _("your contracts brought in %(mine)s in fees, of %(all)s for all members' contracts (%(share)s)") % values
        )
    if basis == "earnings":
        return _("you earned %(mine)s through the platform, of %(all)s that members earned (%(share)s)") % values
    if basis == "equal":
        return _("every member sharing in the period gets the same part: you are one of %(count)s") % values
    if basis == "years":
        return _("you had been a member for %(mine)s, of %(all)s for all members together (%(share)s)") % values
    if basis == "hours":
        return _("you worked %(mine)s through the platform, of %(all)s that members worked (%(share)s)") % values
    return _("your share by “%(basis)s”: %(mine)s of %(all)s (%(share)s)") % values


# ----------------------------------------------------------------------------------------------
# The notice


@dataclass(frozen=True)
class ClassReason:
    """Why the member gets what they get from one class."""

    name: str
    basis: str
    cents: int
    amount: str
    text: str


@dataclass(frozen=True)
class ChartBar:
    """A bar in drawing units: its label line at `y`, the bar from `x` at `bar_y`."""

    label: str
    value: str
    y: int
    bar_y: int
    x: int
    width: int
    kind: str


@dataclass(frozen=True)
class Chart:
    """A small horizontal bar chart: the member's part from each class, then paid now against kept."""

    height: int
    width: int
    bars: list[ChartBar]
    split: list[ChartBar]
    description: str


@dataclass(frozen=True)
class Step:
    """One step of the exact computation: a line, and the lines that detail it."""

    text: str
    lines: list[str]


@dataclass(frozen=True)
class Notice:
    headline: str
    reasons: list[ClassReason]
    chart: Chart | None
    steps: list[Step]
    period: str


def notice(row: CycleAllocation) -> Notice:
    """Return the member's notice of allocation in words, from their stored row and the cycle."""
    cycle = row.cycle
    statement = statement_full(row)
    amounts = Amounts(cycle.currency)
    period = period_text(cycle.period_start, cycle.period_end)
    reasons = [
        ClassReason(
            name=patronage_class_name(step["class"]),
            basis=basis_label(step["basis"]),
            cents=step["allocated_cents"],
            amount=amounts.money(step["allocated_cents"]),
            text=_reason(step["basis"], Fraction(step["basis_weight"]), Fraction(step["class_weight_total"]), amounts),
        )
        for step in statement["classes"]
    ]
    return Notice(
        headline=_headline(row, cycle, amounts, period),
        reasons=reasons,
        chart=_chart(row, reasons, amounts) if row.allocated_cents else None,
        steps=_steps(row, cycle, statement, amounts),
        period=period,
    )


def _headline(row: CycleAllocation, cycle: PayoutCycle, amounts: Amounts, period: str) -> str:
    values = {
        "period": period,
        "total": amounts.money(row.allocated_cents),
        "cash": amounts.money(row.cash_cents),
        "retained": amounts.money(row.retained_cents),
    }
    if not row.allocated_cents:
        if not cycle.distributable_cents:
            return _("You receive nothing from %(period)s: the coop had no surplus to share.") % values
        return _("You receive nothing from %(period)s.") % values
    if cycle.status == CycleStatus.COMPUTED:
        return (
            _(
                "Your part of the coop's surplus for %(period)s is %(total)s: %(cash)s to be paid out to you and "
                "%(retained)s to be kept in your capital account, once the allocation is approved."
            )
            % values
        )
    return (
        _(
            "You receive %(total)s from the coop's surplus for %(period)s: %(cash)s paid out to you and %(retained)s "
            "kept in your capital account."
        )
        % values
    )


def _bar_width(part_cents: int, whole_cents: int) -> int:
    """Return a bar's width in pixels for part of whole, rounded half up in whole numbers."""
    return (2 * CHART_WIDTH * part_cents + whole_cents) // (2 * whole_cents) if whole_cents else 0


def _chart(row: CycleAllocation, reasons: list[ClassReason], amounts: Amounts) -> Chart:
    """Lay the chart out in drawing units: one row per class, then the paid-now and kept bar."""
    largest = max((reason.cents for reason in reasons), default=0) or 1
    bars = []
    for index, reason in enumerate(reasons):
        top = index * CHART_ROW
        bars.append(
            ChartBar(
                label=reason.name,
                value=reason.amount,
                y=top + 12,
                bar_y=top + 18,
                x=0,
                width=max(1, _bar_width(reason.cents, largest)) if reason.cents else 0,
                kind="class",
            )
        )
    top = len(reasons) * CHART_ROW + 8
    cash_width = _bar_width(row.cash_cents, row.allocated_cents)
    split = [
        ChartBar(
            label=_("Paid out: %(amount)s") % {"amount": amounts.money(row.cash_cents)},
            value=amounts.money(row.cash_cents), y=top + 12, bar_y=top + 18, x=0, width=cash_width, kind="cash",
        ),
        ChartBar(
            label=_("Kept: %(amount)s") % {"amount": amounts.money(row.retained_cents)},
            value=amounts.money(row.retained_cents), y=top + 12, bar_y=top + 18, x=cash_width,
            width=CHART_WIDTH - cash_width, kind="retained",
        ),
    ]  # fmt: skip
    description = "; ".join([f"{reason.name}: {reason.amount}" for reason in reasons] + [bar.label for bar in split])
    return Chart(height=top + 18 + CHART_BAR + 2, width=CHART_WIDTH, bars=bars, split=split, description=description)


def _rounding(parts: Sequence[tuple[str, Fraction, int]], amounts: Amounts) -> str:
    """Say how many cents the largest-remainder rounding of a split moved, and to whom."""
    moved = [(label, exact) for label, exact, cents in parts if cents > math.floor(exact)]
    if not moved:
        return ""
    to = names_list(
        [_("%(name)s (exactly %(amount)s)") % {"name": label, "amount": amounts.exact(exact)} for label, exact in moved]
    )
    text = ngettext(
        "Rounding: each part is first rounded down to the cent; the %(n)s cent left over goes to the part with the "
        "largest remainder: %(to)s.",
        "Rounding: each part is first rounded down to the cent; the %(n)s cents left over go one each to the parts "
        "with the largest remainders: %(to)s.",
        len(moved),
    )
    return text % {"n": len(moved), "to": to}


def _steps(row: CycleAllocation, cycle: PayoutCycle, statement: Mapping[str, Any], amounts: Amounts) -> list[Step]:
    """Return every step from the ledger's sums to the member's cash and retained parts."""
    money = amounts.money
    surplus = _(
        "Surplus: fee income %(fees)s − expenses %(expenses)s − payment provider costs %(provider)s = %(surplus)s. "
        "Distributable: %(distributable)s."
    ) % {
        "fees": money(cycle.fee_income_cents),
        "expenses": money(cycle.expenses_cents),
        "provider": money(cycle.provider_costs_cents),
        "surplus": money(cycle.surplus_cents),
        "distributable": money(cycle.distributable_cents),
    }
    steps = [Step(surplus, []), _funds_step(cycle, statement, amounts), _classes_step(cycle, amounts)]
    steps += [_class_step(step, amounts) for step in statement["classes"]]
    parts = [money(step["allocated_cents"]) for step in statement["classes"]]
    if len(parts) > 1:
        total = _("Your part: %(sum)s = %(total)s.") % {"sum": " + ".join(parts), "total": money(row.allocated_cents)}
    else:
        total = _("Your part: %(total)s.") % {"total": money(row.allocated_cents)}
    steps.append(Step(total, []))
    cash = _(
        "At least %(percent)s is paid out, rounded up to the cent: %(percent)s of %(total)s is %(exact)s, so %(cash)s "
        "is paid out and the other %(retained)s is kept in your capital account."
    ) % {
        "percent": percent(statement["min_cash_percent"]),
        "total": money(row.allocated_cents),
        "exact": amounts.exact(row.allocated_cents * Fraction(statement["min_cash_percent"]) / 100),
        "cash": money(row.cash_cents),
        "retained": money(row.retained_cents),
    }
    steps.append(Step(cash, []))
    return steps


def _part_line(name: str, percent_value: Decimal | str, cents: int, amounts: Amounts) -> str:
    return _("%(name)s: %(percent)s, %(amount)s") % {
        "name": name,
        "percent": percent(percent_value),
        "amount": amounts.money(cents),
    }


def _funds_step(cycle: PayoutCycle, statement: Mapping[str, Any], amounts: Amounts) -> Step:
    distributable = cycle.distributable_cents
    funds = list(cycle.funds.all())
    pool_percent = Fraction(statement["pool_percent"])
    lines = [_part_line(fund_name(fund.name), fund.percent, fund.amount_cents, amounts) for fund in funds]
    lines.append(
        _("The patronage pool takes the remaining %(percent)s: %(amount)s.")
        % {"percent": percent(pool_percent), "amount": amounts.money(cycle.patronage_pool_cents)}
    )
    split = [(fund_name(fund.name), distributable * Fraction(fund.percent) / 100, fund.amount_cents) for fund in funds]
    split.append((_("the patronage pool"), distributable * pool_percent / 100, cycle.patronage_pool_cents))
    return Step(
        _("The funds take their share first, in the order of the policy:"), _with(lines, _rounding(split, amounts))
    )


def _classes_step(cycle: PayoutCycle, amounts: Amounts) -> Step:
    pots = cycle.class_pots
    lines = [_part_line(patronage_class_name(pot["name"]), pot["percent"], pot["cents"], amounts) for pot in pots]
    lines += [
        _(
            "Nobody had a basis in the class “%(name)s” this period: its share went to the other classes in "
            "proportion to theirs."
        )
        % {"name": patronage_class_name(note["class"])}
        for note in cycle.class_notes
    ]
    split = [(patronage_class_name(pot["name"]), Fraction(pot["exact_cents"]), pot["cents"]) for pot in pots]
    return Step(_("The patronage pool is shared among the classes:"), _with(lines, _rounding(split, amounts)))


def _class_step(step: Mapping[str, Any], amounts: Amounts) -> Step:
    """Return the member's part of one class: their weight against everyone's, then the rounding."""
    money, basis = amounts.money, step["basis"]
    weight, total = Fraction(step["basis_weight"]), Fraction(step["class_weight_total"])
    lines = [
        _("%(pot)s × your %(mine)s ÷ %(all)s for everyone (%(share)s) = %(exact)s, rounded down to %(floor)s.")
        % {
            "pot": money(step["class_pot_cents"]),
            "mine": _weight_text(basis, weight, amounts),
            "all": _weight_text(basis, total, amounts),
            "share": percent(weight / total * 100) if total else percent(Fraction(0)),
            "exact": amounts.exact(Fraction(step["exact_cents"])),
            "floor": money(step["floor_cents"]),
        }
    ]
    leftover = step["class_leftover_cents"]
    if leftover:
        values = {"n": leftover, "amount": money(step["allocated_cents"])}
        if step["rounding_cents"]:
            text = ngettext(
                "The %(n)s cent left over after rounding every member down goes to the member with the largest "
                "remainder, which is you: %(amount)s.",
                "The %(n)s cents left over after rounding every member down go one each to the members with the "
                "largest remainders, you among them: %(amount)s.",
                leftover,
            )
        else:
            text = ngettext(
                "The %(n)s cent left over after rounding every member down goes to the member with the largest "
                "remainder, not to you: your part stays %(amount)s.",
                "The %(n)s cents left over after rounding every member down go one each to the members with the "
                "largest remainders, not to you: your part stays %(amount)s.",
                leftover,
            )
        lines.append(text % values)
    title = _("Your part of “%(name)s”, shared by %(basis)s: %(amount)s.") % {
        "name": patronage_class_name(step["class"]),
        "basis": basis_label(basis).lower(),
        "amount": money(step["allocated_cents"]),
    }
    return Step(title, lines)


def _with(lines: list[str], extra: str) -> list[str]:
    return [*lines, extra] if extra else lines
