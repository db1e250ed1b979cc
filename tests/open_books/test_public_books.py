"""On the demo's data: logged-out visitors read exactly what the bylaws publish of the books (a test per
setting), and the open data downloads, validates against its schemas, holds no personal data and no
cell built from fewer than k people."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings

from core.open_data import DATASETS

# The pages and API answers of the books, and the least the bylaws must publish for a visitor to read each.
BOOKS_URLS = [
    ("/money/open-books/?year=2025", "page", "summary"),
    ("/money/open-books/accounts/2025/", "page", "summary"),
    ("/money/open-books/accounts/2025.csv", "page", "summary"),
    ("/money/open-books/accounts/2025.pdf", "page", "summary"),
    ("/money/open-books/transactions/?year=2025", "page", "full"),
    ("/api/money/open-books/?year=2025", "api", "summary"),
    ("/api/money/open-books/accounts/2025/", "api", "summary"),
    ("/api/money/open-books/transactions/?year=2025", "api", "full"),
]
LEVELS = ("nothing", "summary", "full")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[SimpleNamespace]:
    """The demo data, seeded once for the module inside a transaction rolled back at its end."""
    from payouts.open_books.periods import forget_closed

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("open-books-media")))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=False):
                call_command("seed_demo", verbosity=0)
            from membership.models import User

            people = list(User.objects.values_list("display_name", "email"))
            yield SimpleNamespace(people=people)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            forget_closed()


def _publish(level: str) -> None:
    from governance.services.rules import ruleset_create_version

    ruleset_create_version(key="general", changes={"books_public": level}, actor=None)


def _personal(people: list[tuple[str, str]]) -> list[str]:
    """Every demo person's email and full name (first names alone are also words: "Jan", "Kim")."""
    words = []
    for name, email in people:
        words.append(email.lower())
        if " " in name:
            words.append(name.lower())
    return words


@pytest.mark.parametrize("level", LEVELS)
def test_a_visitor_reads_exactly_what_the_bylaws_publish(demo: SimpleNamespace, db: Any, level: str) -> None:
    _publish(level)
    visitor = Client()
    for url, channel, needs in BOOKS_URLS:
        response = visitor.get(url)
        if LEVELS.index(level) >= LEVELS.index(needs):
            assert response.status_code == 200, (url, level, response.content[:300])
            text = response.content.decode(errors="ignore").lower()
            found = [word for word in _personal(demo.people) if word in text]
            assert found == [], (url, found)
        else:
            assert response.status_code == 403, (url, level)
            if channel == "api":
                body = response.json()
                assert set(body) == {"code", "message", "detail"}
                assert body["code"] == "books_not_public"
            else:
                assert "books" in response.content.decode()


def test_at_full_a_visitor_reads_the_demos_closed_2025_accounts(demo: SimpleNamespace, db: Any) -> None:
    _publish("full")
    visitor = Client()
    response = visitor.get("/money/open-books/accounts/2025/")
    page = response.content.decode()
    assert "The year is closed" in page
    # Two charts drawn on the server: no script and no inline style in them, and the page's CSP is the site's.
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) == 2
    assert not [c for c in charts if "<script" in c or "style=" in c or " on" in c.split(">", 1)[0]]
    assert response["Content-Security-Policy"] == visitor.get("/").get("Content-Security-Policy")
    accounts = visitor.get("/api/money/open-books/accounts/2025/").json()
    statement, sheet = accounts["income_statement"], accounts["balance_sheet"]
    assert accounts["closed"] is True
    assert statement["surplus_cents"] == statement["income_cents"] - statement["costs_cents"] > 0
    assert sheet["cash_cents"] == sheet["liabilities_cents"] + sheet["equity_cents"]
    events = visitor.get("/api/money/open-books/transactions/?year=2025").json()
    assert len(events["results"]) == 25 and events["next_before"]
    roles = {p["from_role"] for e in events["results"] for p in e["postings"]}
    assert "The coop's income" in roles


def test_members_read_the_books_whatever_the_rule(demo: SimpleNamespace, db: Any) -> None:
    from membership.models import User

    _publish("nothing")
    member = Client()
    member.force_login(User.objects.get(email="kim@example.org"))
    for url, _channel, _needs in BOOKS_URLS:
        assert member.get(url).status_code == 200, url


# ---------------------------------------------------------------------------------------------------
# Open data.

YEARMONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _valid(value: str, field: dict[str, Any]) -> bool:
    """Whether a CSV cell is of its schema field's type (Frictionless Data table schema types)."""
    if value == "":
        return True
    kind = field["type"]
    if kind == "integer":
        return re.fullmatch(r"-?\d+", value) is not None and int(value) >= field.get("constraints", {}).get(
            "minimum", -(10**18)
        )
    if kind == "number":
        return re.fullmatch(r"-?\d+(\.\d+)?", value) is not None
    if kind == "yearmonth":
        return YEARMONTH.match(value) is not None
    if kind == "year":
        return re.fullmatch(r"\d{4}", value) is not None
    if kind == "date":
        return date.fromisoformat(value) is not None
    return kind == "string"


