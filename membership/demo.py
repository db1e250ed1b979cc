"""Demo people, member classes, bylaws, members and an applicant.

Everyone applies, which opens a share payment request; payouts' demo (seeded after this one) pays
the open share requests, as the finance admin would record the bank transfers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from core.demo import DEMO_PASSWORD, PEOPLE, STAFF_ROLES, demo_user

if TYPE_CHECKING:
    from membership.models import Member, MembershipPolicy, User

MEMBER_CLASSES = [
    ("worker", "Worker members", 5000, "Freelancers who work through the platform."),
    ("client", "Client members", 25000, "Clients who hire through the platform."),
    ("community", "Community members", 2500, "Supporters who neither work nor hire."),
]

BYLAWS_VERSION = "2025.1"
BYLAWS_TEXT = """Article 1. Name and seat
The cooperative is called Commons Work Cooperative.

Article 2. Purpose
The cooperative runs a marketplace on which its members and others work and hire, and pays its
surplus back to its members in proportion to their work through the platform.

Article 3. Members
Anyone who works through, hires through or supports the platform can apply. Each member holds the
shares their member class requires and has one vote in the general meeting.

Article 4. Leaving
A member can resign with thirty days' notice; their shares are paid back at face value.
"""

MEMBERS = [
    ("admin@example.org", "community"),
    ("finance@example.org", "community"),
    ("ada@example.org", "worker"),
    ("bram@example.org", "worker"),
    ("chloe@example.org", "worker"),
    ("dev@example.org", "worker"),
    ("eva@example.org", "worker"),
    ("gemma@example.org", "client"),
    ("hugo@example.org", "client"),
    ("jan@example.org", "community"),
    ("kim@example.org", "community"),
]
# Applied (and paid by payouts' demo), waiting for the board: shows the admission queue.
APPLICANTS = [("farid@example.org", "worker")]


def _joined(index: int) -> datetime:
    """Return when the index-th demo member joined: the founders as the 2025 bylaws took effect, then one
    every seven weeks, and in any case two months ago at the latest (so last month's cycle has them)."""
    founded = datetime(2025, 1, 15, 12, tzinfo=timezone.get_current_timezone())
    return min(founded + timedelta(days=49 * index), timezone.now() - timedelta(days=60))


def _people() -> None:
    """Create core's demo people (the apps seeded later look them up), each with a verified address."""
    from allauth.account.models import EmailAddress

    from membership.models import User
    from membership.services import user_create

    for email, name, flags in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            roles = STAFF_ROLES.get(email, ())
            user = user_create(email=email, password=DEMO_PASSWORD, display_name=name, staff_roles=roles, **flags)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def seed() -> None:
    from membership.models import BylawsAcceptance, BylawsVersion, Member, MemberClass
    from membership.selectors import membership_policy
    from membership.services import member_apply

    _people()
    for slug, name, price, description in MEMBER_CLASSES:
        MemberClass.objects.get_or_create(
            slug=slug, defaults={"name": name, "share_price_cents": price, "description": description}
        )
    bylaws, _created = BylawsVersion.objects.get_or_create(
        version=BYLAWS_VERSION, defaults={"text": BYLAWS_TEXT, "effective_on": date(2025, 1, 1)}
    )
    policy = membership_policy()
    admin = demo_user("admin@example.org")
    people = [(e, c, True) for e, c in MEMBERS] + [(e, c, False) for e, c in APPLICANTS]
    for index, (email, class_slug, admit) in enumerate(people):
        user = demo_user(email)
        if Member.objects.filter(user=user).exists():
            continue
        member = member_apply(
            user=user,
            member_class=MemberClass.objects.get(slug=class_slug),
            motivation="I want to own the platform I work on.",
            bylaws_version=bylaws,
            actor=user,
        )
        if admit:
            # Members joined over the coop's first year, not today: so that last month's payout
            # cycle has members to share in, and years of membership differ between them.
            joined = _joined(index)
            Member.objects.filter(pk=member.pk).update(joined_at=joined)
            BylawsAcceptance.objects.filter(user=user).update(accepted_at=joined - timedelta(days=3))
            _admit_unpaid(member, policy=policy, actor=admin)


def _admit_unpaid(member: Member, *, policy: MembershipPolicy, actor: User) -> None:
    """Admit a demo member before their share is paid; payouts' demo records the transfers right after.

    The demo lifts the policy's share check for this moment only, so that membership seeds no payments.
    """
    from membership.services import member_admit

    required = policy.require_share_payment
    policy.require_share_payment = False
    policy.save(update_fields=["require_share_payment", "updated_at"])
    try:
        member_admit(member_id=member.pk, actor=actor)
    finally:
        policy.require_share_payment = required
        policy.save(update_fields=["require_share_payment", "updated_at"])
