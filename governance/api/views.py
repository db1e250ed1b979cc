"""The governance API: one view per write, small input and output serializers, errors in one format."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import IdField, IdListField
from core.decisions import decision_types
from core.permissions import HasVerifiedEmail, authorize
from governance import selectors
from governance.models import Choice, Election, Proposal, RuleSet
from governance.services.elections import candidate_nominate, election_vote_cast
from governance.services.execution import decision_execute
from governance.services.proposals import proposal_comment, proposal_create, proposal_publish
from governance.services.votes import vote_cast
from membership.models import User


class SignedInRequest(Request):
    """The request of an operation behind IsAuthenticated: a signed-in user."""

    user: User


ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def visible_proposal(request: Request, pk: int) -> Proposal:
    """Return the proposal if the caller may know it exists: someone else's draft is a 404, as no such id."""
    return get_object_or_404(selectors.proposals_visible_to(user=request.user), pk=pk)


class ResultSerializer(serializers.Serializer):
    ruleset_version = serializers.IntegerField()
    notice_given_at = serializers.DateTimeField()
    electorate_size = serializers.IntegerField()
    turnout = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    by_class = serializers.JSONField()
    quorum_needed = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    threshold_met = serializers.BooleanField()
    outcome = serializers.CharField()
    closed_early = serializers.BooleanField()
    details = serializers.JSONField()


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    status = serializers.CharField()
    decision_key = serializers.CharField()
    payload = serializers.JSONField()
    summary = serializers.SerializerMethodField(help_text="The decision in words, in the request's language.")
    author = serializers.CharField(source="author.__str__")
    opens_at = serializers.DateTimeField(source="ballot.opens_at", allow_null=True, default=None)
    closes_at = serializers.DateTimeField(source="ballot.closes_at", allow_null=True, default=None)
    secret = serializers.BooleanField(source="ballot.secret", default=False)
    urgent = serializers.BooleanField(source="ballot.urgent", default=False)
    ruleset_version = serializers.IntegerField(source="ruleset.version", allow_null=True, default=None)

    def get_summary(self, proposal: Proposal) -> str:
        return proposal.summary_in(get_language() or "en")


class ProposalDetailOutput(ProposalOutput):
    turnout = serializers.IntegerField(allow_null=True)
    electorate = serializers.IntegerField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    result = ResultSerializer(allow_null=True)
    execution_status = serializers.CharField(allow_null=True)
    execution_error = serializers.CharField(allow_blank=True)


class ProposalListApi(ListAPIView):
    """Published proposals, newest first. `?show=active|decided` filters them."""

    serializer_class = ProposalOutput

    def get_queryset(self) -> Any:
        show = self.request.query_params.get("show")
        return selectors.proposal_list(status=show if show in {"active", "decided"} else None)


