"""Every page the demo reaches shows dates in the reader's style, in English and in Dutch.

Walks the site as the audit does (tests/core/test_page_audit.py) and reads the visible text of
each page: an ISO timestamp (2026-12-04T15:50, 2026-12-04) or a US-style date (12/04/2026,
"Dec. 4, 2026") is a date nobody in the coop was meant to read. Attribute values (a date input's
value, a <time datetime="...">) are machine-facing and are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from tests.core.test_page_audit import SKIP

pytestmark = pytest.mark.django_db

VIEWERS = [None, "ada@example.org", "jan@example.org", "admin@example.org"]
MAX_PAGES_PER_VIEWER = 80
BAD_DATES = [
    ("ISO timestamp or date", re.compile(r"\b(19|20)\d{2}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?\b")),
    ("US-style date", re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")),
    (
        "US-style month first",
        re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"),
    ),
]


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def bad_dates_in(html: str) -> tuple[list[str], list[str]]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.text)
    found = [f"{name}: {match.group(0)!r}" for name, pattern in BAD_DATES for match in pattern.finditer(text)]
    return found, parser.links


def walk(client: Client) -> tuple[set[str], dict[str, list[str]]]:
    seen: set[str] = set()
    visited: set[str] = set()
    report: dict[str, list[str]] = {}
    queue = ["/", "/dashboard/", "/money/earnings/", "/privacy/my-data/"]
    while queue and len(seen) < MAX_PAGES_PER_VIEWER:
        url = queue.pop(0)
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited.add(url)
        found, links = bad_dates_in(response.content.decode())
        if found:
            report[url] = found
        for href in links:
            href = urldefrag(href)[0]
            parsed = urlparse(href)
            if not (parsed.scheme or parsed.netloc) and href.startswith("/") and href not in seen:
                queue.append(href)
    return visited, report


def test_the_date_check_catches_iso_and_us_dates() -> None:
    for bad in ("2026-12-04T15:50:00+00:00", "12/04/2026", "Dec. 4, 2026", "December 4, 2026"):
        assert bad_dates_in(f"<p>Paid {bad}</p>")[0], bad
    for good in ("4 December 2026", "04-12-2026", "4 Dec 2026, 15:50", "4 december 2026"):
        assert not bad_dates_in(f"<p>Paid {good}</p><input value='2026-12-04'>")[0], good


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_page_shows_an_iso_or_us_date(language: str) -> None:
    from membership.models import User

    call_command("seed_demo", verbosity=0)
    User.objects.update(preferred_language=language)
    failures: dict[str, list[str]] = {}
    visited_all: set[str] = set()
    for email in VIEWERS:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.cookies["django_language"] = language
        if email:
            client.force_login(User.objects.get(email=email))
        visited, report = walk(client)
        visited_all |= visited
        failures |= {f"{email or 'anonymous'} {url}": found for url, found in report.items()}
    assert len(visited_all) >= 40, sorted(visited_all)
    assert failures == {}
