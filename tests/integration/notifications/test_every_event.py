"""Every kind of event reads well in both languages, in the inbox and in its email, and
reaches a real SMTP server (Mailpit) once per reader."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from core.uow import unit_of_work
from notifications import jobs, mail, rules, services
from notifications.models import Notification
from notifications.rules import EmailState
from tests import factories
from tests.integration.notifications.test_notifications import member

PARAMS = {
    "title": "一种固态电解质", "title_en": "A solid electrolyte", "price_minor": 1_050_000,
    "amount_minor": 100_000, "currency": "CNY", "reason": "回单金额不符", "outcome": "成交",
    "outcome_en": "sold", "organisation": "江城理工大学", "organisation_en": "Jiangcheng Tech",
    "name": "SSB-2026", "how": "挂牌", "how_en": "listed at a fixed price", "day": "2026-04-01",
    "milestone": "合同已签订", "milestone_en": "contract signed", "days": "30", "period": "2",
    "event": "新能源成果路演", "event_en": "New energy roadshow", "org": "北河机器人有限公司",
    "org_en": "Nordwind Robotik GmbH", "email": "buyer@nordwind.example",
    "starts_at": "2026-06-01T02:00:00+00:00",
}  # fmt: skip


@pytest.mark.parametrize("event", sorted(rules.EVENTS))
def test_the_event_is_written_in_the_readers_language(app: Flask, event: str) -> None:
    notification = Notification(id=7, user_id=1, event=event, params=PARAMS, link="/x")
    with app.test_request_context():
        chinese = mail.message_of(notification, "zh_CN")
        english = mail.message_of(notification, "en")
        message = mail.compose(
            User(id=1, name="王老师", email="wang@example.edu.cn", locale="zh_CN"), [notification]
        )
    assert "%(" not in chinese + english, "every parameter is filled in"
    assert re.search(r"[\u4e00-\u9fff]", chinese.replace("一种固态电解质", ""))
    assert not re.search(r"[\u4e00-\u9fff]", english.replace(PARAMS["reason"], "")), english
    assert message["Subject"] == chinese[:200]
    assert (
        message["List-Unsubscribe"]
        and message["Message-ID"] == "<notification-7@market.example.org>"
    )


def test_a_day_in_the_params_reads_as_the_readers_date(app: Flask) -> None:
    with app.test_request_context():
        assert mail.localised_params({"day": "2026-04-01"}, "en") == {"day": "1 Apr 2026"}
        assert mail.localised_params({"day": "2026-04-01"}, "zh_CN") == {"day": "2026年4月1日"}
        moment = mail.localised_params({"at": "2026-04-01T01:30:00+00:00"}, "en")
        assert moment == {"at": "1 Apr 2026, 09:30 (UTC+8)"}


def mail_to(mailpit: str, email: str) -> list[dict[str, Any]]:
    found = requests.get(
        f"{mailpit}/api/v1/search", params={"query": f"to:{email}", "limit": 500}, timeout=10
    ).json()
    return list(found["messages"])


@pytest.mark.usefixtures("db_session")
def test_every_event_type_reaches_the_inbox_and_mailpit_once_in_the_readers_language(
    mailpit: str, clock: Any
) -> None:
    """The delivery half of every event (the domains' tests show each use case tells it):
    the instant ones mailed one by one, the others in the daily digest, none twice."""
    org_id = factories.enterprise(clock()).acting_org_id
    with unit_of_work():
        chinese = member(org_id, locale="zh_CN", now=clock())
        english = member(org_id, locale="en", now=clock())
    with unit_of_work():
        for event in sorted(rules.EVENTS):
            services.notify([chinese.id, english.id], event, params=PARAMS, link="/x", now=clock())
    instant = [e for e, kind in rules.EVENTS.items() if kind.email == rules.EmailMode.INSTANT]
    daily = [e for e, kind in rules.EVENTS.items() if kind.email == rules.EmailMode.DAILY]
    assert len(instant) + len(daily) == len(rules.EVENTS) and daily, "instant or daily by default"
    jobs.send_digests()
    jobs.send_digests()  # a second run finds nothing left to send

    for user, language in ((chinese, "zh_CN"), (english, "en")):
        inbox = list(
            db.session.scalars(select(Notification).where(Notification.user_id == user.id))
        )
        assert sorted(n.event for n in inbox) == sorted(rules.EVENTS)
        assert [n.event for n in inbox if n.email_state != EmailState.SENT] == []
        received = mail_to(mailpit, user.email)
        assert len(received) == len(instant) + 1, "each instant event once, and one digest"
        assert len({m["MessageID"] for m in received}) == len(received)
        for message in received:
            subject = message["Subject"].replace(PARAMS["title"], "").replace(PARAMS["reason"], "")
            cjk = re.search(r"[\u4e00-\u9fff]", subject)
            assert bool(cjk) == (language == "zh_CN"), (language, message["Subject"])
