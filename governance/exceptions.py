"""Governance refusals, each with a stable code."""

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed


class NotOnVoterRoll(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            _("You are not on the voter roll of this ballot: it lists the members who could vote when it opened."),
            code="not_on_voter_roll",
        )


class BallotNotOpen(Conflict):
    def __init__(self) -> None:
        super().__init__(_("This ballot is not open for voting."), code="ballot_not_open")


class BadTransition(Conflict):
    def __init__(self, *, what: str, from_label: str, to_label: str) -> None:
        super().__init__(
            _("%(what)s cannot move from %(from)s to %(to)s.") % {"what": what, "from": from_label, "to": to_label},
            code="bad_transition",
        )


class InvalidPayload(ApplicationError):
    def __init__(self, message: str, *, detail: dict | None = None) -> None:
        super().__init__(message, code="invalid_payload", detail=detail)


class MembersOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(_("Only active members can do this."), code="members_only")
