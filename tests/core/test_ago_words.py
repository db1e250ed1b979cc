"""How long ago, in the reader's language: "ago" words its units once per language and number
(issue 18, point 5) and reads exactly as Django's timesince does, in English and in Dutch."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.timesince import timesince

from core.templatetags.coop import ago

DELTAS = [
    timedelta(minutes=5),
    timedelta(hours=1, minutes=1),
    timedelta(days=1),
    timedelta(days=3, hours=2),
    timedelta(days=15),
    timedelta(days=40),
    timedelta(days=400),
]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_ago_reads_as_timesince_in_each_language(language: str) -> None:
    now = timezone.now()
    for delta in DELTAS:
        with translation.override(language):
            expected = f"{timesince(now - delta, now)}"
            words = ago(now - delta)
        assert expected in words, (language, delta, words)


def test_the_same_moment_reads_in_each_reader_language_not_the_first_one_asked() -> None:
    moment = timezone.now() - timedelta(days=3, hours=1)
    with translation.override("en"):
        english = ago(moment)
    with translation.override("nl"):
        dutch = ago(moment)
    with translation.override("en"):
        again = ago(moment)
    assert english == again == "3\xa0days, 1\xa0hour ago"
    assert dutch == "3\xa0dagen, 1\xa0uur geleden"


def test_a_moment_within_the_minute_is_just_now() -> None:
    with translation.override("nl"):
        assert ago(timezone.now()) != ago(timezone.now() - timedelta(minutes=2))
    assert ago(None) == ""
