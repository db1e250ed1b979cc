"""The registry of personal data: every app declares which of its models hold data about a person.

Each app registers its models from its AppConfig.ready(), with the rule for finding, exporting and
erasing a person's rows; apps with a reason to refuse an account deletion register a guard.
membership's download-my-data, account deletion and privacy page are driven by this registry, so
a model that holds personal data and is not registered is a bug (tests/membership walks every
model with a foreign key to the user model and fails on one that is neither registered nor
exempted). core registers its own models here too (`register_core_personal_data`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Erasure strategies for a whole model.
DELETE = "delete"
KEEP = "keep"
# Erasure strategies for one field (in a {field: strategy} mapping).
BLANK = "blank"
PSEUDONYM = "pseudonym"

# The reason, shared by every app, for keeping who-did-what records under a pseudonym.
ACCOUNTABILITY = _("It shows who did what, which the coop must be able to prove; it is kept under a pseudonym.")

# core cannot name the user model (it sits below membership), so a person is `Any` here.
Rows = QuerySet[Any]
UserLookup = str | Sequence[str] | Callable[[Any], Rows]
EraseFunction = Callable[[Rows, "Erasure"], None]
Text = str | Promise
EraseSpec = str | Mapping[str, str] | EraseFunction


@dataclass(frozen=True)
class Erasure:
    """What an erase function needs: the person, the pseudonym and the words to scrub."""

    user_id: int
    pseudonym: str
    pseudonym_email: str
    identifiers: tuple[str, ...]

    def scrub(self, text: str) -> str:
        """Return the text with every identifier (name, email address) replaced by the pseudonym."""
        import re

        for identifier in self.identifiers:
            text = re.sub(re.escape(identifier), self.pseudonym, text, flags=re.IGNORECASE)
        return text


@dataclass(frozen=True)
class PersonalDataEntry:
    model: type[models.Model]
    user_lookup: tuple[str, ...] | Callable[[Any], Rows]
    erase: EraseSpec
    secret: bool | frozenset[str]
    purpose: Text
    keep_reason: Text
    label: Text
    order: int = field(default=100)
    scrub_all: bool = False

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    def rows(self, user: Any) -> Rows:
        """Return this model's rows about the user."""
        if callable(self.user_lookup):
            return self.user_lookup(user)
        condition = Q()
        for lookup in self.user_lookup:
            condition |= Q(**{lookup: user.pk})
        manager = self.model._base_manager
        # A subquery rather than DISTINCT: lookups across relations may repeat a row, and
        # PostgreSQL refuses DISTINCT together with FOR UPDATE.
        return manager.filter(pk__in=manager.filter(condition).values("pk"))

    @property
    def kept(self) -> bool:
        return self.erase != DELETE

    def describe_erasure(self) -> str:
        """Return a stable word for what deletion does: deleted, kept or pseudonymised."""
        if self.erase == DELETE:
            return "deleted"
        if self.erase == KEEP:
            return "kept"
        return "pseudonymised"


_ENTRIES: dict[str, PersonalDataEntry] = {}
_EXEMPT: dict[str, str] = {}


def _key(model: type[models.Model]) -> str:
    """Return the registry key of a model: its concrete model's label, so proxies share it."""
    return (model._meta.concrete_model or model)._meta.label_lower


