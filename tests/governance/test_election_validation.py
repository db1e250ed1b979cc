"""Calling an election: the number of seats is bounded, refused with a clear message, nothing saved."""

from typing import Any

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent
from governance.forms import ElectionForm
from governance.models import Ballot, Election
from governance.services.elections import SEATS_MAX, election_create

pytestmark = pytest.mark.django_db

SEATS = "An election fills from 1 to 50 seats."


def rows() -> tuple[int, int, int]:
    return Election.objects.count(), Ballot.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("seats", [0, -1, SEATS_MAX + 1, 99_999_999_999, True, "3"])
def test_seats_out_of_range_are_refused_and_nothing_is_saved(staff: Any, seats: Any) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        election_create(title="Board", seats=seats, method="stv-scottish", actor=staff)

    assert (refused.value.code, refused.value.message, refused.value.detail) == (
        "invalid_seats",
        SEATS,
        {"field": "seats"},
    )
    assert rows() == before


@pytest.mark.parametrize("seats", [1, SEATS_MAX])
def test_seats_within_the_range_call_the_election(staff: Any, seats: int) -> None:
    election = election_create(title="Board", seats=seats, method="stv-meek", actor=staff)

    assert election.seats == seats


def test_election_form_refuses_too_many_seats() -> None:
    form = ElectionForm({"title": "Board", "seats": "99999999999", "method": "stv-scottish"})

    assert not form.is_valid()
    assert form.errors["seats"] == ["Ensure this value is less than or equal to 50."]


def test_election_page_refuses_the_qa_seats_and_saves_nothing(client_for: Any, staff: Any) -> None:
    before = rows()

    response = client_for(staff).post(
        reverse("governance:election_new"), {"title": "Board", "seats": "99999999999", "method": "stv-scottish"}
    )

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 50." in response.content.decode()
    assert rows() == before
