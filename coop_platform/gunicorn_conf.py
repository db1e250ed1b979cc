"""Gunicorn's settings for the web container: `gunicorn -c python:coop_platform.gunicorn_conf coop_platform.wsgi`.

No server banner. Gunicorn writes `Server: gunicorn` into every answer itself, in front of the
headers the application returns, so no WSGI or Django middleware can take it out; and it has no
setting for it (its maintainers declined one, benoitc/gunicorn#825). The usual recipe of setting
`gunicorn.SERVER` in a config file stopped working once gunicorn.http.wsgi copied the name at
import. What works with gunicorn 23 and later is to drop the line where gunicorn writes it:
`Response.default_headers` builds the status line, `Server`, `Date` and `Connection` for HTTP/1.x,
which is what the sync workers speak here (HTTP/2 and gunicorn's ASGI mode are not used). The
master imports this module before it forks the workers, so every worker inherits the change.
tests/core/test_security_headers.py starts gunicorn with this file and checks a real answer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from gunicorn.http import wsgi  # type: ignore[import-untyped]

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# The app is loaded once, in the master, and settled before the workers fork (core.runtime): the
# workers share its memory and their garbage collector no longer walks it on every full collection.
preload_app = True


def pre_fork(server: object, worker: object) -> None:
    from core.runtime import settle_loaded_app

    settle_loaded_app()


logger = logging.getLogger("gunicorn.error")
SERVER_LINE = "server:"


def without_server_header(default_headers: Callable[[object], list[str]]) -> Callable[[object], list[str]]:
    """Wrap gunicorn's default_headers so that the `Server` line it writes is left out."""

    def headers(response: object) -> list[str]:
        return [line for line in default_headers(response) if not line.lower().startswith(SERVER_LINE)]

    headers.without_server = True  # type: ignore[attr-defined]
    return headers


_default_headers = getattr(wsgi.Response, "default_headers", None)
if _default_headers is None:
    # A gunicorn that builds its headers elsewhere: serve on, banner and all, and say so.
    logger.warning("coop_platform.gunicorn_conf: gunicorn has no Response.default_headers; Server header left on")
elif not getattr(_default_headers, "without_server", False):
    wsgi.Response.default_headers = without_server_header(_default_headers)