def register_personal_data(
    model: type[models.Model],
    user_lookup: UserLookup,
    *,
    erase: EraseSpec = DELETE,
    secret: bool | Iterable[str] = False,
    purpose: Text = "",
    keep_reason: Text = "",
    label: Text | None = None,
    order: int = 100,
    scrub_all: bool = False,
) -> None:
    """Declare that `model` holds personal data, and how to find, export and erase a person's rows.

    Call it from your AppConfig.ready(); registering a model again replaces its entry.

    - `user_lookup`: how to find the person's rows. A lookup path from the model to the user
      ("user", "client", "contract__freelancer"), a sequence of paths whose matches are OR-ed
      (("sender", "recipient")), or a callable `user -> QuerySet` for anything else. Every foreign
      key from the model to the user model must be covered, since rows where the person is the
      actor are theirs too.
    - `erase`: what account deletion does with those rows:
        `DELETE` ("delete") removes them (the default);
        `KEEP` ("keep") keeps them for a legal reason (say which in `keep_reason`): they keep
        pointing at the user row, which itself is pseudonymised;
        a mapping `{field_name: BLANK | PSEUDONYM}` keeps the rows and empties those fields or
        puts the pseudonym ("Former user 42") into them;
        a callable `(rows: QuerySet, erasure: Erasure) -> None` does anything else.
      After a keeping strategy, every text and JSON field of the kept rows that still contains the
      person's name or an email address of theirs is rewritten with the pseudonym.
    - `secret`: `True` exports only that each row exists and when (its id, the person's keys and
      its dates), never its content (a secret ballot); an iterable of field names leaves just those
      fields out (a password hash, a token, an MFA secret).
    - `scrub_all`: also rewrite the person's name and email addresses in rows that are not theirs
      (a log or a published result that mentions people by name in free text).
    - `purpose`: a plain-language sentence (lazily translated) on why the coop stores it; it is
      shown on the privacy page. `label` defaults to the model's verbose_name_plural.

    Example, from marketplace's ready():

        from core.privacy import register_personal_data, KEEP, PSEUDONYM
        register_personal_data(Job, "client", erase={"description": PSEUDONYM},
                               purpose=_("The jobs you posted, so freelancers can find them."))
    """
    lookup: tuple[str, ...] | Callable[[Any], Rows]
    if isinstance(user_lookup, str):
        lookup = (user_lookup,)
    elif callable(user_lookup):
        lookup = user_lookup
    else:
        lookup = tuple(user_lookup)
    if isinstance(erase, str) and erase not in {DELETE, KEEP}:
        raise ValueError(f"Unknown erase strategy {erase!r} for {model._meta.label}")
    if isinstance(erase, Mapping):
        names = {f.name for f in model._meta.get_fields()}
        for name, strategy in erase.items():
            if name not in names or strategy not in {BLANK, PSEUDONYM}:
                raise ValueError(f"Bad erase rule {name!r}: {strategy!r} for {model._meta.label}")
    concrete = model._meta.concrete_model or model
    entry = PersonalDataEntry(
        model=concrete,
        user_lookup=lookup,
        erase=erase,
        secret=secret if isinstance(secret, bool) else frozenset(secret),
        purpose=purpose,
        keep_reason=keep_reason,
        label=label if label is not None else (concrete._meta.verbose_name_plural or concrete.__name__),
        order=order,
        scrub_all=scrub_all,
    )
    _ENTRIES[entry.key] = entry


def exempt_personal_data(model: type[models.Model], *, reason: str) -> None:
    """Declare that a model with a foreign key to the user model holds no personal data to export.

    Give the reason (for the test and the reader), for example "the user is only the author of a
    system setting". Prefer registering: exemption is for rows that say nothing about the person.
    """
    if not reason.strip():
        raise ValueError("An exemption needs a reason")
    _EXEMPT[_key(model)] = reason


def personal_data_entries() -> list[PersonalDataEntry]:
    """Return every registered entry, in erasure order (the user row itself comes last)."""
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key))


def personal_data_entry(model: type[models.Model]) -> PersonalDataEntry | None:
    return _ENTRIES.get(_key(model))


def personal_data_exemption(model: type[models.Model]) -> str | None:
    return _EXEMPT.get(_key(model))


# A reason an account cannot be deleted yet: `guard(user) -> str | None`, a translated message
# saying what to do first (withdraw your balance, finish your contracts), or None.
DeletionGuard = Callable[[Any], str | None]

_GUARDS: list[DeletionGuard] = []


def register_deletion_guard(guard: DeletionGuard) -> None:
    """Register a check that can refuse an account deletion with a message (from AppConfig.ready())."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def deletion_guards() -> list[DeletionGuard]:
    return list(_GUARDS)


def register_core_personal_data() -> None:
    """Register core's own models that hold personal data: the audit log, notifications and API tokens."""
    from core.models import ApiToken, AuditEvent, IdempotencyKey, Notification, NotificationSetting

    register_personal_data(
        AuditEvent,
        ("actor", "subject"),
        erase=KEEP,
        purpose=_("The audit log: what you did, and what others did that concerns you."),
        keep_reason=ACCOUNTABILITY,
        scrub_all=True,
    )
    # Notices to others name the person who acted ("Ada sent you a message"), so the name is
    # rewritten in every notice, not only in the person's own.
    register_personal_data(
        Notification,
        "user",
        erase=DELETE,
        purpose=_("The notices we showed or emailed you."),
        scrub_all=True,
    )
    register_personal_data(
        NotificationSetting,
        "user",
        erase=DELETE,
        purpose=_("Which notices you want in the app, by email or both."),
    )
    register_personal_data(
        ApiToken,
        "user",
        erase=DELETE,
        secret=["key_hash"],
        purpose=_("The API tokens you made: their names and when they were made, last used and expire."),
    )
    register_personal_data(
        IdempotencyKey,
        "user",
        erase=DELETE,
        purpose=_(
            "Your API writes of the last 24 hours sent with an Idempotency-Key, and their answers, so a "
            "retried request is answered without being carried out twice."
        ),
    )
