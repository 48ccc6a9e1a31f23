"""The fault relay itself, against a local echo server: relay, drop, hang, slow, heal
(down, the node dying, is exercised by tests/integration/search/test_outage.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.faults.relay import NodeRelay


@pytest.fixture
def echo_relay() -> Iterator[NodeRelay]:
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=lambda c=conn: _echo(c), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    relay = NodeRelay(f"tcp://127.0.0.1:{server.getsockname()[1]}")
    relay.up()
    yield relay
    relay.heal()
    relay.down()
    server.close()


def _echo(conn: socket.socket) -> None:
    with conn:
        while data := conn.recv(1024):
            conn.sendall(data)


def _ask(relay: NodeRelay, timeout: float = 0.3) -> tuple[bytes | None, float]:
    """The echo of b"ping" (b"" when the connection was cut, None when nothing came)."""
    started = time.perf_counter()
    answer: bytes | None
    try:
        with socket.create_connection(("127.0.0.1", relay.port), timeout=timeout) as sock:
            sock.sendall(b"ping")
            answer = sock.recv(16)
    except TimeoutError:
        answer = None
    except ConnectionRefusedError:
        raise
    except OSError:  # reset by the relay
        answer = b""
    return answer, time.perf_counter() - started


def test_each_mode_breaks_the_way_it_says(echo_relay: NodeRelay) -> None:
    assert _ask(echo_relay)[0] == b"ping"
    echo_relay.drop()
    assert _ask(echo_relay)[0] == b""  # accepted, then closed
    echo_relay.hang()
    assert _ask(echo_relay)[0] is None  # accepted, never answered
    echo_relay.slow(0.15)
    answer, took = _ask(echo_relay)
    assert answer == b"ping" and took >= 0.15
    echo_relay.heal()
    assert _ask(echo_relay)[0] == b"ping"
