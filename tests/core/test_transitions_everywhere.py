"""Every status in every app moves through the one transition kernel (core/transitions.py).

Two checks a new status field cannot slip past: each model's status field has a declared table of
moves, and no application code assigns a status field anywhere but in the kernel.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from core.registry import NotRegistered
from core.transitions import transitions_of

PROJECT_APPS = ("core", "membership", "marketplace", "governance", "payouts")
KERNEL = Path("core/transitions.py")


def status_fields() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT_APPS) or model._meta.abstract:
            continue
        for field in model._meta.concrete_fields:
            if (field.name == "status" or field.name.endswith("_status")) and field.choices:
                found.append((model, field.name))
    return found


def application_sources() -> list[Path]:
    root = Path(settings.BASE_DIR)
    files = []
    for app in PROJECT_APPS:
        files += [p for p in (root / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def test_there_are_status_fields_to_check() -> None:
    assert len(status_fields()) >= 10


@pytest.mark.parametrize("model_field", status_fields(), ids=lambda mf: f"{mf[0]._meta.label}.{mf[1]}")
def test_every_status_field_has_a_declared_table(model_field: tuple[type[models.Model], str]) -> None:
    model, field = model_field
    try:
        table = transitions_of(model, field)
    except NotRegistered:
        pytest.fail(f"{model._meta.label}.{field} has no declare_transitions(...) next to the model")
    choices = {value for value, _label in model._meta.get_field(field).choices}
    assert set(table.moves) == choices


def assignments(text: str, field: str) -> list[int]:
    patterns = [
        rf"\.{field}\s*=(?!=)",
        rf"setattr\([^)]*[\"']{field}[\"']",
        rf"\.update\([^)]*\b{field}\s*=",
        rf"\.update_or_create\([^)]*defaults=\{{[^}}]*[\"']{field}[\"']",
    ]
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0]
        if any(re.search(pattern, code) for pattern in patterns):
            lines.append(number)
    return lines


def test_no_status_is_assigned_outside_the_kernel() -> None:
    names = sorted({field for _model, field in status_fields()})
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in application_sources():
        relative = path.relative_to(root)
        if relative == KERNEL:
            continue
        text = path.read_text()
        for field in names:
            offenders += [f"{relative}:{line} assigns {field}" for line in assignments(text, field)]
    assert offenders == [], "status changed outside core.transitions.transition():\n" + "\n".join(offenders)


def test_the_check_catches_an_assignment() -> None:
    assert assignments("contract.status = 'done'\nrows.update(status='x')\nif a.status == b:\n", "status") == [1, 2]
