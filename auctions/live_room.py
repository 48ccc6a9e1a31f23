"""One open auction room's Server-Sent Events, fed by `auctions.live`'s messages.

The stream reads the database when it opens (the catch-up, once: a browser that
reconnects with a Last-Event-ID it already shows is sent nothing), at the auction's
start and end, every AUCTION_SSE_POLL_SECONDS only while it waits for the close job,
and on a message that needs names (reviewers) or a result; never on a timer otherwise.
Between events it sends a heartbeat with the server's time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import Flask, current_app

from auctions import closing
from auctions.bidder_rules import Viewer, names_visible
from auctions.live import BIDS_SENT, channel, for_viewer
from auctions.queries import CLOSING
from auctions.settings import AuctionSettings
from core import live
from core.clock import system_clock

LIVE_PHASES = ("running", "upcoming", CLOSING)


def event_id(snapshot: dict[str, Any]) -> str:
    """What a room has seen: the bid count (the end moves only with bids) and the phase."""
    return f"{snapshot['bid_count']}.{snapshot['status']}"


def _event(snapshot: dict[str, Any]) -> str:
    return f"id: {event_id(snapshot)}\nevent: snapshot\ndata: {json.dumps(snapshot)}\n\n"


class _Room:
    """One open stream: its viewer, what it last sent, and when it must look again."""

    def __init__(
        self,
        app: Flask,
        auction_id: int,
        viewer: Viewer,
        *,
        locale: str,
        settings: AuctionSettings,
    ) -> None:
        self.app, self.auction_id, self.viewer = app, auction_id, viewer
        self.locale, self.settings = locale, settings
        self.sent: dict[str, Any] = {}

    def now(self) -> datetime:
        clock = self.app.extensions.get("clock", system_clock)
        moment: datetime = clock()
        return moment

    def read(self) -> dict[str, Any]:
        """The snapshot from the database (closes nothing; asks the job runner to close)."""
        with self.app.app_context():  # a short session, a pooled connection for the read
            return closing.auction_snapshot(
                self.auction_id,
                now=self.now(),
                locale=self.locale,
                bids_limit=BIDS_SENT,
                settings=self.settings,
                viewer=self.viewer,
            )

    def names_shown(self) -> bool:
        return names_visible(self.viewer, closed=False)

    def seconds_to_look(self, poll: float) -> float | None:
        """Until the start or the end changes the phase (a look at the database then)."""
        status = self.sent.get("status")
        if status == CLOSING:
            return poll  # the close job is on its way: look again shortly
        key = {"upcoming": "starts_at", "running": "ends_at"}.get(str(status))
        if key is None:
            return None
        return (datetime.fromisoformat(self.sent[key]) - self.now()).total_seconds()

    def keep(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        self.sent = {**self.sent, **snapshot}
        return snapshot

    def take(self, snapshot: dict[str, Any]) -> str | None:
        """The event to send for `snapshot`, or None if the room already shows it."""
        if self.sent and event_id(snapshot) == event_id(self.sent):
            return None
        return _event(self.keep(snapshot))

    def on_message(self, message: dict[str, Any]) -> str | None:
        if message.get("closed") or message is live.RESYNC or self.names_shown():
            return self.take(self.read())
        if message.get("bid_count", -1) <= self.sent.get("bid_count", -1):
            return None  # older than what the room shows (messages may cross)
        return self.take(for_viewer(message, self.viewer, self.now()))

    def ended(self) -> bool:
        return self.sent.get("status") not in LIVE_PHASES


def room_events(
    auction_id: int,
    viewer: Viewer,
    *,
    locale: str,
    settings: AuctionSettings,
    last_event_id: str | None,
) -> Iterator[str]:
    """The Server-Sent Events of one open room (see the module's docstring)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    config = app.config
    poll = float(config.get("AUCTION_SSE_POLL_SECONDS", 1.0))
    max_seconds = float(config.get("AUCTION_SSE_MAX_SECONDS", 300))
    keepalive = float(config.get("AUCTION_SSE_KEEPALIVE_SECONDS", 15))
    hub = live.hub()
    room = _Room(app, auction_id, viewer, locale=locale, settings=settings)

    def stream() -> Iterator[str]:
        yield "retry: 2000\n\n"
        # Subscribe before the catch-up read: a bid between the two is not missed.
        with hub.subscribe(channel(auction_id)) as inbox:
            snapshot = room.read()
            if last_event_id == event_id(snapshot):
                room.sent = snapshot  # the browser shows this already
            else:
                yield _event(room.keep(snapshot))
            started = last_sent = time.monotonic()
            while not room.ended():
                if time.monotonic() - started >= max_seconds:
                    return  # EventSource reconnects; no worker is held for long
                look = room.seconds_to_look(poll)
                wait = keepalive if look is None else min(keepalive, max(0.0, look))
                wait = min(wait, max(0.0, max_seconds - (time.monotonic() - started)))
                message = inbox.get(timeout=wait)
                if message is not None:
                    out = room.on_message(message)
                elif look is not None and look <= wait:
                    out = room.take(room.read())
                else:
                    out = None
                if out:
                    last_sent = time.monotonic()
                    yield out
                elif time.monotonic() - last_sent >= keepalive:
                    last_sent = time.monotonic()
                    beat = {"server_time": room.now().isoformat()}
                    yield f"event: heartbeat\ndata: {json.dumps(beat)}\n\n"
            yield "event: end\ndata: {}\n\n"

    return stream()
