"""The permission table itself: how a rule decides, what a refusal says, staff roles, the README's copy."""

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from core import permissions
from core.dashboard import roles_for
from core.exceptions import Forbidden, NotAllowed
from core.permissions import Relation, authorize, can, register_kind, register_rule
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def table() -> Iterator[None]:
    """A kind and rules of the test's own, removed afterwards so the real table is left as it was."""
    register_kind("gadget", "gadget", {"owner": Relation("its owner", lambda user, obj: obj.owner_id == user.pk)})
    register_rule(
        "gadget", "polish", "polish", relations={"owner"}, code="not_owner", message="Only the owner polishes."
    )
    register_rule("gadget", "count", "count", roles={"finance"}, system=True)
    register_rule("gadget", "look", "look", roles={"anyone"})
    register_rule(
        "gadget",
        "paint",
        "paint",
        relations={"owner"},
        refusal=lambda user, obj: ("not_yours", "Paint your own.") if obj.owner_id else ("no_owner", "Nobody's."),
    )
    yield
    for action in ("polish", "count", "look", "paint"):
        permissions.PERMISSIONS.pop(("gadget", action))
    permissions.KINDS.pop("gadget")


@pytest.mark.usefixtures("table")
def test_a_relation_allows_its_holder_only() -> None:
    owner, other = UserFactory(), UserFactory()
    gadget = SimpleNamespace(owner_id=owner.pk)

    authorize(owner, "gadget.polish", gadget)
    with pytest.raises(Forbidden) as refused:
        authorize(other, "gadget.polish", gadget)
    assert (refused.value.code, refused.value.message, refused.value.status_code) == (
        "not_owner",
        "Only the owner polishes.",
        403,
    )
    # A Forbidden is a NotAllowed (the services' refusal) and Django's PermissionDenied (a 403 page).
    assert isinstance(refused.value, NotAllowed)
    assert not can(owner, "gadget.polish")  # a relation needs the object


@pytest.mark.usefixtures("table")
def test_a_rule_may_pick_its_refusal_for_the_actor() -> None:
    with pytest.raises(Forbidden) as refused:
        authorize(UserFactory(), "gadget.paint", SimpleNamespace(owner_id=-1))
    assert (refused.value.code, refused.value.message) == ("not_yours", "Paint your own.")


@pytest.mark.usefixtures("table")
def test_the_platform_acts_only_where_the_rule_says_so() -> None:
    authorize(None, "gadget.count")
    with pytest.raises(Forbidden):
        authorize(None, "gadget.polish", SimpleNamespace(owner_id=1))


@pytest.mark.usefixtures("table")
def test_signed_out_visitors_are_refused_unless_anyone_may() -> None:
    assert can(AnonymousUser(), "gadget.look")
    assert not can(AnonymousUser(), "gadget.count")


@pytest.mark.usefixtures("table")
def test_staff_roles_come_from_their_group_and_superusers_hold_both() -> None:
    finance = UserFactory(is_staff=True, staff_roles=["finance"])
    board = UserFactory(is_staff=True, staff_roles=["board"])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    plain_staff = UserFactory(is_staff=True)

    assert can(finance, "gadget.count") and can(superuser, "gadget.count")
    assert not can(board, "gadget.count")
    assert not can(plain_staff, "gadget.count")
    assert roles_for(superuser) >= {"finance", "board", "admin"}
    assert "finance" not in roles_for(board)


@pytest.mark.usefixtures("table")
def test_authorize_works_roles_out_afresh_but_can_uses_the_cached_ones() -> None:
    user = UserFactory()
    assert not can(user, "gadget.count")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get_or_create(name="finance")[0])
    assert not can(user, "gadget.count")  # cached for the request
    authorize(user, "gadget.count")  # a write decides on what holds now


def test_an_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(LookupError):
        can(UserFactory(), "gadget.fly")


def test_a_rule_naming_a_relation_its_kind_lacks_is_refused_at_registration() -> None:
    with pytest.raises(ValueError, match="no relations"):
        register_rule("job", "steal", "steal", relations={"thief"})


def test_every_rule_names_registered_roles_only() -> None:
    from core.dashboard import role_names

    known = set(role_names()) | permissions.PSEUDO_ROLES
    assert {rule.name: sorted(rule.roles - known) for rule in permissions.rules() if rule.roles - known} == {}


def test_an_active_member_holds_the_member_role() -> None:
    assert "member" in roles_for(MemberFactory().user)


def test_the_readme_shows_the_permission_table_as_it_is() -> None:
    out = StringIO()
    call_command("permission_table", stdout=out)
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- permission-table -->\n(.*?)<!-- /permission-table -->", readme, re.S)
    assert found, "README.md has no <!-- permission-table --> section"
    assert found.group(1) == out.getvalue(), "run `manage.py permission_table` and paste it into README.md"
