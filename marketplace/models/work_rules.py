"""The members' work rules: versions of project acceptance, minimum rates and ranking weights.

Each version is set by a members' decision (its governance proposal id, unique, so carrying out a
decision twice adds nothing) and never edited: a later version takes over from its start, and a
version may end on a date of its own (a minimum rate agreed for one year).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class WorkPolicy(TimeStampedModel):
    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Project acceptance")
        MINIMUM_RATES = "minimum_rates", _("Minimum rates")
        RANKING = "ranking", _("Ranking weights")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    # The terms, checked by marketplace.services.work_rules before they are stored.
    terms = models.JSONField(_("terms"), default=dict)
    valid_from = models.DateTimeField(_("valid from"), db_index=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    governance_proposal_id = models.PositiveBigIntegerField(
        _("decided by proposal"), null=True, blank=True, unique=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work rule version")
        verbose_name_plural = _("work rule versions")
        ordering = ["kind", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="work_policy_one_version_number"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["acceptance", "minimum_rates", "ranking"]), name="work_policy_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=models.F("valid_from")),
                name="work_policy_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"
