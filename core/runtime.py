"""How a web process settles once the app is loaded: what gunicorn's master does before it forks.

Django, its apps, the URLconf and the compiled base templates are some hundreds of thousands of
objects that live as long as the process. Python's cyclic garbage collector would walk all of
them on every full collection, which a request's temporary objects trigger every few requests;
`gc.freeze()` moves them out of its way (and keeps the pages they sit on shared between the
forked workers, as the gc module's documentation recommends for pre-fork servers). Only objects
that exist when it runs are frozen: what requests create later is collected as before.
"""

from __future__ import annotations

import gc

_settled: list[int] = []


def settle_loaded_app() -> int:
    """Load what every request needs (URLconf, base template) and freeze it, once per process; return
    how many objects that froze."""
    from django.template.loader import get_template
    from django.urls import reverse

    if not _settled:
        reverse("home")
        get_template("base.html")
        gc.collect()
        gc.freeze()
        _settled.append(gc.get_freeze_count())
    return _settled[0]
