"""API for applying, membership, the register, capital accounts and the board's decisions."""

from collections.abc import Callable

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import CountField
from core.api.pagination import Pagination
from core.exceptions import ApplicationError, Conflict
from core.permissions import HasVerifiedEmail, api_permission, authorize
from membership import selectors, services
from membership.api.serializers import MemberClassOutput, MemberOutput, MemberRecordOutput, ReasonInput
from membership.exceptions import ErrorCode
from membership.models import AccessLogEntry, BylawsVersion, Member, MemberClass

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class MemberClassListApi(APIView):
    """The member classes open for applications, with their share terms and vote."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: MemberClassOutput(many=True)}, auth=[])
    def get(self, request: Request) -> Response:
        return Response(MemberClassOutput(selectors.member_classes_open(), many=True).data)


class BylawsCurrentApi(APIView):
    """The bylaws in force: the version an application must accept."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        version = serializers.CharField()
        effective_on = serializers.DateField()
        text = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer, 404: ErrorSerializer}, auth=[])
    def get(self, request: Request) -> Response:
        bylaws = selectors.bylaws_current()
        if bylaws is None:
            raise Conflict(_("The coop has not published its bylaws yet."), code=ErrorCode.NO_BYLAWS, status_code=404)
        return Response(self.OutputSerializer(bylaws).data)


class MyMembershipApi(APIView):
    """The signed-in user's member record (404 when they never applied)."""

    @extend_schema(responses={200: MemberOutput, 404: ErrorSerializer})
    def get(self, request: Request) -> Response:
        member = selectors.member_for_user(request.user)
        if member is None:
            raise Conflict(
                _("You are not a member and have not applied."), code=ErrorCode.NOT_A_MEMBER, status_code=404
            )
        return Response(MemberOutput(member).data)


