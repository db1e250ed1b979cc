"""The election page offers the nomination form to active members only; others are told who may stand."""

from typing import Any

import pytest
from django.urls import reverse

from governance.services.elections import election_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_only_active_members_are_offered_the_nomination_form(client_for: Any, staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board", seats=2, method="stv-scottish", actor=staff)
    url = reverse("governance:election_detail", args=[election.pk])
    nominate = reverse("governance:election_nominate", args=[election.pk])

    member_page = client_for(members[0].user).get(url).content.decode()
    outsider_page = client_for(UserFactory()).get(url).content.decode()

    assert f'action="{nominate}"' in member_page
    assert f'action="{nominate}"' not in outsider_page
    assert "Active members can stand for election." in outsider_page
    assert reverse("membership:apply") in outsider_page
