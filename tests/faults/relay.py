"""A TCP relay in front of a real dependency, which a test can break in the ways they break.

`down()`: the port refuses connections and every open one is cut (the process died).
`drop()`: connections are accepted and closed at once (a crashing proxy).
`hang()`: connections are accepted and nothing answers, open ones included (the
process is frozen, SIGSTOP: the kernel still accepts); what was held flows on `heal()`.
`slow(seconds)`: every chunk of the answer is held that long first.
`cut_after(n)`: go down once `n` more bytes have gone towards the dependency (the
middle of a request). `connections` counts the connections the app opened.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from enum import StrEnum
from urllib.parse import urlsplit


class Mode(StrEnum):
    RELAY = "relay"
    DROP = "drop"
    HANG = "hang"
    SLOW = "slow"


class NodeRelay:
    """A relay on a free local port to the host and port of `target_url`."""

    def __init__(self, target_url: str, default_port: int = 80) -> None:
        target = urlsplit(target_url)
        self.target = (target.hostname or "127.0.0.1", target.port or default_port)
        self.scheme = target.scheme or "http"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.connections = 0
        self.mode = Mode.RELAY
        self.delay = 0.0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._cut_after: int | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def is_up(self) -> bool:
        return self._listener is not None

    def up(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR
            listener.settimeout(0.05)
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            if listener is not None:
                listener.close()
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def drop(self) -> None:
        self.mode = Mode.DROP

    def hang(self) -> None:
        self.mode = Mode.HANG

    def slow(self, seconds: float) -> None:
        self.mode, self.delay = Mode.SLOW, seconds

    def heal(self) -> None:
        self.mode, self.delay = Mode.RELAY, 0.0

    def cut_after(self, nbytes: int) -> None:
        self._cut_after = nbytes

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            if self.mode is Mode.DROP:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                self._open.update((client, upstream))
            for source, sink, towards in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pump, args=(source, sink, towards, listener), daemon=True
                ).start()

    def _hold(self, listener: socket.socket, towards_node: bool) -> None:
        """Wait while the relay hangs (or, for answers, while it is slow)."""
        while self.mode is Mode.HANG and self._listener is listener:
            time.sleep(0.01)
        if not towards_node and self.mode is Mode.SLOW:
            time.sleep(self.delay)

    def _pump(
        self,
        source: socket.socket,
        sink: socket.socket,
        towards_node: bool,
        listener: socket.socket,
    ) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._hold(listener, towards_node)
                if self._listener is not listener or self.mode is Mode.DROP:
                    break
                if towards_node and self._cut_after is not None:
                    if len(data) >= self._cut_after:
                        sink.sendall(data[: self._cut_after])
                        self._cut_after = None
                        self.down()
                        return
                    self._cut_after -= len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
