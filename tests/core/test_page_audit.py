"""Walk every page the demo data reaches, as each kind of user, and check what every page owes
its readers: a language, one h1, a label for every form control, and no inline script or style
(the CSP would block them). Links are followed within the site, so new pages are covered as soon
as something links to them.

The same walk then opens every kind of page (one per URL shape and viewer: /jobs/3/ stands for
/jobs/N/) in Chromium, in English and in Dutch, and runs axe-core (bundled by
axe-playwright-python, no network) on it: no serious or critical violation may remain."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

VIEWERS = [None, "ada@example.org", "hugo@example.org", "jan@example.org", "admin@example.org"]
SKIP = re.compile(
    r"^/(admin/|api/|accounts/(logout|confirm-email|password/reset/key)|i18n/|static/|media/|stripe/webhook)"
    r"|\.(csv|xml|blt|zip|pdf)$|/download/|/file/|/attachments/|/files/"
)
MAX_PAGES_PER_VIEWER = 120
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.h1 = 0
        self.links: list[str] = []
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.inline: list[str] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in {"input", "select", "textarea"} and a.get("type") not in {
            "hidden",
            "submit",
            "button",
            "reset",
            "image",
        }:
            self.controls.append({**a, "_tag": tag, "_wrapped": "1" if self._label_depth else ""})
        if "style" in a:
            self.inline.append(f"style attribute on <{tag}>")
        if tag == "script" and not a.get("src") and a.get("type") not in {"application/json", "application/ld+json"}:
            self.inline.append("inline <script>")
        if any(k.startswith("on") for k in a):
            self.inline.append(f"event handler attribute on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def problems_of(html: str) -> tuple[list[str], list[str]]:
    parser = PageParser()
    parser.feed(html)
    found = []
    if not parser.lang:
        found.append("no lang on <html>")
    if parser.h1 != 1:
        found.append(f"{parser.h1} <h1> elements")
    for control in parser.controls:
        named = control.get("aria-label") or control.get("aria-labelledby") or control.get("title")
        if not (named or control["_wrapped"] or control.get("id") in parser.label_for):
            found.append(f"unlabelled <{control['_tag']} name={control.get('name')!r}>")
    found += parser.inline
    return found, parser.links


def crawl(client: Client, visited: set[str] | list[str]) -> dict[str, list[str]]:
    seen: set[str] = set()
    queue = ["/", "/dashboard/"]
    report: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES_PER_VIEWER:
        url = queue.pop(0)
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if isinstance(visited, set):
            visited.add(url)
        else:
            visited.append(url)
        found, links = problems_of(response.content.decode())
        if found:
            report[url] = found
        for href in links:
            href = urldefrag(href)[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/"):
                continue
            if href not in seen:
                queue.append(href)
    return report


def test_every_page_has_a_language_one_h1_labelled_controls_and_no_inline_code() -> None:
    call_command("seed_demo", verbosity=0)
    failures: dict[str, Any] = {}
    visited: set[str] = set()
    for email in VIEWERS:
        client = Client()
        if email:
            from membership.models import User

            client.force_login(User.objects.get(email=email))
        report = crawl(client, visited)
        for url, found in report.items():
            failures[f"{email or 'anonymous'} {url}"] = found
    # The walk must really reach the site: jobs, contracts, decisions, elections, membership, money.
    for section in ("/jobs/", "/contracts/", "/decisions/", "/elections/", "/membership/", "/money/", "/privacy/"):
        assert any(url.startswith(section) for url in visited), (section, sorted(visited))
    assert len(visited) >= 40, sorted(visited)
    assert failures == {}


AXE_IMPACTS = {"serious", "critical"}


def page_kind(url: str) -> str:
    """/jobs/3/?page=2 and /jobs/5/ are the same kind of page: /jobs/N/."""
    return re.sub(r"\d+", "N", url.split("?")[0])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_kind_of_page_has_no_serious_accessibility_violation_in_either_language(
    chromium: Any, live_server: Any
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from django.conf import settings

    from membership.models import User

    call_command("seed_demo", verbosity=0)
    axe = Axe()
    failures: dict[str, list[str]] = {}
    checked = 0
    for email in VIEWERS:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        visited: list[str] = []
        crawl(client, visited)
        kinds: dict[str, str] = {}
        for url in visited:
            kinds.setdefault(page_kind(url), url)
        cookies = []
        if email:
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
        for language in ("en", "nl"):
            context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP)
            context.add_cookies(
                [*cookies, {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            page = context.new_page()
            for url in kinds.values():
                page.goto(url, wait_until="domcontentloaded")
                result = axe.run(page, options={"resultTypes": ["violations"]})
                checked += 1
                for violation in result.response["violations"]:
                    if violation["impact"] in AXE_IMPACTS:
                        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                        failures.setdefault(f"{email or 'anonymous'} {language} {url}", []).append(
                            f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
                        )
                if language == "nl":
                    # On a phone, in the language with the longer words, the page must not be wider than
                    # the screen: a wide table scrolls inside its own region (class table-scroll).
                    page.set_viewport_size(PHONE)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > PHONE["width"]:
                        failures.setdefault(f"{email or 'anonymous'} {language} {url}", []).append(
                            f"{width} px wide at {PHONE['width']} px"
                        )
                    page.set_viewport_size(DESKTOP)
            context.close()
    assert checked >= 80, checked
    assert not failures, "\n".join(f"{page}: {found}" for page, found in failures.items())
