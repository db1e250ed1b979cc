"""Charts drawn on the server as inline SVG: no script, no inline style (colours come from classes
in open_books.css), a title and a description for screen readers, and every value also written as
text beside its bar, so the chart reads without colour or sight."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.money import Money

_ids = itertools.count(1)

WIDTH = 760
LABEL_WIDTH = 300
VALUE_WIDTH = 130
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Bar:
    label: str
    cents: int
    # A class of open_books.css: "income", "cost", "surplus", "budget", "asset", "liability", "equity".
    tone: str


def bar_chart(*, title: str, description: str, bars: Sequence[Bar], currency: str) -> SafeString:
    """Return a horizontal bar chart of amounts as an inline SVG element (negative amounts drawn from zero)."""
    chart_id = f"chart-{next(_ids)}"
    largest = max((abs(bar.cents) for bar in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW_HEIGHT * max(len(bars), 1) + 8
    parts = [
        f'<svg class="ob-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = row * ROW_HEIGHT + 4
        length = round(Fraction(span * abs(bar.cents), largest))
        amount = Money(bar.cents, currency).format()
        parts.append(
            f'<text class="ob-chart-label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 4}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="ob-bar ob-bar-{escape(bar.tone)}" x="{LABEL_WIDTH}" y="{y}" '
            f'width="{max(length, 1)}" height="{BAR_HEIGHT}"></rect>'
        )
        parts.append(
            f'<text class="ob-chart-value" x="{LABEL_WIDTH + max(length, 1) + 6}" '
            f'y="{y + BAR_HEIGHT - 4}">{escape(amount)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped above