class ProposalDetailApi(APIView):
    @extend_schema(responses={200: ProposalDetailOutput, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        try:
            proposal = selectors.proposal_detail(proposal_id=pk, viewer=request.user)
        except Proposal.DoesNotExist:
            raise Http404 from None
        view, disclosure = (
            selectors.ballot_view_for(ballot=proposal.ballot, user=request.user) if proposal.ballot else (None, None)
        )
        execution = getattr(proposal, "execution", None)
        result = (
            getattr(proposal.ballot, "result", None)
            if proposal.ballot and disclosure and disclosure.counts and proposal.ballot.status == "closed"
            else None
        )
        data = {
            **ProposalOutput(proposal).data,
            "turnout": view.turnout if view else None,
            "electorate": view.electorate if view else None,
            "counts": view.counts.as_dict() if view and view.counts else None,
            "result": ResultSerializer(result).data if result else None,
            "execution_status": execution.status if execution else None,
            "execution_error": execution.last_error if execution else "",
        }
        return Response(data)


class ProposalCreateApi(APIView):
    """Create a draft proposal of a registered decision type."""

    permission_classes = [IsAuthenticated, HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        decision_key = serializers.CharField()
        title = serializers.CharField(max_length=200)
        body = serializers.CharField(required=False, allow_blank=True, default="")
        payload = serializers.DictField(required=False, default=dict)

    @extend_schema(request=InputSerializer, responses={201: ProposalOutput, **ERRORS})
    def post(self, request: SignedInRequest) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = proposal_create(
            decision_key=data["decision_key"],
            payload=data["payload"],
            title=data["title"],
            body=data["body"],
            author=request.user,
            actor=request.user,
        )
        return Response(ProposalOutput(proposal).data, status=201)


class ProposalPublishApi(APIView):
    """Publish a draft: notice is given and voting is scheduled after the notice period.

    `urgent` asks for the rules' urgent procedure (shorter notice and voting): the board only, for
    the decision types the rules list.
    """

    permission_classes = [IsAuthenticated, HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        urgent = serializers.BooleanField(required=False, default=False)

    @extend_schema(request=InputSerializer, responses={200: ProposalOutput, **ERRORS})
    def post(self, request: SignedInRequest, pk: int) -> Response:
        visible_proposal(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = proposal_publish(proposal_id=pk, actor=request.user, urgent=serializer.validated_data["urgent"])
        return Response(ProposalOutput(proposal).data)


class ProposalCommentApi(APIView):
    permission_classes = [IsAuthenticated, HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        body = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, **ERRORS})
    def post(self, request: SignedInRequest, pk: int) -> Response:
        visible_proposal(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = proposal_comment(proposal_id=pk, body=serializer.validated_data["body"], actor=request.user)
        return Response(self.OutputSerializer(comment).data, status=201)


class VoteApi(APIView):
    """Cast or change a vote. On a secret ballot nothing about the vote comes back."""

    permission_classes = [IsAuthenticated, HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        choice = serializers.ChoiceField(choices=Choice.choices)
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        on_behalf_of = IdField(required=False, allow_null=True, default=None)

    class OutputSerializer(serializers.Serializer):
        recorded = serializers.BooleanField()
        choice = serializers.CharField(allow_null=True)
        via_proxy = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, **ERRORS})
    def post(self, request: SignedInRequest, pk: int) -> Response:
        proposal = visible_proposal(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vote = vote_cast(ballot_id=proposal.ballot_id, actor=request.user, **serializer.validated_data)
        data = {"recorded": True, "choice": vote.choice if vote else None, "via_proxy": bool(vote and vote.via_proxy)}
        return Response(self.OutputSerializer(data).data)


class ExecutionRetryApi(APIView):
    """Carry out a passed decision again after a failure (board only)."""

    class OutputSerializer(serializers.Serializer):
        status = serializers.CharField()
        attempts = serializers.IntegerField()
        last_error = serializers.CharField(allow_blank=True)

    @extend_schema(request=None, responses={200: OutputSerializer, **ERRORS})
    def post(self, request: SignedInRequest, pk: int) -> Response:
        authorize(request.user, "motion.execute")
        visible_proposal(request, pk)
        return Response(self.OutputSerializer(decision_execute(proposal_id=pk, actor=request.user)).data)


class DecisionTypeListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        key = serializers.CharField()
        label = serializers.CharField()
        rules_key = serializers.CharField()
        has_effect = serializers.BooleanField()

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(decision_types(), many=True).data)


class RuleSetOutput(serializers.ModelSerializer):
    class Meta:
        model = RuleSet
        exclude = ["created_by"]


class RuleSetListApi(ListAPIView):
    """Every version of every rule family."""

    serializer_class = RuleSetOutput
    queryset = RuleSet.objects.order_by("key", "-version")


class ElectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    seats = serializers.IntegerField()
    method = serializers.CharField()
    opens_at = serializers.DateTimeField(source="ballot.opens_at")
    closes_at = serializers.DateTimeField(source="ballot.closes_at")


class ElectionListApi(ListAPIView):
    serializer_class = ElectionOutput

    def get_queryset(self) -> Any:
        return selectors.election_list()


class ElectionNominateApi(APIView):
    permission_classes = [IsAuthenticated, HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        statement = serializers.CharField(max_length=4000)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        statement = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, **ERRORS})
    def post(self, request: SignedInRequest, pk: int) -> Response:
        get_object_or_404(Election, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = candidate_nominate(election_id=pk, actor=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(candidate).data, status=201)


class ElectionVoteApi(APIView):
    """Cast a ranked (or, for approval, unordered) secret ballot of candidate ids."""

    permission_classes = [IsAuthenticated, HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        ranking = IdListField(allow_empty=True)

    class OutputSerializer(serializers.Serializer):
        recorded = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, **ERRORS})
    def post(self, request: SignedInRequest, pk: int) -> Response:
        get_object_or_404(Election, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        election_vote_cast(election_id=pk, actor=request.user, ranking=serializer.validated_data["ranking"])
        return Response(self.OutputSerializer({"recorded": True}).data)
