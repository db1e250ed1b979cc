"""The notices governance sends members, registered with core.notifications in GovernanceConfig.ready().

Each is sent by the service that made the event happen (governance.services.notices), to the
members it concerns, with a link to the proposal or election page.
"""

from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, register_notification_kind

PROPOSAL_PUBLISHED = "governance.proposal_published"
VOTING_OPENED = "governance.voting_opened"
VOTING_CLOSES_SOON = "governance.voting_closes_soon"
PROPOSAL_PASSED = "governance.proposal_passed"
PROPOSAL_NOT_PASSED = "governance.proposal_not_passed"
DECISION_CARRIED_OUT = "governance.decision_carried_out"
DECISION_WITHDRAWN = "governance.decision_withdrawn"
ELECTION_CALLED = "governance.election_called"
ELECTION_COUNTED = "governance.election_counted"
NOMINATIONS_CLOSED = "governance.nominations_closed"

TOPIC = _("Decisions and elections")

KINDS = (
    NotificationKind(
        key=PROPOSAL_PUBLISHED,
        text=_("“%(title)s” is proposed and open for discussion; voting opens on %(opens)s."),
        label=_("A member publishes a proposal for discussion"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=VOTING_OPENED,
        text=_("Voting on “%(title)s” is open until %(closes)s."),
        label=_("Voting opens on a proposal or an election I can vote on"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=VOTING_CLOSES_SOON,
        text=_("Voting on “%(title)s” closes on %(closes)s and you have not voted yet."),
        label=_("Voting closes within a day and I have not voted"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=PROPOSAL_PASSED,
        text=_("“%(title)s” passed: %(yes)s for, %(no)s against, %(abstain)s abstaining."),
        label=_("A proposal I could vote on passes"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=PROPOSAL_NOT_PASSED,
        text=_(
            "“%(title)s” did not pass: %(yes)s for, %(no)s against, %(abstain)s abstaining; "
            "%(turnout)s of %(electorate)s members voted."
        ),
        label=_("A proposal I could vote on does not pass"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=DECISION_CARRIED_OUT,
        text=_("The members' decision “%(title)s” is carried out."),
        label=_("A decision I could vote on is carried out"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=DECISION_WITHDRAWN,
        text=_(
            "“%(title)s” is withdrawn before the members decided: what it was opened for was withdrawn. "
            "Votes already cast are not counted; the proposal's page says why."
        ),
        label=_("A decision the platform put to the members is withdrawn before they decide"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=ELECTION_CALLED,
        text=_("The board calls an election: “%(title)s”. Members can stand until %(opens)s."),
        label=_("The board calls an election"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=NOMINATIONS_CLOSED,
        text=_("Nominations for “%(title)s” are closed: %(candidates)s candidates stand. Vote until %(closes)s."),
        label=_("Nominations close in an election I can vote in"),
        topic=TOPIC,
    ),
    NotificationKind(
        key=ELECTION_COUNTED,
        text=_("The votes in “%(title)s” are counted: see who was elected."),
        label=_("An election I could vote in is counted"),
        topic=TOPIC,
    ),
)


def register() -> None:
    for kind in KINDS:
        register_notification_kind(kind)
