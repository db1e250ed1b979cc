"""Membership pages: the allowed case, the forbidden case, exact messages for bad input, query budgets."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from membership.models import AccessLogEntry, BylawsVersion, DataExport, Member, PrivacySettings
from membership.services import data_export_request
from membership.tasks import build_data_export
from tests.factories import MemberFactory, UserFactory
from tests.membership.conftest import pay_share

pytestmark = pytest.mark.django_db


def errors(response: Any) -> list[str]:
    form = response.context["form"]
    return [str(e) for field_errors in form.errors.values() for e in field_errors]


def test_membership_page_needs_login(client: Client) -> None:
    response = client.get(reverse("membership:home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_apply_records_the_application_and_shows_the_payment_reference(
    client_for: Any, bylaws: BylawsVersion, worker_class: Any
) -> None:
    user = UserFactory()
    c = client_for(user)
    assert c.get(reverse("membership:apply")).status_code == 200
    response = c.post(
        reverse("membership:apply"),
        {
            "member_class": worker_class.pk,
            "motivation": "I work here",
            "bylaws_version": bylaws.pk,
            "accept_bylaws": "on",
        },
        follow=True,
    )
    member = Member.objects.get(user=user)
    assert member.bylaws_acceptance.bylaws_version == bylaws
    assert member.share_payment_reference in response.content.decode()


def test_apply_without_accepting_the_bylaws_shows_why(
    client_for: Any, bylaws: BylawsVersion, worker_class: Any
) -> None:
    c = client_for(UserFactory())
    response = c.post(
        reverse("membership:apply"), {"member_class": worker_class.pk, "motivation": "", "bylaws_version": bylaws.pk}
    )
    assert response.status_code == 200
    assert sorted(errors(response)) == sorted(
        ["Tell the members why you want to join.", "You need to accept the bylaws to become a member."]
    )
    assert not Member.objects.exists()


def test_apply_with_an_outdated_bylaws_version_is_refused(
    client_for: Any, bylaws: BylawsVersion, worker_class: Any
) -> None:
    from django.utils import timezone

    BylawsVersion.objects.create(version="2026.2", text="New", effective_on=timezone.localdate())
    c = client_for(UserFactory())
    response = c.post(
        reverse("membership:apply"),
        {"member_class": worker_class.pk, "motivation": "x", "bylaws_version": bylaws.pk, "accept_bylaws": "on"},
    )
    assert errors(response) == [
        "The bylaws have changed since you opened the form. Please read and accept the current version."
    ]


def test_apply_needs_a_verified_email(client_for: Any, bylaws: BylawsVersion) -> None:
    response = client_for(UserFactory(verified=False)).get(reverse("membership:apply"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")


def test_register_lists_members_in_a_fixed_number_of_queries(
    client_for: Any, django_assert_num_queries: Any, worker_class: Any
) -> None:
    viewer = MemberFactory(member_class=worker_class)
    hidden = MemberFactory(member_class=worker_class)
    PrivacySettings.objects.create(user=hidden.user, show_name_in_register=False)
    c = client_for(viewer.user)
    c.get(reverse("membership:register"))
    # The page's permission check works out the roles the menu shows too: one query for both.
    with django_assert_num_queries(5) as few:  # with the header's notification count
        response = c.get(reverse("membership:register"))
    MemberFactory.create_batch(5, member_class=worker_class)
    with django_assert_num_queries(len(few.captured_queries)):
        c.get(reverse("membership:register"))
    content = response.content.decode()
    assert viewer.user.display_name in content
    assert hidden.user.display_name not in content
    assert "Name not shown" in content


def test_register_is_closed_to_non_members(client_for: Any) -> None:
    assert client_for(UserFactory()).get(reverse("membership:register")).status_code == 403


def test_capital_account_lists_every_movement(client_for: Any, admitted: Member) -> None:
    response = client_for(admitted.user).get(reverse("membership:capital"))
    assert response.status_code == 200
    statement = response.context["statement"]
    assert (statement.shares_cents, len(statement.movements)) == (10000, 1)


def test_capital_account_stays_open_to_former_members(client_for: Any, admitted: Member, finance: Any) -> None:
    from membership.services import member_exit

    member_exit(member_id=admitted.pk, actor=finance)
    response = client_for(admitted.user).get(reverse("membership:capital"))
    assert response.status_code == 200
    assert [m.kind for m in response.context["statement"].movements] == ["share_purchase", "share_redeem"]


def test_capital_account_says_each_movement_in_the_readers_language(
    client_for: Any, admitted: Member, finance: Any
) -> None:
    from membership.services import member_exit

    member_exit(member_id=admitted.pk, actor=finance)
    http = client_for(admitted.user)
    english = http.get(reverse("membership:capital")).content.decode()
    http.cookies["django_language"] = "nl"
    dutch = http.get(reverse("membership:capital")).content.decode()

    assert "You paid for your shares" in english and "Your shares were paid back to you" in english
    assert "Je hebt je aandelen betaald" in dutch and "Je aandelen zijn aan je terugbetaald" in dutch
    assert f"member {admitted.pk}" not in english, "no stored ledger note naming the member by number"


def test_capital_account_is_refused_to_people_who_never_applied(client_for: Any) -> None:
    assert client_for(UserFactory()).get(reverse("membership:capital")).status_code == 403


def test_resigning_without_confirming_is_refused_with_a_message(client_for: Any, admitted: Member) -> None:
    response = client_for(admitted.user).post(reverse("membership:resign"), {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Tick the box to confirm."]
    admitted.refresh_from_db()
    assert admitted.exit_effective_on is None


def test_board_admits_from_the_applications_page(client_for: Any, applicant: Member, finance: Any) -> None:
    pay_share(applicant, finance)
    c = client_for(finance)
    assert c.get(reverse("membership:staff_applications")).status_code == 200
    response = c.post(reverse("membership:staff_member_action", args=[applicant.pk, "admit"]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Admitted as member 1."]


def test_admitting_an_unpaid_applicant_shows_the_reason(client_for: Any, applicant: Member, finance: Any) -> None:
    response = client_for(finance).post(
        reverse("membership:staff_member_action", args=[applicant.pk, "admit"]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["The applicant has not paid for their share yet."]


def test_applications_page_is_staff_only(client_for: Any, applicant: Member) -> None:
    assert client_for(applicant.user).get(reverse("membership:staff_applications")).status_code == 403
    response = client_for(applicant.user).post(reverse("membership:staff_member_action", args=[applicant.pk, "admit"]))
    assert response.status_code == 403


def test_applications_page_runs_a_fixed_number_of_queries(
    client_for: Any, django_assert_num_queries: Any, applicant: Member, finance: Any, bylaws: BylawsVersion
) -> None:
    from membership.services import member_apply

    c = client_for(finance)
    c.get(reverse("membership:staff_applications"))
    with django_assert_num_queries(7) as few:  # with the header's notification count and the page's count
        c.get(reverse("membership:staff_applications"))
    for user in UserFactory.create_batch(3):
        member_apply(user=user, member_class=applicant.member_class, bylaws_version=bylaws, actor=user)
    with django_assert_num_queries(len(few.captured_queries)):
        c.get(reverse("membership:staff_applications"))


def test_staff_opening_a_member_record_is_logged_and_the_member_sees_it(
    client_for: Any, admitted: Member, finance: Any
) -> None:
    assert client_for(finance).get(reverse("membership:staff_member", args=[admitted.pk])).status_code == 200
    entry = AccessLogEntry.objects.get(subject=admitted.user)
    assert (entry.accessor, entry.action, entry.context) == (finance, "viewed", "staff:member_record")
    page = client_for(admitted.user).get(reverse("membership:access_log")).content.decode()
    assert "Femke Finance" in page
    assert "Your member record, on the board&#x27;s pages" in page


def test_staff_opening_a_user_in_the_admin_is_logged(client_for: Any, admitted: Member, finance: Any) -> None:
    client_for(finance).get(reverse("admin:membership_user_change", args=[admitted.user_id]))
    client_for(finance).get(reverse("admin:membership_member_change", args=[admitted.pk]))
    contexts = sorted(AccessLogEntry.objects.filter(subject=admitted.user).values_list("context", flat=True))
    assert contexts == ["admin:membership.member", "admin:membership.user"]


def test_member_record_page_is_staff_only(client_for: Any, admitted: Member) -> None:
    other = MemberFactory()
    assert client_for(other.user).get(reverse("membership:staff_member", args=[admitted.pk])).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_legal_register_export_lists_every_admitted_member_and_logs_the_export(
    client_for: Any, admitted: Member, finance: Any
) -> None:
    response = client_for(finance).get(reverse("membership:staff_register_export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["member_number"], r["email"], r["bylaws_version"], r["status"]) for r in rows] == [
        ("1", admitted.user.email, "2025.1", "active")
    ]
    assert AccessLogEntry.objects.filter(subject=admitted.user, action="exported").count() == 1


def test_legal_register_export_is_staff_only(client_for: Any, admitted: Member) -> None:
    assert client_for(admitted.user).get(reverse("membership:staff_register_export")).status_code == 403


def test_privacy_page_lists_every_registered_kind_of_data(client: Client) -> None:
    response = client.get(reverse("membership:privacy"))
    assert response.status_code == 200
    assert "Which version of the bylaws you accepted, and when." in response.content.decode()


def test_privacy_settings_are_saved(client_for: Any) -> None:
    user = UserFactory()
    c = client_for(user)
    data = {"profile_audience": "everyone", "show_location": "on", "show_membership": "on"}
    c.post(reverse("membership:privacy_settings"), data)
    row = PrivacySettings.objects.get(user=user)
    assert (row.profile_audience, row.show_location, row.show_hourly_rate) == ("everyone", True, False)


def test_privacy_settings_refuse_an_unknown_audience(client_for: Any) -> None:
    response = client_for(UserFactory()).post(reverse("membership:privacy_settings"), {"profile_audience": "aliens"})
    assert errors(response) == ["Select a valid choice. aliens is not one of the available choices."]


def test_download_my_data_builds_an_archive_the_owner_can_download(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory()
    c = client_for(user)
    with django_capture_on_commit_callbacks() as queued:
        c.post(reverse("membership:data_exports"))
    assert len(queued) == 1
    export = DataExport.objects.get(user=user)
    build_data_export(export.pk)
    status = c.get(reverse("membership:data_export_status", args=[export.pk])).content.decode()
    assert reverse("membership:data_export_download", args=[export.pk]) in status
    assert "hx-get" not in status
    response = c.get(reverse("membership:data_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_running_export_polls_its_status(client_for: Any) -> None:
    user = UserFactory()
    export = data_export_request(user=user, actor=user)
    status = client_for(user).get(reverse("membership:data_export_status", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in status
    assert "<progress" in status


def test_nobody_else_can_see_or_download_an_export(client_for: Any) -> None:
    owner = UserFactory()
    export = data_export_request(user=owner, actor=owner)
    build_data_export(export.pk)
    snoop = client_for(UserFactory(is_staff=True, is_superuser=True))
    assert snoop.get(reverse("membership:data_export_download", args=[export.pk])).status_code == 404
    assert snoop.get(reverse("membership:data_export_status", args=[export.pk])).status_code == 404


def test_an_expired_export_cannot_be_downloaded(client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.utils import timezone

    from membership.tasks import expire_data_exports

    owner = UserFactory()
    export = data_export_request(user=owner, actor=owner)
    build_data_export(export.pk)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert client_for(owner).get(reverse("membership:data_export_download", args=[export.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_data_exports() == 1
    export.refresh_from_db()
    assert (export.status, export.file.name) == ("expired", "")


def test_a_second_export_while_one_runs_is_refused(client_for: Any) -> None:
    user = UserFactory()
    data_export_request(user=user, actor=user)
    response = client_for(user).post(reverse("membership:data_exports"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Your data is already being collected. Wait until it is ready."
    ]


def test_account_deletion_with_a_wrong_password_is_refused(client_for: Any) -> None:
    user = UserFactory()
    response = client_for(user).post(reverse("membership:account_delete"), {"password": "nope", "confirm": "on"})
    assert errors(response) == ["That password is not correct."]
    user.refresh_from_db()
    assert user.is_active


def test_account_deletion_is_refused_while_the_membership_runs(client_for: Any, admitted: Member) -> None:
    response = client_for(admitted.user).post(
        reverse("membership:account_delete"), {"password": "correct-horse-battery", "confirm": "on"}
    )
    assert errors(response) == [
        "You are still a member of the coop. Resign first; once your membership has ended you can delete your account."
    ]


def test_account_deletion_logs_out_and_the_login_stops_working(client_for: Any) -> None:
    user = UserFactory()
    c = client_for(user)
    response = c.post(reverse("membership:account_delete"), {"password": "correct-horse-battery", "confirm": "on"})
    assert response.status_code == 302
    assert c.get(reverse("membership:home")).status_code == 302
    assert not Client().login(email=user.email, password="correct-horse-battery")


def test_access_log_page_runs_a_fixed_number_of_queries(
    client_for: Any, django_assert_num_queries: Any, admitted: Member, finance: Any
) -> None:
    c = client_for(admitted.user)
    AccessLogEntry.objects.create(subject=admitted.user, accessor=finance, action="viewed", context="x")
    c.get(reverse("membership:access_log"))
    with django_assert_num_queries(6) as few:  # with the header's notification count and the page's count
        c.get(reverse("membership:access_log"))
    for staff in UserFactory.create_batch(3, is_staff=True):
        AccessLogEntry.objects.create(subject=admitted.user, accessor=staff, action="viewed", context="x")
    with django_assert_num_queries(len(few.captured_queries)):
        c.get(reverse("membership:access_log"))
