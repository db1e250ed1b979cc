from django.urls import path

from core.api import notifications, views

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("auth/token/", views.TokenObtainApi.as_view(), name="api-token"),
    path("auth/tokens/", views.TokenListApi.as_view(), name="api-tokens"),
    path("auth/tokens/<id:token_id>/revoke/", views.TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("notifications/", notifications.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read/", notifications.NotificationsReadApi.as_view(), name="api-notifications-read"),
    path("notifications/settings/", notifications.NotificationSettingsApi.as_view(), name="api-notification-settings"),
    path(
        "notifications/settings/save/",
        notifications.NotificationSettingsSaveApi.as_view(),
        name="api-notification-settings-save",
    ),
]
