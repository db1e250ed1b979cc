from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from core.demo import DEMO_PASSWORD, DEMO_SEEDERS

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if not m._meta.proxy}


def test_seed_demo_is_idempotent_and_demo_users_can_log_in() -> None:
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    second = row_counts()
    changed = {
        k: (first[k], second[k])
        for k in first
        if first[k] != second[k] and not k.startswith(("sessions.", "core.AuditEvent"))
    }
    assert changed == {}
    assert first["membership.User"] >= 10
    assert first["membership.Member"] >= 10
    client = Client()
    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def project_apps_with_demo_data() -> list[str]:
    base = Path(settings.BASE_DIR).resolve()
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and (Path(config.path) / "demo.py").exists()
    ]


def test_every_app_with_demo_data_registers_its_seeder() -> None:
    assert set(project_apps_with_demo_data()) <= set(DEMO_SEEDERS)


def test_seed_demo_runs_the_seeders_in_the_order_of_installed_apps() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    ran = [line.strip().removesuffix(": ready") for line in out.getvalue().splitlines() if line.endswith(": ready")]
    assert ran == project_apps_with_demo_data()
    assert ran[:2] == ["core", "membership"]
