from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Skill(TimeStampedModel):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FreelancerProfile(TimeStampedModel):
    class Availability(models.TextChoices):
        FULL_TIME = "full_time", _("More than 30 hours a week")
        PART_TIME = "part_time", _("Less than 30 hours a week")
        UNAVAILABLE = "unavailable", _("Not available now")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="freelancer_profile",
    )
    headline = models.CharField(_("headline"), max_length=160)
    bio = models.TextField(_("about"), blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="freelancers")
    hourly_rate_cents = models.BigIntegerField(_("hourly rate (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.PART_TIME
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    remote = models.BooleanField(_("works remotely"), default=True)

    class Meta:
        verbose_name = _("freelancer profile")
        verbose_name_plural = _("freelancer profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_rate_cents__isnull=True) | models.Q(hourly_rate_cents__gt=0),
                name="freelancer_rate_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.headline}"


class ClientProfile(TimeStampedModel):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="client_profile",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    organisation_name = models.CharField(_("organisation"), max_length=160, blank=True)
    about = models.TextField(_("about"), blank=True)

    class Meta:
        verbose_name = _("client profile")
        verbose_name_plural = _("client profiles")

    def __str__(self) -> str:
        return self.organisation_name or str(self.user)


class Job(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class PricingType(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        HOURLY = "hourly", _("Hourly")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("client"), on_delete=models.PROTECT, related_name="jobs"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="jobs")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    pricing_type = models.CharField(_("pricing"), max_length=8, choices=PricingType.choices, default=PricingType.FIXED)
    budget_min_cents = models.BigIntegerField(_("budget from (cents)"))
    budget_max_cents = models.BigIntegerField(_("budget up to (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    remote = models.BooleanField(_("remote"), default=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "closed", "cancelled"]),
                name="job_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_min_cents__gt=0)
                & models.Q(budget_max_cents__gte=models.F("budget_min_cents")),
                name="job_budget_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The allowed status moves of a job; marketplace.services is the only writer.
JOB_TRANSITIONS: dict[str, set[str]] = {
    Job.Status.DRAFT: {Job.Status.OPEN, Job.Status.CANCELLED},
    Job.Status.OPEN: {Job.Status.CLOSED, Job.Status.CANCELLED},
    Job.Status.CLOSED: {Job.Status.OPEN},
    Job.Status.CANCELLED: set(),
}
