"""Registries: what one app offers another, registered in `AppConfig.ready()` and looked up by key.

An app never imports another app through a string. The app that owns a thing registers it here;
the app that uses it looks it up. A lookup of something unregistered raises `NotRegistered`, and a
`Port` that no app provided fails the start-up check (`manage.py check`), so a missing
registration is never a silent empty result.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.core import checks

T = TypeVar("T")

_REGISTRIES: list[Registry[object]] = []
_PORTS: list[Port[object]] = []


class NotRegistered(LookupError):
    """A lookup named something no app registered: a programming or configuration error."""

    def __init__(self, registry: str, key: str) -> None:
        super().__init__(f"Nothing is registered as {key!r} in the {registry} registry")
        self.registry = registry
        self.key = key


class Registry(Generic[T]):
    """Items of one kind by key, in registration order.

    Registering the same key again replaces the item: apps' `ready()` may run more than once in
    tests, and a replacement is how a test swaps an implementation. `required` keys must be
    registered by start-up (checked by `manage.py check` and every test run).
    """

    def __init__(self, name: str, *, required: tuple[str, ...] = ()) -> None:
        self.name = name
        self.required = required
        self._items: dict[str, T] = {}
        _REGISTRIES.append(self)  # type: ignore[arg-type]

    def register(self, key: str, item: T) -> T:
        self._items[key] = item
        return item

    def get(self, key: str) -> T:
        """Return the item registered as `key`, or raise NotRegistered."""
        try:
            return self._items[key]
        except KeyError:
            raise NotRegistered(self.name, key) from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def missing(self) -> list[str]:
        return [key for key in self.required if key not in self._items]


class Port(Generic[T]):
    """One implementation of a service that a lower app calls and a higher app provides.

    membership (below payouts in the dependency order) records share purchases in the ledger:
    it calls `share_ledger.get().share_purchase(...)`, and payouts provides the implementation
    from its `ready()`. The Protocol the implementation satisfies is declared next to the port.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._impl: T | None = None
        _PORTS.append(self)  # type: ignore[arg-type]

    def provide(self, implementation: T) -> None:
        self._impl = implementation

    def get(self) -> T:
        if self._impl is None:
            raise NotRegistered("port", self.name)
        return self._impl

    @property
    def provided(self) -> bool:
        return self._impl is not None


def registration_errors() -> list[str]:
    """Return what no app registered although some app needs it."""
    problems = [f"port {port.name!r} has no implementation" for port in _PORTS if not port.provided]
    for registry in _REGISTRIES:
        problems += [f"{registry.name}: {key!r} is not registered" for key in registry.missing()]
    return problems


@checks.register()
def check_registrations(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    """Fail start-up when a port or a required registration is missing."""
    return [checks.Error(problem, id="core.E001") for problem in registration_errors()]
