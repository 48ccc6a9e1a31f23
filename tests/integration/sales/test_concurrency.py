"""Workers racing on one sale, one listing, one notice, with real commits (SQLite and PostgreSQL).

The set-up and each worker run in units of work, as the views and commands do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from accounts.models import User
from core.audit_models import AuditEntry
from core.domain import DomainError
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from tests.integration.sales.trading import CALENDAR, hold_deposit, listed_sale, market
from trading import closing, negotiations, notices
from trading.models import (
    ListedSale,
    ListedSaleStatus,
    Negotiation,
    NegotiationStatus,
    Objection,
    PublicityNotice,
)

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
REASONS = "The agreed price is far below the valuation report of last year."


def run_threads(app: Flask, count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released together, each in its own app context.

    A refused action (DomainError) is a result, not a failure: it is returned.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def target(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                results[i] = work(i)
            except DomainError as refused:
                db.session.rollback()
                results[i] = refused
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def _upload(app: Flask) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "evidence"


def test_workers_closing_one_sale_make_one_deal(committing_app: Flask) -> None:
    app = committing_app
    with app.app_context():
        with unit_of_work():
            m = market(NOW, _upload(app))
            sale = listed_sale(m, NOW, working_days=5)
            hold_deposit(m.buyer, sale, m, NOW)
            sale_id = sale.id
        db.session.remove()
    later = NOW + timedelta(days=8)

    def close(i: int) -> Any:
        with unit_of_work(writer=True):
            if i % 2:
                return closing.close_due_sales(now=later, calendar=CALENDAR)
            return 1 if closing.close_sale(sale_id, now=later, calendar=CALENDAR) else 0

    results = run_threads(app, 6, close)
    with app.app_context():
        assert sum(results) == 1
        assert db.session.get(ListedSale, sale_id).status == ListedSaleStatus.SOLD
        deals = db.session.scalar(
            select(func.count()).where(Deal.source_type == "listed_sale", Deal.source_id == sale_id)
        )
        assert deals == 1
        closes = db.session.scalar(
            select(func.count()).where(
                AuditEntry.action == "listed_sale.close", AuditEntry.object_id == sale_id
            )
        )
        assert closes == 1


def test_two_acceptances_on_one_listing_leave_one_agreement(committing_app: Flask) -> None:
    app = committing_app
    with app.app_context():
        with unit_of_work():
            m = market(NOW, _upload(app))
            first = negotiations.open_negotiation(
                m.buyer, m.listing.id, amount_minor=40_000_000, now=NOW
            )
            second = negotiations.open_negotiation(
                m.other_buyer, m.listing.id, amount_minor=42_000_000, now=NOW
            )
            ids, seller_id, listing_id = [first.id, second.id], m.seller.id, m.listing.id
        db.session.remove()

    def accept(i: int) -> Any:
        with unit_of_work(writer=True):
            seller = db.session.get(User, seller_id)
            return negotiations.accept(seller, ids[i % 2], now=NOW).id

    results = run_threads(app, 4, accept)
    with app.app_context():
        notices = [r for r in results if isinstance(r, int)]
        assert len(set(notices)) == 1
        assert all(isinstance(r, DomainError) for r in results if not isinstance(r, int))
        statuses = sorted(
            db.session.scalars(
                select(Negotiation.status).where(Negotiation.listing_id == listing_id)
            )
        )
        assert statuses == sorted([NegotiationStatus.AGREED, NegotiationStatus.WITHDRAWN])
        count = db.session.scalar(
            select(func.count()).where(PublicityNotice.listing_id == listing_id)
        )
        assert count == 1


def test_a_double_objection_submitted_at_once_is_kept_once(committing_app: Flask) -> None:
    app = committing_app
    with app.app_context():
        with unit_of_work():
            m = market(NOW, _upload(app))
            negotiation = negotiations.open_negotiation(
                m.buyer, m.listing.id, amount_minor=40_000_000, now=NOW
            )
            notice = negotiations.accept(m.seller, negotiation.id, now=NOW)
            notice_id, objector_id = notice.id, m.other_buyer.id
        db.session.remove()

    def lodge(i: int) -> Any:
        with unit_of_work(writer=True):
            user = db.session.get(User, objector_id)
            return notices.lodge_objection(user, notice_id, REASONS, now=NOW).id

    results = run_threads(app, 4, lodge)
    with app.app_context():
        assert len([r for r in results if isinstance(r, int)]) == 1
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(refused) == 3 and {r.code for r in refused} == {"objection_exists"}
        assert db.session.scalar(select(func.count()).where(Objection.notice_id == notice_id)) == 1
