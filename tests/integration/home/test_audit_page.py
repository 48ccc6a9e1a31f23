"""The audit page: a page at a time, filtered, by name, in words, and whole as CSV."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import timedelta
from enum import Enum
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale

from accounts.models import User
from core.audit import record
from core.audit_labels import ACTIONS, REASONS, VERBS, action_label, reason_label
from core.uow import unit_of_work
from marketplace.review.audit_labels import STATE_WORDS, object_type_label, state_label
from tests import factories
from tests.conftest import FrozenClock


@pytest.fixture
def reviewer(clock: FrozenClock) -> User:
    return factories.platform_reviewer(clock())


def _sign_in(client: FlaskClient, person: User) -> None:
    client.post("/signin", data={"email": person.email, "password": factories.PASSWORD})


def _entries(
    clock: FrozenClock, actor: User, count: int, *, action: str = "listing.publish"
) -> None:
    with unit_of_work():
        for n in range(count):
            kind = action.partition(".")[0]
            record(
                actor_id=actor.id, action=action, object_type=kind, object_id=1000 + n, now=clock()
            )


def test_the_trail_comes_a_page_at_a_time_with_the_older_ones_behind_a_link(
    client: FlaskClient, clock: FrozenClock, reviewer: User
) -> None:
    _entries(clock, reviewer, 60)
    _sign_in(client, reviewer)
    first = client.get("/review/audit?type=listing").get_data(as_text=True)
    assert first.count("#1059") == 1 and "#1010" in first and "#1009" not in first
    assert 'id="audit-older"' in first
    older = first.split('id="audit-older"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert "#1009" in second and "#1000" in second and "#1010" not in second
    assert 'id="audit-older"' not in second


def test_operators_are_named_and_actions_and_kinds_are_words(
    client: FlaskClient, clock: FrozenClock, reviewer: User
) -> None:
    _entries(clock, reviewer, 1)
    _sign_in(client, reviewer)
    page = client.get("/review/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    row = page.split('id="audit-entries"')[1]
    assert reviewer.name in row and f">{reviewer.id}<" not in row
    assert "Published" in row and ">listing.publish<" not in row
    assert ">Listings</a>" in page and ">listing</a>" not in page
    zh = client.get("/review/audit", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert ">organisation</a>" not in zh and ">user</a>" not in zh


def test_filters_narrow_by_actor_action_and_period(
    client: FlaskClient, clock: FrozenClock, reviewer: User
) -> None:
    other = factories.seller(clock())
    _entries(clock, reviewer, 1, action="listing.publish")
    clock.advance(days=3)
    _entries(clock, other, 1, action="deal.cancel")
    _sign_in(client, reviewer)
    by_actor = client.get(f"/review/audit?actor={other.email}").get_data(as_text=True)
    assert 'data-action="deal.cancel"' in by_actor
    assert 'data-action="listing.publish"' not in by_actor
    by_action = client.get("/review/audit?action=listing.publish").get_data(as_text=True)
    assert 'data-action="deal.cancel"' not in by_action
    day = (clock() - timedelta(days=3)).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    by_period = client.get(f"/review/audit?from={day}&to={day}").get_data(as_text=True)
    assert 'data-action="listing.publish"' in by_period
    assert 'data-action="deal.cancel"' not in by_period
    assert client.get("/review/audit?from=yesterday").status_code == 400


def test_the_export_holds_every_matching_entry_with_names(
    client: FlaskClient, clock: FrozenClock, reviewer: User
) -> None:
    _entries(clock, reviewer, 70)
    _entries(clock, reviewer, 2, action="deal.cancel")
    _sign_in(client, reviewer)
    response = client.get("/review/audit.csv?type=listing")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    body = [r for r in rows[1:] if r]
    assert len(body) == 70
    assert {r[1] for r in body} == {reviewer.name}
    assert {r[3] for r in body} == {"listing.publish"}


def test_people_who_do_not_review_cannot_read_or_export_the_trail(
    client: FlaskClient, clock: FrozenClock
) -> None:
    _sign_in(client, factories.seller(clock()))
    assert client.get("/review/audit").status_code == 403
    assert client.get("/review/audit.csv").status_code == 403


def test_states_and_actions_read_as_what_happened_not_as_a_column_of_times(app) -> None:
    """'Submitted' is 已提交 as a record's state but 提交时间 as a column heading: the audit
    words have their own context in the catalogue, so Chinese never reads a time column."""
    with app.test_request_context(), force_locale("zh_CN"):
        words = [state_label(value) for value in STATE_WORDS]
        words += [action_label(f"any.{verb}") for verb in VERBS]
        words += [action_label(code) for code in ACTIONS if "." in code]
        assert state_label("submitted") == "已提交" and action_label("report.issue") == "已签发"
    assert [word for word in words if word.endswith("时间") or not word.strip()] == []


def test_reasons_the_market_writes_read_in_chinese_and_a_persons_own_stay_as_written(app) -> None:
    with app.test_request_context(), force_locale("zh_CN"):
        words = [reason_label(reason) for reason in REASONS]
        assert reason_label("paid in full") == "价款已付清"
        assert reason_label("agreed in negotiation 12") == "经第 12 号协商达成"
        assert reason_label("对方未按期付款") == "对方未按期付款"
        assert reason_label(None) == ""
    assert [word for word in words if word.isascii()] == []  # none left in English


def test_every_state_a_record_can_be_in_has_words(app) -> None:
    """The audit page shows a record's state before and after: none may show as a code."""
    states = set()
    for package in ("accounts", "listings", "auctions", "trading", "brokers", "deals",
                    "payments", "valuation", "licences", "policies"):  # fmt: skip
        for module in ("rules", "models", "legal_rules", "need_rules", "cancellation_rules"):
            try:
                found = importlib.import_module(f"{package}.{module}")
            except ModuleNotFoundError:
                continue
            states |= {
                str(member.value)
                for kind in vars(found).values()
                if isinstance(kind, type) and issubclass(kind, Enum) and "Status" in kind.__name__
                for member in kind
            }
    assert states - set(STATE_WORDS) == set()
    with app.test_request_context(), force_locale("zh_CN"):
        assert object_type_label("deal") == "交易"  # a kind of record, not a count of deals
