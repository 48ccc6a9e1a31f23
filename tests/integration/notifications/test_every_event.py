"""Every kind of event reads well in both languages, in the inbox and in its email."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from accounts.models import User
from notifications import mail, rules
from notifications.models import Notification

PARAMS = {
    "title": "一种固态电解质", "title_en": "A solid electrolyte", "price_minor": 1_050_000,
    "amount_minor": 100_000, "currency": "CNY", "reason": "回单金额不符", "outcome": "成交",
    "outcome_en": "sold", "organisation": "江城理工大学", "organisation_en": "Jiangcheng Tech",
    "name": "SSB-2026", "how": "挂牌", "how_en": "listed at a fixed price", "day": "2026-04-01",
    "milestone": "合同已签订", "milestone_en": "contract signed", "days": "30", "period": "2",
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
