"""Double-blind reviews: each side reviews once; both appear together, or after the blind period."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import RATING_FIELDS, Contract, Review, ReviewResponse
from marketplace.services.contracts import lock_contract
from membership.models import User

BLIND_DAYS = 14


def _check_ratings(ratings: dict[str, int]) -> None:
    for name in RATING_FIELDS:
        value = ratings.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ApplicationError(
                _("Give every rating from 1 to 5 stars."), code=ErrorCode.RATING_INVALID, detail={"field": name}
            )


@transaction.atomic
def review_submit(*, contract_id: int, actor: User, text: str, **ratings: int) -> Review:
    """Write this side's review of a finished contract; the second review reveals both."""
    contract = lock_contract(contract_id=contract_id)
    authorize(actor, "contract.review", contract)
    side = "client" if actor.pk == contract.client_id else "freelancer"
    if contract.status != Contract.Status.COMPLETED:
        raise Conflict(_("Reviews open once the contract is complete."), code=ErrorCode.CONTRACT_NOT_COMPLETED)
    if not text.strip():
        raise ApplicationError(_("Write a few words about the work together."), code=ErrorCode.TEXT_BLANK)
    _check_ratings(ratings)
    subject_id = contract.freelancer_id if side == "client" else contract.client_id
    try:
        with transaction.atomic():
            review = Review.objects.create(
                contract=contract,
                author=actor,
                subject_id=subject_id,
                side=side,
                text=text.strip(),
                **{name: ratings[name] for name in RATING_FIELDS},
            )
    except IntegrityError:
        raise Conflict(_("You have already reviewed this contract."), code=ErrorCode.REVIEW_EXISTS) from None
    audit_log(actor=actor, action="review.submitted", target=review, subject=review.subject)
    reviews = list(Review.objects.select_for_update().filter(contract=contract).order_by("pk"))
    url = reverse("marketplace:contract-detail", args=[contract.pk])
    if len(reviews) == 2:
        _reveal(reviews=reviews, contract=contract, url=url)
    else:
        notify(user=review.subject, kind="review_received", data={"contract": contract.title}, url=url)
    return review


def _reveal(*, reviews: list[Review], contract: Contract, url: str) -> None:
    now = timezone.now()
    for review in reviews:
        if review.revealed_at is None:
            review.revealed_at = now
            review.save(update_fields=["revealed_at", "updated_at"])
            audit_log(actor=None, action="review.revealed", target=review, subject=review.subject)
    for user in (contract.client, contract.freelancer):
        notify(user=user, kind="reviews_revealed", data={"contract": contract.title}, url=url)


@transaction.atomic
def reviews_reveal_for_contract(*, contract_id: int) -> bool:
    """Reveal a contract's reviews when the blind period of its first review has passed."""
    contract = lock_contract(contract_id=contract_id)
    reviews = list(Review.objects.select_for_update().filter(contract=contract).order_by("pk"))
    cutoff = timezone.now() - timedelta(days=BLIND_DAYS)
    hidden = [r for r in reviews if r.revealed_at is None]
    if not hidden or (len(reviews) < 2 and reviews[0].created_at > cutoff):
        return False
    _reveal(reviews=reviews, contract=contract, url=reverse("marketplace:contract-detail", args=[contract.pk]))
    return True


def reviews_reveal_due() -> int:
    """Reveal every review past its blind period, one contract per transaction; return how many contracts."""
    cutoff = timezone.now() - timedelta(days=BLIND_DAYS)
    contract_ids = sorted(
        set(
            Review.objects.filter(revealed_at__isnull=True, created_at__lte=cutoff).values_list(
                "contract_id", flat=True
            )
        )
    )
    return sum(1 for contract_id in contract_ids if reviews_reveal_for_contract(contract_id=contract_id))


@transaction.atomic
def review_respond(*, review_id: int, actor: User, text: str) -> ReviewResponse:
    """The reviewed party answers a visible review, once."""
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotAllowed(_("Only the person reviewed can respond."), code=ErrorCode.NOT_SUBJECT)
    authorize(actor, "review.respond", review)
    if review.revealed_at is None:
        raise Conflict(_("You can respond once the review is visible."), code=ErrorCode.REVIEW_HIDDEN)
    if not text.strip():
        raise ApplicationError(_("Write your response."), code=ErrorCode.TEXT_BLANK)
    try:
        with transaction.atomic():
            response = ReviewResponse.objects.create(review=review, author=actor, text=text.strip())
    except IntegrityError:
        raise Conflict(_("You have already responded to this review."), code=ErrorCode.RESPONSE_EXISTS) from None
    audit_log(actor=actor, action="review.responded", target=review, subject=review.author)
    return response
