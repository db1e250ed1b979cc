"""`manage.py rules_show [--json]`: the rules and policies in force, each version with the decision that set it."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from marketplace.work_decisions import ACCEPTANCE_RULES_KEY, MINIMUM_RATES_KEY, RANKING_WEIGHTS_KEY
from tests.factories import MemberFactory
from tests.marketplace.work_rules_helpers import decide, starts_now

pytestmark = pytest.mark.django_db

KEYS = ["rules", "project_acceptance", "minimum_rates", "ranking", "fee_policy"]
RATES = {"hourly_cents": 3000, "fixed_hourly_cents": 2000, "hours_per_day": 8}
WEIGHTS = {"relevance": 50, "recency": 20, "rating": 10, "completed": 10, "member": 0, "rotation": 10}
ACCEPTANCE = {"budget_over_cents": 500_000, "excluded_sectors": ["arms"], "client_kinds": []}


@pytest.fixture
def decisions() -> dict[str, Any]:
    from governance.rules_defaults import ensure_founding_rules

    ensure_founding_rules()
    members = [MemberFactory() for _ in range(3)]
    return {
        key: decide(decision_key, {"terms": terms, "valid_from": starts_now()}, members, title=key)
        for key, decision_key, terms in (
            ("project_acceptance", ACCEPTANCE_RULES_KEY, ACCEPTANCE),
            ("minimum_rates", MINIMUM_RATES_KEY, RATES),
            ("ranking", RANKING_WEIGHTS_KEY, WEIGHTS),
        )
    }


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rules_show", *args, stdout=out)
    return out.getvalue()


def test_the_json_has_the_five_keys_each_version_with_the_decision_that_set_it(decisions: dict[str, Any]) -> None:
    data = json.loads(run("--json"))
    assert list(data) == KEYS
    for key in ("project_acceptance", "minimum_rates"):
        (version,) = data[key]["versions"]
        assert version["version"] == 1 and version["in_force"] is True
        assert version["decided_by"] == decisions[key].pk
    assert data["minimum_rates"]["versions"][0]["terms"]["hourly_cents"] == 3000
    assert data["project_acceptance"]["versions"][0]["terms"]["excluded_sectors"] == ["arms"]
    founding, decided = data["ranking"]["versions"]
    assert (founding["version"], founding["in_force"], founding["decided_by"]) == (0, False, None)
    assert (decided["version"], decided["in_force"], decided["decided_by"]) == (1, True, decisions["ranking"].pk)
    assert decided["terms"]["relevance"] == 50
    (fee,) = data["fee_policy"]["versions"]
    assert fee["in_force"] is True and fee["decided_by"] is None and fee["terms"]["percent"] == "10.00"
    families = {version["family"] for version in data["rules"]["versions"]}
    assert {"general", "bylaw", "project"} <= families
    assert all("version" in version and "decided_by" in version for version in data["rules"]["versions"])


def test_the_text_names_each_report_its_versions_and_decisions(decisions: dict[str, Any]) -> None:
    text = run()
    for heading in ("Voting rules (rules)", "Minimum rates (minimum_rates)", "Ranking weights (ranking)"):
        assert heading in text
    assert f"v1 from {decisions['minimum_rates'].payload['valid_from']}" in text
    assert f"in force, decision {decisions['minimum_rates'].pk}" in text
    assert "v0 from None, not in force, no decision (founding)" in text


def test_without_any_decision_the_ranking_is_the_founding_version_in_force() -> None:
    data = json.loads(run("--json"))
    assert list(data) == KEYS
    assert data["minimum_rates"]["versions"] == [] and data["project_acceptance"]["versions"] == []
    (founding,) = data["ranking"]["versions"]
    assert founding["version"] == 0 and founding["in_force"] is True and founding["decided_by"] is None
