"""A web process settles once loaded (core.runtime, gunicorn's pre_fork): the app is frozen out of the
garbage collector's way, once, and requests still free what they make."""

import gc
import weakref
from collections.abc import Iterator

import pytest

from coop_platform import gunicorn_conf
from core import runtime
from core.runtime import settle_loaded_app


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(runtime, "_settled", [])
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_settling_freezes_the_loaded_app_once(unfrozen: None) -> None:
    frozen = settle_loaded_app()
    assert frozen > 10_000
    assert gc.get_freeze_count() <= frozen
    made_later = [[] for _ in range(20_000)]
    assert settle_loaded_app() == frozen  # a second fork does not freeze again
    assert gc.get_freeze_count() < frozen + len(made_later)


def test_objects_made_after_settling_are_still_collected(unfrozen: None) -> None:
    settle_loaded_app()

    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first  # type: ignore[attr-defined]
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None


def test_gunicorn_loads_the_app_in_the_master_and_settles_it_before_forking(unfrozen: None) -> None:
    assert gunicorn_conf.preload_app is True
    gunicorn_conf.pre_fork(object(), object())
    assert gc.get_freeze_count() > 10_000
