import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AppendOnlyError, AuditEvent
from core.services import audit_log
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_coop_name_and_member_count(client: Client) -> None:
    MemberFactory.create_batch(3)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert settings.COOP_NAME in body
    assert re.search(r'class="big-number">3<', body)


def test_home_runs_a_fixed_number_of_queries_whatever_the_data_size(
    client: Client, django_assert_max_num_queries
) -> None:
    from marketplace.services.jobs import job_create

    owner = UserFactory(is_client=True)
    for i in range(3):
        job_create(
            client=owner, title=f"Job {i}", description="d", budget_min_cents=100, budget_max_cents=200, publish=True
        )
    with django_assert_max_num_queries(12) as small:
        client.get("/")
    for i in range(3, 30):
        job_create(
            client=owner, title=f"Job {i}", description="d", budget_min_cents=100, budget_max_cents=200, publish=True
        )
    with django_assert_max_num_queries(12) as large:
        client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_dashboard_needs_login(client: Client) -> None:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_a_panel_for_each_role(client_for) -> None:
    member = MemberFactory(user=UserFactory(is_freelancer=True, is_client=True))
    body = client_for(member.user).get(reverse("dashboard")).content.decode()
    assert "Your freelance work" in body
    assert "Your jobs" in body
    assert "Membership" in body and str(member.member_number) in body
    assert "Administration" not in body


def test_dashboard_tells_an_unverified_user_to_confirm_their_email(client_for) -> None:
    user = UserFactory(verified=False)
    body = client_for(user).get(reverse("dashboard")).content.decode()
    assert "Please confirm your email address" in body


def test_admin_role_and_navigation_only_for_staff(client_for) -> None:
    plain = client_for(UserFactory()).get(reverse("dashboard")).content.decode()
    staff = client_for(UserFactory(is_staff=True)).get(reverse("dashboard")).content.decode()
    assert 'href="/admin/"' not in plain
    assert 'href="/admin/"' in staff


def test_unknown_page_gets_the_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_switching_to_dutch_shows_dutch_pages(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="nl">' in body
    assert "Nieuwste open opdrachten" in body
    assert "Direct naar de inhoud" in body


def test_every_page_has_a_skip_link_a_main_landmark_and_one_h1(client: Client) -> None:
    for url in ["/", reverse("account_login"), reverse("account_signup"), "/missing/"]:
        body = client.get(url).content.decode()
        assert 'href="#main"' in body, url
        assert 'id="main"' in body, url
        assert body.count("<h1") == 1, url


def test_security_headers_forbid_inline_scripts_and_framing(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_or_stylesheet_loads_anything_from_another_host() -> None:
    base = Path(settings.BASE_DIR)
    pattern = re.compile(r"""(src|href)\s*=\s*["']\s*(https?:)?//""", re.I)
    offenders = []
    for folder in ("templates", "static"):
        for path in (base / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js"} and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(base)))
    assert offenders == []


def test_healthz_reports_database_and_broker(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    assert data["broker"] == ("ok" if settings.CELERY_BROKER_URL else "in-process")


def test_audit_events_cannot_be_changed_or_deleted() -> None:
    user = UserFactory()
    event = audit_log(actor=user, action="test.done", target=user, subject=user, data={"x": 1})
    assert AuditEvent.objects.get(pk=event.pk).target_id == str(user.pk)
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_navigation_groups_cooperative_and_staff_entries_into_menus(client: Client, client_for) -> None:
    member = MemberFactory(user=UserFactory(is_freelancer=True))
    member_page = client_for(member.user).get(reverse("dashboard")).content.decode()
    staff_page = client_for(UserFactory(is_staff=True)).get(reverse("dashboard")).content.decode()
    anonymous = client.get("/").content.decode()

    assert '<summary class="menu-button">Cooperative</summary>' in member_page
    assert '<summary class="menu-button">Administration</summary>' not in member_page
    assert '<summary class="menu-button">Administration</summary>' in staff_page
    assert 'href="/admin/"' in staff_page.split('<summary class="menu-button">Administration</summary>')[1]
    footer = anonymous.split('class="site-footer"')[1]
    assert 'href="/api/docs/"' in footer
    assert 'href="/api/docs/"' not in anonymous.split('class="site-footer"')[0]


def test_every_role_the_database_decides_is_read_in_one_query(django_assert_num_queries: Any) -> None:
    from core.dashboard import roles_for
    from marketplace.models import Mediator

    member = MemberFactory()
    Mediator.objects.create(user=member.user, appointed_at=timezone.now(), source=Mediator.Source.BOARD)
    outsider = UserFactory()
    # Member and mediator both need the database; flags on the user (admin, freelancer) do not.
    with django_assert_num_queries(1):
        assert {"member", "mediator"} <= roles_for(member.user)
    with django_assert_num_queries(0):
        roles_for(member.user)
    with django_assert_num_queries(1):
        assert not {"member", "mediator"} & roles_for(outsider)


def test_opening_a_form_address_directly_shows_a_page_not_a_blank_405(client_for: Any) -> None:
    user = UserFactory()
    response = client_for(user).get("/money/earnings/payout-account/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.content.decode()
    assert body.count("<h1") == 1 and "This page sends a form" in body
    assert client_for(user).get("/api/money/withdrawals/request/").json()["code"] == "method_not_allowed"


def test_the_policy_built_once_is_django_csps_own_and_a_page_with_its_own_policy_keeps_it(client: Client) -> None:
    from csp.utils import build_policy
    from django.test import override_settings

    assert client.get("/").headers["Content-Security-Policy"] == build_policy()
    assert client.get("/api/jobs/").headers["Content-Security-Policy"] == build_policy()
    # The API docs widen style-src with django-csp's decorator: that response goes through django-csp.
    docs = client.get("/api/docs/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" in docs and docs != build_policy()
    # A changed setting is followed, the report-only header too.
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        response = client.get("/")
        assert response.headers["Content-Security-Policy"] == "default-src 'none'"
        assert response.headers["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    assert client.get("/").headers["Content-Security-Policy"] == build_policy()
