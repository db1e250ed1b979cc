"""Business details, VAT rates, and the invoices and credit notes issued for milestones (issue 15).

Invoices are immutable: the parties are copied onto the invoice when it is issued, so later edits of
a profile never change an issued document, and a mistake is corrected only by a credit note.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyError, TimeStampedModel


class BusinessDetails(TimeStampedModel):
    """A person's business identity and tax status, entered once and copied onto each invoice at issue.

    Fields:
    - user: whose details these are (a freelancer, a client, or both; one row per person).
    - kind: "individual" (a natural person, a sole trader) or "entity" (a company or organisation).
    - legal_name: the name an invoice carries (a person's full name, a company's registered name).
    - street, postal_code, city: the postal address.
    - country: ISO 3166-1 alpha-2 code, upper case ("NL", "BE", "US").
    - kvk_number: the Dutch Chamber of Commerce (KVK) number, eight digits; blank outside the Netherlands.
    - vat_number: the EU VAT identification number with its country prefix ("NL853746333B01"), stored
      compact and checked by format and check digits (python-stdnum); blank when the person has none.
    - vat_scheme: "vat" (registered for VAT, charges it), "kor" (the Dutch small-business scheme,
      kleineondernemersregeling: exempt, charges none) or "none" (not registered: a private client).
    - self_billing_consent_at: when the freelancer agreed that the coop issues invoices in their name
      (self-billing); empty until they agree, and no invoice is issued in their name without it.
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual (a person or sole trader)")
        ENTITY = "entity", _("Company or organisation")

    class TaxStatus(models.TextChoices):
        VAT = "vat", _("Registered for VAT")
        KOR = "kor", _("Small-business scheme (KOR): no VAT charged")
        NONE = "none", _("Not registered for VAT (private person)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="business_details"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    legal_name = models.CharField(_("legal name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    kvk_number = models.CharField(_("KVK number"), max_length=8, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    vat_scheme = models.CharField(_("VAT status"), max_length=8, choices=TaxStatus.choices, default=TaxStatus.VAT)
    self_billing_consent_at = models.DateTimeField(_("self-billing agreed"), null=True, blank=True)

    class Meta:
        verbose_name = _("business details")
        verbose_name_plural = _("business details")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vat_scheme__in=["vat", "kor", "none"]), name="business_vat_scheme_valid"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=["individual", "entity"]), name="business_kind_valid"),
            models.CheckConstraint(
                condition=~models.Q(vat_scheme="vat") | ~models.Q(vat_number=""), name="business_vat_needs_number"
            ),
            models.CheckConstraint(condition=models.Q(country__regex=r"^[A-Z]{2}$"), name="business_country_code"),
        ]

    def __str__(self) -> str:
        return self.legal_name


class VatCategory(models.TextChoices):
    """VAT categories by their UNCL 5305 codes, the codes EN 16931 invoices carry."""

    STANDARD = "S", _("Standard rate")
    REDUCED = "AA", _("Reduced rate")
    ZERO = "Z", _("Zero rate")
    EXEMPT = "E", _("Exempt from VAT")
    REVERSE_CHARGE = "AE", _("VAT reverse charged")
    OUTSIDE_SCOPE = "O", _("Outside the scope of VAT")


VAT_CATEGORY_CODES = [choice.value for choice in VatCategory]


class VatRate(TimeStampedModel):
    """A VAT rate of a country and category, valid from a date until the day before `valid_until`.

    Rates are data (seeded by a migration, editable in the admin), so a change of rate is a new row
    with its start date and invoices keep the rate of their own date.
    """

    country = models.CharField(_("country"), max_length=2)
    category = models.CharField(_("category"), max_length=2, choices=VatCategory.choices)
    percent = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["country", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["country", "category", "valid_from"], name="vat_rate_unique_start"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100), name="vat_rate_percent_range"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=models.F("valid_from")),
                name="vat_rate_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.category} {self.percent}%"


class InvoiceCounter(models.Model):
    """The last number used by one issuer in one year; locked (select_for_update) to take the next.

    `issuer_key` is "coop" for the coop's own invoices and "u<user id>" for a freelancer's
    self-billed invoices, so each issuer's numbers run 1, 2, 3 ... per year without a gap.
    """

    issuer_key = models.CharField(_("issuer"), max_length=20)
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        constraints = [models.UniqueConstraint(fields=["issuer_key", "year"], name="invoice_counter_unique")]

    def __str__(self) -> str:
        return f"{self.issuer_key} {self.year}: {self.last_number}"


