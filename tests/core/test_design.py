"""The house design's shared parts: the header's current menu item, the notification bell, the
account menu's privacy links, and the initials avatar."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Notification
from core.templatetags.coop_ui import colour_of, initials_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def current_items(body: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', body)


def test_posting_a_job_and_comparing_proposals_highlight_my_jobs_not_find_work(client_for) -> None:
    client = client_for(UserFactory(is_client=True))
    body = client.get(reverse("marketplace:job-create")).content.decode()
    assert current_items(body) == [reverse("marketplace:my-jobs")]
    body = client.get(reverse("marketplace:job-list")).content.decode()
    assert current_items(body) == [reverse("marketplace:job-list")]


def test_the_bell_counts_unread_in_app_notices(client_for) -> None:
    user = UserFactory()
    for _ in range(3):
        Notification.objects.create(user=user, kind="x", in_app=True)
    Notification.objects.create(user=user, kind="x", in_app=False)
    client = client_for(user)
    body = client.get(reverse("notification-settings")).content.decode()
    assert '<span class="bell-count" aria-hidden="true">3</span>' in body
    assert "Notifications: 3 unread" in body


def test_the_account_menu_reaches_privacy_and_my_data(client_for) -> None:
    body = client_for(UserFactory()).get(reverse("dashboard")).content.decode()
    menu = body[body.index('id="menu-account"') :]
    assert reverse("membership:privacy") in menu
    assert reverse("membership:data_exports") in menu


def test_signed_out_pages_have_no_bell(client: Client) -> None:
    assert "bell-count" not in client.get("/").content.decode()


def test_initials_and_colour_follow_the_name() -> None:
    assert initials_of("Jan de Vries") == "JV"
    assert initials_of("kim") == "K"
    assert initials_of("") == "?"
    assert colour_of("Jan de Vries") == colour_of("Jan de Vries")
    assert {colour_of(n) for n in ("Ada", "Bram", "Kim", "Jan", "Hugo", "Gemma")} != {colour_of("Ada")}


def test_a_fixed_part_is_rendered_once_per_language_and_never_from_the_page() -> None:
    from django.template import Context, Template
    from django.utils import translation

    page = Template(
        '{% load i18n coop_ui %}{% fixed %}{% translate "Log in" %} {{ secret }}|{% url "home" %}{% endfixed %}'
    )
    with translation.override("en"):
        assert page.render(Context({"secret": "s3cret"})) == "Log in |/"
    with translation.override("nl"):
        assert page.render(Context({"secret": "s3cret"})) == "Inloggen |/"
    with translation.override("en"):
        assert page.render(Context({})) == "Log in |/"
