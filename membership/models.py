from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the platform. One person can be client, freelancer and member at once."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    is_freelancer = models.BooleanField(
        _("works as a freelancer"), default=False, help_text=_("Offers work on the marketplace.")
    )
    is_client = models.BooleanField(
        _("hires freelancers"), default=False, help_text=_("Posts jobs on the marketplace.")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


class MemberClass(TimeStampedModel):
    """A class of membership (worker, client, community) with its share terms and vote."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    share_price_cents = models.BigIntegerField(_("share price (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    shares_required = models.PositiveIntegerField(_("shares required"), default=1)
    votes = models.BooleanField(_("votes in general meetings"), default=True)

    class Meta:
        verbose_name = _("member class")
        verbose_name_plural = _("member classes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_price_cents__gt=0), name="member_class_share_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(shares_required__gte=1), name="member_class_shares_required_min_one"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(TimeStampedModel):
    """The membership record of one user: number, class, shares and status."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXITED = "exited", _("Exited")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="member"
    )
    member_class = models.ForeignKey(
        MemberClass, verbose_name=_("member class"), on_delete=models.PROTECT, related_name="members"
    )
    member_number = models.PositiveIntegerField(_("member number"), null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLICANT, db_index=True
    )
    shares = models.PositiveIntegerField(_("shares held"), default=0)
    joined_at = models.DateTimeField(_("member since"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["member_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["applicant", "active", "suspended", "exited"]),
                name="member_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="applicant") | models.Q(member_number__isnull=False),
                name="member_admitted_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.member_number} {self.user}" if self.member_number else str(self.user)


# The allowed status moves of a member record; membership.services is the only writer.
MEMBER_TRANSITIONS: dict[str, set[str]] = {
    Member.Status.APPLICANT: {Member.Status.ACTIVE, Member.Status.EXITED},
    Member.Status.ACTIVE: {Member.Status.SUSPENDED, Member.Status.EXITED},
    Member.Status.SUSPENDED: {Member.Status.ACTIVE, Member.Status.EXITED},
    Member.Status.EXITED: set(),
}


class MemberStatusChange(models.Model):
    """One move of a member's status, kept for the register's history."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("member status change")
        verbose_name_plural = _("member status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_status or '-'} → {self.to_status}"