class Invoice(models.Model):
    """An issued invoice or credit note. Never edited after it is created (save refuses updates).

    - kind: a self-billed work invoice (freelancer to client, issued by the coop in the freelancer's
      name), the coop's fee invoice (coop to freelancer), or a credit note of either.
    - number: "<prefix>-<year>-<sequence>", unique; `issuer_key`, `year` and `sequence` are its parts.
    - issuer / recipient: the parties' details as they were at issue (name, street, postal_code,
      city, country, kvk_number, vat_number, vat_scheme, kind); issuer_user is empty for the coop.
    - net_cents, vat_cents, gross_cents: totals in minor units, always positive, also on credit notes
      (the kind says the direction); gross is what the ledger moved.
    - milestone and ledger_batch: what the document is for; one document per kind per ledger batch.
    - corrects: the invoice a credit note corrects.
    """

    class Kind(models.TextChoices):
        WORK = "work", _("Invoice for work")
        FEE = "fee", _("Invoice for the platform fee")
        WORK_CREDIT = "work_credit", _("Credit note for work")
        FEE_CREDIT = "fee_credit", _("Credit note for the platform fee")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40, unique=True)
    issuer_key = models.CharField(_("issuer"), max_length=20)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    issue_date = models.DateField(_("date"))
    issuer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices_issued",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="invoices_received",
    )
    issuer = models.JSONField(_("issuer details"))
    recipient = models.JSONField(_("recipient details"))
    issuer_name = models.CharField(_("issuer name"), max_length=200)
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    net_cents = models.BigIntegerField(_("net (cents)"))
    vat_cents = models.BigIntegerField(_("VAT (cents)"))
    gross_cents = models.BigIntegerField(_("total (cents)"))
    milestone = models.ForeignKey(
        "marketplace.Milestone", verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="invoices"
    )
    ledger_batch = models.ForeignKey(
        "payouts.Batch", verbose_name=_("ledger batch"), on_delete=models.PROTECT, related_name="invoices"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_key", "year", "sequence"], name="invoice_unique_sequence"),
            models.UniqueConstraint(fields=["ledger_batch", "kind"], name="invoice_once_per_batch_and_kind"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["work", "fee", "work_credit", "fee_credit"]), name="invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(net_cents__gte=0) & models.Q(vat_cents__gte=0),
                name="invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(gross_cents=models.F("net_cents") + models.F("vat_cents")),
                name="invoice_gross_is_net_plus_vat",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["work", "fee"], corrects__isnull=True)
                | models.Q(kind__in=["work_credit", "fee_credit"], corrects__isnull=False),
                name="invoice_credit_note_corrects",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer_user", "-issue_date"], name="invoice_issuer_date"),
            models.Index(fields=["recipient_user", "-issue_date"], name="invoice_recipient_date"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Invoices are immutable; correct one with a credit note")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Invoices are immutable; correct one with a credit note")

    @property
    def is_credit_note(self) -> bool:
        return self.kind in (self.Kind.WORK_CREDIT, self.Kind.FEE_CREDIT)

    @property
    def is_self_billed(self) -> bool:
        return self.kind in (self.Kind.WORK, self.Kind.WORK_CREDIT)


class InvoiceLine(models.Model):
    """One line of an invoice: what was supplied, its VAT category and rate, and its amounts in cents.

    Rounding (one rule, in marketplace.services.vat): the line's gross is the agreed price; its net
    is gross x 100 / (100 + rate) rounded half up to the cent, and its VAT is gross minus net.
    """

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=300)
    vat_category = models.CharField(_("VAT category"), max_length=2, choices=VatCategory.choices)
    vat_percent = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat_exemption_reason = models.CharField(_("VAT note"), max_length=200, blank=True)
    net_cents = models.BigIntegerField(_("net (cents)"))
    vat_cents = models.BigIntegerField(_("VAT (cents)"))
    gross_cents = models.BigIntegerField(_("total (cents)"))

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_unique_position"),
            models.CheckConstraint(
                condition=models.Q(vat_category__in=VAT_CATEGORY_CODES), name="invoice_line_category"
            ),
            models.CheckConstraint(
                condition=models.Q(gross_cents=models.F("net_cents") + models.F("vat_cents")),
                name="invoice_line_gross_is_net_plus_vat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position}: {self.description}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Invoice lines are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Invoice lines are immutable")
