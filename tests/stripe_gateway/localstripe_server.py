"""Run localstripe (the buyer side of Stripe: PaymentIntents, charges, refunds) on 127.0.0.1.

localstripe pickles its whole store to /tmp/localstripe.pickle after every write (Store.__setitem__,
Store.__delitem__ and a response middleware all call Store.dump_to_disk). The launcher turns that
method into a no-op before the app serves anything, so tests leave no file behind and never read
another run's state. The aiohttp app runs on its own event loop in a daemon thread, on a free port.

Run alone: `python tests/stripe_gateway/localstripe_server.py` prints the base URL and serves until
interrupted.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any


def _no_disk_writes() -> None:
    from localstripe import resources

    resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]
    resources.Store.try_load_from_disk = lambda self: None  # type: ignore[method-assign]


# localstripe's aiohttp app is one module-level object bound to the event loop it first ran on:
# a second server in the same process fails ("initialized with different loop"). Every start
# therefore shares one running server, and the last stop ends it.
_shared: LocalStripe | None = None
_users = 0
_lock = threading.Lock()


@dataclass
class LocalStripe:
    base_url: str = ""
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: Any = field(default=None, repr=False)

    def start(self) -> LocalStripe:
        """Start the shared server (or join the one already running) and return it."""
        global _shared, _users
        with _lock:
            if _shared is None:
                _shared = self._start()
            _users += 1
            return _shared

    def stop(self) -> None:
        """Leave the shared server; the last one to leave stops it."""
        global _shared, _users
        with _lock:
            _users -= 1
            if _users == 0 and _shared is not None:
                _shared._stop()
                _shared = None

    def _start(self) -> LocalStripe:
        _no_disk_writes()
        from aiohttp import web
        from localstripe.server import app

        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                runner = web.AppRunner(app, access_log=None)
                loop.run_until_complete(runner.setup())
                site = web.TCPSite(runner, "127.0.0.1", 0)
                loop.run_until_complete(site.start())
                port = runner.addresses[0][1]
                self.base_url = f"http://127.0.0.1:{port}"
                self._runner = runner
            except BaseException as exc:  # reported to the starting thread below
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            # localstripe schedules a webhook task per event; with no endpoint registered they
            # only sleep, so cancel them rather than leave them pending at exit.
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.gather(*asyncio.all_tasks(loop), return_exceptions=True))
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=serve, name="localstripe", daemon=True)
        self._thread.start()
        if not ready.wait(timeout=15):
            raise RuntimeError("localstripe did not start within 15 s")
        if failure:
            raise RuntimeError("localstripe failed to start") from failure[0]
        return self

    def _stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def store(self) -> Any:
        """Return localstripe's in-memory store (the server runs in this process)."""
        from localstripe.resources import store

        return store


if __name__ == "__main__":
    server = LocalStripe().start()
    print(server.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()
