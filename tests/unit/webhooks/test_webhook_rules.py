"""Webhook rules: which URLs an endpoint may have, the signature, the back-off, the catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.domain import ValidationFailed
from notifications.rules import EVENTS
from webhooks import rules

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    ["https://crm.example.com/hooks/market", "https://crm.example.com:8443/h?x=1"],
)
def test_public_https_urls_are_accepted(url: str) -> None:
    assert rules.check_url(f"  {url} ", allow_local_http=False) == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://crm.example.com/hook",  # not https
        "ftp://crm.example.com/hook",
        "https://user:pw@crm.example.com/",  # credentials in the URL
        "https://127.0.0.1/hook",  # the market itself
        "https://localhost/hook",
        "https://10.1.2.3/hook",  # a private network
        "https://169.254.169.254/latest",  # a cloud's metadata service
        "https://[::1]/hook",
        "https://crm.example.com:http/",  # a port that is no number
        "https://crm.example.com/" + "a" * 500,
        "http://127.0.0.1:8000/hook",  # local http only in development and tests
    ],
)
def test_other_urls_are_refused_on_the_url_field(url: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.check_url(url, allow_local_http=False)
    assert refused.value.field == "url"


def test_development_may_send_to_a_local_receiver_over_http() -> None:
    for url in ("http://127.0.0.1:8000/hook", "http://localhost/hook"):
        assert rules.check_url(url, allow_local_http=True) == url
    with pytest.raises(ValidationFailed):
        rules.check_url("http://192.168.1.2/hook", allow_local_http=True)


def test_event_types_are_kept_in_the_catalogues_order_and_unknown_ones_refused() -> None:
    assert rules.check_event_types(["deal.created", "auction.won"]) == [
        "auction.won",
        "deal.created",
    ]
    for chosen in ([], ["deal.created", "deal.stolen"]):
        with pytest.raises(ValidationFailed):
            rules.check_event_types(chosen)


def test_every_notification_told_to_an_organisation_is_an_event_type() -> None:
    """What members are told by notify_org reaches webhooks too (watches, saved-search
    alerts and an inventor's reward are personal, not the organisation's), except a deal's
    milestone: integrators receive each step under its own name, once."""
    told = {key for key in EVENTS if not key.startswith(("watch.", "search.", "reward."))}
    assert told - set(rules.EVENT_TYPES) == {"deal.milestone"}
    assert {"deal.signed", "deal.paid", "deal.rights_registered"} <= set(rules.EVENT_TYPES)


def test_a_signature_verifies_only_for_its_secret_body_and_time() -> None:
    body = b'{"id":"evt_1"}'
    header = rules.signature("whsec_a", 1_772_414_200, body)
    assert header.startswith("t=1772414200,v1=")
    assert rules.verify("whsec_a", header, body, now=1_772_414_200 + 299)
    assert not rules.verify("whsec_b", header, body, now=1_772_414_200)
    assert not rules.verify("whsec_a", header, body + b" ", now=1_772_414_200)
    assert not rules.verify("whsec_a", header, body, now=1_772_414_200 + 301)  # a replay
    assert not rules.verify("whsec_a", "v1=abc", body, now=1_772_414_200)


def test_eight_attempts_over_about_a_day_then_it_gives_up() -> None:
    moments = [NOW]
    for attempts in range(1, rules.MAX_ATTEMPTS):
        after = rules.retry_at(attempts, moments[-1])
        assert after is not None and after > moments[-1]
        moments.append(after)
    assert rules.MAX_ATTEMPTS == 8
    assert 20 * 3600 < (moments[-1] - NOW).total_seconds() < 30 * 3600
    assert rules.retry_at(rules.MAX_ATTEMPTS, moments[-1]) is None


def test_only_a_2xx_answer_is_a_delivery() -> None:
    assert [rules.delivered(s) for s in (200, 204, 299, 301, 404, 500, None)] == [
        True, True, True, False, False, False, False,
    ]  # fmt: skip
