from django.urls import path

from membership.views import members, privacy, staff

app_name = "membership"

urlpatterns = [
    path("membership/", members.membership_home, name="home"),
    path("membership/apply/", members.apply, name="apply"),
    path("membership/bylaws/", members.bylaws, name="bylaws"),
    path("membership/application/withdraw/", members.application_withdraw, name="application_withdraw"),
    path("membership/resign/", members.resign, name="resign"),
    path("membership/resign/withdraw/", members.resignation_withdraw, name="resignation_withdraw"),
    path("membership/register/", members.register, name="register"),
    path("membership/capital/", members.capital, name="capital"),
    path("membership/staff/applications/", staff.applications, name="staff_applications"),
    path("membership/staff/members/<int:member_id>/", staff.member_record, name="staff_member"),
    path("membership/staff/members/<int:member_id>/<slug:action>/", staff.member_action, name="staff_member_action"),
    path("membership/staff/register.csv", staff.register_export, name="staff_register_export"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("privacy/settings/", privacy.privacy_settings, name="privacy_settings"),
    path("privacy/my-data/", privacy.data_exports, name="data_exports"),
    path("privacy/my-data/<int:export_id>/status/", privacy.data_export_status, name="data_export_status"),
    path("privacy/my-data/<int:export_id>/download/", privacy.data_export_download, name="data_export_download"),
    path("privacy/delete-account/", privacy.account_delete, name="account_delete"),
    path("privacy/access-log/", privacy.access_log, name="access_log"),
]
