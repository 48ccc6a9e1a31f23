"""Telling users what concerns them: notifications written in the event's own transaction.

A domain calls `notify` / `notify_org` inside its use case; the rows are part of
its transaction, so a refused action tells nobody, and a committed one is never
lost. Emails are sent after the commit by the delivery job (`notifications.jobs`),
queued once per transaction; the rows say what is still to send.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from accounts.models import User
from core import audit
from core.extensions import db
from core.jobs import enqueue_after_commit
from core.row_lists import all_of
from notifications import rules
from notifications.models import Notification, NotificationPreference
from notifications.rules import EmailMode, EmailState
from webhooks.events import publish

DELIVER_JOB = "notifications.deliver"
INBOX_PAGE = 50


def notify(
    user_ids: Iterable[int],
    event: str,
    *,
    params: Mapping[str, Any],
    link: str | None,
    now: datetime,
    email: EmailMode | None = None,
) -> list[Notification]:
    """Tell each user about `event`, per their preferences (flushes; mail after the commit).

    `email` overrides the users' email choice (a saved search carries its own).
    """
    kind = rules.event_type(event)
    ids = sorted(set(user_ids))
    if not ids:
        return []
    chosen = _preferences_of(ids, event)
    created = []
    for user_id in ids:
        in_app, mode = chosen.get(user_id, (True, kind.email))
        mode = email or mode
        if not in_app and mode == EmailMode.OFF:
            continue
        created.append(
            Notification(
                user_id=user_id,
                event=event,
                params=dict(params),
                link=link,
                created_at=now,
                read_at=None if in_app else now,
                email_state=rules.email_state(mode),
                email_attempts=0,
            )
        )
    db.session.add_all(created)
    db.session.flush()
    if any(n.email_state == EmailState.PENDING for n in created):
        enqueue_after_commit(DELIVER_JOB)
    return created


def notify_org(
    org_id: int | None,
    event: str,
    *,
    params: Mapping[str, Any],
    link: str | None,
    now: datetime,
    except_user_id: int | None = None,
) -> list[Notification]:
    """Tell every active, approved member of an organisation (but the one who acted),
    and its webhook endpoints that chose this event (the same transaction)."""
    if org_id is None:
        return []
    publish(org_id, event, data=params, link=link, now=now)
    members = db.session.scalars(
        select(User.id).where(
            User.organisation_id == org_id,
            User.membership_approved.is_(True),
            User.active.is_(True),
        )
    )
    return notify(
        (m for m in members if m != except_user_id), event, params=params, link=link, now=now
    )


def _preferences_of(user_ids: list[int], event: str) -> dict[int, tuple[bool, EmailMode]]:
    rows = db.session.scalars(
        select(NotificationPreference).where(
            NotificationPreference.user_id.in_(user_ids), NotificationPreference.event == event
        )
    )
    return {row.user_id: (row.in_app, row.email) for row in rows}


# --- the inbox ----------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def inbox(user: User, *, page: int = 1) -> list[Notification]:
    """The user's notifications, newest first, INBOX_PAGE a page."""
    return all_of(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
        .limit(INBOX_PAGE)
        .offset((page - 1) * INBOX_PAGE)
    )


def inbox_page(user: User, *, before: int | None, limit: int) -> list[Notification]:
    """The user's notifications, newest first: `limit` of them, older than id `before`."""
    query = select(Notification).where(Notification.user_id == user.id)
    if before is not None:
        query = query.where(Notification.id < before)
    return all_of(query.order_by(Notification.id.desc()).limit(limit))


def open_notification(user: User, notification_id: int, *, now: datetime) -> Notification | None:
    """Mark one of the user's notifications read (flushes); None if it is not theirs."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    if notification.read_at is None:
        notification.read_at = now
        db.session.flush()
    return notification


def mark_all_read(user: User, *, now: datetime) -> int:
    """Mark every unread notification of the user read (flushes); how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- preferences --------------------------------------------------------------------------


def preferences(user: User) -> dict[str, tuple[bool, EmailMode]]:
    """Every event type with the user's choice (in the inbox?, by email how?)."""
    chosen = {
        row.event: (row.in_app, row.email)
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    return {key: chosen.get(key, (True, kind.email)) for key, kind in rules.EVENTS.items()}


def set_preference(
    user: User, event: str, *, in_app: bool, email: EmailMode, now: datetime
) -> None:
    """Record the user's choice for one event type (flushes; audited when it changes)."""
    rules.event_type(event)
    row = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.event == event
        )
    )
    before = None if row is None else {"in_app": row.in_app, "email": row.email.value}
    after = {"in_app": in_app, "email": email.value}
    if before == after:
        return
    if row is None:
        row = NotificationPreference(user_id=user.id, event=event, in_app=in_app, email=email)
        db.session.add(row)
    row.in_app, row.email = in_app, email
    db.session.flush()
    audit.record(
        actor_id=user.id,
        action="notification_preference.set",
        object_type="user",
        object_id=user.id,
        now=now,
        before=before,
        after={"event": event, **after},
    )


def unsubscribe(user_id: int, event: str, *, now: datetime) -> User | None:
    """Email off for one event type (the signed link in every email; flushes)."""
    user = db.session.get(User, user_id)
    if user is None or event not in rules.EVENTS:
        return None
    in_app, _ = preferences(user)[event]
    set_preference(user, event, in_app=in_app, email=EmailMode.OFF, now=now)
    return user


# --- delivery (the job's side) ------------------------------------------------------------


def claim_due_emails(*, now: datetime, lease_until: datetime, limit: int) -> list[Notification]:
    """Pending emails whose time has come, leased to this worker until `lease_until` (flushes).

    Run in a writer unit of work: on PostgreSQL rows another worker holds are skipped;
    on SQLite the write lock serialises the workers. A worker that dies mid-send
    leaves its lease to expire, and the email goes out on a later run.
    """
    query = (
        select(Notification)
        .where(
            Notification.email_state == EmailState.PENDING,
            (Notification.email_next_at.is_(None)) | (Notification.email_next_at <= now),
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = all_of(query)
    for notification in claimed:
        notification.email_attempts += 1
        notification.email_next_at = lease_until
    db.session.flush()
    return claimed


def record_sent(notification_ids: Iterable[int], *, now: datetime) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(list(notification_ids)))
        .values(email_state=EmailState.SENT, email_sent_at=now, email_error=None)
    )


def record_failure(notification_id: int, error: str, *, now: datetime) -> None:
    """Try again later with back-off, or give up after MAX_ATTEMPTS (the inbox keeps it)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        return
    notification.email_error = error[:500]
    if notification.email_attempts >= rules.MAX_ATTEMPTS:
        notification.email_state = EmailState.FAILED
    else:
        notification.email_next_at = rules.retry_at(notification.email_attempts, now)
    db.session.flush()


def postpone(notification_id: int, *, until: datetime) -> None:
    """Give back a claimed email that was not tried (SMTP paused): due again at `until`,
    the claim's attempt not counted (flushes)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        return
    notification.email_attempts = max(0, notification.email_attempts - 1)
    notification.email_next_at = until
    db.session.flush()


def digest_batches(state: EmailState = EmailState.DIGEST) -> dict[int, list[Notification]]:
    """The notifications waiting for each user's daily (or weekly) digest, oldest first."""
    batches: dict[int, list[Notification]] = {}
    for notification in db.session.scalars(
        select(Notification).where(Notification.email_state == state).order_by(Notification.id)
    ):
        batches.setdefault(notification.user_id, []).append(notification)
    return batches
