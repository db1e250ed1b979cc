"""The coop's voting rules as versioned data: a new version never changes a ballot that already ran."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """One version of the rules for a family of decisions ("general", "bylaw", "election", ...).

    Rows are never edited: a change of bylaws is a new version, and each ballot keeps a foreign key to
    the version it ran under.
    """

    class QuorumBase(models.TextChoices):
        ELECTORATE = "electorate", _("members on the voter roll")
        MEMBERS = "members", _("all active members")

    class VisitorsSee(models.TextChoices):
        NOTHING = "nothing", _("Nothing: votes, counts and reasons are for members only")
        COUNTS_AFTER_CLOSE = "counts_after_close", _("The counts, once voting has closed")

    class BooksPublic(models.TextChoices):
        NOTHING = "nothing", _("Nothing: the books are for members only")
        SUMMARY = "summary", _("The summary accounts: income, costs, reserves and the annual accounts")
        FULL = "full", _("The full books: the summary and every transaction, counterparties as roles")

    class ThresholdBase(models.TextChoices):
        YES_PLUS_NO = "yes_plus_no", _("votes cast for or against (abstentions not counted)")
        VOTES_CAST = "votes_cast", _("votes cast, abstentions included")
        ELECTORATE = "electorate", _("members on the voter roll")

    key = models.CharField(_("rules for"), max_length=32, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    label = models.CharField(_("name"), max_length=120)
    # Who may vote: empty means every member class that votes.
    voter_class_slugs = models.JSONField(_("voting member classes"), default=list, blank=True)
    quorum_numerator = models.PositiveIntegerField(_("quorum numerator"), default=0)
    quorum_denominator = models.PositiveIntegerField(_("quorum denominator"), default=1)
    quorum_base = models.CharField(
        _("quorum base"), max_length=16, choices=QuorumBase.choices, default=QuorumBase.ELECTORATE
    )
    quorum_strict = models.BooleanField(_("quorum needs more than the fraction"), default=False)
    # A quorum is also met by this many votes, whatever the fraction (Ley 27/1999 art. 25 second call).
    quorum_min_count = models.PositiveIntegerField(_("or at least this many votes"), null=True, blank=True)
    threshold_numerator = models.PositiveIntegerField(_("threshold numerator"), default=1)
    threshold_denominator = models.PositiveIntegerField(_("threshold denominator"), default=2)
    threshold_base = models.CharField(
        _("threshold base"), max_length=16, choices=ThresholdBase.choices, default=ThresholdBase.YES_PLUS_NO
    )
    threshold_strict = models.BooleanField(_("threshold needs more than the fraction"), default=True)
    # Double majority: the threshold must also be met inside each of these classes (ULCAA §514).
    double_majority_class_slugs = models.JSONField(_("classes that must also agree"), default=list, blank=True)
    # {"slug": {"weight": "2", "cap": "0.49"}}: a class's votes count `weight` times, and its share of
    # the weighted votes is cut down to `cap` when it would be larger.
    class_weights = models.JSONField(_("class weights and caps"), default=dict, blank=True)
    notice_days = models.PositiveIntegerField(_("notice period (days)"), default=7)
    voting_days = models.PositiveIntegerField(_("voting window (days)"), default=7)
    secret = models.BooleanField(_("secret ballot"), default=False)
    results_hidden_until_close = models.BooleanField(_("results hidden until close"), default=False)
    participation_visible_from = models.PositiveIntegerField(
        _("show participation once this many have voted"), default=5
    )
    proxies_allowed = models.BooleanField(_("proxy voting allowed"), default=False)
    max_proxies = models.PositiveIntegerField(_("proxies one member may hold"), default=0)
    # Voting ends once everyone on the voter roll has voted: no later vote can change the result.
    early_close = models.BooleanField(_("close as soon as everyone on the voter roll has voted"), default=True)
    # The urgent procedure: shorter notice and voting, which the board may choose when it publishes a
    # proposal of one of these decision types (keys of core.decisions); none by default.
    urgent_decision_keys = models.JSONField(
        _("decisions the board may put to an urgent vote"), default=list, blank=True
    )
    urgent_notice_days = models.PositiveIntegerField(_("urgent procedure: notice period (days)"), default=1)
    urgent_voting_days = models.PositiveIntegerField(_("urgent procedure: voting window (days)"), default=3)
    urgent_article = models.CharField(
        _("article of the bylaws that allows the urgent procedure"), max_length=120, blank=True
    )
    # What someone who is not a member (signed out, or a client) sees of a ballot; members always see
    # the counts the rules allow and, on an open ballot, who voted how and why.
    visitors_see = models.CharField(
        _("what visitors see of a ballot"),
        max_length=24,
        choices=VisitorsSee.choices,
        default=VisitorsSee.NOTHING,
        help_text=_("Members always see the counts and, on an open ballot, each member's vote and reason."),
    )
    # What someone who is not signed in sees of the coop's books (the open books, the annual accounts
    # and their API); read from the general rules' newest version. Members always see everything.
    books_public = models.CharField(
        _("what visitors see of the books"),
        max_length=8,
        choices=BooksPublic.choices,
        default=BooksPublic.NOTHING,
        help_text=_("Never the names of freelancers, clients or members: counterparties appear as roles."),
    )
    note = models.TextField(_("what changed"), blank=True)
    # The bylaw amendment that adopted this version, if members voted it in.
    adopted_by = models.OneToOneField(
        "governance.Proposal",
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_rules",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="ruleset_key_version_unique"),
            models.CheckConstraint(
                condition=models.Q(quorum_denominator__gte=1)
                & models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="ruleset_quorum_fraction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold_denominator__gte=1)
                & models.Q(threshold_numerator__gte=1)
                & models.Q(threshold_numerator__lte=models.F("threshold_denominator")),
                name="ruleset_threshold_fraction_valid",
            ),
            models.CheckConstraint(condition=models.Q(voting_days__gte=1), name="ruleset_voting_window_positive"),
            models.CheckConstraint(
                condition=models.Q(urgent_voting_days__gte=1), name="ruleset_urgent_voting_window_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(proxies_allowed=False) | (models.Q(max_proxies__gte=1) & models.Q(secret=False)),
                name="ruleset_proxies_need_limit_and_open_ballot",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_base__in=["electorate", "members"]), name="ruleset_quorum_base_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(threshold_base__in=["yes_plus_no", "votes_cast", "electorate"]),
                name="ruleset_threshold_base_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(books_public__in=["nothing", "summary", "full"]), name="ruleset_books_public_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_label} (v{self.version})"

    @property
    def display_label(self) -> str:
        """The name in the reader's language; a name the members chose in an amendment as written."""
        from governance.rules_defaults import rule_set_name

        return rule_set_name(self.key, self.label)

    @property
    def display_note(self) -> str:
        from governance.rules_defaults import rule_set_note

        return rule_set_note(self.note)

    def motion_rule(self) -> dict:
        """Return the rule in the plain form the tally reads (see governance.tally)."""
        rule: dict = {
            "threshold": {
                "fraction": f"{self.threshold_numerator}/{self.threshold_denominator}",
                "of": self.threshold_base,
                "strict": self.threshold_strict,
            }
        }
        if self.quorum_numerator or self.quorum_min_count:
            rule["quorum"] = {
                "fraction": f"{self.quorum_numerator}/{self.quorum_denominator}",
                "of": self.quorum_base,
                "strict": self.quorum_strict,
            }
            if self.quorum_min_count:
                rule["quorum"]["min_count"] = self.quorum_min_count
        if self.double_majority_class_slugs:
            rule["classes_must_agree"] = list(self.double_majority_class_slugs)
        if self.class_weights:
            rule["class_weights"] = dict(self.class_weights)
        return rule
