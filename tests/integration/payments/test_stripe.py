"""The Stripe channel against stripe-mock, with webhook events built and signed like Stripe's.

stripe-mock validates every request against Stripe's API description but keeps no
state, so what Stripe would do next (authorise, capture, transfer) arrives here as a
signed webhook event the test delivers, in whatever order and as often as it likes.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from auctions import bidding, closing
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from payments import card, ledger, payouts, queries, reconciliation, stripe_channel, stripe_queue
from payments.models import DepositStatus, LedgerTransaction, Payment, StripeEvent, StripeOperation
from payments.rules import Account, EntryKind, OperationStatus, PaymentStatus, PayoutStatus
from tests import cancelling
from tests.integration.payments.helpers import START, AuctionMarket, StripeTest, intent, session

URLS = {"success_url": "https://market.example/ok", "cancel_url": "https://market.example/no"}


def _form(request: dict) -> dict[str, list[str]]:
    return parse_qs(request["body"] or "")


def _pay_deposit_by_card(user, deposit_id: int, clock) -> Payment:
    """Both units of work of paying a deposit by card, as the page runs them."""
    with unit_of_work():
        payment = card.start_card_deposit(user, deposit_id, now=clock())
    with unit_of_work():
        return card.open_checkout(user, payment.id, **URLS)


def _pay_price_by_card(user, deal_id: int, clock) -> Payment:
    """Both units of work of paying the price by card, as the page runs them."""
    with unit_of_work():
        payment = card.start_card_payment(user, deal_id, now=clock())
    with unit_of_work():
        return card.open_checkout(user, payment.id, **URLS)


def _card_deposit(m: AuctionMarket, user, s: StripeTest, clock, pi: str) -> Payment:
    """The bidder pays its deposit by card; Stripe reports the card authorised."""
    payment = _pay_deposit_by_card(user, m.deposit_of(user).id, clock)
    response = s.deliver(
        s.event(
            "payment_intent.amount_capturable_updated",
            intent(payment.id, "requires_capture", payment.amount_minor, intent_id=pi),
        )
    )
    assert response.status_code == 200, response.data
    return payment


def _postings(kind: EntryKind) -> int:
    return db.session.scalar(
        select(func.count(LedgerTransaction.id)).where(LedgerTransaction.kind == kind)
    )


def _close(m: AuctionMarket, clock) -> Deal:
    with unit_of_work(writer=True):  # as the sweep closes it: committed
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == m.auction.id)
    )
    assert deal is not None
    return deal


def test_a_whole_auction_paid_online(auction_market, stripe_on, clock) -> None:
    m, s = auction_market, stripe_on
    winner, loser = m.bidder(name="线上赢家公司"), m.bidder(name="线上输家公司")

    # Deposits: the auction ends within the card's hold window, so the cards are held only.
    win_pay = _card_deposit(m, winner, s, clock, "pi_winner")
    lose_pay = _card_deposit(m, loser, s, clock, "pi_loser")
    checkout = s.http.sent("v1/checkout/sessions")
    assert len(checkout) == 2
    assert checkout[0]["idempotency_key"] == f"payment-{win_pay.id}-checkout"
    assert _form(checkout[0])["payment_intent_data[capture_method]"] == ["manual"]
    assert win_pay.checkout_url  # the buyer is sent to Stripe's page, never asked for a card here
    for user in (winner, loser):
        assert m.deposit_of(user).status == DepositStatus.HELD
        assert m.deposit_of(user).channel == "stripe"
    assert ledger.deposit_source(m.deposit_of(winner).id) == Account.CARD_HOLDS
    assert ledger.check_all() == []

    bidding.place_bid(loser, m.auction.id, START, now=clock())
    bidding.place_bid(winner, m.auction.id, START + 50_000, now=clock())
    deal = _close(m, clock)

    # After the commit the queued calls are made: the winner captured, the loser released.
    report = stripe_queue.run_pending(now=clock())
    assert sorted(report.done) == sorted(
        [f"deposit-{m.deposit_of(winner).id}-capture", f"deposit-{m.deposit_of(loser).id}-cancel"]
    )
    (capture,) = s.http.sent("/capture")
    assert capture["path"] == "v1/payment_intents/pi_winner/capture"
    assert capture["idempotency_key"] == f"deposit-{m.deposit_of(winner).id}-capture"
    assert _form(capture)["amount_to_capture"] == [str(START // 10)]
    (cancel,) = s.http.sent("/cancel")
    assert cancel["path"] == "v1/payment_intents/pi_loser/cancel"
    db.session.refresh(win_pay)
    db.session.refresh(lose_pay)
    assert (win_pay.status, lose_pay.status) == (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELLED)
    assert m.deposit_of(loser).status == DepositStatus.RELEASED
    assert ledger.deposit_source(m.deposit_of(winner).id) == Account.STRIPE_BALANCE

    # The buyer pays the rest by card: one charge on the platform, with the deal's transfer group.
    price = START + 50_000
    due = price - START // 10
    assert queries.money_flow(winner, deal.id).due == due
    payment = _pay_price_by_card(winner, deal.id, clock)
    body = _form(s.http.sent("v1/checkout/sessions")[-1])
    assert body["payment_intent_data[transfer_group]"] == [f"deal-{deal.id}"]
    assert body["line_items[0][price_data][unit_amount]"] == [str(due)]
    s.deliver(
        s.event(
            "checkout.session.completed",
            session(payment.id, due, intent_id="pi_price", session_id="cs_test_price"),
        )
    )
    assert queries.money_flow(winner, deal.id).due == 0

    # Payouts: the seller has no ready payout account yet, so its transfer is blocked.
    with unit_of_work():
        seller_account = payouts.open_connected_account(m.seller, now=clock())
    link = payouts.onboarding_link(
        seller_account,
        now=clock(),
        refresh_url="https://market.example/payouts",
        return_url="https://market.example/payouts",
    )
    assert link.startswith("http")
    assert s.http.sent("v1/accounts")[0]["idempotency_key"] == (
        f"org-{m.seller.organisation_id}-connected-account"
    )
    (payout,) = payouts.release_payouts(m.reviewer, deal.id, now=clock())
    assert payout.status == PayoutStatus.BLOCKED
    assert stripe_queue.run_pending(now=clock()).done == []
    account = queries.connected_account_of(m.seller.organisation_id)
    assert account is not None
    s.deliver(
        s.event(
            "account.updated",
            {
                "id": account.stripe_account_id,
                "object": "account",
                "details_submitted": True,
                "charges_enabled": True,
                "payouts_enabled": True,
            },
        )
    )
    # The webhook's request made the queued transfer on its way out.
    (transfer,) = s.http.sent("v1/transfers")
    assert transfer["idempotency_key"] == f"payout-{payout.id}-transfer"
    assert _form(transfer)["transfer_group"] == [f"deal-{deal.id}"]
    fee = (price * 100 + 5_000) // 10_000
    assert _form(transfer)["amount"] == [str(price - fee)]
    db.session.refresh(payout)
    assert payout.status == PayoutStatus.PAID

    flow = queries.money_flow(m.reviewer, deal.id)
    assert (flow.due, flow.seller_payable, flow.platform_fee) == (0, 0, fee)
    stripe_balance = sum(
        leg.amount_minor for leg in flow.legs if leg.account == Account.STRIPE_BALANCE
    )
    assert stripe_balance == fee  # what stays on Stripe is exactly the platform's fee
    assert ledger.check_all() == []


def test_a_webhook_delivered_three_times_and_out_of_order_counts_once(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    winner = m.bidder()
    win_pay = _card_deposit(m, winner, s, clock, "pi_w")
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    deal = _close(m, clock)
    stripe_queue.run_pending(now=clock())  # the capture
    payment = _pay_price_by_card(winner, deal.id, clock)

    succeeded = s.event(
        "payment_intent.succeeded",
        intent(
            payment.id,
            "succeeded",
            payment.amount_minor,
            intent_id="pi_p",
            capture_method="automatic",
        ),
    )
    completed = s.event(
        "checkout.session.completed",
        session(payment.id, payment.amount_minor, intent_id="pi_p", session_id="cs_p"),
    )
    # Stripe's "authorised" event for the deposit arrives late, after the capture.
    stale_hold = s.event(
        "payment_intent.amount_capturable_updated",
        intent(win_pay.id, "requires_capture", win_pay.amount_minor, intent_id="pi_w"),
    )
    outcomes = [s.deliver(e).get_json()["outcome"] for e in (succeeded, succeeded, completed)]
    outcomes += [
        s.deliver(e).get_json()["outcome"] for e in (stale_hold, completed, succeeded, stale_hold)
    ]
    assert outcomes[1] == "duplicate" and outcomes.count("duplicate") == 4
    # Four distinct events in all (the deposit's hold before, and these three), each kept once.
    assert db.session.scalar(select(func.count(StripeEvent.id))) == 4
    assert _postings(EntryKind.PAYMENT_RECEIVED) == 1
    assert _postings(EntryKind.DEPOSIT_HELD) == 1 and _postings(EntryKind.DEPOSIT_CAPTURED) == 1
    db.session.refresh(win_pay)
    assert win_pay.status == PaymentStatus.SUCCEEDED  # not back to "held"
    assert queries.money_flow(winner, deal.id).due == 0
    assert ledger.check_all() == []


def test_a_crash_between_our_write_and_stripes_answer_then_a_retry_charges_once(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    winner = m.bidder()
    _card_deposit(m, winner, s, clock, "pi_crash")
    with unit_of_work():
        bidding.place_bid(winner, m.auction.id, START, now=clock())
        _close(m, clock)
    operation = db.session.scalar(select(StripeOperation).where(StripeOperation.kind == "capture"))
    assert operation is not None and operation.status == OperationStatus.PENDING

    # The worker sends the capture, Stripe captures, and the process dies before our commit.
    stripe_channel.call(operation)
    db.session.rollback()
    operation = db.session.get(StripeOperation, operation.id)
    assert operation.status == OperationStatus.PENDING
    assert _postings(EntryKind.DEPOSIT_CAPTURED) == 0

    # The retry (cron: flask payments retry) sends the same request with the same key:
    # Stripe answers with the first capture instead of capturing again.
    assert stripe_queue.run_pending(now=clock()).done == [operation.key]
    first, second = s.http.sent("/capture")
    assert first["idempotency_key"] == second["idempotency_key"] == operation.key
    assert first["body"] == second["body"]
    assert _postings(EntryKind.DEPOSIT_CAPTURED) == 1
    assert stripe_queue.run_pending(now=clock()).done == []  # nothing left, nothing resent
    assert len(s.http.sent("/capture")) == 2
    assert ledger.check_all() == []


def test_a_deposit_for_a_long_sale_is_charged_and_refunded_to_a_loser(
    db_session, stripe_on, clock, upload_folder
) -> None:
    from tests.integration.payments.helpers import make_auction

    m = make_auction(clock(), upload_folder, hours=24 * 10)  # beyond the card hold's life
    s = stripe_on
    winner, loser = m.bidder(), m.bidder()
    payments = {}
    for user, pi in ((winner, "pi_a"), (loser, "pi_b")):
        payment = _pay_deposit_by_card(user, m.deposit_of(user).id, clock)
        assert payment.capture_method == "automatic"
        s.deliver(
            s.event(
                "payment_intent.succeeded",
                intent(
                    payment.id,
                    "succeeded",
                    payment.amount_minor,
                    intent_id=pi,
                    capture_method="automatic",
                ),
            )
        )
        payments[user.id] = payment
        assert ledger.deposit_source(m.deposit_of(user).id) == Account.STRIPE_BALANCE
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):  # as the sweep closes it: committed
        assert closing.close_auction(m.auction.id, now=clock.advance(days=11))
    stripe_queue.run_pending(now=clock())
    (refund,) = s.http.sent("v1/refunds")
    assert _form(refund)["payment_intent"] == ["pi_b"]
    assert refund["idempotency_key"] == f"deposit-{m.deposit_of(loser).id}-refund"
    assert s.http.sent("/capture") == []  # already charged: nothing to capture
    db.session.refresh(payments[loser.id])
    assert payments[loser.id].status == PaymentStatus.REFUNDED
    assert ledger.check_all() == []


def test_a_badly_signed_webhook_is_refused_and_changes_nothing(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _pay_deposit_by_card(user, m.deposit_of(user).id, clock)
    payload = s.event(
        "payment_intent.amount_capturable_updated",
        intent(payment.id, "requires_capture", payment.amount_minor),
    )
    assert s.deliver(payload, secret="whsec_someone_else").status_code == 400
    response = s.client.post(
        "/payments/stripe/webhook", data=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert m.deposit_of(user).status == DepositStatus.REQUIRED
    assert db.session.scalar(select(func.count(StripeEvent.id))) == 0


def test_an_unknown_event_is_acknowledged_and_recorded(stripe_on, db_session) -> None:
    s = stripe_on
    response = s.deliver(s.event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "ignored"
    assert db.session.scalar(select(StripeEvent.type)) == "customer.created"


def test_reconciliation_compares_our_payments_with_stripes(
    auction_market, stripe_on, clock, app
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _card_deposit(m, user, s, clock, "pi_reco")
    found = reconciliation.differences()
    # stripe-mock answers every retrieve with the same fixture (it keeps no state), so its
    # PaymentIntent cannot agree with ours: the report names our payment and Stripe's view.
    assert any(d.object.startswith(f"payment {payment.id} / ") for d in found)
    assert s.http.sent("v1/payment_intents/pi_reco")
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 1 and f"payment {payment.id}" in result.output


def test_without_keys_the_card_channel_is_off_and_bank_transfer_still_works(
    auction_market, clock, client
) -> None:
    m = auction_market
    user = m.bidder()
    with pytest.raises(card.PaymentsOff):
        _pay_deposit_by_card(user, m.deposit_of(user).id, clock)
    assert client.post("/payments/stripe/webhook", data=b"{}").status_code == 404
    m.pay_deposit_by_bank(user)
    assert m.deposit_of(user).status == DepositStatus.HELD
    assert (
        json.dumps([t.kind.value for t in ledger.deposit_transactions(m.deposit_of(user).id)])
        == '["deposit_held"]'
    )


def test_a_capture_overtaken_by_a_cancellation_is_not_made(
    auction_market, stripe_on, clock
) -> None:
    """The winner's hold is queued for capture, then the deal falls before the worker ran."""
    m, s = auction_market, stripe_on
    winner = m.bidder()
    _card_deposit(m, winner, s, clock, "pi_fall")
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    deal = _close(m, clock)
    later = clock() + timedelta(minutes=1)
    cancelling.by_agreement(m.seller, winner, deal.id, "卖方撤回", now=later)
    stripe_queue.run_pending(now=clock())
    assert s.http.sent("/capture") == []
    (cancel,) = s.http.sent("/cancel")
    assert cancel["path"] == "v1/payment_intents/pi_fall/cancel"
    assert ledger.check_all() == []


def test_when_stripe_cannot_be_reached_the_payer_is_told_and_the_retry_reuses_the_payment(
    auction_market, stripe_on, clock, app
) -> None:
    m = auction_market
    user = m.bidder()
    deposit = m.deposit_of(user)
    mock = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens there
    stripe_channel.reset_client()
    with pytest.raises(card.PaymentsOff) as refused:
        _pay_deposit_by_card(user, deposit.id, clock)
    assert refused.value.code == "stripe_unavailable"
    (pending,) = db.session.scalars(select(Payment)).all()
    assert pending.status == PaymentStatus.PENDING and pending.checkout_url is None
    app.config["STRIPE_API_BASE"] = mock
    stripe_channel.reset_client()
    again = _pay_deposit_by_card(user, deposit.id, clock)
    assert again.id == pending.id and again.checkout_url
    assert stripe_on.http.sent("v1/checkout/sessions")[-1]["idempotency_key"] == (
        f"payment-{pending.id}-checkout"
    )
