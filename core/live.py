"""Live fan-out: small messages published after a commit, fed to this process's open streams.

A domain publishes on a channel (`publish("auction:7", {...})`, from an after-commit
step: never before the commit, or a stream could show what was rolled back) and a
server-sent-event stream subscribes to the channels it shows. Each web process keeps
one registry of subscriptions, so 500 open rooms cost 500 queues and no database read.

- `LIVE_REDIS_URL` (default: `REDIS_URL`) set: Redis pub/sub. Each process runs ONE listener
  thread, pattern-subscribed to every channel of the market, that hands each message to
  the local subscriptions of its channel; a message for a channel nobody here watches is
  dropped. Several nodes then see one another's bids.
- Otherwise (SQLite, `make run`): an in-process broadcaster, enough for one process.

Pub/sub is at most once: a listener that lost its connection tells every subscription
to `RESYNC` once it is back (the stream reads the database once), and a stream's
browser reconnects with Last-Event-ID, which also reads the database once.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)

RESYNC: dict[str, Any] = {"resync": True}  # "you may have missed messages: read the database"
QUEUE_SIZE = 64  # a stream that falls this far behind resynchronises instead
RECONNECT_SECONDS = 1.0
READY_WAIT_SECONDS = 2.0


class Subscription:
    """One stream's mailbox on one channel."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(QUEUE_SIZE)
        self._overflowed = False

    def put(self, message: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(message)
        except queue.Full:
            self._overflowed = True

    def get(self, timeout: float) -> dict[str, Any] | None:
        """The next message, `RESYNC` after an overflow, or None after `timeout` seconds."""
        if self._overflowed:
            self._overflowed = False
            with self._queue.mutex:
                self._queue.queue.clear()
            return RESYNC
        try:
            return self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None


class Hub:
    """The registry of this process's subscriptions; publishes to this process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, set[Subscription]] = defaultdict(set)

    @contextmanager
    def subscribe(self, channel: str) -> Iterator[Subscription]:
        """Receive the channel's messages while the block runs."""
        subscription = Subscription(channel)
        self._started()
        with self._lock:
            self._subscriptions[channel].add(subscription)
        try:
            yield subscription
        finally:
            with self._lock:
                subscribers = self._subscriptions.get(channel)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscriptions[channel]

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Send `message` to every subscription of `channel` (here: this process's)."""
        self.deliver(channel, message)

    def reaches(self, channel: str) -> bool:
        """Whether a message on `channel` may reach a subscription now (here: one of this
        process's), so a publisher may skip building a message nobody would receive. A
        stream subscribes before it reads the database, so what was committed before a
        False is in that read."""
        with self._lock:
            return channel in self._subscriptions

    def deliver(self, channel: str, message: dict[str, Any]) -> None:
        with self._lock:
            subscribers = list(self._subscriptions.get(channel, ()))
        for subscription in subscribers:
            subscription.put(message)

    def resync_all(self) -> None:
        with self._lock:
            everyone = [s for subs in self._subscriptions.values() for s in subs]
        for subscription in everyone:
            subscription.put(RESYNC)

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(subs) for subs in self._subscriptions.values())

    def _started(self) -> None:
        """Hook: the Redis hub starts its listener with the first subscription."""

    def close(self) -> None:
        """Hook: the Redis hub stops its listener."""


class RedisHub(Hub):
    """Redis pub/sub between processes and nodes; one listener thread per process."""

    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        import redis

        self._redis = redis
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._url = url
        self._prefix = prefix
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stop = threading.Event()
        self.ready = threading.Event()  # the listener is subscribed (tests wait for it)

    def publish(self, channel: str, message: dict[str, Any]) -> None:
        try:
            self._client.publish(self._prefix + channel, json.dumps(message))
        except self._redis.RedisError:
            log.exception("live: could not publish on %s; streams catch up on reconnect", channel)

    def reaches(self, channel: str) -> bool:
        return True  # other processes' subscriptions are not known here

    def _started(self) -> None:
        with self._lock:
            alive = self._thread is not None and self._thread.is_alive()
            if not alive or self._pid != os.getpid():
                # first subscription in this process (or a forked child: threads do not follow)
                self._pid = os.getpid()
                self._stop.clear()
                self.ready.clear()
                self._thread = threading.Thread(
                    target=self._listen, name="live-listener", daemon=True
                )
                self._thread.start()
        # A stream subscribes, then reads the database: a bid published in between reaches
        # it only if the listener is subscribed by then (a Redis down: it resyncs later).
        self.ready.wait(READY_WAIT_SECONDS)

    def _listen(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                self._pump(resync=not first)
            except self._redis.RedisError as error:
                log.warning("live: listener lost Redis (%s); reconnecting", error)
                self.ready.clear()
                time.sleep(RECONNECT_SECONDS)
            first = False

    def _pump(self, *, resync: bool) -> None:
        client = self._redis.Redis.from_url(self._url, socket_connect_timeout=2)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.psubscribe(self._prefix + "*")
            pubsub.get_message(timeout=1.0)  # the subscription's confirmation
            self.ready.set()
            if resync:
                self.resync_all()
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message is not None and message["type"] == "pmessage":
                    self._receive(message)
        finally:
            pubsub.close()
            client.close()

    def _receive(self, message: Mapping[str, Any]) -> None:
        channel = message["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else channel
        try:
            body = json.loads(message["data"])
        except ValueError:
            log.warning("live: an unreadable message on %s", channel)
            return
        self.deliver(channel.removeprefix(self._prefix), body)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)


def make_hub(config: Mapping[str, Any]) -> Hub:
    """Redis pub/sub when `LIVE_REDIS_URL` (config.py: `REDIS_URL` by default) is set, else
    in-process."""
    url = config.get("LIVE_REDIS_URL")
    if url:
        return RedisHub(url, prefix=config.get("LIVE_CHANNEL_PREFIX", "market:live:"))
    return Hub()


def init_app(app: Flask) -> None:
    app.extensions["live"] = make_hub(app.config)


def hub() -> Hub:
    """The current app's hub."""
    found: Hub = current_app.extensions["live"]
    return found


def publish(channel: str, message: dict[str, Any]) -> None:
    """Publish now: call it from an after-commit step (`core.uow.after_commit`)."""
    hub().publish(channel, message)
