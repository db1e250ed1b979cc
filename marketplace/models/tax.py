"""DAC7: the seller details the directive asks for, and a record of every report the coop sent.

The seller's legal name, address, country and business registration number are their business
details (the invoicing details); this model adds what DAC7 needs beyond them. A report is kept
as it was written, with one line per reported seller, so a seller's page shows what was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Dac7Details(TimeStampedModel):
    """What DAC7 needs about a seller beyond their business details (Annex V, Section III(B)(2)-(3))."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("seller"), on_delete=models.CASCADE, related_name="dac7_details"
    )
    # The DPI schema names a person by first and last name; a legal name in one field cannot be
    # split reliably ("Chloé van Dijk"), so individuals give both.
    first_name = models.CharField(_("first name"), max_length=200, blank=True)
    last_name = models.CharField(_("last name"), max_length=200, blank=True)
    tin = models.CharField(_("tax identification number"), max_length=200)
    tin_country = models.CharField(_("country that issued it"), max_length=2)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # A business's registration number (Annex V, Section III(B)(3)(c)) and the country whose
    # register gave it. Blank for a person, and for a Dutch business whose business details carry
    # its KVK number: the report then names that number.
    registration_number = models.CharField(_("business registration number"), max_length=200, blank=True)
    registration_country = models.CharField(_("country of the register"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("DAC7 seller details")
        verbose_name_plural = _("DAC7 seller details")
        constraints = [
            models.CheckConstraint(condition=~models.Q(tin=""), name="dac7_details_tin_present"),
            models.CheckConstraint(condition=models.Q(tin_country__regex=r"^[A-Z]{2}$"), name="dac7_details_country"),
        ]

    def __str__(self) -> str:
        return f"DAC7 details of user {self.user_id}"


class Dac7Report(TimeStampedModel):
    """One run of `dac7_report`: the year, who ran it, the message as written and its checksum."""

    year = models.PositiveIntegerField(_("year"), db_index=True)
    message_ref_id = models.CharField(_("message reference"), max_length=170, unique=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who ran it when no account did (the operating-system user of a command line run).
    run_by_label = models.CharField(_("run by (as named)"), max_length=200, blank=True)
    xml = models.TextField(_("report as written"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    excluded_count = models.PositiveIntegerField(_("sellers below the threshold"), default=0)

    class Meta:
        verbose_name = _("DAC7 report")
        verbose_name_plural = _("DAC7 reports")
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"DAC7 {self.year} {self.message_ref_id}"


class Dac7ReportLine(models.Model):
    """What one report said about one seller: their identity as sent and their figures per quarter."""

    report = models.ForeignKey(Dac7Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="lines")
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="dac7_report_lines",
    )
    doc_ref_id = models.CharField(_("document reference"), max_length=200, unique=True)
    is_entity = models.BooleanField(_("reported as a business"), default=False)
    name = models.CharField(_("name"), max_length=400)
    address = models.CharField(_("address"), max_length=600)
    country = models.CharField(_("country"), max_length=2)
    tin = models.CharField(_("tax identification number"), max_length=200)
    tin_country = models.CharField(_("country that issued it"), max_length=2)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    registration_number = models.CharField(_("business registration number"), max_length=200, blank=True)
    registration_country = models.CharField(_("country of the register"), max_length=2, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    consideration_cents = models.JSONField(_("consideration per quarter (cents)"))
    fees_cents = models.JSONField(_("fees per quarter (cents)"))
    activities = models.JSONField(_("activities per quarter"))

    class Meta:
        verbose_name = _("DAC7 report line")
        verbose_name_plural = _("DAC7 report lines")
        ordering = ["report_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seller"], name="dac7_line_one_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.doc_ref_id}"

    def quarters(self) -> list[dict[str, int]]:
        """Return this line's figures quarter by quarter (1-4)."""
        return [
            {
                "quarter": q + 1,
                "consideration": int(self.consideration_cents[q]),
                "fees": int(self.fees_cents[q]),
                "activities": int(self.activities[q]),
            }
            for q in range(4)
        ]

    @property
    def consideration_total(self) -> int:
        return sum(int(c) for c in self.consideration_cents)

    @property
    def fees_total(self) -> int:
        return sum(int(c) for c in self.fees_cents)

    @property
    def activities_total(self) -> int:
        return sum(int(c) for c in self.activities)
