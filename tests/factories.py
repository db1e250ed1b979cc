"""factory_boy factories shared by every app's tests."""

import factory
from allauth.account.models import EmailAddress

from membership.models import Member, MemberClass, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Give the user a confirmed primary address unless verified=False is passed."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def staff_roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        """Put the user in the groups of these staff roles: staff_roles=["finance"] (core.dashboard.STAFF_GROUPS)."""
        from django.contrib.auth.models import Group

        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class MemberClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberClass
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Class {n}")
    slug = factory.Sequence(lambda n: f"class-{n}")
    share_price_cents = 5000


class MemberFactory(factory.django.DjangoModelFactory):
    """An admitted, active member (built through the model, for test set-up only)."""

    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    member_class = factory.SubFactory(MemberClassFactory)
    member_number = factory.Sequence(lambda n: n + 1000)
    status = Member.Status.ACTIVE
    shares = 1
    joined_at = factory.Faker("date_time_this_decade", tzinfo=__import__("datetime").UTC)
