import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if not m._meta.proxy}


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
