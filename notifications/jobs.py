"""Notification jobs: send the pending emails, and the daily and weekly digests.

Queued after each commit that writes a pending email, and swept every minute for
what an outage left: an SMTP server that is down delays mail, never loses it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from accounts.models import User
from core.clock import now
from core.extensions import db
from core.jobs import EVERY_MINUTE, crontab, job
from core.uow import unit_of_work
from notifications import mail, services
from notifications.models import Notification
from notifications.rules import WEEKLY_DIGEST_DAY, EmailState

log = logging.getLogger(__name__)

BATCH = 50
LEASE = timedelta(minutes=10)  # a worker that died mid-send frees its emails after this


@job(services.DELIVER_JOB, every=EVERY_MINUTE)
def deliver() -> int:
    """Send every pending email that is due, batch after batch; how many were sent."""
    sent = 0
    while not mail.paused():  # while SMTP is failing, mail waits (the next sweep tries)
        moment = now()
        with unit_of_work(writer=True):
            batch = services.claim_due_emails(now=moment, lease_until=moment + LEASE, limit=BATCH)
            claimed = [(n.id, n.user_id) for n in batch]
        if not claimed:
            return sent
        for notification_id, user_id in claimed:
            sent += _send_one(notification_id, user_id)
    return sent


def _send_one(notification_id: int, user_id: int) -> int:
    notification = db.session.get(Notification, notification_id)
    user = db.session.get(User, user_id)
    if notification is None or user is None:
        return 0
    try:
        mail.send(mail.compose(user, [notification]))
    except mail.MailPaused:  # not tried: no attempt spent, the next sweep sends it
        with unit_of_work(writer=True):
            services.postpone(notification_id, until=now())
        return 0
    except Exception as error:  # the server is down, refuses, times out: try again later
        log.warning("notification %s: email not sent: %s", notification_id, error)
        with unit_of_work(writer=True):
            services.record_failure(notification_id, f"{type(error).__name__}: {error}", now=now())
        return 0
    with unit_of_work(writer=True):
        services.record_sent([notification_id], now=now())
    return 1


@job("notifications.digest", every=crontab(minute="0", hour="0"))  # 08:00 in Shanghai
def send_digests() -> int:
    """One email per user with the notifications they chose to get daily; how many sent."""
    return _send_batches(EmailState.DIGEST)


# Monday 00:00 UTC is Monday 08:00 in Shanghai, beside the daily digest.
@job(
    "notifications.weekly", every=crontab(minute="0", hour="0", day_of_week=str(WEEKLY_DIGEST_DAY))
)
def send_weekly_digests() -> int:
    """One email per user with the notifications they chose to get weekly; how many sent."""
    return _send_batches(EmailState.WEEKLY)


def _send_batches(state: EmailState) -> int:
    sent = 0
    with unit_of_work():
        batches = services.digest_batches(state)
    for user_id, notifications in batches.items():
        user = db.session.get(User, user_id)
        if user is None:
            continue
        try:
            mail.send(mail.compose(user, notifications, weekly=state == EmailState.WEEKLY))
        except Exception as error:
            log.warning("digest for user %s not sent (kept for the next run): %s", user_id, error)
            continue
        with unit_of_work(writer=True):
            services.record_sent([n.id for n in notifications], now=now())
        sent += 1
    return sent
