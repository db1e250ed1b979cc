"""Who may do what: the one permission table, shared by services, pages and the API.

Each app registers the kinds of object it owns, with the relations a person can have to one ("the
job's client"), and a rule per action: which roles (core.dashboard's registry, e.g. "finance",
"board", "member") or relations allow it, and whether the platform itself (a task, a members'
decision: actor None) may do it. `authorize()` is called by every service that writes; pages and
the API ask `can()` (or the `{% can %}` tag) to show only what the person may do. The README's
permission matrix is printed from this table (`manage.py permission_table`).
"""

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from core.dashboard import roles_for
from core.exceptions import ErrorCode, Forbidden

if TYPE_CHECKING:
    # django-stubs' name for the AUTH_USER_MODEL (its mypy plugin expands it to membership's User),
    # so core is typed against the real user model without importing an app. Stubs only: no
    # such name exists at run time.
    from django.contrib.auth.models import _User


def signed_in_user(request: HttpRequest | Request) -> "_User":
    """Return the request's signed-in user; refuse an anonymous one.

    For views that already require a signed-in user (IsAuthenticated, login_required): it narrows
    `request.user` to the user model, and refuses rather than carries on should that guard be lost.
    """
    user = request.user
    if not isinstance(user, AbstractBaseUser):
        raise PermissionDenied
    return user


def has_verified_email(user: Any) -> bool:
    """Return whether the user confirmed their primary email address (cached per user object)."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    cached = getattr(user, "_coop_email_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()
        user._coop_email_verified = cached
    return bool(cached)


def verified_email_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only users with a verified email through: posting, proposing and voting need one."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_verified_email(request.user):
            messages.warning(request, _("Please verify your email address first. We sent you a link."))
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapper


class HasVerifiedEmail(BasePermission):
    message = gettext_lazy("Verify your email address before doing this.")
    code = "email_not_verified"

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and has_verified_email(request.user))


# Pseudo-roles a rule may name besides the registered ones: everyone, even signed out; every
# signed-in person.
ANYONE = "anyone"
AUTHENTICATED = "authenticated"
PSEUDO_ROLES = frozenset({ANYONE, AUTHENTICATED})

RelationTest = Callable[[Any, Any], bool]
# Picks the (code, message) of a refusal for this actor and object, e.g. "not a party" for an
# outsider but "only the client can do this" for the freelancer on the same contract.
Refusal = Callable[[Any, Any], tuple[str, str]]


@dataclass(frozen=True)
class Relation:
    """A relation a person can have to an object of one kind: `holds(user, obj)`.

    Labels here and on kinds and rules are English: they document the table (the README), and no
    page shows them.
    """

    label: str
    holds: RelationTest


@dataclass(frozen=True)
class Kind:
    """A kind of object rules are about ("job", "milestone"), with the relations people have to one."""

    name: str
    label: str
    relations: Mapping[str, Relation] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """Who may do one action on one kind of object: any of `roles`, any of `relations`, the platform."""

    kind: str
    action: str
    label: str
    roles: frozenset[str] = frozenset()
    relations: frozenset[str] = frozenset()
    system: bool = False
    code: str = ErrorCode.PERMISSION_DENIED
    message: Any = None
    refusal: Refusal | None = None

    @property
    def name(self) -> str:
        return f"{self.kind}.{self.action}"

    def refuse(self, actor: Any, obj: Any) -> Forbidden:
        """Return the refusal of this actor: the rule's own code and message, or the one it picks."""
        if self.refusal is not None and actor is not None and getattr(actor, "is_authenticated", False):
            code, message = self.refusal(actor, obj)
        else:
            code, message = self.code, str(self.message or _("You are not allowed to do this."))
        return Forbidden(message, code=code)


KINDS: dict[str, Kind] = {}
# The table: (kind, action) -> rule. Filled by each app's AppConfig.ready().
PERMISSIONS: dict[tuple[str, str], Rule] = {}


def register_kind(name: str, label: str, relations: Mapping[str, Relation] | None = None) -> Kind:
    """Register a kind of object and the relations people can have to one (from `ready()`)."""
    kind = Kind(name=name, label=label, relations=dict(relations or {}))
    KINDS[name] = kind
    return kind


