"""Amounts are formatted through babel with its Locale parsed once per language and repeated
amounts remembered (issue 18, point 5): the text is exactly babel's, in the reader's language."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.utils import translation

from core.money import Money, babel_locale


@pytest.mark.parametrize("language", ["nl", "en", "en-gb", "nl_NL"])
@pytest.mark.parametrize("currency", ["EUR", "USD", "JPY"])
def test_an_amount_reads_as_babel_writes_it_for_the_language(language: str, currency: str) -> None:
    places = 0 if currency == "JPY" else 2
    for cents in (0, 1, -1, 5, 99, -1250, 123_456_789, 99_999_999):
        expected = format_currency(Decimal(cents).scaleb(-places), currency, locale=language.replace("-", "_"))
        assert Money(cents, currency).format(language) == expected
        assert Money(cents, currency).format(language) == expected  # the remembered text is the same


def test_the_active_language_decides_and_each_language_is_parsed_once() -> None:
    with translation.override("nl"):
        dutch = Money(123_456, "EUR").format()
    with translation.override("en"):
        english = Money(123_456, "EUR").format()
    assert dutch == "€\xa01.234,56"
    assert english == "€1,234.56"
    assert babel_locale("nl") is babel_locale("nl")