def test_the_open_data_downloads_and_validates_against_its_schemas(demo: SimpleNamespace, db: Any) -> None:
    visitor = Client()
    index = visitor.get("/open-data/")
    assert index.status_code == 200 and "Creative Commons Attribution 4.0" in index.content.decode()
    package = visitor.get("/open-data/datapackage.json").json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["name"] for r in package["resources"]} == set(DATASETS.keys())
    for key in DATASETS:
        schema = visitor.get(f"/open-data/{key}.schema.json").json()
        fields = schema["fields"]
        rows = list(csv.reader(io.StringIO(visitor.get(f"/open-data/{key}.csv").content.decode())))
        assert rows[0] == [f["name"] for f in fields], key
        for row in rows[1:]:
            assert len(row) == len(fields)
            for value, field in zip(row, fields, strict=True):
                assert _valid(value, field), (key, field["name"], value)
        data = json.loads(visitor.get(f"/open-data/{key}.json").content)
        assert data["schema"] == schema and len(data["rows"]) == len(rows) - 1
        assert all(sorted(r) == sorted(f["name"] for f in fields) for r in data["rows"]), key


def test_the_open_data_holds_no_personal_data_and_no_cell_under_k(demo: SimpleNamespace, db: Any) -> None:
    from payouts.open_books.models import DatasetRelease

    visitor = Client()
    k = settings.OPEN_DATA_MIN_GROUP
    surnames = [name.split()[-1].lower() for name, _email in demo.people if " " in name and len(name.split()[-1]) > 4]
    words = _personal(demo.people) + surnames
    shown = blanked = 0
    for key, dataset in DATASETS.items():
        for suffix in ("csv", "json"):
            text = visitor.get(f"/open-data/{key}.{suffix}").content.decode().lower()
            assert "@" not in text, key
            assert [w for w in words if w in text] == [], key
        published = DatasetRelease.objects.get(key=key).rows
        built = dataset.build()
        assert len(built) == len(published)
        measures = [f.name for f in dataset.fields if f.measure]
        for raw, row in zip(built, published, strict=True):
            if raw.people < k:
                assert all(row[name] is None for name in measures), (key, row)
                blanked += 1
            else:
                shown += 1
    # The demo has both: the scan cannot pass by finding nothing to check.
    assert shown > 0 and blanked > 0


def test_the_demo_publishes_2025s_surplus_and_its_distribution_by_class(demo: SimpleNamespace, db: Any) -> None:
    """The demo's 2025 payout cycle is approved, so researchers get the year's surplus, what went to each
    fund and what each patronage class shared: every class had at least k members, so nothing is blanked."""
    from decimal import Decimal

    from payouts.cycles.demo import DEFAULT_POLICY
    from payouts.open_books.models import DatasetRelease

    rows = DatasetRelease.objects.get(key="surplus-distribution").rows
    assert {(row["period_start"], row["period_end"]) for row in rows} == {("2025-01-01", "2026-01-01")}, rows
    (surplus,) = [row for row in rows if row["part"] == "surplus"]
    funds = {row["name"]: row for row in rows if row["part"] == "fund"}
    classes = {row["name"]: row for row in rows if row["part"] == "class"}
    assert set(funds) == {fund["name"] for fund in DEFAULT_POLICY["funds"]}
    assert set(classes) == {pot["name"] for pot in DEFAULT_POLICY["classes"]}
    assert all(row["members"] >= settings.OPEN_DATA_MIN_GROUP for row in classes.values()), classes
    # The parts add up to the whole: nothing of the surplus is left out of the published figures.
    parts = [Decimal(row["amount_eur"]) for row in [*funds.values(), *classes.values()]]
    assert Decimal(surplus["amount_eur"]) > 0 and sum(parts) == Decimal(surplus["amount_eur"])
    page = Client().get("/open-data/").content.decode()
    section = page[page.index('id="ds-surplus-distribution"') :].split("</section>")[0]
    assert f"{len(rows)} rows" in section and "No rows yet" not in section
    csv_rows = list(csv.DictReader(io.StringIO(Client().get("/open-data/surplus-distribution.csv").content.decode())))
    assert len(csv_rows) == len(rows)


def test_the_open_data_is_regenerated_by_the_beat_schedule(demo: SimpleNamespace, db: Any) -> None:
    from payouts.open_books.models import DatasetRelease
    from payouts.open_books.tasks import open_data_regenerate

    entry = settings.CELERY_BEAT_SCHEDULE["open-books-open-data"]
    assert entry["task"] == open_data_regenerate.name
    before = DatasetRelease.objects.get(key="fee-income").generated_at
    assert open_data_regenerate.delay().get() == len(DATASETS)
    assert DatasetRelease.objects.get(key="fee-income").generated_at > before
