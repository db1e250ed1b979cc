"""Take the README's screenshots from the demo data, at 1280 px and 375 px.

    make run                                   # in one terminal: the demo on http://127.0.0.1:8000
    .venv/bin/python docs/screenshots/take.py  # in another (or: make screenshots)

Options: --base-url (default http://127.0.0.1:8000), --language (en or nl, default en),
--chromium (a Chromium binary; default Playwright's own, or CHROMIUM_PATH). Each page is shot
from the top, at most MAX_HEIGHT CSS pixels of it, so the files stay small.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "coop-demo-2026"  # the demo's shared password (README, "Demo data")
WIDTHS = {"1280": (1280, 1500), "375": (375, 1700)}


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def first_link(page: Any, start: str, pattern: str) -> str:
    page.goto(start)
    for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))"):
        if re.fullmatch(pattern, href or ""):
            return str(href)
    raise SystemExit(f"No link like {pattern} on {start}: is the demo seeded?")


def shoot(page: Any, name: str, width: str) -> None:
    w, max_height = WIDTHS[width]
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    path = HERE / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": w, "height": height})
    print(path.relative_to(HERE.parent.parent))


# (file name, who is signed in (None: nobody), how to find the page)
PAGES: list[tuple[str, str | None, Any]] = [
    ("home", None, lambda p: "/"),
    ("job-search", "ada@example.org", lambda p: "/jobs/"),
    ("job", "ada@example.org", lambda p: first_link(p, "/jobs/", r"/jobs/\d+/")),
    ("freelancer-profile", "ada@example.org", lambda p: first_link(p, "/profile/freelancer/", r"/freelancers/\d+/")),
    ("contract", "hugo@example.org", lambda p: first_link(p, "/contracts/", r"/contracts/\d+/")),
    ("earnings", "ada@example.org", lambda p: "/money/earnings/"),
    ("decision", "kim@example.org", lambda p: first_link(p, "/decisions/", r"/decisions/\d+/")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--language", default="en", choices=["en", "nl"])
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH"))
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=args.chromium or None, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        for width, (w, _) in WIDTHS.items():
            for name, who, where in PAGES:
                context = browser.new_context(
                    base_url=args.base_url,
                    viewport={"width": w, "height": 800},
                    device_scale_factor=1,
                    locale="nl-NL" if args.language == "nl" else "en-GB",
                )
                context.add_cookies([{"name": "django_language", "value": args.language, "url": args.base_url}])
                page = context.new_page()
                if who:
                    sign_in(page, who)
                page.goto(where(page))
                page.wait_for_load_state("networkidle")
                shoot(page, name, width)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
