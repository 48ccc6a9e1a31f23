"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that verifies signatures.

It checks each POST the way docs/webhooks.md tells integrators to (HMAC-SHA256 over
"timestamp.body" with the endpoint's secret, the timestamp within 5 minutes of its own
clock) and answers with the statuses the test scripts, 200 once they run out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One POST as the receiver saw it."""

    path: str
    event: dict[str, Any]
    signed: bool  # the signature verified with the secret of the path's endpoint
    status: int  # what the receiver answered


@dataclass
class Receiver:
    """Endpoints at http://127.0.0.1:<port>/<name>, each with its secret."""

    clock: Callable[[], datetime]
    secrets: dict[str, str] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Down: connections to the port are refused until `start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def verify(self, name: str, header: str, body: bytes) -> bool:
        """The integrator's check, as docs/webhooks.md gives it."""
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        if name not in self.secrets or not parts.get("t", "").isdigit():
            return False
        timestamp = int(parts["t"])
        signed = f"{timestamp}.".encode() + body
        expected = hmac.new(self.secrets[name].encode(), signed, hashlib.sha256).hexdigest()
        fresh = abs(self.clock().timestamp() - timestamp) <= 300
        return fresh and hmac.compare_digest(expected, parts.get("v1", ""))

    def ids(self, name: str | None = None, *, status: int = 200) -> list[str]:
        """The event ids received (at `name`) and answered with `status`."""
        return [
            r.event["id"]
            for r in self.received
            if r.status == status and (name is None or r.path == name)
        ]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            name = self.path.strip("/")
            signed = receiver.verify(name, self.headers.get("X-Market-Signature", ""), body)
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            receiver.received.append(Received(name, json.loads(body), signed, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler
