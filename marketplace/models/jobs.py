"""Jobs, their attachments and status history, and saved searches."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.money import default_currency
from core.transitions import declare_transitions
from marketplace import limits
from marketplace.models.profiles import Skill
from marketplace.validators import validate_upload

# The most people one job can hire; a larger team is more than one job.
MAX_HIRES = 20

# The sectors a client names for a job; the members' project acceptance rules name some of them.
SECTORS = [
    ("culture", _("Arts and culture")),
    ("education", _("Education")),
    ("health", _("Health and care")),
    ("public", _("Government and public sector")),
    ("nonprofit", _("Charities and non-profits")),
    ("cooperative", _("Cooperatives and social enterprise")),
    ("technology", _("Technology")),
    ("retail", _("Retail and commerce")),
    ("finance", _("Finance and insurance")),
    ("energy", _("Renewable energy")),
    ("fossil_fuels", _("Fossil fuels")),
    ("arms", _("Arms and defence")),
    ("gambling", _("Gambling")),
    ("tobacco", _("Tobacco")),
    ("other", _("Other")),
]
SECTOR_KEYS = [key for key, _label in SECTORS]


class Job(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # The members' rules say this project needs their approval: a vote is open on it.
        AWAITING_MEMBERS = "awaiting_members", _("Awaiting members")
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        # Refused by the members' rules (an excluded sector) or by their vote; the reason is kept.
        DECLINED = "declined", _("Declined by the members")

    class PricingType(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        HOURLY = "hourly", _("Hourly")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("client"), on_delete=models.PROTECT, related_name="jobs"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=limits.JOB_DESCRIPTION)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="jobs")
    # The skill names as text, kept by the services, so the search vector can be one row's data.
    skill_text = models.CharField(_("skill names"), max_length=1000, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    pricing_type = models.CharField(_("pricing"), max_length=8, choices=PricingType.choices, default=PricingType.FIXED)
    budget_min_cents = models.BigIntegerField(_("budget from (cents)"))
    budget_max_cents = models.BigIntegerField(_("budget up to (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    remote = models.BooleanField(_("remote"), default=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=SECTORS, blank=True)
    hires_wanted = models.PositiveSmallIntegerField(
        _("people to hire"),
        default=1,
        help_text=_("When this many people are hired, the job leaves search and takes no more proposals."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # The members' decision on this project (governance's proposal id), when their rules asked for one.
    members_decision_id = models.PositiveBigIntegerField(_("members' decision"), null=True, blank=True, unique=True)
    # Why the members' rules or vote declined the job, in the words shown to the client.
    declined_reason = models.TextField(_("reason declined"), blank=True, max_length=2000)
    # Maintained by a PostgreSQL trigger (migration 0004) and indexed with GIN; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at", "-id"], name="job_status_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "awaiting_members", "open", "filled", "closed", "cancelled", "declined"]
                ),
                name="job_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_min_cents__gt=0)
                & models.Q(budget_max_cents__gte=models.F("budget_min_cents")),
                name="job_budget_range_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(hires_wanted__gte=1) & models.Q(hires_wanted__lte=MAX_HIRES),
                name="job_hires_wanted_range",
            ),
            models.CheckConstraint(
                condition=models.Q(pricing_type__in=["fixed", "hourly"]), name="job_pricing_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The allowed status moves of a job; marketplace.services.jobs moves them through core.transitions.
JOB_TRANSITIONS: dict[str, set[str]] = {
    Job.Status.DRAFT: {Job.Status.OPEN, Job.Status.AWAITING_MEMBERS, Job.Status.DECLINED, Job.Status.CANCELLED},
    # Only the members' decision moves a job on from here (marketplace.services.work_rules), or the client cancels.
    Job.Status.AWAITING_MEMBERS: {Job.Status.OPEN, Job.Status.DECLINED, Job.Status.CANCELLED},
    Job.Status.OPEN: {Job.Status.FILLED, Job.Status.CLOSED, Job.Status.CANCELLED},
    # Filled: as many hires as the job asked for; out of search until reopened for more or closed.
    Job.Status.FILLED: {Job.Status.OPEN, Job.Status.CLOSED},
    Job.Status.CLOSED: {Job.Status.OPEN},
    Job.Status.CANCELLED: set(),
    Job.Status.DECLINED: set(),
}


class JobStatusChange(StatusChange):
    subject_field = "job"

    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChange.Meta):
        verbose_name = _("job status change")
        verbose_name_plural = _("job status changes")


declare_transitions(Job, JOB_TRANSITIONS, history=JobStatusChange)


class JobAttachment(TimeStampedModel):
    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="marketplace/jobs/%Y/%m/", validators=[validate_upload])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("job attachment")
        verbose_name_plural = _("job attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SavedSearch(TimeStampedModel):
    """A search a user keeps, optionally with an email when new jobs match it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    params = models.JSONField(_("search"), default=dict, blank=True)
    email_alerts = models.BooleanField(_("email me new matches"), default=True)
    last_alerted_at = models.DateTimeField(_("last alert"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")]

    def __str__(self) -> str:
        return self.name
