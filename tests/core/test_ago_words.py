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


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_span_under_four_weeks_reads_exactly_as_timesince(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Under four weeks `ago` counts the units itself; every minute-sized step to four weeks and a
    # little beyond, each a few seconds past the minute, must read word for word as timesince.
    now = timezone.now()
    monkeypatch.setattr("core.templatetags.coop.timezone.now", lambda: now)
    spans = [timedelta(minutes=minutes, seconds=17) for minutes in range(1, 29 * 24 * 60, 97)]
    spans += [timedelta(days=days, seconds=5) for days in (7, 14, 21, 27, 28, 29)]
    with translation.override(language):
        for span in spans:
            moment = now - span
            assert ago(moment) == translation.gettext("%(time)s ago") % {"time": timesince(moment, now)}, span
