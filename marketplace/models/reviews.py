"""Double-blind reviews after a contract, and the one response the reviewed party may give."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from marketplace import limits
from marketplace.models.contracts import Contract

RATING_FIELDS = ("rating_quality", "rating_communication", "rating_reliability")


class Review(TimeStampedModel):
    class Side(models.TextChoices):
        CLIENT = "client", _("Client")
        FREELANCER = "freelancer", _("Freelancer")

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="reviews_written"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("about"), on_delete=models.PROTECT, related_name="reviews_received"
    )
    side = models.CharField(_("written by the"), max_length=16, choices=Side.choices)
    rating_quality = models.PositiveSmallIntegerField(_("quality"))
    rating_communication = models.PositiveSmallIntegerField(_("communication"))
    rating_reliability = models.PositiveSmallIntegerField(_("reliability"))
    text = models.TextField(_("review"), max_length=limits.REVIEW)
    # Hidden from everyone but its author until both sides reviewed or the blind period ended.
    revealed_at = models.DateTimeField(_("visible since"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "side"], name="review_one_per_side_per_contract"),
            models.CheckConstraint(condition=models.Q(side__in=["client", "freelancer"]), name="review_side_valid"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1}) & models.Q(**{f"{name}__lte": 5}),
                    name=f"review_{name}_range",
                )
                for name in RATING_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.contract_id}"

    @property
    def average(self) -> float:
        return round(sum(getattr(self, name) for name in RATING_FIELDS) / len(RATING_FIELDS), 1)


class ReviewResponse(TimeStampedModel):
    review = models.OneToOneField(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="response")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("response"), max_length=limits.REVIEW_RESPONSE)

    class Meta:
        verbose_name = _("review response")
        verbose_name_plural = _("review responses")

    def __str__(self) -> str:
        return f"response to {self.review_id}"
