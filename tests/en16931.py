"""The official EN 16931 validator (UBL XSLT, run with saxonche), compiled once per test session.

Found through EN16931_VALIDATOR_DIR, else `<repo>/../shared/validators/en16931`, else
/work/shared/validators/en16931. Without it (or saxonche) a test skips with the reason, and fails
under REQUIRE_SERVICES=1 (tests/services.py).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from tests.services import need

STYLESHEET = "EN16931-UBL-validation.xslt"
REPO = Path(__file__).resolve().parent.parent


def validator_dir() -> Path | None:
    candidates: list[str | Path] = [os.environ.get("EN16931_VALIDATOR_DIR", "")]
    candidates += [REPO.parent / "shared/validators/en16931", "/work/shared/validators/en16931"]
    for candidate in candidates:
        if candidate and (Path(candidate) / STYLESHEET).exists():
            return Path(candidate)
    return None


@cache
def _compiled() -> tuple[Any, Any]:
    from saxonche import PySaxonProcessor  # type: ignore[import-not-found]

    directory = validator_dir()
    assert directory is not None
    processor = PySaxonProcessor(license=False)
    xslt = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(directory / STYLESHEET))
    return processor, xslt


def need_validator() -> None:
    try:
        import saxonche  # noqa: F401
    except ImportError:
        need(False, "the EN 16931 validator needs saxonche (pip install -r requirements-dev.txt)")
    need(
        validator_dir() is not None,
        "the EN 16931 validator is missing: set EN16931_VALIDATOR_DIR to the folder with " + STYLESHEET,
    )


FAILED = re.compile(r"<svrl:failed-assert\b[^>]*>.*?</svrl:failed-assert>", re.S)


def fatal_failures(xml: bytes) -> list[str]:
    """Return the ids and texts of the fatal rules the document breaks (empty when it conforms)."""
    processor, xslt = _compiled()
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    svrl = xslt.transform_to_string(xdm_node=node)
    failures = []
    for match in FAILED.finditer(svrl):
        block = match.group(0)
        if 'flag="fatal"' in block:
            rule = re.search(r'id="([^"]+)"', block)
            text = re.search(r"<svrl:text>(.*?)</svrl:text>", block, re.S)
            failures.append(f"{rule.group(1) if rule else '?'}: {text.group(1).strip() if text else block}")
    return failures
