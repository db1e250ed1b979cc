"""The migration that moved the profiles' visibility flags into membership keeps what visitors saw."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("marketplace", "0005_contract_one_live_per_job")]
AFTER = [("marketplace", "0006_profile_privacy_to_membership")]
MEMBERSHIP = ("membership", "0002_accesslogentry_bylawsacceptance_bylawsversion_and_more")


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    # The state of the marketplace at the target, with membership's privacy settings beside it.
    return executor.loader.project_state([*target, MEMBERSHIP]).apps


@pytest.fixture
def back_to_latest() -> Any:
    """Leave the test database at the latest migrations, as every later test expects."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_flags_move_to_privacy_settings_and_the_stricter_choice_wins(back_to_latest: Any) -> None:
    apps = _migrate(BEFORE)
    User = apps.get_model("membership", "User")
    FreelancerProfile = apps.get_model("marketplace", "FreelancerProfile")
    ClientProfile = apps.get_model("marketplace", "ClientProfile")
    PrivacySettings = apps.get_model("membership", "PrivacySettings")

    def person(name: str) -> Any:
        return User.objects.create(email=f"{name}@example.org")

    public, private, hidden_rate, both, chose = (person(n) for n in ("public", "private", "rate", "both", "chose"))
    FreelancerProfile.objects.create(user=public, headline="h")
    FreelancerProfile.objects.create(user=private, headline="h", is_public=False)
    FreelancerProfile.objects.create(user=hidden_rate, headline="h", show_rate=False, show_location=False)
    # Public as a freelancer, private as a client: private.
    FreelancerProfile.objects.create(user=both, headline="h")
    ClientProfile.objects.create(user=both, is_public=False, show_reviews=False)
    # Had chosen "signed in" in membership already, and hides reviews in the marketplace.
    PrivacySettings.objects.create(user=chose, profile_audience="signed_in")
    FreelancerProfile.objects.create(user=chose, headline="h", show_reviews=False)

    apps = _migrate(AFTER)
    rows = {
        row["user_id"]: row
        for row in apps.get_model("membership", "PrivacySettings").objects.values(
            "user_id", "profile_audience", "show_hourly_rate", "show_location", "show_reviews"
        )
    }

    def of(user: Any) -> tuple[Any, ...]:
        row = rows[user.pk]
        return row["profile_audience"], row["show_hourly_rate"], row["show_location"], row["show_reviews"]

    assert of(public) == ("everyone", True, True, True)
    assert of(private) == ("nobody", True, True, True)
    assert of(hidden_rate) == ("everyone", False, False, True)
    assert of(both) == ("nobody", True, True, False)
    assert of(chose) == ("signed_in", True, True, False)
