"""Audit the venv's packages for known vulnerabilities with pip-audit, online or against a snapshot.

Usage (from .ci/run): .venv/bin/python .ci/pip_audit.py

Where the advisories come from, in order:

1. A snapshot of OSV's PyPI advisories in the CI cache, OSV_SNAPSHOT (default
   .ci/cache/osv/PyPI/all.zip, OSV's own export: https://osv-vulnerabilities.storage.googleapis.com/
   PyPI/all.zip). This script serves it on 127.0.0.1 as OSV's query API, and pip-audit asks it
   (`--vulnerability-service osv --osv-url`), so nothing leaves the machine.
2. pip-audit's online services: PyPI's JSON API, then api.osv.dev.

Exit status: 1 when a package has a known vulnerability (or pip-audit fails against the snapshot);
0 when none has; 0 with a printed reason when no source of advisories could be reached, so CI
never fails for lack of network. An online service that answers "not found" for every package
(a registry mirror without PyPI's JSON API does) has not checked anything and counts as unreachable.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = Path(os.environ.get("OSV_SNAPSHOT", ROOT / ".ci" / "cache" / "osv" / "PyPI" / "all.zip"))
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
TIMEOUT_SECONDS = 20


def canonical(name: str) -> str:
    """Return the PEP 503 form of a package name, as pip-audit and OSV compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


class Snapshot:
    """OSV advisories for PyPI, read from OSV's export zip and looked up by package and version."""

    def __init__(self, path: Path) -> None:
        self.by_package: dict[str, list[dict[str, Any]]] = defaultdict(list)
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith(".json"):
                    continue
                advisory = json.loads(archive.read(name))
                if advisory.get("withdrawn"):
                    continue
                # pip-audit reads an advisory's fixed versions under the package's canonical name.
                for affected in advisory.get("affected", []):
                    if affected.get("package", {}).get("ecosystem") == "PyPI":
                        affected["package"]["name"] = canonical(affected["package"]["name"])
                packages = {
                    canonical(affected["package"]["name"])
                    for affected in advisory.get("affected", [])
                    if affected.get("package", {}).get("ecosystem") == "PyPI"
                }
                for package in packages:
                    self.by_package[package].append(advisory)

    def __len__(self) -> int:
        return len({advisory["id"] for advisories in self.by_package.values() for advisory in advisories})

    def query(self, name: str, version: str) -> list[dict[str, Any]]:
        """Return the advisories that affect this version of the package."""
        package = canonical(name)
        return [
            advisory
            for advisory in self.by_package.get(package, [])
            if any(
                _affects(affected, version)
                for affected in advisory.get("affected", [])
                if canonical(affected.get("package", {}).get("name", "")) == package
            )
        ]


def _affects(affected: dict[str, Any], version: str) -> bool:
    if version in affected.get("versions", []):
        return True
    try:
        current = Version(version)
    except InvalidVersion:
        return False
    for ranges in affected.get("ranges", []):
        if ranges.get("type") == "ECOSYSTEM" and _in_range(ranges.get("events", []), current):
            return True
    return False


def _in_range(events: list[dict[str, str]], current: Version) -> bool:
    """Evaluate OSV range events (introduced, fixed, last_affected, limit) for one version."""
    affected = False
    for event in sorted(events, key=_event_order):
        kind, value = next(iter(event.items()))
        bound = Version("0") if value == "0" else _version(value)
        if bound is None:
            continue
        if kind == "introduced" and current >= bound:
            affected = True
        elif (kind == "fixed" and current >= bound) or (kind == "last_affected" and current > bound):
            affected = False
        elif kind == "limit" and current >= bound:
            return False
    return affected


def _version(value: str) -> Version | None:
    try:
        return Version(value)
    except InvalidVersion:
        return None


def _event_order(event: dict[str, str]) -> tuple[Version, int]:
    kind, value = next(iter(event.items()))
    bound = Version("0") if value == "0" else (_version(value) or Version("0"))
    # At the same version an introduction comes before the fix that ends it.
    return bound, 0 if kind == "introduced" else 1


@contextmanager
def serve(snapshot: Snapshot) -> Iterator[str]:
    """Serve the snapshot as OSV's /v1/query API on a free local port; yield its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            query = json.loads(self.rfile.read(length) or b"{}")
            package = query.get("package", {})
            vulns = snapshot.query(str(package.get("name", "")), str(query.get("version", "")))
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


def pip_audit(*service: str) -> tuple[int, dict[str, Any] | None, str]:
    """Run pip-audit on this venv; return its exit status, its JSON report (if any) and its errors."""
    with tempfile.TemporaryDirectory() as cache, tempfile.NamedTemporaryFile(suffix=".json") as report:
        done = subprocess.run(  # noqa: S603 - our own venv's pip-audit, fixed arguments
            [
                str(PIP_AUDIT),
                *service,
                "--format",
                "json",
                "--output",
                report.name,
                "--progress-spinner",
                "off",
                "--timeout",
                str(TIMEOUT_SECONDS),
                "--cache-dir",
                cache,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        text = Path(report.name).read_text()
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return done.returncode, parsed, (done.stderr or "").strip()


def summarise(report: dict[str, Any]) -> tuple[list[str], int, int]:
    """Return the findings (one line each), how many packages were checked and how many were not."""
    findings: list[str] = []
    checked = skipped = 0
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped += 1
            continue
        checked += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            findings.append(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    return findings, checked, skipped


def verdict(source: str, report: dict[str, Any]) -> int:
    findings, checked, skipped = summarise(report)
    if findings:
        print(f"pip-audit ({source}): {len(findings)} known vulnerabilities in {checked} packages:")
        for line in findings:
            print(f"  {line}")
        print("Upgrade the packages (requirements*.txt), or record why an advisory does not apply.")
        return 1
    note = f"; {skipped} could not be checked" if skipped else ""
    print(f"pip-audit ({source}): no known vulnerabilities in {checked} packages{note}.")
    return 0


def main() -> int:
    if not PIP_AUDIT.exists():
        print(f"pip-audit skipped: {PIP_AUDIT} is not installed (make installs requirements-dev.txt).")
        return 0
    if SNAPSHOT.exists():
        snapshot = Snapshot(SNAPSHOT)
        print(f"pip-audit: {len(snapshot)} advisories in the snapshot {SNAPSHOT}")
        with serve(snapshot) as url:
            status, report, errors = pip_audit("--vulnerability-service", "osv", "--osv-url", url)
        if report is None:
            print(f"pip-audit failed against the snapshot (exit {status}):\n{errors}")
            return 1
        return verdict(f"snapshot {SNAPSHOT.name}", report)
    reasons = [f"no snapshot at {SNAPSHOT}"]
    for service in ("pypi", "osv"):
        status, report, errors = pip_audit("--vulnerability-service", service)
        if report is not None:
            _findings, checked, _skipped = summarise(report)
            if checked:
                return verdict(f"{service} service", report)
            reasons.append(f"the {service} service found none of the packages (no JSON API behind this registry?)")
        else:
            last = errors.splitlines()[-1] if errors else f"exit {status}"
            reasons.append(f"the {service} service is unreachable ({last[:160]})")
    print("pip-audit skipped: no vulnerability database reachable: " + "; ".join(reasons) + ".")
    print(f"To audit offline, put OSV's PyPI export at {SNAPSHOT} (kept in the CI cache).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
