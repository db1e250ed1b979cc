"""Skills and the two kinds of profile."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.money import default_currency
from marketplace import limits
from marketplace.validators import validate_upload


class Skill(TimeStampedModel):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language for the skills the coop knows (marketplace.skills), else as stored."""
        from marketplace.skills import skill_label

        return skill_label(self.slug, self.name)


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
    bio = models.TextField(_("about"), blank=True, max_length=limits.BIO)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="freelancers")
    hourly_rate_cents = models.BigIntegerField(_("hourly rate (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.PART_TIME
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    remote = models.BooleanField(_("works remotely"), default=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("For example: Dutch, English"))
    # Who sees the profile, rate, location and reviews is the person's membership privacy
    # settings (membership.selectors.profile_visibility); the work history is the marketplace's own.
    show_work_history = models.BooleanField(_("show my work history"), default=True)

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

    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]


class PortfolioItem(TimeStampedModel):
    profile = models.ForeignKey(
        FreelancerProfile, verbose_name=_("profile"), on_delete=models.CASCADE, related_name="portfolio_items"
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=limits.PORTFOLIO_DESCRIPTION)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(
        _("file"), upload_to="marketplace/portfolio/%Y/%m/", blank=True, validators=[validate_upload]
    )

    class Meta:
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(url="") & models.Q(file="")), name="portfolio_item_has_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title


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
    about = models.TextField(_("about"), blank=True, max_length=limits.CLIENT_ABOUT)

    class Meta:
        verbose_name = _("client profile")
        verbose_name_plural = _("client profiles")

    def __str__(self) -> str:
        return self.organisation_name or str(self.user)
