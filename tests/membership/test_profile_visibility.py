"""What of a profile a viewer may see, as the marketplace profile page asks it."""

import pytest

from membership.models import PrivacySettings
from membership.selectors import profile_visibility
from membership.services import account_delete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_defaults_show_the_profile_to_signed_in_people_only() -> None:
    owner = UserFactory()
    assert profile_visibility(owner, None).profile is False
    seen = profile_visibility(owner, UserFactory())
    assert (seen.profile, seen.hourly_rate, seen.location) == (True, True, True)


def test_a_public_profile_can_hide_the_rate_and_location() -> None:
    owner = UserFactory()
    PrivacySettings.objects.create(user=owner, profile_audience="everyone", show_hourly_rate=False, show_location=False)
    seen = profile_visibility(owner, None)
    assert (seen.profile, seen.hourly_rate, seen.location, seen.reviews) == (True, False, False, True)


def test_a_hidden_profile_shows_only_to_the_people_one_works_with_the_owner_and_the_board() -> None:
    owner = UserFactory()
    PrivacySettings.objects.create(user=owner, profile_audience="nobody")
    assert profile_visibility(owner, UserFactory()).profile is False
    assert profile_visibility(owner, UserFactory(), works_with=True).profile is True
    assert profile_visibility(owner, owner).location is True
    assert profile_visibility(owner, UserFactory(is_staff=True, staff_roles=["board"])).profile is True
    assert profile_visibility(owner, UserFactory(is_staff=True, staff_roles=["finance"])).profile is False


def test_a_deleted_account_shows_nothing() -> None:
    owner = UserFactory()
    account_delete(user=owner, actor=owner)
    owner.refresh_from_db()
    assert profile_visibility(owner, UserFactory(is_staff=True)).profile is False
