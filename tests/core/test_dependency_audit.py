"""CI's dependency audit (.ci/pip_audit.py): pip-audit against an OSV snapshot, or online, or a skip that says why."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings


def _load() -> ModuleType:
    path = Path(settings.BASE_DIR) / ".ci" / "pip_audit.py"
    spec = importlib.util.spec_from_file_location("ci_pip_audit", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit = _load()


def _snapshot(tmp_path: Path, *advisories: dict[str, Any]) -> Path:
    path = tmp_path / "all.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for advisory in advisories:
            archive.writestr(f"{advisory['id']}.json", json.dumps(advisory))
    return path


def _advisory(ident: str, package: str, **affected: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "summary": ident,
        "affected": [{"package": {"name": package, "ecosystem": "PyPI"}, **affected}],
    }


def _range(*events: dict[str, str]) -> dict[str, Any]:
    return {"ranges": [{"type": "ECOSYSTEM", "events": list(events)}]}


def test_the_snapshot_matches_listed_versions_and_ranges(tmp_path: Path) -> None:
    snapshot = audit.Snapshot(
        _snapshot(
            tmp_path,
            _advisory("LISTED", "Some_Package", versions=["1.0.0"]),
            _advisory("RANGE", "some-package", **_range({"introduced": "0"}, {"fixed": "2.0"})),
            _advisory("LAST", "some.package", **_range({"introduced": "1.5"}, {"last_affected": "1.9"})),
            _advisory("GONE", "some-package", versions=["1.0.0"]) | {"withdrawn": "2025-01-01T00:00:00Z"},
            _advisory("OTHER", "another", versions=["1.0.0"]),
        )
    )
    assert len(snapshot) == 4
    assert {a["id"] for a in snapshot.query("some-package", "1.0.0")} == {"LISTED", "RANGE"}
    assert {a["id"] for a in snapshot.query("SOME_PACKAGE", "1.7")} == {"RANGE", "LAST"}
    assert {a["id"] for a in snapshot.query("some-package", "1.9.1")} == {"RANGE"}
    assert snapshot.query("some-package", "2.0") == []
    assert snapshot.query("unknown", "1.0.0") == []


def test_a_vulnerable_package_in_the_snapshot_fails_the_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    installed = version("django")
    snapshot = _snapshot(
        tmp_path,
        _advisory("GHSA-test-0001", "Django", versions=[installed], **_range({"introduced": "0"}, {"fixed": "99.0"})),
    )
    monkeypatch.setattr(audit, "SNAPSHOT", snapshot)
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert f"django {installed}: GHSA-test-0001 (fixed in 99.0)" in out


def test_a_snapshot_without_advisories_for_our_versions_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        audit,
        "SNAPSHOT",
        _snapshot(tmp_path, _advisory("OLD", "django", **_range({"introduced": "0"}, {"fixed": "1.0"}))),
    )
    assert audit.main() == 0
    assert "no known vulnerabilities in" in capsys.readouterr().out


def test_without_a_snapshot_or_a_reachable_service_the_audit_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        "pypi": (0, {"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "not found on PyPI"}]}, ""),
        "osv": (1, None, "requests.exceptions.ConnectionError: api.osv.dev"),
    }
    monkeypatch.setattr(audit, "SNAPSHOT", tmp_path / "absent.zip")
    monkeypatch.setattr(audit, "pip_audit", lambda *service: answers[service[-1]])
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert out.startswith("pip-audit skipped: no vulnerability database reachable: no snapshot at ")
    assert "the pypi service found none of the packages" in out and "ConnectionError: api.osv.dev" in out


def test_an_online_finding_fails_the_audit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "x", "version": "1", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2"]}]}]}
    monkeypatch.setattr(audit, "SNAPSHOT", tmp_path / "absent.zip")
    monkeypatch.setattr(audit, "pip_audit", lambda *service: (1, report, ""))
    assert audit.main() == 1


def test_pip_and_setuptools_are_pinned_for_the_image_and_the_venv() -> None:
    root = Path(settings.BASE_DIR)
    pins = dict(
        line.split("==") for line in (root / "requirements-bootstrap.txt").read_text().splitlines() if "==" in line
    )
    assert {"pip", "setuptools"} <= set(pins)
    assert int(pins["setuptools"].split(".")[0]) >= 78  # 78.1.1 fixed the last advisory known when pinned
    assert "pip install -r requirements-bootstrap.txt" in (root / "Dockerfile").read_text()
    assert "pip install --quiet -r requirements-bootstrap.txt" in (root / "Makefile").read_text()
    assert ".venv/bin/python .ci/pip_audit.py" in (root / ".ci" / "run").read_text()