class ApplyApi(APIView):
    """Apply for membership: a class, a motivation and acceptance of the current bylaws version."""

    permission_classes = [HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        member_class = serializers.SlugField()
        motivation = serializers.CharField(max_length=4000)
        bylaws_version = CountField()
        accept_bylaws = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={201: MemberOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values["accept_bylaws"]:
            raise ApplicationError(
                _("You need to accept the bylaws to become a member."), code=ErrorCode.BYLAWS_NOT_ACCEPTED
            )
        member_class = MemberClass.objects.filter(slug=values["member_class"], open_for_applications=True).first()
        if member_class is None:
            raise ApplicationError(_("Choose a member class."), code=ErrorCode.MEMBER_CLASS_UNKNOWN)
        version = BylawsVersion.objects.filter(pk=values["bylaws_version"]).first()
        if version is None:
            raise Conflict(
                _("The bylaws have changed since you opened the form. Please read and accept the current version."),
                code=ErrorCode.BYLAWS_OUTDATED,
            )
        member = services.member_apply(
            user=request.user,
            member_class=member_class,
            motivation=values["motivation"],
            bylaws_version=version,
            actor=request.user,
        )
        return Response(MemberOutput(member).data, status=201)


class ApplicationWithdrawApi(APIView):
    """Withdraw one's own open application; a paid share is paid back."""

    @extend_schema(request=None, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        return Response(MemberOutput(services.member_application_withdraw(user=request.user, actor=request.user)).data)


class ResignApi(APIView):
    """Resign: the membership ends after the policy's notice period, and the shares are redeemed."""

    @extend_schema(request=None, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        return Response(MemberOutput(services.member_resign(user=request.user, actor=request.user)).data)


class ResignationWithdrawApi(APIView):
    """Take a resignation back before it takes effect."""

    @extend_schema(request=None, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        member = services.member_resignation_withdraw(user=request.user, actor=request.user)
        return Response(MemberOutput(member).data)


class RegisterApi(APIView):
    """The member register, as members see it: number, name (unless hidden), class, member since."""

    pagination_class = Pagination

    class OutputSerializer(serializers.Serializer):
        member_id = serializers.IntegerField()
        number = serializers.IntegerField()
        name = serializers.CharField(allow_null=True)
        member_class = serializers.CharField()
        since = serializers.DateTimeField(allow_null=True)

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        authorize(request.user, "register.view")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.member_register_rows(request.user), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class CapitalApi(APIView):
    """The user's internal capital account: paid-in shares, retained surplus and every movement."""

    class MovementSerializer(serializers.Serializer):
        at = serializers.DateTimeField()
        kind = serializers.CharField()
        memo = serializers.CharField()
        account = serializers.CharField()
        amount_cents = serializers.IntegerField()
        balance_cents = serializers.IntegerField()
        currency = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        # Always true since the ledger is always there; kept so that existing clients keep working.
        available = serializers.BooleanField()
        currency = serializers.CharField()
        shares_cents = serializers.IntegerField()
        retained_cents = serializers.IntegerField()
        movements = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses={200: OutputSerializer, 404: ErrorSerializer})
    def get(self, request: Request) -> Response:
        member = selectors.member_for_user(request.user)
        if member is None:
            raise Conflict(
                _("You are not a member and have not applied."), code=ErrorCode.NOT_A_MEMBER, status_code=404
            )
        statement = selectors.capital_statement(member)
        return Response(
            {
                "available": True,
                "currency": statement.currency,
                "shares_cents": statement.shares_cents,
                "retained_cents": statement.retained_cents,
                "movements": self.MovementSerializer(statement.movements, many=True).data,
            }
        )


class ApplicationListApi(APIView):
    """Open applications, for the board."""

    permission_classes = [api_permission("member.view")]
    pagination_class = Pagination

    @extend_schema(responses={200: MemberRecordOutput(many=True)})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        rows = selectors.applications_open().prefetch_related("status_changes")
        page = paginator.paginate_queryset(rows, request, view=self)
        services.access_log_record(
            accessor=request.user,
            subject_ids=[m.user_id for m in page],
            action=AccessLogEntry.Action.VIEWED,
            context="api:applications",
        )
        return paginator.get_paginated_response(MemberRecordOutput(page, many=True).data)


class MemberRecordApi(APIView):
    """One member's full record, for the board. Reading it is written to the member's access log."""

    permission_classes = [api_permission("member.view")]

    @extend_schema(responses={200: MemberRecordOutput})
    def get(self, request: Request, member_id: int) -> Response:
        member = selectors.member_record(member_id)
        if member is None:
            raise Conflict(_("There is no such member record."), code=ErrorCode.MEMBER_NOT_FOUND, status_code=404)
        services.access_log_record(
            accessor=request.user,
            subject_ids=[member.user_id],
            action=AccessLogEntry.Action.VIEWED,
            context="api:member",
        )
        return Response(MemberRecordOutput(member).data)


class _BoardActionApi(APIView):
    """A board action on one member record: the service to call, and whether it takes a reason."""

    permission_classes = [api_permission("member.view")]
    service: Callable[..., Member]
    needs_reason = False

    def post(self, request: Request, member_id: int) -> Response:
        get_object_or_404(Member, pk=member_id)
        extra = {}
        if self.needs_reason:
            data = ReasonInput(data=request.data)
            data.is_valid(raise_exception=True)
            extra["reason"] = data.validated_data["reason"]
        member = type(self).service(member_id=member_id, actor=request.user, **extra)
        return Response(MemberOutput(member).data)


class AdmitApi(_BoardActionApi):
    """Admit an applicant (board admission policy): the next member number and the class's shares."""

    service = staticmethod(services.member_admit)

    @extend_schema(request=None, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request, member_id: int) -> Response:
        return super().post(request, member_id)


class ProposeAdmissionApi(_BoardActionApi):
    """Put an application to the members' vote (vote admission policy)."""

    service = staticmethod(services.member_admission_propose)

    @extend_schema(request=None, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request, member_id: int) -> Response:
        return super().post(request, member_id)


class RejectApi(_BoardActionApi):
    """Turn an application down, with a reason; a paid share is paid back."""

    service = staticmethod(services.member_application_reject)
    needs_reason = True

    @extend_schema(request=ReasonInput, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request, member_id: int) -> Response:
        return super().post(request, member_id)


class SuspendApi(_BoardActionApi):
    """Suspend an active member, with a reason."""

    service = staticmethod(services.member_suspend)
    needs_reason = True

    @extend_schema(request=ReasonInput, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request, member_id: int) -> Response:
        return super().post(request, member_id)


class ReinstateApi(_BoardActionApi):
    """Reinstate a suspended member."""

    service = staticmethod(services.member_reinstate)

    @extend_schema(request=None, responses={200: MemberOutput, **ERRORS})
    def post(self, request: Request, member_id: int) -> Response:
        return super().post(request, member_id)


class ProposeExpulsionApi(APIView):
    """Propose to the members that a member be expelled; expulsion is a members' decision."""

    permission_classes = [api_permission("member.view")]

    class OutputSerializer(serializers.Serializer):
        proposal_id = serializers.IntegerField()

    @extend_schema(request=ReasonInput, responses={201: OutputSerializer, **ERRORS})
    def post(self, request: Request, member_id: int) -> Response:
        get_object_or_404(Member, pk=member_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        proposal_id = services.member_expulsion_propose(
            member_id=member_id, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response({"proposal_id": proposal_id}, status=201)
