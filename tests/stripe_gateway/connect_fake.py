"""A small local stand-in for Stripe's Connect and balance endpoints, served on 127.0.0.1.

It answers POST /v1/accounts, /v1/account_links, /v1/transfers, /v1/checkout/sessions,
GET /v1/accounts/{id} and GET /v1/balance the way Stripe does, in the shapes the real `stripe` client
parses, and it is strict where Stripe is: every POST must carry an Idempotency-Key, a transfer must
carry a transfer_group, and a repeated key returns the first answer instead of acting twice.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Turn Stripe's form encoding (metadata[key]=v, items[0][x]=v) into nested dicts."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, Any]


@dataclass
class ConnectFake:
    base_url: str = ""
    requests: list[Received] = field(default_factory=list)
    balance: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {"available": [], "pending": []})
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    transfers: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    _by_key: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> ConnectFake:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{secrets.token_hex(6)}")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                status, body = fake.handle("GET", url.path, dict(self.headers), unflatten(parse_qsl(url.query)))
                self._answer(status, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                status, body = fake.handle(
                    "POST", urlsplit(self.path).path, dict(self.headers), unflatten(parse_qsl(raw))
                )
                self._answer(status, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="connect-fake", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def set_balance(self, *, available: int, pending: int = 0, currency: str = "eur") -> None:
        self.balance = {
            "available": [{"amount": available, "currency": currency, "source_types": {"card": available}}],
            "pending": [{"amount": pending, "currency": currency, "source_types": {"card": pending}}],
        }

    def calls(self, method: str, path: str) -> list[Received]:
        return [r for r in self.requests if r.method == method and r.path == path]

    @staticmethod
    def _error(status: int, message: str, param: str = "") -> tuple[int, dict[str, Any]]:
        return status, {"error": {"type": "invalid_request_error", "message": message, "param": param}}

    def handle(
        self, method: str, path: str, headers: dict[str, str], params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            headers = {k.lower(): v for k, v in headers.items()}
            self.requests.append(Received(method, path, headers, params))
            if not headers.get("authorization", "").startswith("Bearer sk_"):
                return self._error(401, "Invalid API Key provided")
            if method == "GET":
                return self._get(path)
            key = headers.get("idempotency-key", "")
            if not key:
                self.errors.append(f"POST {path} without an Idempotency-Key")
                return self._error(400, "This fake requires an Idempotency-Key on every POST")
            seen = self._by_key.get(key)
            if seen is not None:
                if seen[1].get("_path") != path:
                    return self._error(400, "Keys for idempotent requests can only be used for the same endpoint")
                return seen[0], {k: v for k, v in seen[1].items() if k != "_path"}
            status, body = self._post(path, params)
            if status < 500:
                self._by_key[key] = (status, {**body, "_path": path})
            return status, body

    def _get(self, path: str) -> tuple[int, dict[str, Any]]:
        if path == "/v1/balance":
            return 200, {"object": "balance", "livemode": False, **self.balance}
        if path.startswith("/v1/accounts/") and path.removeprefix("/v1/accounts/") in self.accounts:
            return 200, self.accounts[path.removeprefix("/v1/accounts/")]
        return self._error(404, f"No such resource: {path}")

    def _post(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        now = int(time.time())
        if path == "/v1/accounts":
            if params.get("type") != "express":
                return self._error(400, "This fake makes Express accounts only", "type")
            account = {
                "id": f"acct_{secrets.token_hex(8)}",
                "object": "account",
                "type": "express",
                "email": params.get("email"),
                "metadata": params.get("metadata", {}),
                "payouts_enabled": False,
                "charges_enabled": False,
                "details_submitted": False,
                "created": now,
            }
            self.accounts[account["id"]] = account
            return 200, account
        if path == "/v1/account_links":
            if params.get("account") not in self.accounts:
                return self._error(400, "No such account", "account")
            for name in ("refresh_url", "return_url", "type"):
                if not params.get(name):
                    return self._error(400, f"Missing required param: {name}", name)
            return 200, {
                "object": "account_link",
                "url": f"https://connect.stripe.test/setup/e/{params['account']}/{secrets.token_hex(6)}",
                "created": now,
                "expires_at": now + 300,
            }
        if path == "/v1/transfers":
            if not params.get("transfer_group"):
                self.errors.append("transfer without transfer_group")
                return self._error(400, "This fake requires a transfer_group", "transfer_group")
            if params.get("destination") not in self.accounts:
                return self._error(400, "No such destination", "destination")
            transfer = {
                "id": f"tr_{secrets.token_hex(8)}",
                "object": "transfer",
                "amount": int(params["amount"]),
                "currency": params["currency"],
                "destination": params["destination"],
                "transfer_group": params["transfer_group"],
                "metadata": params.get("metadata", {}),
                "reversed": False,
                "created": now,
            }
            self.transfers[transfer["id"]] = transfer
            return 200, transfer
        if path == "/v1/checkout/sessions":
            session_id = f"cs_test_{secrets.token_hex(10)}"
            return 200, {
                "id": session_id,
                "object": "checkout.session",
                "mode": params.get("mode"),
                "status": "open",
                "payment_status": "unpaid",
                "url": f"https://checkout.stripe.test/c/pay/{session_id}",
                "metadata": params.get("metadata", {}),
                "amount_total": int(params["line_items"]["0"]["price_data"]["unit_amount"]),
                "currency": params["line_items"]["0"]["price_data"]["currency"],
                "payment_intent": None,
                "created": now,
            }
        return self._error(404, f"Unrecognized request URL (POST: {path})")
