from django.urls import path

from membership.api import members, privacy

urlpatterns = [
    path("membership/classes/", members.MemberClassListApi.as_view(), name="api-membership-classes"),
    path("membership/bylaws/", members.BylawsCurrentApi.as_view(), name="api-membership-bylaws"),
    path("membership/me/", members.MyMembershipApi.as_view(), name="api-membership-me"),
    path("membership/apply/", members.ApplyApi.as_view(), name="api-membership-apply"),
    path(
        "membership/application/withdraw/",
        members.ApplicationWithdrawApi.as_view(),
        name="api-membership-application-withdraw",
    ),
    path("membership/resign/", members.ResignApi.as_view(), name="api-membership-resign"),
    path(
        "membership/resign/withdraw/",
        members.ResignationWithdrawApi.as_view(),
        name="api-membership-resignation-withdraw",
    ),
    path("membership/register/", members.RegisterApi.as_view(), name="api-membership-register"),
    path("membership/capital/", members.CapitalApi.as_view(), name="api-membership-capital"),
    path("membership/applications/", members.ApplicationListApi.as_view(), name="api-membership-applications"),
    path("membership/members/<id:member_id>/", members.MemberRecordApi.as_view(), name="api-membership-member"),
    path("membership/members/<id:member_id>/admit/", members.AdmitApi.as_view(), name="api-membership-admit"),
    path(
        "membership/members/<id:member_id>/propose-admission/",
        members.ProposeAdmissionApi.as_view(),
        name="api-membership-propose-admission",
    ),
    path("membership/members/<id:member_id>/reject/", members.RejectApi.as_view(), name="api-membership-reject"),
    path("membership/members/<id:member_id>/suspend/", members.SuspendApi.as_view(), name="api-membership-suspend"),
    path(
        "membership/members/<id:member_id>/reinstate/", members.ReinstateApi.as_view(), name="api-membership-reinstate"
    ),
    path(
        "membership/members/<id:member_id>/propose-expulsion/",
        members.ProposeExpulsionApi.as_view(),
        name="api-membership-propose-expulsion",
    ),
    path("privacy/catalogue/", privacy.CatalogueApi.as_view(), name="api-privacy-catalogue"),
    path("privacy/settings/", privacy.PrivacySettingsApi.as_view(), name="api-privacy-settings"),
    path("privacy/exports/", privacy.DataExportListApi.as_view(), name="api-privacy-exports"),
    path("privacy/exports/<id:export_id>/", privacy.DataExportApi.as_view(), name="api-privacy-export"),
    path("privacy/delete-account/", privacy.AccountDeleteApi.as_view(), name="api-privacy-delete-account"),
    path("privacy/access-log/", privacy.AccessLogApi.as_view(), name="api-privacy-access-log"),
]
