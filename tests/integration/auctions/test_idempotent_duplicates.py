"""A bid sent twice under one Idempotency-Key, the second while the first still runs, with
real commits (SQLite and PostgreSQL): the duplicate waits for the first and is answered
with its answer; the bid is stored once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from auctions.models import Bid
from core import idempotency
from core.extensions import db
from tests import factories

from .conftest import INC, START, make_market
from .test_concurrency import run_threads


def test_a_duplicate_sent_while_the_first_runs_gets_the_first_answer(
    committing_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = committing_app
    now = datetime.now(UTC)
    with app.app_context():
        market = make_market(now, Path(app.config["UPLOAD_FOLDER"]) / "evidence")
        token = factories.api_token(market.bidder(), "twice", now=now)
        auction_id = market.auction.id
        db.session.remove()
    first_holds_the_key = threading.Event()
    keep = idempotency._keep

    def slow_keep(claim: Any, answer: Any) -> None:
        if not first_holds_the_key.is_set():
            first_holds_the_key.set()
            time.sleep(0.5)  # the bid is flushed, its transaction open: the duplicate arrives
        keep(claim, answer)

    monkeypatch.setattr(idempotency, "_keep", slow_keep)

    def post(i: int) -> tuple[int, dict[str, Any], str | None]:
        if i == 1:
            assert first_holds_the_key.wait(timeout=30)
        answer = app.test_client().post(
            f"/api/v1/auctions/{auction_id}/bids",
            json={"amount_minor": START + INC},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "bid-once"},
        )
        return answer.status_code, answer.get_json(), answer.headers.get("Idempotent-Replayed")

    (first, body, replayed), (second, again, replayed_again) = run_threads(app, 2, post)
    assert (first, second) == (201, 201), (body, again)
    assert again == body and (replayed, replayed_again) == (None, "true")
    with app.app_context():
        stored = db.session.scalar(select(func.count(Bid.id)).where(Bid.auction_id == auction_id))
        assert stored == 1