def register_rule(
    kind: str,
    action: str,
    label: str,
    *,
    roles: Collection[str] = (),
    relations: Collection[str] = (),
    system: bool = False,
    code: str = ErrorCode.PERMISSION_DENIED,
    message: Any = None,
    refusal: Refusal | None = None,
) -> Rule:
    """Say who may do `action` on objects of `kind`: any of `roles`, any of `relations`, the platform.

    Registering the same action again replaces it (ready() may run more than once in tests).
    """
    registered = KINDS.get(kind)
    if registered is None:
        raise ValueError(f"Register the kind {kind!r} before its rules")
    unknown = set(relations) - set(registered.relations)
    if unknown:
        raise ValueError(f"The kind {kind!r} has no relations {sorted(unknown)}")
    if "." in action:
        raise ValueError(f"An action name has no dot: {action!r}")
    rule = Rule(
        kind=kind,
        action=action,
        label=label,
        roles=frozenset(roles),
        relations=frozenset(relations),
        system=system,
        code=code,
        message=message,
        refusal=refusal,
    )
    PERMISSIONS[(kind, action)] = rule
    return rule


def rule_for(action: str) -> Rule:
    """Return the rule of "kind.action"; an action nobody registered is a programming error."""
    kind, _dot, name = action.partition(".")
    try:
        return PERMISSIONS[(kind, name)]
    except KeyError:
        raise LookupError(f"No permission rule is registered for {action!r}") from None


def rules() -> Iterator[Rule]:
    """Return every rule, by kind and action in the order they were registered."""
    return iter(list(PERMISSIONS.values()))


def _allows(rule: Rule, actor: Any, obj: Any, *, refresh: bool) -> bool:
    if ANYONE in rule.roles:
        return True
    if actor is None:
        return rule.system
    if not getattr(actor, "is_authenticated", False):
        return False
    if AUTHENTICATED in rule.roles:
        return True
    if obj is not None and rule.relations:
        relations = KINDS[rule.kind].relations
        if any(relations[name].holds(actor, obj) for name in rule.relations):
            return True
    named = rule.roles - PSEUDO_ROLES
    if not named:
        return False
    return bool(named & roles_for(actor, refresh=refresh))


def can(actor: Any, action: str, obj: Any = None) -> bool:
    """Return whether `actor` may do `action` ("kind.action") to `obj`, by the permission table.

    For pages and the API deciding what to show; roles are those cached for the request. A rule
    that allows only a relation is false without an object.
    """
    return _allows(rule_for(action), actor, obj, refresh=False)


def authorize(actor: Any, action: str, obj: Any = None) -> None:
    """Refuse, with the rule's stable code and message, unless `actor` may do `action` to `obj`.

    Services call it before they write. `actor` None is the platform itself (a task, a members'
    decision being carried out), allowed only where the rule says so. Roles are worked out afresh
    (the user's membership may have changed since they were cached); a rule that a relation
    satisfies needs no query.
    """
    rule = rule_for(action)
    if not _allows(rule, actor, obj, refresh=True):
        raise rule.refuse(actor, obj)


def page_permission(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let through to a page only those the rule of `action` allows without an object; others get 403.

    For pages about no one object (the finance pages, the board's lists). Signed-out visitors are
    sent to log in first.
    """
    rule_for(action)  # fail at import, not at the first request, on a misspelt action

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            authorize(request.user, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def api_permission(action: str) -> type[BasePermission]:
    """Return a DRF permission class that lets through those the rule of `action` allows without an object.

    The refusal carries the rule's code and message, as the service's own would.
    """
    rule = rule_for(action)

    class Allowed(BasePermission):
        message = rule.message or gettext_lazy("You are not allowed to do this.")
        code = rule.code

        def has_permission(self, request: Any, view: Any) -> bool:
            return bool(request.user and request.user.is_authenticated and can(request.user, action))

    Allowed.__name__ = Allowed.__qualname__ = f"Allowed[{action}]"
    return Allowed


def matrix_markdown() -> str:
    """Return the permission table as a Markdown table (in English, for the README): an action per row.

    A column for each role some rule names (in the order roles were registered), then "or whoever
    is" (the relations that also allow it) and "platform" (a task or a members' decision may do it).
    """
    from core.dashboard import role_label, role_names

    used = {role for rule in PERMISSIONS.values() for role in rule.roles}
    columns = [r for r in (ANYONE, AUTHENTICATED) if r in used]
    columns += [r for r in role_names() if r in used]
    headings = {ANYONE: "anyone", AUTHENTICATED: "signed in"}
    head = ["object", "action"]
    head += [headings.get(r) or str(role_label(r)).lower() for r in columns]
    head += ["or whoever is", "platform"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rule in PERMISSIONS.values():
        kind = KINDS[rule.kind]
        cells = [kind.label, rule.label]
        cells += ["✓" if role in rule.roles else "" for role in columns]
        cells.append(" or ".join(kind.relations[name].label for name in sorted(rule.relations)))
        cells.append("✓" if rule.system else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
