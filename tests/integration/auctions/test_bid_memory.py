"""Stale bids refused from what the worker saw a moment ago (auctions.bid_memory), never a valid one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from accounts.models import Organisation, TokenScope, User, VerificationStatus
from auctions import bidding, rules
from auctions.models import Auction, AuctionStatus
from core.domain import PermissionDenied
from core.extensions import db
from core.uow import unit_of_work
from payments.deposits import OrganisationNotVerified
from payments.models import Deposit, DepositStatus
from tests import factories

from .conftest import INC, START, Market


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def bid(user: Any, auction_id: int, amount: int, now: Any) -> bidding.BidResult:
    with unit_of_work(writer=True):
        return bidding.place_bid(user, auction_id, amount, now=now)


def outbid_beta(market: Market, now: Any) -> tuple[Any, Any, int]:
    """Beta bids, then alpha outbids it: the worker has seen both, beta's price is stale."""
    alpha, beta = market.bidder(), market.bidder()
    auction_id = market.auction.id
    bid(beta, auction_id, START, now)
    bid(alpha, auction_id, START + 2 * INC, now)
    return alpha, beta, auction_id


def test_a_stale_bid_is_refused_below_the_newest_minimum_without_reading_the_auction(
    market: Market, clock
) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    with statements_sent() as sent, pytest.raises(rules.BidBelowMinimum) as refused:
        bid(beta, auction_id, START + INC, clock())  # what beta saw after its own bid
    assert refused.value.minimum_minor == START + 3 * INC
    assert refused.value.code == "bid_below_increment"
    # nothing read or written (on SQLite the unit of work still queues as the writer first)
    assert not {"SELECT", "WITH", "INSERT"} & set(sent)


def test_a_bid_at_the_minimum_is_decided_on_the_database_and_accepted(
    market: Market, clock
) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    with statements_sent() as sent:
        result = bid(beta, auction_id, START + 3 * INC, clock())
    assert result.leading and result.current_price_minor == START + 3 * INC
    assert "SELECT" in sent
    assert db.session.get(Auction, auction_id).current_price_minor == START + 3 * INC


def test_a_bid_with_a_maximum_is_never_refused_from_memory(market: Market, clock) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    with unit_of_work(writer=True):  # a stale amount with a maximum is lifted to the minimum
        result = bidding.place_bid(
            beta, auction_id, START + INC, max_minor=START + 6 * INC, now=clock()
        )
    assert result.leading and result.current_price_minor == START + 3 * INC


def test_an_auction_changed_since_is_forgotten_and_refused_for_what_it_is(
    market: Market, clock
) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    with unit_of_work():
        db.session.get(Auction, auction_id).status = AuctionStatus.CLOSED
    with pytest.raises(rules.AuctionNotRunning) as refused:
        bid(beta, auction_id, START + INC, clock())
    assert refused.value.code == "auction_not_running"


def test_the_leaders_plain_bid_is_refused_by_the_database_as_leading(market: Market, clock) -> None:
    alpha, _, auction_id = outbid_beta(market, clock())
    with statements_sent() as sent, pytest.raises(rules.BidRejected) as refused:
        bid(alpha, auction_id, START, clock())
    assert refused.value.code == "already_leading"
    assert "SELECT" in sent


def test_a_deposit_released_since_is_refused_for_what_it_is(market: Market, clock) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    with unit_of_work():
        deposit = db.session.scalars(
            select(Deposit).where(
                Deposit.context_id == auction_id, Deposit.org_id == beta.organisation_id
            )
        ).one()
        deposit.status = DepositStatus.RELEASED
    with pytest.raises(PermissionDenied) as refused:
        bid(beta, auction_id, START + INC, clock())
    assert refused.value.code == "deposit_not_held"


def test_a_sign_in_keeps_the_memory_a_lost_verification_does_not(market: Market, clock) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    with unit_of_work():
        db.session.get(User, beta.id).last_sign_in_at = clock()
    with statements_sent() as sent, pytest.raises(rules.BidBelowMinimum):
        bid(beta, auction_id, START + INC, clock())
    assert "SELECT" not in sent  # still refused from memory
    with unit_of_work():
        db.session.get(Organisation, beta.organisation_id).status = VerificationStatus.REJECTED
    with pytest.raises(OrganisationNotVerified):
        bid(beta, auction_id, START + INC, clock())


# --- over the API: a stale bid is refused before the token's user is read --------------------


def bearer(user: User, now: Any, scope: TokenScope = TokenScope.WRITE) -> dict[str, str]:
    return {"Authorization": "Bearer " + factories.api_token(user, "api", now=now, scope=scope)}


def test_a_stale_bid_over_the_api_sends_no_statement_once_the_token_is_known(
    client: FlaskClient, market: Market, clock
) -> None:
    _, beta, auction_id = outbid_beta(market, clock())
    as_beta, url = bearer(beta, clock()), f"/api/v1/auctions/{market.auction.id}/bids"
    client.get("/api/v1/tokens/ping", headers=as_beta)  # the worker now knows the token
    with statements_sent() as sent:
        refused = client.post(url, json={"amount_minor": START + INC}, headers=as_beta)
    assert refused.status_code == 409
    assert refused.json["code"] == "bid_below_increment"
    assert refused.json["minimum_next_bid_minor"] == START + 3 * INC
    assert not {"SELECT", "WITH", "INSERT", "UPDATE"} & set(sent), sent
    accepted = client.post(url, json={"amount_minor": START + 3 * INC}, headers=as_beta)
    assert accepted.status_code == 201 and accepted.json["leading"]
    assert db.session.get(Auction, auction_id).current_price_minor == START + 3 * INC


def test_a_deactivated_bidders_stale_bid_is_a_401_not_a_refusal(
    client: FlaskClient, market: Market, clock
) -> None:
    _, beta, _ = outbid_beta(market, clock())
    as_beta, url = bearer(beta, clock()), f"/api/v1/auctions/{market.auction.id}/bids"
    client.get("/api/v1/tokens/ping", headers=as_beta)
    with unit_of_work():
        db.session.get(User, beta.id).active = False
    answer = client.post(url, json={"amount_minor": START + INC}, headers=as_beta)
    assert answer.status_code == 401 and answer.json["code"] == "unauthorized"


def test_a_read_token_may_not_bid_even_a_stale_amount(
    client: FlaskClient, market: Market, clock
) -> None:
    _, beta, _ = outbid_beta(market, clock())
    as_beta = bearer(beta, clock(), scope=TokenScope.READ)
    url = f"/api/v1/auctions/{market.auction.id}/bids"
    client.get("/api/v1/tokens/ping", headers=as_beta)
    answer = client.post(url, json={"amount_minor": START + INC}, headers=as_beta)
    assert answer.status_code == 403 and answer.json["code"] == "forbidden"
