"""API for data sovereignty: what is stored, privacy settings, data exports, deletion, the access log."""

from django.contrib.auth import logout
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.pagination import Pagination
from core.exceptions import ApplicationError, Conflict
from membership import selectors, services
from membership.api.serializers import DataExportOutput
from membership.exceptions import ErrorCode
from membership.models import DataExport, PrivacySettings
from membership.services.privacy import PRIVACY_FIELDS

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class CatalogueApi(APIView):
    """Every kind of personal data the platform stores, why, and what deleting an account does to it."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        key = serializers.CharField()
        label = serializers.CharField()
        purpose = serializers.CharField()
        on_deletion = serializers.ChoiceField(choices=["deleted", "kept", "pseudonymised"])
        keep_reason = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer(many=True)}, auth=[])
    def get(self, request: Request) -> Response:
        rows = [
            {
                "key": e.key,
                "label": str(e.label),
                "purpose": str(e.purpose),
                "on_deletion": e.describe_erasure(),
                "keep_reason": str(e.keep_reason),
            }
            for e in selectors.personal_data_catalogue()
        ]
        return Response(self.OutputSerializer(rows, many=True).data)


class PrivacySettingsApi(APIView):
    """What of the user's profile others may see; PUT replaces the settings."""

    class Serializer(serializers.Serializer):
        profile_audience = serializers.ChoiceField(choices=PrivacySettings.Audience.choices)
        show_hourly_rate = serializers.BooleanField()
        show_location = serializers.BooleanField()
        show_reviews = serializers.BooleanField()
        show_membership = serializers.BooleanField()
        show_name_in_register = serializers.BooleanField()

    @extend_schema(responses={200: Serializer})
    def get(self, request: Request) -> Response:
        return Response(self.Serializer(selectors.privacy_settings_for(request.user)).data)

    @extend_schema(request=Serializer, responses={200: Serializer, **ERRORS})
    def put(self, request: Request) -> Response:
        data = self.Serializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.privacy_settings_update(
            user=request.user, actor=request.user, **{k: data.validated_data[k] for k in PRIVACY_FIELDS}
        )
        return Response(self.Serializer(row).data)


def _export_data(request: Request, export: DataExport) -> dict:
    ready = export.status == DataExport.Status.READY
    url = reverse("membership:data_export_download", args=[export.pk]) if ready else None
    return {
        "id": export.pk,
        "status": export.status,
        "progress": export.progress,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "expires_at": export.expires_at,
        "download_url": request.build_absolute_uri(url) if url else None,
    }


class DataExportListApi(APIView):
    """The user's "download my data" archives; POST starts a new one (built in the background)."""

    pagination_class = Pagination

    @extend_schema(responses={200: DataExportOutput(many=True)})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.data_exports_for(request.user), request, view=self)
        return paginator.get_paginated_response(
            DataExportOutput([_export_data(request, e) for e in page], many=True).data
        )

    @extend_schema(request=None, responses={202: DataExportOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        export = services.data_export_request(user=request.user, actor=request.user)
        export.refresh_from_db()
        return Response(DataExportOutput(_export_data(request, export)).data, status=202)


class DataExportApi(APIView):
    """One of the user's archives: its progress, and the download link once it is ready."""

    @extend_schema(responses={200: DataExportOutput})
    def get(self, request: Request, export_id: int) -> Response:
        export = selectors.data_export_for_owner(request.user, export_id)
        if export is None:
            raise Conflict(_("There is no such data export."), code=ErrorCode.EXPORT_NOT_FOUND, status_code=404)
        return Response(DataExportOutput(_export_data(request, export)).data)


class AccountDeleteApi(APIView):
    """Delete the user's account: personal data erased or pseudonymised, the login stops working."""

    class InputSerializer(serializers.Serializer):
        password = serializers.CharField(trim_whitespace=False)

    @extend_schema(request=InputSerializer, responses={204: None, **ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.check_password(data.validated_data["password"]):
            raise ApplicationError(_("That password is not correct."), code=ErrorCode.BAD_PASSWORD)
        services.account_delete(user=request.user, actor=request.user)
        logout(request._request)
        return Response(status=204)


class AccessLogApi(APIView):
    """Who in the coop opened or exported the user's personal data, newest first."""

    pagination_class = Pagination

    class OutputSerializer(serializers.Serializer):
        created_at = serializers.DateTimeField()
        accessor = serializers.CharField(source="accessor.display_name", allow_null=True, default=None)
        action = serializers.CharField()
        context = serializers.CharField()
        context_label = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.access_log_for(request.user), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)
