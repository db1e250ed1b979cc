"""Demo member classes and members."""

from core.demo import demo_user

MEMBER_CLASSES = [
    ("worker", "Worker members", 5000, "Freelancers who work through the platform."),
    ("client", "Client members", 25000, "Clients who hire through the platform."),
    ("community", "Community members", 2500, "Supporters who neither work nor hire."),
]

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


def seed() -> None:
    from membership.models import Member, MemberClass
    from membership.services import member_admit, member_apply

    for slug, name, price, description in MEMBER_CLASSES:
        MemberClass.objects.get_or_create(
            slug=slug, defaults={"name": name, "share_price_cents": price, "description": description}
        )
    admin = demo_user("admin@example.org")
    for email, class_slug in MEMBERS:
        user = demo_user(email)
        if Member.objects.filter(user=user).exists():
            continue
        member = member_apply(user=user, member_class=MemberClass.objects.get(slug=class_slug), actor=user)
        member_admit(member_id=member.pk, actor=admin)
