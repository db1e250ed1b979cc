from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from core.permissions import signed_in_user


def test_signed_in_user_returns_the_user_of_the_request(user: Any) -> None:
    request = RequestFactory().get("/")
    request.user = user
    assert signed_in_user(request) == user


def test_signed_in_user_refuses_an_anonymous_request() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        signed_in_user(request)
