"""The marketplace API for reviews: read a contract's reviews, review the other side, respond once."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from core.api.fields import CountField
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.models import Review
from marketplace.selectors import contracts as contract_selectors
from marketplace.services import reviews as review_services


@extend_schema(tags=["reviews"], summary="The reviews of a contract you may read: revealed ones and your own.")
class ContractReviewsApi(generics.ListAPIView):
    """List the reviews of a contract the caller may read: the revealed ones and their own."""

    queryset = Review.objects.none()
    serializer_class = o.ReviewOut
    pagination_class = None

    def get_queryset(self) -> list[Review]:  # type: ignore[override]
        contract = contract_selectors.contract_get_for(contract_id=self.kwargs["contract_id"], user=self.request.user)
        return contract_selectors.visible_reviews(contract=contract, user=self.request.user)


class ReviewSubmitApi(WriteApi):
    """Review the other side of a completed contract; hidden until both reviewed or 14 days passed."""

    class InputSerializer(serializers.Serializer):
        rating_quality = CountField()
        rating_communication = CountField()
        rating_reliability = CountField()
        text = serializers.CharField(max_length=limits.REVIEW)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.ReviewOut, **ERRORS},
        summary="Review the other side of a completed contract; hidden until both reviewed or 14 days passed.",
        tags=["reviews"],
        operation_id="review_submit",
    )
    def post(self, request: SignedInRequest, contract_id: int) -> Response:
        data = self.validate_input(request)
        review = review_services.review_submit(
            contract_id=contract_id,
            actor=request.user,
            text=data["text"],
            rating_quality=data["rating_quality"],
            rating_communication=data["rating_communication"],
            rating_reliability=data["rating_reliability"],
        )
        return Response(o.ReviewOut(review).data, status=status.HTTP_201_CREATED)


class ReviewRespondApi(WriteApi):
    """Respond, as the reviewed party, to a visible review, once; return the review with the response."""

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=limits.REVIEW)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.ReviewOut, **ERRORS},
        summary="The reviewed party responds to a visible review, once.",
        tags=["reviews"],
        operation_id="review_respond",
    )
    def post(self, request: SignedInRequest, review_id: int) -> Response:
        data = self.validate_input(request)
        response = review_services.review_respond(review_id=review_id, actor=request.user, text=data["text"])
        return Response(o.ReviewOut(response.review).data, status=status.HTTP_201_CREATED)
