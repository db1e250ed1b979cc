"""The header in Chromium: one row that never draws one control over another, at any width, in both languages.

The person with the most entries (a freelancer and client who is a member, on the board and in
finance) and a visitor, at 1280, 1024, 768 and 375 px, in English and Dutch: no two visible header
controls overlap, the page does not scroll sideways, and when the navigation does not fit on the row
it folds behind the Menu button, which opens it.
"""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERLAPS = """() => {
  const header = document.querySelector('.site-header');
  const shown = [...header.querySelectorAll('a, button, summary, select')].filter(
    (e) => e.offsetParent !== null && !e.closest('details:not([open]) > ul') && e.getClientRects().length
  );
  const boxes = shown.map((e) => [
    e.innerText.trim() || e.getAttribute('aria-label') || e.tagName, e.getBoundingClientRect()
  ]);
  const hits = [];
  boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
    if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) hits.push([a, b]);
  }));
  return hits;
}"""


def _log_in(page: Any, user: Any, base: str) -> None:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base + "/"}])


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("signed_in", [True, False], ids=["everyone-role", "visitor"])
def test_the_header_never_overlaps_and_folds_what_does_not_fit(
    chromium: Any, live_server: Any, language: str, signed_in: bool
) -> None:
    if signed_in:
        user = UserFactory(
            display_name="Alexandra Vermeulen-Oosterhuis",
            is_freelancer=True,
            is_client=True,
            staff_roles=["board", "finance"],
        )
        MemberFactory(user=user)
    for width in (1280, 1024, 768, 375):
        context = chromium.new_context(
            base_url=live_server.url,
            locale="nl-NL" if language == "nl" else "en-GB",
            viewport={"width": width, "height": 800},
        )
        page = context.new_page()
        if signed_in:
            _log_in(page, user, live_server.url)
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == language

        assert page.evaluate(OVERLAPS) == [], f"header controls overlap at {width} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            f"the page scrolls sideways at {width} px"
        )
        header = page.locator(".site-header")
        toggle = page.locator(".nav-toggle")
        if signed_in:
            assert header.bounding_box()["height"] <= 64, f"the header takes one row at {width} px"
        if width == 1280:
            assert not toggle.is_visible(), "at 1280 px the navigation is on the row, not folded"
        if toggle.is_visible():
            nav_link = page.locator("#site-nav a").first
            assert not nav_link.is_visible()
            toggle.click()
            assert nav_link.is_visible(), "the Menu button opens the folded navigation"
            assert toggle.get_attribute("aria-expanded") == "true"
        else:
            assert page.locator("#site-nav a").first.is_visible()
        context.close()
