"""Bounded integer fields for every API input serializer.

A plain `IntegerField` accepts any whole number a client can write, and Python ints have no
limit: 10**30 cents passes validation and then fails in the database (`integer out of range` on
PostgreSQL, `OverflowError` on SQLite) as a 500. These fields give every integer the API accepts
a range the database can hold, so such input is refused by the serializer with the usual
`{"code": "invalid", ...}` 400, naming the field and the range in the user's language.

Amounts stop at the platform's one ceiling, core.money.MAX_AMOUNT_CENTS, which the forms and
services apply too. The other ranges are only what the database can hold: business rules such as
"a proposal lasts at most ten years" or "ratings are 1 to 5 stars" stay in the services, which
name those refusals themselves.
"""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.money import MAX_AMOUNT_CENTS, default_currency

# Every primary key is a BigAutoField (DEFAULT_AUTO_FIELD): PostgreSQL's bigint.
MAX_ID = 2**63 - 1

# Counts (minutes in a week, days of a proposal, stars, versions): far above anything a service
# accepts (a week has 10,080 minutes), far below PostgreSQL's integer (2**31 - 1).
MAX_COUNT = 1_000_000

# How many ids one request may list (notifications to mark read, a ranking, a withdrawal batch).
MAX_IDS = 1_000


class BoundedIntegerField(serializers.IntegerField):
    """An IntegerField that always has a range; out-of-range input gets one message naming it."""

    default_min_value: int = 0
    default_max_value: int = MAX_COUNT
    default_error_messages = {"out_of_range": _("Enter a whole number from {min_value} to {max_value}.")}

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_value = self.default_min_value if min_value is None else min_value
        self.max_value = self.default_max_value if max_value is None else max_value
        # One message for both ends: "from 1 to 1000000" tells the client what to send either way.
        message = format_lazy(self.error_messages["out_of_range"], min_value=self.min_value, max_value=self.max_value)
        self.validators.append(MinValueValidator(self.min_value, message=message))
        self.validators.append(MaxValueValidator(self.max_value, message=message))


class CountField(BoundedIntegerField):
    """A small whole number: minutes, days, stars, a version."""


class CentsField(BoundedIntegerField):
    """An amount in cents, at most the platform's ceiling. Whether zero is allowed is the service's rule.

    The ceiling is far below PostgreSQL's bigint, so sums and fee arithmetic on accepted amounts
    cannot overflow a column either.
    """

    default_max_value = MAX_AMOUNT_CENTS
    default_error_messages = {"out_of_range": _("Enter an amount in cents from {min_value} to {max_value}.")}


class CurrencyField(serializers.CharField):
    """The ISO 4217 code of a request's amounts; optional, the coop's currency (COOP_CURRENCY) by default.

    The platform keeps its books in one currency, so any other code is refused: a client that
    means dollars gets a 400 instead of having its cents taken as euros.
    """

    default_error_messages = {"other_currency": _("Amounts are taken in {currency} only.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", default_currency)
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", "ISO 4217 code of the amounts in this request; only the coop's currency.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if code != default_currency():
            self.fail("other_currency", currency=default_currency())
        return code


class IdField(BoundedIntegerField):
    """The id of a row: a positive bigint. An id in range that names nothing is the view's 404."""

    default_min_value = 1
    default_max_value = MAX_ID
    default_error_messages = {"out_of_range": _("Enter an id from {min_value} to {max_value}.")}


def IdListField(**kwargs: Any) -> serializers.ListField:  # noqa: N802 - used like a field class
    """Return a list of ids, at most MAX_IDS of them unless `max_length` says otherwise."""
    kwargs.setdefault("max_length", MAX_IDS)
    # DRF's own message for this has no Dutch translation.
    kwargs.setdefault("error_messages", {"max_length": _("Send at most {max_length} ids.")})
    return serializers.ListField(child=IdField(), **kwargs)
